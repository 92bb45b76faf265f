"""The sections of the diagnostic report, each drawn from the diagnosis and nothing else.

Every number printed here is read from a result object (:class:`tts.Diagnosis`,
:class:`tts.RoutePlan`, :class:`tts.compare.WaveComparison`) and formatted by :func:`fmt`, so
that a figure in the PDF can be traced to the table it came from. A section with nothing to
show says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import plots
from ..action_plan import action_plan
from ..audit import CHECKS
from ..catalogue import KINDS
from ..compliance import METRICS
from ..i18n import fmt, label, standard_text, t
from ..legs import home_positions
from ..time_use import activity_column
from .document import CONTENT_MM as CONTENT_WIDTH
from .document import Document
from .words import skipped_text, w

if TYPE_CHECKING:
    from fpdf import FPDF
    from fpdf.outline import OutlineSection
    from matplotlib.axes import Axes

    from ..compare import WaveComparison
    from ..diagnosis import Diagnosis
    from ..route_plan import RoutePlan
    from ..territory import TerritoryPlan

__all__ = ["SECTIONS", "Context", "top_losses", "trust_text"]

#: Most rows a per-rep table shows; the rest are in the result objects and the Excel export.
MAX_ROWS = 60
#: A section follows the previous one on its page when this many millimetres are left below
#: its heading (so that no page stands mostly blank); otherwise it starts a new page.
FLOW_MM = 110.0
#: Before/after route maps in the report: the most improved day of this many reps.
MAPS = 3
#: Territory maps (before/after) in the route consolidation: the reps whose territory changes
#: most.
TERRITORY_MAPS = 2
#: Longest rep id shown whole beside the rep's name (characters).
REP_ID_SHOWN = 8


@dataclass(frozen=True)
class Context:
    """What the sections draw from."""

    dx: Diagnosis
    plan: RoutePlan | None
    before: Diagnosis | None
    check: WaveComparison | None
    lang: str

    @cached_property
    def _names(self) -> dict[str, str]:
        reps = self.dx.dataset.reps
        if reps is None or "name" not in reps:
            return {}
        r = reps.dropna(subset=["name"]).drop_duplicates("rep_id")
        return dict(zip(r["rep_id"].astype(str), r["name"].astype(str).str.strip(), strict=True))

    def rep(self, rep_id: object) -> str:
        """How the report names a rep: the id with the name from the reps table when it has
        one ("REP01 Wang Lei"); a long id (a system's 19-digit user id) shortened to its last
        four characters after the name ("Wang Lei …0123").
        """
        rid = str(rep_id)
        name = self._names.get(rid, "")
        if not name or name == rid:
            return rid
        return f"{name} …{rid[-4:]}" if len(rid) > REP_ID_SHOWN else f"{rid} {name}"


def trust_text(score: float) -> str:
    """A trust score as the report prints it: 100 only when nothing was flagged, else to the
    one decimal the audit keeps, so that a flagged rep never reads 100.

    >>> trust_text(100.0), trust_text(99.6), trust_text(99.97), trust_text(62.0)
    ('100', '99.6', '99.9', '62.0')
    """
    if score >= 100:
        return "100"
    text = f"{float(score):.1f}"
    return "99.9" if text == "100.0" else text


def top_losses(dx: Diagnosis, n: int = 3) -> pd.DataFrame:
    """The ``n`` findings that cost most minutes a day, largest first."""
    f = dx.findings
    f = f[f["recoverable_min_per_day"].notna() & (f["recoverable_min_per_day"] > 0)]
    return f.sort_values("recoverable_min_per_day", ascending=False, kind="stable").head(n)


def _team(dx: Diagnosis) -> pd.DataFrame:
    return dx.comparison.team().set_index("metric")


def _words(row: object, lang: str) -> tuple[str, str]:
    """A finding's title and action in ``lang``, as the diagnosis wrote them."""
    if lang == "zh":
        return str(row.label_zh), str(row.countermeasure_zh)  # type: ignore[attr-defined]
    return str(row.label), str(row.countermeasure)  # type: ignore[attr-defined]


def _num(value: object, spec: str) -> str:
    """A figure in ``spec``, or a dash where it was not measured."""
    return "–" if pd.isna(value) else format(float(value), spec)  # type: ignore[arg-type]


def _heads(lang: str, *keys: str, **fields: object) -> list[str]:
    """Column titles of a table from their ``col.<key>`` words, ``fields`` filled in."""
    return [w(f"col.{k}", lang, **fields) for k in keys]


def _finding_standard(r: Any, lang: str) -> str:
    """A finding's standard: the catalogue's own (``Gini ≤ 0.6``), else none of it (a count
    in its unit), else a dash for minutes to recover.
    """
    own = str(r.standard_zh if lang == "zh" else r.standard)
    if own not in ("0", "", "nan"):
        return own
    return fmt(0, str(r.unit), lang) if r.unit not in ("min", "min a day") else "–"


def _findings_table(doc: Document, ctx: Context, area: str, empty: str, heading: str) -> None:
    """Findings of one area with their size and action, under ``heading`` (kept on the
    table's page when the table fits on one); the evidence is in the appendix.
    """
    f = ctx.dx.findings[ctx.dx.findings["area"] == area]
    if f.empty:
        doc.heading(heading, 2)
        doc.note(w(empty, ctx.lang))
        return
    lang = ctx.lang
    team = _team(ctx.dx)
    rows = []
    for r in f.itertuples():  # findings: a few dozen rows
        name, action = _words(r, lang)
        worst = _worst_rep(ctx, str(r.metric)) if area == "efficiency" else None
        if worst is not None:  # the team meets it: the figure is the worst rep's
            name += w("worst_rep", lang, rep=worst, team=fmt(
                team.at[r.metric, "observed"], str(r.unit), lang))  # fmt: skip
        std = (
            standard_text(
                team.at[r.metric, "target_low"], team.at[r.metric, "target_high"], r.unit, lang
            )
            if area == "efficiency" and r.metric in team.index
            else _finding_standard(r, lang)
        )
        rows.append(
            [
                r.finding_id,
                name,
                fmt(r.observed, str(r.unit), lang),
                std,
                label("severity", r.severity, lang),
                r.reps_affected,
                fmt(r.recoverable_min_per_day, "min", lang),
                action,
            ]
        )
    head = _heads(
        lang, "id", "finding", "observed", "standard", "severity", "reps", "min_day", "action"
    )
    widths = (9, 32, 18, 19, 16, 10, 17, 59)
    height = doc.table_mm(head, rows, widths, size=8, whole=(1, 7))
    doc.heading(heading, 2, keep=height if height < doc.eph - 40 else 45.0)
    doc.table_of(head, rows, widths, align="LLRRLRRL", size=8, whole=(1, 7))
    if area == "efficiency":
        doc.para(_recoverable_note(ctx), size=8.5, muted=True)


def _worst_rep(ctx: Context, metric: str) -> str | None:
    """The rep whose figure a finding shows when the team meets the standard (the rep with
    the largest gap), or None when the finding shows the team's figure.
    """
    t_ = ctx.dx.comparison.table
    team = t_[(t_["level"] == "team") & (t_["metric"] == metric)]
    if team.empty or not team["gap"].iloc[0] == 0:
        return None
    reps = t_[(t_["level"] == "rep") & (t_["metric"] == metric) & (t_["gap"] > 0)]
    if reps.empty:
        return None
    return ctx.rep(reps.loc[reps["gap"].idxmax(), "rep_id"])


def _recoverable_note(ctx: Context) -> str:
    """What the Observed and the recoverable minutes of the efficiency findings measure, with
    the finding where the two look most at odds (more minutes to recover than observed).
    """
    dx, lang = ctx.dx, ctx.lang
    per_day = dx.time.per_day
    note = w("findings.columns", lang, reps=per_day["rep_id"].nunique(), days=len(per_day))
    f = dx.findings
    odd = f[
        (f["area"] == "efficiency")
        & (f["unit"] == "min")
        & (f["recoverable_min_per_day"] > f["observed"])
    ]
    team = _team(dx)
    odd = odd[[pd.notna(team["target_high"].get(m)) for m in odd["metric"]]]  # a ceiling
    if len(odd):
        r = odd.iloc[0]
        note += w(
            "findings.columns_example",
            lang,
            id=r["finding_id"],
            recoverable=fmt(r["recoverable_min_per_day"], "min", lang),
            standard=fmt(team.at[r["metric"], "target_high"], "min", lang),
            short=int(r["rep_days_affected"]),
            reps=int(r["reps_affected"]),
            observed=fmt(r["observed"], "min", lang),
            days=len(per_day),
        )
    return note


def cover(doc: Document, ctx: Context) -> None:
    """Title page: who, when, how much data, and the contents."""
    from .. import __version__

    dx, lang = ctx.dx, ctx.lang
    per_day = dx.time.per_day
    doc.add_page()
    doc.set_y(60)
    doc.set_font(doc.family, doc.bold, size=26)
    doc.set_text_color(21, 101, 192)
    with doc.bold_text():
        doc.multi_cell(0, 12, w("title", lang), align="L")
    doc.set_text_color(33, 33, 33)
    doc.ln(4)
    doc.para(w("subtitle", lang), size=12)
    doc.ln(8)
    regions = sorted(str(r) for r in per_day["region"].dropna().unique())
    doc.para(
        w(
            "cover.team",
            lang,
            reps=per_day["rep_id"].nunique(),
            routes=per_day["route_id"].nunique(),
            regions=", ".join(regions[:6]) + (" …" if len(regions) > 6 else ""),
        ),
        size=11,
    )
    start, end = _period(dx)
    doc.para(
        w(
            "cover.period",
            lang,
            start=start,
            end=end,
            days=len(per_day),
            rows=f"{len(dx.dataset.activities) if dx.dataset.activities is not None else 0:,}",
        ),
        size=11,
    )
    doc.para(w("cover.made", lang, version=__version__), size=8.5, muted=True)
    doc.ln(10)
    doc.set_font(doc.family, doc.bold, size=12)
    with doc.bold_text():
        doc.cell(0, 7, w("cover.contents", lang), new_x="LMARGIN", new_y="NEXT")
    doc.insert_toc_placeholder(_contents, pages=1)


def _contents(pdf: FPDF, outline: list[OutlineSection]) -> None:
    """The contents of the cover: every section with its page."""
    assert isinstance(pdf, Document)
    doc = pdf
    doc.set_x(doc.l_margin)
    doc.set_font(doc.family, size=10.5)
    for section in outline:
        if section.level != 0:
            continue
        doc.cell(CONTENT_WIDTH - 15, 6.5, section.name)
        doc.cell(15, 6.5, str(section.page_number), align="R", new_x="LMARGIN", new_y="NEXT")


def _period(dx: Diagnosis) -> tuple[str, str]:
    dates = dx.time.per_day["date"]
    if dates.empty:
        return "–", "–"
    return str(dates.min().date()), str(dates.max().date())


def summary(doc: Document, ctx: Context) -> None:
    """Headline figures with traffic lights, the three biggest time losses, capacity, data."""
    dx, lang = ctx.dx, ctx.lang
    s = dx.standards
    team = _team(dx)
    per_day = dx.time.per_day
    doc.heading(w("h.summary", lang))
    doc.para(
        w(
            "summary.intro",
            lang,
            reps=per_day["rep_id"].nunique(),
            days=per_day["date"].nunique(),
            rep_days=len(per_day),
            share=fmt(team.at["customer_share", "observed"], "share"),
            standard=f"{s.customer_share_min:.0%}",
            visit=fmt(team.at["avg_visit_min", "observed"], "min", lang),
            band=standard_text(*s.visit_min, "min", lang),
        )
    )
    doc.heading(w("summary.headline", lang), 2)
    n_reps = per_day["rep_id"].nunique()
    rows, lights = [], []
    for metric in METRICS:
        unit = KINDS[metric].unit
        r = team.loc[metric]
        measured = r["light"] != "not_measured"
        rows.append(
            [
                label("metric", metric, lang),
                fmt(r["observed"], unit, lang) if measured else "–",
                standard_text(r["target_low"], r["target_high"], unit, lang),
                t(f"light.{r['light']}", lang),
                f"{int(r['reps_short'])} / {int(r['reps'])}" if measured else "–",
                f"{int(r['rep_days_short'])} / {int(r['rep_days'])}" if measured else "–",
            ]
        )
        lights.append(str(r["light"]))
    doc.table_of(
        _heads(lang, "metric", "team", "standard", "light", "reps_off", "days_off"),
        rows,
        (52, 24, 28, 22, 22, 22),
        align="LRRLRR",
        lights=lights,
        light_col=3,
        size=9,
    )
    doc.note(
        w(
            "summary.light_rule",
            lang,
            red=f"{dx.method.team_red_rep_share:.0%}",
            amber=f"{dx.method.team_amber_day_share:.0%}",
        )
    )
    doc.heading(w("summary.losses", lang), 2)
    losses = top_losses(dx)
    if losses.empty:
        doc.note(w("summary.no_losses", lang))
    else:
        losses_rows: list[list[object]] = []
        for i, r in enumerate(losses.itertuples(), start=1):
            name, action = _words(r, lang)
            losses_rows.append(
                [
                    i,
                    f"{r.finding_id} {name}",
                    f"{r.recoverable_min_per_day:.1f}",
                    r.reps_affected,
                    action,
                ]
            )
        doc.table_of(
            _heads(lang, "rank", "finding", "min_day", "reps", "action"),
            losses_rows,
            (6, 45, 16, 10, 83),
            align="RLRRL",
            size=8.5,
            whole=(1, 4),
        )
        doc.para(w("summary.losses_note", lang), size=8.5, muted=True)
        if len(losses) < 3:
            doc.note(w("summary.losses_few", lang, n=len(losses)))
    cap = dx.capacity.team().set_index("scenario")
    if {"observed", "all"} <= set(cap.index):
        obs, best = cap.loc["observed"], cap.loc["all"]
        saving = 1 - best["travel_per_visit_min"] / obs["travel_per_visit_min"]
        doc.para(
            w(
                "summary.capacity",
                lang,
                day=f"{s.day_max_h:g}",
                meeting=f"{s.meeting_max_min:g}",
                travel=f"{saving:.0%}",
                visit=f"{s.visit_min[0]:g}",
                share0=f"{obs['customer_share']:.0%}",
                share1=f"{best['customer_share']:.0%}",
                visits0=f"{obs['visits']:.1f}",
                visits1=f"{best['visits']:.1f}",
            )
        )
    line = dx.capacity.line
    if len(line):
        tl = line[line["level"] == "team"].iloc[0]
        doc.para(
            w(
                "summary.line",
                lang,
                visit=f"{tl['visit_min']:g}",
                day=f"{s.day_max_h:g}",
                available=f"{tl['available_min']:.0f}",
                fit=f"{tl['visits_fit']:.1f}",
                travel=f"{tl['travel_per_visit_min']:.1f}",
                fit_opt=f"{tl['visits_fit_optimised']:.1f}",
                ceiling=int(tl["visits_max"]),
                observed=f"{tl['visits_observed']:.1f}",
            )
        )
    long_days = per_day["total_min"] > s.day_max_min
    if long_days.any():
        doc.para(
            w(
                "summary.long_days",
                lang,
                days=int(long_days.sum()),
                rep_days=len(per_day),
                share=fmt(long_days.mean(), "share"),
                limit=f"{s.day_max_h:g}",
                reps=per_day.loc[long_days, "rep_id"].nunique(),
                n_reps=n_reps,
            )
        )
    plan = ctx.plan
    if plan is not None and len(plan.days):
        d = plan.days
        doc.para(
            w(
                "summary.routes",
                lang,
                share=f"{plan.saving_share:.0%}",
                minutes=f"{d['saving_min'].mean():.1f}",
                days=len(d),
            )
        )
    counts = dx.dataset.row_counts
    trust = dx.audit.trust["trust_score"]
    doc.para(
        w(
            "summary.data",
            lang,
            read=f"{int(counts['read'].sum()):,}",
            used=f"{int(counts['used'].sum()):,}",
            aside=f"{int(counts['quarantined'].sum()):,}",
            trust=trust_text(trust.mean()) if len(trust) else "–",
        )
    )
    low = dx.audit.trust[[dx.method.trust_light(x) == "red" for x in trust]]
    if len(low):
        doc.para(
            w(
                "summary.low_trust",
                lang,
                reps=", ".join(
                    f"{ctx.rep(r.rep_id)} ({trust_text(r.trust_score)})" for r in low.itertuples()
                ),
                amber=f"{dx.method.trust_amber:g}",
            )
        )


def efficiency(doc: Document, ctx: Context) -> None:
    """Time allocation per rep, visit lengths, a day on the route, capacity, findings."""
    dx, lang = ctx.dx, ctx.lang
    doc.heading(w("h.efficiency", lang))
    doc.para(
        w(
            "eff.intro",
            lang,
            customer=", ".join(label("act", a, lang) for a in dx.standards.customer_activities),
        )
    )
    doc.chart(lambda ax: plots.time_allocation(dx.time, ax=ax, lang=lang), height_in=3.6)
    doc.heading(w("eff.per_rep", lang), 2)
    t_ = dx.comparison.table
    shown_metrics = ["day_h", "customer_share", "travel_share", "meeting_min", "admin_min",
                     "visits", "avg_visit_min"]  # fmt: skip
    reps = t_[t_["level"] == "rep"].pivot_table(
        index="rep_id", columns="metric", values="observed", aggfunc="first"
    )
    # a metric with no standard in use (a survey without admin, say) prints as a dash
    reps = reps.reindex(columns=list(dict.fromkeys([*reps.columns, *shown_metrics])))
    share_light = t_[(t_["level"] == "rep") & (t_["metric"] == "customer_share")].set_index(
        "rep_id"
    )["light"]
    days = dx.time.per_day.groupby("rep_id").size()
    reps = reps.sort_values("customer_share", kind="stable")
    shown = reps.head(MAX_ROWS)
    rows = [
        [
            ctx.rep(rep),
            int(days.get(rep, 0)),
            _num(r["day_h"], ".2f"),
            fmt(r["customer_share"], "share"),
            fmt(r["travel_share"], "share"),
            _num(r["meeting_min"], ".1f"),
            _num(r["admin_min"], ".1f"),
            _num(r["visits"], ".1f"),
            _num(r["avg_visit_min"], ".1f"),
        ]
        for rep, r in shown.iterrows()
    ]
    doc.table_of(
        _heads(
            lang,
            "rep",
            "days",
            "day_h",
            "customer",
            "travel",
            "meeting",
            "admin",
            "visits_day",
            "min_visit",
        ),
        rows,
        (32, 11, 16, 18, 16, 20, 20, 18, 18),
        align="LRRRRRRRR",
        lights=[share_light.get(rep) for rep in shown.index],
        light_col=3,
    )
    _non_customer_table(doc, ctx, list(shown.index))
    if len(reps) > MAX_ROWS:
        doc.note(w("eff.capped", lang, n=MAX_ROWS, total=len(reps)))
    doc.heading(w("eff.visits", lang), 2, keep=75)
    doc.chart(lambda ax: plots.visit_distribution(dx.time, ax=ax, lang=lang), height_in=2.9)
    per_day = dx.time.per_day
    if len(per_day):
        worst = per_day.loc[per_day["customer_share"].idxmin()]
        doc.heading(w("eff.day", lang), 2, keep=75)
        doc.para(
            w(
                "eff.day_note",
                lang,
                rep=ctx.rep(worst["rep_id"]),
                date=worst["date"].date(),
                share=fmt(worst["customer_share"], "share"),
            ),
            size=9,
        )
        activities = dx.dataset.activities
        doc.chart(
            lambda ax: plots.day_timeline(
                activities,
                str(worst["rep_id"]),
                worst["date"],
                standards=dx.standards,
                ax=ax,
                lang=lang,
                rep_label=ctx.rep(worst["rep_id"]),
            ),
            height_in=2.6,
        )
    doc.heading(w("eff.capacity", lang), 2, keep=75)
    doc.chart(lambda ax: plots.capacity_whatif(dx.capacity, ax=ax, lang=lang), height_in=2.9)
    cap = dx.capacity.team()
    doc.table_of(
        _heads(lang, "scenario", "visits_day", "customer", "customer_min"),
        [
            [
                label("scenario", r.scenario, lang),
                f"{r.visits:.1f}",
                fmt(r.customer_share, "share"),
                f"{r.customer_min:.0f}",
            ]
            for r in cap.itertuples()
        ],
        (60, 40, 40, 40),
        align="LRRR",
    )
    _capacity_note(doc, ctx)
    _findings_table(doc, ctx, "efficiency", "eff.none", w("eff.findings", lang))


#: Non-customer activities always shown; others get a column when the data holds them.
_NON_CUSTOMER_SHOWN = ("travel", "morning_meeting", "admin", "lunch")
#: Most activity columns in the table; any further activities are summed as "other".
_NON_CUSTOMER_MAX = 8


def _non_customer_table(doc: Document, ctx: Context, reps: list[str]) -> None:
    """Every non-customer minute per rep: each activity, other, unaccounted, and the total."""
    dx, lang = ctx.dx, ctx.lang
    by_rep = dx.time.summarize("rep").set_index("rep_id")
    present = [
        a
        for a in dx.standards.non_customer_activities
        if a not in _NON_CUSTOMER_SHOWN and by_rep[activity_column(a)].sum() > 0
    ]
    shown = [a for a in _NON_CUSTOMER_SHOWN if a in dx.standards.non_customer_activities]
    shown += present[: _NON_CUSTOMER_MAX - len(shown)]
    rest = [activity_column(a) for a in dx.standards.non_customer_activities if a not in shown]
    if not by_rep[rest].to_numpy().sum() > 0:
        rest = []  # nothing beyond the columns shown
    doc.heading(w("eff.non_customer", lang), 2, keep=40)
    doc.para(w("eff.non_customer_note", lang, admin=f"{dx.standards.admin_max_min:g}"), size=9)
    rows = []
    for rep in reps:
        r = by_rep.loc[rep]
        rows.append(
            [ctx.rep(rep)]
            + [f"{r[activity_column(a)]:.0f}" for a in shown]
            + [f"{float(r[rest].sum()):.0f}"] * bool(rest)
            + [f"{r['unaccounted_min']:.0f}", f"{r['non_customer_min']:.0f}"]
        )
    heads = [w("col.rep", lang)]
    heads += [w("col.meeting_short", lang) if a == "morning_meeting" else label("act", a, lang)
              for a in shown]  # fmt: skip
    heads += [w("col.rest", lang)] * bool(rest)
    heads += [label("act", "unaccounted", lang), w("col.non_customer", lang)]
    n = len(heads) - 3
    widths = (30, *([min(17.0, 100.0 / n)] * n), 22, 24)
    doc.table_of(heads, rows, widths, align="L" + "R" * (len(heads) - 1))


def _capacity_note(doc: Document, ctx: Context) -> None:
    """Why every measure still falls short of the standard, and why visits a day move."""
    dx, lang = ctx.dx, ctx.lang
    cap = dx.capacity.team().set_index("scenario")
    if not {"observed", "all"} <= set(cap.index):
        return
    obs, best = cap.loc["observed"], cap.loc["all"]
    by_team = dx.time.summarize("team").iloc[0]
    fixed = [
        a
        for a in dx.standards.non_customer_activities
        if a not in ("travel", "morning_meeting", "admin")
    ]
    parts = sorted(
        ((by_team[activity_column(a)], a) for a in fixed if by_team[activity_column(a)] >= 0.5),
        reverse=True,
    )
    named = [f"{label('act', a, lang)} {m:.0f}" for m, a in parts[:4]]
    freed = obs["meeting_min"] + obs["admin_min"] - best["meeting_min"] - best["admin_min"]
    if by_team["unaccounted_min"] >= 0.5:
        named.append(f"{label('act', 'unaccounted', lang)} {by_team['unaccounted_min']:.0f}")
    doc.para(
        w(
            "eff.capacity_fixed",
            lang,
            share=fmt(best["customer_share"], "share"),
            fixed=f"{best['fixed_min']:.0f}",
            parts=", ".join(named) or "–",
            visits0=f"{obs['visits']:.1f}",
            visits1=f"{best['visits']:.1f}",
            visit0=f"{obs['visit_min']:.1f}",
            visit1=f"{best['visit_min']:.1f}",
            travel0=f"{obs['travel_per_visit_min']:.1f}",
            travel1=f"{best['travel_per_visit_min']:.1f}",
            freed=f"{freed:.0f}",
        ),
        size=9,
    )


def routes(doc: Document, ctx: Context) -> None:
    """Routes compared, the optimised order before and after, route findings."""
    dx, lang, plan = ctx.dx, ctx.lang, ctx.plan
    doc.heading(w("h.routes", lang))
    if dx.routes is None:
        why = skipped_text("routes", dx.skipped.get("routes", "no data"), lang)
        doc.note(w("routes.skipped", lang, why=why))
    else:
        doc.chart(lambda ax: plots.travel_share_by_route(dx.time, ax=ax, lang=lang), height_in=2.8)
        doc.heading(w("routes.performance", lang), 2)
        r = dx.routes.by_route
        if len(r) > MAX_ROWS:
            r = r.sort_values("travel_min_per_visit", ascending=False, kind="stable")
        doc.table_of(
            _heads(
                lang,
                "route",
                "customers",
                "visits_week",
                "travel_visit",
                "km_visit",
                "sales_visit",
                "ineffective",
                currency=label("currency", dx.method.currency, lang),
            ),
            [
                [
                    x.route_id,
                    int(x.customers),
                    f"{x.visits_per_week:.1f}",
                    f"{x.travel_min_per_visit:.1f}",
                    f"{x.km_per_visit:.2f}",
                    "–" if pd.isna(x.sales_per_visit) else f"{x.sales_per_visit:,.0f}",
                    int(x.ineffective_customers),
                ]
                for x in r.head(MAX_ROWS).itertuples()
            ],
            (30, 22, 24, 26, 22, 26, 22),
            align="LRRRRRR",
        )
        if len(r) > MAX_ROWS:
            doc.note(w("routes.capped", lang, n=MAX_ROWS, total=len(r)))
    doc.heading(w("routes.optimised", lang), 2, keep=95 if ctx.plan is not None else 20)
    if plan is None or plan.days.empty:
        doc.note(w("routes.no_plan", lang))
    else:
        d = plan.days
        # each rep's most improved day, for the MAPS reps whose best day saves most
        best = (
            d.sort_values(["saving_min", "rep_id", "date"], ascending=[False, True, True])
            .drop_duplicates("rep_id")
            .head(MAPS)
        )
        customers = dx.dataset.customers
        if customers is not None and {"lon", "lat"} <= set(customers.columns):
            doc.keep(doc.chart_mm(3.3) + 16)  # the caption with the first map
            doc.para(w("routes.map_note", lang, n=len(best)), size=9)
            homes = home_positions(dx.dataset.reps)
            for rep_id, date in zip(best["rep_id"], best["date"], strict=True):
                home = (
                    tuple(homes.loc[rep_id].to_numpy(float))
                    if homes is not None and rep_id in homes.index
                    else None
                )
                doc.chart(
                    partial(
                        _route_map,
                        plan=plan,
                        customers=customers,
                        rep_id=str(rep_id),
                        date=date,
                        lang=lang,
                        home=home,
                        rep_label=ctx.rep(rep_id),
                    ),
                    height_in=3.3,
                )
        by_rep = plan.by_rep()
        _calibration_note(doc, ctx)
        logged = dx.time.per_day.groupby("rep_id")["travel_min"].sum()
        cal = plan.calibration.reps.set_index("rep_id") if plan.calibration is not None else None
        doc.table_of(
            _heads(
                lang,
                "rep",
                "days",
                "logged_travel",
                "factor",
                "drive_before",
                "drive_after",
                "saving_day",
                "saving_share",
            ),
            [
                [
                    ctx.rep(x.rep_id),
                    int(x.days),
                    f"{logged.get(x.rep_id, np.nan):,.0f}",
                    f"{cal.at[x.rep_id, 'factor']:.2f}"
                    if cal is not None and x.rep_id in cal.index
                    else "–",
                    f"{x.travel_before_min:,.0f}",
                    f"{x.travel_after_min:,.0f}",
                    f"{x.saving_min_per_day:.1f}",
                    fmt(x.saving_share, "share"),
                ]
                for x in by_rep.head(MAX_ROWS).itertuples()
            ],
            (24, 13, 26, 18, 26, 26, 26, 21),
            align="LRRRRRRR",
        )
        if len(by_rep) > MAX_ROWS:
            doc.note(w("routes.plan_capped", lang, n=MAX_ROWS, total=len(by_rep)))
    if ctx.dx.territory is not None:
        _consolidation(doc, ctx)
    _findings_table(doc, ctx, "route", "routes.no_findings", w("routes.findings", lang))


def _consolidation(doc: Document, ctx: Context) -> None:
    """Route consolidation: the territory plan against the logged territory, per rep, maps."""
    dx, lang = ctx.dx, ctx.lang
    tp = dx.territory
    assert tp is not None
    doc.heading(w("routes.territory", lang), 2, keep=95)
    lim = tp.limits
    doc.para(
        w(
            "routes.territory_note",
            lang,
            day_h=f"{lim['day_max_min'] / 60:g}",
            visits=f"{lim['visits_max']:g}",
            tolerance=f"{lim['tolerance']:g}",
        ),
        size=9,
    )
    c = tp.compare()

    def cell(value: float, unit: str) -> str:
        if pd.isna(value):
            return "–"
        if unit == "share":
            return fmt(value, "share", lang)
        if unit == "ratio":
            return f"{value:.2f}"
        return f"{value:,.0f}"

    def change(value: float, unit: str) -> str:
        if pd.isna(value):
            return "–"
        if unit == "share":
            return w("pp", lang, change=f"{value * 100:+.0f}")
        if unit == "ratio":
            return f"{value:+.2f}"
        return f"{value:+,.0f}"

    doc.table_of(
        _heads(lang, "measure", "logged_week", "kept_week", "plan_week", "change"),
        [
            [
                w(f"territory.{m}", lang),
                cell(r.logged, r.unit),
                cell(r.kept, r.unit),
                cell(r.plan, r.unit),
                change(r.change, r.unit),
            ]
            for m, r in zip(c.index, c.itertuples(), strict=True)
        ],
        (62, 30, 34, 26, 26),
        align="LRRRR",
    )
    kept, planned = c.at["drive_min_per_week", "kept"], c.at["drive_min_per_week", "plan"]
    moves = c.at["customers_changing_rep", "plan"]
    if tp.origin == "today" and moves == 0:
        key = "routes.territory_keep"
    elif planned < kept:
        key = "routes.territory_redraw"
    else:  # moves that buy days within the limits or balance, at some drive
        key = "routes.territory_trade"
    verdict = w(
        key,
        lang,
        kept=f"{kept:,.0f}",
        plan=f"{planned:,.0f}",
        saved=f"{kept - planned:,.0f}",
        extra=f"{planned - kept:,.0f}",
        moved=f"{moves:g}",
        over_kept=f"{c.at['days_over_limit', 'kept']:g}",
        over_plan=f"{c.at['days_over_limit', 'plan']:g}",
        balance_kept=f"{c.at['workload_balance', 'kept']:.2f}",
        balance_plan=f"{c.at['workload_balance', 'plan']:.2f}",
    )
    over = c.at["days_over_limit", "plan"]
    if over > 0:
        verdict += _fixed_time_text(dx, float(lim["fixed_min"]), f"{over:g}", lang)
    if not tp.balanced:
        verdict += w(
            "routes.territory_unbalanced",
            lang,
            balance=f"{tp.balance:.2f}",
            tolerance=f"{lim['tolerance']:g}",
        )
    doc.para(verdict, size=9)
    lg = tp.logged.set_index("rep_id")
    pl = tp.reps.set_index("rep_id")
    ids = sorted(set(lg.index) | set(pl.index))

    def get(frame: pd.DataFrame, rep: str, col: str) -> float:
        return float(frame.at[rep, col]) if rep in frame.index else float("nan")

    rows = [
        [
            ctx.rep(rep),
            cell(get(lg, rep, "customers"), "n"),
            cell(get(pl, rep, "customers"), "n"),
            cell(get(lg, rep, "drive_min_per_week"), "min"),
            cell(get(pl, rep, "drive_min_per_week"), "min"),
            f"{get(lg, rep, 'workload_min_per_week') / 60:.1f}" if rep in lg.index else "–",
            f"{get(pl, rep, 'workload_min_per_week') / 60:.1f}" if rep in pl.index else "–",
            cell(get(pl, rep, "days_over_limit"), "n"),
        ]
        for rep in ids[:MAX_ROWS]
    ]
    doc.table_of(
        _heads(
            lang,
            "rep",
            "customers_logged",
            "customers_plan",
            "drive_week_logged",
            "drive_week_plan",
            "hours_week_logged",
            "hours_week_plan",
            "days_over_plan",
        ),
        rows,
        (30, 20, 20, 22, 22, 22, 22, 20),
        align="LRRRRRRR",
    )
    if len(ids) > MAX_ROWS:
        doc.note(w("eff.capped", lang, n=MAX_ROWS, total=len(ids)))
    doc.para(_customers_text(ctx, tp), size=9)
    a = tp.assignments
    moved = a[a["logged_rep_id"].notna() & (a["logged_rep_id"] != a["rep_id"])]
    if {"lat", "lon"} <= set(a.columns) and a[["lat", "lon"]].notna().all(axis=None):
        # the reps whose territory changes most: most customers gained or lost
        churn = pd.concat([moved["rep_id"], moved["logged_rep_id"]]).value_counts()
        shown = sorted(churn.head(TERRITORY_MAPS).index) if len(churn) else ids[:1]
        # the caption stays on the page of the first map it describes
        doc.keep(doc.chart_mm(3.3) + 16)
        doc.para(w("routes.territory_maps", lang, n=len(shown)), size=9)
        for rep in shown:
            doc.chart(
                partial(_territory_map, plan=tp, rep_id=str(rep), lang=lang,
                        rep_label=ctx.rep(rep)),
                height_in=3.3,
            )  # fmt: skip


def _customers_text(ctx: Context, tp: TerritoryPlan) -> str:
    """What each count of customers in the route section counts, so that they reconcile:
    visited in the survey, placed by the plan, on the customer list.
    """
    customers = ctx.dx.dataset.customers
    listed = customers["customer_id"].nunique() if customers is not None else len(tp.assignments)
    a = tp.assignments
    text = w(
        "routes.territory_customers",
        ctx.lang,
        now=f"{tp.logged['customers'].sum():,.0f}",
        plan=f"{len(a):,}",
        listed=f"{listed:,}",
    )
    never = int(a["logged_rep_id"].isna().sum())
    if never:
        text += w("routes.territory_never", ctx.lang, never=f"{never:,}")
    return text


def _fixed_time_text(dx: Diagnosis, fixed: float, over: str, lang: str) -> str:
    """Why rep-days of the territory plan stay over a limit: the meeting and admin a day it
    counts. By default the plan counts the meeting at its standard and the admin the survey
    logged, so the sum differs from today's meeting and admin: the words say which is which.
    """
    per_day = dx.time.per_day
    meeting = float(dx.standards.meeting_max_min)
    admin = float(per_day["admin_min"].mean()) if "admin_min" in per_day and len(per_day) else 0.0
    admin = admin if admin == admin else 0.0
    if abs(meeting + admin - fixed) >= 0.05 or "meeting_min" not in per_day:
        return w("routes.territory_over", lang, n=over, fixed=f"{fixed:.0f}")
    return w(
        "routes.territory_over_parts",
        lang,
        n=over,
        fixed=f"{fixed:.0f}",
        meeting=f"{meeting:g}",
        meeting_now=f"{per_day['meeting_min'].mean():.1f}",
        admin=f"{admin:.1f}",
    )


def _calibration_note(doc: Document, ctx: Context) -> None:
    """How the drive minutes were calibrated on the logged travel, or why they were not."""
    plan, lang = ctx.plan, ctx.lang
    model = ctx.dx.method.travel
    base = {"circuity": f"{model.circuity:g}", "speed": f"{model.speed_kmh:g}"}
    cal = plan.calibration if plan is not None else None
    if cal is None or cal.note:
        why = (
            w("routes.few_hops", lang, n=cal.hops, need=ctx.dx.method.calibration_min_hops)
            if cal is not None
            else w("routes.not_calibrated", lang)
        )
        doc.para(w("routes.calibration_default", lang, why=why, **base), size=9)
        return
    doc.para(
        w(
            "routes.calibration",
            lang,
            ratio=fmt(1 / cal.team_factor, "share"),
            hops=f"{cal.hops:,}",
            min_hops=ctx.dx.method.calibration_min_hops,
            **base,
        ),
        size=9,
    )


def survey(doc: Document, ctx: Context) -> None:
    """Role clarity, work landing on reps, obstacles, role findings."""
    dx, lang = ctx.dx, ctx.lang
    sv = dx.survey
    # the heatmap, a line a task, opens the section: its headings stay on its page
    height = min(6.5, 1.6 + 0.22 * len(sv.matrix)) if sv is not None else 0.0
    chart_mm = doc.chart_mm(height) if sv is not None and not sv.matrix.empty else 20.0
    doc.heading(w("h.survey", lang), new_page=False, keep=max(FLOW_MM, chart_mm + 12))
    if sv is None:
        why = skipped_text("survey", dx.skipped.get("survey", "no data"), lang)
        doc.note(w("survey.skipped", lang, why=why))
        return
    doc.heading(w("survey.roles", lang), 2, keep=max(90.0, chart_mm))
    if sv.matrix.empty:
        doc.note(w("survey.no_roles", lang))
    else:
        doc.chart(lambda ax: plots.role_heatmap(sv, ax=ax, lang=lang), height_in=height)
    doc.heading(w("survey.landed", lang), 2)
    if sv.landed_on_reps.empty:
        doc.note(w("survey.no_landed", lang))
    else:
        doc.table_of(
            _heads(lang, "role", "tasks", "reps", "answers"),
            [
                [
                    label("role", x.owner, lang),
                    ("、" if lang == "zh" else ", ").join(
                        label("task", c.strip(), lang) for c in str(x.tasks).split(",")
                    ),
                    x.reps,
                    x.answers,
                ]
                for x in sv.landed_on_reps.itertuples()
            ],
            (40, 100, 20, 20),
            align="LLRR",
        )
    doc.heading(w("survey.obstacles", lang), 2, keep=80)
    if sv.obstacles.empty:
        doc.note(w("survey.no_obstacles", lang))
    else:
        doc.chart(lambda ax: plots.obstacles_pareto(sv, ax=ax, lang=lang), height_in=3.2)
        doc.table_of(
            _heads(lang, "obstacle", "mean", "high", "comments"),
            [
                [
                    label("obstacle", x.obstacle, lang),
                    f"{x.mean_score:.1f}",
                    fmt(x.high_share, "share"),
                    x.comments,
                ]
                for x in sv.obstacles.itertuples()
            ],
            (45, 18, 18, 99),
            align="LRRL",
        )
    _findings_table(doc, ctx, "role", "survey.no_findings", w("survey.findings", lang))


def data_audit(doc: Document, ctx: Context) -> None:
    """Rows read, used and set aside; the checks; trust per rep; what was skipped."""
    dx, lang = ctx.dx, ctx.lang
    doc.heading(w("h.audit", lang), new_page=False, keep=FLOW_MM)
    doc.para(w("audit.intro", lang))
    doc.heading(w("audit.rows", lang), 2)
    c = dx.dataset.row_counts
    doc.table_of(
        _heads(lang, "table", "file", "encoding", "read", "used", "aside"),
        [
            [
                label("table", x.table, lang),
                x.file,
                x.encoding,
                f"{x.read:,}",
                f"{x.used:,}",
                f"{x.quarantined:,}",
            ]
            for x in c.itertuples()
        ],
        (28, 52, 22, 26, 26, 26),
        align="LLLRRR",
    )
    doc.heading(w("audit.aside", lang), 2)
    q = dx.dataset.quarantine
    if q.empty:
        doc.note(w("audit.none_aside", lang))
    else:
        g = q.groupby(["file", "reason"], sort=True)
        summary_ = g.agg(rows=("row", "nunique"), row=("row", "first"))
        first = q.drop_duplicates(["file", "reason"]).set_index(["file", "reason"])
        doc.table_of(
            _heads(lang, "file", "reason", "rows", "example"),
            [
                [
                    file,
                    reason,
                    f"{r.rows:,}",
                    _example(first.loc[(file, reason)]),
                ]
                for (file, reason), r in summary_.head(MAX_ROWS).iterrows()
            ],
            (38, 34, 16, 92),
            align="LLRL",
        )
    doc.heading(w("audit.checks", lang), 2)
    flags = dx.audit.flags
    if flags.empty:
        doc.note(w("audit.no_flags", lang))
    rows = []
    flagged_by = dict(tuple(flags.groupby("check", sort=False))) if len(flags) else {}
    # every check the audit ran, flagged or not, so the reader sees what was checked
    for check in CHECKS:
        group = flagged_by.get(check)
        kind = KINDS[str(check)]
        n_days = 0 if group is None else len(group[["rep_id", "date"]].drop_duplicates())
        rows.append(
            [
                label("check", check, lang),
                n_days,
                0 if group is None else group["rep_id"].nunique(),
                label("severity", kind.severity, lang) if n_days else "–",
                kind.countermeasure.text(lang) if n_days else w("audit.passed", lang),
            ]
        )
    doc.table_of(
        _heads(lang, "check", "rep_days", "reps", "severity", "what_to_do"),
        rows,
        (44, 22, 12, 20, 82),
        align="LRRLL",
        whole=(4,),
        lights=["green" if r[1] == 0 else None for r in rows],
        light_col=1,
    )
    doc.heading(w("audit.trust", lang), 2)
    tr = dx.audit.trust.sort_values(["trust_score", "rep_id"], kind="stable")
    checks = [c_ for c_ in CHECKS if c_ in tr.columns]
    flagged = tr[checks].astype(bool)
    names = [
        ", ".join(label("check", c_, lang) for c_ in np.array(checks)[row])
        for row in flagged.to_numpy()
    ]
    doc.table_of(
        _heads(lang, "rep", "trust", "days", "visits_day", "flags"),
        [
            [
                ctx.rep(x.rep_id),
                trust_text(x.trust_score),
                int(x.days),
                f"{x.visits / x.days:.1f}" if x.days else "–",
                names[i],
            ]
            for i, x in enumerate(tr.head(MAX_ROWS).itertuples())
        ],
        (30, 20, 14, 20, 96),
        align="LRRRL",
        lights=[dx.method.trust_light(s) for s in tr["trust_score"].head(MAX_ROWS)],
        light_col=1,
    )
    if len(tr) > MAX_ROWS:
        doc.note(w("eff.capped", lang, n=MAX_ROWS, total=len(tr)))


def _territory_map(
    ax: Axes, *, plan: TerritoryPlan, rep_id: str, lang: str, rep_label: str
) -> Axes:
    return plots.territory_map(plan, rep_id, ax=ax, lang=lang, rep_label=rep_label)


def _route_map(
    ax: Axes,
    *,
    plan: RoutePlan,
    customers: pd.DataFrame,
    rep_id: str,
    date: object,
    lang: str,
    home: tuple[float, float] | None,
    rep_label: str,
) -> Axes:
    return plots.route_map(
        plan, customers, rep_id, date, ax=ax, lang=lang, home=home, rep_label=rep_label
    )


def _example(row: pd.Series) -> str:
    return f"row {row['row']}, {row['column']} = {str(row['value'])[:60]!r}: {row['message']}"


def check(doc: Document, ctx: Context) -> None:
    """The second wave against the first, or why there is none."""
    lang = ctx.lang
    cmp_ = ctx.check
    # without a second wave the section is one line: it follows the audit on its page
    doc.heading(w("h.check", lang), new_page=cmp_ is not None, keep=30)
    if cmp_ is None:
        doc.note(w("check.none", lang))
        return
    doc.para(w("check.counts", lang, **cmp_.counts()))
    doc.heading(w("check.metrics", lang), 2)
    m = cmp_.metrics
    status_colour = {
        "met": "green",
        "resolved": "green",
        "improved": "green",
        "unchanged": "amber",
        "worse": "red",
    }

    def interval(x: object) -> str:
        lo, hi, unit = x.ci_low, x.ci_high, str(x.unit)  # type: ignore[attr-defined]
        if pd.isna(lo):
            return "–"
        change = _signed(x.change, unit, lang)  # type: ignore[attr-defined]
        return f"{change} [{_signed(lo, unit, lang)}, {_signed(hi, unit, lang)}]"

    doc.table_of(
        _heads(lang, "metric", "before", "after", "change_ci", "standard", "status"),
        [
            [
                label("metric", x.metric, lang),
                fmt(x.before, x.unit, lang),
                fmt(x.after, x.unit, lang),
                interval(x),
                standard_text(x.target_low, x.target_high, x.unit, lang),
                t(f"status.{x.status}", lang),
            ]
            for x in m.itertuples()
        ],
        (46, 22, 22, 52, 24, 18),
        align="LRRRRL",
        lights=[status_colour.get(str(x)) for x in m["status"]],
        light_col=5,
        size=8.5,
    )
    doc.note(
        w(
            "check.rule",
            lang,
            share=f"{ctx.dx.method.min_change_share:.0%}",
            reps=int(m["reps_paired"].iloc[0]) if len(m) else 0,
        )
    )
    doc.heading(w("check.findings", lang), 2)
    tab = cmp_.table
    colour = status_colour
    doc.table_of(
        _heads(lang, "id", "finding", "before", "after", "status"),
        [
            [
                x.finding_id if isinstance(x.finding_id, str) else f"({x.finding_id_after})",
                x.label_zh if lang == "zh" else x.label,
                fmt(x.before, str(x.unit), lang),
                fmt(x.after, str(x.unit), lang),
                t(f"status.{x.status}", lang),
            ]
            for x in tab.itertuples()
        ],
        (16, 74, 30, 30, 30),
        align="LLRRL",
        lights=[colour.get(str(s)) for s in tab["status"]],
        light_col=4,
    )


def _signed(value: float, unit: str, lang: str) -> str:
    """A change with its sign: shares in percentage points, others in their unit."""
    if unit == "share":
        return w("pt", lang, change=f"{value * 100:+.1f}")
    return f"{value:+.2f}" if abs(value) < 10 else f"{value:+.1f}"


def action(doc: Document, ctx: Context) -> None:
    """The PDCA plan: problem, baseline, target, action and check measure, owner, dates."""
    dx, lang = ctx.dx, ctx.lang
    doc.heading(w("h.plan", lang), new_page=False, keep=FLOW_MM)
    plan = action_plan(ctx.before or dx, check=ctx.check, lang=lang)
    if plan.empty:
        doc.note(w("plan.none", lang))
        return
    dates = (ctx.before or dx).time.per_day["date"]
    doc.para(w("plan.intro", lang, start=(dates.max() + pd.Timedelta(days=1)).date()))
    doc.table_of(
        _heads(lang, "id", "problem", "baseline", "target", "action", "owner", "dates"),
        [
            [
                x.finding_id,
                x.problem,
                x.baseline,
                x.target_value,
                f"{x.action}\n{w('plan.check', lang)}: {x.check_measure}",
                x.owner_role,
                f"{x.deadline}\n{w('plan.check', lang)} {x.check_date}\n{x.status}",
            ]
            for x in plan.itertuples()
        ],
        (12, 26, 20, 18, 58, 24, 22),
        size=8,
        whole=(0, 1, 2, 3, 4, 6),
    )


def appendix(doc: Document, ctx: Context) -> None:
    """Method, the standards used, what was skipped, every finding with its evidence."""
    dx, lang = ctx.dx, ctx.lang
    s = dx.standards
    doc.heading(w("h.appendix", lang))
    doc.heading(w("app.method", lang), 2)
    doc.para(
        w(
            "app.method.text",
            lang,
            customer=", ".join(label("act", a, lang) for a in s.customer_activities),
            non_customer=", ".join(label("act", a, lang) for a in s.non_customer_activities),
        ),
        size=9,
    )
    doc.heading(w("app.standards", lang), 2)
    rows = [
        [w("app.std.customer_share_min", lang), f"≥ {s.customer_share_min:.0%}"],
        [w("app.std.visit_min", lang), standard_text(*s.visit_min, "min", lang)],
        [w("app.std.meeting_max_min", lang), f"≤ {fmt(s.meeting_max_min, 'min', lang)}"],
        [w("app.std.travel_share", lang), standard_text(*s.travel_share, "share", lang)],
        [w("app.std.admin_max_min", lang), f"≤ {fmt(s.admin_max_min, 'min', lang)}"],
        [w("app.std.day_max_h", lang), f"≤ {s.day_max_h:g} {label('unit', 'h', lang)}"],
        [w("app.std.visits_max", lang), f"≤ {s.visits_max}"],
    ]
    for channel, band in sorted(s.channel.items()):
        rows.append(
            [w("app.std.channel", lang, channel=channel), standard_text(*band, "min", lang)]
        )
    default = type(s)()
    for region, rs in sorted(s.region.items()):
        changed = [
            f"{k}={getattr(rs, k)}"
            for k in ("customer_share_min", "visit_min", "meeting_max_min", "travel_share")
            + ("day_max_h", "visits_max")
            if getattr(rs, k) != getattr(default, k)
        ]
        rows.append([w("app.std.region", lang, region=region, what=", ".join(changed)), ""])
    doc.table_of(_heads(lang, "name", "value"), rows, (120, 60), align="LR")
    doc.heading(w("app.skipped", lang), 2)
    if dx.skipped:
        # the message says what was skipped and why; the key is a code for the program
        doc.bullets(skipped_text(k, v, lang) for k, v in dx.skipped.items())
    else:
        doc.note(w("app.none_skipped", lang))
    doc.heading(w("app.findings", lang), 2)
    f = dx.findings
    if f.empty:
        doc.note(w("plan.none", lang))
    else:
        doc.table_of(
            _heads(lang, "id", "finding", "evidence"),
            [
                [
                    x.finding_id,
                    x.label_zh if lang == "zh" else x.label,
                    x.evidence_zh if lang == "zh" else x.evidence,
                ]
                for x in f.itertuples()
            ],
            (10, 45, 125),
            size=8,
            whole=(1,),
            long=(2,),
        )


#: The sections in the order they are printed.
SECTIONS = (cover, summary, efficiency, routes, survey, data_audit, check, action, appendix)
