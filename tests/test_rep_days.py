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


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 2), st.integers(0, 600)),
        min_size=0,
        max_size=40,
    ),
    st.sampled_from(["shuffled", "runs", "runs_sorted"]),
    st.randoms(use_true_random=False),
    st.booleans(),
)
def test_rep_days_equals_a_full_sort_however_the_log_is_laid_out(rows, layout, rnd, categorical):
    # logs arrive as contiguous rep-day runs in time order (in any order of reps), or not
    if layout != "shuffled":
        groups: dict[tuple[str, int], list] = {}
        for r in sorted(rows, key=lambda r: (r[0], r[1], r[2])):
            groups.setdefault((r[0], r[1]), []).append(r)
        keys = list(groups)
        if layout == "runs":
            rnd.shuffle(keys)
        rows = [r for k in keys for r in groups[k]]
    else:
        rows = list(rows)
        rnd.shuffle(rows)
    t = pd.Timestamp("2026-03-02")
    rep = [r[0] for r in rows]
    date = [t + pd.Timedelta(days=r[1]) for r in rows]
    start = [d + pd.Timedelta(minutes=480 + r[2]) for d, r in zip(date, rows, strict=True)]
    end = [s + pd.Timedelta(minutes=5 + r[2] % 7) for s, r in zip(start, rows, strict=True)]
    a = pd.DataFrame(
        {
            # categorical as the loader gives ids, here with categories no row holds
            "rep_id": pd.Series(
                rep, dtype=pd.CategoricalDtype(list("_abcz")) if categorical else "str"
            ),
            "date": pd.Series(date, dtype="datetime64[ns]"),
            "start": pd.Series(start, dtype="datetime64[ns]"),
            "end": pd.Series(end, dtype="datetime64[ns]"),
        }
    )
    ix = rep_days(a)
    # the reference: a stable sort by rep, date, start, end, written independently
    expected = sorted(range(len(rows)), key=lambda i: (rep[i], date[i], start[i], end[i], i))
    assert ix.order.tolist() == expected
    sec = [int(s.timestamp()) for s in start]
    assert ix.sorted_start.tolist() == [sec[i] for i in expected]
    days = [(rep[i], date[i]) for i in expected]
    opens = [k == 0 or days[k] != days[k - 1] for k in range(len(days))]
    assert ix.new_day.tolist() == opens
    assert ix.first.tolist() == [k for k, o in enumerate(opens) if o]
    assert list(ix.rep_names) == sorted(set(rep))  # the reps present, sorted
    assert [ix.rep_names[r] for r in ix.day_rep] == [days[k][0] for k in ix.first]
    assert [ix.date_values[d] for d in ix.day_date] == [days[k][1] for k in ix.first]
