"""From CRM check-in/check-out logs to the activity timeline of the route activity survey.

A CRM export records only the visits. :func:`derive_activities` rebuilds each rep-day:

1. The day runs from the shift's ``day_start`` to its ``day_end`` (``shifts``), stretched to
   cover every visit of the day; with no shift, from the first check-in to the last check-out
   (the commute from home and back is then unknown, not zero).
2. ``meeting_min`` minutes at the start of the day become a ``morning_meeting``, and
   ``admin_min`` minutes at the end become ``admin``, each cut short where a visit begins
   (or ends) inside it.
3. Each visit becomes a ``visit`` from check-in to check-out.
4. Each gap between two consecutive events becomes ``travel`` up to a **plausible travel
   time**, and the rest of the gap ``unexplained`` (non-customer time that the log cannot
   account for) — except the **assumed lunch break**: on a day with no lunch logged,
   ``Method.lunch_min`` (30 minutes) of the unexplained stretch that overlaps the lunch
   window (11:00–14:00) most becomes ``lunch``, since a check-in log never records it. The
   plausible travel time between two stores is ``checkin_slack × drive time +
   checkin_overhead_min``, where the drive time comes from the method's travel model
   (:class:`tts.Method`) on the great-circle distance between the two customers'
   coordinates (and the rep's home for the first and last legs). Where a coordinate is
   missing, ``checkin_no_coordinates_min`` stands in for it.

Overlapping visits are kept as logged (the audit reports them); the gap between them is empty.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .method import Method
from .schema import ACTIVITY_CODES
from .travel import TravelModel, haversine_m

__all__ = ["derive_activities"]

_DAY = ["rep_id", "date"]


def derive_activities(
    visits: pd.DataFrame,
    shifts: pd.DataFrame | None = None,
    customers: pd.DataFrame | None = None,
    reps: pd.DataFrame | None = None,
    *,
    method: Method | None = None,
) -> pd.DataFrame:
    """Rebuild the activity timeline of each rep-day from check-in/check-out logs.

    Parameters
    ----------
    visits : pandas.DataFrame
        Canonical visits: ``rep_id``, ``customer_id``, ``check_in``, ``check_out``, ``row``.
    shifts : pandas.DataFrame, optional
        Canonical shifts: ``rep_id``, ``date``, ``day_start``, ``day_end``, optional
        ``meeting_min`` and ``admin_min`` (minutes).
    customers : pandas.DataFrame, optional
        Canonical customers with ``lat``, ``lon`` (degrees), for plausible travel times.
    reps : pandas.DataFrame, optional
        Canonical reps with ``home_lat``, ``home_lon`` (degrees), for the first and last legs.
    method : Method, optional
        The travel model and ``checkin_slack`` (dimensionless), ``checkin_overhead_min`` and
        ``checkin_no_coordinates_min`` (minutes); default ``Method()``.

    Returns
    -------
    pandas.DataFrame
        Canonical activities: ``rep_id``, ``date``, ``start``, ``end``, ``activity``,
        ``customer_id``, ``route_id``, ``row`` and ``source``: the visits (``visits``) or shifts
        (``shifts``) row each activity comes from; travel and unexplained time are
        ``derived`` and have no row. With the visits' ``checkin_offset_m`` (metres, the
        system's distance of the check-in from the store), the visits keep it for the audit.

    Examples
    --------
    >>> v = pd.DataFrame({"rep_id": ["r1", "r1"], "customer_id": ["c1", "c2"],
    ...     "check_in": pd.to_datetime(["2026-03-02 09:00", "2026-03-02 10:00"]),
    ...     "check_out": pd.to_datetime(["2026-03-02 09:10", "2026-03-02 10:05"]), "row": [2, 3]})
    >>> a = derive_activities(v)
    >>> a[["activity", "start", "end"]].astype(str).values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['visit', '2026-03-02 09:00:00', '2026-03-02 09:10:00'],
     ['travel', '2026-03-02 09:10:00', '2026-03-02 09:40:00'],
     ['unexplained', '2026-03-02 09:40:00', '2026-03-02 10:00:00'],
     ['visit', '2026-03-02 10:00:00', '2026-03-02 10:05:00']]
    """
    method = method or Method()
    travel = method.travel
    slack, overhead_min = method.checkin_slack, method.checkin_overhead_min
    no_coordinates_min = method.checkin_no_coordinates_min
    v = visits.assign(date=visits["check_in"].dt.normalize())
    v = v.sort_values([*_DAY, "check_in", "check_out"], kind="stable").reset_index(drop=True)
    if "route_id" not in v:
        v["route_id"] = pd.Series(np.nan, index=v.index, dtype="str")
    v = _with_coordinates(v, customers)

    days = v.groupby(_DAY, sort=False).agg(
        first_in=("check_in", "min"), last_out=("check_out", "max")
    )
    days = _day_bounds(days, shifts)
    days = _with_home(days, reps)

    # Anchor events: the day's opening (end of meeting) and closing (start of admin).
    v = v.join(days[["open", "close", "home_lat", "home_lon"]], on=_DAY)
    grp = v.groupby(_DAY, sort=False)
    prev_end = grp["check_out"].shift().fillna(v["open"])
    prev_lat = grp["lat"].shift().where(grp.cumcount() > 0, v["home_lat"])
    prev_lon = grp["lon"].shift().where(grp.cumcount() > 0, v["home_lon"])
    legs = [
        _gaps(
            v[_DAY + ["route_id"]],
            prev_end,
            v["check_in"],
            prev_lat,
            prev_lon,
            v["lat"],
            v["lon"],
            travel,
            slack,
            overhead_min,
            no_coordinates_min,
        ),
    ]
    last = grp.tail(1)
    legs.append(
        _gaps(
            last[_DAY + ["route_id"]],
            last["check_out"],
            last["close"],
            last["lat"],
            last["lon"],
            last["home_lat"],
            last["home_lon"],
            travel,
            slack,
            overhead_min,
            no_coordinates_min,
        )
    )
    visits_part = pd.DataFrame(
        {
            "rep_id": v["rep_id"],
            "date": v["date"],
            "start": v["check_in"],
            "end": v["check_out"],
            "activity": "visit",
            "customer_id": v["customer_id"],
            "route_id": v["route_id"],
            "row": v["row"].astype("Int64"),
            "source": "visits",
        }
    )
    if "checkin_offset_m" in v:  # the system's own check-in distance, for the audit
        visits_part["checkin_offset_m"] = v["checkin_offset_m"].astype(float)
    fixed = _fixed_blocks(days)
    out = pd.concat([visits_part, fixed, *legs], ignore_index=True)
    out = _assume_lunch(out, method)
    out = out.sort_values([*_DAY, "start", "end"], kind="stable").reset_index(drop=True)
    out["activity"] = pd.Categorical(out["activity"], categories=list(ACTIVITY_CODES))
    out["customer_id"] = out["customer_id"].astype("str")
    out["route_id"] = out["route_id"].astype("str")
    out["source"] = pd.Categorical(out["source"], categories=["visits", "shifts", "derived"])
    return out


def _assume_lunch(acts: pd.DataFrame, method: Method) -> pd.DataFrame:
    """On each rep-day with no lunch logged, the assumed lunch break out of unexplained time.

    The break (``method.lunch_min``) is taken from the unexplained stretch that overlaps the
    lunch window (``method.lunch_window``) most, from where the overlap begins; a stretch
    shorter than the break gives what it has. The rest of the stretch stays unexplained.
    """
    if method.lunch_min <= 0 or acts.empty:
        return acts
    day = pd.to_datetime(acts["date"]).dt.normalize()
    w0 = day + pd.Timedelta(method.lunch_window[0] + ":00")
    w1 = day + pd.Timedelta(method.lunch_window[1] + ":00")
    overlap = (acts["end"].clip(upper=w1) - acts["start"].clip(lower=w0)).dt.total_seconds()
    logged = acts["activity"].eq("lunch").groupby([acts[c] for c in _DAY]).transform("any")
    pick = acts["activity"].eq("unexplained") & (overlap > 0) & ~logged
    if not pick.any():
        return acts
    cand = acts[pick].assign(_overlap=overlap[pick])
    best = cand.sort_values("_overlap", ascending=False, kind="stable").groupby(_DAY).head(1)
    start = best["start"].clip(lower=w0[best.index])
    end = (start + pd.Timedelta(minutes=method.lunch_min)).clip(upper=best["end"])
    before = best.assign(end=start)[start > best["start"]]
    lunch = best.assign(start=start, end=end, activity="lunch")
    after = best.assign(start=end)[best["end"] > end]
    parts = [acts.drop(index=best.index), before, lunch, after]
    return pd.concat(parts, ignore_index=True).drop(columns="_overlap")


def _with_coordinates(v: pd.DataFrame, customers: pd.DataFrame | None) -> pd.DataFrame:
    if customers is None or "lat" not in customers:
        return v.assign(lat=np.nan, lon=np.nan)
    coords = customers.drop_duplicates("customer_id").set_index("customer_id")[["lat", "lon"]]
    return v.join(coords, on="customer_id")


def _day_bounds(days: pd.DataFrame, shifts: pd.DataFrame | None) -> pd.DataFrame:
    zero = pd.Timedelta(0)
    if shifts is not None and not shifts.empty:
        s = shifts.set_index(_DAY)
        days = days.join(s[["day_start", "day_end"]])
        meeting = s["meeting_min"] if "meeting_min" in s else None
        admin = s["admin_min"] if "admin_min" in s else None
        days["meeting"] = pd.to_timedelta(
            meeting.reindex(days.index).fillna(0.0) if meeting is not None else 0.0, unit="min"
        )
        days["admin"] = pd.to_timedelta(
            admin.reindex(days.index).fillna(0.0) if admin is not None else 0.0, unit="min"
        )
        row = s["row"].reindex(days.index) if "row" in s else np.nan
        days["shift_row"] = pd.array(row, dtype="Int64")
    else:
        days["day_start"] = pd.NaT
        days["day_end"] = pd.NaT
        days["meeting"] = zero
        days["admin"] = zero
        days["shift_row"] = pd.array([pd.NA] * len(days), dtype="Int64")
    days["day_start"] = days["day_start"].fillna(days["first_in"]).clip(upper=days["first_in"])
    days["day_end"] = days["day_end"].fillna(days["last_out"]).clip(lower=days["last_out"])
    days["open"] = (days["day_start"] + days["meeting"]).clip(upper=days["first_in"])
    days["close"] = (days["day_end"] - days["admin"]).clip(lower=days["last_out"])
    return days


def _with_home(days: pd.DataFrame, reps: pd.DataFrame | None) -> pd.DataFrame:
    if reps is None or "home_lat" not in reps or "home_lon" not in reps:
        return days.assign(home_lat=np.nan, home_lon=np.nan)
    home = reps.drop_duplicates("rep_id").set_index("rep_id")[["home_lat", "home_lon"]]
    return days.join(home, on="rep_id")


def _fixed_blocks(days: pd.DataFrame) -> pd.DataFrame:
    """Meeting at the start and admin at the end of each day, where they last > 0."""
    d = days.reset_index()
    meeting = d[d["open"] > d["day_start"]]
    admin = d[d["day_end"] > d["close"]]
    parts = [
        pd.DataFrame(
            {
                "rep_id": meeting["rep_id"],
                "date": meeting["date"],
                "start": meeting["day_start"],
                "end": meeting["open"],
                "activity": "morning_meeting",
                "row": meeting["shift_row"],
                "source": "shifts",
            }
        ),
        pd.DataFrame(
            {
                "rep_id": admin["rep_id"],
                "date": admin["date"],
                "start": admin["close"],
                "end": admin["day_end"],
                "activity": "admin",
                "row": admin["shift_row"],
                "source": "shifts",
            }
        ),
    ]
    out = pd.concat(parts, ignore_index=True)
    return out.assign(
        customer_id=pd.Series(np.nan, index=out.index, dtype="str"),
        route_id=pd.Series(np.nan, index=out.index, dtype="str"),
    )


def _gaps(
    keys: pd.DataFrame,
    start: pd.Series,
    end: pd.Series,
    lat1: pd.Series,
    lon1: pd.Series,
    lat2: pd.Series,
    lon2: pd.Series,
    travel: TravelModel,
    slack: float,
    overhead_min: float,
    no_coordinates_min: float,
) -> pd.DataFrame:
    """Split each positive gap into plausible travel and unexplained time."""
    gap = end - start
    has_gap = gap > pd.Timedelta(0)
    drive = travel.minutes(
        haversine_m(
            lat1.to_numpy(float), lon1.to_numpy(float), lat2.to_numpy(float), lon2.to_numpy(float)
        )
    )
    plausible_min = np.where(np.isnan(drive), no_coordinates_min, slack * drive + overhead_min)
    plausible = pd.to_timedelta(np.round(plausible_min * 60.0), unit="s")
    plausible = pd.Series(plausible, index=gap.index)
    split = start + np.minimum(gap, plausible)
    base = keys.assign(
        customer_id=pd.Series(np.nan, index=keys.index, dtype="str"),
        row=pd.array([pd.NA] * len(keys), dtype="Int64"),
        source="derived",
    )
    trav = base.assign(start=start, end=split, activity="travel")[has_gap]
    rest = base.assign(start=split, end=end, activity="unexplained")[has_gap & (end > split)]
    return pd.concat([trav, rest], ignore_index=True)
