"""GPS tracks: stays and travel from the phone's positions, and logged visits the track contradicts.

Field-sales apps record where the rep's phone is (the ``gps`` table: one row per position).
This module turns those positions into the same activity timeline the route survey gives, and
holds the track against the visits the rep logged.

**Stays** (:func:`detect_stays`) are found with the sliding-window stay-point method of Li et
al. (2008), the ``sliding`` method of trackintel: starting from an anchor position, the window
grows while each next position lies within ``radius_m`` of the anchor; when it ends, the
positions form a stay if they span at least ``min_stay_min`` minutes, and the next anchor is the
first position outside; otherwise the anchor moves on by one position. A track is cut where
two positions are more than ``max_gap_min`` apart (a gap), and at midnight. Two refinements
make the anchor rule robust to noise: each stay then takes in the neighbouring positions
within ``radius_m`` of its *centre* (an anchor taken on the approach otherwise lets a noisy
position at the store end the stay early), and two stays at the same place (centres within
``radius_m``) less than ``min_stay_min`` apart are one stay. A stay runs from its first
position to its last.

The implementation is vectorised: every position's window end is found for all anchors at
once (one pass per position of look-ahead, over the anchors still open, so the work grows
with the positions inside stays, not with the track), and the anchors are then walked in
order stay by stay.

**The timeline** (:func:`track_timeline`): a stay whose centre lies within ``radius_m`` of a
customer's store is a ``visit`` at the nearest such customer; a stay at the rep's home or
depot (``reps.home_lat``/``home_lon``) opening or closing the day is outside the working day,
and in the middle of the day it is ``other``, as is a stay at no customer; the time between
stays is ``travel``, except the gaps, which are ``unexplained`` (never travel). Every row says
it came from the track (``source = "gps"``), so every analysis, the optimiser and the report
read it as they read a survey.

**The track against the logged visits** (:func:`track_presence`): for every logged visit, the
minutes the track covers and the minutes it shows the rep within ``checkin_radius_m`` of the
store; the audit flags the visits the track contradicts
(:func:`tts.audit.flag_checkin_not_at_store`).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._exceptions import InputError
from ._options import has_columns, instance_of
from .method import Method
from .schema import ACTIVITY_CODES
from .travel import EARTH_RADIUS_M, haversine_m

__all__ = [
    "PRESENCE_COLUMNS",
    "STAY_COLUMNS",
    "Track",
    "detect_stays",
    "track_presence",
    "track_timeline",
]

#: Columns of :func:`detect_stays`.
STAY_COLUMNS = [
    "rep_id",
    "date",
    "start",
    "end",
    "stay_min",
    "lat",
    "lon",
    "pings",
    "first_row",
]
#: Columns of :func:`track_presence`.
PRESENCE_COLUMNS = [
    "claimed_min",
    "covered_min",
    "present_min",
    "presence_share",
    "left_after_min",
    "checkin_distance_m",
]

_NS = 1_000_000_000


@dataclass(frozen=True)
class _Pings:
    """A track sorted by rep and time, as arrays, cut into segments at days and gaps."""

    frame: pd.DataFrame
    t: np.ndarray  # seconds since the epoch, float64
    x: np.ndarray  # metres east, on the segment's local plane
    y: np.ndarray  # metres north
    seg_start: np.ndarray  # for every position, the index of its segment's first
    seg_end: np.ndarray  # for every position, the index one past its segment's last
    day_start: np.ndarray  # True where a rep-day begins


def _check_positions(func: str, gps: pd.DataFrame) -> None:
    """Positions need a rep, a time and coordinates; the loader sets the others aside."""
    has_columns(func, "gps", gps, ["rep_id", "timestamp", "lat", "lon"])
    bad = gps[["rep_id", "timestamp", "lat", "lon"]].isna().any(axis=1)
    if bad.any():
        raise InputError(
            f"The 'gps' parameter of {func} has {int(bad.sum())} position(s) without a rep, a "
            f"time or coordinates (first at index {gps.index[bad.to_numpy()][0]!r}); load the "
            f"track with tts.load_dataset, which sets such rows aside, or drop them."
        )


def _local(gps: pd.DataFrame) -> pd.DataFrame:
    """Times with a time zone as the local wall-clock times they stand for."""
    ts = gps["timestamp"]
    if isinstance(ts.dtype, pd.DatetimeTZDtype):
        return gps.assign(timestamp=ts.dt.tz_localize(None))
    return gps


def _prepare(gps: pd.DataFrame, max_gap_min: float) -> _Pings:
    frame = _local(gps).sort_values(["rep_id", "timestamp"], kind="stable").reset_index(drop=True)
    n = len(frame)
    t = frame["timestamp"].to_numpy(dtype="datetime64[ns]").astype(np.int64) / _NS
    rep = pd.factorize(frame["rep_id"])[0]
    day = np.floor(frame["timestamp"].dt.normalize().to_numpy().astype(np.int64) / _NS)
    new_day = np.ones(n, dtype=bool)
    new_day[1:] = (rep[1:] != rep[:-1]) | (day[1:] != day[:-1])
    new_seg = new_day.copy()
    new_seg[1:] |= np.diff(t) > max_gap_min * 60.0
    seg = np.cumsum(new_seg) - 1
    starts = np.flatnonzero(new_seg)
    ends = np.r_[starts[1:], n]
    lat = frame["lat"].to_numpy(dtype="float64")
    lon = frame["lon"].to_numpy(dtype="float64")
    # a local equirectangular plane per rep-day: under 0.1 % off across a city
    day_id = np.cumsum(new_day) - 1
    ref = np.radians(pd.Series(lat).groupby(day_id).transform("mean").to_numpy())
    x = EARTH_RADIUS_M * np.radians(lon) * np.cos(ref)
    y = EARTH_RADIUS_M * np.radians(lat)
    return _Pings(frame, t, x, y, starts[seg], ends[seg] if n else ends, new_day)


def _window_ends(p: _Pings, radius_m: float) -> np.ndarray:
    """For every position as an anchor: the first later position of its segment farther than
    ``radius_m`` from it (or the segment's end).
    """
    ext = p.seg_end.copy()
    open_ = np.arange(len(p.t))
    r2 = radius_m * radius_m
    k = 1
    while open_.size:
        j = open_ + k
        within = j < p.seg_end[open_]
        open_, j = open_[within], j[within]
        d2 = (p.x[j] - p.x[open_]) ** 2 + (p.y[j] - p.y[open_]) ** 2
        out = d2 > r2
        ext[open_[out]] = j[out]
        open_ = open_[~out]
        k += 1
    return ext


def _walk(ext: np.ndarray, t: np.ndarray, min_stay_s: float) -> tuple[np.ndarray, np.ndarray]:
    """The anchors the sliding window visits in order, and the stays they open: ``[a, e)``."""
    candidates = np.flatnonzero(t[ext - 1] - t >= min_stay_s).tolist() if len(t) else []
    ends = ext.tolist()
    first: list[int] = []
    last: list[int] = []
    k = 0
    while k < len(candidates):
        a = candidates[k]
        first.append(a)
        last.append(ends[a])
        k = bisect.bisect_left(candidates, ends[a], lo=k + 1)
    return np.asarray(first, dtype=np.int64), np.asarray(last, dtype=np.int64)


def _centres(p: _Pings, a: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    cs_x, cs_y = np.r_[0.0, np.cumsum(p.x)], np.r_[0.0, np.cumsum(p.y)]
    return (cs_x[e] - cs_x[a]) / (e - a), (cs_y[e] - cs_y[a]) / (e - a)


def _grow(
    p: _Pings, a: np.ndarray, e: np.ndarray, radius_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Grow each stay over the neighbouring positions within ``radius_m`` of its centre.

    The window is anchored on its first position: when that is a position of the approach, a
    noisy position at the store can fall out of the window and end the stay early. Measured
    from the stay's centre instead, the store's positions all belong to it.
    """
    if not len(a):
        return a, e
    cx, cy = _centres(p, a, e)
    r2 = radius_m * radius_m
    e = e.copy()
    limit = np.minimum(np.r_[a[1:], len(p.t)], p.seg_end[a])
    open_ = np.arange(len(a))
    while open_.size:
        j = e[open_]
        open_, j = open_[j < limit[open_]], j[j < limit[open_]]
        inside = (p.x[j] - cx[open_]) ** 2 + (p.y[j] - cy[open_]) ** 2 <= r2
        open_ = open_[inside]
        e[open_] += 1
    a = a.copy()
    floor = np.maximum(np.r_[0, e[:-1]], p.seg_start[a])
    open_ = np.arange(len(a))
    while open_.size:
        j = a[open_] - 1
        open_, j = open_[j >= floor[open_]], j[j >= floor[open_]]
        inside = (p.x[j] - cx[open_]) ** 2 + (p.y[j] - cy[open_]) ** 2 <= r2
        open_ = open_[inside]
        a[open_] -= 1
    return a, e


def _stays_from(p: _Pings, a: np.ndarray, e: np.ndarray, radius_m: float, min_stay_s: float):  # type: ignore[no-untyped-def]
    """Merge stays at one place less than a minimum stay apart; centres and times."""
    if len(a):
        cx, cy = _centres(p, a, e)
        same_seg = np.r_[False, p.seg_end[a[1:]] == p.seg_end[a[:-1]]]
        near = np.r_[False, np.hypot(np.diff(cx), np.diff(cy)) <= radius_m]
        soon = np.r_[False, p.t[a[1:]] - p.t[e[:-1] - 1] < min_stay_s]
        group = np.cumsum(~(same_seg & near & soon)) - 1
        first = np.flatnonzero(np.r_[True, np.diff(group) != 0])
        a, e = a[first], np.r_[e[first[1:] - 1], e[-1]]
    return a, e


def detect_stays(
    gps: pd.DataFrame,
    *,
    radius_m: float = 100.0,
    min_stay_min: float = 5.0,
    max_gap_min: float = 10.0,
) -> pd.DataFrame:
    """Find where each rep stayed: the sliding-window stay-point method (see the module).

    Parameters
    ----------
    gps : pandas.DataFrame
        Positions: ``rep_id``, ``timestamp``, ``lat``, ``lon`` (WGS-84 degrees), optional
        ``row``.
    radius_m : float
        Largest distance of a stay's positions from its anchor, metres.
    min_stay_min : float
        Shortest stay, minutes.
    max_gap_min : float
        Positions further apart than this cut the track (no stay spans a gap), minutes.

    Returns
    -------
    pandas.DataFrame
        One row per stay, in rep and time order: ``rep_id``, ``date``, ``start`` and ``end``
        (times of its first and last position), ``stay_min`` (minutes), ``lat``, ``lon``
        (centre, degrees), ``pings`` (positions), ``first_row`` (the gps table row of its
        first position).

    Examples
    --------
    Ten minutes at one place (a ping a minute), then a drive away:

    >>> t0 = pd.Timestamp("2026-03-02 09:00")
    >>> g = pd.DataFrame({"rep_id": "r1",
    ...     "timestamp": [t0 + pd.Timedelta(minutes=m) for m in range(14)],
    ...     "lat": [34.75] * 11 + [34.755, 34.76, 34.765], "lon": 113.65})
    >>> detect_stays(g)[["start", "end", "stay_min", "pings"]].astype(str).values.tolist()
    [['2026-03-02 09:00:00', '2026-03-02 09:10:00', '10.0', '11']]
    """
    _check_positions("detect_stays", gps)
    p = _prepare(gps, max_gap_min)
    a, e = _detect(p, radius_m, min_stay_min)
    return _stay_frame(p, a, e)


def _detect(p: _Pings, radius_m: float, min_stay_min: float) -> tuple[np.ndarray, np.ndarray]:
    min_stay_s = min_stay_min * 60.0
    ext = _window_ends(p, radius_m)
    a, e = _walk(ext, p.t, min_stay_s)
    a, e = _grow(p, a, e, radius_m)
    return _stays_from(p, a, e, radius_m, min_stay_s)


def _stay_frame(p: _Pings, a: np.ndarray, e: np.ndarray) -> pd.DataFrame:
    f = p.frame
    lat = f["lat"].to_numpy(dtype="float64")
    lon = f["lon"].to_numpy(dtype="float64")
    cs_lat, cs_lon = np.r_[0.0, np.cumsum(lat)], np.r_[0.0, np.cumsum(lon)]
    n = e - a
    ts = f["timestamp"].to_numpy(dtype="datetime64[ns]")
    start, end = ts[a], ts[e - 1] if len(e) else ts[:0]
    rows = f["row"].to_numpy() if "row" in f else np.arange(1, len(f) + 1)
    return pd.DataFrame(
        {
            "rep_id": f["rep_id"].to_numpy()[a],
            "date": pd.DatetimeIndex(start).normalize(),
            "start": start,
            "end": end,
            "stay_min": (end - start) / np.timedelta64(1, "s") / 60.0,
            "lat": (cs_lat[e] - cs_lat[a]) / np.maximum(n, 1),
            "lon": (cs_lon[e] - cs_lon[a]) / np.maximum(n, 1),
            "pings": n.astype("int64"),
            "first_row": rows[a].astype("int64"),
        },
        columns=STAY_COLUMNS,
    ).astype({"rep_id": "str"})


@dataclass(frozen=True)
class Track:
    """The day's timeline rebuilt from the phones' positions.

    Attributes
    ----------
    stays : pandas.DataFrame
        One row per stay (:data:`STAY_COLUMNS`), plus ``place`` (``customer``, ``home`` or
        ``other``), ``customer_id`` (the nearest customer within the stay radius) and
        ``distance_m`` (from the stay's centre to that store, metres).
    activities : pandas.DataFrame
        Canonical activities: ``rep_id``, ``date``, ``start``, ``end``, ``activity``
        (``visit``, ``travel``, ``other``, ``unexplained``), ``customer_id``, ``route_id``,
        ``row`` (the gps row of a stay's first position) and ``source`` (``gps``).
    pings : int
        Positions read.
    """

    stays: pd.DataFrame
    activities: pd.DataFrame
    pings: int

    def to_frame(self) -> pd.DataFrame:
        """The activities."""
        return self.activities.copy()

    def _totals(self) -> dict[str, float]:
        a = self.activities
        minutes = (a["end"] - a["start"]).dt.total_seconds() / 60.0
        by = minutes.groupby(a["activity"].astype(str)).sum()
        return {k: float(by.get(k, 0.0)) for k in ("visit", "travel", "other", "unexplained")}

    def __repr__(self) -> str:
        days = self.activities[["rep_id", "date"]].drop_duplicates().shape[0]
        visits = int((self.stays["place"] == "customer").sum())
        return (
            f"Track({self.pings} positions, {days} rep-days, {len(self.stays)} stays, "
            f"{visits} at customers)"
        )

    def _repr_html_(self) -> str:
        tot = self._totals()
        days = max(self.activities[["rep_id", "date"]].drop_duplicates().shape[0], 1)
        head = (
            f"<p><b>GPS track</b>: {self.pings:,} positions, {len(self.stays):,} stays "
            f"({int((self.stays['place'] == 'customer').sum()):,} at customers). Per rep-day: "
            + ", ".join(f"{k} {v / days:.0f} min" for k, v in tot.items())
            + "</p>"
        )
        preview = self.stays.head(20).round({"stay_min": 1, "distance_m": 0})
        return (
            f"<div>{head}<details><summary>Stays (first 20)</summary>"
            f"{preview.to_html(index=False, escape=True)}</details></div>"
        )


def _nearest(
    lat: np.ndarray, lon: np.ndarray, plat: np.ndarray, plon: np.ndarray, radius_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest point (plat, plon) within ``radius_m`` of each (lat, lon); -1 if
    none, and its distance in metres.
    """
    from scipy.spatial import cKDTree

    def unit(la: np.ndarray, lo: np.ndarray) -> np.ndarray:
        la, lo = np.radians(la), np.radians(lo)
        return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])

    idx = np.full(len(lat), -1, dtype=np.int64)
    dist = np.full(len(lat), np.nan)
    ok = np.isfinite(plat) & np.isfinite(plon)
    if not ok.any() or not len(lat):
        return idx, dist
    where = np.flatnonzero(ok)
    chord = 2.0 * np.sin(radius_m / (2.0 * EARTH_RADIUS_M))
    _, j = cKDTree(unit(plat[ok], plon[ok])).query(unit(lat, lon), distance_upper_bound=chord)
    found = j < len(where)
    idx[found] = where[j[found]]
    dist[found] = haversine_m(lat[found], lon[found], plat[idx[found]], plon[idx[found]])
    return idx, dist


def _classify(
    stays: pd.DataFrame,
    customers: pd.DataFrame | None,
    reps: pd.DataFrame | None,
    radius_m: float,
) -> pd.DataFrame:
    lat, lon = stays["lat"].to_numpy(), stays["lon"].to_numpy()
    place = np.full(len(stays), "other", dtype=object)
    customer = pd.Series(np.nan, index=stays.index, dtype="str")
    distance = np.full(len(stays), np.nan)
    if reps is not None and {"home_lat", "home_lon"} <= set(reps.columns):
        home = reps.drop_duplicates("rep_id").set_index("rep_id")[["home_lat", "home_lon"]]
        h = home.reindex(stays["rep_id"])
        d = haversine_m(lat, lon, h["home_lat"].to_numpy(float), h["home_lon"].to_numpy(float))
        place[d <= radius_m] = "home"
    if customers is not None and {"lat", "lon"} <= set(customers.columns) and len(stays):
        c = customers.drop_duplicates("customer_id")
        j, d = _nearest(lat, lon, c["lat"].to_numpy(float), c["lon"].to_numpy(float), radius_m)
        at = j >= 0
        place[at] = "customer"  # a store wins over home: the rep is working there
        ids = c["customer_id"].astype("str").to_numpy()
        customer[at] = ids[j[at]]
        distance = d
    return stays.assign(place=place, customer_id=customer, distance_m=distance)


def track_timeline(
    gps: pd.DataFrame,
    customers: pd.DataFrame | None = None,
    reps: pd.DataFrame | None = None,
    *,
    method: Method | None = None,
) -> Track:
    """Rebuild each rep-day's activity timeline from the phones' positions.

    Parameters
    ----------
    gps : pandas.DataFrame
        Positions: ``rep_id``, ``timestamp``, ``lat``, ``lon`` (WGS-84 degrees), optional
        ``row``.
    customers : pandas.DataFrame, optional
        Canonical customers with ``lat``, ``lon`` (degrees): stays near a store are visits.
    reps : pandas.DataFrame, optional
        Canonical reps with ``home_lat``, ``home_lon`` (degrees): stays there opening or
        closing the day are outside it.
    method : Method, optional
        ``gps_stay_radius_m`` (metres), ``gps_min_stay_min`` and ``gps_max_gap_min``
        (minutes); default ``Method()``.

    Returns
    -------
    Track

    Examples
    --------
    A drive, a ten-minute stop at store c1, a drive on:

    >>> t0 = pd.Timestamp("2026-03-02 09:00")
    >>> lat = [34.74, 34.745] + [34.75] * 11 + [34.755, 34.76]
    >>> g = pd.DataFrame({"rep_id": "r1", "lat": lat, "lon": 113.65,
    ...     "timestamp": [t0 + pd.Timedelta(minutes=m) for m in range(15)]})
    >>> c = pd.DataFrame({"customer_id": ["c1"], "lat": [34.7501], "lon": [113.65]})
    >>> a = track_timeline(g, c).activities
    >>> a[["activity", "customer_id", "start", "end"]].astype(str).values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['travel', nan, '2026-03-02 09:00:00', '2026-03-02 09:02:00'],
     ['visit', 'c1', '2026-03-02 09:02:00', '2026-03-02 09:12:00'],
     ['travel', nan, '2026-03-02 09:12:00', '2026-03-02 09:14:00']]
    """
    _check_positions("track_timeline", gps)
    instance_of("track_timeline", "customers", customers, (pd.DataFrame, type(None)))
    instance_of("track_timeline", "reps", reps, (pd.DataFrame, type(None)))
    instance_of("track_timeline", "method", method, (Method, type(None)))
    m = method or Method()
    p = _prepare(gps, m.gps_max_gap_min)
    a, e = _detect(p, m.gps_stay_radius_m, m.gps_min_stay_min)
    stays = _classify(_stay_frame(p, a, e), customers, reps, m.gps_stay_radius_m)
    activities = _timeline(p, a, e, stays, customers, m.gps_max_gap_min)
    return Track(stays, activities, len(p.t))


def _timeline(
    p: _Pings,
    a: np.ndarray,
    e: np.ndarray,
    stays: pd.DataFrame,
    customers: pd.DataFrame | None,
    max_gap_min: float,
) -> pd.DataFrame:
    """Label every interval between consecutive positions of a rep-day, then join runs."""
    n = len(p.t)
    stay_of = np.full(n, -1, dtype=np.int64)
    if len(a):
        stay_of[np.repeat(a, e - a) + _ranges(e - a)] = np.repeat(np.arange(len(a)), e - a)
    # interval i runs from position i to i + 1, within one rep-day
    i = np.flatnonzero(~p.day_start[1:]) if n else np.zeros(0, dtype=np.int64)
    gap = (p.t[i + 1] - p.t[i]) > max_gap_min * 60.0
    in_stay = (stay_of[i] >= 0) & (stay_of[i] == stay_of[i + 1]) & ~gap
    key = np.where(in_stay, stay_of[i], np.where(gap, -2, -1))
    day = (np.cumsum(p.day_start) - 1)[i]
    new_run = np.r_[True, (key[1:] != key[:-1]) | (day[1:] != day[:-1])] if len(i) else i
    first = np.flatnonzero(new_run)
    last = np.r_[first[1:], len(i)][: len(first)] - 1
    run_key, start_pos, end_pos = key[first], i[first], i[last] + 1
    ts = p.frame["timestamp"].to_numpy(dtype="datetime64[ns]")
    s = stays
    stay_idx = np.where(run_key >= 0, run_key, 0)
    is_stay = run_key >= 0
    place = np.where(is_stay, s["place"].to_numpy()[stay_idx] if len(s) else "", "")
    activity = np.where(
        run_key == -2,
        "unexplained",
        np.where(~is_stay, "travel", np.where(place == "customer", "visit", "other")),
    )
    customer = (
        np.where(is_stay & (place == "customer"), s["customer_id"].to_numpy()[stay_idx], None)
        if len(s)
        else np.full(len(run_key), None)
    )
    rows = s["first_row"].to_numpy()[stay_idx] if len(s) else np.zeros(len(run_key), np.int64)
    out = pd.DataFrame(
        {
            "rep_id": p.frame["rep_id"].to_numpy()[start_pos],
            "date": pd.DatetimeIndex(ts[start_pos]).normalize(),
            "start": ts[start_pos],
            "end": ts[end_pos],
            "activity": activity,
            "customer_id": pd.array(customer, dtype="str"),
            "row": pd.Series(np.where(is_stay, rows, 0), dtype="Int64").where(is_stay),
            "home": place == "home",
        }
    )
    out = _trim_home(out)
    if customers is not None and "route_id" in customers:
        route = customers.drop_duplicates("customer_id").set_index("customer_id")["route_id"]
        out["route_id"] = out["customer_id"].map(route).astype("str")
    else:
        out["route_id"] = pd.Series(np.nan, index=out.index, dtype="str")
    out["activity"] = pd.Categorical(out["activity"], categories=list(ACTIVITY_CODES))
    out["rep_id"] = out["rep_id"].astype("str")
    out["source"] = pd.Categorical(["gps"] * len(out), categories=["gps"])
    cols = ["rep_id", "date", "start", "end", "activity", "customer_id", "route_id", "row"]
    return out[[*cols, "source"]].reset_index(drop=True)


def _ranges(lengths: np.ndarray) -> np.ndarray:
    """``0 .. n-1`` for every ``n`` of ``lengths``, concatenated."""
    total = int(lengths.sum())
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.arange(total) - starts


def _trim_home(out: pd.DataFrame) -> pd.DataFrame:
    """Drop the stays at home or depot that open or close a rep-day: the day starts when
    the rep leaves and ends when the rep is back.
    """
    if out.empty:
        return out.drop(columns="home")
    day = out.groupby(["rep_id", "date"], sort=False).ngroup().to_numpy()
    first = np.r_[True, day[1:] != day[:-1]]
    last = np.r_[day[1:] != day[:-1], True]
    home = out["home"].to_numpy()
    return out[~(home & (first | last))].drop(columns="home")


def track_presence(
    stops: pd.DataFrame,
    gps: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    radius_m: float = 300.0,
    max_gap_min: float = 10.0,
) -> pd.DataFrame:
    """For each logged visit: the minutes the track covers and shows the rep at the store.

    Each position stands for the time until the next one (at most ``max_gap_min``): a visit's
    *covered* minutes are the part of it those intervals cover, its *present* minutes the part
    covered by positions within ``radius_m`` of the store.

    Parameters
    ----------
    stops : pandas.DataFrame
        Logged store visits: ``rep_id``, ``customer_id``, ``start``, ``end`` (e.g.
        ``TimeAllocation.stops``).
    gps : pandas.DataFrame
        Positions: ``rep_id``, ``timestamp``, ``lat``, ``lon`` (WGS-84 degrees).
    customers : pandas.DataFrame
        Canonical customers with ``lat``, ``lon`` (degrees).
    radius_m : float
        A position this close to the store is at the store, metres.
    max_gap_min : float
        Longest time one position stands for, minutes.

    Returns
    -------
    pandas.DataFrame
        Index of ``stops``; ``claimed_min`` (minutes logged), ``covered_min``, ``present_min``
        (minutes), ``presence_share`` (present ÷ claimed, 0–1; NaN for a 0-minute visit),
        ``left_after_min`` (minutes from the check-in to the end of the last position at the
        store; 0 if never there), ``checkin_distance_m`` (the position at the check-in from
        the store, metres; NaN without one).

    Examples
    --------
    A 20-minute visit; the phone stays 3 minutes, then drives off:

    >>> t0 = pd.Timestamp("2026-03-02 09:00")
    >>> g = pd.DataFrame({"rep_id": "r1", "lon": 113.65,
    ...     "timestamp": [t0 + pd.Timedelta(minutes=m) for m in range(21)],
    ...     "lat": [34.75] * 3 + [34.75 + 0.005 * k for k in range(1, 19)]})
    >>> s = pd.DataFrame({"rep_id": ["r1"], "customer_id": ["c1"], "start": [t0],
    ...     "end": [t0 + pd.Timedelta(minutes=20)]})
    >>> c = pd.DataFrame({"customer_id": ["c1"], "lat": [34.75], "lon": [113.65]})
    >>> track_presence(s, g, c)[["claimed_min", "covered_min", "present_min"]].values.tolist()
    [[20.0, 20.0, 3.0]]
    """
    has_columns("track_presence", "stops", stops, ["rep_id", "customer_id", "start", "end"])
    _check_positions("track_presence", gps)
    has_columns("track_presence", "customers", customers, ["customer_id", "lat", "lon"])
    g = _local(gps).sort_values(["rep_id", "timestamp"], kind="stable")
    reps = pd.Index(pd.unique(pd.concat([g["rep_id"], stops["rep_id"]]).astype("str")))
    g_rep = reps.get_indexer(g["rep_id"].astype("str"))
    t = g["timestamp"].to_numpy(dtype="datetime64[ns]").astype(np.int64) // _NS
    span = 10**11  # seconds: one rep's block on a single sorted axis
    key = g_rep.astype(np.int64) * span + t
    nxt = np.r_[t[1:], t[-1:]] if len(t) else t
    same_rep = np.r_[g_rep[1:] == g_rep[:-1], False] if len(t) else np.zeros(0, bool)
    until = np.where(same_rep, np.minimum(nxt, t + max_gap_min * 60.0), t).astype(np.float64)

    s_rep = reps.get_indexer(stops["rep_id"].astype("str")).astype(np.int64)
    s0 = stops["start"].to_numpy(dtype="datetime64[ns]").astype(np.int64) / _NS
    s1 = stops["end"].to_numpy(dtype="datetime64[ns]").astype(np.int64) / _NS
    lo = np.searchsorted(key, s_rep * span + np.floor(s0).astype(np.int64), side="right") - 1
    lo = np.maximum(lo, 0)
    hi = np.searchsorted(key, s_rep * span + np.ceil(s1).astype(np.int64), side="left")
    hi = np.maximum(hi, lo)
    count = hi - lo
    visit = np.repeat(np.arange(len(stops)), count)
    ping = np.repeat(lo, count) + _ranges(count)
    own = g_rep[ping] == s_rep[visit] if len(ping) else np.zeros(0, bool)
    visit, ping = visit[own], ping[own]

    coords = customers.drop_duplicates("customer_id").set_index("customer_id")[["lat", "lon"]]
    store = coords.reindex(stops["customer_id"].astype("str"))
    d = haversine_m(
        g["lat"].to_numpy(float)[ping],
        g["lon"].to_numpy(float)[ping],
        store["lat"].to_numpy(float)[visit],
        store["lon"].to_numpy(float)[visit],
    )
    overlap = np.clip(np.minimum(until[ping], s1[visit]) - np.maximum(t[ping], s0[visit]), 0, None)
    inside = d <= radius_m
    n = len(stops)
    covered = np.bincount(visit, weights=overlap, minlength=n) / 60.0
    present = np.bincount(visit, weights=overlap * inside, minlength=n) / 60.0
    reach = np.where(inside & (overlap > 0), np.minimum(until[ping], s1[visit]) - s0[visit], 0.0)
    left_after = np.zeros(n)
    np.maximum.at(left_after, visit, reach / 60.0)
    # the position that covers the check-in instant: the first pair of each visit
    at_checkin = np.full(n, np.nan)
    covers = (t[ping] <= s0[visit]) & (until[ping] >= s0[visit])
    at_checkin[visit[covers]] = d[covers]
    claimed = (s1 - s0) / 60.0
    share = np.divide(present, claimed, out=np.full(n, np.nan), where=claimed > 0)
    return pd.DataFrame(
        {
            "claimed_min": claimed,
            "covered_min": covered,
            "present_min": present,
            "presence_share": share,
            "left_after_min": left_after,
            "checkin_distance_m": at_checkin,
        },
        index=stops.index,
    )
