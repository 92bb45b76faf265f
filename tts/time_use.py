"""Work efficiency: how each rep-day splits into customer and non-customer time.

The working day of a rep is the span from the start of its first activity to the end of its
last. Every second of it is counted once:

- where activities overlap, the one that started first keeps the shared time (the overlap is
  reported as ``overlap_min`` and the audit flags it);
- where no activity covers a stretch, it is ``unaccounted_min``, part of the non-customer time;

so ``customer_min + non_customer_min == total_min`` exactly (the arithmetic is in whole
seconds). A **stop** (a store visit) is a run of consecutive customer activities at the same
customer; its minutes are the customer minutes of that run.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from . import rep_day_kernels as kernels
from ._frames import mode_by, positions
from ._options import has_columns, instance_of, one_of
from .rep_days import RepDays, rep_days
from .schema import ACTIVITY_CODES
from .standards import Standards
from .stop_codes import StopCodes

__all__ = [
    "TimeAllocation",
    "activity_column",
    "allocate_time",
    "fill_day_routes",
    "summarize_time",
]

_BY = {"rep": ["rep_id"], "route": ["route_id"], "region": ["region"], "team": []}


def activity_column(code: str) -> str:
    """The per-day column holding an activity's minutes (``morning_meeting`` → ``meeting_min``).

    Examples
    --------
    >>> activity_column("travel"), activity_column("morning_meeting")
    ('travel_min', 'meeting_min')
    """
    return "meeting_min" if code == "morning_meeting" else f"{code}_min"


@dataclass(frozen=True)
class TimeAllocation:
    """Customer and non-customer time per rep-day, and the store visits behind it.

    Attributes
    ----------
    per_day : pandas.DataFrame
        One row per rep-day: ``rep_id`` (a categorical of ``str``, the reps present, sorted),
        ``date``, ``route_id``, ``region``, ``day_start``,
        ``day_end``, ``total_min``, ``customer_min``, ``non_customer_min``,
        ``unaccounted_min``, ``overlap_min``, one ``<activity>_min`` column per activity code
        (``meeting_min`` for the morning meeting), ``visits`` (stops), ``avg_visit_min``,
        ``median_visit_min``, ``customer_share`` and ``travel_share`` (0–1),
        ``first_commute_min`` (travel before the first visit) and ``last_commute_min`` (travel
        after the last visit), ``rows`` (activity rows). Minutes are minutes.
    stops : pandas.DataFrame
        One row per store visit: ``rep_id``, ``date``, ``customer_id`` (the two ids as
        categoricals of ``str`` whose categories are the ids present, sorted), ``seq``
        (1-based order in the day), ``start``, ``end``, ``visit_min`` (customer minutes),
        ``rows`` (activity rows), ``first_row`` (the ``row`` of its first activity in the
        input file), ``travel_before_min`` (travel kept between the previous stop of the day,
        or the day's start, and this stop) and ``other_before_min`` (the other non-customer
        time kept there, unaccounted gaps included).
    standards : Standards
        The classification of activities used.
    rep_days : RepDays or None
        The activities' rep-day codes and day order, for the audit to reuse.
    codes : StopCodes or None
        The stops' rep-day and customer codes, for the audit and route performance to reuse.
    """

    per_day: pd.DataFrame
    stops: pd.DataFrame
    standards: Standards
    rep_days: RepDays | None = field(default=None, repr=False, compare=False)
    codes: StopCodes | None = field(default=None, repr=False, compare=False)

    @property
    def stop_codes(self) -> StopCodes | None:
        """``codes`` when they describe ``stops`` and ``per_day``, else None."""
        c = self.codes
        if c is None or not c.describes(self.stops) or len(c.day_rep) != len(self.per_day):
            return None
        return c

    def to_frame(self) -> pd.DataFrame:
        """The per-rep-day table."""
        return self.per_day.copy()

    @property
    def stop_day(self) -> np.ndarray:
        """For each stop, the position of its rep-day in ``per_day`` (both are in day order)."""
        visits = self.per_day["visits"].to_numpy()
        return np.repeat(np.arange(len(visits)), visits)

    def summarize(self, by: str = "rep") -> pd.DataFrame:
        """Roll the days up; see :func:`summarize_time`."""
        return summarize_time(self, by=by)

    def __repr__(self) -> str:
        team = summarize_time(self, by="team").iloc[0]
        return (
            f"TimeAllocation({len(self.per_day)} rep-days, {len(self.stops)} visits; "
            f"customer share {team['customer_share']:.1%}, travel share "
            f"{team['travel_share']:.1%}, {team['avg_visit_min']:.1f} min per visit)"
        )

    def _repr_html_(self) -> str:
        team = summarize_time(self, by="team").iloc[0]
        by_rep = summarize_time(self, by="rep")
        cols = [
            "rep_id",
            "days",
            "total_min",
            "customer_share",
            "travel_share",
            "avg_visit_min",
            "meeting_min",
            "visits",
        ]
        head = (
            f"<p><b>Time allocation</b>: {len(self.per_day):,} rep-days, "
            f"{len(self.stops):,} store visits. Customer time {team['customer_share']:.1%} of "
            f"a {team['total_min'] / 60:.1f}-hour day; travel {team['travel_share']:.1%}; "
            f"{team['avg_visit_min']:.1f} min per visit; meeting {team['meeting_min']:.0f} min."
            "</p>"
        )
        table = by_rep[cols].round(3).to_html(index=False, escape=True)
        return f"<div>{head}<details><summary>Per rep</summary>{table}</details></div>"


def allocate_time(
    activities: pd.DataFrame,
    *,
    standards: Standards | None = None,
    reps: pd.DataFrame | None = None,
) -> TimeAllocation:
    """Split every rep-day into customer and non-customer minutes.

    Parameters
    ----------
    activities : pandas.DataFrame
        Canonical activities (``rep_id``, ``date``, ``start``, ``end``, ``activity``,
        ``customer_id``; optional ``route_id``, ``row``).
    standards : Standards, optional
        Which activities are customer time; default :class:`Standards`.
    reps : pandas.DataFrame, optional
        Canonical reps, for the ``region`` of each rep.

    Returns
    -------
    TimeAllocation

    Examples
    --------
    >>> t = pd.Timestamp("2026-03-02")
    >>> acts = pd.DataFrame({"rep_id": ["r1"] * 3, "date": [t] * 3,
    ...     "start": t + pd.to_timedelta(["08:00:00", "08:30:00", "08:40:00"]),
    ...     "end": t + pd.to_timedelta(["08:30:00", "08:40:00", "08:46:00"]),
    ...     "activity": ["morning_meeting", "travel", "visit"],
    ...     "customer_id": [None, None, "c1"]})
    >>> day = allocate_time(acts).per_day.iloc[0]
    >>> [float(day[c]) for c in ["total_min", "customer_min", "meeting_min", "travel_min"]]
    [46.0, 6.0, 30.0, 10.0]
    """
    has_columns("allocate_time", "activities", activities, ["rep_id", "date", "start", "end"])
    instance_of("allocate_time", "standards", standards, (Standards, type(None)))
    instance_of("allocate_time", "reps", reps, (pd.DataFrame, type(None)))
    standards = standards or Standards()

    customer_codes = np.isin(np.asarray(ACTIVITY_CODES), standards.customer_activities)

    index = rep_days(activities)
    rep_names, date_values, order = index.rep_names, index.date_values, index.order
    start, end = index.sorted_start, index.sorted_end
    act = index.sorted_activity
    cust_code, cust_names = index.sorted_customer, index.customer_names

    first = index.first
    n_days = len(first)
    rep_code, date_code = index.day_rep, index.day_date  # per rep-day
    bounds = index.bounds
    overlap_s = index.overlap_s  # seconds each row starts before its day's earlier rows end

    n_codes = len(ACTIVITY_CODES)
    per_act, overlap, day_end = kernels.day_times(start, end, overlap_s, act, bounds, n_codes)
    day_start = start[first]
    total = day_end - day_start
    covered = per_act.sum(axis=0)
    customer = per_act[customer_codes].sum(axis=0)
    unaccounted = total - covered
    non_customer = per_act[~customer_codes].sum(axis=0) + unaccounted

    customer_activity = np.append(customer_codes, False)  # code -1 (no activity): not customer
    visits = kernels.stop_counts(act, customer_activity, cust_code, bounds)
    stop_bounds = np.zeros(n_days + 1, dtype=np.int64)
    np.cumsum(visits, out=stop_bounds[1:])
    (
        stop_day,
        stop_seq,
        stop_customer,
        stop_first,
        stop_rows,
        stop_start,
        stop_end,
        stop_min,
        travel_before,
        other_before,
        first_cust,
        last_cust,
        median,
    ) = kernels.stop_times(
        start,
        end,
        overlap_s,
        act,
        customer_activity,
        cust_code,
        bounds,
        stop_bounds,
        ACTIVITY_CODES.index("travel"),
    )
    to_min = 1 / 60.0
    date = pd.DatetimeIndex(date_values)[date_code].astype("datetime64[ns]")
    # copy=False: the columns are fresh arrays; pandas would otherwise copy the float
    # columns into one block, the largest single cost of building these tables
    per_day = pd.DataFrame(
        {
            "rep_id": _ids(rep_code, rep_names),
            "date": date,
            "day_start": _datetimes(day_start),
            "day_end": _datetimes(day_end),
            "total_min": total * to_min,
            "customer_min": customer * to_min,
            "non_customer_min": non_customer * to_min,
            "unaccounted_min": unaccounted * to_min,
            "overlap_min": overlap * to_min,
            **{activity_column(c): per_act[i] * to_min for i, c in enumerate(ACTIVITY_CODES)},
            "visits": visits,
            "avg_visit_min": np.divide(
                customer * to_min, visits, out=np.full(n_days, np.nan), where=visits > 0
            ),
            "median_visit_min": median,
            "customer_share": np.divide(
                customer, total, out=np.full(n_days, np.nan), where=total > 0
            ),
            "travel_share": np.divide(
                per_act[ACTIVITY_CODES.index("travel")],
                total,
                out=np.full(n_days, np.nan),
                where=total > 0,
            ),
            "first_commute_min": first_cust,
            "last_commute_min": last_cust,
            "rows": np.diff(bounds),
        },
        copy=False,
    )
    route = _day_route(activities, index)
    per_day.insert(2, "route_id", route)
    per_day.insert(3, "region", _region(per_day["rep_id"], reps))

    if "row" in activities:
        first_row = activities["row"].to_numpy()[order[stop_first]]
    else:
        first_row = np.full(len(stop_day), -1)
    stops_frame = pd.DataFrame(
        {
            # ids as categoricals of the sorted ids, as the activities hold them: millions
            # of visits over a few thousand reps and customers, written without a string
            "rep_id": _ids(rep_code[stop_day], rep_names),
            "date": date.to_numpy()[stop_day],
            "customer_id": _ids(stop_customer, cust_names),
            "seq": stop_seq,
            "start": stop_start.view("datetime64[ns]"),
            "end": stop_end.view("datetime64[ns]"),
            "visit_min": stop_min,
            "rows": stop_rows,
            "first_row": first_row,
            "travel_before_min": travel_before,
            "other_before_min": other_before,
        },
        copy=False,
    )
    codes = StopCodes(
        stops=stops_frame,
        day=stop_day,
        day_rep=rep_code,
        rep_names=pd.Index(rep_names, dtype="str"),
        customer=stop_customer,
        customer_names=cust_names,
    )
    return TimeAllocation(per_day, stops_frame, standards, index, codes)


def _ids(code: np.ndarray, names: pd.Index | np.ndarray) -> pd.Categorical:
    """Codes into ``names`` (-1 for none) as a categorical whose categories are the names
    present, sorted.
    """
    names = pd.Index(names, dtype="str")
    if not names.is_monotonic_increasing:
        rank = np.empty(len(names) + 1, dtype=np.int64)
        by_name = np.asarray(names.argsort())
        rank[by_name] = np.arange(len(names))
        rank[-1] = -1
        code, names = rank[code], names[by_name]
    used = np.bincount(np.asarray(code) + 1, minlength=len(names) + 1)[1:] > 0
    if not used.all():
        keep = np.append(np.where(used, np.cumsum(used) - 1, -1), -1)
        code, names = keep[code], names[used]
    return pd.Categorical.from_codes(code, dtype=pd.CategoricalDtype(names))


def _datetimes(seconds: np.ndarray) -> np.ndarray:
    """Seconds since the epoch as ``datetime64[ns]`` (one multiplication: numpy's unit
    conversion checks each value for overflow and takes ten times as long).
    """
    return (seconds * 1_000_000_000).view("datetime64[ns]")


def _day_route(activities: pd.DataFrame, index: RepDays) -> pd.Series:
    """Per rep-day: the route of its first row (in day order) that names one."""
    n_days, n = len(index.first), len(index.order)
    if "route_id" not in activities or n == 0:
        return pd.Series(np.nan, index=range(n_days), dtype="str")
    route = activities["route_id"]
    if isinstance(route.dtype, pd.CategoricalDtype):
        codes = route.cat.codes.to_numpy()  # int8/16/32 as pandas keeps them: no copy
        names = pd.Index(route.cat.categories, dtype="str")
    else:
        code, uniques = pd.factorize(route)
        codes, names = code.astype(np.int64), pd.Index(uniques, dtype="str")
    if len(names) == 0:
        return pd.Series(np.nan, index=range(n_days), dtype="str")
    from . import rep_day_kernels as kernels

    which = kernels.day_first_codes(codes, index.order.astype(np.int64, copy=False), index.bounds)
    return pd.Series(names.take(which, allow_fill=True, fill_value=np.nan).array)


def _region(rep_id: pd.Series, reps: pd.DataFrame | None) -> pd.Series:
    if reps is None or "region" not in reps:
        return pd.Series(np.nan, index=rep_id.index, dtype="str")
    region = reps.drop_duplicates("rep_id").set_index("rep_id")["region"]
    return pd.Series(rep_id.map(region).to_numpy(), index=rep_id.index, dtype="str")


def summarize_time(time: TimeAllocation, *, by: str = "rep") -> pd.DataFrame:
    """Roll rep-days up by rep, route, region or for the whole team.

    Parameters
    ----------
    time : TimeAllocation
        Result of :func:`allocate_time`.
    by : {"rep", "route", "region", "team"}
        The level of the roll-up.

    Returns
    -------
    pandas.DataFrame
        One row per group: the group key, ``reps``, ``days``; per-day means of ``total_min``,
        ``customer_min``, ``non_customer_min``, ``unaccounted_min``, each activity's minutes and
        ``visits``; ``customer_share`` and ``travel_share`` as ratios of sums (0–1),
        ``avg_visit_min`` (customer minutes ÷ visits), ``median_visit_min`` (over visits),
        ``first_commute_min`` and ``last_commute_min`` (means).
    """
    instance_of("summarize_time", "time", time, TimeAllocation)
    one_of("summarize_time", "by", by, _BY)
    keys = _BY[by]
    d = time.per_day
    minutes = [
        c
        for c in d.columns
        if c.endswith("_min")
        and c not in ("avg_visit_min", "median_visit_min", "first_commute_min", "last_commute_min")
    ]
    grouper = [d[k].fillna("(none)") for k in keys] if keys else np.zeros(len(d), dtype=int)
    g = d.groupby(grouper, sort=True)
    out = g[minutes + ["visits"]].mean()
    sums = g[["customer_min", "total_min", "travel_min"]].sum()
    visits = g["visits"].sum()
    out.insert(0, "days", g.size())
    out.insert(0, "reps", g["rep_id"].nunique())
    out["customer_share"] = sums["customer_min"] / sums["total_min"]
    out["travel_share"] = sums["travel_min"] / sums["total_min"]
    out["avg_visit_min"] = sums["customer_min"] / visits.where(visits > 0)
    s = time.stops
    if keys:
        cols = list(dict.fromkeys(["rep_id", "date", *keys]))
        stop_keys = s[["rep_id", "date"]].merge(d[cols], on=["rep_id", "date"], how="left")
        stop_group = [stop_keys[k].fillna("(none)").to_numpy() for k in keys]
    else:
        stop_group = [np.zeros(len(s), dtype=int)]
    out["median_visit_min"] = s["visit_min"].groupby(stop_group).median()
    out["first_commute_min"] = g["first_commute_min"].mean()
    out["last_commute_min"] = g["last_commute_min"].mean()
    out = out.reset_index()
    if not keys:
        out = out.drop(columns=out.columns[0]).assign(team="team")
        out = out[["team", *[c for c in out.columns if c != "team"]]]
    return out


def fill_day_routes(time: TimeAllocation, customers: pd.DataFrame | None) -> TimeAllocation:
    """The allocation with every rep-day's missing ``route_id`` taken from the customers it
    visited: the route most of its visits belong to (ties: the first in sort order).

    Check-in logs and many surveys carry no route per row; the customers table does. Days
    that already name a route, or whose customers have none, are left as they are.

    Parameters
    ----------
    time : TimeAllocation
        From :func:`allocate_time`.
    customers : pandas.DataFrame, optional
        Canonical customers with ``route_id``.

    Returns
    -------
    TimeAllocation
    """
    per_day = time.per_day
    if customers is None or "route_id" not in customers or per_day["route_id"].notna().all():
        return time
    codes = time.stop_codes
    if codes is not None:  # filled once per customers table (diagnose and routes both ask)
        held = codes._memo.get("filled_day_routes")
        if held is not None and held[0] is customers:  # type: ignore[index]
            if time.per_day is held[2]:  # type: ignore[index]
                return time
            if time.per_day is held[1]:  # type: ignore[index]
                return replace(time, per_day=held[2])  # type: ignore[index]
    cust = customers.drop_duplicates("customer_id").set_index("customer_id")
    day_of = time.stop_day
    if codes is not None:
        from . import rep_day_kernels as kernels

        # the customers' routes as codes into their sorted names: no id is hashed per visit,
        # and each day's most frequent code (ties: the smallest) is the first in sort order
        code, names = pd.factorize(cust["route_id"].astype("str"), sort=True)
        by_code = np.r_[code, -1].astype(np.int64)[codes.positions_by_code(cust.index)]
        route_code = by_code[codes.customer]  # one gather per visit
        stop_bounds = np.zeros(len(per_day) + 1, dtype=np.int64)  # the stops are in day order
        np.cumsum(np.bincount(day_of, minlength=len(per_day)), out=stop_bounds[1:])
        mode_code = kernels.day_modes(route_code, stop_bounds)
        modes = pd.Index(names, dtype="str").take(mode_code, allow_fill=True, fill_value=np.nan)
        from_customers = pd.Series(modes.array, index=per_day.index)
    else:
        where = positions(time.stops["customer_id"], cust.index)
        route = cust["route_id"].astype("str").array.take(where, allow_fill=True)
        mode = mode_by(pd.DataFrame({"day": day_of, "route_id": route}), ["day"], "route_id")
        mode = mode.astype("str")
        from_customers = pd.Series(
            mode.reindex(range(len(per_day))).to_numpy(), index=per_day.index
        )
    filled = per_day["route_id"].fillna(from_customers).astype("str")
    out = replace(time, per_day=per_day.assign(route_id=filled))
    if codes is not None:
        codes._memo["filled_day_routes"] = (customers, per_day, out.per_day)
    return out
