"""The whole diagnostic in one call: load, optimise, diagnose, compare, report, workbook.

:func:`run` chains the steps that ``tts diagnose`` and ``tts demo`` run, computing each
intermediate once: the time allocation is shared by the route optimiser and the diagnosis, the
second wave is compared with the first once, for the report and for the workbook. Every step
is also a function of its own (:func:`tts.load_dataset`, :func:`tts.optimize_routes`,
:func:`tts.diagnose`, :func:`tts.compare`, :func:`tts.write_report`, :func:`tts.action_plan`),
so a notebook can start from any intermediate it already holds: ``run`` takes a loaded
:class:`~tts.Dataset` as well as a folder, and a first-wave :class:`~tts.Diagnosis` as well
as its data.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ._exceptions import InputError
from ._options import instance_of, one_of
from .action_plan import action_plan, write_action_plan
from .cluster import allocate_time_dask, check_engine
from .compare import WaveComparison, compare
from .diagnosis import Diagnosis, diagnose, require_activities
from .i18n import LANGS, t
from .io import Dataset, load_dataset
from .method import Method
from .report import write_report
from .route_plan import RoutePlan, optimize_routes
from .standards import Standards
from .territory import TerritoryPlan, plan_territory
from .time_use import allocate_time

__all__ = ["Run", "check_output", "run"]


@dataclass(frozen=True)
class Run:
    """What :func:`run` produced.

    Attributes
    ----------
    dataset : Dataset
        The data diagnosed.
    diagnosis : Diagnosis
        The diagnosis of ``dataset``.
    plan : RoutePlan or None
        The re-sequenced rep-days (None when not optimised or without customers).
    before : Diagnosis or None
        The first wave, when ``dataset`` is the second.
    check : WaveComparison or None
        The second wave against the first.
    actions : pandas.DataFrame
        The PDCA action plan (of the first wave when there is one, with its status).
    report : Path or None
        The PDF written.
    workbook : Path or None
        The action plan workbook (.xlsx) or table (.csv) written.
    territory : TerritoryPlan or None
        The redrawn territories, when asked for.
    """

    dataset: Dataset
    diagnosis: Diagnosis
    plan: RoutePlan | None
    before: Diagnosis | None
    check: WaveComparison | None
    actions: pd.DataFrame
    report: Path | None
    workbook: Path | None
    territory: TerritoryPlan | None = None

    def to_frame(self) -> pd.DataFrame:
        """The findings of the diagnosis."""
        return self.diagnosis.to_frame()

    def __repr__(self) -> str:
        written = ", ".join(str(p) for p in (self.report, self.workbook) if p is not None)
        return f"Run({self.diagnosis!r}; wrote {written or 'nothing'})"

    def _repr_html_(self) -> str:
        files = "".join(
            f"<li>{html.escape(str(p))}</li>" for p in (self.report, self.workbook) if p
        )
        return (
            f"<div><p><b>tts run</b>: {len(self.actions)} actions"
            f"{'; wrote' if files else ''}</p>{f'<ul>{files}</ul>' if files else ''}"
            f"{self.diagnosis._repr_html_()}</div>"
        )


def check_output(path: str | Path | None, name: str, suffixes: tuple[str, ...]) -> Path | None:
    """Check an output path before any work: its suffix, and a folder that can be written.

    Raises
    ------
    InputError
        The suffix is not one of ``suffixes``, the folder does not exist or cannot be
        written.
    """
    if path is None:
        return None
    p = Path(path)
    if p.suffix.lower() not in suffixes:
        raise InputError(
            f"The {name!r} output must end in {' or '.join(suffixes)}; got {str(p)!r}.",
            file=str(p),
        )
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{p}: the folder {folder} does not exist.", file=str(p))
    if not os.access(folder, os.W_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise InputError(f"{p}: cannot write there (permission denied).", file=str(p))
    return p


def run(
    data: str | Path | Dataset,
    *,
    out: str | Path | None = None,
    lang: str = "en",
    optimize: bool = True,
    before: str | Path | Dataset | Diagnosis | None = None,
    excel: str | Path | None = None,
    standards: Standards | str | Path | None = None,
    method: Method | str | Path | None = None,
    mapping: str | Path | None = None,
    time_limit_s: float | None = None,
    workers: int | None = None,
    client: Any | None = None,
    progress: bool = False,
    log: Callable[[str], None] | None = None,
    territory: bool = False,
) -> Run:
    """Run the whole diagnostic and write its report and action plan.

    Parameters
    ----------
    data : str, Path or Dataset
        A folder of the survey's files, or a loaded dataset.
    out : str or Path, optional
        Where to write the PDF report (``.pdf``); none is written when omitted.
    lang : {"en", "zh"}
        Language of the report and the action plan.
    optimize : bool
        Re-sequence every rep-day's visits (needs the customers table).
    before : str, Path, Dataset or Diagnosis, optional
        The first diagnostic wave, when ``data`` is the second: its folder, dataset or
        diagnosis. Adds the Check to the report and the status to the action plan.
    excel : str or Path, optional
        Where to write the action plan: ``.xlsx`` (with the findings and the rep-days as more
        sheets) or ``.csv``.
    standards : Standards, str or Path, optional
        The standards, or a TOML file of them; default :meth:`Standards.default`.
    method : Method, str or Path, optional
        The method settings, or a TOML file of them; default ``Method()``.
    mapping : str or Path, optional
        Header and label mapping for the folders (default: each folder's ``mapping.toml``).
    time_limit_s : float, optional
        The optimiser's wall-clock safety net per rep-day, seconds; default 30 s + 0.2 s a stop
        (the searches stop on counts first).
    workers : int, optional
        Optimiser processes; default every core.
    client : distributed.Client, optional
        Run the per-rep work on this Dask cluster.
    progress : bool
        Show progress bars.
    log : callable, optional
        Called with a line of text, in ``lang``, as each step starts (the command line
        prints them, then its summary of the result).
    territory : bool
        Also redraw the territories (:func:`tts.plan_territory`, needs the customers table
        with coordinates): its findings join the diagnosis, the report gets the route
        consolidation, the workbook the plan's assignments.

    Returns
    -------
    Run

    Raises
    ------
    InputError
        Bad data or a bad option, reported before any work where it can be: output paths are
        checked first.
    """
    one_of("run", "lang", lang, LANGS)
    instance_of("run", "data", data, (str, Path, Dataset))
    instance_of("run", "before", before, (str, Path, Dataset, Diagnosis, type(None)))
    instance_of("run", "standards", standards, (Standards, str, Path, type(None)))
    instance_of("run", "method", method, (Method, str, Path, type(None)))
    for name, folder in (("data", data), ("before", before)):
        if isinstance(folder, str | Path) and not Path(folder).is_dir():
            raise InputError(f"The {name!r} folder {folder} does not exist.", file=str(folder))
    report = check_output(out, "out", (".pdf",))
    workbook = check_output(excel, "excel", (".xlsx", ".csv"))
    if report is not None and workbook is not None and report.resolve() == workbook.resolve():
        raise InputError("The 'out' and 'excel' parameters of run name the same file.")
    say = log or (lambda _: None)
    if isinstance(standards, Standards):
        std = standards
    else:
        std = Standards.from_toml(standards) if standards is not None else Standards.default()
    if isinstance(method, Method):
        m = method
    else:
        m = Method.from_toml(method) if method is not None else Method()

    def load(source: str | Path | Dataset) -> Dataset:
        if isinstance(source, Dataset):
            return source
        return load_dataset(source, mapping=mapping, method=m, progress=progress)

    ds = load(data)
    counts = ds.row_counts
    say(
        t(
            "console.loaded",
            lang,
            read=f"{int(counts['read'].sum()):,}",
            used=f"{int(counts['used'].sum()):,}",
            aside=f"{int(counts['quarantined'].sum()):,}",
        )
    )
    first: Diagnosis | None = None
    if isinstance(before, Diagnosis):
        first = before
    elif before is not None:
        first = diagnose(load(before), standards=std, method=m, client=client)
    require_activities(ds)
    if check_engine("local", client):
        time = allocate_time_dask(ds.activities, standards=std, reps=ds.reps, client=client)
    else:
        time = allocate_time(ds.activities, standards=std, reps=ds.reps)
    plan = None
    if optimize and ds.customers is not None:
        say(t("console.optimising", lang))
        plan = optimize_routes(
            ds,
            standards=std,
            method=m,
            time=time,
            time_limit_s=time_limit_s,
            workers=workers,
            progress=progress,
            client=client,
        )
    elif optimize:
        say(t("console.no_customers", lang))
    tp = None
    if territory and ds.customers is not None:
        say(t("console.territory", lang))
        tp = plan_territory(
            ds, method=m, standards=std, workers=workers, client=client, progress=progress,
            time=time,
        )  # fmt: skip
    elif territory:
        say(t("console.no_customers", lang))
    say(t("console.diagnosing", lang))
    dx = diagnose(ds, standards=std, method=m, plan=plan, time=time, client=client, territory=tp)
    check = compare(first, dx) if first is not None else None
    actions = action_plan(first or dx, check=check, lang=lang)
    if report is not None:
        say(t("console.writing", lang, file=report))
        write_report(dx, report, plan=plan, lang=lang, before=first, check=check, progress=progress)
    if workbook is not None:
        say(t("console.writing", lang, file=workbook))
        extra: dict[str, pd.DataFrame] = {}
        if workbook.suffix.lower() == ".xlsx":
            extra = {
                "findings": dx.findings,
                "standards": dx.comparison.table,
                "rep_days": dx.time_allocation,
                "capacity": dx.capacity.table,
                "capacity_line": dx.capacity.line,
            }
            if dx.routes is not None:
                extra["routes"] = dx.routes.by_route
            if plan is not None:
                extra["route_plan"] = plan.by_rep()
                if plan.calibration is not None:
                    extra["travel_calibration"] = plan.calibration.reps
            if tp is not None:
                extra["territory"] = tp.assignments
                extra["territory_reps"] = tp.reps
        write_action_plan(actions, workbook, lang=lang, extra_sheets=extra)
    return Run(ds, dx, plan, first, check, actions, report, workbook, tp)
