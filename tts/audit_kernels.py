"""The data audit's per-row checks, compiled: one pass over the stops or the rep-days each.

Written as numpy expressions the speed check and the round-number check made some ten passes
and as many temporary arrays over millions of rows; here each is one loop compiled by numba,
shared between the cores. Every kernel repeats, operation for operation, the numpy formula it
replaces (same operands, same order, no fused or reordered arithmetic), so that its results
are the same to the last bit. Outputs as long as the stops are allocated by numpy (which asks
the kernel for huge pages) and filled by the compiled loop.

Times are datetime64[ns] read as int64 (``NAT``: not a time). Rows in day order come with
``bounds``: the position of each rep-day's first row, then the number of rows.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

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

#: An odd 64-bit constant (2**64 / golden ratio) spreading the row counts over the hash.
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)

#: numpy's ``np.radians`` factor (``x * (pi / 180)``).
_DEG2RAD = np.pi / 180.0


def haversine_legs(
    phi: np.ndarray,
    cos_phi: np.ndarray,
    lon: np.ndarray,
    customer: np.ndarray,
    same_day: np.ndarray,
    radius_m: float,
) -> np.ndarray:
    """Per stop: great-circle distance from the previous stop, metres; NaN for a stop that
    opens its rep-day (``same_day`` False) and where a coordinate is unknown.

    Per customer code, with one more (NaN) entry last for code -1: ``phi`` the latitude in
    radians (``np.radians``), ``cos_phi`` its cosine, ``lon`` the longitude in degrees. The
    formula is :func:`tts.travel.haversine_m`'s, operation for operation.
    """
    out = np.empty(len(customer), dtype=np.float64)  # numpy's allocation: huge pages
    _haversine_legs(phi, cos_phi, lon, customer, same_day, radius_m, out)
    return out


@njit(cache=True, parallel=True)
def _haversine_legs(
    phi: np.ndarray,
    cos_phi: np.ndarray,
    lon: np.ndarray,
    customer: np.ndarray,
    same_day: np.ndarray,
    radius_m: float,
    out: np.ndarray,
) -> None:
    n = len(customer)
    last = len(phi) - 1
    for i in prange(n):
        if i == 0 or not same_day[i]:
            out[i] = np.nan
            continue
        c1, c2 = customer[i - 1], customer[i]
        if c1 < 0:
            c1 = last
        if c2 < 0:
            c2 = last
        s1 = np.sin((phi[c2] - phi[c1]) / 2)
        s2 = np.sin((lon[c2] - lon[c1]) * _DEG2RAD / 2)
        a = s1 * s1 + cos_phi[c1] * cos_phi[c2] * (s2 * s2)
        if a < 0.0:  # np.clip(a, 0, 1); NaN stays NaN
            a = 0.0
        elif a > 1.0:
            a = 1.0
        out[i] = 2 * radius_m * np.arcsin(np.sqrt(a))


def impossible_speed(
    dist: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    same_day: np.ndarray,
    hour: float,
    max_speed_kmh: float,
    min_distance_m: float,
) -> np.ndarray:
    """Per stop: reached from the previous one farther than ``min_distance_m`` and faster than
    ``max_speed_kmh`` (or with no time between); as :func:`tts.audit.flag_impossible_speed`.
    ``start``, ``end`` are datetime64 read as int64, ``hour`` an hour in their unit.
    """
    out = np.zeros(len(dist), dtype=np.bool_)  # numpy's allocation: huge pages
    _impossible_speed(dist, start, end, same_day, hour, max_speed_kmh, min_distance_m, out)
    return out


@njit(cache=True, parallel=True)
def _impossible_speed(
    dist: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    same_day: np.ndarray,
    hour: float,
    max_speed_kmh: float,
    min_distance_m: float,
    out: np.ndarray,
) -> None:
    n = len(dist)
    for i in prange(1, n):
        if not same_day[i]:
            continue
        s, e = start[i], end[i - 1]
        gap_h = np.nan if s == NAT or e == NAT else np.float64(s - e) / hour
        d = dist[i]
        out[i] = d > min_distance_m and (gap_h <= 0 or d / 1000.0 > max_speed_kmh * gap_h)


@njit(cache=True)
def _whole(s: np.int64, e: np.int64, step: int) -> bool:
    """Whether ``e - s`` (ns) is a positive multiple of ``step`` whole seconds (truncated
    to whole seconds as numpy's floor division does; never with a NaT).
    """
    if s == NAT or e == NAT:
        return False
    seconds = (e - s) // 1_000_000_000
    return bool(seconds > 0 and seconds % step == 0)


@njit(cache=True, parallel=True)
def round_counts(
    start: np.ndarray, end: np.ndarray, order: np.ndarray, bounds: np.ndarray, step: int
) -> np.ndarray:
    """Per rep-day: how many of its rows last a positive multiple of ``step`` seconds
    (``start``, ``end`` in table order, ``order`` the day order).
    """
    n_days = len(bounds) - 1
    out = np.zeros(n_days, dtype=np.int64)
    for d in prange(n_days):
        k = 0
        for j in range(bounds[d], bounds[d + 1]):
            i = order[j]
            if _whole(start[i], end[i], step):
                k += 1
        out[d] = k
    return out


@njit(cache=True, parallel=True)
def heaped_rows(
    start: np.ndarray,
    end: np.ndarray,
    order: np.ndarray,
    bounds: np.ndarray,
    day_flagged: np.ndarray,
    step: int,
    mask: np.ndarray,
) -> None:
    """Set ``mask`` (table order) True on the round rows (see :func:`round_counts`) of the
    rep-days where ``day_flagged``.
    """
    for d in prange(len(bounds) - 1):
        if not day_flagged[d]:
            continue
        for j in range(bounds[d], bounds[d + 1]):
            i = order[j]
            if _whole(start[i], end[i], step):
                mask[i] = True


@njit(cache=True)
def copied_flags(rep: np.ndarray, sig: np.ndarray, n: np.ndarray, by: np.ndarray) -> np.ndarray:
    """Per rep-day: True when an earlier day (by ``date``, then position) of the same rep has
    the same signature and row count. ``by`` sorts the days by rep, signature, count, date
    and position (a stable lexicographic sort).
    """
    out = np.zeros(len(by), dtype=np.bool_)
    for j in range(1, len(by)):
        a, b = by[j - 1], by[j]
        out[b] = rep[a] == rep[b] and sig[a] == sig[b] and n[a] == n[b]
    return out


@njit(cache=True, parallel=True)
def repeated_days(rep_bounds: np.ndarray, sig: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Per rep-day: True when an earlier day of its segment (``rep_bounds``: where each
    rep's days begin, then the number of days) has the same signature and row count; a hash
    table per rep, the days read once in order.
    """
    out = np.zeros(len(sig), dtype=np.bool_)
    for r in prange(len(rep_bounds) - 1):
        lo, hi = rep_bounds[r], rep_bounds[r + 1]
        size = 1
        while size < 2 * (hi - lo):
            size *= 2
        table = np.full(size, -1, dtype=np.int64)
        for d in range(lo, hi):
            h = (sig[d] ^ (np.uint64(n[d]) * _GOLDEN)) & np.uint64(size - 1)
            slot = np.int64(h)
            while True:
                e = table[slot]
                if e < 0:
                    table[slot] = d
                    break
                if sig[e] == sig[d] and n[e] == n[d]:
                    out[d] = True
                    break
                slot = (slot + 1) & (size - 1)
    return out


@njit(cache=True, parallel=True)
def day_rows(
    mask: np.ndarray,
    every: bool,
    order: np.ndarray,
    bounds: np.ndarray,
    days: np.ndarray,
    offsets: np.ndarray,
) -> np.ndarray:
    """The table positions of the rows of ``days`` where ``mask`` (table order) holds, or
    of all their rows with ``every``: the days one after the other, as ``offsets`` (length
    days + 1) places them, each day's positions in ascending (table) order.
    """
    out = np.empty(offsets[-1], dtype=np.int64)
    for k in prange(len(days)):
        d = days[k]
        lo = offsets[k]
        w = lo
        for j in range(bounds[d], bounds[d + 1]):
            i = order[j]
            if every or mask[i]:
                out[w] = i
                w += 1
        if w - lo > 1:
            out[lo:w] = np.sort(out[lo:w])
    return out
