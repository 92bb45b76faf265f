"""The diagnostic in one call: time use, standards, capacity, audit and findings."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pandas as pd

from ._exceptions import InputError
from ._options import instance_of
from .audit import Audit, audit
from .capacity import Capacity, capacity_scenarios
from .cluster import allocate_time_dask, check_engine
from .compliance import StandardsComparison, compare_with_standards
from .findings import (
    audit_findings,
    efficiency_findings,
    rank_findings,
    role_findings,
    route_findings,
)
from .io import Dataset
from .method import Method
from .route_plan import RoutePlan
from .routes import RoutePerformance, analyze_routes
from .standards import Standards
from .survey import SurveyAnalysis, analyze_survey
from .territory import TerritoryPlan
from .time_use import TimeAllocation, allocate_time, fill_day_routes

__all__ = ["Diagnosis", "diagnose", "require_activities"]


@dataclass(frozen=True)
class Diagnosis:
    """Everything the diagnostic found.

    Attributes
    ----------
    dataset : Dataset
        The data it was computed from.
    standards : Standards
        The standards it compared with.
    time : TimeAllocation
        Customer and non-customer time per rep-day, and the store visits.
    comparison : StandardsComparison
        Observed values against the standards, per rep and for the team.
    capacity : Capacity
        Visits a day and customer share under what-if scenarios.
    audit : Audit
        What the data audit flagged, and the trust score of each rep.
    findings : pandas.DataFrame
        One row per finding (see :data:`tts.findings.FINDING_COLUMNS`).
    routes : RoutePerformance or None
        Route performance; None when skipped (see ``skipped``).
    survey : SurveyAnalysis or None
        Role clarity and obstacles; None when skipped.
    plan : RoutePlan or None
        The route plan the diagnosis was given.
    territory : TerritoryPlan or None
        The redrawn territories (:func:`tts.plan_territory`) the diagnosis was given: its
        findings are among the route findings and the report has a route consolidation
        section.
    skipped : mapping
        Analyses that could not run, and why.
    method : Method
        How it measured (working week, travel model, thresholds, lights).
    """

    dataset: Dataset
    standards: Standards
    time: TimeAllocation
    comparison: StandardsComparison
    capacity: Capacity
    audit: Audit
    findings: pd.DataFrame
    routes: RoutePerformance | None = None
    survey: SurveyAnalysis | None = None
    plan: RoutePlan | None = None
    territory: TerritoryPlan | None = None
    skipped: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    method: Method = field(default_factory=Method)

    @property
    def time_allocation(self) -> pd.DataFrame:
        """One row per rep-day (see :class:`tts.time_use.TimeAllocation`)."""
        return self.time.per_day

    def to_frame(self) -> pd.DataFrame:
        """The findings."""
        return self.findings.copy()

    def __repr__(self) -> str:
        return (
            f"Diagnosis({len(self.time.per_day)} rep-days, {len(self.findings)} findings; "
            f"{self.time!r})"
        )

    def _repr_html_(self) -> str:
        def cell(value: object) -> str:
            if isinstance(value, float):
                return "" if pd.isna(value) else f"{value:.0f}"
            return html.escape(str(value))

        cols = [
            "finding_id",
            "area",
            "label",
            "severity",
            "recoverable_min_per_day",
            "countermeasure",
        ]
        rows = "".join(
            "<tr>" + "".join(f"<td>{cell(v)}</td>" for v in r) + "</tr>"
            for r in self.findings[cols].itertuples(index=False)
        )
        skipped = "".join(
            f"<li>{html.escape(k)}: {html.escape(v)}</li>" for k, v in self.skipped.items()
        )
        return (
            f"<div>{self.time._repr_html_()}{self.comparison._repr_html_()}"
            f"<p><b>Findings</b></p><table><tr><th>id</th><th>area</th><th>finding</th>"
            f"<th>severity</th><th>min/day recoverable</th><th>countermeasure</th></tr>{rows}"
            f"</table>{f'<p>Skipped:</p><ul>{skipped}</ul>' if skipped else ''}</div>"
        )


def require_activities(ds: Dataset) -> None:
    """Raise :class:`tts.InputError` when the dataset has no activity left to diagnose."""
    if ds.activities is None or ds.activities.empty:
        raise InputError(
            "The dataset has no activities to diagnose (every row was set aside "
            "or none was given); see ds.quarantine."
        )


def diagnose(
    ds: Dataset,
    *,
    standards: Standards | None = None,
    method: Method | None = None,
    plan: RoutePlan | None = None,
    time: TimeAllocation | None = None,
    engine: str = "local",
    client: Any | None = None,
    territory: TerritoryPlan | None = None,
) -> Diagnosis:
    """Run the work-efficiency analysis, the comparison with standards, the data audit, route
    performance and the questionnaire, and gather their findings.

    This function only wires the steps together; each is a function of its own module that
    can be called alone.

    Parameters
    ----------
    ds : Dataset
        From :func:`tts.load_dataset`.
    standards : Standards, optional
        Default :meth:`Standards.default`.
    method : Method, optional
        How to measure (working week, travel model, audit thresholds, lights); default
        ``Method()``.
    plan : RoutePlan, optional
        From :func:`tts.optimize_routes`: its measured saving replaces the assumed one in the
        capacity what-if, and the diagnosis keeps it for the report.
    time : TimeAllocation, optional
        The allocation of ``ds.activities`` when already computed (by :func:`tts.run` or
        :func:`tts.optimize_routes`), so that it is not computed twice.
    engine : {"local", "dask"}
        Where the per-rep time allocation runs: here, or on a Dask cluster (see
        :mod:`tts.cluster`; needs ``pip install 'tts[dask]'``). The result is the same.
    client : distributed.Client, optional
        The Dask client; giving one implies ``engine="dask"``. Default: the running client.
    territory : TerritoryPlan, optional
        From :func:`tts.plan_territory` on the same data: what redrawing the territories
        saves and balances joins the route findings (and the PDCA plan), and the report
        gets its route consolidation section.

    Returns
    -------
    Diagnosis

    Raises
    ------
    InputError
        The dataset has no activities, ``time`` is not the allocation of its activities, or an
        option is invalid.
    ImportError
        ``engine="dask"`` without the ``dask`` extra installed.
    """
    instance_of("diagnose", "ds", ds, Dataset)
    instance_of("diagnose", "standards", standards, (Standards, type(None)))
    instance_of("diagnose", "method", method, (Method, type(None)))
    instance_of("diagnose", "plan", plan, (RoutePlan, type(None)))
    instance_of("diagnose", "time", time, (TimeAllocation, type(None)))
    instance_of("diagnose", "territory", territory, (TerritoryPlan, type(None)))
    standards = standards or Standards.default()
    method = method or Method()
    require_activities(ds)
    skipped: dict[str, str] = {}
    use_dask = check_engine(engine, client)
    if time is not None:
        if time.rep_days is not None and not time.rep_days.describes(ds.activities):
            raise InputError(
                "The 'time' parameter of diagnose must be the allocation of ds.activities "
                "(tts.time_use.allocate_time(ds.activities, ...)); got another table's."
            )
    elif use_dask:
        time = allocate_time_dask(ds.activities, standards=standards, reps=ds.reps, client=client)
    else:
        time = allocate_time(ds.activities, standards=standards, reps=ds.reps)
    time = fill_day_routes(time, ds.customers)
    comparison = compare_with_standards(time, standards, customers=ds.customers, method=method)
    if plan is not None:
        capacity = capacity_scenarios(
            time,
            standards,
            travel_saving=plan.saving_share,
            travel_saving_source="route plan",
            method=method,
        )
    else:
        capacity = capacity_scenarios(time, standards, method=method)
    if ds.customers is None:
        skipped["impossible_speed"] = "no customers table, so no coordinates"
        if ds.gps is not None:
            skipped["checkin_not_at_store"] = (
                "no customers table: the track is not held against the visits"
            )
    result = audit(ds.activities, time, ds.customers, method=method, gps=ds.gps)
    routes = None
    if ds.customers is None:
        skipped["routes"] = "no customers table: route performance skipped"
    else:
        routes = analyze_routes(ds, time, standards=standards, plan=plan, method=method)
        skipped.update({f"routes: {k}": v for k, v in routes.notes.items()})
        if routes.by_route["route_id"].nunique() < 2:
            skipped["routes: comparison"] = "a single route: routes are not compared"
    survey = None
    if ds.role_survey is None and ds.obstacles is None:
        skipped["survey"] = "no questionnaire (role_survey, role_matrix, obstacles)"
    else:
        survey = analyze_survey(ds)
        skipped.update({f"survey: {k}": v for k, v in survey.notes.items()})
    findings = rank_findings(
        efficiency_findings(time, comparison, standards),
        route_findings(routes, plan, method, territory) if routes is not None else pd.DataFrame(),
        role_findings(survey) if survey is not None else pd.DataFrame(),
        audit_findings(result, ds.quarantine),
    )
    return Diagnosis(
        dataset=ds,
        standards=standards,
        time=time,
        comparison=comparison,
        capacity=capacity,
        audit=result,
        findings=findings,
        routes=routes,
        survey=survey,
        plan=plan,
        territory=territory,
        skipped=MappingProxyType(skipped),
        method=method,
    )
