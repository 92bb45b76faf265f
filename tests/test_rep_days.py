"""One day order for the whole diagnosis: it must be the order a full sort gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tts.rep_days import day_order, rep_days


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 2_000), st.integers(0, 400)),
        min_size=0,
        max_size=60,
    ),
    st.booleans(),
    st.booleans(),
)
def test_day_order_is_a_stable_lexicographic_sort(rows, with_day0, presorted):
    if presorted:
        rows = sorted(rows)
    key = np.array([r[0] for r in rows], dtype=np.int64)
    start = np.array([r[1] for r in rows], dtype=np.int64) + key * 86_400
    end = start + np.array([r[2] for r in rows], dtype=np.int64)
    day0 = key * 86_400 if with_day0 else None
    expected = np.lexsort((end, start, key))
    assert day_order(key, start, end, day0=day0).tolist() == expected.tolist()


def test_times_beyond_the_packing_window_fall_back_to_a_full_sort():
    key = np.array([0, 0, 1, 0])
    start = np.array([10**9, 5, 7, 2**40])
    end = start + 1
    day0 = np.zeros(4, dtype=np.int64)
    assert day_order(key, start, end, day0=day0).tolist() == [1, 0, 3, 2]


def test_rep_days_codes_and_order():
    t = pd.Timestamp("2026-03-02")
    a = pd.DataFrame(
        {
            "rep_id": pd.array(["b", "a", "a", "b"], dtype="str"),
            "date": [t, t + pd.Timedelta(days=1), t, t],
            "start": [t + pd.Timedelta(hours=h) for h in (9, 33, 10, 8)],
            "end": [t + pd.Timedelta(hours=h + 1) for h in (9, 33, 10, 8)],
        }
    )
    ix = rep_days(a)
    assert list(ix.rep_names) == ["a", "b"]
    assert ix.order.tolist() == [2, 1, 3, 0]  # a/day 1, a/day 2, then b's day by start
    assert ix.describes(a) and not ix.describes(a.copy())
