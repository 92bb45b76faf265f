"""Travel calibrated on the survey's own travel: drive minutes a rep would recognise.

A travel model (great-circle distance × circuity ÷ speed) or a road matrix predicts drive
times; the survey logs them. Before any route is optimised, the model is fitted to the logged
travel, so that the logged order's drive minutes agree with the travel the reps logged and a
saving is stated in minutes they recognise.

**Evidence.** A *hop* is the drive between two consecutive stops of a rep-day; with homes in
the reps table, the commute from home to the first stop and from the last stop home are hops
too. Its logged minutes are, in an activity survey, the travel kept between the two stops
(a hop holding any other activity — lunch, admin, an unaccounted gap — is left out: it is not
a pure drive); in a check-in log, whose travel rows are themselves modelled, the elapsed time
from the check-out to the next check-in. Its modelled minutes come from the travel source on
the same two points. Hops whose ratio logged ÷ modelled falls outside
``Method.calibration_ratio`` (default 0.25–4: a stop coded twice, a drive logged as a visit),
or whose modelled drive is zero (the same point twice), are trimmed.

**Fit.** For each rep, the factor is a ratio of sums: logged minutes ÷ modelled minutes over
its kept hops, when it has at least ``Method.calibration_min_hops`` of them; else its route's,
its region's, then the team's factor (the first with enough hops). Without enough hops in the
whole team the factor is 1 (the model as it is) and the calibration says so. A calibrated
model multiplies every drive time by the rep's factor; road distances are unchanged.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._options import instance_of
from .legs import home_positions, stop_coordinates
from .method import Method
from .time_use import TimeAllocation
from .travel import TravelMatrix, TravelModel, TravelSource, haversine_m

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["ScaledTravel", "TravelCalibration", "calibrate_travel", "travel_hops"]

_LEVELS = ("rep", "route", "region", "team")


@dataclass(frozen=True)
class ScaledTravel:
    """A travel service (such as OSRM) whose drive times are multiplied by ``factor``.

    Road distances are unchanged. A :class:`~tts.travel.TravelModel` or a
    :class:`~tts.travel.TravelMatrix` is scaled in place instead.

    Attributes
    ----------
    source : TravelSource
        The matrix or service being calibrated.
    factor : float
        Logged ÷ modelled drive time (dimensionless).
    """

    source: TravelSource
    factor: float

    def matrix(
        self, ids: Sequence[str], lat: npt.ArrayLike, lon: npt.ArrayLike
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Drive times (seconds, scaled) and road distances (metres) between the points."""
        dur, dist = self.source.matrix(ids, lat, lon)
        return np.rint(dur * self.factor).astype(np.int64), dist


@dataclass(frozen=True)
class TravelCalibration:
    """The travel model fitted to the logged travel.

    Attributes
    ----------
    reps : pandas.DataFrame
        One row per rep: ``rep_id``, ``factor`` (logged ÷ modelled drive time), ``level``
        (where the factor comes from: ``rep``, ``route``, ``region``, ``team`` or ``default``),
        ``hops`` (the rep's own hops kept), ``hops_trimmed``, ``logged_min`` and
        ``modelled_min`` (over the kept hops), ``ratio_p25`` and ``ratio_p75`` (spread of the
        kept hops' ratios).
    team_factor : float
        The team's ratio of sums (1 when there is not enough evidence).
    hops : int
        Hops kept in the whole team.
    source : TravelSource
        The uncalibrated source.
    note : str
        Why the default model is used, when it is.
    """

    reps: pd.DataFrame
    team_factor: float
    hops: int
    source: TravelSource
    note: str = ""

    @property
    def factors(self) -> dict[str, float]:
        """Rep id → factor."""
        return dict(zip(self.reps["rep_id"].astype(str), self.reps["factor"], strict=True))

    def source_for(self, rep_id: object) -> TravelSource:
        """The calibrated travel source of one rep (the team's factor for an unknown rep)."""
        factor = self.factors.get(str(rep_id), self.team_factor)
        if isinstance(self.source, TravelModel):
            return replace(self.source, factor=self.source.factor * factor)
        if isinstance(self.source, TravelMatrix):
            if factor == 1.0:
                return self.source
            scaled = np.rint(self.source.duration_s * factor).astype(np.int64)
            return TravelMatrix(self.source.ids, scaled, self.source.distance_m)
        return ScaledTravel(self.source, factor)

    def __repr__(self) -> str:
        own = int((self.reps["level"] == "rep").sum())
        note = f"; {self.note}" if self.note else ""
        return (
            f"TravelCalibration(team factor {self.team_factor:.2f} over {self.hops} hops; "
            f"{own} of {len(self.reps)} reps on their own hops{note})"
        )

    def _repr_html_(self) -> str:
        table = self.reps.round(2).to_html(index=False, escape=True)
        return (
            f"<div><p><b>Travel calibration</b>: team factor {self.team_factor:.2f} "
            f"(logged ÷ modelled drive minutes) over {self.hops:,} hops. "
            f"{html.escape(self.note)}</p>{table}</div>"
        )


def travel_hops(
    time: TimeAllocation,
    customers: pd.DataFrame | None,
    *,
    reps: pd.DataFrame | None = None,
    travel: TravelSource | None = None,
    checkin_log: bool = False,
) -> pd.DataFrame:
    """Every hop of the survey with its logged and modelled drive minutes.

    Parameters
    ----------
    time : TimeAllocation
        From :func:`tts.time_use.allocate_time`.
    customers : pandas.DataFrame, optional
        Canonical customers with ``lat``, ``lon`` (degrees).
    reps : pandas.DataFrame, optional
        With ``home_lat``, ``home_lon``: the commutes from and to home are hops too.
    travel : TravelSource, optional
        Default ``TravelModel()``.
    checkin_log : bool
        The activities were derived from a check-in log: a hop's logged minutes are then the
        elapsed time between the check-out and the next check-in.

    Returns
    -------
    pandas.DataFrame
        One row per hop: ``rep_id``, ``date``, ``kind`` (``between``, ``from_home``,
        ``to_home``), ``logged_min``, ``modelled_min`` and ``pure`` (False where the gap holds
        another activity, for surveys).
    """
    travel = travel or TravelModel()
    stops = time.stops
    if stops.empty or customers is None:
        return pd.DataFrame(
            columns=["rep_id", "date", "kind", "logged_min", "modelled_min", "pure"]
        )
    xy = stop_coordinates(stops, customers)
    day = time.stop_day
    per_day = time.per_day
    first = np.r_[True, day[1:] != day[:-1]]
    last = np.r_[day[1:] != day[:-1], True]
    between = ~first
    prev = np.flatnonzero(between) - 1
    cur = np.flatnonzero(between)
    if checkin_log:
        start = stops["start"].to_numpy()
        end = stops["end"].to_numpy()
        logged = (start[cur] - end[prev]) / np.timedelta64(1, "m")
        pure = np.ones(len(cur), dtype=bool)
    else:
        logged = stops["travel_before_min"].to_numpy()[cur]
        pure = stops["other_before_min"].to_numpy()[cur] == 0
    parts = [
        {
            "rep_id": stops["rep_id"].to_numpy()[cur],
            "date": stops["date"].to_numpy()[cur],
            "kind": "between",
            "logged_min": logged,
            "pure": pure,
            "a": xy[prev],
            "b": xy[cur],
            "ids": list(
                zip(stops["customer_id"].iloc[prev], stops["customer_id"].iloc[cur], strict=True)
            ),
        }
    ]
    homes = home_positions(reps)
    if homes is not None and not checkin_log:
        rep_of = stops["rep_id"].astype(str).to_numpy()
        home_xy = homes.reindex(rep_of).to_numpy(float)
        f, lst = np.flatnonzero(first), np.flatnonzero(last)
        d = per_day[per_day["visits"] > 0]
        parts.append(
            {
                "rep_id": rep_of[f],
                "date": stops["date"].to_numpy()[f],
                "kind": "from_home",
                "logged_min": d["first_commute_min"].to_numpy(),
                "pure": np.ones(len(f), dtype=bool),
                "a": home_xy[f],
                "b": xy[f],
                "ids": list(zip(rep_of[f], stops["customer_id"].iloc[f], strict=True)),
            }
        )
        parts.append(
            {
                "rep_id": rep_of[lst],
                "date": stops["date"].to_numpy()[lst],
                "kind": "to_home",
                "logged_min": d["last_commute_min"].to_numpy(),
                "pure": np.ones(len(lst), dtype=bool),
                "a": xy[lst],
                "b": home_xy[lst],
                "ids": list(zip(stops["customer_id"].iloc[lst], rep_of[lst], strict=True)),
            }
        )
    frames = []
    for p in parts:
        modelled = _modelled_min(p["a"], p["b"], p["ids"], travel)
        frames.append(
            pd.DataFrame(
                {
                    "rep_id": pd.array(p["rep_id"], dtype="str"),
                    "date": p["date"],
                    "kind": p["kind"],
                    "logged_min": np.asarray(p["logged_min"], dtype=float),
                    "modelled_min": modelled,
                    "pure": p["pure"],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _modelled_min(
    a: np.ndarray, b: np.ndarray, ids: list[tuple[object, object]], travel: TravelSource
) -> np.ndarray:
    """Drive minutes of each hop from ``a`` to ``b`` (NaN where a point is unknown)."""
    if isinstance(travel, TravelModel):
        great = haversine_m(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        return np.rint(travel.minutes(great) * 60.0) / 60.0
    out = np.full(len(ids), np.nan)
    known = set(getattr(travel, "ids", ()))
    for i, (x, y) in enumerate(ids):  # a matrix or service: one lookup per hop
        if known and (str(x) not in known or str(y) not in known):
            continue
        if not known and np.isnan(np.r_[a[i], b[i]]).any():
            continue
        dur, _ = travel.matrix([str(x), str(y)], np.r_[a[i, 0], b[i, 0]], np.r_[a[i, 1], b[i, 1]])
        out[i] = dur[0, 1] / 60.0
    return out


def calibrate_travel(
    time: TimeAllocation,
    customers: pd.DataFrame | None,
    *,
    reps: pd.DataFrame | None = None,
    travel: TravelSource | None = None,
    method: Method | None = None,
    checkin_log: bool = False,
) -> TravelCalibration:
    """Fit the travel source to the logged travel, per rep with fallbacks.

    Parameters
    ----------
    time : TimeAllocation
        From :func:`tts.time_use.allocate_time`.
    customers : pandas.DataFrame, optional
        Canonical customers with ``lat``, ``lon`` (degrees).
    reps : pandas.DataFrame, optional
        Canonical reps: homes (commutes are hops too) and ``region`` (a fallback level).
    travel : TravelSource, optional
        What to calibrate; default ``method.travel``.
    method : Method, optional
        ``calibration_min_hops`` and ``calibration_ratio``; default ``Method()``.
    checkin_log : bool
        The activities were derived from a check-in log (see :func:`travel_hops`).

    Returns
    -------
    TravelCalibration
    """
    instance_of("calibrate_travel", "time", time, TimeAllocation)
    instance_of("calibrate_travel", "customers", customers, (pd.DataFrame, type(None)))
    instance_of("calibrate_travel", "method", method, (Method, type(None)))
    method = method or Method()
    travel = travel or method.travel
    hops = travel_hops(time, customers, reps=reps, travel=travel, checkin_log=checkin_log)
    lo, hi = method.calibration_ratio
    ratio = hops["logged_min"] / hops["modelled_min"]
    kept = hops["pure"] & (hops["modelled_min"] > 0) & ratio.between(lo, hi)
    kept &= hops["logged_min"].notna()
    h = hops[kept].assign(ratio=ratio[kept].astype(float))
    rep_ids = pd.Index(time.per_day["rep_id"].astype(str).unique(), name="rep_id").sort_values()
    # each rep's route (its most frequent) and region, for the fallbacks
    d = time.per_day.assign(rep_id=time.per_day["rep_id"].astype(str))
    route = d.groupby("rep_id")["route_id"].agg(
        lambda s: s.mode().iat[0] if s.notna().any() else None
    )
    region = d.groupby("rep_id")["region"].first()
    h = h.assign(route=h["rep_id"].map(route), region=h["rep_id"].map(region))
    need = method.calibration_min_hops
    sums: dict[str, pd.DataFrame] = {}
    for level, key in (("rep", "rep_id"), ("route", "route"), ("region", "region")):
        g = h.groupby(key)[["logged_min", "modelled_min"]].agg(["sum", "size"])
        sums[level] = g
    team_logged, team_model = float(h["logged_min"].sum()), float(h["modelled_min"].sum())
    enough_team = len(h) >= need and team_model > 0
    team_factor = team_logged / team_model if enough_team else 1.0
    note = (
        ""
        if enough_team
        else f"only {len(h)} logged hops (at least {need} needed): the travel model as it is"
    )
    # each rep's own evidence, in one pass over the hops
    by_rep = h.groupby("rep_id")
    own = pd.DataFrame(
        {
            "hops": by_rep.size(),
            "hops_trimmed": (~kept).groupby(hops["rep_id"]).sum(),
            "logged_min": by_rep["logged_min"].sum(),
            "modelled_min": by_rep["modelled_min"].sum(),
            "ratio_p25": by_rep["ratio"].quantile(0.25),
            "ratio_p75": by_rep["ratio"].quantile(0.75),
        }
    ).reindex(rep_ids)
    own[["hops", "hops_trimmed"]] = own[["hops", "hops_trimmed"]].fillna(0).astype(int)
    own[["logged_min", "modelled_min"]] = own[["logged_min", "modelled_min"]].fillna(0.0)
    rows = []
    for rep in rep_ids:  # one lookup per rep for its fallback level, not per hop
        keys = {"rep": rep, "route": route.get(rep), "region": region.get(rep)}
        factor, level = (team_factor, "team") if enough_team else (1.0, "default")
        for lv in ("rep", "route", "region"):
            g, k = sums[lv], keys[lv]
            if k is None or (isinstance(k, float) and np.isnan(k)) or k not in g.index:
                continue
            n = int(g.at[k, ("logged_min", "size")])
            model = float(g.at[k, ("modelled_min", "sum")])
            if n >= need and model > 0:
                factor, level = float(g.at[k, ("logged_min", "sum")]) / model, lv
                break
        rows.append({"rep_id": rep, "factor": factor, "level": level})
    table = pd.DataFrame(rows).join(own, on="rep_id")
    return TravelCalibration(table, team_factor, len(h), travel, note)


def calibrated_method(
    method: Method,
    time: TimeAllocation,
    customers: pd.DataFrame | None,
    *,
    reps: pd.DataFrame | None = None,
    checkin_log: bool = False,
) -> Method:
    """``method`` with its travel model scaled by the team's calibration factor.

    The weekly planner and the territory plan move customers between days and reps, so they
    use one factor for the team (the ratio of sums over every logged hop) for both the logged
    side and the plan. Unchanged when ``method.calibrate`` is off or the fit has too few hops.
    """
    if not method.calibrate:
        return method
    cal = calibrate_travel(
        time, customers, reps=reps, travel=method.travel, method=method, checkin_log=checkin_log
    )
    if cal.note:
        return method
    travel = replace(method.travel, factor=method.travel.factor * cal.team_factor)
    return replace(method, travel=travel)
