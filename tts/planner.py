"""Weekly planner: which customers a route visits on which weekday, then in what order.

For each route:

1. **Patterns.** A customer with *f* visits a week (``visits_per_week``, 1 when missing) may take
   any set of *f* weekdays whose smallest gap between visits, round the week, is the largest
   possible: twice a week on six days is Mon/Thu, Tue/Fri or Wed/Sat.
2. **Assignment.** Customers visited once a week are split into as many sectors, by bearing from
   the rep's start point, as there are weekdays, each sector carrying about the same visit time,
   so each day covers one part of the territory. Customers visited more often take, in turn,
   the pattern whose days carry the least visit time so far. The days are then made compact
   (:func:`_compact`): customers take the pattern whose days' centres are nearest, each day
   keeping about an equal share of the visit time, so that a twice-a-week customer's two days
   lie in the same part of the territory.
3. **Sequencing.** Each day is re-sequenced by :func:`tts.optimize.solve_day` from and back to
   the rep's home (or the route's centre), with opening hours.
4. **Balance.** While a day's route is longer than the working-day limit allows and another day
   has room, its once-a-week customer farthest from the day's centre moves to the day with the
   most room, and both days are sequenced again.

The plan is compared with the logged weeks, like with like: by default only the routes that
were logged are planned, and each route's planned week is set against the same route's logged
weeks, both in the method's travel model (``method.travel``, so a calibrated model applies to
both sides): the drive of the logged visit orders from and back to the same start point, per
week on average, against the plan's. Routes planned on request without a logged week are kept
apart (:attr:`WeekPlan.unlogged`) and left out of the totals.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from ._exceptions import InputError
from ._options import instance_of, one_of
from .calibration import calibrated_method
from .io import Dataset
from .legs import home_positions, logged_drive, outside_route_min
from .method import Method, survey_weeks
from .optimize import DayRoute, SearchEffort, solve_day
from .standards import Standards
from .time_use import TimeAllocation, allocate_time, fill_day_routes
from .travel import TravelModel, travel_matrix

__all__ = ["RouteStops", "WeekPlan", "plan_days", "plan_week", "visit_patterns"]


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
        Per route: ``route_id``, ``rep_id``, ``logged`` (True when the route has logged
        weeks to compare with), ``logged_weeks`` (calendar weeks surveyed),
        ``logged_visits_per_week`` and ``planned_visits_per_week`` (store visits a week),
        ``logged_travel_min_per_week`` (drive of the logged orders, mean over the weeks
        surveyed, minutes), ``planned_travel_min_per_week`` (minutes), ``freed_min_per_week``
        and ``freed_min_per_day`` (drive minutes the plan gives back to customers). The
        logged figures are NaN for a route planned without a logged week.
    """

    assignments: pd.DataFrame
    days: pd.DataFrame
    visits: pd.DataFrame
    routes: pd.DataFrame

    @property
    def unlogged(self) -> tuple[str, ...]:
        """Routes planned without a logged week to compare with (left out of the totals)."""
        r = self.routes
        return tuple(str(x) for x in r.loc[~r["logged"].astype(bool), "route_id"])

    def compare(self) -> pd.Series:
        """The logged weeks against the plan, over the routes that have both.

        Returns
        -------
        pandas.Series
            ``routes`` compared, ``logged_travel_min_per_week``,
            ``planned_travel_min_per_week``, ``freed_min_per_week`` (minutes a week),
            ``logged_visits_per_week``, ``planned_visits_per_week`` (store visits a week)
            and ``unlogged`` (routes planned without a logged week).
        """
        r = self.routes[self.routes["logged"].astype(bool)]
        cols = [
            "logged_travel_min_per_week",
            "planned_travel_min_per_week",
            "freed_min_per_week",
            "logged_visits_per_week",
            "planned_visits_per_week",
        ]
        out = {"routes": len(r), **{c: float(r[c].sum()) for c in cols}}
        out["unlogged"] = len(self.routes) - len(r)
        return pd.Series(out)

    def to_frame(self) -> pd.DataFrame:
        """The planned visits."""
        return self.visits.copy()

    def __repr__(self) -> str:
        c = self.compare()
        text = (
            f"WeekPlan({int(c['routes'])} logged routes; drive "
            f"{c['logged_travel_min_per_week']:.0f} -> {c['planned_travel_min_per_week']:.0f} "
            f"min a week on the same routes"
        )
        if self.unlogged:
            text += f"; {len(self.unlogged)} planned without a logged week: "
            text += ", ".join(self.unlogged)
        return text + ")"

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
class RouteStops:
    """What sequencing one rep's or route's days needs: stores, start point, hours, limits.

    Attributes
    ----------
    lat, lon : numpy.ndarray
        The stores, degrees.
    origin : tuple of float
        Where every day starts and ends (lat, lon), degrees.
    service : numpy.ndarray
        Time at each store, seconds (int).
    open_s, close_s : numpy.ndarray
        Opening and closing time of each store, seconds since midnight (int).
    travel : TravelModel
        The drive-time model.
    limit : int
        Longest day's route, departure to return, seconds.
    solution_limit : int or None
        OR-Tools solutions per day; None: the budget's (the method's ``route_solutions``).
    pyvrp_iterations : int or None
        PyVRP's cap on iterations after OR-Tools (see :func:`tts.optimize.solve_day`); None:
        the budget's, 0 turns PyVRP off.
    budget : SearchEffort
        The search's counts per stop and safety net (the method's ``route_*`` settings,
        :attr:`tts.Method.search_effort`).
    """

    lat: np.ndarray
    lon: np.ndarray
    origin: tuple[float, float]
    service: np.ndarray
    open_s: np.ndarray
    close_s: np.ndarray
    travel: TravelModel
    limit: int
    solution_limit: int | None = None
    pyvrp_iterations: int | None = None
    budget: SearchEffort = field(default_factory=SearchEffort)

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
            pyvrp_iterations=self.pyvrp_iterations,
            budget=self.budget,
        )


def plan_week(
    ds: Dataset,
    *,
    routes: str | Sequence[str] = "logged",
    standards: Standards | None = None,
    method: Method | None = None,
    travel: TravelModel | None = None,
    solution_limit: int | None = None,
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
    routes : "logged", "all" or list of str
        Which routes to plan: those with a logged week (the default, so the plan is compared
        with the same routes as logged), every route of the customers table, or these route
        ids. A route planned without a logged week is listed in :attr:`WeekPlan.unlogged`
        and left out of the comparison.
    standards : Standards, optional
        Working-day limit and standard visit time; default ``Standards.default()``.
    method : Method, optional
        The working week (``weekdays``), the travel model and the day optimiser's effort (the
        ``route_*`` settings, :attr:`tts.Method.search_effort`); default ``Method()``.
    travel : TravelModel, optional
        Drive-time model for both the logged weeks and the plan; default ``method.travel``
        scaled by the team's factor fitted on the logged travel (see
        :func:`tts.calibration.calibrated_method`; off with ``Method(calibrate=False)``).
    solution_limit : int, optional
        OR-Tools solutions per planned day; default the method's ``route_solutions`` (40)
        times its ``route_effort``.
    max_moves : int
        Most balancing moves per route.
    progress : bool
        Show a progress bar over the routes.
    time : TimeAllocation, optional
        Reuse an allocation already computed for ``ds``.

    Returns
    -------
    WeekPlan

    Raises
    ------
    InputError
        No customers table, an unknown route in ``routes``, or nothing to plan.
    """
    instance_of("plan_week", "ds", ds, Dataset)
    instance_of("plan_week", "routes", routes, (str, Sequence))
    instance_of("plan_week", "method", method, (Method, type(None)))
    if ds.customers is None:
        raise InputError("plan_week needs the customers table (route_id, lat, lon).")
    standards = standards or Standards.default()
    method = method or Method()
    names = method.weekdays
    weekdays = len(names)
    time = fill_day_routes(
        time or allocate_time(ds.activities, standards=standards, reps=ds.reps), ds.customers
    )
    if travel is None:  # calibrated on the logged travel, one factor for the team
        travel = calibrated_method(method, time, ds.customers, reps=ds.reps).travel
    outside = outside_route_min(time)
    stops = time.stops
    visit_s = stops.groupby("customer_id")["visit_min"].mean() * 60
    default_visit_s = float(np.mean(standards.visit_min)) * 60
    cust = ds.customers.dropna(subset=["lat", "lon", "route_id"]).drop_duplicates("customer_id")
    assignments, day_rows, visit_rows, route_rows = [], [], [], []
    chosen = _choose_routes(routes, cust, time)
    context = {r: _route_context(ds, time, cust[cust["route_id"] == r]) for r in chosen}
    origins = {str(rep): origin for rep, origin in context.values() if rep is not None}
    drive = logged_drive(time, ds.customers, reps=ds.reps, travel=travel, origins=origins)
    drive = drive.merge(time.per_day[["rep_id", "date", "route_id"]], on=["rep_id", "date"])
    for route in tqdm(chosen, desc="planning", unit="route", disable=not progress):
        c = cust[cust["route_id"] == route].reset_index(drop=True)
        lat, lon = c["lat"].to_numpy(float), c["lon"].to_numpy(float)
        rep, origin = context[route]
        mine = drive[(drive["rep_id"] == rep) & (drive["route_id"] == route)]
        weeks = survey_weeks(mine["date"]) if len(mine) else 0
        logged = float(mine["drive_s"].sum() / 60 / weeks) if weeks else np.nan
        logged_visits = float(mine["stops"].sum() / weeks) if weeks else np.nan
        rep_days = (time.per_day["rep_id"] == rep).to_numpy()
        service = c["customer_id"].map(visit_s).fillna(default_visit_s).round().to_numpy(np.int64)
        open_s = _seconds(c, "open_time", 0)
        close_s = _seconds(c, "close_time", 24 * 3600)
        freq = (
            c["visits_per_week"].fillna(1).clip(1, weekdays).astype(int).to_numpy()
            if ("visits_per_week" in c)
            else np.ones(len(c), dtype=int)
        )
        fixed_min = float(outside[rep_days].mean()) if rep_days.any() else 0.0
        limit = int(standards.day_max_min * 60 - 60 * fixed_min)
        route_data = RouteStops(
            lat, lon, origin, service, open_s, close_s, travel, limit, solution_limit,
            budget=method.search_effort,
        )  # fmt: skip
        days, routed = plan_days(
            route_data, freq, weekdays, visits_max=standards.visits_max, max_moves=max_moves
        )
        planned_travel = 0.0
        planned_visits = 0
        for d in range(weekdays):
            r, idx = routed[d], days[d]
            travel_min = r.travel_s / 60 if r else 0.0
            planned_travel += travel_min
            planned_visits += len(r.order) if r else 0
            day_rows.append(
                {
                    "route_id": route,
                    "rep_id": rep,
                    "weekday": names[d],
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
                            "weekday": names[d],
                            "seq": k + 1,
                            "customer_id": c.at[idx[stop], "customer_id"],
                            "arrival": pd.Timedelta(seconds=int(arrive)),
                        }
                    )
        on = {i: [names[d] for d in range(weekdays) if i in days[d]] for i in range(len(c))}
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
                "logged": bool(weeks),
                "logged_weeks": weeks,
                "logged_visits_per_week": logged_visits,
                "planned_visits_per_week": float(planned_visits),
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


def _choose_routes(
    routes: str | Sequence[str], cust: pd.DataFrame, time: TimeAllocation
) -> list[str]:
    """The routes to plan (see ``plan_week``'s ``routes``), in sort order."""
    known = sorted(str(r) for r in cust["route_id"].unique())
    per_day = time.per_day
    logged = set(per_day.loc[per_day["visits"] > 0, "route_id"].dropna().astype(str))
    if isinstance(routes, str):
        one_of("plan_week", "routes", routes, ("logged", "all"))
        chosen = known if routes == "all" else [r for r in known if r in logged]
        if not chosen:
            raise InputError(
                "plan_week: no route of the customers table has a logged week; pass "
                "routes='all' to plan every route without a comparison."
            )
        return chosen
    asked = [str(r) for r in routes]
    unknown = sorted(set(asked) - set(known))
    if unknown or not asked:
        raise InputError(
            f"The 'routes' parameter of plan_week must name routes of the customers table "
            f"{known[:10]}; got {unknown or asked}."
        )
    return sorted(set(asked))


def _seconds(c: pd.DataFrame, column: str, default: int) -> np.ndarray:
    if column not in c:
        return np.full(len(c), default, dtype=np.int64)
    return c[column].dt.total_seconds().fillna(default).to_numpy().astype(np.int64)


def _route_context(
    ds: Dataset, time: TimeAllocation, c: pd.DataFrame
) -> tuple[object, tuple[float, float]]:
    """A route's rep (who visits its customers ``c`` most) and its start point: the rep's
    home, else the route's centre (degrees).
    """
    stops = time.stops[time.stops["customer_id"].isin(c["customer_id"])]
    rep = stops["rep_id"].mode().iloc[0] if len(stops) else None
    origin = (float(c["lat"].mean()), float(c["lon"].mean())) if len(c) else (0.0, 0.0)
    homes = home_positions(ds.reps)
    if rep is not None and homes is not None and rep in homes.index:
        origin = tuple(homes.loc[rep].to_numpy(float))  # type: ignore[assignment]
    return rep, origin


def plan_days(
    route: RouteStops,
    freq: np.ndarray,
    weekdays: int,
    *,
    visits_max: int,
    max_moves: int,
) -> tuple[dict[int, list[int]], dict[int, DayRoute | None]]:
    """Spread one rep's customers over the week and sequence each day.

    Customers take their visit patterns (:func:`visit_patterns`), once-a-week customers split
    into bearing sectors from the start point; each day is sequenced, then days over the
    limit (``route.limit``, or more than ``visits_max`` visits) give their farthest
    once-a-week customer to the day with the most room, at most ``max_moves`` times.

    Returns
    -------
    days : dict
        Weekday number → positions of the customers visited that day.
    routed : dict
        Weekday number → the sequenced day (None for a day without visits).
    """
    days = _assign(freq, route.service, _bearing(route.lat, route.lon, route.origin), weekdays)
    days = _compact(days, freq, route, weekdays)
    routed = {d: route.sequence(days[d]) for d in range(weekdays)}
    return days, _balance(days, routed, freq, route, max_moves, visits_max)


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


def _compact(
    days: dict[int, list[int]],
    freq: np.ndarray,
    route: RouteStops,
    weekdays: int,
    iterations: int = 6,
) -> dict[int, list[int]]:
    """Make each day's stores a compact group: k-means over the weekdays with the patterns.

    Every customer takes, in order of regret (its second-best pattern's cost minus its best),
    the visit pattern whose days' centres are nearest in sum (km) among those whose days still
    have room (each day about an equal share of the week's visit time, 10 % slack); then the
    day centres move to their stores' mean. Starting from the bearing sectors, a few rounds
    keep a twice-a-week customer's two days in the same part of the territory, where the
    sectors alone send each day across it.
    """
    n = len(freq)
    if n == 0 or weekdays < 2:
        return days
    lat0 = float(np.mean(route.lat))
    xy = np.c_[
        (route.lon - route.origin[1]) * 111.32 * np.cos(np.radians(lat0)),
        (route.lat - route.origin[0]) * 110.57,
    ]
    service = route.service.astype(float)
    cap = float((service * freq).sum()) / weekdays * 1.1
    options = {f: visit_patterns(int(f), weekdays) for f in np.unique(freq)}
    for _ in range(iterations):
        centre = np.array(
            [xy[days[d]].mean(axis=0) if days[d] else np.zeros(2) for d in range(weekdays)]
        )
        dist = np.hypot(*(xy[:, None, :] - centre[None, :, :]).transpose(2, 0, 1))
        cost = [np.array([dist[i, list(p)].sum() for p in options[freq[i]]]) for i in range(n)]
        regret = np.array([np.partition(c, 1)[1] - c.min() if len(c) > 1 else 0.0 for c in cost])
        load = np.zeros(weekdays)
        new: dict[int, list[int]] = {d: [] for d in range(weekdays)}
        for i in np.lexsort((np.arange(n), -regret)):
            ranked = np.argsort(cost[i], kind="stable")
            chosen = next(
                (
                    k
                    for k in ranked
                    if all(load[d] + service[i] <= cap for d in options[freq[i]][k])
                ),
                min(ranked, key=lambda k: load[list(options[freq[i]][k])].max()),
            )
            for d in options[freq[i]][chosen]:
                new[d].append(int(i))
                load[d] += service[i]
        new = {d: sorted(v) for d, v in new.items()}
        if new == {d: sorted(v) for d, v in days.items()}:
            break
        days = new
    return days


def _balance(
    days: dict[int, list[int]],
    routed: dict[int, DayRoute | None],
    freq: np.ndarray,
    route: RouteStops,
    max_moves: int,
    visits_max: int,
) -> dict[int, DayRoute | None]:
    for _ in range(max_moves):
        spans = {d: r.span_s if r else 0 for d, r in routed.items()}
        over = [
            d
            for d in days
            if spans[d] > route.limit
            or len(days[d]) > visits_max
            or ((r := routed[d]) is not None and bool(r.dropped))
        ]
        if not over:
            break
        d = max(over, key=lambda k: (len(days[k]) > visits_max, spans[k]))
        room = [k for k in days if k != d and len(days[k]) < visits_max]
        target = min(room, key=lambda k: spans[k]) if room else d
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
