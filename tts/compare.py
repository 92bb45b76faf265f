"""The second diagnostic wave against the first: the "Check" of PDCA.

After the actions of the plan have run for a while, the team surveys again and diagnoses the
new data. :func:`compare` puts the two diagnoses side by side: for every finding of the first
wave, where the second wave stands; for every standard, the team's value before and after.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._options import in_range, instance_of

if TYPE_CHECKING:
    from .diagnosis import Diagnosis

__all__ = ["WaveComparison", "compare"]

#: Status of a first-wave finding in the second wave.
STATUSES = ("resolved", "improved", "unchanged", "worse", "new")


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
        team's observed value), ``target_low``, ``target_high``, ``light_before``,
        ``light_after``.
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
        m = self.metrics[["label", "unit", "before", "after", "light_before", "light_after"]]
        return (
            f"<div><p><b>Second wave against the first</b>: {html.escape(repr(self))}</p>"
            f"{m.to_html(index=False, escape=True, float_format='{:.3g}'.format)}"
            f"{self.table[cols].to_html(index=False, escape=True, float_format='{:.3g}'.format)}"
            "</div>"
        )


def _size(findings: pd.DataFrame) -> pd.Series:
    """A finding's size: the gap for efficiency findings, else what it counts."""
    return findings["gap"].where(findings["area"] == "efficiency", findings["observed"])


def compare(before: Diagnosis, after: Diagnosis, *, tolerance: float = 1e-6) -> WaveComparison:
    """Compare a second diagnostic wave with the first.

    A first-wave finding is *resolved* when the second wave has no finding of the same area and
    metric; otherwise *improved* or *worse* when its size (see :class:`WaveComparison`)
    shrank or grew by more than ``tolerance``, or when its size is equal but fewer or more
    reps are affected; else *unchanged*. Second-wave findings the first wave did not have are
    *new*.

    Parameters
    ----------
    before, after : Diagnosis
        The first and the second wave, from :func:`tts.diagnose`.
    tolerance : float
        Changes of a finding's size smaller than this count as no change (in its unit).

    Returns
    -------
    WaveComparison
    """
    from .diagnosis import Diagnosis

    instance_of("compare", "before", before, Diagnosis)
    instance_of("compare", "after", after, Diagnosis)
    in_range("compare", "tolerance", tolerance, 0)
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
    reps = m["reps_affected_after"].fillna(0) - m["reps_affected"].fillna(0)
    status = np.select(
        [
            m["_merge"] == "left_only",
            m["_merge"] == "right_only",
            delta < -tolerance,
            delta > tolerance,
            reps < 0,
            reps > 0,
        ],
        ["resolved", "new", "improved", "worse", "improved", "worse"],
        default="unchanged",
    )
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
    team_b = before.comparison.team().set_index("metric")
    team_a = after.comparison.team().set_index("metric")
    metrics = pd.DataFrame(
        {
            "metric": team_b.index,
            "label": team_b["label"].to_numpy(),
            "unit": team_b["unit"].to_numpy(),
            "before": team_b["observed"].to_numpy(float),
            "after": team_a["observed"].reindex(team_b.index).to_numpy(float),
            "target_low": team_b["target_low"].to_numpy(float),
            "target_high": team_b["target_high"].to_numpy(float),
            "light_before": team_b["light"].to_numpy(),
            "light_after": team_a["light"].reindex(team_b.index).to_numpy(),
        }
    )
    return WaveComparison(table, metrics)
