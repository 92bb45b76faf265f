"""The time allocation's walk through each rep-day, compiled, one rep-day per iteration.

The allocation reads every activity row once in day order (rep, date, start, end): which part
of its interval no earlier row of the day already covered (the seconds it *keeps*), which
activity those seconds count for, and where a store visit starts and ends. Written as numpy
passes over ten million rows this took some twenty passes and as many temporary arrays; here
it is one loop per rep-day compiled by numba, the rep-days shared between the cores, no
temporary per row beyond the outputs.

Large outputs are allocated by numpy and filled by the compiled loop: numpy asks the kernel for
huge pages, numba's own allocator does not, and first touching ten million fresh small pages
took five times as long as the loop's work.

Every function takes the rows in day order and ``bounds``: the position of each rep-day's
first row, then the number of rows (length days + 1). Times are whole seconds (int64).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = [
    "day_first_codes",
    "day_modes",
    "day_signatures",
    "day_times",
    "overlap_seconds",
    "rep_date_runs",
    "runs_in_order",
    "runs_laid_out",
    "seconds_in_order",
    "stop_counts",
    "stop_times",
]

_INT32_MAX = np.iinfo(np.int32).max
_TO_MIN = 1 / 60.0  # seconds to minutes, as the allocation's numpy code multiplies


def overlap_seconds(start: np.ndarray, end: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Per row: seconds by which it starts before the latest end of the earlier rows of its
    day (0 for a day's first row and for rows that start after every earlier one ended;
    int32, capped at 2**31 - 1).
    """
    out = np.empty(len(start), dtype=np.int32)
    _overlap_seconds(start, end, bounds, out)
    return out


@njit(cache=True, parallel=True)
def _overlap_seconds(
    start: np.ndarray, end: np.ndarray, bounds: np.ndarray, out: np.ndarray
) -> None:
    for d in prange(len(bounds) - 1):
        lo, hi = bounds[d], bounds[d + 1]
        if hi <= lo:
            continue
        out[lo] = 0
        run_end = end[lo]
        for i in range(lo + 1, hi):
            over = run_end - start[i]
            out[i] = min(over, _INT32_MAX) if over > 0 else 0
            if end[i] > run_end:
                run_end = end[i]


@njit(cache=True)
def runs_in_order(key: np.ndarray, start: np.ndarray, end: np.ndarray, new_run: np.ndarray) -> bool:
    """Whether, within each run of equal ``key``, the rows are in order of start, then end;
    ``new_run`` (bool, filled in) marks where a run opens. Stops at the first row out of
    order (False): the rows must then be sorted.
    """
    n = len(key)
    if n:
        new_run[0] = True
    for i in range(1, n):
        opens = key[i] != key[i - 1]
        new_run[i] = opens
        if not opens and (
            start[i] < start[i - 1] or (start[i] == start[i - 1] and end[i] < end[i - 1])
        ):
            return False
    return True


@njit(cache=True)
def rep_date_runs(
    rep: np.ndarray, date: np.ndarray, start: np.ndarray, end: np.ndarray, new_run: np.ndarray
) -> bool:
    """:func:`runs_in_order` with the rep-day given as two columns (rep code, date), so that
    no per-row key is computed: ``new_run`` marks where the rep or the date changes.
    """
    n = len(rep)
    if n:
        new_run[0] = True
    for i in range(1, n):
        opens = rep[i] != rep[i - 1] or date[i] != date[i - 1]
        new_run[i] = opens
        if not opens and (
            start[i] < start[i - 1] or (start[i] == start[i - 1] and end[i] < end[i - 1])
        ):
            return False
    return True


def runs_laid_out(source: np.ndarray, length: np.ndarray, n: int) -> np.ndarray:
    """The permutation laying runs of rows end to end: run ``k`` (``length[k]`` rows from
    row ``source[k]``) takes the places after runs 0 … k - 1 (``n`` rows in all).
    """
    out = np.empty(n, dtype=np.int64)
    _runs_laid_out(source, length, np.cumsum(length) - length, out)
    return out


@njit(cache=True, parallel=True)
def _runs_laid_out(
    source: np.ndarray, length: np.ndarray, offset: np.ndarray, out: np.ndarray
) -> None:
    for k in prange(len(source)):
        s, o = source[k], offset[k]
        for j in range(length[k]):
            out[o + j] = s + j


def seconds_in_order(nanoseconds: np.ndarray, order: np.ndarray) -> np.ndarray:
    """``nanoseconds[order]`` in whole seconds (floored), int64."""
    out = np.empty(len(order), dtype=np.int64)
    _seconds_in_order(nanoseconds, order, out)
    return out


@njit(cache=True, parallel=True)
def _seconds_in_order(nanoseconds: np.ndarray, order: np.ndarray, out: np.ndarray) -> None:
    for i in prange(len(order)):
        out[i] = nanoseconds[order[i]] // 1_000_000_000


@njit(cache=True)
def _kept(start: int, end: int, overlap: int) -> int:
    """Seconds a row adds to the union of its day's intervals.

    The compiled helpers take numbers, never arrays: numba reference-counts an array passed
    to a compiled function on every call, which made loops over ten million rows two to ten
    times slower.
    """
    k = end - start - overlap
    return k if k > 0 else 0


def day_times(
    start: np.ndarray,
    end: np.ndarray,
    overlap: np.ndarray,
    activity: np.ndarray,
    bounds: np.ndarray,
    n_codes: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per rep-day: seconds kept per activity code (codes × days: each code's days side by
    side, as the per-day table's columns take them), seconds the rows overlap (their length
    less what they keep), and the day's last end.

    ``activity`` holds codes 0 … n_codes - 1 (a row without one adds to no code).
    """
    n_days = len(bounds) - 1
    per_code = np.zeros((n_codes, n_days), dtype=np.int64)
    overlapped = np.zeros(n_days, dtype=np.int64)
    day_end = np.zeros(n_days, dtype=np.int64)
    _day_times(start, end, overlap, activity, bounds, per_code, overlapped, day_end)
    return per_code, overlapped, day_end


@njit(cache=True, parallel=True)
def _day_times(
    start: np.ndarray,
    end: np.ndarray,
    overlap: np.ndarray,
    activity: np.ndarray,
    bounds: np.ndarray,
    per_code: np.ndarray,
    overlapped: np.ndarray,
    day_end: np.ndarray,
) -> None:
    for d in prange(len(bounds) - 1):
        lo, hi = bounds[d], bounds[d + 1]
        last = end[lo]
        for i in range(lo, hi):
            kept = _kept(start[i], end[i], overlap[i])
            a = activity[i]
            if a >= 0:
                per_code[a, d] += kept
            overlapped[d] += end[i] - start[i] - kept
            if end[i] > last:
                last = end[i]
        day_end[d] = last


@njit(cache=True)
def _opens_stop(is_customer: bool, continues: bool) -> bool:
    """Whether a row opens a stop: a customer row that does not ``continue`` the row before
    it in its day (a customer row at the same customer).
    """
    return is_customer and not continues


@njit(cache=True, parallel=True)
def stop_counts(
    activity: np.ndarray, customer_activity: np.ndarray, customer: np.ndarray, bounds: np.ndarray
) -> np.ndarray:
    """Per rep-day: its store visits (stops), runs of consecutive customer rows at one
    customer. ``customer_activity``: per activity code whether it is customer time, then
    False for the rows without an activity (code -1).
    """
    n_days = len(bounds) - 1
    out = np.zeros(n_days, dtype=np.int64)
    for d in prange(n_days):
        count = 0
        for i in range(bounds[d], bounds[d + 1]):
            if _opens_stop(
                customer_activity[activity[i]],
                i > bounds[d]
                and customer_activity[activity[i - 1]]
                and customer[i - 1] == customer[i],
            ):
                count += 1
        out[d] = count
    return out


def stop_times(
    start: np.ndarray,
    end: np.ndarray,
    overlap: np.ndarray,
    activity: np.ndarray,
    customer_activity: np.ndarray,
    customer: np.ndarray,
    bounds: np.ndarray,
    stop_bounds: np.ndarray,
    travel_code: int,
) -> tuple[
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
    np.ndarray,
]:
    """The store visits of every rep-day and the travel around them, written in the units
    of the stops table.

    A stop is a run of consecutive customer rows at one customer; its time is the seconds its
    rows keep. The rows between two stops (or between the day's first row and its first stop)
    are non-customer rows: the travel they keep is the stop's travel before, the rest plus
    the stretch no row covers between the previous stop's end and the stop's start is its
    other time before. The day's first commute is the travel kept before its first stop, the
    last commute the travel kept after its last stop (NaN without a stop).

    ``stop_bounds`` is the position of each day's first stop, then the number of stops
    (the cumulative :func:`stop_counts`).

    Returns
    -------
    tuple of numpy.ndarray
        Per stop: rep-day (int64), 1-based position in its day (int64), customer code, first
        row (position in day order), rows, start and end (nanoseconds since the epoch, int64),
        minutes kept, travel minutes before, other minutes before; per rep-day: first and
        last commute and the median of its stops' minutes (NaN without a stop).
    """
    n_stops = int(stop_bounds[-1])
    n_days = len(bounds) - 1
    per_stop = (
        np.empty(n_stops, dtype=np.int64),  # day
        np.empty(n_stops, dtype=np.int64),  # seq
        np.empty(n_stops, dtype=customer.dtype),
        np.empty(n_stops, dtype=np.int64),  # first row
        np.empty(n_stops, dtype=np.int64),  # rows
        np.empty(n_stops, dtype=np.int64),  # start
        np.empty(n_stops, dtype=np.int64),  # end
        np.empty(n_stops, dtype=np.float64),  # minutes
        np.empty(n_stops, dtype=np.float64),  # travel before
        np.empty(n_stops, dtype=np.float64),  # other before
    )
    per_day = (np.full(n_days, np.nan), np.full(n_days, np.nan), np.full(n_days, np.nan))
    _stop_times(
        start,
        end,
        overlap,
        activity,
        customer_activity,
        customer,
        bounds,
        stop_bounds,
        travel_code,
        *per_stop,
        *per_day,
    )
    return (*per_stop, *per_day)


@njit(cache=True, parallel=True)
def _stop_times(
    start: np.ndarray,
    end: np.ndarray,
    overlap: np.ndarray,
    activity: np.ndarray,
    customer_activity: np.ndarray,
    customer: np.ndarray,
    bounds: np.ndarray,
    stop_bounds: np.ndarray,
    travel_code: int,
    s_day: np.ndarray,
    s_seq: np.ndarray,
    s_customer: np.ndarray,
    s_first: np.ndarray,
    s_rows: np.ndarray,
    s_start: np.ndarray,
    s_end: np.ndarray,
    s_min: np.ndarray,
    s_travel: np.ndarray,
    s_other: np.ndarray,
    first_commute: np.ndarray,
    last_commute: np.ndarray,
    median: np.ndarray,
) -> None:
    n_days = len(bounds) - 1
    for d in prange(n_days):
        lo = stop_bounds[d]
        k = lo - 1  # the current stop
        travel = 0  # kept since the previous stop's last row (or the day's first row)
        other = 0
        kept_k = 0  # seconds the current stop keeps
        end_k = 0  # its last end, seconds
        for i in range(bounds[d], bounds[d + 1]):
            kept = _kept(start[i], end[i], overlap[i])
            if customer_activity[activity[i]]:
                if _opens_stop(
                    True,
                    i > bounds[d]
                    and customer_activity[activity[i - 1]]
                    and customer[i - 1] == customer[i],
                ):
                    if k >= lo:  # close the previous stop
                        s_min[k] = kept_k / 60.0
                        s_end[k] = end_k * 1_000_000_000
                    k += 1
                    s_day[k] = d
                    s_seq[k] = k - lo + 1
                    s_customer[k] = customer[i]
                    s_first[k] = i
                    s_start[k] = start[i] * 1_000_000_000
                    s_travel[k] = travel * _TO_MIN
                    if k == lo:  # the day's first stop
                        s_other[k] = other * _TO_MIN
                        first_commute[d] = travel / 60
                    else:
                        gap = start[i] - end_k - travel - other
                        s_other[k] = (other + (gap if gap > 0 else 0)) * _TO_MIN
                    travel = 0
                    other = 0
                    kept_k = 0
                    end_k = end[i]
                elif end[i] > end_k:
                    end_k = end[i]
                s_rows[k] = i - s_first[k] + 1
                kept_k += kept
            elif activity[i] == travel_code:
                travel += kept
            else:
                other += kept
        hi = stop_bounds[d + 1]
        if hi > lo:
            s_min[k] = kept_k / 60.0
            s_end[k] = end_k * 1_000_000_000
            last_commute[d] = travel / 60
            median[d] = _median(s_min[lo:hi])


@njit(cache=True)
def _median(values: np.ndarray) -> float:
    """The median of ``values`` (not empty), sorted in a copy; the mean of the two middle
    values for an even count.
    """
    v = values.copy()
    m = len(v)
    if m > 32:
        v.sort()
    else:  # a day's few stops: an insertion sort, without the general sort's set-up
        for i in range(1, m):
            x = v[i]
            j = i - 1
            while j >= 0 and v[j] > x:
                v[j + 1] = v[j]
                j -= 1
            v[j + 1] = x
    mid = m // 2
    return v[mid] if m % 2 else (v[mid - 1] + v[mid]) / 2


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


@njit(cache=True)
def _mix(x: np.uint64) -> np.uint64:
    """A 64-bit integer hash (the splitmix64 finaliser); wraps around on purpose."""
    x = x + _GOLDEN
    x = (x ^ (x >> np.uint64(30))) * _MIX1
    x = (x ^ (x >> np.uint64(27))) * _MIX2
    return x ^ (x >> np.uint64(31))


@njit(cache=True, parallel=True)
def day_signatures(
    start: np.ndarray,
    end: np.ndarray,
    activity: np.ndarray,
    customer: np.ndarray,
    bounds: np.ndarray,
    day_date: np.ndarray,
) -> np.ndarray:
    """Per rep-day: a 64-bit signature of its rows (clock times from the day's date in
    seconds, activity, customer and position in the day); equal days have equal signatures.

    Each row's fields are chained through :func:`_mix`, and the rows' hashes summed (wrapping).
    """
    n_days = len(bounds) - 1
    out = np.zeros(n_days, dtype=np.uint64)
    for d in prange(n_days):
        lo, hi = bounds[d], bounds[d + 1]
        date = day_date[d]
        acc = np.uint64(0)
        for i in range(lo, hi):
            h = _mix(np.uint64(start[i] - date))
            h = _mix(h ^ np.uint64(end[i] - date))
            h = _mix(h ^ np.uint64(np.int64(activity[i])))
            h = _mix(h ^ np.uint64(np.int64(customer[i])))
            h = _mix(h ^ np.uint64(i - lo))
            acc += h
        out[d] = acc
    return out


@njit(cache=True, parallel=True)
def day_modes(codes: np.ndarray, stop_bounds: np.ndarray) -> np.ndarray:
    """Per rep-day: the most frequent non-negative code among its stops (ties: the smallest;
    -1 when none has one). Codes index sorted names, so the smallest code is the first name in
    sort order.
    """
    n_days = len(stop_bounds) - 1
    out = np.full(n_days, -1, dtype=np.int64)
    for d in prange(n_days):
        lo, hi = stop_bounds[d], stop_bounds[d + 1]
        best, best_n = -1, 0
        for i in range(lo, hi):
            c = codes[i]
            if c < 0 or c == best:
                continue
            n = 0
            for j in range(lo, hi):
                if codes[j] == c:
                    n += 1
            if n > best_n or (n == best_n and c < best):
                best, best_n = c, n
        out[d] = best
    return out


@njit(cache=True, parallel=True)
def day_first_codes(codes: np.ndarray, order: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Per rep-day: the first non-negative code of its rows in day order (-1 when none has
    one); ``codes`` in table order, ``order`` the day order.
    """
    n_days = len(bounds) - 1
    out = np.full(n_days, -1, dtype=np.int64)
    for d in prange(n_days):
        for i in range(bounds[d], bounds[d + 1]):
            c = codes[order[i]]
            if c >= 0:
                out[d] = c
                break
    return out
