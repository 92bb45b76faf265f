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

from ._frames import mode_by, positions
from ._options import has_columns, instance_of, one_of
from .rep_days import RepDays, day_starts, rep_days
from .schema import ACTIVITY_CODES
from .standards import Standards
from .stop_codes import StopCodes, grouping

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
        One row per rep-day: ``rep_id``, ``date``, ``route_id``, ``region``, ``day_start``,
        ``day_end``, ``total_min``, ``customer_min``, ``non_customer_min``,
        ``unaccounted_min``, ``overlap_min``, one ``<activity>_min`` column per activity code
        (``meeting_min`` for the morning meeting), ``visits`` (stops), ``avg_visit_min``,
        ``median_visit_min``, ``customer_share`` and ``travel_share`` (0–1),
        ``first_commute_min`` (travel before the first visit) and ``last_commute_min`` (travel
        after the last visit), ``rows`` (activity rows). Minutes are minutes.
    stops : pandas.DataFrame
        One row per store visit: ``rep_id``, ``date``, ``customer_id``, ``seq`` (1-based order
        in the day), ``start``, ``end``, ``visit_min`` (customer minutes), ``rows`` (activity
        rows), ``first_row`` (the ``row`` of its first activity in the input file),
        ``travel_before_min`` (travel kept between the previous stop of the day, or the day's
        start, and this stop) and ``other_before_min`` (the other non-customer time kept
        there, unaccounted gaps included).
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

    n = len(order)
    new_day, day, first = index.new_day, index.day, index.first
    n_days = len(first)
    rep_code, date_code = index.day_rep, index.day_date  # per rep-day

    # time each activity adds to the union of the day's intervals, in one buffer: the latest
    # end of the day's rows before it, then its effective start, then the seconds it keeps
    eff = np.empty(n, dtype=np.int64)
    if n:
        eff[1:] = index.running_end[:-1]
        eff[new_day] = np.iinfo(np.int64).min
    np.maximum(start, eff, out=eff)
    np.subtract(end, eff, out=eff)
    np.clip(eff, 0, None, out=eff)
    # what the rows overlap: their length less the time they keep (whole seconds: exact sums)
    overlap = np.bincount(day, weights=end - start, minlength=n_days) - np.bincount(
        day, weights=eff, minlength=n_days
    )

    day_start = start[first]
    day_end = np.maximum.reduceat(end, first) if n else np.array([], dtype=np.int64)
    total = day_end - day_start
    n_codes = len(ACTIVITY_CODES)
    wide = np.int32 if n_days * n_codes < 2**31 else np.int64
    per_act = np.bincount(day.astype(wide) * n_codes + act, weights=eff, minlength=n_days * n_codes)
    per_act = per_act.reshape(n_days, len(ACTIVITY_CODES)).round().astype(np.int64)
    covered = per_act.sum(axis=1)
    customer = per_act[:, customer_codes].sum(axis=1)
    unaccounted = total - covered
    non_customer = per_act[:, ~customer_codes].sum(axis=1) + unaccounted

    is_cust = customer_codes[act]
    stops = _stops(day, is_cust, cust_code, start, end, eff, new_day)

    visits = np.bincount(stops["day"], minlength=n_days)
    kept = _prefix(eff)  # seconds kept by the rows before each position
    travel_kept = _prefix(np.where(act == ACTIVITY_CODES.index("travel"), eff, 0))
    first_cust, last_cust = _commutes(first, n, travel_kept, stops)

    travel_before, other_before = _before_stops(first, kept, travel_kept, stops)
    stop_min = stops["seconds"] / 60.0
    median = pd.Series(stop_min).groupby(stops["day"]).median().reindex(range(n_days)).to_numpy()
    to_min = 1 / 60.0
    per_day = pd.DataFrame(
        {
            "rep_id": pd.array(np.asarray(rep_names)[rep_code], dtype="str"),
            "date": pd.DatetimeIndex(date_values)[date_code].astype("datetime64[ns]"),
            "day_start": _datetimes(day_start),
            "day_end": _datetimes(day_end),
            "total_min": total * to_min,
            "customer_min": customer * to_min,
            "non_customer_min": non_customer * to_min,
            "unaccounted_min": unaccounted * to_min,
            "overlap_min": overlap * to_min,
            **{activity_column(c): per_act[:, i] * to_min for i, c in enumerate(ACTIVITY_CODES)},
            "visits": visits,
            "avg_visit_min": np.divide(
                customer * to_min, visits, out=np.full(n_days, np.nan), where=visits > 0
            ),
            "median_visit_min": median,
            "customer_share": np.divide(
                customer, total, out=np.full(n_days, np.nan), where=total > 0
            ),
            "travel_share": np.divide(
                per_act[:, ACTIVITY_CODES.index("travel")],
                total,
                out=np.full(n_days, np.nan),
                where=total > 0,
            ),
            "first_commute_min": first_cust,
            "last_commute_min": last_cust,
            "rows": np.bincount(day, minlength=n_days),
        }
    )
    route = _day_route(activities, order, first)
    per_day.insert(2, "route_id", route)
    per_day.insert(3, "region", _region(per_day["rep_id"], reps))

    row = activities["row"].to_numpy()[order] if "row" in activities else np.full(n, -1)
    stops_frame = pd.DataFrame(
        {
            "rep_id": per_day["rep_id"].array.take(stops["day"]),
            "date": per_day["date"].to_numpy()[stops["day"]],
            "customer_id": cust_names.take(
                stops["customer"], allow_fill=True, fill_value=np.nan
            ).array,
            "seq": stops["seq"],
            "start": _datetimes(stops["start"]),
            "end": _datetimes(stops["end"]),
            "visit_min": stop_min,
            "rows": stops["rows"],
            "first_row": row[stops["first_index"]],
            "travel_before_min": travel_before * to_min,
            "other_before_min": other_before * to_min,
        }
    )
    codes = StopCodes(
        stops=stops_frame,
        day=stops["day"],
        day_rep=rep_code,
        rep_names=pd.Index(rep_names, dtype="str"),
        customer=stops["customer"],
        customer_names=cust_names,
    )
    return TimeAllocation(per_day, stops_frame, standards, index, codes)


def _datetimes(seconds: np.ndarray) -> np.ndarray:
    """Seconds since the epoch as ``datetime64[ns]``."""
    return seconds.astype("datetime64[s]").astype("datetime64[ns]")


def _prefix(values: np.ndarray) -> np.ndarray:
    """Exclusive prefix sums (int64): ``out[i]`` is the sum of ``values[:i]``, length n + 1."""
    out = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(values, out=out[1:])
    return out


def _stops(
    day: np.ndarray,
    is_cust: np.ndarray,
    cust_code: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    eff: np.ndarray,
    new_day: np.ndarray,
) -> dict[str, np.ndarray]:
    """Group consecutive customer activities at one customer into stops (sorted arrays in).

    Works on the customer rows only: a customer row continues the stop of the row just before
    it when that row is a customer row at the same customer on the same day.
    """
    idx = np.flatnonzero(is_cust)
    cc = cust_code[idx]
    starts = np.ones(len(idx), dtype=bool)
    if len(idx) > 1:
        cont = (np.diff(idx) == 1) & (cc[1:] == cc[:-1]) & ~new_day[idx[1:]]
        np.logical_not(cont, out=starts[1:])
    bounds = np.flatnonzero(starts)  # position among the customer rows of each stop's first
    n_stops = len(bounds)
    first_index = idx[bounds]
    stop_day = day[first_index]
    if n_stops:
        seconds = np.add.reduceat(eff[idx], bounds)
        s_end = np.maximum.reduceat(end[idx], bounds)
    else:
        seconds = s_end = np.zeros(0, dtype=np.int64)
    # position (in day order) of each stop's last row
    last_index = idx[np.r_[bounds[1:] - 1, len(idx) - 1][:n_stops]]
    # order of each stop within its day
    day_first = day_starts(stop_day)
    seq = np.arange(n_stops) - np.maximum.accumulate(np.where(day_first, np.arange(n_stops), 0))
    return {
        "day": stop_day,
        "customer": cc[bounds],
        "start": start[first_index],
        "end": s_end,
        "seconds": seconds,
        "rows": np.diff(np.r_[bounds, len(idx)]),
        "first_index": first_index,
        "last_index": last_index,
        "seq": seq + 1,
    }


def _before_stops(
    first: np.ndarray, kept: np.ndarray, travel_kept: np.ndarray, stops: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Per stop, the travel and the other non-customer seconds kept just before it.

    A non-customer row belongs to the gap before the next stop of its day (rows after the day's
    last stop belong to no stop): the gap's rows run from the previous stop's last row (or the
    day's first row) to the stop's first row, and every row between two stops is a
    non-customer row, so the gap's seconds are differences of the prefix sums ``kept`` (all
    rows) and ``travel_kept`` (travel rows). The other time includes the unaccounted seconds
    of the gap: the stretch between the previous stop's end (or the day's first row) and the
    stop's start that no row keeps.
    """
    n_stops = len(stops["day"])
    if n_stops == 0:
        return np.zeros(0), np.zeros(0)
    first_of_day = day_starts(stops["day"])
    lo = np.where(first_of_day, first[stops["day"]], np.r_[0, stops["last_index"][:-1] + 1])
    hi = stops["first_index"]
    travel = travel_kept[hi] - travel_kept[lo]
    other = (kept[hi] - kept[lo]) - travel
    # the gap's elapsed time, from the previous stop's end (first stops: no previous stop)
    prev_end = np.r_[np.iinfo(np.int64).min, stops["end"][:-1]]
    elapsed = np.where(first_of_day, travel + other, stops["start"] - prev_end)
    unaccounted = np.clip(elapsed - travel - other, 0, None)
    return travel.astype(float), (other + unaccounted).astype(float)


def _commutes(
    first: np.ndarray, n: int, travel_kept: np.ndarray, stops: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Travel minutes before the day's first stop and after its last one (NaN without stops).

    Rows are in day order, so the rule that the activity that started first keeps shared time
    makes the time each row keeps a run of disjoint intervals in that order: the first
    commute is the travel kept by the rows before the first stop's first row, the last
    commute the travel kept by the rows after the last stop's last row (differences of the
    prefix sums ``travel_kept``). A travel row that overlaps the first visit therefore counts
    whole (it started first and keeps the shared minutes); a visit nested inside a travel row
    keeps no time of its own, so the whole travel row counts as commute.
    """
    n_days = len(first)
    first_pos = np.full(n_days, n, dtype=np.int64)
    last_pos = np.full(n_days, -1, dtype=np.int64)
    if len(stops["day"]):
        # position (in day order) of each day's first stop row and of its last customer row
        first_idx = np.flatnonzero(day_starts(stops["day"]))
        d = stops["day"][first_idx]
        first_pos[d] = stops["first_index"][first_idx]
        last_idx = np.r_[first_idx[1:] - 1, len(stops["day"]) - 1]
        last_pos[d] = stops["last_index"][last_idx]
    has_stop = last_pos >= 0
    day_end = np.r_[first[1:], n][:n_days]  # one past each day's last row
    before = travel_kept[np.where(has_stop, first_pos, first)] - travel_kept[first]
    after = travel_kept[day_end] - travel_kept[np.where(has_stop, last_pos + 1, day_end)]
    return np.where(has_stop, before / 60, np.nan), np.where(has_stop, after / 60, np.nan)


def _day_route(activities: pd.DataFrame, order: np.ndarray, first: np.ndarray) -> pd.Series:
    """Per rep-day: the route of its first row (in day order) that names one."""
    n_days, n = len(first), len(order)
    if "route_id" not in activities or n == 0:
        return pd.Series(np.nan, index=range(n_days), dtype="str")
    route = activities["route_id"]
    known = route.notna().to_numpy()[order]
    pos = np.minimum.reduceat(np.where(known, np.arange(n), n), first)
    has = pos < n
    # only the days' routes are read as text, never the whole column
    names = route.take(order[pos[has]]).astype("str").array
    which = np.full(n_days, -1)
    which[has] = np.arange(int(has.sum()))
    return pd.Series(names.take(which, allow_fill=True))


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
    cust = customers.drop_duplicates("customer_id").set_index("customer_id")
    day_of = time.stop_day
    codes = time.stop_codes
    route: object
    if codes is not None:
        # the customers' routes as codes into their sorted names: no id is hashed per visit
        where = codes.customer_positions(cust.index)
        code, names = pd.factorize(cust["route_id"].astype("str"), sort=True)
        route = grouping(np.r_[code, -1][where], pd.Index(names, dtype="str"))
    else:
        where = positions(time.stops["customer_id"], cust.index)
        route = cust["route_id"].astype("str").array.take(where, allow_fill=True)
    mode = mode_by(pd.DataFrame({"day": day_of, "route_id": route}), ["day"], "route_id")
    mode = mode.astype("str")
    from_customers = pd.Series(mode.reindex(range(len(per_day))).to_numpy(), index=per_day.index)
    filled = per_day["route_id"].fillna(from_customers).astype("str")
    return replace(time, per_day=per_day.assign(route_id=filled))
