"""Findings: every gap to a standard, and every doubt about the data, with its size and a fix.

One row per finding, in the words a sales director reads: what was measured, against which
standard, how many reps and rep-days it touches, how many minutes a day it costs where it
costs time, the rep-days or file rows behind it, and the countermeasure. Each kind of finding
is declared once in the findings catalogue (:mod:`tts.catalogue`), which supplies its words in
English and Chinese; each small function here builds one finding from one analysis result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import i18n
from ._frames import mode_by
from .audit import Audit
from .catalogue import (
    AREAS,
    BALANCE_BEYOND,
    OBSTACLE_MEASURES,
    OBSTACLES_GENERIC,
    QUALITY,
    ROWS,
    Words,
    kind,
)
from .compliance import METRICS, StandardsComparison
from .method import Method
from .standards import Standards
from .time_use import TimeAllocation

if TYPE_CHECKING:
    from .route_plan import RoutePlan
    from .routes import RoutePerformance
    from .survey import SurveyAnalysis
    from .territory import TerritoryPlan

__all__ = [
    "FINDING_COLUMNS",
    "audit_findings",
    "efficiency_findings",
    "rank_findings",
    "role_findings",
    "route_findings",
]

#: The columns of ``dx.findings``. ``label``, ``countermeasure`` and ``evidence`` are English;
#: the ``_zh`` columns hold the same in Chinese.
FINDING_COLUMNS = [
    "finding_id",
    "area",
    "metric",
    "label",
    "observed",
    "standard",
    "gap",
    "unit",
    "severity",
    "reps_affected",
    "rep_days_affected",
    "recoverable_min_per_day",
    "evidence",
    "evidence_zh",
    "countermeasure",
    "label_zh",
    "countermeasure_zh",
    "standard_zh",
]

_SEVERITY = {"high": 0, "medium": 1, "low": 2}
#: Most evidence lines a finding lists; the rest are counted ("and 12 more").
MAX_EVIDENCE = 12
_MORE = Words("; and {n} more", "; 另有 {n} 项")


def _both(value: float, unit: str) -> Words:
    """A figure with its unit in both languages (see :func:`tts.i18n.fmt`)."""
    return Words(i18n.fmt(value, unit, "en"), i18n.fmt(value, unit, "zh"))


def _evidence(key: str, items: list[dict[str, object]], total: int | None) -> dict[str, str]:
    """``evidence`` and ``evidence_zh``: the first lines, and how many more there are."""
    template = kind(key).evidence
    out = {}
    for lang, column in (("en", "evidence"), ("zh", "evidence_zh")):
        shown = [template.format(lang, **item) for item in items[:MAX_EVIDENCE]]
        more = (len(items) if total is None else total) - len(shown)
        out[column] = "; ".join(shown) + (_MORE.format(lang, n=more) if more > 0 else "")
    return out


def _finding(
    key: str,
    *,
    observed: float,
    reps: int,
    rep_days: int = 0,
    recoverable: float = np.nan,
    evidence: Iterable[dict[str, object]] = (),
    total: int | None = None,
    standard: str | None = None,
    gap: float | None = None,
    severity: str | None = None,
    words: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """One row of ``dx.findings`` for a finding of kind ``key``, its words from the catalogue.

    ``words`` fills the fields of the kind's title, countermeasure and standard. ``standard``
    defaults to the catalogue's (``"0"`` for counts), ``gap`` to the observed count when the
    standard is 0, ``severity`` to the kind's fixed level.
    """
    k = kind(key)
    fields = dict(words or {})
    standard_zh = standard if standard is not None else k.standard.format("zh", **fields)
    standard = standard if standard is not None else k.standard.format("en", **fields)
    if severity is None:
        if k.severity not in _SEVERITY:
            raise ValueError(f"finding kind {key!r} grades severity by {k.severity!r}: pass it")
        severity = k.severity
    return {
        "area": k.area,
        "metric": key,
        "label": k.title.format("en", **fields),
        "observed": float(observed),
        "standard": standard,
        "gap": gap if gap is not None else (float(observed) if standard == "0" else np.nan),
        "unit": k.unit,
        "severity": severity,
        "reps_affected": int(reps),
        "rep_days_affected": int(rep_days),
        "recoverable_min_per_day": recoverable,
        **_evidence(key, list(evidence), total),
        "countermeasure": k.countermeasure.format("en", **fields),
        "label_zh": k.title.format("zh", **fields),
        "countermeasure_zh": k.countermeasure.format("zh", **fields),
        "standard_zh": standard_zh,
    }


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=FINDING_COLUMNS[1:])


# -- work efficiency ---------------------------------------------------------------------------


def _standard_text(row: pd.Series) -> str:
    return i18n.standard_text(row["target_low"], row["target_high"], row["unit"], "en")


def _excess_per_day(per_day: pd.DataFrame, metric: str, standards: Standards) -> pd.Series:
    """Minutes a day lost against the standard, per rep-day (0 where met, NaN where no loss)."""
    code, regions = pd.factorize(per_day["region"])  # missing region: code -1, the default
    std = [standards.for_region(str(r)) for r in regions] + [standards.for_region(None)]

    def limit(values: list[float]) -> np.ndarray:
        return np.array(values)[code]

    if metric == "meeting_min":
        return (per_day["meeting_min"] - limit([s.meeting_max_min for s in std])).clip(lower=0)
    if metric == "admin_min":
        return (per_day["admin_min"] - limit([s.admin_max_min for s in std])).clip(lower=0)
    if metric == "travel_share":
        share = limit([s.travel_share[1] for s in std])
        return (per_day["travel_min"] - share * per_day["total_min"]).clip(lower=0)
    if metric == "day_h":
        return (per_day["total_min"] - limit([s.day_max_min for s in std])).clip(lower=0)
    return pd.Series(np.nan, index=per_day.index)


def _standard_finding(
    metric: str,
    missed: pd.DataFrame,
    team: pd.Series,
    per_day: pd.DataFrame,
    standards: Standards,
) -> dict[str, object]:
    """The finding of one standard of the working day that the reps in ``missed`` miss."""
    unit = str(team["unit"])
    affected = set(missed["rep_id"])
    excess = _excess_per_day(per_day[per_day["rep_id"].isin(affected)], metric, standards)
    short = excess[excess > 0]
    observed, gap = float(team["observed"]), float(team["gap"])
    if not gap > 0:
        # the team's mean meets the standard while reps miss it: show the worst rep, never a
        # gap of 0 beside reps that miss
        worst = missed.loc[missed["gap"].idxmax()]
        observed, gap = float(worst["observed"]), float(worst["gap"])
    return _finding(
        metric,
        observed=observed,
        standard=_standard_text(team),
        gap=gap,
        severity="high" if (missed["light"] == "red").any() or team["light"] == "red" else "medium",
        reps=len(affected),
        rep_days=int(missed["rep_days_short"].sum()),
        recoverable=float(short.mean()) if len(short) else np.nan,
        evidence=[  # only the lines shown are written (their words cost a call each)
            {
                "rep": r.rep_id,
                # rounded once, by fmt, as the report's per-rep tables round it
                "value": _both(r.observed, unit),
                "short": r.rep_days_short,
                "days": r.rep_days,
            }
            for r in missed.head(MAX_EVIDENCE).itertuples()
        ],
        total=len(missed),
    )


def efficiency_findings(
    time: TimeAllocation, comparison: StandardsComparison, standards: Standards
) -> pd.DataFrame:
    """One finding per standard that at least one rep misses.

    ``observed`` and ``gap`` are the team's; where the team's value meets the standard while
    reps miss it, they are the worst rep's (its id leads the evidence). Severity is high when
    any rep is red on the standard or the team is (half the reps or more miss it).

    ``recoverable_min_per_day`` is the mean, over the rep-days that miss the standard, of the
    minutes beyond it (meeting, travel, working day); it is empty for standards that are not a
    loss of time in themselves (customer share, visit time, visits a day).
    """
    t = comparison.table
    team = t[t["level"] == "team"].set_index("metric")
    reps = t[(t["level"] == "rep") & (t["gap"] > 0)]
    reps = reps.sort_values("gap", ascending=False, kind="stable")
    # the columns the excess minutes are read from: each finding filters these, not the table
    days = time.per_day[["rep_id", "region", "meeting_min", "admin_min", "travel_min", "total_min"]]
    rows = [
        _standard_finding(metric, reps[reps["metric"] == metric], team.loc[metric], days, standards)
        for metric in METRICS
        if (reps["metric"] == metric).any()
    ]
    return _frame(rows)


# -- the data audit ----------------------------------------------------------------------------


def _check_finding(check: str, group: pd.DataFrame) -> dict[str, object]:
    """The finding of one audit check: the items it flagged."""
    head = group.head(MAX_EVIDENCE)
    dates = head["date"].dt.strftime("%Y-%m-%d")
    items: list[dict[str, object]] = [
        {
            "rep": r,
            "date": d,
            "rows": Words(ROWS.format("en", rows=rows), ROWS.format("zh", rows=rows))
            if rows
            else "",
            "value": v,  # what the check measured, for the kinds whose evidence shows it
        }
        for r, d, rows, v in zip(head["rep_id"], dates, head["rows"], head["value"], strict=True)
    ]
    recoverable = (
        float(pd.to_numeric(group["value"]).mean()) if check == "unaccounted_time" else np.nan
    )
    return _finding(
        check,
        observed=len(group),
        reps=group["rep_id"].nunique(),
        rep_days=int(group[["rep_id", "date"]].drop_duplicates().shape[0]),
        recoverable=recoverable,
        evidence=items,
        total=len(group),
    )


def _quarantine_finding(quarantine: pd.DataFrame) -> dict[str, object]:
    """The finding of the rows set aside at loading, by file and reason."""
    by = quarantine.groupby(["file", "reason"])["row"].nunique()
    n_rows = int(quarantine.drop_duplicates(["file", "row"]).shape[0])
    return _finding(
        "quarantine",
        observed=n_rows,
        reps=0,
        evidence=[{"file": f, "n": n, "reason": reason} for (f, reason), n in by.items()],
    )


def audit_findings(audit: Audit, quarantine: pd.DataFrame | None = None) -> pd.DataFrame:
    """One finding per audit check that flagged anything, and one for rows set aside."""
    rows = [
        _check_finding(str(check), group)
        for check, group in audit.flags.groupby("check", sort=False)
    ]
    if quarantine is not None and len(quarantine):
        rows.append(_quarantine_finding(quarantine))
    return _frame(rows)


# -- route performance -------------------------------------------------------------------------


def _ineffective_finding(routes: RoutePerformance, method: Method) -> dict[str, object] | None:
    ineffective = routes.ineffective()
    if ineffective.empty:
        return None
    per_rep = ineffective.groupby("rep_id")["cost_min_per_week"].sum() / method.days_per_week
    return _finding(
        "ineffective_customers",
        observed=len(ineffective),
        reps=per_rep.index.nunique(),
        recoverable=float(per_rep.mean()),
        evidence=[
            {
                "customer": r.customer_id,
                "channel": Words(
                    i18n.label("channel", r.channel, "en"), i18n.label("channel", r.channel, "zh")
                ),
                "route": r.route_id,
                "cost": f"{r.cost_min_per_week:.0f}",
                "sales": f"{r.sales_per_week:.0f}",
            }
            for r in ineffective.head(MAX_EVIDENCE).itertuples()
        ],
        total=len(ineffective),
    )


def _frequency_finding(customers: pd.DataFrame, frequency: str) -> dict[str, object] | None:
    g = customers[customers["frequency"] == frequency]
    if g.empty:
        return None
    # a customer never visited has no rep of its own: the rep who serves its route owns it
    served = customers.dropna(subset=["rep_id", "route_id"])
    route_rep = mode_by(served, ["route_id"], "rep_id")  # Series.mode per route, vectorised
    reps = g["rep_id"].fillna(g["route_id"].map(route_rep))
    return _finding(
        f"{frequency}_visited",
        observed=len(g),
        reps=reps.nunique(),
        evidence=[
            {
                "customer": r.customer_id,
                "route": r.route_id,
                "planned": _plan_text(r.planned_per_week),
                "visited": f"{r.visits_per_week:.1f}",
            }
            for r in g.head(MAX_EVIDENCE).itertuples()
        ],
        total=len(g),
    )


def _plan_text(planned: float) -> Words:
    """A planned frequency, or that the customers table gives none."""
    if pd.isna(planned):
        return Words("no frequency given", "未给出频率")
    return Words(f"{planned:g}/week", f"{planned:g} 次/周")


def _long_visit_finding(customers: pd.DataFrame) -> dict[str, object] | None:
    long = customers[customers["long_visits"]]
    if long.empty:
        return None
    return _finding(
        "long_visit_customers",
        observed=len(long),
        reps=long["rep_id"].nunique(),
        evidence=[
            {"customer": r.customer_id, "route": r.route_id, "minutes": f"{r.avg_visit_min:.0f}"}
            for r in long.head(MAX_EVIDENCE).itertuples()
        ],
        total=len(long),
    )


def _time_balance_finding(routes: RoutePerformance, method: Method) -> dict[str, object] | None:
    unbalanced = routes.by_rep[routes.by_rep["time_gini"] > method.gini_max]
    if unbalanced.empty:
        return None
    return _finding(
        "time_balance",
        observed=len(unbalanced),
        reps=len(unbalanced),
        words={"gini_max": f"{method.gini_max:g}"},
        evidence=[
            {"rep": r.rep_id, "gini": f"{r.time_gini:.2f}", "top": f"{r.top10_time_share:.0%}"}
            for r in unbalanced.head(MAX_EVIDENCE).itertuples()
        ],
        total=len(unbalanced),
    )


def _route_sequence_finding(plan: RoutePlan) -> dict[str, object] | None:
    days = plan.days
    if days.empty:
        return None
    saving = days.groupby("route_id")["saving_min"].mean()
    mean = float(days["saving_min"].mean())
    return _finding(
        "route_sequence",
        observed=mean,
        reps=days["rep_id"].nunique(),
        rep_days=int((days["saving_min"] > 0).sum()),
        recoverable=mean,
        evidence=[{"route": route, "minutes": f"{m:.0f}"} for route, m in saving.items()],
    )


def _territory_drive_finding(territory: TerritoryPlan) -> dict[str, object] | None:
    # like with like: today's territories with each week re-planned under the same rules
    lg = territory.kept.set_index("rep_id") if len(territory.kept) else pd.DataFrame()
    if lg.empty or territory.logged.empty:
        return None  # no territory of today to hold the plan against
    before = float(lg["drive_min_per_week"].sum())
    after = float(territory.reps["drive_min_per_week"].sum())
    if not after < before:
        return None
    reps = territory.reps.set_index("rep_id")
    days = max(1, territory.days["weekday"].nunique())
    # minutes a rep-day: the week's saving over today's reps and the plan's working days
    per_day = (before - after) / (len(lg) * days)
    a = territory.assignments
    moved = int((a["logged_rep_id"].notna() & (a["logged_rep_id"] != a["rep_id"])).sum())
    ids = sorted(set(lg.index) | set(reps.index))
    return _finding(
        "territory_drive",
        observed=per_day,
        reps=len(ids),
        recoverable=per_day,
        words={"moved": moved},
        evidence=[
            {
                "rep": rep,
                "before": f"{lg['drive_min_per_week'].get(rep, 0.0):,.0f}",
                "after": f"{reps['drive_min_per_week'].get(rep, 0.0):,.0f}",
                "customers": int(reps["customers"].get(rep, 0)),
            }
            for rep in ids
        ],
    )


def _territory_balance_finding(territory: TerritoryPlan) -> dict[str, object] | None:
    work = territory.logged.set_index("rep_id")["workload_min_per_week"].astype(float)
    work = work[work > 0]
    tolerance = float(territory.limits["tolerance"])
    if len(work) < 2:
        return None
    lightest = float(work.min())
    heavy = work[work > tolerance * lightest].sort_values(ascending=False)
    if heavy.empty:
        return None
    words = {"tolerance": f"{tolerance:g}", "planned": f"{territory.balance:.2f}"}
    row = _finding(
        "territory_balance",
        observed=len(heavy),
        reps=len(heavy),
        words=words,
        evidence=[
            {"rep": rep, "hours": f"{m / 60:.1f}", "lightest": f"{lightest / 60:.1f}"}
            for rep, m in heavy.items()
        ],
    )
    if not territory.balanced:  # the plan's own balance is beyond the tolerance: say so
        row["countermeasure"] = BALANCE_BEYOND.format("en", **words)
        row["countermeasure_zh"] = BALANCE_BEYOND.format("zh", **words)
    return row


def route_findings(
    routes: RoutePerformance,
    plan: RoutePlan | None = None,
    method: Method | None = None,
    territory: TerritoryPlan | None = None,
) -> pd.DataFrame:
    """Findings from route performance (area ``route``): ineffective, never- and
    over-visited customers, unbalanced time, the optimiser's saving when a plan is given, and
    what redrawing the territories saves and balances when a territory plan is given.

    ``recoverable_min_per_day`` for ineffective customers is the minutes a week they absorb,
    per rep affected, divided by the working days of the week (``method.weekdays``); for the
    plan, the mean saving per rep-day; for the territory plan, the drive minutes a week it
    saves against today's territories with each week re-planned under the same rules, over
    today's reps and the plan's working days. A rep's workload is out of balance
    when it exceeds the lightest rep's by more than the plan's tolerance (largest ÷ smallest).
    """
    method = method or Method()
    c = routes.customers
    rows = [
        _ineffective_finding(routes, method),
        *(_frequency_finding(c, f) for f in ("never", "under", "over")),
        _long_visit_finding(c),
        _time_balance_finding(routes, method),
        _route_sequence_finding(plan) if plan is not None else None,
        _territory_drive_finding(territory) if territory is not None else None,
        _territory_balance_finding(territory) if territory is not None else None,
    ]
    return _frame([r for r in rows if r is not None])


# -- the questionnaire -------------------------------------------------------------------------


def _out_of_role_finding(landed: object, n_reps: int) -> dict[str, object]:
    owner = str(landed.owner)  # type: ignore[attr-defined]
    reps = int(landed.reps)  # type: ignore[attr-defined]
    role = Words(i18n.label("role", owner, "en"), i18n.label("role", owner, "zh"))
    return _finding(
        f"out_of_role_{owner}",
        observed=landed.answers,  # type: ignore[attr-defined]
        reps=reps,
        severity="high" if reps >= n_reps / 2 else "medium",
        words={"role": role},
        evidence=[{"tasks": _labels("task", str(landed.tasks))}],  # type: ignore[attr-defined]
    )


def _labels(kind_: str, codes: str) -> Words:
    """Comma-separated codes (tasks, obstacles) as their labels in both languages."""
    items = [c.strip() for c in codes.split(",") if c.strip()]
    return Words(
        ", ".join(i18n.label(kind_, c, "en") for c in items),
        "、".join(i18n.label(kind_, c, "zh") for c in items),
    )


def _obstacles_finding(survey: SurveyAnalysis, n_reps: int) -> dict[str, object] | None:
    o = survey.obstacles
    top = o[o["high_share"] >= 0.5] if len(o) else o
    if top.empty:
        return None
    # an obstacle as a code, its labels in both languages, or a questionnaire's own words
    said = " ".join(
        f"{x} {i18n.label('obstacle', str(x), 'en')} {i18n.label('obstacle', str(x), 'zh')}"
        for x in top["obstacle"]
    ).lower()
    measures = [m for keys, m in OBSTACLE_MEASURES if any(k in said for k in keys)]
    joined = Words("; ".join(m.en for m in measures), "; ".join(m.zh for m in measures))
    row = _finding(
        "obstacles",
        observed=len(top),
        reps=n_reps,
        words={"measures": joined},
        evidence=[
            {
                "obstacle": _labels("obstacle", str(x.obstacle)),
                "mean": f"{x.mean_score:.1f}",
                "share": f"{x.high_share:.0%}",
                "comments": f" ('{x.comments}')" if x.comments else "",
            }
            for x in top.itertuples()
        ],
    )
    if not measures:
        row["countermeasure"] = OBSTACLES_GENERIC.en
        row["countermeasure_zh"] = OBSTACLES_GENERIC.zh
    return row


def _response_quality_finding(survey: SurveyAnalysis) -> dict[str, object] | None:
    q = survey.quality
    if q.empty:
        return None
    items: list[dict[str, object]] = []
    for r in q.itertuples():
        detail = QUALITY[str(r.issue)]
        fields = {"score": f"{r.score:g}" if pd.notna(r.score) else ""}
        items.append(
            {
                "rep": r.rep_id,
                "detail": Words(detail.format("en", **fields), detail.format("zh", **fields)),
            }
        )
    return _finding("response_quality", observed=len(q), reps=q["rep_id"].nunique(), evidence=items)


def role_findings(survey: SurveyAnalysis) -> pd.DataFrame:
    """Findings from the questionnaire (area ``role``): other roles' work done by reps, the
    obstacles most reps score 4–5, and response-quality issues.
    """
    n_reps = max(len(survey.by_rep), 1)
    rows: list[dict[str, object] | None] = [
        _out_of_role_finding(r, n_reps) for r in survey.landed_on_reps.itertuples()
    ]
    rows += [_obstacles_finding(survey, n_reps), _response_quality_finding(survey)]
    return _frame([r for r in rows if r is not None])


# -- all together ------------------------------------------------------------------------------


def rank_findings(*frames: pd.DataFrame) -> pd.DataFrame:
    """Join finding tables, order them (area, severity, minutes recoverable) and number them."""
    parts = [f for f in frames if len(f)]
    if not parts:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out = out.assign(
        _area=out["area"].map({a: i for i, a in enumerate(AREAS)}).fillna(9),
        _sev=out["severity"].map(_SEVERITY).fillna(9),
        _rec=-out["recoverable_min_per_day"].fillna(-1.0),
    ).sort_values(["_area", "_sev", "_rec"], kind="stable")
    out = out.drop(columns=["_area", "_sev", "_rec"]).reset_index(drop=True)
    out.insert(0, "finding_id", [f"F{i + 1:02d}" for i in range(len(out))])
    return out[FINDING_COLUMNS]
