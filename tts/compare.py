"""The second diagnostic wave against the first: the "Check" of PDCA.

After the actions of the plan have run for a while, the team surveys again and diagnoses the
new data. :func:`compare` puts the two diagnoses side by side: for every standard, the team's
value before and after with the change and its 95 % bootstrap interval; for every finding of
either wave, where the second wave stands.

A survey of a dozen days is a sample: measuring the same reps with the same habits on other
days gives other numbers. So a standard is called **improved** or **worse** only when both

- the 95 % interval of the change excludes zero: rep-days are resampled within each rep, and
  reps are paired across the waves (only reps surveyed in both count), 9,999 resamples with a
  fixed seed (``scipy.stats.bootstrap``, percentile method), so the result is reproducible;
- the change exceeds ``Method.min_change_share`` of the standard's target (5 % by default: 3
  points of customer share, 0.75 min of meeting);

and it is **met** when every rep meets the standard in the second wave (this status wins);
otherwise **unchanged**.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._options import in_range, instance_of
from .compliance import METRICS, metric_parts
from .method import Method

if TYPE_CHECKING:
    from .diagnosis import Diagnosis

__all__ = ["WaveComparison", "compare"]

#: Status of a standard, or of a first-wave finding, in the second wave.
STATUSES = ("met", "resolved", "improved", "unchanged", "worse", "new")
#: Bootstrap resamples and seed of the change's interval.
RESAMPLES = 9_999
SEED = 20260302


@dataclass(frozen=True)
class WaveComparison:
    """Where the second wave stands against the first.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per finding of either wave: ``finding_id`` (first wave; empty for a finding
        that is new in the second), ``finding_id_after``, ``area``, ``metric``, ``label``
        (and ``label_zh``), ``unit``, ``standard``, ``before`` and ``after`` (the finding's
        size: the team's gap to the standard for work-efficiency findings, in the metric's
        unit; otherwise how many customers, answers, rep-days … it counts; 0 once resolved),
        ``reps_before``, ``reps_after`` (reps affected), ``recoverable_before`` and
        ``recoverable_after`` (minutes a day), ``status`` (one of :data:`STATUSES`).
    metrics : pandas.DataFrame
        One row per standard: ``metric``, ``label``, ``unit``, ``before``, ``after`` (the
        team's observed value over the reps in both waves), ``change`` (after − before),
        ``ci_low`` and ``ci_high`` (its 95 % bootstrap interval), ``min_change`` (the smallest
        change called one, in the metric's unit), ``reps_met_after`` (reps meeting it in the
        second wave, of ``reps_paired``), ``status`` (``met``, ``improved``, ``unchanged`` or
        ``worse``), ``target_low``, ``target_high``, ``light_before``, ``light_after``.
    """

    table: pd.DataFrame
    metrics: pd.DataFrame

    def counts(self) -> dict[str, int]:
        """How many findings have each status."""
        s = self.table["status"].value_counts()
        return {k: int(s.get(k, 0)) for k in STATUSES}

    def __repr__(self) -> str:
        c = self.counts()
        return "WaveComparison(" + ", ".join(f"{v} {k}" for k, v in c.items()) + ")"

    def _repr_html_(self) -> str:
        cols = ["finding_id", "label", "unit", "before", "after", "status"]
        m = self.metrics[["label", "unit", "before", "after", "ci_low", "ci_high", "status"]]
        return (
            f"<div><p><b>Second wave against the first</b>: {html.escape(repr(self))}</p>"
            f"{m.to_html(index=False, escape=True, float_format='{:.3g}'.format)}"
            f"{self.table[cols].to_html(index=False, escape=True, float_format='{:.3g}'.format)}"
            "</div>"
        )


def _size(findings: pd.DataFrame) -> pd.Series:
    """A finding's size: the gap for efficiency findings, else what it counts."""
    return findings["gap"].where(findings["area"] == "efficiency", findings["observed"])


def _orientation(metric: str, before: float, low: float, high: float) -> float:
    """+1 where a rise moves toward the standard, -1 where a fall does."""
    kind = METRICS[metric]
    if kind == "min":
        return 1.0
    if kind == "max":
        return -1.0
    return 1.0 if not np.isnan(low) and before < low else -1.0


def _change_interval(
    before: pd.DataFrame, after: pd.DataFrame, reps: list[str], metric: str
) -> tuple[float, float, float, float, float]:
    """Team value before and after over ``reps``, the change and its 95 % interval."""
    parts_b, parts_a = metric_parts(before), metric_parts(after)
    groups: list[tuple[np.ndarray, np.ndarray, float]] = []
    samples = []
    for frame, parts, sign in ((before, parts_b, -1.0), (after, parts_a, 1.0)):
        num, den = parts[metric]
        rep = frame["rep_id"].astype(str).to_numpy()
        for r in reps:
            idx = np.flatnonzero(rep == r)
            groups.append((num[idx], den[idx], sign))
            samples.append(np.arange(len(idx)))

    def value(sign: float, *resampled: np.ndarray) -> np.ndarray:
        n = sum(
            g[0][i].sum(axis=-1) for g, i in zip(groups, resampled, strict=True) if g[2] == sign
        )
        d = sum(
            g[1][i].sum(axis=-1) for g, i in zip(groups, resampled, strict=True) if g[2] == sign
        )
        return np.divide(n, d, out=np.full(np.shape(n), np.nan), where=np.asarray(d) > 0)

    def change(*resampled: np.ndarray, axis: int = -1) -> np.ndarray:
        return value(1.0, *resampled) - value(-1.0, *resampled)

    full = [np.arange(len(g[0])) for g in groups]
    b, a = float(value(-1.0, *full)), float(value(1.0, *full))
    if np.isnan(a - b):
        return b, a, np.nan, np.nan, np.nan
    from scipy import stats  # imported when a comparison is made: 1-2 s of `import tts`

    res = stats.bootstrap(
        samples,
        change,
        n_resamples=RESAMPLES,
        vectorized=True,
        method="percentile",
        random_state=np.random.default_rng(SEED),
    )
    low, high = res.confidence_interval
    return b, a, a - b, float(low), float(high)


def compare(
    before: Diagnosis,
    after: Diagnosis,
    *,
    tolerance: float = 1e-6,
    method: Method | None = None,
) -> WaveComparison:
    """Compare a second diagnostic wave with the first.

    For every standard, the change and its interval decide the status (see the module's
    docstring). A work-efficiency finding takes its standard's status (``met`` shows as
    *resolved*). Any other first-wave finding (a count of customers, answers, rep-days …) is
    *resolved* when the second wave has no finding of the same area and metric; *improved* or
    *worse* when its count shrank or grew by more than chance explains (1.96 × √(before +
    after), the spread of the difference of two Poisson counts), by more than
    ``Method.min_change_share`` of the first wave's count and by more than ``tolerance``; else
    *unchanged*. Second-wave
    findings the first wave did not have are *new*.

    Parameters
    ----------
    before, after : Diagnosis
        The first and the second wave, from :func:`tts.diagnose`.
    tolerance : float
        Changes of a finding's count smaller than this count as no change.
    method : Method, optional
        ``min_change_share``; default the first wave's method.

    Returns
    -------
    WaveComparison
    """
    from .diagnosis import Diagnosis

    instance_of("compare", "before", before, Diagnosis)
    instance_of("compare", "after", after, Diagnosis)
    instance_of("compare", "method", method, (Method, type(None)))
    in_range("compare", "tolerance", tolerance, 0)
    method = method or before.method
    metrics = _metrics(before, after, method)
    status_of = dict(zip(metrics["metric"], metrics["status"], strict=True))
    key = ["area", "metric"]
    b = before.findings.assign(size=_size(before.findings))
    a = after.findings.assign(size=_size(after.findings))
    keep = ["finding_id", *key, "label", "label_zh", "unit", "standard", "size", "reps_affected"]
    keep += ["recoverable_min_per_day"]
    m = b[keep].merge(a[keep], on=key, how="outer", suffixes=("", "_after"), indicator=True)
    m["label"] = m["label"].fillna(m["label_after"])
    m["label_zh"] = m["label_zh"].fillna(m["label_zh_after"])
    m["unit"] = m["unit"].fillna(m["unit_after"])
    m["standard"] = m["standard"].fillna(m["standard_after"])
    delta = m["size_after"].fillna(0) - m["size"].fillna(0)
    # a count (customers, answers, rep-days …) moves by chance too: a change is meaningful
    # beyond 1.96 standard deviations of the difference of two Poisson counts, sqrt(a + b)
    before_n, after_n = m["size"].fillna(0).abs(), m["size_after"].fillna(0).abs()
    noise = 1.96 * np.sqrt(before_n + after_n)
    meaningful = delta.abs() > np.maximum.reduce(
        [np.full(len(m), tolerance), method.min_change_share * before_n, noise]
    )
    status = np.select(
        [
            m["_merge"] == "left_only",
            m["_merge"] == "right_only",
            meaningful & (delta < 0),
            meaningful & (delta > 0),
        ],
        ["resolved", "new", "improved", "worse"],
        default="unchanged",
    ).astype(object)
    efficiency = (m["area"] == "efficiency") & m["metric"].isin(status_of) & (m["_merge"] == "both")
    from_metric = m["metric"].map(status_of).replace({"met": "resolved"})
    status = np.where(efficiency, from_metric, status)
    table = pd.DataFrame(
        {
            "finding_id": m["finding_id"],
            "finding_id_after": m["finding_id_after"],
            "area": m["area"],
            "metric": m["metric"],
            "label": m["label"],
            "label_zh": m["label_zh"],
            "unit": m["unit"],
            "standard": m["standard"],
            "before": m["size"].fillna(0.0).astype(float),
            "after": m["size_after"].fillna(0.0).astype(float),
            "reps_before": m["reps_affected"].fillna(0).astype(int),
            "reps_after": m["reps_affected_after"].fillna(0).astype(int),
            "recoverable_before": m["recoverable_min_per_day"].astype(float),
            "recoverable_after": m["recoverable_min_per_day_after"].astype(float),
            "status": status,
        }
    )
    order = table["finding_id"].fillna("~" + table["finding_id_after"].fillna(""))
    table = table.iloc[np.argsort(order.to_numpy(), kind="stable")].reset_index(drop=True)
    return WaveComparison(table, metrics)


def _metrics(before: Diagnosis, after: Diagnosis, method: Method) -> pd.DataFrame:
    """Every standard before and after, its change, interval and status."""
    team_b = before.comparison.team().set_index("metric")
    team_a = after.comparison.team().set_index("metric")
    rep_a = after.comparison.table[after.comparison.table["level"] == "rep"]
    reps_b = set(before.time.per_day["rep_id"].astype(str))
    reps_a = set(after.time.per_day["rep_id"].astype(str))
    reps = sorted(reps_b & reps_a)
    rows = []
    for metric in METRICS:
        low, high = team_b.at[metric, "target_low"], team_b.at[metric, "target_high"]
        b, a, change, ci_low, ci_high = _change_interval(
            before.time.per_day, after.time.per_day, reps, metric
        )
        ref = high if np.isnan(low) else low
        min_change = method.min_change_share * abs(ref)
        mine = rep_a[(rep_a["metric"] == metric) & rep_a["rep_id"].isin(reps)]
        measured = not mine.empty and (mine["light"] != "not_measured").all()
        met = measured and bool((mine["gap"] == 0).all()) and len(mine) == len(reps) > 0
        toward = _orientation(metric, b, low, high) * change
        significant = not (ci_low <= 0 <= ci_high) and abs(change) > min_change
        if met:
            status = "met"
        elif significant and toward > 0:
            status = "improved"
        elif significant and toward < 0:
            status = "worse"
        else:
            status = "unchanged"
        rows.append(
            {
                "metric": metric,
                "label": team_b.at[metric, "label"],
                "unit": team_b.at[metric, "unit"],
                "before": b,
                "after": a,
                "change": change,
                "ci_low": ci_low,
                "ci_high": ci_high,
                "min_change": min_change,
                "reps_paired": len(reps),
                "reps_met_after": int((mine["gap"] == 0).sum()),
                "status": status,
                "target_low": low,
                "target_high": high,
                "light_before": team_b.at[metric, "light"],
                "light_after": team_a.at[metric, "light"] if metric in team_a.index else "",
            }
        )
    return pd.DataFrame(rows)
