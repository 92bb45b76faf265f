"""Re-sequencing every rep-day of a dataset, in parallel, into a route plan.

For each rep-day with at least one store visit (from the activity timeline, see
:mod:`tts.time_use`): the stops in logged order, their customers' coordinates and opening hours,
the time spent at each (the logged customer minutes, or the standard visit), the rep's home
(``reps.home_lat/home_lon``) as start and end, or else the first and last logged stores. The
rep leaves so as to reach the first store at its logged time. The route may last what the
working-day standard leaves after the day's non-route time (meeting, admin …), or the logged
route's length when that is longer. Each day is solved by :func:`tts.optimize.solve_day`.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from . import optimize
from ._exceptions import InputError
from ._options import in_range, instance_of, one_of
from .calibration import TravelCalibration, calibrate_travel
from .cluster import check_engine, get_client
from .io import Dataset
from .legs import day_points, home_positions, logged_drive, outside_route_min, stop_coordinates
from .method import Method
from .optimize import DayRoute, solve_day
from .standards import Standards
from .time_use import TimeAllocation, allocate_time, fill_day_routes
from .travel import DayLegs, TravelSource

__all__ = ["RoutePlan", "optimize_routes"]

_DAY_COLUMNS = [
    "rep_id",
    "date",
    "route_id",
    "stops",
    "served",
    "dropped",
    "travel_before_min",
    "travel_after_min",
    "saving_min",
    "saving_share",
    "km_before",
    "km_after",
    "status",
    "kept_logged",
    "engine",
    "note",
]


@dataclass(frozen=True)
class RoutePlan:
    """Logged and optimised order of every rep-day.

    Attributes
    ----------
    days : pandas.DataFrame
        One row per rep-day: ``rep_id``, ``date``, ``route_id``, ``stops``, ``served``,
        ``dropped``, ``travel_before_min`` and ``travel_after_min`` (drive minutes of the logged
        and the planned order, home to home, calibrated on the logged travel unless the
        calibration is off), ``saving_min``, ``saving_share``
        (0–1), ``km_before``, ``km_after``, ``status`` (solver status name), ``kept_logged``,
        ``engine`` (what produced the order), ``note`` (why a day was not optimised).
    visits : pandas.DataFrame
        One row per store visit: ``rep_id``, ``date``, ``customer_id``, ``seq_before``,
        ``seq_after`` (empty when dropped), ``arrival_after`` (planned arrival), ``dropped``,
        ``reason``.
    calibration : TravelCalibration or None
        The fit of the drive times to the logged travel (None: the travel source as given).
        Drive minutes in ``days`` are calibrated minutes.
    """

    days: pd.DataFrame
    visits: pd.DataFrame
    calibration: TravelCalibration | None = None

    def to_frame(self) -> pd.DataFrame:
        """Per-visit order with the day's travel before and after (the CLI's routes.csv)."""
        day_cols = [
            "rep_id",
            "date",
            "travel_before_min",
            "travel_after_min",
            "km_before",
            "km_after",
        ]
        return self.visits.merge(self.days[day_cols], on=["rep_id", "date"], how="left")

    def by_rep(self) -> pd.DataFrame:
        """Per rep: days, drive minutes before and after, saving (minutes a day and share)."""
        g = self.days.groupby("rep_id", sort=True)
        out = g[["travel_before_min", "travel_after_min", "km_before", "km_after"]].sum()
        out.insert(0, "days", g.size())
        out["saving_min_per_day"] = (out["travel_before_min"] - out["travel_after_min"]) / out[
            "days"
        ]
        out["saving_share"] = 1 - out["travel_after_min"] / out["travel_before_min"]
        return out.reset_index()

    @property
    def saving_share(self) -> float:
        """Share of the logged drive time the plan saves, over every optimised day (0–1)."""
        before = self.days["travel_before_min"].sum()
        return float(1 - self.days["travel_after_min"].sum() / before) if before else 0.0

    def __repr__(self) -> str:
        d = self.days
        return (
            f"RoutePlan({len(d)} rep-days, {int(d['stops'].sum())} stops, "
            f"{int(d['dropped'].sum())} dropped; travel {d['travel_before_min'].sum():.0f} "
            f"-> {d['travel_after_min'].sum():.0f} min, saving {self.saving_share:.1%})"
        )

    def _repr_html_(self) -> str:
        rep = self.by_rep().round(2)
        return (
            f"<div><p><b>Route plan</b>: {html.escape(repr(self))}</p>"
            f"{rep.to_html(index=False, escape=True)}<details><summary>Per rep-day</summary>"
            f"{self.days.to_html(index=False, escape=True, float_format='{:.2f}'.format)}"
            "</details></div>"
        )


def _seconds_of_day(t: pd.Series, day: pd.Timestamp) -> np.ndarray:
    """Seconds since midnight of ``day`` (beyond 86,400 after midnight)."""
    ns = t.to_numpy(dtype="datetime64[ns]") - np.datetime64(day, "ns")
    return ns.astype("timedelta64[s]").astype(np.int64)


def _problems(
    ds: Dataset,
    time: TimeAllocation,
    standards: Standards,
    base: TravelSource,
    service: str,
    calibration: TravelCalibration | None,
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Yield (meta, solver arguments) per rep-day; days that cannot be solved get a note."""
    assert ds.customers is not None  # checked by optimize_routes
    customers = ds.customers.drop_duplicates("customer_id").set_index("customer_id")
    stops = time.stops
    per_day = time.per_day
    with_stops = per_day["visits"].to_numpy() > 0
    days = per_day[with_stops]
    outside = outside_route_min(time)[with_stops].to_numpy()
    factors = calibration.factors if calibration is not None else None
    if calibration is not None:  # reps the fit did not see take the team's factor
        factors = {str(r): calibration.factors.get(str(r), calibration.team_factor)
                   for r in days["rep_id"].unique()}  # fmt: skip
    drive = logged_drive(time, ds.customers, reps=ds.reps, travel=base, factors=factors)
    homes = home_positions(ds.reps)
    xy = stop_coordinates(stops, ds.customers)
    visit_std = float(np.mean(standards.visit_min)) * 60
    first = 0
    columns = ["rep_id", "date", "route_id", "region", "visits"]
    for i, (rep, date, route, region, n) in enumerate(days[columns].itertuples(index=False)):
        part = slice(first, first + int(n))
        first += int(n)
        s = stops.iloc[part]
        meta = {
            "rep_id": rep,
            "date": date,
            "route_id": route,
            "customer_id": s["customer_id"].to_numpy(),
            "seq": s["seq"].to_numpy(),
            "before_s": drive["drive_s"].iat[i],
            "before_m": drive["distance_m"].iat[i],
        }
        home = (
            tuple(homes.loc[rep].to_numpy(float))
            if homes is not None and rep in homes.index
            else None
        )
        travel = calibration.source_for(rep) if calibration is not None else base
        pts = day_points(str(rep), list(s["customer_id"]), xy[part], home=home, travel=travel)
        if pts.note:
            meta["note"] = pts.note
            yield meta, {}
            continue
        size = len(pts.ids)
        if size - 2 > optimize.DENSE_LIMIT:  # no square matrix: legs built when asked
            day: Any = DayLegs(travel, pts.ids, pts.lat, pts.lon)
            dist = None
            first_leg, last_leg = day.duration[0, 1], day.duration[size - 2, size - 1]
        else:
            day, dist = travel.matrix(pts.ids, pts.lat, pts.lon)
            first_leg, last_leg = int(day[0, 1]), int(day[-2, -1])
        arrive_first = int(_seconds_of_day(s["start"].iloc[:1], date)[0])
        service_s = (
            (s["visit_min"].to_numpy() * 60 if service == "logged" else np.full(len(s), visit_std))
            .round()
            .astype(np.int64)
        )
        kwargs: dict[str, Any] = {
            "duration_s": day,
            "distance_m": dist,
            "service_s": service_s,
            "depart_s": int(max(arrive_first - first_leg, 0)),
        }
        c = customers.reindex(s["customer_id"])
        if "open_time" in c and c["open_time"].notna().all() and c["close_time"].notna().all():
            kwargs["open_s"] = (c["open_time"].dt.total_seconds()).to_numpy().astype(np.int64)
            kwargs["close_s"] = (c["close_time"].dt.total_seconds()).to_numpy().astype(np.int64)
        route_span = int(_seconds_of_day(s["end"].iloc[-1:], date)[0]) - arrive_first
        # what the working-day standard leaves for the route, or the logged route if longer
        legs = first_leg + last_leg  # home to the first store, the last one home
        region_ = None if pd.isna(region) else region
        limit = standards.for_region(region_).day_max_min * 60 - outside[i] * 60
        kwargs["max_span_s"] = int(max(limit, route_span + legs))
        yield meta, kwargs


def _solve(args: tuple[dict[str, Any], dict[str, Any]]) -> tuple[dict[str, Any], DayRoute | None]:
    meta, kwargs = args
    if not kwargs:
        return meta, None
    return meta, solve_day(**kwargs)


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _solve_chunk(chunk: list) -> list:
    return [_solve(item) for item in chunk]


def optimize_routes(
    ds: Dataset,
    *,
    standards: Standards | None = None,
    method: Method | None = None,
    travel: TravelSource | None = None,
    service: str = "logged",
    time_limit_s: float | None = None,
    solution_limit: int | None = None,
    effort: float | None = None,
    workers: int | None = None,
    progress: bool = False,
    time: TimeAllocation | None = None,
    engine: str = "local",
    client: Any | None = None,
    calibration: TravelCalibration | None = None,
) -> RoutePlan:
    """Re-sequence every rep-day of the dataset.

    Drive minutes are calibrated on the survey's logged travel first (see
    :mod:`tts.calibration`; ``Method.calibrate``), so the logged order's drive agrees with the
    travel the reps logged and the saving is in minutes they recognise.

    Parameters
    ----------
    ds : Dataset
        Needs activities (or visits) and customers with coordinates.
    standards : Standards, optional
        For the working-day limit and the standard visit time; default ``Standards.default()``.
    method : Method, optional
        The travel model (when ``travel`` is not given) and the search's effort (the
        ``route_*`` settings: counts per stop of each engine, the safety net; see
        :attr:`tts.Method.search_effort`); default ``Method()``.
    travel : TravelModel, TravelMatrix or OsrmTable, optional
        Where drive times come from (see :mod:`tts.travel`); default ``method.travel``. A
        matrix is looked up by customer id, and by rep id for the start and end (else the
        first and last logged stores).
    service : {"logged", "standard"}
        Time at each store: what the rep spent there, or the middle of the standard band.
    time_limit_s : float, optional
        Wall-clock safety net of each search engine per day, seconds; default the method's
        ``route_safety_s``, 30 s + 0.2 s a stop (60 s at 150 stops). Every engine stops on a
        count first (see :func:`tts.optimize.solve_day`), which is what makes the plans
        reproducible: at the default settings the safety net does not bind on days of up to
        150 stops (they take at most about 6 s of processor time), even on a busy machine;
        a day on which it bound says so in its ``note``.
    solution_limit : int, optional
        Solutions OR-Tools may find per day on days with opening hours or a binding day limit;
        default the method's ``route_solutions`` (40) times the effort.
    effort : float, optional
        Scales every count of the search (dimensionless): more searches longer for a plan
        usually as good or better, less is faster; default the method's ``route_effort`` (1, the
        figures in ``benchmarks/results/routes.md``).
    workers : int, optional
        Processes; default every core. 1 solves in this process.
    progress : bool
        Show a progress bar.
    time : TimeAllocation, optional
        Reuse an allocation already computed for ``ds``.
    engine : {"local", "dask"}
        Solve the rep-days in local processes, or as tasks on a Dask cluster (see
        :mod:`tts.cluster`); the plans are the same.
    client : distributed.Client, optional
        The Dask client; giving one implies ``engine="dask"``. Default: the running client.
    calibration : TravelCalibration, optional
        A fit already made; default: fitted here when ``method.calibrate``.

    Returns
    -------
    RoutePlan

    Raises
    ------
    InputError
        No customers table, or a bad option.
    """
    instance_of("optimize_routes", "ds", ds, Dataset)
    instance_of("optimize_routes", "standards", standards, (Standards, type(None)))
    instance_of("optimize_routes", "method", method, (Method, type(None)))
    instance_of("optimize_routes", "time", time, (TimeAllocation, type(None)))
    if travel is not None and not callable(getattr(travel, "matrix", None)):
        raise InputError(
            "The 'travel' parameter of optimize_routes must be a TravelModel, TravelMatrix or "
            f"OsrmTable (anything with a matrix(ids, lat, lon) method); got {travel!r}."
        )
    one_of("optimize_routes", "service", service, ["logged", "standard"])
    if time_limit_s is not None:
        in_range("optimize_routes", "time_limit_s", time_limit_s, 0, low_open=True, unit="s")
    if solution_limit is not None:
        if isinstance(solution_limit, bool) or not isinstance(solution_limit, int | np.integer):
            raise InputError(
                f"The 'solution_limit' parameter of optimize_routes must be a whole number of "
                f"at least 1; got {solution_limit!r}."
            )
        in_range("optimize_routes", "solution_limit", solution_limit, 1)
    if effort is not None:
        in_range("optimize_routes", "effort", effort, 0, low_open=True)
    if workers is not None:
        in_range("optimize_routes", "workers", workers, 1)
    if ds.customers is None:
        raise InputError(
            "optimize_routes needs the customers table (with lat and lon) to "
            "know where the stores are."
        )
    standards = standards or Standards.default()
    method = method or Method()
    time = fill_day_routes(
        time or allocate_time(ds.activities, standards=standards, reps=ds.reps), ds.customers
    )
    instance_of("optimize_routes", "calibration", calibration, (TravelCalibration, type(None)))
    base = travel or method.travel
    if calibration is None and method.calibrate:
        checkin = ds.activities is not None and "source" in ds.activities.columns
        calibration = calibrate_travel(
            time, ds.customers, reps=ds.reps, travel=base, method=method, checkin_log=checkin
        )
    budget = method.search_effort
    if effort is not None:
        budget = replace(budget, scale=float(effort))
    search = {"time_limit_s": time_limit_s, "solution_limit": solution_limit, "budget": budget}
    items = [
        (meta, {**kwargs, **search} if kwargs else {})
        for meta, kwargs in _problems(ds, time, standards, base, service, calibration)
    ]
    use_dask = check_engine(engine, client)
    workers = int(workers or os.cpu_count() or 1)
    bar = tqdm(total=len(items), desc="optimising", unit="day", disable=not progress)
    results: list[tuple[dict[str, Any], DayRoute | None]] = []
    if use_dask:
        results = _solve_on_cluster(items, get_client(client), bar)
    elif workers == 1 or len(items) < 4:
        for item in items:
            results.append(_solve(item))
            bar.update()
    else:
        chunk = max(1, min(16, len(items) // (workers * 4)))
        with ProcessPoolExecutor(max_workers=workers, max_tasks_per_child=200) as pool:
            for part in pool.map(_solve_chunk, list(_chunks(items, chunk))):
                results.extend(part)
                bar.update(len(part))
    bar.close()
    return replace(_assemble(results), calibration=calibration)


def _solve_on_cluster(items: list[Any], client: Any, bar: Any) -> list[Any]:
    """Send the rep-days to the cluster in chunks; results in the order of ``items``."""
    from distributed import as_completed

    workers = sum(client.nthreads().values()) or 1
    chunks = list(_chunks(items, max(1, min(16, len(items) // (workers * 4)))))
    futures = client.map(_solve_chunk, chunks, pure=False)
    for future in as_completed(futures):
        bar.update(len(future.result()))
    return [r for part in client.gather(futures) for r in part]


def _assemble(results: list[tuple[dict[str, Any], DayRoute | None]]) -> RoutePlan:
    day_rows = []
    visit_parts = []
    for meta, r in results:
        n = len(meta["customer_id"])
        base = {
            "rep_id": meta["rep_id"],
            "date": meta["date"],
            "route_id": meta["route_id"],
            "stops": n,
        }
        if r is None:
            day_rows.append(
                {
                    **base,
                    "served": n,
                    "dropped": 0,
                    "status": "NOT_OPTIMISED",
                    "kept_logged": True,
                    "note": meta["note"],
                }
            )
            seq_after = meta["seq"].astype(float)
            arrival = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
            dropped = np.zeros(n, dtype=bool)
            reason = np.full(n, "", dtype=object)
        else:
            before, after = meta["before_s"] / 60, r.travel_s / 60
            km_after = r.distance_m / 1000
            note = ""
            if len(r.order) < n:
                # Fewer stores drive less: that is not a saving. Claim none for the day.
                after, km_after = before, meta["before_m"] / 1000
                note = (
                    f"the plan serves {len(r.order)} of the {n} stores logged; no saving is "
                    "claimed for a day that serves fewer stores"
                )
            day_rows.append(
                {
                    **base,
                    "served": len(r.order),
                    "dropped": len(r.dropped),
                    "travel_before_min": before,
                    "travel_after_min": after,
                    "saving_min": before - after,
                    "saving_share": (before - after) / before if before else 0.0,
                    "km_before": meta["before_m"] / 1000,
                    "km_after": km_after,
                    "status": r.status.name,
                    "kept_logged": r.kept_logged,
                    "engine": r.engine,
                    "note": "; ".join(x for x in (r.note, note) if x),
                }
            )
            seq_after = np.full(n, np.nan)
            seq_after[list(r.order)] = np.arange(1, len(r.order) + 1)
            arrival = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
            arrival[list(r.order)] = np.datetime64(meta["date"], "ns") + np.asarray(
                r.arrival_s, dtype="timedelta64[s]"
            )
            dropped = np.zeros(n, dtype=bool)
            dropped[list(r.dropped)] = True
            reason = np.full(n, "", dtype=object)
            reason[list(r.dropped)] = list(r.reasons)
        visit_parts.append(
            pd.DataFrame(
                {
                    "rep_id": meta["rep_id"],
                    "date": meta["date"],
                    "customer_id": meta["customer_id"],
                    "seq_before": meta["seq"],
                    "seq_after": pd.array(seq_after, dtype="Int64")
                    if not np.isnan(seq_after).any()
                    else pd.array(
                        [None if np.isnan(x) else int(x) for x in seq_after], dtype="Int64"
                    ),
                    "arrival_after": arrival,
                    "dropped": dropped,
                    "reason": reason,
                }
            )
        )
    days = pd.DataFrame(day_rows).reindex(columns=_DAY_COLUMNS)
    visits = (
        pd.concat(visit_parts, ignore_index=True)
        if visit_parts
        else pd.DataFrame(
            columns=[
                "rep_id",
                "date",
                "customer_id",
                "seq_before",
                "seq_after",
                "arrival_after",
                "dropped",
                "reason",
            ]
        )
    )
    return RoutePlan(days.reset_index(drop=True), visits)
