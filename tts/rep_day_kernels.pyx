# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
# cython: cdivision=True
"""The time allocation's walk through each rep-day, compiled, one rep-day per iteration.

The allocation reads every activity row once in day order (rep, date, start, end): which part
of its interval no earlier row of the day already covered (the seconds it *keeps*), which
activity those seconds count for, and where a store visit starts and ends. Written as numpy
passes over ten million rows this took some twenty passes and as many temporary arrays; here
it is one C loop per rep-day (Cython, compiled when the package is installed), the rep-days
shared between the cores by OpenMP (one core in a forked child: :mod:`tts._threads`), no
temporary per row beyond the outputs.

Every function takes the rows in day order and ``bounds``: the position of each rep-day's
first row, then the number of rows (length days + 1, int64). Times are whole seconds (int64).
Activity codes are int8 or int16 (-1: none), customer codes int32 or int64, rep codes any
integer width (-1: none); other widths are converted first, a code that does not fit refused
(:mod:`tts._kernel_inputs`). Outputs are allocated by numpy.

The loops reach the arrays through plain pointers handed to one function per rep-day: a
typed memoryview passed to a function is reference-counted on every call (atomically, so
the two cores contend for it), which would cost more than the loop's own work.
"""

import numpy as np

from . import _kernel_inputs as inputs
from ._threads import follow_threads

from cython.parallel cimport prange
from libc.stdint cimport int8_t, int16_t, int32_t, int64_t, uint8_t, uint64_t
from libc.stdlib cimport free, malloc, qsort

#: Threads of the parallel loops; one in a forked child (see :mod:`tts._threads`).
cdef int _threads = 1


def _set_threads(int n) -> None:
    global _threads
    _threads = n


follow_threads(_set_threads)

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

ctypedef fused act_t:
    int8_t
    int16_t

ctypedef fused code_t:
    int8_t
    int16_t
    int32_t
    int64_t

ctypedef fused cust_t:
    int32_t
    int64_t

cdef int64_t _INT32_MAX = 2147483647
cdef double _TO_MIN = 1 / 60.0  # seconds to minutes, as the allocation's numpy code multiplies
cdef int64_t _NS = 1_000_000_000


# ---- overlaps and runs ----------------------------------------------------------------------


def overlap_seconds(start, end, bounds):
    """Per row: seconds by which it starts before the latest end of the earlier rows of its
    day (0 for a day's first row and for rows that start after every earlier one ended;
    int32, capped at 2**31 - 1).
    """
    cdef const int64_t[::1] s = inputs.int64(start)
    cdef const int64_t[::1] e = inputs.int64(end)
    cdef const int64_t[::1] b = inputs.int64(bounds)
    out = np.empty(s.shape[0], dtype=np.int32)
    cdef int32_t[::1] o = out
    if s.shape[0] == 0:
        return out
    with nogil:
        _overlap_seconds(b.shape[0] - 1, &s[0], &e[0], &b[0], &o[0])
    return out


cdef void _overlap_seconds(
    Py_ssize_t n_days, const int64_t* start, const int64_t* end, const int64_t* bounds,
    int32_t* out
) noexcept nogil:
    cdef Py_ssize_t d
    for d in prange(n_days, schedule="static", num_threads=_threads):
        _overlap_day(d, start, end, bounds, out)


cdef inline void _overlap_day(
    Py_ssize_t d, const int64_t* start, const int64_t* end, const int64_t* bounds,
    int32_t* out
) noexcept nogil:
    cdef int64_t lo = bounds[d], hi = bounds[d + 1], i, over, run_end
    if hi <= lo:
        return
    out[lo] = 0
    run_end = end[lo]
    for i in range(lo + 1, hi):
        over = run_end - start[i]
        out[i] = <int32_t>(over if over < _INT32_MAX else _INT32_MAX) if over > 0 else 0
        if end[i] > run_end:
            run_end = end[i]


def runs_in_order(key, start, end, new_run):
    """Whether, within each run of equal ``key``, the rows are in order of start, then end;
    ``new_run`` (bool, filled in) marks where a run opens. Stops at the first row out of
    order (False): the rows must then be sorted.
    """
    cdef const int64_t[::1] k = inputs.int64(key)
    cdef const int64_t[::1] s = inputs.int64(start)
    cdef const int64_t[::1] e = inputs.int64(end)
    cdef uint8_t[::1] nr = new_run.view(np.uint8)
    cdef Py_ssize_t n = k.shape[0], i
    cdef bint opens
    if n:
        nr[0] = 1
    for i in range(1, n):
        opens = k[i] != k[i - 1]
        nr[i] = opens
        if not opens and (s[i] < s[i - 1] or (s[i] == s[i - 1] and e[i] < e[i - 1])):
            return False
    return True


def rep_date_runs(rep, date, start, end, new_run):
    """:func:`runs_in_order` with the rep-day given as two columns (rep code, date), so that
    no per-row key is computed: ``new_run`` marks where the rep or the date changes.
    """
    return _rep_date_runs(
        inputs.codes(rep),
        inputs.int64(date),
        inputs.int64(start),
        inputs.int64(end),
        new_run.view(np.uint8),
    )


def _rep_date_runs(
    const code_t[::1] rep,
    const int64_t[::1] date,
    const int64_t[::1] s,
    const int64_t[::1] e,
    uint8_t[::1] nr,
):
    cdef Py_ssize_t n = rep.shape[0], i
    cdef bint opens
    if n:
        nr[0] = 1
    for i in range(1, n):
        opens = rep[i] != rep[i - 1] or date[i] != date[i - 1]
        nr[i] = opens
        if not opens and (s[i] < s[i - 1] or (s[i] == s[i - 1] and e[i] < e[i - 1])):
            return False
    return True


def runs_laid_out(source, length, n):
    """The permutation laying runs of rows end to end: run ``k`` (``length[k]`` rows from
    row ``source[k]``) takes the places after runs 0 … k - 1 (``n`` rows in all).
    """
    cdef const int64_t[::1] src = inputs.int64(source)
    cdef const int64_t[::1] ln = inputs.int64(length)
    cdef const int64_t[::1] off = inputs.int64(np.cumsum(ln) - ln)
    out = np.empty(n, dtype=np.int64)
    cdef int64_t[::1] o = out
    if src.shape[0] == 0 or n == 0:
        return out
    with nogil:
        _runs_laid_out(src.shape[0], &src[0], &ln[0], &off[0], &o[0])
    return out


cdef void _runs_laid_out(
    Py_ssize_t n_runs, const int64_t* source, const int64_t* length, const int64_t* offset,
    int64_t* out
) noexcept nogil:
    cdef Py_ssize_t k
    for k in prange(n_runs, schedule="static", num_threads=_threads):
        _lay_run(source[k], length[k], offset[k], out)


cdef inline void _lay_run(int64_t s, int64_t length, int64_t o, int64_t* out) noexcept nogil:
    cdef int64_t j
    for j in range(length):
        out[o + j] = s + j


def seconds_in_order(nanoseconds, order):
    """``nanoseconds[order]`` in whole seconds (floored), int64."""
    cdef const int64_t[::1] ns = inputs.int64(nanoseconds)
    cdef const int64_t[::1] od = inputs.int64(order)
    out = np.empty(od.shape[0], dtype=np.int64)
    cdef int64_t[::1] o = out
    if od.shape[0] == 0:
        return out
    with nogil:
        _seconds_in_order(od.shape[0], &ns[0], &od[0], &o[0])
    return out


cdef void _seconds_in_order(
    Py_ssize_t n, const int64_t* ns, const int64_t* order, int64_t* out
) noexcept nogil:
    cdef Py_ssize_t i
    for i in prange(n, schedule="static", num_threads=_threads):
        out[i] = _floor_seconds(ns[order[i]])


cdef inline int64_t _floor_seconds(int64_t ns) noexcept nogil:
    """Nanoseconds to whole seconds, floored (as Python's ``//``)."""
    cdef int64_t q = ns // _NS  # C's division (cdivision): truncated toward zero
    if (ns % _NS != 0) and (ns < 0):
        q -= 1
    return q


# ---- the allocation -------------------------------------------------------------------------


cdef inline int64_t _kept(int64_t start, int64_t end, int64_t overlap) noexcept nogil:
    """Seconds a row adds to the union of its day's intervals."""
    cdef int64_t k = end - start - overlap
    return k if k > 0 else 0


def day_times(start, end, overlap, activity, bounds, n_codes):
    """Per rep-day: seconds kept per activity code (codes × days: each code's days side by
    side, as the per-day table's columns take them), seconds the rows overlap (their length
    less what they keep), and the day's last end.

    ``activity`` holds codes 0 … n_codes - 1 (a row without one adds to no code).
    """
    b = inputs.int64(bounds)
    n_days = len(b) - 1
    per_code = np.zeros((n_codes, n_days), dtype=np.int64)
    overlapped = np.zeros(n_days, dtype=np.int64)
    day_end = np.zeros(n_days, dtype=np.int64)
    if n_days > 0:
        _day_times(
            inputs.int64(start),
            inputs.int64(end),
            np.ascontiguousarray(overlap, dtype=np.int32),
            inputs.activities(activity),
            b,
            per_code,
            overlapped,
            day_end,
        )
    return per_code, overlapped, day_end


def _day_times(
    const int64_t[::1] start,
    const int64_t[::1] end,
    const int32_t[::1] overlap,
    const act_t[::1] activity,
    const int64_t[::1] bounds,
    int64_t[:, ::1] per_code,
    int64_t[::1] overlapped,
    int64_t[::1] day_end,
):
    if start.shape[0] == 0:
        return
    with nogil:
        _day_times_loop(
            bounds.shape[0] - 1, per_code.shape[1], &start[0], &end[0], &overlap[0],
            &activity[0], &bounds[0], &per_code[0, 0], &overlapped[0], &day_end[0]
        )


cdef void _day_times_loop(
    Py_ssize_t n_days, Py_ssize_t stride, const int64_t* start, const int64_t* end,
    const int32_t* overlap, const act_t* activity, const int64_t* bounds, int64_t* per_code,
    int64_t* overlapped, int64_t* day_end
) noexcept nogil:
    cdef Py_ssize_t d
    for d in prange(n_days, schedule="static", num_threads=_threads):
        _day_time(d, stride, start, end, overlap, activity, bounds, per_code, overlapped,
                  day_end)


cdef inline void _day_time(
    Py_ssize_t d, Py_ssize_t stride, const int64_t* start, const int64_t* end,
    const int32_t* overlap, const act_t* activity, const int64_t* bounds, int64_t* per_code,
    int64_t* overlapped, int64_t* day_end
) noexcept nogil:
    cdef int64_t lo = bounds[d], hi = bounds[d + 1], i, kept, last = 0, over = 0
    cdef int64_t a
    if hi > lo:
        last = end[lo]
    for i in range(lo, hi):
        kept = _kept(start[i], end[i], overlap[i])
        a = activity[i]
        if a >= 0:
            per_code[a * stride + d] += kept
        over += end[i] - start[i] - kept
        if end[i] > last:
            last = end[i]
    overlapped[d] = over
    day_end[d] = last


cdef inline bint _continues(
    int64_t i, int64_t lo, const act_t* activity, const uint8_t* customer_activity,
    int64_t no_activity, const cust_t* customer
) noexcept nogil:
    """Whether row ``i`` continues the row before it in its day: that row is customer time
    at the same customer.
    """
    cdef int64_t a
    if i <= lo:
        return False
    a = activity[i - 1]
    return customer_activity[a if a >= 0 else no_activity] and customer[i - 1] == customer[i]


cdef inline bint _is_customer(
    int64_t i, const act_t* activity, const uint8_t* customer_activity, int64_t no_activity
) noexcept nogil:
    cdef int64_t a = activity[i]
    return customer_activity[a if a >= 0 else no_activity]


def stop_counts(activity, customer_activity, customer, bounds):
    """Per rep-day: its store visits (stops), runs of consecutive customer rows at one
    customer. ``customer_activity``: per activity code whether it is customer time, then
    False for the rows without an activity (code -1).
    """
    b = inputs.int64(bounds)
    out = np.zeros(len(b) - 1, dtype=np.int64)
    if len(b) > 1:
        _stop_counts(
            inputs.activities(activity),
            inputs.flags(customer_activity),
            inputs.customers(customer),
            b,
            out,
        )
    return out


def _stop_counts(
    const act_t[::1] activity,
    const uint8_t[::1] customer_activity,
    const cust_t[::1] customer,
    const int64_t[::1] bounds,
    int64_t[::1] out,
):
    if activity.shape[0] == 0:
        return
    with nogil:
        _stop_counts_loop(
            bounds.shape[0] - 1, &activity[0], &customer_activity[0],
            customer_activity.shape[0] - 1, &customer[0], &bounds[0], &out[0]
        )


cdef void _stop_counts_loop(
    Py_ssize_t n_days, const act_t* activity, const uint8_t* customer_activity,
    int64_t no_activity, const cust_t* customer, const int64_t* bounds, int64_t* out
) noexcept nogil:
    cdef Py_ssize_t d
    for d in prange(n_days, schedule="static", num_threads=_threads):
        out[d] = _day_stops(bounds[d], bounds[d + 1], activity, customer_activity,
                            no_activity, customer)


cdef inline int64_t _day_stops(
    int64_t lo, int64_t hi, const act_t* activity, const uint8_t* customer_activity,
    int64_t no_activity, const cust_t* customer
) noexcept nogil:
    cdef int64_t count = 0, i
    for i in range(lo, hi):
        if _is_customer(i, activity, customer_activity, no_activity) and not _continues(
            i, lo, activity, customer_activity, no_activity, customer
        ):
            count += 1
    return count


def stop_times(
    start,
    end,
    overlap,
    activity,
    customer_activity,
    customer,
    bounds,
    stop_bounds,
    travel_code,
):
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
        Per stop: rep-day (int64), 1-based position in its day (int64), customer code (int32,
        int64 when given so), first
        row (position in day order), rows, start and end (nanoseconds since the epoch, int64),
        minutes kept, travel minutes before, other minutes before; per rep-day: first and
        last commute and the median of its stops' minutes (NaN without a stop).
    """
    customer = inputs.customers(customer)
    sb = inputs.int64(stop_bounds)
    b = inputs.int64(bounds)
    n_stops = int(sb[len(sb) - 1])
    n_days = len(b) - 1
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
    if n_stops > 0:
        _stop_times(
            inputs.int64(start),
            inputs.int64(end),
            np.ascontiguousarray(overlap, dtype=np.int32),
            inputs.activities(activity),
            inputs.flags(customer_activity),
            customer,
            b,
            sb,
            travel_code,
            *per_stop,
            *per_day,
        )
    return (*per_stop, *per_day)


cdef struct StopOut:
    int64_t* day
    int64_t* seq
    int64_t* first
    int64_t* rows
    int64_t* start
    int64_t* end
    double* minutes
    double* travel
    double* other
    double* first_commute
    double* last_commute
    double* median


def _stop_times(
    const int64_t[::1] start,
    const int64_t[::1] end,
    const int32_t[::1] overlap,
    const act_t[::1] activity,
    const uint8_t[::1] customer_activity,
    const cust_t[::1] customer,
    const int64_t[::1] bounds,
    const int64_t[::1] stop_bounds,
    int64_t travel_code,
    int64_t[::1] s_day,
    int64_t[::1] s_seq,
    cust_t[::1] s_customer,
    int64_t[::1] s_first,
    int64_t[::1] s_rows,
    int64_t[::1] s_start,
    int64_t[::1] s_end,
    double[::1] s_min,
    double[::1] s_travel,
    double[::1] s_other,
    double[::1] first_commute,
    double[::1] last_commute,
    double[::1] median,
):
    cdef StopOut o
    o.day, o.seq, o.first, o.rows = &s_day[0], &s_seq[0], &s_first[0], &s_rows[0]
    o.start, o.end = &s_start[0], &s_end[0]
    o.minutes, o.travel, o.other = &s_min[0], &s_travel[0], &s_other[0]
    o.first_commute, o.last_commute = &first_commute[0], &last_commute[0]
    o.median = &median[0]
    with nogil:
        _stop_times_loop(
            bounds.shape[0] - 1, &start[0], &end[0], &overlap[0], &activity[0],
            &customer_activity[0], customer_activity.shape[0] - 1, &customer[0], &bounds[0],
            &stop_bounds[0], travel_code, &s_customer[0], o
        )


cdef void _stop_times_loop(
    Py_ssize_t n_days, const int64_t* start, const int64_t* end, const int32_t* overlap,
    const act_t* activity, const uint8_t* customer_activity, int64_t no_activity,
    const cust_t* customer, const int64_t* bounds, const int64_t* stop_bounds,
    int64_t travel_code, cust_t* s_customer, StopOut o
) noexcept nogil:
    cdef Py_ssize_t d
    for d in prange(n_days, schedule="static", num_threads=_threads):
        _day_stop_times(
            d, start, end, overlap, activity, customer_activity, no_activity, customer,
            bounds, stop_bounds, travel_code, s_customer, o
        )


cdef inline void _day_stop_times(
    Py_ssize_t d, const int64_t* start, const int64_t* end, const int32_t* overlap,
    const act_t* activity, const uint8_t* customer_activity, int64_t no_activity,
    const cust_t* customer, const int64_t* bounds, const int64_t* stop_bounds,
    int64_t travel_code, cust_t* s_customer, StopOut o
) noexcept nogil:
    cdef int64_t lo = stop_bounds[d], hi = stop_bounds[d + 1]
    cdef int64_t k = lo - 1  # the current stop
    cdef int64_t travel = 0  # kept since the previous stop's last row (or the day's first row)
    cdef int64_t other = 0
    cdef int64_t kept_k = 0  # seconds the current stop keeps
    cdef int64_t end_k = 0  # its last end, seconds
    cdef int64_t i, kept, gap
    cdef int64_t first_row = bounds[d]
    for i in range(first_row, bounds[d + 1]):
        kept = _kept(start[i], end[i], overlap[i])
        if _is_customer(i, activity, customer_activity, no_activity):
            if not _continues(i, first_row, activity, customer_activity, no_activity, customer):
                if k >= lo:  # close the previous stop
                    o.minutes[k] = kept_k / 60.0
                    o.end[k] = end_k * _NS
                k += 1
                o.day[k] = d
                o.seq[k] = k - lo + 1
                s_customer[k] = customer[i]
                o.first[k] = i
                o.start[k] = start[i] * _NS
                o.travel[k] = travel * _TO_MIN
                if k == lo:  # the day's first stop
                    o.other[k] = other * _TO_MIN
                    o.first_commute[d] = travel / 60.0
                else:
                    gap = start[i] - end_k - travel - other
                    o.other[k] = (other + (gap if gap > 0 else 0)) * _TO_MIN
                travel = 0
                other = 0
                kept_k = 0
                end_k = end[i]
            elif end[i] > end_k:
                end_k = end[i]
            o.rows[k] = i - o.first[k] + 1
            kept_k += kept
        elif activity[i] == travel_code:
            travel += kept
        else:
            other += kept
    if hi > lo:
        o.minutes[k] = kept_k / 60.0
        o.end[k] = end_k * _NS
        o.last_commute[d] = travel / 60.0
        o.median[d] = _median(o.minutes + lo, hi - lo)


cdef int _compare_doubles(const void* a, const void* b) noexcept nogil:
    cdef double x = (<const double*>a)[0], y = (<const double*>b)[0]
    return (x > y) - (x < y)


cdef inline double _median(const double* values, int64_t m) noexcept nogil:
    """The median of ``values`` (``m`` > 0 of them), sorted in a copy; the mean of the two
    middle values for an even count.
    """
    cdef double few[32]
    cdef double* v = few
    cdef double x, out
    cdef int64_t i, j, mid = m // 2
    if m > 32:
        v = <double*>malloc(m * sizeof(double))
    for i in range(m):
        v[i] = values[i]
    if m > 32:
        qsort(v, m, sizeof(double), _compare_doubles)
    else:  # a day's few stops: an insertion sort, without the general sort's set-up
        for i in range(1, m):
            x = v[i]
            j = i - 1
            while j >= 0 and v[j] > x:
                v[j + 1] = v[j]
                j -= 1
            v[j + 1] = x
    out = v[mid] if m % 2 else (v[mid - 1] + v[mid]) / 2
    if m > 32:
        free(v)
    return out


# ---- the days' signatures and modes ---------------------------------------------------------


cdef uint64_t _GOLDEN = 0x9E3779B97F4A7C15
cdef uint64_t _MIX1 = 0xBF58476D1CE4E5B9
cdef uint64_t _MIX2 = 0x94D049BB133111EB


cdef inline uint64_t _mix(uint64_t x) noexcept nogil:
    """A 64-bit integer hash (the splitmix64 finaliser); wraps around on purpose."""
    x = x + _GOLDEN
    x = (x ^ (x >> 30)) * _MIX1
    x = (x ^ (x >> 27)) * _MIX2
    return x ^ (x >> 31)


def day_signatures(start, end, activity, customer, bounds, day_date):
    """Per rep-day: a 64-bit signature of its rows (clock times from the day's date in
    seconds, activity, customer and position in the day); equal days have equal signatures.

    Each row's fields are chained through a 64-bit integer hash (the splitmix64 finaliser),
    and the rows' hashes summed (wrapping).
    """
    b = inputs.int64(bounds)
    out = np.zeros(len(b) - 1, dtype=np.uint64)
    if len(b) > 1:
        _day_signatures(
            inputs.int64(start),
            inputs.int64(end),
            inputs.activities(activity),
            inputs.customers(customer),
            b,
            inputs.int64(day_date),
            out,
        )
    return out


def _day_signatures(
    const int64_t[::1] start,
    const int64_t[::1] end,
    const act_t[::1] activity,
    const cust_t[::1] customer,
    const int64_t[::1] bounds,
    const int64_t[::1] day_date,
    uint64_t[::1] out,
):
    if start.shape[0] == 0:
        return
    with nogil:
        _day_signatures_loop(
            bounds.shape[0] - 1, &start[0], &end[0], &activity[0], &customer[0], &bounds[0],
            &day_date[0], &out[0]
        )


cdef void _day_signatures_loop(
    Py_ssize_t n_days, const int64_t* start, const int64_t* end, const act_t* activity,
    const cust_t* customer, const int64_t* bounds, const int64_t* day_date, uint64_t* out
) noexcept nogil:
    cdef Py_ssize_t d
    for d in prange(n_days, schedule="static", num_threads=_threads):
        out[d] = _signature(bounds[d], bounds[d + 1], day_date[d], start, end, activity,
                            customer)


cdef inline uint64_t _signature(
    int64_t lo, int64_t hi, int64_t date, const int64_t* start, const int64_t* end,
    const act_t* activity, const cust_t* customer
) noexcept nogil:
    cdef uint64_t acc = 0, h
    cdef int64_t i
    for i in range(lo, hi):
        h = _mix(<uint64_t>(start[i] - date))
        h = _mix(h ^ <uint64_t>(end[i] - date))
        h = _mix(h ^ <uint64_t>(<int64_t>activity[i]))
        h = _mix(h ^ <uint64_t>(<int64_t>customer[i]))
        h = _mix(h ^ <uint64_t>(i - lo))
        acc += h
    return acc


def day_modes(codes, stop_bounds):
    """Per rep-day: the most frequent non-negative code among its stops (ties: the smallest;
    -1 when none has one). Codes index sorted names, so the smallest code is the first name in
    sort order.
    """
    sb = inputs.int64(stop_bounds)
    out = np.full(len(sb) - 1, -1, dtype=np.int64)
    c = inputs.int64(codes)
    if len(c) > 0 and len(sb) > 1:
        _day_modes(c, sb, out)
    return out


def _day_modes(const int64_t[::1] codes, const int64_t[::1] stop_bounds, int64_t[::1] out):
    with nogil:
        _day_modes_loop(stop_bounds.shape[0] - 1, &codes[0], &stop_bounds[0], &out[0])


cdef void _day_modes_loop(
    Py_ssize_t n_days, const int64_t* codes, const int64_t* stop_bounds, int64_t* out
) noexcept nogil:
    cdef Py_ssize_t d
    for d in prange(n_days, schedule="static", num_threads=_threads):
        out[d] = _mode(stop_bounds[d], stop_bounds[d + 1], codes)


cdef inline int64_t _mode(int64_t lo, int64_t hi, const int64_t* codes) noexcept nogil:
    cdef int64_t best = -1, best_n = 0, i, j, c, n
    for i in range(lo, hi):
        c = codes[i]
        if c < 0 or c == best:
            continue
        n = 0
        for j in range(lo, hi):
            if codes[j] == c:
                n += 1
        if n > best_n or (n == best_n and c < best):
            best = c
            best_n = n
    return best


def day_first_codes(codes, order, bounds):
    """Per rep-day: the first non-negative code of its rows in day order (-1 when none has
    one); ``codes`` in table order, ``order`` the day order.
    """
    b = inputs.int64(bounds)
    out = np.full(len(b) - 1, -1, dtype=np.int64)
    c = inputs.codes(codes)
    if len(c) > 0 and len(b) > 1:
        _day_first_codes(c, inputs.int64(order), b, out)
    return out


def _day_first_codes(
    const code_t[::1] codes,
    const int64_t[::1] order,
    const int64_t[::1] bounds,
    int64_t[::1] out,
):
    with nogil:
        _day_first_codes_loop(bounds.shape[0] - 1, &codes[0], &order[0], &bounds[0], &out[0])


cdef void _day_first_codes_loop(
    Py_ssize_t n_days, const code_t* codes, const int64_t* order, const int64_t* bounds,
    int64_t* out
) noexcept nogil:
    cdef Py_ssize_t d
    for d in prange(n_days, schedule="static", num_threads=_threads):
        out[d] = _first_code(bounds[d], bounds[d + 1], codes, order)


cdef inline int64_t _first_code(
    int64_t lo, int64_t hi, const code_t* codes, const int64_t* order
) noexcept nogil:
    cdef int64_t i, c
    for i in range(lo, hi):
        c = codes[order[i]]
        if c >= 0:
            return c
    return -1
