"""Findings: every gap to a standard, and every doubt about the data, with its size and a fix.

One row per finding, in the words a sales director reads: what was measured, against which
standard, how many reps and rep-days it touches, how many minutes a day it costs where it
costs time, the rep-days or file rows behind it (``evidence``, and ``evidence_zh`` for the
Chinese report), and the countermeasure.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from . import i18n
from .audit import CHECKS, Audit
from .compliance import METRICS, StandardsComparison
from .standards import Standards
from .time_use import TimeAllocation

__all__ = [
    "FINDING_COLUMNS",
    "audit_findings",
    "efficiency_findings",
    "rank_findings",
    "role_findings",
    "route_findings",
]

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
]

COUNTERMEASURES: dict[str, str] = {
    "customer_share": "Give the day back to customers: act on the meeting, travel and admin "
    "findings together, and plan each day around its store visits.",
    "avg_visit_min": "Raise visit time toward 8-9 minutes with a fixed in-store routine "
    "(shelf and cooler check, order, POP, competitor check) and coach it on the route.",
    "meeting_min": "Cap the morning meeting at 15 minutes with a fixed agenda (yesterday's "
    "results, today's focus, stock and promotions); move training to a weekly slot.",
    "travel_share": "Re-plan routes: re-sequence the visits (tts optimize), tighten territories "
    "and move the first and last calls closer to the depot.",
    "day_h": "Bring the day back to the standard: cut reports and admin, shorten the meeting, "
    "and plan no more visits than fit in the day.",
    "visits": "Re-balance the routes: too many calls a day leave no time for a real visit; "
    "move low-value customers to a lower frequency or another channel.",
    "quarantine": "Fix the rows set aside (see the quarantine table) and reload: the analysis "
    "runs without them.",
}

_SEVERITY = {"high": 0, "medium": 1, "low": 2}
_AREAS = {"efficiency": 0, "route": 1, "role": 2, "audit": 3}
_MAX_EVIDENCE = 12


def _fmt(value: float, unit: str) -> str:
    if pd.isna(value):
        return ""
    return f"{value:.0%}" if unit == "share" else f"{value:g} {unit}"


def _standard_text(row: pd.Series) -> str:
    lo, hi, unit = row["target_low"], row["target_high"], row["unit"]
    if pd.notna(lo) and pd.notna(hi):
        return f"{_fmt(lo, unit)} to {_fmt(hi, unit)}"
    return f">= {_fmt(lo, unit)}" if pd.notna(lo) else f"<= {_fmt(hi, unit)}"


def _list(items: list[str], total: int | None = None, *, zh: bool = False) -> str:
    """The first items joined, and how many more there are of ``total`` (default all)."""
    shown = items[:_MAX_EVIDENCE]
    more = (len(items) if total is None else total) - len(shown)
    if not more:
        return "; ".join(shown)
    return "; ".join(shown) + (f"; 另有 {more} 项" if zh else f"; and {more} more")


def _evidence(pairs: list[tuple[str, str]], total: int | None = None) -> dict[str, str]:
    """``evidence`` and ``evidence_zh`` from (English, Chinese) items."""
    return {
        "evidence": _list([en for en, _ in pairs], total),
        "evidence_zh": _list([zh for _, zh in pairs], total, zh=True),
    }


def _fmt_zh(value: float, unit: str) -> str:
    if pd.isna(value):
        return ""
    return f"{value:.0%}" if unit == "share" else f"{value:g} {i18n.label('unit', unit, 'zh')}"


def _excess_per_day(per_day: pd.DataFrame, metric: str, standards: Standards) -> pd.Series:
    """Minutes a day lost against the standard, per rep-day (0 where met, NaN where no loss)."""
    code, regions = pd.factorize(per_day["region"])  # missing region: code -1, the default
    std = [standards.for_region(str(r)) for r in regions] + [standards.for_region(None)]

    def limit(value: Callable[[Standards], float]) -> np.ndarray:
        return np.array([value(s) for s in std])[code]

    if metric == "meeting_min":
        return (per_day["meeting_min"] - limit(lambda s: s.meeting_max_min)).clip(lower=0)
    if metric == "travel_share":
        share = limit(lambda s: s.travel_share[1])
        return (per_day["travel_min"] - share * per_day["total_min"]).clip(lower=0)
    if metric == "day_h":
        return (per_day["total_min"] - limit(lambda s: s.day_max_min)).clip(lower=0)
    return pd.Series(np.nan, index=per_day.index)


def efficiency_findings(
    time: TimeAllocation, comparison: StandardsComparison, standards: Standards
) -> pd.DataFrame:
    """One finding per standard that at least one rep misses.

    ``recoverable_min_per_day`` is the mean, over the rep-days that miss the standard, of the
    minutes beyond it (meeting, travel, working day); it is empty for standards that are not a
    loss of time in themselves (customer share, visit time, visits a day).
    """
    t = comparison.table
    team = t[t["level"] == "team"].set_index("metric")
    reps = t[(t["level"] == "rep") & (t["light"] != "green")]
    rows = []
    per_day = time.per_day
    for metric, (label, unit, _) in METRICS.items():
        missed = reps[reps["metric"] == metric]
        if missed.empty:
            continue
        affected = set(missed["rep_id"])
        days = per_day[per_day["rep_id"].isin(affected)]
        excess = _excess_per_day(days, metric, standards)
        short = excess[excess > 0]
        digits = 1 if unit != "share" else 3
        evidence = [
            (
                f"{r.rep_id}: {_fmt(round(r.observed, digits), unit)} "
                f"({r.rep_days_short} of {r.rep_days} days)",
                f"{r.rep_id}: {_fmt_zh(round(r.observed, digits), unit)} "
                f"({r.rep_days} 天中 {r.rep_days_short} 天)",
            )
            for r in missed.itertuples()
        ]
        rows.append(
            {
                "area": "efficiency",
                "metric": metric,
                "label": label,
                "observed": float(team.at[metric, "observed"]),
                "standard": _standard_text(team.loc[metric]),
                "gap": float(team.at[metric, "gap"]),
                "unit": unit,
                "severity": "high" if (missed["light"] == "red").any() else "medium",
                "reps_affected": len(affected),
                "rep_days_affected": int(missed["rep_days_short"].sum()),
                "recoverable_min_per_day": float(short.mean()) if len(short) else np.nan,
                **_evidence(evidence),
                "countermeasure": COUNTERMEASURES[metric],
            }
        )
    return pd.DataFrame(rows, columns=FINDING_COLUMNS[1:])


def audit_findings(audit: Audit, quarantine: pd.DataFrame | None = None) -> pd.DataFrame:
    """One finding per audit check that flagged anything, and one for rows set aside."""
    rows = []
    f = audit.flags
    for check, group in f.groupby("check", sort=False):
        unit, severity, _, countermeasure = CHECKS[str(check)]
        head = group.head(_MAX_EVIDENCE)
        dates = head["date"].dt.strftime("%Y-%m-%d")
        items = [
            (
                f"{r} {d}" + (f" rows {rows_}" if rows_ else ""),
                f"{r} {d}" + (f" 第 {rows_} 行" if rows_ else ""),
            )
            for r, d, rows_ in zip(head["rep_id"], dates, head["rows"], strict=True)
        ]
        recoverable = (
            float(pd.to_numeric(group["value"]).mean()) if check == "unaccounted_time" else np.nan
        )
        rows.append(
            {
                "area": "audit",
                "metric": check,
                "label": str(check).replace("_", " ").capitalize(),
                "observed": float(len(group)),
                "standard": "0",
                "gap": float(len(group)),
                "unit": unit,
                "severity": severity,
                "reps_affected": group["rep_id"].nunique(),
                "rep_days_affected": int(group[["rep_id", "date"]].drop_duplicates().shape[0]),
                "recoverable_min_per_day": recoverable,
                **_evidence(items, total=len(group)),
                "countermeasure": countermeasure,
            }
        )
    if quarantine is not None and len(quarantine):
        by = quarantine.groupby(["file", "reason"])["row"].nunique()
        n_rows = int(quarantine.drop_duplicates(["file", "row"]).shape[0])
        rows.append(
            {
                "area": "audit",
                "metric": "quarantine",
                "label": "Rows set aside at loading",
                "observed": float(n_rows),
                "standard": "0",
                "gap": float(n_rows),
                "unit": "rows",
                "severity": "medium",
                "reps_affected": 0,
                "rep_days_affected": 0,
                "recoverable_min_per_day": np.nan,
                **_evidence(
                    [
                        (f"{file}: {n} {reason}", f"{file}: {n} 行 {reason}")
                        for (file, reason), n in by.items()
                    ]
                ),
                "countermeasure": COUNTERMEASURES["quarantine"],
            }
        )
    return pd.DataFrame(rows, columns=FINDING_COLUMNS[1:])


def rank_findings(*frames: pd.DataFrame) -> pd.DataFrame:
    """Join finding tables, order them (area, severity, minutes recoverable) and number them."""
    parts = [f for f in frames if len(f)]
    if not parts:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out = out.assign(
        _area=out["area"].map(_AREAS).fillna(9),
        _sev=out["severity"].map(_SEVERITY).fillna(9),
        _rec=-out["recoverable_min_per_day"].fillna(-1.0),
    ).sort_values(["_area", "_sev", "_rec"], kind="stable")
    out = out.drop(columns=["_area", "_sev", "_rec"]).reset_index(drop=True)
    out.insert(0, "finding_id", [f"F{i + 1:02d}" for i in range(len(out))])
    return out[FINDING_COLUMNS]


_ROLE_MEASURES = {
    "finance": "Move promotion settlement and payment collection back to finance, and speed "
    "up promotion settlement so customers stop chasing the rep for refunds.",
    "marketing": "Let marketing run promotion events; the rep only informs the store.",
    "area_development_rep": "Give new-outlet development and cooler placement back to the area "
    "development rep.",
    "area_coordinator": "Route delivery follow-up and complaints to the area coordinator.",
}
_OBSTACLE_MEASURES = (
    ("settlement", "speed up promotion settlement"),
    ("report", "consolidate the daily reports into one"),
    ("meeting", "cap the morning meeting at 15 minutes"),
    ("responsib", "publish who owns which task (the role matrix) and hold to it"),
    ("deliver", "fix delivery follow-up with logistics"),
    ("route", "re-plan the routes"),
)


def route_findings(routes: object, plan: object | None = None) -> pd.DataFrame:
    """Findings from route performance (area ``route``): ineffective, never- and
    over-visited customers, unbalanced time, and the optimiser's saving when a plan is given.

    ``recoverable_min_per_day`` for ineffective customers is the minutes a week they absorb,
    per rep affected, divided by 6 working days; for the plan, the mean saving per rep-day.
    """
    from .routes import RoutePerformance

    assert isinstance(routes, RoutePerformance)
    c = routes.customers
    rows = []
    ineffective = routes.ineffective()
    if len(ineffective):
        per_rep = ineffective.groupby("rep_id")["cost_min_per_week"].sum() / 6
        items = [
            (
                f"{r.customer_id} ({r.channel}, {r.route_id}): {r.cost_min_per_week:.0f} "
                f"min/week for {r.sales_per_week:.0f} sales/week",
                f"{r.customer_id} ({r.channel}, {r.route_id}): 每周 {r.cost_min_per_week:.0f} "
                f"分钟, 销量 {r.sales_per_week:.0f}/周",
            )
            for r in ineffective.itertuples()
        ]
        rows.append(
            _row(
                "route",
                "ineffective_customers",
                "Ineffective customers",
                len(ineffective),
                "0",
                "customers",
                "high",
                per_rep.index.nunique(),
                0,
                float(per_rep.mean()),
                items,
                "Drop or re-tier the ineffective customers: lower their visit frequency, "
                "serve them by phone or through the distributor, and give the minutes "
                "to customers that buy.",
            )
        )
    for freq, label, measure in (
        (
            "never",
            "Customers on the plan never visited",
            "Visit them, or take them off the route plan so the plan is the truth.",
        ),
        (
            "under",
            "Customers visited less than planned",
            "Re-plan the week so every customer gets its planned frequency.",
        ),
        (
            "over",
            "Customers visited more than planned",
            "Hold visits to the planned frequency; give the time to under-served customers.",
        ),
    ):
        g = c[c["frequency"] == freq]
        if len(g):
            items = [
                (
                    f"{r.customer_id} ({r.route_id}, planned {r.planned_per_week:g}/week, "
                    f"visited {r.visits_per_week:.1f}/week)",
                    f"{r.customer_id} ({r.route_id}, 计划 {r.planned_per_week:g} 次/周, "
                    f"实际 {r.visits_per_week:.1f} 次/周)",
                )
                for r in g.itertuples()
            ]
            rows.append(
                _row(
                    "route",
                    f"{freq}_visited",
                    label,
                    len(g),
                    "0",
                    "customers",
                    "medium",
                    g["rep_id"].nunique(),
                    0,
                    np.nan,
                    items,
                    measure,
                )
            )
    long = c[c["long_visits"]]
    if len(long):
        items = [
            (
                f"{r.customer_id} ({r.route_id}): {r.avg_visit_min:.0f} min a visit",
                f"{r.customer_id} ({r.route_id}): 每次 {r.avg_visit_min:.0f} 分钟",
            )
            for r in long.itertuples()
        ]
        rows.append(
            _row(
                "route",
                "long_visit_customers",
                "Customers taking far longer than the standard visit",
                len(long),
                "0",
                "customers",
                "medium",
                long["rep_id"].nunique(),
                0,
                np.nan,
                items,
                "Find out why these visits take so long (waiting for the buyer, "
                "paperwork) and fix the cause.",
            )
        )
    unbalanced = routes.by_rep[routes.by_rep["time_gini"] > 0.5]
    if len(unbalanced):
        items = [
            (
                f"{r.rep_id}: Gini {r.time_gini:.2f}, top 10 % of customers take "
                f"{r.top10_time_share:.0%} of the time",
                f"{r.rep_id}: 基尼系数 {r.time_gini:.2f}, 前 10% 的客户占用 "
                f"{r.top10_time_share:.0%} 的时间",
            )
            for r in unbalanced.itertuples()
        ]
        rows.append(
            _row(
                "route",
                "time_balance",
                "Customer time spread unevenly",
                len(unbalanced),
                "Gini <= 0.5",
                "reps",
                "medium",
                len(unbalanced),
                0,
                np.nan,
                items,
                "Plan visit time by customer value, not by habit.",
            )
        )
    if plan is not None:
        days = plan.days  # type: ignore[attr-defined]
        saving = days.groupby("route_id")["saving_min"].mean()
        items = [
            (f"{route}: {m:.0f} min a day", f"{route}: 每天 {m:.0f} 分钟")
            for route, m in saving.items()
        ]
        rows.append(
            _row(
                "route",
                "route_sequence",
                "Drive time the optimised visit order saves",
                float(days["saving_min"].mean()),
                "0",
                "min a day",
                "high",
                days["rep_id"].nunique(),
                int((days["saving_min"] > 0).sum()),
                float(days["saving_min"].mean()),
                items,
                "Re-sequence the routes (tts optimize) and give the reps the new visit order.",
            )
        )
    return pd.DataFrame(rows, columns=FINDING_COLUMNS[1:])


def role_findings(survey: object) -> pd.DataFrame:
    """Findings from the questionnaire (area ``role``): other roles' work done by reps, the
    obstacles most reps score 4–5, and response-quality issues.
    """
    from .survey import SurveyAnalysis

    assert isinstance(survey, SurveyAnalysis)
    rows = []
    n_reps = max(len(survey.by_rep), 1)
    for r in survey.landed_on_reps.itertuples():
        owner = str(r.owner)
        rows.append(
            _row(
                "role",
                f"out_of_role_{owner}",
                f"Reps do the {owner.replace('_', ' ')}'s work",
                r.answers,
                "0",
                "answers",
                "high" if r.reps >= n_reps / 2 else "medium",
                int(r.reps),
                0,
                np.nan,
                [(f"tasks: {r.tasks}", f"工作: {r.tasks}")],
                _ROLE_MEASURES.get(owner, f"Give these tasks back to the {owner}."),
            )
        )
    top = (
        survey.obstacles[survey.obstacles["high_share"] >= 0.5]
        if len(survey.obstacles)
        else survey.obstacles
    )
    if len(top):
        items = [
            (
                f"{o.obstacle}: mean {o.mean_score:.1f}, {o.high_share:.0%} score 4-5"
                + (f" ('{o.comments}')" if o.comments else ""),
                f"{o.obstacle}: 平均 {o.mean_score:.1f}, {o.high_share:.0%} 打 4-5 分"
                + (f" ('{o.comments}')" if o.comments else ""),
            )
            for o in top.itertuples()
        ]
        measures = [
            m for key, m in _OBSTACLE_MEASURES if any(key in str(o) for o in top["obstacle"])
        ]
        rows.append(
            _row(
                "role",
                "obstacles",
                "Obstacles most reps score 4-5",
                len(top),
                "0",
                "obstacles",
                "medium",
                int(n_reps),
                0,
                np.nan,
                items,
                ("Remove the top obstacles: " + "; ".join(measures) + ".")
                if measures
                else "Act on the top obstacles with the reps.",
            )
        )
    if len(survey.quality):
        items = [
            (f"{q.rep_id}: {q.detail}", f"{q.rep_id}: {_QUALITY_ZH.get(str(q.issue), q.detail)}")
            for q in survey.quality.itertuples()
        ]
        rows.append(
            _row(
                "role",
                "response_quality",
                "Questionnaire answers to check",
                len(survey.quality),
                "0",
                "reps",
                "low",
                survey.quality["rep_id"].nunique(),
                0,
                np.nan,
                items,
                "Collect the missing answers and re-ask reps who scored everything the same.",
            )
        )
    return pd.DataFrame(rows, columns=FINDING_COLUMNS[1:])


#: Chinese for the questionnaire's response-quality issues.
_QUALITY_ZH = {
    "no_role_answers": "没有职责问卷回答",
    "no_obstacle_answers": "没有障碍评分",
    "straight_lining": "所有题目打同一分",
}


def _row(
    area: str,
    metric: str,
    label: str,
    observed: float,
    standard: str,
    unit: str,
    severity: str,
    reps: int,
    rep_days: int,
    recoverable: float,
    items: list[tuple[str, str]],
    countermeasure: str,
) -> dict[str, object]:
    return {
        "area": area,
        "metric": metric,
        "label": label,
        "observed": float(observed),
        "standard": standard,
        "gap": float(observed) if standard == "0" else np.nan,
        "unit": unit,
        "severity": severity,
        "reps_affected": int(reps),
        "rep_days_affected": int(rep_days),
        "recoverable_min_per_day": recoverable,
        **_evidence(items),
        "countermeasure": countermeasure,
    }
