"""Capacity: how many store visits fit in a working day, and what-if scenarios.

For a rep (or the team), from the observed per-day means:

    visits a day = (day − meeting − admin − fixed) ÷ (visit + travel per visit)

where *admin* is the admin time, *fixed* the rest of the non-customer time other than travel
and the meeting (lunch, waits, refuelling, unaccounted time …), *travel per visit* is the
day's travel divided by its visits (commutes included) and *visit* the customer minutes per
visit. The customer share follows as visits × visit ÷ day. Scenarios change one term at a
time, on a day of the standard length:

``observed``
    the observed day as it is (its own length).
``standard_day``
    the observed way of working fitted into a standard working day.
``meeting_cut``
    the morning meeting capped at the standard.
``admin_cut``
    admin capped at the admin standard.
``travel_cut``
    travel per visit cut by the given saving (the optimiser's measured saving, or an assumed
    one).
``visit_time_raised``
    visits raised to the bottom of the standard band (never shortened).
``all``
    the four changes together. Whatever *fixed* time remains (lunch, waits, unaccounted time)
    is untouched by every scenario, which is what keeps a team below the customer-share
    standard when it is large; and raising visits to the standard band costs visits a day
    even as the customer share rises.

The method's **capacity line** (:attr:`Capacity.line`) asks how many visits of the standard
length (the top of the band, 9 minutes) fit in a standard day once the standards' own fixed
time (the meeting and admin standards) is set aside, at the observed travel per visit and at
the optimised one:

    visits that fit = (standard day − meeting standard − admin standard)
                      ÷ (9 + travel per visit)

set beside the ceiling of visits a day (45).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._options import in_range, instance_of, one_of
from .method import Method
from .rep_days import codes
from .standards import Standards
from .time_use import TimeAllocation

__all__ = ["Capacity", "capacity_scenarios"]

SCENARIOS = (
    "observed",
    "standard_day",
    "meeting_cut",
    "admin_cut",
    "travel_cut",
    "visit_time_raised",
    "all",
)


@dataclass(frozen=True)
class Capacity:
    """Visits a day and customer share under what-if scenarios.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (rep or team, scenario): ``level``, ``rep_id``, ``scenario``, ``day_min``,
        ``meeting_min``, ``admin_min``, ``fixed_min``, ``travel_per_visit_min``, ``visit_min``
        (minutes), ``visits`` (a day), ``customer_min``, ``customer_share`` (0–1).
    line : pandas.DataFrame
        The capacity line, one row per rep and one for the team: ``level``, ``rep_id``,
        ``available_min`` (standard day less the meeting and admin standards),
        ``visit_min`` (the top of the standard band), ``travel_per_visit_min`` (observed),
        ``visits_fit``, ``travel_per_visit_optimised_min`` (less the travel saving),
        ``visits_fit_optimised``, ``visits_observed`` (mean a day) and ``visits_max`` (the
        standard's ceiling).
    travel_saving : float
        The share of travel per visit removed in ``travel_cut`` (0–1).
    travel_saving_source : str
        ``"route plan"`` when measured by the optimiser, ``"assumed"`` otherwise.
    """

    table: pd.DataFrame
    travel_saving: float
    travel_saving_source: str
    line: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_frame(self) -> pd.DataFrame:
        """The scenario table."""
        return self.table.copy()

    def team(self) -> pd.DataFrame:
        """The team's scenarios."""
        return self.table[self.table["level"] == "team"].reset_index(drop=True)

    def __repr__(self) -> str:
        t = self.team().set_index("scenario")
        return (
            f"Capacity(team: {t.at['observed', 'visits']:.1f} visits a day at "
            f"{t.at['observed', 'customer_share']:.0%} customer time; with every change "
            f"{t.at['all', 'visits']:.1f} at {t.at['all', 'customer_share']:.0%})"
        )

    def _repr_html_(self) -> str:
        t = self.team()[
            [
                "scenario",
                "day_min",
                "meeting_min",
                "admin_min",
                "travel_per_visit_min",
                "visit_min",
                "visits",
                "customer_share",
            ]
        ]
        return (
            f"<div><p><b>Capacity</b> (team; travel saving {self.travel_saving:.0%}, "
            f"{self.travel_saving_source})</p>{t.round(2).to_html(index=False, escape=True)}"
            "</div>"
        )


def capacity_scenarios(
    time: TimeAllocation,
    standards: Standards | None = None,
    *,
    travel_saving: float | None = None,
    travel_saving_source: str = "assumed",
    method: Method | None = None,
) -> Capacity:
    """Visits a day and customer share, observed and under the what-if scenarios.

    Parameters
    ----------
    time : TimeAllocation
        Result of :func:`tts.time_use.allocate_time`.
    standards : Standards, optional
        Default :class:`Standards`.
    travel_saving : float, optional
        Share of travel per visit removed in the ``travel_cut`` scenario (0–1); default the
        method's assumed ``travel_saving``.
    travel_saving_source : {"assumed", "route plan"}
        Where the saving comes from, for the report.
    method : Method, optional
        Default ``Method()``.

    Returns
    -------
    Capacity
    """
    instance_of("capacity_scenarios", "time", time, TimeAllocation)
    instance_of("capacity_scenarios", "standards", standards, (Standards, type(None)))
    if travel_saving is None:
        travel_saving = (method or Method()).travel_saving
    travel_saving = in_range(
        "capacity_scenarios", "travel_saving", travel_saving, 0, 1, high_open=True
    )
    one_of(
        "capacity_scenarios", "travel_saving_source", travel_saving_source,
        ["assumed", "route plan"],
    )  # fmt: skip
    standards = standards or Standards()
    d = time.per_day
    parts, lines = [], []
    for level, keys in (("rep", d["rep_id"]), ("team", pd.Series("", index=d.index))):
        code, names = codes(keys, sort=True)  # the rep ids' categorical codes, no hashing
        known = code >= 0  # a day without a rep belongs to no group
        g = (d if known.all() else d[known]).groupby(code[known], sort=True)
        sums = g[
            [
                "total_min",
                "meeting_min",
                "admin_min",
                "travel_min",
                "customer_min",
                "non_customer_min",
                "visits",
            ]
        ].sum()
        n_days = g.size()
        sums.index = n_days.index = names.take(sums.index)
        visits = sums["visits"].where(sums["visits"] > 0)
        base = pd.DataFrame(
            {
                "day_min": sums["total_min"] / n_days,
                "meeting_min": sums["meeting_min"] / n_days,
                "admin_min": sums["admin_min"] / n_days,
                "fixed_min": (
                    sums["non_customer_min"]
                    - sums["travel_min"]
                    - sums["meeting_min"]
                    - sums["admin_min"]
                )
                / n_days,
                "travel_per_visit_min": sums["travel_min"] / visits,
                "visit_min": sums["customer_min"] / visits,
            }
        )
        # the scenarios on the reps' figures as arrays, one table a level at the end: the
        # same arithmetic as on pandas columns, without its cost per operation
        rows = []
        with np.errstate(divide="ignore", invalid="ignore"):
            for scenario in SCENARIOS:
                s = _scenario(
                    {c: base[c].to_numpy() for c in base}, scenario, standards, travel_saving
                )
                avail = s["day_min"] - s["meeting_min"] - s["admin_min"] - s["fixed_min"]
                per_visit = s["visit_min"] + s["travel_per_visit_min"]
                s["visits"] = np.clip(avail / per_visit, 0, None)
                s["customer_min"] = s["visits"] * s["visit_min"]
                s["customer_share"] = s["customer_min"] / s["day_min"]
                rows.append(s)
        parts.append(
            pd.DataFrame(
                {
                    "rep_id": np.tile(base.index.to_numpy(), len(SCENARIOS)),
                    **{c: np.concatenate([r[c] for r in rows]) for c in rows[0]},
                    "level": level,
                    "scenario": np.repeat(np.array(SCENARIOS, dtype=object), len(base)),
                }
            )
        )
        lines.append(
            _line(base, sums["visits"] / n_days, standards, travel_saving)
            .assign(level=level)
            .rename_axis("rep_id")
            .reset_index()
        )
    table = pd.concat(parts, ignore_index=True)
    cols = [
        "level",
        "rep_id",
        "scenario",
        "day_min",
        "meeting_min",
        "admin_min",
        "fixed_min",
        "travel_per_visit_min",
        "visit_min",
        "visits",
        "customer_min",
        "customer_share",
    ]
    line = pd.concat(lines, ignore_index=True)
    line = line[["level", *[c for c in line.columns if c != "level"]]]
    return Capacity(table[cols], travel_saving, travel_saving_source, line)


def _line(base: pd.DataFrame, visits: pd.Series, std: Standards, saving: float) -> pd.DataFrame:
    """The capacity line: visits of the standard length that fit in a standard day."""
    available = std.day_max_min - std.meeting_max_min - std.admin_max_min
    visit = std.visit_min[1]
    travel = base["travel_per_visit_min"]
    optimised = travel * (1 - saving)
    return pd.DataFrame(
        {
            "available_min": available,
            "visit_min": visit,
            "travel_per_visit_min": travel,
            "visits_fit": available / (visit + travel),
            "travel_per_visit_optimised_min": optimised,
            "visits_fit_optimised": available / (visit + optimised),
            "visits_observed": visits,
            "visits_max": std.visits_max,
        },
        index=base.index,
    )


def _scenario(
    base: dict[str, np.ndarray], name: str, std: Standards, saving: float
) -> dict[str, np.ndarray]:
    """The reps' figures (arrays) under scenario ``name``."""
    s = dict(base)
    if name == "observed":
        return s
    s["day_min"] = np.full(len(s["day_min"]), std.day_max_min)
    if name in ("meeting_cut", "all"):
        s["meeting_min"] = np.minimum(s["meeting_min"], std.meeting_max_min)
    if name in ("admin_cut", "all"):
        s["admin_min"] = np.minimum(s["admin_min"], std.admin_max_min)
    if name in ("travel_cut", "all"):
        s["travel_per_visit_min"] = s["travel_per_visit_min"] * (1 - saving)
    if name in ("visit_time_raised", "all"):
        s["visit_min"] = np.maximum(s["visit_min"], std.visit_min[0])
    return s
