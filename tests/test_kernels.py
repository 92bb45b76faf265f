"""The compiled kernels against plain numpy and Python written from their definitions.

The kernels are C loops (Cython) that take codes of any integer width and convert what they
do not take; each property here holds whatever the width, with empty inputs, with rows that
have no code (-1), and with days long enough to take the sort the few-stop days skip.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tts import InputError
from tts import audit_kernels as ak
from tts import rep_day_kernels as rk
from tts.audit import flag_round_heaping
from tts.rep_days import rep_days
from tts.travel import EARTH_RADIUS_M, haversine_m

WIDTHS = [np.int8, np.int16, np.int32, np.int64]


@st.composite
def days(draw: st.DrawFn, max_rows: int = 40) -> dict[str, np.ndarray]:
    """Rep-days of rows in day order: start, end (seconds), activity and customer codes."""
    sizes = draw(st.lists(st.integers(0, max_rows), min_size=0, max_size=6))
    sizes = [s for s in sizes if s > 0]  # a rep-day has rows
    n = sum(sizes)
    start = np.array(draw(st.lists(st.integers(0, 3000), min_size=n, max_size=n)), dtype=np.int64)
    length = np.array(draw(st.lists(st.integers(0, 900), min_size=n, max_size=n)), dtype=np.int64)
    bounds = np.r_[0, np.cumsum(sizes)].astype(np.int64)
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        start[lo:hi].sort()
    # activity codes 0..3 (0, 1 customer time; 2 travel; 3 other) and -1: none
    activity = np.array(draw(st.lists(st.integers(-1, 3), min_size=n, max_size=n)), np.int8)
    customer = np.array(draw(st.lists(st.integers(-1, 4), min_size=n, max_size=n)), np.int32)
    return {
        "start": start,
        "end": start + length,
        "activity": activity,
        "customer": customer,
        "bounds": bounds,
    }


CUSTOMER_TIME = np.array([True, True, False, False, False])  # codes 0..3, then -1


def _overlap_reference(start, end, bounds):
    out = np.zeros(len(start), dtype=np.int64)
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        for i in range(lo + 1, hi):
            out[i] = max(0, int(end[lo:i].max()) - int(start[i]))
    return out


def _stops_reference(d):
    """Per stop (day, customer, first row, rows, seconds kept) and per day the median minutes,
    from the definition: a stop is a run of consecutive customer rows at one customer."""
    start, end, act, cust, bounds = (
        d[k] for k in ("start", "end", "activity", "customer", "bounds")
    )
    overlap = _overlap_reference(start, end, bounds)
    kept = np.maximum(end - start - overlap, 0)
    stops = []
    for day, (lo, hi) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        for i in range(lo, hi):
            is_cust = act[i] in (0, 1)
            if not is_cust:
                continue
            if i > lo and act[i - 1] in (0, 1) and cust[i - 1] == cust[i]:
                stops[-1][3] += 1
                stops[-1][4] += int(kept[i])
            else:
                stops.append([day, int(cust[i]), i, 1, int(kept[i])])
    medians = np.full(len(bounds) - 1, np.nan)
    for day in range(len(bounds) - 1):
        minutes = [s[4] / 60.0 for s in stops if s[0] == day]
        if minutes:
            medians[day] = np.median(minutes)
    return stops, medians


@settings(max_examples=60, deadline=None)
@given(days(), st.sampled_from(WIDTHS), st.sampled_from([np.int8, np.int16]))
def test_stops_and_times_follow_their_definition_whatever_the_code_width(d, width, act_width):
    start, end, bounds = d["start"], d["end"], d["bounds"]
    act, cust = d["activity"].astype(act_width), d["customer"].astype(width)
    overlap = rk.overlap_seconds(start, end, bounds)
    assert overlap.tolist() == _overlap_reference(start, end, bounds).tolist()

    per_code, overlapped, day_end = rk.day_times(start, end, overlap, act, bounds, 4)
    kept = np.maximum(end - start - overlap, 0)
    for day, (lo, hi) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        for code in range(4):
            assert per_code[code, day] == kept[lo:hi][act[lo:hi] == code].sum()
        assert overlapped[day] == (end[lo:hi] - start[lo:hi] - kept[lo:hi]).sum()
        assert day_end[day] == end[lo:hi].max()

    counts = rk.stop_counts(act, CUSTOMER_TIME, cust, bounds)
    stops, medians = _stops_reference(d)
    assert counts.tolist() == [sum(s[0] == day for s in stops) for day in range(len(counts))]
    stop_bounds = np.r_[0, np.cumsum(counts)].astype(np.int64)
    out = rk.stop_times(start, end, overlap, act, CUSTOMER_TIME, cust, bounds, stop_bounds, 2)
    s_day, _, s_customer, s_first, s_rows = out[:5]
    s_min, median = out[7], out[12]
    assert [list(x) for x in zip(s_day, s_customer, s_first, s_rows, strict=True)] == [
        s[:4] for s in stops
    ]
    assert s_min.tolist() == [s[4] / 60.0 for s in stops]
    np.testing.assert_array_equal(median, medians)


def test_a_day_of_many_stops_takes_the_median_of_them_all():
    # 41 stops of 1, 2, ... 41 minutes in a shuffled order (more than the few-stop sort takes)
    rng = np.random.default_rng(7)
    minutes = rng.permutation(np.arange(1, 42))
    start = np.r_[0, np.cumsum(minutes[:-1] * 60)].astype(np.int64)
    end = start + minutes * 60
    n = len(start)
    act = np.zeros(n, dtype=np.int8)
    cust = np.arange(n, dtype=np.int16)
    bounds = np.array([0, n], dtype=np.int64)
    overlap = rk.overlap_seconds(start, end, bounds)
    stop_bounds = np.array([0, n], dtype=np.int64)
    out = rk.stop_times(start, end, overlap, act, CUSTOMER_TIME, cust, bounds, stop_bounds, 2)
    assert out[12][0] == 21.0  # the 21st of 41
    # one stop fewer: the mean of the two middle ones
    out = rk.stop_times(
        start[:-1], end[:-1], overlap[:-1], act[:-1], CUSTOMER_TIME, cust[:-1],
        np.array([0, n - 1]), np.array([0, n - 1]), 2,
    )  # fmt: skip
    assert out[12][0] == float(np.median(minutes[:-1]))


@settings(max_examples=60, deadline=None)
@given(days(), st.sampled_from(WIDTHS))
def test_day_signatures_modes_and_first_codes_whatever_the_code_width(d, width):
    start, end, bounds = d["start"], d["end"], d["bounds"]
    n_days = len(bounds) - 1
    day_date = np.zeros(n_days, dtype=np.int64)
    sig = rk.day_signatures(
        start, end, d["activity"], d["customer"].astype(width), bounds, day_date
    )
    same = rk.day_signatures(
        start, end, d["activity"].astype(np.int16), d["customer"], bounds, day_date
    )
    assert sig.tolist() == same.tolist()
    # a day copied to the end of the log has the first day's signature
    if n_days:
        lo, hi = bounds[0], bounds[1]
        twice = {k: np.r_[v, v[lo:hi]] for k, v in d.items() if k != "bounds"}
        b2 = np.r_[bounds, bounds[-1] + hi - lo].astype(np.int64)
        sig2 = rk.day_signatures(
            twice["start"], twice["end"], twice["activity"], twice["customer"], b2,
            np.zeros(n_days + 1, dtype=np.int64),
        )  # fmt: skip
        assert sig2[-1] == sig2[0]

    codes = d["customer"].astype(width)
    modes = rk.day_modes(codes, bounds)
    firsts = rk.day_first_codes(codes, np.arange(len(codes)), bounds)
    for day, (lo, hi) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        seen = Counter(int(c) for c in codes[lo:hi] if c >= 0)
        top = max(seen.values(), default=0)
        assert modes[day] == min((c for c, k in seen.items() if k == top), default=-1)
        assert firsts[day] == next((int(c) for c in codes[lo:hi] if c >= 0), -1)


@pytest.mark.parametrize("width", WIDTHS)
def test_leg_distances_are_the_haversine_formula_to_the_last_bit(width):
    rng = np.random.default_rng(3)
    lat, lon = rng.uniform(20, 40, 6), rng.uniform(100, 120, 6)
    lat[4] = np.nan  # a customer without coordinates
    customer = np.array([0, 1, 2, -1, 3, 4, 5, 5, 0], dtype=width)
    same_day = np.array([False, True, True, True, True, False, True, True, True])
    phi = np.radians(np.r_[lat, np.nan])
    out = ak.haversine_legs(
        phi, np.cos(phi), np.r_[lon, np.nan], customer, same_day, EARTH_RADIUS_M
    )
    x = np.r_[lat, np.nan][np.where(customer < 0, 6, customer)]
    y = np.r_[lon, np.nan][np.where(customer < 0, 6, customer)]
    expected = np.r_[np.nan, haversine_m(x[:-1], y[:-1], x[1:], y[1:])]
    expected[~same_day] = np.nan
    np.testing.assert_array_equal(out, expected)


def test_every_kernel_takes_empty_input():
    e64, e8 = np.zeros(0, np.int64), np.zeros(0, np.int8)
    b = np.zeros(1, np.int64)
    assert len(rk.overlap_seconds(e64, e64, b)) == 0
    assert [len(x) for x in rk.day_times(e64, e64, e64, e8, b, 3)[1:]] == [0, 0]
    assert len(rk.stop_counts(e8, CUSTOMER_TIME, e64, b)) == 0
    assert len(rk.stop_times(e64, e64, e64, e8, CUSTOMER_TIME, e64, b, b, 2)[0]) == 0
    assert len(rk.day_signatures(e64, e64, e8, e64, b, e64)) == 0
    assert len(rk.runs_laid_out(e64, e64, 0)) == 0
    assert len(rk.seconds_in_order(e64, e64)) == 0
    assert len(ak.haversine_legs(e64 * 1.0, e64 * 1.0, e64 * 1.0, e64, e8 > 0, 1.0)) == 0
    assert len(ak.round_counts(e64, e64, e64, b, 60)) == 0
    assert len(ak.repeated_days(b, np.zeros(0, np.uint64), e64)) == 0
    assert len(ak.day_rows(e8 > 0, True, e64, b, e64, b)) == 0


@settings(max_examples=60, deadline=None)
@given(days(), st.integers(1, 600), st.data())
def test_round_rows_and_copied_days_follow_their_definition(d, step, data):
    ns = 1_000_000_000
    start, end, bounds = d["start"] * ns, d["end"] * ns, d["bounds"]
    n = len(start)
    order = np.arange(n, dtype=np.int64)
    whole = ((end - start) // ns > 0) & (((end - start) // ns) % step == 0)
    counts = ak.round_counts(start, end, order, bounds, step)
    assert counts.tolist() == [
        int(whole[lo:hi].sum()) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)
    ]
    flagged = np.array(
        data.draw(st.lists(st.booleans(), min_size=len(counts), max_size=len(counts)))
    )
    mask = np.zeros(n, dtype=bool)
    ak.heaped_rows(start, end, order, bounds, flagged, step, mask)
    day_of_row = np.repeat(np.arange(len(counts)), np.diff(bounds))
    assert mask.tolist() == (whole & flagged[day_of_row] if n else whole).tolist()

    # copied days: the same signature and row count as an earlier day of the rep
    n_days = len(counts)
    sig = np.array(data.draw(st.lists(st.integers(0, 2), min_size=n_days, max_size=n_days)))
    sig = sig.astype(np.uint64)
    rows = np.diff(bounds)
    rep = np.zeros(n_days, dtype=np.int8)
    expected = [
        any(sig[e] == sig[k] and rows[e] == rows[k] for e in range(k)) for k in range(n_days)
    ]
    rep_bounds = np.array([0, n_days], dtype=np.int64)
    assert ak.repeated_days(rep_bounds, sig, rows).tolist() == expected
    by = np.lexsort((np.arange(n_days), rows, sig, rep))
    assert ak.copied_flags(rep, sig, rows, by).tolist() == expected

    # the rows of some days, those the mask holds, in table order
    days_ = np.flatnonzero(flagged).astype(np.int64)
    take = [
        np.flatnonzero(mask[lo:hi]) + lo
        for lo, hi in zip(bounds[days_], bounds[days_ + 1], strict=True)
    ]
    offsets = np.r_[0, np.cumsum([len(t) for t in take])].astype(np.int64)
    got = ak.day_rows(
        mask, False, order[::-1].copy(), _reversed(bounds), _flip(days_, n_days), offsets
    )
    assert got.tolist() == [int(i) for t in take for i in t]


def _reversed(bounds: np.ndarray) -> np.ndarray:
    """Day bounds of the rows read backwards (the last day first)."""
    return np.r_[0, np.cumsum(np.diff(bounds)[::-1])].astype(np.int64)


def _flip(days_: np.ndarray, n_days: int) -> np.ndarray:
    """The same days, numbered as in :func:`_reversed`."""
    return (n_days - 1 - days_).astype(np.int64)


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork on this system"
)
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_forked_child_runs_the_kernels_after_its_parent_did():
    # GNU OpenMP's threads are not copied by fork: a child entering a parallel loop after its
    # parent ran one waited forever, until the kernels ran on one thread in forked children
    n = 200_000
    start = np.arange(n, dtype=np.int64)
    bounds = np.arange(0, n + 1, 10, dtype=np.int64)
    parent = rk.overlap_seconds(start, start + 5, bounds)  # the parent's threads start here
    with multiprocessing.get_context("fork").Pool(2) as pool:
        children = pool.starmap_async(rk.overlap_seconds, [(start, start + 5, bounds)] * 2).get(
            timeout=120
        )
    for child in children:
        np.testing.assert_array_equal(child, parent)


def test_a_code_the_kernels_cannot_hold_is_refused_not_wrapped():
    e = np.zeros(2, np.int64)
    b = np.array([0, 2], np.int64)
    with pytest.raises(ValueError, match="do not fit int16"):
        rk.stop_counts(np.array([0, 40_000]), CUSTOMER_TIME, e, b)
    with pytest.raises(ValueError, match="do not fit int64"):
        rk.day_first_codes(np.array([1, 2**63], dtype=np.uint64), np.arange(2), b)
    # unsigned codes that fit are read as they are
    assert rk.day_first_codes(np.array([7, 2**40], dtype=np.uint64), np.arange(2), b)[0] == 7


def test_a_round_duration_step_below_one_second_is_an_error_not_a_crash():
    e = np.zeros(1, np.int64)
    with pytest.raises(ValueError, match="at least 1 second"):
        ak.round_counts(e, e, e, np.array([0, 1]), 0)
    acts = pd.DataFrame(
        {
            "rep_id": ["r1"],
            "date": [pd.Timestamp("2026-03-02")],
            "start": [pd.Timestamp("2026-03-02 08:00")],
            "end": [pd.Timestamp("2026-03-02 08:05")],
        }
    )
    with pytest.raises(InputError, match="base_min"):
        flag_round_heaping(acts, base_min=0, index=rep_days(acts))
