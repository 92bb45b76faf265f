"""Weekly planner: which customers a route visits on which weekday, then in what order.

For each route:

1. **Patterns.** A customer with *f* visits a week (``visits_per_week``, 1 when missing) may take
   any set of *f* weekdays whose smallest gap between visits, round the week, is the largest
   possible: twice a week on six days is Mon/Thu, Tue/Fri or Wed/Sat.
2. **Assignment.** Customers visited once a week are split into as many sectors, by bearing from
   the rep's start point, as there are weekdays, each sector carrying about the same visit time,
   so each day covers one part of the territory. Customers visited more often take, in turn,
   the pattern whose days carry the least visit time so far.
3. **Sequencing.** Each day is re-sequenced by :func:`tts.optimize.solve_day` from and back to
   the rep's home (or the route's centre), with opening hours.
4. **Balance.** While a day's route is longer than the working-day limit allows and another day
   has room, its once-a-week customer farthest from the day's centre moves to the day with the
   most room, and both days are sequenced again.

The plan is compared with the logged weeks: the drive time of the logged visit orders (same
travel model), per week on average, against the plan's.
"""

from __future__ import annotations

import html
import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from ._exceptions import InputError
from .io import Dataset
from .optimize import DayRoute, evaluate_order, solve_day
from .standards import Standards
from .time_use import TimeAllocation, allocate_time
from .travel import TravelModel, travel_matrix

__all__ = ["WeekPlan", "plan_week", "visit_patterns"]

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def visit_patterns(visits_per_week: int, weekdays: int = 6) -> list[tuple[int, ...]]:
    """The evenly spaced sets of weekdays for a visit frequency.

    Examples
    --------
    >>> visit_patterns(2)
    [(0, 3), (1, 4), (2, 5)]
    >>> visit_patterns(3)
    [(0, 2, 4), (1, 3, 5)]
    >>> len(visit_patterns(1)), visit_patterns(6)
    (6, [(0, 1, 2, 3, 4, 5)])
    """
    f = int(min(max(visits_per_week, 1), weekdays))
    best: list[tuple[int, ...]] = []
    best_gap = -1
    for combo in itertools.combinations(range(weekdays), f):
        gaps = [(combo[(k + 1) % f] - combo[k]) % weekdays or weekdays for k in range(f)]
        gap = min(gaps)
        if gap > best_gap:
            best, best_gap = [combo], gap
        elif gap == best_gap:
            best.append(combo)
    return best


@dataclass(frozen=True)
class WeekPlan:
    """A planned week per route.

    Attributes
    ----------
    assignments : pandas.DataFrame
        Per customer: ``route_id``, ``customer_id``, ``visits_per_week``, ``weekdays`` (e.g.
        ``Mon/Thu``).
    days : pandas.DataFrame
        Per route and weekday: ``route_id``, ``rep_id``, ``weekday``, ``stops``,
        ``service_min``, ``travel_min``, ``km``, ``span_min`` (start to return, waits
        included), ``limit_min``, ``dropped``.
    visits : pandas.DataFrame
        Per planned visit: ``route_id``, ``weekday``, ``seq``, ``customer_id``,
        ``arrival`` (time of day).
    routes : pandas.DataFrame
        Per route: ``logged_travel_min_per_week`` (logged orders, mean over the weeks
        surveyed), ``planned_travel_min_per_week``, ``freed_min_per_week`` and
        ``freed_min_per_day`` (drive minutes the plan gives back to customers).
    """

    assignments: pd.DataFrame
    days: pd.DataFrame
    visits: pd.DataFrame
    routes: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The planned visits."""
        return self.visits.copy()

    def __repr__(self) -> str:
        r = self.routes
        return (
            f"WeekPlan({len(r)} routes; drive {r['logged_travel_min_per_week'].sum():.0f} "
            f"-> {r['planned_travel_min_per_week'].sum():.0f} min a week)"
        )

    def _repr_html_(self) -> str:
        return (
            f"<div><p><b>Weekly plan</b>: {html.escape(repr(self))}</p>"
            f"{self.routes.round(1).to_html(index=False, escape=True)}</div>"
        )


def _bearing(lat: np.ndarray, lon: np.ndarray, origin: tuple[float, float]) -> np.ndarray:
    return np.arctan2(lat - origin[0], (lon - origin[1]) * np.cos(np.radians(origin[0])))


def _sectors(angle: np.ndarray, load: np.ndarray, n: int) -> np.ndarray:
    """Split points into ``n`` contiguous bearing sectors of about equal load."""
    if len(angle) == 0:
        return np.zeros(0, dtype=int)
    gap_start = np.argmax(np.diff(np.sort(np.r_[angle, angle.min() + 2 * np.pi])))
    cut = np.sort(angle)[(gap_start + 1) % len(angle)]  # start after the widest empty bearing
    order = np.argsort((angle - cut) % (2 * np.pi), kind="stable")
    cum = np.cumsum(load[order]) - load[order] / 2
    sector = np.minimum((cum / max(load.sum(), 1e-9) * n).astype(int), n - 1)
    out = np.empty(len(angle), dtype=int)
    out[order] = sector
    return out


@dataclass(frozen=True)
class _Route:
    """What sequencing one route's days needs: stores, start point, hours, limits."""

    lat: np.ndarray
    lon: np.ndarray
    origin: tuple[float, float]
    service: np.ndarray
    open_s: np.ndarray
    close_s: np.ndarray
    travel: TravelModel
    limit: int
    solution_limit: int

    def sequence(self, idx: list[int]) -> DayRoute | None:
        """Sequence one planned day's stores (``idx``) from and back to the start point."""
        if not idx:
            return None
        la = np.r_[self.origin[0], self.lat[idx], self.origin[0]]
        lo = np.r_[self.origin[1], self.lon[idx], self.origin[1]]
        dur, dist = travel_matrix(la, lo, self.travel)
        depart = int(max(self.open_s[idx].min() - dur[0, 1:-1].max(), 6 * 3600))
        return solve_day(
            dur,
            dist,
            service_s=self.service[idx],
            open_s=self.open_s[idx],
            close_s=self.close_s[idx],
            depart_s=depart,
            max_span_s=self.limit,
            solution_limit=self.solution_limit,
        )


def plan_week(
    ds: Dataset,
    *,
    standards: Standards | None = None,
    travel: TravelModel | None = None,
    weekdays: int = 6,
    solution_limit: int = 200,
    max_moves: int = 20,
    progress: bool = False,
    time: TimeAllocation | None = None,
) -> WeekPlan:
    """Assign each route's customers to weekdays, then sequence each day.

    Parameters
    ----------
    ds : Dataset
        Needs customers with ``route_id`` and coordinates; activities for the logged weeks,
        visit times and the rep of each route.
    standards : Standards, optional
        Working-day limit and standard visit time; default ``Standards.default()``.
    travel : TravelModel, optional
        Drive-time model; default ``TravelModel()``.
    weekdays : int
        Working days a week (6: Monday to Saturday).
    solution_limit : int
        Solutions searched per planned day.
    max_moves : int
        Most balancing moves per route.
    progress : bool
        Show a progress bar over the routes.
    time : TimeAllocation, optional
        Reuse an allocation already computed for ``ds``.

    Returns
    -------
    WeekPlan
    """
    if ds.customers is None:
        raise InputError("plan_week needs the customers table (route_id, lat, lon).")
    if not 1 <= weekdays <= 7:
        raise InputError(f"The 'weekdays' parameter of plan_week must be 1 to 7; got {weekdays}.")
    standards = standards or Standards.default()
    travel = travel or TravelModel()
    time = time or allocate_time(ds.activities, standards=standards, reps=ds.reps)
    stops = time.stops
    visit_s = stops.groupby("customer_id")["visit_min"].mean() * 60
    default_visit_s = float(np.mean(standards.visit_min)) * 60
    cust = ds.customers.dropna(subset=["lat", "lon", "route_id"]).drop_duplicates("customer_id")
    assignments, day_rows, visit_rows, route_rows = [], [], [], []
    routes = sorted(cust["route_id"].unique())
    for route in tqdm(routes, desc="planning", unit="route", disable=not progress):
        c = cust[cust["route_id"] == route].reset_index(drop=True)
        lat, lon = c["lat"].to_numpy(float), c["lon"].to_numpy(float)
        rep, origin, logged = _route_context(ds, time, route, c, lat, lon, travel)
        service = c["customer_id"].map(visit_s).fillna(default_visit_s).round().to_numpy(np.int64)
        open_s = _seconds(c, "open_time", 0)
        close_s = _seconds(c, "close_time", 24 * 3600)
        freq = (
            c["visits_per_week"].fillna(1).clip(1, weekdays).astype(int).to_numpy()
            if ("visits_per_week" in c)
            else np.ones(len(c), dtype=int)
        )
        limit = int(standards.day_max_min * 60 - _non_route_s(time, rep))
        route_data = _Route(
            lat, lon, origin, service, open_s, close_s, travel, limit, solution_limit
        )
        days = _assign(freq, service, _bearing(lat, lon, origin), weekdays)
        routed = {d: route_data.sequence(days[d]) for d in range(weekdays)}
        routed = _balance(days, routed, freq, route_data, max_moves)
        planned_travel = 0.0
        for d in range(weekdays):
            r, idx = routed[d], days[d]
            travel_min = r.travel_s / 60 if r else 0.0
            planned_travel += travel_min
            day_rows.append(
                {
                    "route_id": route,
                    "rep_id": rep,
                    "weekday": WEEKDAY_NAMES[d],
                    "stops": len(r.order) if r else 0,
                    "service_min": float(service[idx].sum() / 60) if idx else 0.0,
                    "travel_min": travel_min,
                    "km": r.distance_m / 1000 if r else 0.0,
                    "span_min": r.span_s / 60 if r else 0.0,
                    "limit_min": limit / 60,
                    "dropped": len(r.dropped) if r else 0,
                }
            )
            if r:
                for k, (stop, arrive) in enumerate(zip(r.order, r.arrival_s, strict=True)):
                    visit_rows.append(
                        {
                            "route_id": route,
                            "weekday": WEEKDAY_NAMES[d],
                            "seq": k + 1,
                            "customer_id": c.at[idx[stop], "customer_id"],
                            "arrival": pd.Timedelta(seconds=int(arrive)),
                        }
                    )
        on = {i: [WEEKDAY_NAMES[d] for d in range(weekdays) if i in days[d]] for i in range(len(c))}
        assignments += [
            {
                "route_id": route,
                "customer_id": c.at[i, "customer_id"],
                "visits_per_week": int(freq[i]),
                "weekdays": "/".join(on[i]),
            }
            for i in range(len(c))
        ]
        route_rows.append(
            {
                "route_id": route,
                "rep_id": rep,
                "logged_travel_min_per_week": logged,
                "planned_travel_min_per_week": planned_travel,
                "freed_min_per_week": logged - planned_travel if not np.isnan(logged) else np.nan,
                "freed_min_per_day": (logged - planned_travel) / weekdays
                if not np.isnan(logged)
                else np.nan,
            }
        )
    return WeekPlan(
        pd.DataFrame(assignments),
        pd.DataFrame(day_rows),
        pd.DataFrame(visit_rows),
        pd.DataFrame(route_rows),
    )


def _seconds(c: pd.DataFrame, column: str, default: int) -> np.ndarray:
    if column not in c:
        return np.full(len(c), default, dtype=np.int64)
    return c[column].dt.total_seconds().fillna(default).to_numpy().astype(np.int64)


def _non_route_s(time: TimeAllocation, rep: object) -> float:
    """Mean time of the rep's day outside the store route (meeting, admin, lunch …), seconds."""
    d = time.per_day[time.per_day["rep_id"] == rep]
    s = time.stops[time.stops["rep_id"] == rep]
    if d.empty or s.empty:
        return 0.0
    span = s.groupby("date").agg(a=("start", "min"), b=("end", "max"))
    route = (span["b"] - span["a"]).dt.total_seconds()
    total = d.set_index("date")["total_min"] * 60
    return float((total - route.reindex(total.index).fillna(0)).mean())


def _route_context(ds, time, route, c, lat, lon, travel):  # type: ignore[no-untyped-def]
    """The route's rep, start point, and logged drive minutes per week."""
    stops = time.stops[time.stops["customer_id"].isin(c["customer_id"])]
    rep = stops["rep_id"].mode().iloc[0] if len(stops) else None
    origin = (float(lat.mean()), float(lon.mean())) if len(lat) else (0.0, 0.0)
    if rep is not None and ds.reps is not None and {"home_lat", "home_lon"} <= set(ds.reps):
        home = ds.reps[ds.reps["rep_id"] == rep][["home_lat", "home_lon"]].dropna()
        if len(home):
            origin = (float(home.iloc[0, 0]), float(home.iloc[0, 1]))
    if rep is None:
        return rep, origin, np.nan
    coords = c.set_index("customer_id")[["lat", "lon"]]
    total = 0.0
    mine = stops[stops["rep_id"] == rep]
    for _, day in mine.groupby("date"):
        xy = coords.reindex(day["customer_id"]).to_numpy(float)
        if np.isnan(xy).any():
            continue
        dur, dist = travel_matrix(
            np.r_[origin[0], xy[:, 0], origin[0]], np.r_[origin[1], xy[:, 1], origin[1]], travel
        )
        n = len(day)
        zeros = np.zeros(n + 2, dtype=np.int64)
        far = np.full(n + 2, 10**9, dtype=np.int64)
        total += evaluate_order(np.arange(n), dur, dist, zeros, zeros, far, 0).travel_s / 60
    weeks = max(mine["date"].dt.to_period("W").nunique(), 1)
    return rep, origin, total / weeks


def _assign(
    freq: np.ndarray, service: np.ndarray, angle: np.ndarray, weekdays: int
) -> dict[int, list[int]]:
    days: dict[int, list[int]] = {d: [] for d in range(weekdays)}
    load = np.zeros(weekdays)
    once = np.flatnonzero(freq == 1)
    sector = _sectors(angle[once], service[once].astype(float), weekdays)
    for i, d in zip(once, sector, strict=True):
        days[int(d)].append(int(i))
        load[d] += service[i]
    many = np.flatnonzero(freq > 1)
    for i in many[np.lexsort((angle[many], -freq[many]))]:
        pattern = min(visit_patterns(int(freq[i]), weekdays), key=lambda p: load[list(p)].sum())
        for d in pattern:
            days[d].append(int(i))
            load[d] += service[i]
    return days


def _balance(
    days: dict[int, list[int]],
    routed: dict[int, DayRoute | None],
    freq: np.ndarray,
    route: _Route,
    max_moves: int,
) -> dict[int, DayRoute | None]:
    for _ in range(max_moves):
        spans = {d: r.span_s if r else 0 for d, r in routed.items()}
        over = [d for d in days if spans[d] > route.limit or (r := routed[d]) and r.dropped]
        if not over:
            break
        d = max(over, key=lambda k: spans[k])
        target = min(days, key=lambda k: spans[k])
        movable = [i for i in days[d] if freq[i] == 1]
        if target == d or not movable or spans[target] >= route.limit:
            break
        lat, lon = route.lat, route.lon
        centre = (lat[days[d]].mean(), lon[days[d]].mean())
        far = max(movable, key=lambda i: (lat[i] - centre[0]) ** 2 + (lon[i] - centre[1]) ** 2)
        days[d].remove(far)
        days[target].append(far)
        for k in (d, target):
            routed[k] = route.sequence(days[k])
    return routed
