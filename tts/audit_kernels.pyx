# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
# cython: cdivision=True
"""The data audit's per-row checks, compiled: one pass over the stops or the rep-days each.

Written as numpy expressions the speed check and the round-number check made some ten passes
and as many temporary arrays over millions of rows; here each is one C loop (Cython, compiled
when the package is installed), shared between the cores by OpenMP (one core in a forked
child: :mod:`tts._threads`). Every kernel repeats,
operation for operation, the numpy formula it replaces (same operands, same order, no fused
or reordered arithmetic), so that its results are the same to the last bit. Outputs are
allocated by numpy and filled by the loop.

Times are datetime64[ns] read as int64 (``NAT``: not a time). Rows in day order come with
``bounds``: the position of each rep-day's first row, then the number of rows (int64).
"""

import numpy as np

from . import _kernel_inputs as inputs
from ._threads import follow_threads

from cython.parallel cimport prange
from libc.math cimport NAN, asin, isnan, sin, sqrt
from libc.stdint cimport INT64_MIN, int32_t, int64_t, uint8_t, uint64_t
from libc.stdlib cimport free, malloc, qsort

#: Threads of the parallel loops; one in a forked child (see :mod:`tts._threads`).
cdef int _threads = 1


def _set_threads(int n) -> None:
    global _threads
    _threads = n


follow_threads(_set_threads)

__all__ = [
    "NAT",
    "copied_flags",
    "day_rows",
    "haversine_legs",
    "heaped_rows",
    "impossible_speed",
    "repeated_days",
    "round_counts",
]

#: numpy's not-a-time, as int64.
NAT = np.iinfo(np.int64).min
cdef int64_t _NAT = INT64_MIN

#: An odd 64-bit constant (2**64 / golden ratio) spreading the row counts over the hash.
cdef uint64_t _GOLDEN = 0x9E3779B97F4A7C15

#: numpy's ``np.radians`` factor (``x * (pi / 180)``).
cdef double _DEG2RAD = np.pi / 180.0

ctypedef fused code_t:
    int32_t
    int64_t


# ---- legs and speed -------------------------------------------------------------------------


def haversine_legs(phi, cos_phi, lon, customer, same_day, double radius_m):
    """Per stop: great-circle distance from the previous stop, metres; NaN for a stop that
    opens its rep-day (``same_day`` False) and where a coordinate is unknown.

    Per customer code, with one more (NaN) entry last for code -1: ``phi`` the latitude in
    radians (``np.radians``), ``cos_phi`` its cosine, ``lon`` the longitude in degrees. The
    formula is :func:`tts.travel.haversine_m`'s, operation for operation.
    """
    c = inputs.customers(customer)
    out = np.empty(len(c), dtype=np.float64)
    if len(c):
        _haversine_legs(
            inputs.float64(phi),
            inputs.float64(cos_phi),
            inputs.float64(lon),
            c,
            inputs.flags(same_day),
            radius_m,
            out,
        )
    return out


def _haversine_legs(
    const double[::1] phi,
    const double[::1] cos_phi,
    const double[::1] lon,
    const code_t[::1] customer,
    const uint8_t[::1] same_day,
    double radius_m,
    double[::1] out,
):
    with nogil:
        _haversine_loop(
            customer.shape[0], phi.shape[0] - 1, &phi[0], &cos_phi[0], &lon[0], &customer[0],
            &same_day[0], radius_m, &out[0]
        )


cdef void _haversine_loop(
    Py_ssize_t n, int64_t last, const double* phi, const double* cos_phi, const double* lon,
    const code_t* customer, const uint8_t* same_day, double radius_m, double* out
) noexcept nogil:
    cdef Py_ssize_t i
    for i in prange(n, schedule="static", num_threads=_threads):
        if i == 0 or not same_day[i]:
            out[i] = NAN
        else:
            out[i] = _leg(customer[i - 1], customer[i], last, phi, cos_phi, lon, radius_m)


cdef inline double _leg(
    int64_t c1, int64_t c2, int64_t last, const double* phi, const double* cos_phi,
    const double* lon, double radius_m
) noexcept nogil:
    cdef double s1, s2, a
    if c1 < 0:
        c1 = last
    if c2 < 0:
        c2 = last
    s1 = sin((phi[c2] - phi[c1]) / 2)
    s2 = sin((lon[c2] - lon[c1]) * _DEG2RAD / 2)
    a = s1 * s1 + cos_phi[c1] * cos_phi[c2] * (s2 * s2)
    if a < 0.0:  # np.clip(a, 0, 1); NaN stays NaN
        a = 0.0
    elif a > 1.0:
        a = 1.0
    return 2 * radius_m * asin(sqrt(a))


def impossible_speed(
    dist, start, end, same_day, double hour, double max_speed_kmh, double min_distance_m
):
    """Per stop: reached from the previous one farther than ``min_distance_m`` and faster than
    ``max_speed_kmh`` (or with no time between); as :func:`tts.audit.flag_impossible_speed`.
    ``start``, ``end`` are datetime64 read as int64, ``hour`` an hour in their unit.
    """
    d = inputs.float64(dist)
    out = np.zeros(len(d), dtype=np.bool_)
    if len(d) > 1:
        _impossible_speed(
            d,
            inputs.int64(start),
            inputs.int64(end),
            inputs.flags(same_day),
            hour,
            max_speed_kmh,
            min_distance_m,
            out.view(np.uint8),
        )
    return out


def _impossible_speed(
    const double[::1] dist,
    const int64_t[::1] start,
    const int64_t[::1] end,
    const uint8_t[::1] same_day,
    double hour,
    double max_speed_kmh,
    double min_distance_m,
    uint8_t[::1] out,
):
    with nogil:
        _speed_loop(
            dist.shape[0], &dist[0], &start[0], &end[0], &same_day[0], hour, max_speed_kmh,
            min_distance_m, &out[0]
        )


cdef void _speed_loop(
    Py_ssize_t n, const double* dist, const int64_t* start, const int64_t* end,
    const uint8_t* same_day, double hour, double max_speed_kmh, double min_distance_m,
    uint8_t* out
) noexcept nogil:
    cdef Py_ssize_t i
    for i in prange(1, n, schedule="static", num_threads=_threads):
        if same_day[i]:
            out[i] = _too_fast(dist[i], start[i], end[i - 1], hour, max_speed_kmh,
                               min_distance_m)


cdef inline bint _too_fast(
    double d, int64_t s, int64_t e, double hour, double max_speed_kmh, double min_distance_m
) noexcept nogil:
    cdef double gap_h = NAN if s == _NAT or e == _NAT else <double>(s - e) / hour
    return d > min_distance_m and (gap_h <= 0 or d / 1000.0 > max_speed_kmh * gap_h)


# ---- round numbers --------------------------------------------------------------------------


cdef inline bint _whole(int64_t s, int64_t e, int64_t step) noexcept nogil:
    """Whether ``e - s`` (ns) is a positive multiple of ``step`` whole seconds (truncated
    to whole seconds; a negative span is never one; never with a NaT).
    """
    cdef int64_t seconds
    if s == _NAT or e == _NAT:
        return False
    seconds = (e - s) // 1_000_000_000
    return seconds > 0 and seconds % step == 0


def round_counts(start, end, order, bounds, step):
    """Per rep-day: how many of its rows last a positive multiple of ``step`` seconds
    (``start``, ``end`` in table order, ``order`` the day order).
    """
    cdef int64_t step_s = inputs.seconds_step(step)  # C's % by 0 would stop the process
    cdef const int64_t[::1] s = inputs.int64(start)
    cdef const int64_t[::1] e = inputs.int64(end)
    cdef const int64_t[::1] od = inputs.int64(order)
    cdef const int64_t[::1] b = inputs.int64(bounds)
    out = np.zeros(b.shape[0] - 1, dtype=np.int64)
    cdef int64_t[::1] o = out
    if s.shape[0] and b.shape[0] > 1:
        with nogil:
            _round_loop(b.shape[0] - 1, &s[0], &e[0], &od[0], &b[0], step_s, &o[0])
    return out


cdef void _round_loop(
    Py_ssize_t n_days, const int64_t* start, const int64_t* end, const int64_t* order,
    const int64_t* bounds, int64_t step, int64_t* out
) noexcept nogil:
    cdef Py_ssize_t d
    for d in prange(n_days, schedule="static", num_threads=_threads):
        out[d] = _round_rows(bounds[d], bounds[d + 1], start, end, order, step)


cdef inline int64_t _round_rows(
    int64_t lo, int64_t hi, const int64_t* start, const int64_t* end, const int64_t* order,
    int64_t step
) noexcept nogil:
    cdef int64_t k = 0, j, i
    for j in range(lo, hi):
        i = order[j]
        if _whole(start[i], end[i], step):
            k += 1
    return k


def heaped_rows(start, end, order, bounds, day_flagged, step, mask):
    """Set ``mask`` (table order, bool) True on the round rows (see :func:`round_counts`) of
    the rep-days where ``day_flagged``.
    """
    cdef int64_t step_s = inputs.seconds_step(step)  # C's % by 0 would stop the process
    cdef const int64_t[::1] s = inputs.int64(start)
    cdef const int64_t[::1] e = inputs.int64(end)
    cdef const int64_t[::1] od = inputs.int64(order)
    cdef const int64_t[::1] b = inputs.int64(bounds)
    cdef const uint8_t[::1] f = inputs.flags(day_flagged)
    cdef uint8_t[::1] m = mask.view(np.uint8)
    if s.shape[0] and b.shape[0] > 1:
        with nogil:
            _heaped_loop(b.shape[0] - 1, &s[0], &e[0], &od[0], &b[0], &f[0], step_s, &m[0])


cdef void _heaped_loop(
    Py_ssize_t n_days, const int64_t* start, const int64_t* end, const int64_t* order,
    const int64_t* bounds, const uint8_t* flagged, int64_t step, uint8_t* mask
) noexcept nogil:
    cdef Py_ssize_t d
    for d in prange(n_days, schedule="static", num_threads=_threads):
        if flagged[d]:
            _mark_round(bounds[d], bounds[d + 1], start, end, order, step, mask)


cdef inline void _mark_round(
    int64_t lo, int64_t hi, const int64_t* start, const int64_t* end, const int64_t* order,
    int64_t step, uint8_t* mask
) noexcept nogil:
    cdef int64_t j, i
    for j in range(lo, hi):
        i = order[j]
        if _whole(start[i], end[i], step):
            mask[i] = 1


# ---- copied days ----------------------------------------------------------------------------


def copied_flags(rep, sig, n, by):
    """Per rep-day: True when an earlier day (by ``date``, then position) of the same rep has
    the same signature and row count. ``by`` sorts the days by rep, signature, count, date
    and position (a stable lexicographic sort).
    """
    cdef const int64_t[::1] r = inputs.int64(rep)
    cdef const uint64_t[::1] sg = np.ascontiguousarray(sig, dtype=np.uint64)
    cdef const int64_t[::1] nn = inputs.int64(n)
    cdef const int64_t[::1] b = inputs.int64(by)
    out = np.zeros(b.shape[0], dtype=np.bool_)
    cdef uint8_t[::1] o = out.view(np.uint8)
    cdef Py_ssize_t j
    cdef int64_t x, y
    for j in range(1, b.shape[0]):
        x = b[j - 1]
        y = b[j]
        o[y] = r[x] == r[y] and sg[x] == sg[y] and nn[x] == nn[y]
    return out


def repeated_days(rep_bounds, sig, n):
    """Per rep-day: True when an earlier day of its segment (``rep_bounds``: where each
    rep's days begin, then the number of days) has the same signature and row count; a hash
    table per rep, the days read once in order.
    """
    cdef const int64_t[::1] rb = inputs.int64(rep_bounds)
    cdef const uint64_t[::1] sg = np.ascontiguousarray(sig, dtype=np.uint64)
    cdef const int64_t[::1] nn = inputs.int64(n)
    out = np.zeros(sg.shape[0], dtype=np.bool_)
    cdef uint8_t[::1] o = out.view(np.uint8)
    if sg.shape[0] and rb.shape[0] > 1:
        with nogil:
            _repeated_loop(rb.shape[0] - 1, &rb[0], &sg[0], &nn[0], &o[0])
    return out


cdef void _repeated_loop(
    Py_ssize_t n_reps, const int64_t* rep_bounds, const uint64_t* sig, const int64_t* n,
    uint8_t* out
) noexcept nogil:
    cdef Py_ssize_t r
    for r in prange(n_reps, schedule="dynamic", num_threads=_threads):
        _repeated_in(rep_bounds[r], rep_bounds[r + 1], sig, n, out)


cdef inline void _repeated_in(
    int64_t lo, int64_t hi, const uint64_t* sig, const int64_t* n, uint8_t* out
) noexcept nogil:
    cdef int64_t size = 1, d, slot, e
    cdef uint64_t h
    cdef int64_t* table
    while size < 2 * (hi - lo):
        size *= 2
    table = <int64_t*>malloc(size * sizeof(int64_t))
    for d in range(size):
        table[d] = -1
    for d in range(lo, hi):
        h = (sig[d] ^ (<uint64_t>n[d] * _GOLDEN)) & <uint64_t>(size - 1)
        slot = <int64_t>h
        while True:
            e = table[slot]
            if e < 0:
                table[slot] = d
                break
            if sig[e] == sig[d] and n[e] == n[d]:
                out[d] = 1
                break
            slot = (slot + 1) & (size - 1)
    free(table)


# ---- the rows of flagged days ---------------------------------------------------------------


def day_rows(mask, every, order, bounds, days, offsets):
    """The table positions of the rows of ``days`` where ``mask`` (table order) holds, or
    of all their rows with ``every``: the days one after the other, as ``offsets`` (length
    days + 1) places them, each day's positions in ascending (table) order.
    """
    cdef const uint8_t[::1] m = inputs.flags(mask)
    cdef const int64_t[::1] od = inputs.int64(order)
    cdef const int64_t[::1] b = inputs.int64(bounds)
    cdef const int64_t[::1] ds = inputs.int64(days)
    cdef const int64_t[::1] off = inputs.int64(offsets)
    out = np.empty(off[off.shape[0] - 1], dtype=np.int64)
    cdef int64_t[::1] o = out
    cdef bint all_rows = bool(every)
    if ds.shape[0] and o.shape[0]:
        with nogil:
            _day_rows_loop(ds.shape[0], &m[0], all_rows, &od[0], &b[0], &ds[0], &off[0], &o[0])
    return out


cdef void _day_rows_loop(
    Py_ssize_t n_days, const uint8_t* mask, bint every, const int64_t* order,
    const int64_t* bounds, const int64_t* days, const int64_t* offsets, int64_t* out
) noexcept nogil:
    cdef Py_ssize_t k
    for k in prange(n_days, schedule="static", num_threads=_threads):
        _rows_of_day(bounds[days[k]], bounds[days[k] + 1], offsets[k], mask, every, order, out)


cdef int _compare_int64(const void* a, const void* b) noexcept nogil:
    cdef int64_t x = (<const int64_t*>a)[0], y = (<const int64_t*>b)[0]
    return (x > y) - (x < y)


cdef inline void _rows_of_day(
    int64_t lo, int64_t hi, int64_t w0, const uint8_t* mask, bint every, const int64_t* order,
    int64_t* out
) noexcept nogil:
    cdef int64_t w = w0, j, i
    for j in range(lo, hi):
        i = order[j]
        if every or mask[i]:
            out[w] = i
            w += 1
    if w - w0 > 1:
        qsort(out + w0, w - w0, sizeof(int64_t), _compare_int64)
