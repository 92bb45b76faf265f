"""The legs of a rep-day's route: stops in day order, where the day starts and ends, the distance
between consecutive stops, the drive of the logged order and the time outside the route.

Each quantity is computed here once for every analysis that needs it (the audit's speed check,
route performance, the route optimiser, the weekly planner):

- a **rep-day** is one rep on one calendar day (:func:`tts.rep_days.rep_day_key`);
- a **leg** joins two consecutive stops of a rep-day, or the day's start and its first stop,
  or its last stop and the day's end;
- the day **starts and ends** at the rep's home (``reps.home_lat``/``home_lon``), else at an
  origin the caller gives (the weekly planner's route centre), else at the first and last
  logged stores (the commute is then unknown and counted as zero);
- the **logged drive** is the drive time of the legs in the logged order, in the travel
  model's integer seconds per leg, as the route optimiser's matrices hold them;
- the **time outside the route** is the part of the working day before the first store visit
  begins and after the last one ends (meeting, admin, commutes …).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._frames import positions
from .rep_days import day_starts, rep_day_key
from .stop_codes import StopCodes
from .time_use import TimeAllocation
from .travel import TravelMatrix, TravelModel, TravelSource, haversine_m

__all__ = [
    "DayPoints",
    "day_points",
    "home_positions",
    "leg_distances_m",
    "logged_drive",
    "outside_route_min",
    "same_day_as_previous",
    "stop_coordinates",
]


def stop_coordinates(
    stops: pd.DataFrame, customers: pd.DataFrame | None, *, codes: StopCodes | None = None
) -> np.ndarray:
    """Latitude and longitude (degrees) of each stop's customer; NaN where unknown.

    With ``codes`` that describe ``stops`` (``TimeAllocation.codes``), they are looked up by
    the stops' customer codes, once per customers table.

    Returns
    -------
    numpy.ndarray
        Shape (len(stops), 2); read-only when it comes from ``codes``.
    """
    if codes is not None and codes.describes(stops):
        return codes.coordinates(customers)
    out = np.full((len(stops), 2), np.nan)
    if customers is None or not {"lat", "lon"} <= set(customers.columns):
        return out
    cust = customers.drop_duplicates("customer_id").set_index("customer_id")
    where = positions(stops["customer_id"], cust.index)
    xy = cust[["lat", "lon"]].to_numpy(float)
    known = where >= 0
    out[known] = xy[where[known]]
    return out


def same_day_as_previous(stops: pd.DataFrame, *, codes: StopCodes | None = None) -> np.ndarray:
    """For stops in day order: True where a stop follows another stop of its rep-day.

    With ``codes`` that describe ``stops``, from their rep-day codes.

    >>> d = pd.to_datetime(["2026-03-02"] * 3)
    >>> s = pd.DataFrame({"rep_id": ["a", "a", "b"], "date": d})
    >>> same_day_as_previous(s).tolist()
    [False, True, False]
    """
    if stops.empty:
        return np.zeros(0, dtype=bool)
    if codes is not None and codes.describes(stops):
        return codes.same_day_as_previous()
    key = rep_day_key(stops["rep_id"], stops["date"])[0]
    return ~day_starts(key)


def leg_distances_m(
    stops: pd.DataFrame, customers: pd.DataFrame | None, *, codes: StopCodes | None = None
) -> np.ndarray:
    """Great-circle distance from the previous stop of the same rep-day, metres.

    NaN for a day's first stop and where a coordinate is unknown. With ``codes`` that
    describe ``stops`` (``TimeAllocation.codes``), computed once per customers table and
    returned read-only.

    Examples
    --------
    >>> s = pd.DataFrame({"rep_id": ["a", "a"], "date": pd.to_datetime(["2026-03-02"] * 2),
    ...                   "customer_id": ["c1", "c2"]})
    >>> c = pd.DataFrame({"customer_id": ["c1", "c2"], "lat": [34.75, 34.76],
    ...                   "lon": [113.65, 113.65]})
    >>> np.round(leg_distances_m(s, c)).tolist()
    [nan, 1112.0]
    """
    if codes is not None and codes.describes(stops):
        return codes.leg_distances_m(customers)
    xy = stop_coordinates(stops, customers)
    if len(xy) == 0:
        return np.zeros(0)
    d = haversine_m(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])
    return np.r_[np.nan, np.where(same_day_as_previous(stops)[1:], d, np.nan)]


def outside_route_min(time: TimeAllocation) -> pd.Series:
    """Per rep-day: the working day outside its store route, minutes.

    The route runs from the start of the first store visit to the end of the last one; the
    rest of the day (meeting, admin, the commutes, a lunch before the first call) is outside
    it. A day without a store visit is outside its route all day.

    Returns
    -------
    pandas.Series
        Minutes, on the index of ``time.per_day``.
    """
    per_day = time.per_day
    s = time.stops
    span = pd.Series(0.0, index=per_day.index)
    if len(s):
        visits = per_day["visits"].to_numpy()
        first = np.r_[0, np.cumsum(visits)[:-1]]
        has = visits > 0
        start = s["start"].to_numpy()[first[has]]
        end = s["end"].to_numpy()[(first + visits - 1)[has]]
        span[has] = (end - start) / np.timedelta64(1, "m")
    return per_day["total_min"] - span


@dataclass(frozen=True)
class DayPoints:
    """The points of one rep-day's route in logged order: start, stores, end.

    Attributes
    ----------
    ids : list of str
        The start's id (the rep's id at a home or origin, else the first store's), the
        stores' customer ids, the end's id.
    lat, lon : numpy.ndarray
        Coordinates of the same points, degrees (NaN with a travel matrix, which needs none).
    start : str
        ``home``, ``origin`` or ``first stop``.
    note : str
        Why the day cannot be routed (a store without coordinates …); empty when it can.
    """

    ids: list[str]
    lat: np.ndarray
    lon: np.ndarray
    start: str
    note: str = ""


def home_positions(reps: pd.DataFrame | None) -> pd.DataFrame | None:
    """The reps with a home: ``home_lat``, ``home_lon`` (degrees) indexed by ``rep_id``."""
    if reps is None or not {"home_lat", "home_lon"} <= set(reps.columns):
        return None
    homes = reps.drop_duplicates("rep_id").dropna(subset=["home_lat", "home_lon"])
    return homes.set_index("rep_id")[["home_lat", "home_lon"]] if len(homes) else None


def day_points(
    rep_id: str,
    customer_ids: list[str],
    coords: np.ndarray,
    *,
    home: tuple[float, float] | None,
    origin: tuple[float, float] | None = None,
    travel: TravelSource | None = None,
) -> DayPoints:
    """Where a rep-day's route starts and ends, and its points in logged order.

    Parameters
    ----------
    rep_id : str
        The rep.
    customer_ids : list of str
        The day's stores in logged order.
    coords : numpy.ndarray
        Their latitude and longitude, degrees, shape (n, 2).
    home : tuple of float, optional
        The rep's home (lat, lon), degrees.
    origin : tuple of float, optional
        Where the day starts and ends when the rep has no home, degrees.
    travel : TravelSource, optional
        With a :class:`~tts.travel.TravelMatrix`, the points are its ids (the rep's id stands
        for the home when the matrix has it) and coordinates are not needed.

    Returns
    -------
    DayPoints
    """
    ids = [str(c) for c in customer_ids]
    if isinstance(travel, TravelMatrix):
        known = set(travel.ids)
        absent = [x for x in ids if x not in known]
        nan = np.full(len(ids) + 2, np.nan)
        if absent:
            return DayPoints(
                [], nan, nan, "", f"{len(absent)} stop(s) missing from the travel matrix"
            )
        if rep_id in known:
            return DayPoints([rep_id, *ids, rep_id], nan, nan, "home")
        return DayPoints([ids[0], *ids, ids[-1]], nan, nan, "first stop")
    lat, lon = coords[:, 0], coords[:, 1]
    missing = np.isnan(lat) | np.isnan(lon)
    if missing.any():
        nan = np.full(len(ids) + 2, np.nan)
        return DayPoints([], nan, nan, "", f"{int(missing.sum())} stop(s) without coordinates")
    ends = home if home is not None else origin
    if ends is not None:
        kind = "home" if home is not None else "origin"
        return DayPoints(
            [rep_id, *ids, rep_id], np.r_[ends[0], lat, ends[0]], np.r_[ends[1], lon, ends[1]], kind
        )
    return DayPoints(
        [ids[0], *ids, ids[-1]], np.r_[lat[0], lat, lat[-1]], np.r_[lon[0], lon, lon[-1]],
        "first stop",
    )  # fmt: skip


def logged_drive(
    time: TimeAllocation,
    customers: pd.DataFrame | None,
    *,
    reps: pd.DataFrame | None = None,
    travel: TravelSource | None = None,
    origins: Mapping[str, tuple[float, float]] | None = None,
    factors: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """The drive of every rep-day's logged order, from its start through its stores to its end.

    Parameters
    ----------
    time : TimeAllocation
        From :func:`tts.time_use.allocate_time`.
    customers : pandas.DataFrame, optional
        Canonical customers with ``lat``, ``lon`` (degrees).
    reps : pandas.DataFrame, optional
        Canonical reps with ``home_lat``, ``home_lon`` (degrees): the days' start and end.
    travel : TravelSource, optional
        Default ``TravelModel()``. A model is computed for every leg at once; a matrix or an
        OSRM service is asked day by day.
    origins : mapping, optional
        Rep id → (lat, lon), degrees: where a rep without a home starts and ends.
    factors : mapping, optional
        Rep id → calibration factor multiplying the rep's drive times (see
        :mod:`tts.calibration`); default 1. Each leg is scaled before it is rounded to whole
        seconds, as the optimiser's matrices are.

    Returns
    -------
    pandas.DataFrame
        One row per rep-day with a store visit: ``rep_id``, ``date``, ``stops``, ``start``
        (``home``, ``origin`` or ``first stop``), ``drive_s`` (seconds) and ``distance_m``
        (metres), NaN with a ``note`` where the day cannot be routed.
    """
    travel = travel or TravelModel()
    per_day = time.per_day
    stops = time.stops
    days = per_day[per_day["visits"] > 0]
    visits = days["visits"].to_numpy()
    codes = time.stop_codes
    xy = stop_coordinates(stops, customers, codes=codes)
    homes = home_positions(reps)
    origins = origins or {}
    rep_ids = days["rep_id"].astype(str).to_numpy()
    ends = np.full((len(days), 2), np.nan)
    start = np.full(len(days), "first stop", dtype=object)
    for i, rep in enumerate(rep_ids):  # one lookup per rep-day, not per row
        if homes is not None and rep in homes.index:
            ends[i] = homes.loc[rep].to_numpy(float)
            start[i] = "home"
        elif rep in origins:
            ends[i] = origins[rep]
            start[i] = "origin"
    out = pd.DataFrame(
        {
            "rep_id": days["rep_id"].to_numpy(),
            "date": days["date"].to_numpy(),
            "stops": visits,
            "start": start,
        }
    )
    day_factor = np.array([float((factors or {}).get(r, 1.0)) for r in rep_ids])
    if days.empty:  # no store visit: no day to drive
        return out.assign(drive_s=pd.Series(dtype=float), distance_m=pd.Series(dtype=float),
                          note=pd.Series(dtype=object))  # fmt: skip
    if isinstance(travel, TravelModel):
        first = np.r_[0, np.cumsum(visits)[:-1]]
        last = first + visits - 1
        between = leg_distances_m(stops, customers, codes=codes)
        between = np.where(same_day_as_previous(stops, codes=codes), between, 0.0)
        fixed = start != "first stop"
        to_first = np.where(
            fixed, haversine_m(ends[:, 0], ends[:, 1], xy[first, 0], xy[first, 1]), 0.0
        )
        from_last = np.where(
            fixed, haversine_m(xy[last, 0], xy[last, 1], ends[:, 0], ends[:, 1]), 0.0
        )
        day_of = np.cumsum(per_day["visits"].to_numpy() > 0)[time.stop_day] - 1
        fac = travel.factor * day_factor  # the calibrated model's factor, per rep-day

        def seconds_of(distance: np.ndarray, f: np.ndarray) -> np.ndarray:
            # as TravelModel.minutes with the calibrated factor, so legs round as in a matrix
            return _rint(travel.road_m(distance) / (travel.speed_kmh * 1000.0 / 60.0) * f * 60.0)

        seconds = seconds_of(between, fac[day_of])
        metres = _rint(travel.road_m(between))
        out["drive_s"] = (
            np.bincount(day_of, weights=seconds, minlength=len(days))
            + seconds_of(to_first, fac)
            + seconds_of(from_last, fac)
        )
        out["distance_m"] = (
            np.bincount(day_of, weights=metres, minlength=len(days))
            + _rint(travel.road_m(to_first))
            + _rint(travel.road_m(from_last))
        )
        unknown = np.bincount(day_of, weights=np.isnan(xy).any(axis=1), minlength=len(days))
        out.loc[unknown > 0, ["drive_s", "distance_m"]] = np.nan
        out["note"] = np.where(unknown > 0, "stop(s) without coordinates", "")
        return out
    drive, dist, notes = [], [], []
    first = 0
    for i, n in enumerate(visits):
        part = slice(first, first + int(n))
        first += int(n)
        home = tuple(ends[i]) if start[i] == "home" else None
        origin = tuple(ends[i]) if start[i] == "origin" else None
        pts = day_points(
            rep_ids[i],
            list(stops["customer_id"].iloc[part]),
            xy[part],
            home=home,  # type: ignore[arg-type]
            origin=origin,  # type: ignore[arg-type]
            travel=travel,
        )
        if pts.note:
            drive.append(np.nan)
            dist.append(np.nan)
            notes.append(pts.note)
            continue
        dur, m = travel.matrix(pts.ids, pts.lat, pts.lon)
        dur = np.rint(dur * day_factor[i]) if day_factor[i] != 1.0 else dur
        k = np.arange(len(pts.ids) - 1)
        drive.append(float(dur[k, k + 1].sum()))
        dist.append(float(m[k, k + 1].sum()))
        notes.append("")
    return out.assign(drive_s=drive, distance_m=dist, note=notes)


def _rint(x: np.ndarray) -> np.ndarray:
    """Whole seconds or metres per leg, as the travel matrices round them (NaN kept)."""
    return np.rint(np.asarray(x, dtype=float))
