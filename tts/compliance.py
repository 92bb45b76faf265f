"""Comparison of the observed working day with the standards, per rep and for the team."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._options import instance_of
from .catalogue import KINDS
from .method import Method
from .rep_days import codes
from .standards import Standards
from .time_use import TimeAllocation

__all__ = ["METRICS", "StandardsComparison", "compare_with_standards", "metric_parts"]

#: The compared metrics and the kind of their standard: ``min`` a floor, ``max`` a ceiling,
#: ``band`` a target range. Their titles and units are in the findings catalogue.
METRICS: dict[str, str] = {
    "customer_share": "min",
    "avg_visit_min": "band",
    "meeting_min": "max",
    "admin_min": "max",
    "travel_share": "max",
    "day_h": "max",
    "visits": "max",
}


@dataclass(frozen=True)
class StandardsComparison:
    """Observed values against the standards.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (level, rep, metric): ``level`` (``rep`` or ``team``), ``rep_id`` (empty for
        the team), ``metric``, ``label``, ``unit``, ``observed``, ``target_low``,
        ``target_high`` (NaN where open), ``gap`` (by how much the standard is missed, in the
        metric's unit; 0 when met), ``reps`` and ``reps_short`` (reps that miss it: 1 or 0 on
        a rep's row), ``rep_days``, ``rep_days_short`` (days that miss it) and ``light``.
        A rep's light is ``green`` when met, ``amber`` when missed by at most
        ``Method.amber_margin`` of the target, else ``red``. The team's light counts people:
        ``red`` when at least ``Method.team_red_rep_share`` of the reps miss the standard,
        ``amber`` when any rep, more than ``Method.team_amber_day_share`` of the rep-days, or
        the team's own value miss it, ``green`` only when none does. ``not_measured`` (observed
        NaN) where the data cannot measure the standard: the meeting or admin when no rep-day
        records that activity at all.
    """

    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The comparison table."""
        return self.table.copy()

    def team(self) -> pd.DataFrame:
        """The team rows only."""
        return self.table[self.table["level"] == "team"].reset_index(drop=True)

    def __repr__(self) -> str:
        t = self.team()
        red = ", ".join(t.loc[t["light"] == "red", "metric"]) or "none"
        return f"StandardsComparison({len(t)} standards; team red on: {red})"

    def _repr_html_(self) -> str:
        colours = {
            "green": "#2e7d32",
            "amber": "#f9a825",
            "red": "#c62828",
            "not_measured": "#9e9e9e",
        }
        rows = []
        for _, r in self.team().iterrows():
            dot = f'<span style="color:{colours[r["light"]]}">&#9679;</span>'
            rows.append(
                f"<tr><td>{dot}</td><td>{r['label']}</td><td>{_fmt(r['observed'], r['unit'])}"
                f"</td><td>{_target(r)}</td><td>{r['rep_days_short']} of {r['rep_days']}</td>"
                "</tr>"
            )
        head = (
            "<p><b>Against the standards</b> (team)</p><table><tr><th></th><th>standard</th>"
            "<th>observed</th><th>target</th><th>rep-days short</th></tr>"
        )
        per_rep = self.table[self.table["level"] == "rep"].pivot(
            index="rep_id", columns="metric", values="light"
        )
        return (
            f"<div>{head}{''.join(rows)}</table><details><summary>Per rep</summary>"
            f"{per_rep.to_html(escape=True)}</details></div>"
        )


def _fmt(value: float, unit: str) -> str:
    if unit == "share":
        return f"{value:.1%}"
    return f"{value:.1f} {unit}"


def _target(row: pd.Series) -> str:
    lo, hi, unit = row["target_low"], row["target_high"], row["unit"]
    if pd.notna(lo) and pd.notna(hi):
        return f"{_fmt(lo, unit)} – {_fmt(hi, unit)}"
    return f"≥ {_fmt(lo, unit)}" if pd.notna(lo) else f"≤ {_fmt(hi, unit)}"


def _targets(s: Standards) -> dict[str, tuple[float, float]]:
    nan = np.nan
    return {
        "customer_share": (s.customer_share_min, nan),
        "avg_visit_min": s.visit_min,
        "meeting_min": (nan, s.meeting_max_min),
        "admin_min": (nan, s.admin_max_min),
        "travel_share": (nan, s.travel_share[1]),
        "day_h": (nan, s.day_max_h),
        "visits": (nan, float(s.visits_max)),
    }


#: Activities whose standard the data can only measure when the survey records them at all.
_RECORDED = {"meeting_min": "meeting_min", "admin_min": "admin_min"}


def _measured(d: pd.DataFrame) -> dict[str, bool]:
    """Whether the data can measure each standard.

    A standard of one non-customer activity (the meeting, admin) is not measured when no
    rep-day records that activity at all: a check-in log, or a survey that did not code it,
    says nothing about it, and a zero there would read as a standard met.
    """
    out = dict.fromkeys(METRICS, True)
    for metric, column in _RECORDED.items():
        out[metric] = bool(len(d)) and bool((d[column] > 0).any())
    out["avg_visit_min"] = bool((d["visits"] > 0).any())
    return out


def _team_light(
    reps_short: int, reps: int, days_short: int, days: int, gap: float, method: Method
) -> str:
    """The team's light on one standard, counted in people and days.

    Red when at least ``method.team_red_rep_share`` of the reps miss it; amber when any rep
    misses it, more than ``method.team_amber_day_share`` of the rep-days do, or the team's own
    value misses it; green only when none of these holds.
    """
    if reps and reps_short >= method.team_red_rep_share * reps:
        return "red"
    if reps_short or days_short > method.team_amber_day_share * days or gap > 0:
        return "amber"
    return "green"


def _gap(observed: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    below = np.where(np.isnan(lo), 0.0, np.clip(lo - observed, 0, None))
    above = np.where(np.isnan(hi), 0.0, np.clip(observed - hi, 0, None))
    return np.where(np.isnan(observed), np.nan, below + above)


def _outside(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Where ``values`` fall outside [lo, hi] (a NaN bound: no bound; a NaN value: never):
    ``_gap(values, lo, hi) > 0`` in two comparisons.
    """
    with np.errstate(invalid="ignore"):
        return (values < lo) | (values > hi)


def _day_values(d: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_share": d["customer_share"],
            "avg_visit_min": d["avg_visit_min"],
            "meeting_min": d["meeting_min"],
            "admin_min": d["admin_min"],
            "travel_share": d["travel_share"],
            "day_h": d["total_min"] / 60.0,
            "visits": d["visits"].astype(float),
        }
    )


def metric_parts(d: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per rep-day, the numerator and denominator of each metric's team value.

    A group's value is the sum of numerators ÷ the sum of denominators over its days: a ratio
    of sums for the shares and minutes a visit, a mean a day (denominator 1) for the rest.
    """
    one = np.ones(len(d))
    return {
        "customer_share": (d["customer_min"].to_numpy(float), d["total_min"].to_numpy(float)),
        "avg_visit_min": (d["customer_min"].to_numpy(float), d["visits"].to_numpy(float)),
        "meeting_min": (d["meeting_min"].to_numpy(float), one),
        "admin_min": (d["admin_min"].to_numpy(float), one),
        "travel_share": (d["travel_min"].to_numpy(float), d["total_min"].to_numpy(float)),
        "day_h": (d["total_min"].to_numpy(float) / 60.0, one),
        "visits": (d["visits"].to_numpy(float), one),
    }


def _observed(d: pd.DataFrame, by: pd.Series | np.ndarray) -> pd.DataFrame:
    code, names = codes(pd.Series(by), sort=True)
    out = {}
    for metric, (num, den) in metric_parts(d).items():
        n = np.bincount(code, weights=num, minlength=len(names))
        k = np.bincount(code, weights=den, minlength=len(names))
        out[metric] = np.divide(n, k, out=np.full(len(names), np.nan), where=k > 0)
    return pd.DataFrame(out, index=pd.Index(names))


def _stop_bands(
    stops: pd.DataFrame, customers: pd.DataFrame | None, standards: Standards
) -> pd.DataFrame | None:
    """Each visit's band from its customer's channel, when any channel has its own band."""
    if not standards.channel or customers is None or "channel" not in customers:
        return None
    channel = customers.drop_duplicates("customer_id").set_index("customer_id")["channel"]
    ch = stops["customer_id"].map(channel).astype(object)
    bands = np.array([standards.visit_band(c) for c in ch], dtype=float).reshape(-1, 2)
    return pd.DataFrame(
        {"rep_id": stops["rep_id"], "date": stops["date"], "lo": bands[:, 0], "hi": bands[:, 1]}
    )


def _channel_bounds(
    bands: pd.DataFrame, d: pd.DataFrame, keys: pd.Series, groups: pd.Index
) -> tuple[np.ndarray, np.ndarray]:
    """Visit bands per group and per day: the mean band of their visits."""
    day = bands.groupby(["rep_id", "date"])[["lo", "hi"]].mean()
    day_bounds = day.reindex(pd.MultiIndex.from_frame(d[["rep_id", "date"]])).to_numpy()
    group_key = keys.to_numpy()
    by_day = pd.DataFrame(day_bounds, columns=["lo", "hi"]).assign(
        n=d["visits"].to_numpy(), g=group_key
    )
    weighted = by_day[["lo", "hi"]].mul(by_day["n"], axis=0).groupby(by_day["g"]).sum()
    bounds = weighted.div(by_day.groupby("g")["n"].sum(), axis=0).reindex(groups).to_numpy()
    return bounds, day_bounds


def compare_with_standards(
    time: TimeAllocation,
    standards: Standards | None = None,
    *,
    customers: pd.DataFrame | None = None,
    method: Method | None = None,
) -> StandardsComparison:
    """Compare every rep and the team with the standards.

    A rep of a region with its own standards is compared with those; the team with the
    defaults. Observed values: shares and minutes per visit are ratios of sums over the rep's
    days; the meeting, the working day and the visits are means per day.

    Parameters
    ----------
    time : TimeAllocation
        Result of :func:`tts.time_use.allocate_time`.
    standards : Standards, optional
        Default :class:`Standards`.
    customers : pandas.DataFrame, optional
        Canonical customers: with standards that give a channel its own visit band, each
        visit is held to its customer's band, and a rep or day to the mean band of its visits.
    method : Method, optional
        ``amber_margin`` (a rep's amber), ``team_red_rep_share`` and
        ``team_amber_day_share`` (the team's light); default ``Method()``.

    Returns
    -------
    StandardsComparison
    """
    instance_of("compare_with_standards", "time", time, TimeAllocation)
    instance_of("compare_with_standards", "standards", standards, (Standards, type(None)))
    instance_of("compare_with_standards", "method", method, (Method, type(None)))
    standards = standards or Standards()
    method = method or Method()
    d = time.per_day
    days = _day_values(d)
    region = d["region"].astype(object).where(d["region"].notna(), None)
    first = d.drop_duplicates("rep_id").index
    rep_std = {
        rep: standards.for_region(reg)
        for rep, reg in zip(d.loc[first, "rep_id"], region[first], strict=True)
    }
    rep_code, rep_names = pd.factorize(d["rep_id"])
    rep_targets = {rep: _targets(std) for rep, std in rep_std.items()}  # once per rep
    # per rep (in the order of rep_names), metric, low and high: the targets as one array
    rep_bounds = np.array(
        [[rep_targets[r][metric] for metric in METRICS] for r in rep_names], dtype=float
    ).reshape(len(rep_names), len(METRICS), 2)
    channel_bands = _stop_bands(time.stops, customers, standards)
    measured = _measured(d)
    parts = []
    rep_lights: dict[str, pd.DataFrame] = {}
    for level, keys in (("rep", d["rep_id"]), ("team", pd.Series("", index=d.index))):
        observed = _observed(d, keys)
        key_code, key_names = pd.factorize(keys, sort=True)
        n_days = pd.Series(np.bincount(key_code, minlength=len(key_names)), index=key_names)
        n_days = n_days.reindex(observed.index).to_numpy()
        if level == "rep":
            observed_rep = pd.Index(rep_names).get_indexer(observed.index)
        for i, metric in enumerate(METRICS):
            label, unit = KINDS[metric].title.en, KINDS[metric].unit
            if level == "rep":
                bounds = rep_bounds[observed_rep, i]
                day_bounds = rep_bounds[rep_code, i]
            else:
                bounds = np.array([_targets(standards)[metric]])
                day_bounds = np.tile(_targets(standards)[metric], (len(d), 1))
            if metric == "avg_visit_min" and channel_bands is not None:
                bounds, day_bounds = _channel_bounds(channel_bands, d, keys, observed.index)
            obs = observed[metric].to_numpy(float)
            gap = _gap(obs, bounds[:, 0], bounds[:, 1])
            day_short = _outside(days[metric].to_numpy(float), day_bounds[:, 0], day_bounds[:, 1])
            short = (
                pd.Series(
                    np.bincount(key_code, weights=day_short, minlength=len(key_names)),
                    index=key_names,
                )
                .reindex(observed.index)
                .to_numpy()
                .astype(int)
            )
            ref = np.where(np.isnan(bounds[:, 0]), bounds[:, 1], bounds[:, 0])
            if level == "rep":
                light = np.where(
                    gap == 0,
                    "green",
                    np.where(gap <= method.amber_margin * np.abs(ref), "amber", "red"),
                )
                reps_short = (gap > 0).astype(int)
                n_reps = np.ones(len(obs), dtype=int)
                rep_lights[metric] = pd.DataFrame({"gap": gap})
            else:
                reps_short = np.array([int((rep_lights[metric]["gap"] > 0).sum())])
                n_reps = np.array([len(rep_lights[metric])])
                light = np.array(
                    [_team_light(reps_short[0], n_reps[0], short[0], n_days[0], gap[0], method)]
                )
            if not measured[metric]:
                light = np.full(len(obs), "not_measured")
                obs = np.full(len(obs), np.nan)
                gap = np.full(len(obs), np.nan)
                reps_short = np.zeros(len(obs), dtype=int)
                short = np.zeros(len(obs), dtype=int)
            parts.append(
                pd.DataFrame(
                    {
                        "level": level,
                        "rep_id": observed.index.astype(str),
                        "metric": metric,
                        "label": label,
                        "unit": unit,
                        "observed": obs,
                        "target_low": bounds[:, 0],
                        "target_high": bounds[:, 1],
                        "gap": gap,
                        "reps": n_reps,
                        "reps_short": reps_short,
                        "rep_days": n_days,
                        "rep_days_short": short,
                        "light": light,
                    }
                )
            )
    table = pd.concat(parts, ignore_index=True)
    order = {m: i for i, m in enumerate(METRICS)}
    table = table.sort_values(
        ["level", "rep_id", "metric"],
        key=lambda s: s.map(order) if s.name == "metric" else s,
        kind="stable",
    ).reset_index(drop=True)
    return StandardsComparison(table)
