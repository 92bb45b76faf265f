"""The PDCA action plan: one action per finding, with its target, owner, deadline and status.

The plan is the "Plan" of Plan-Do-Check-Act: each finding of the diagnosis becomes a problem
with a target metric and value, the countermeasure as the action, the role that owns it and a
deadline. A second diagnostic wave (:func:`tts.compare`) fills in the status: the "Check".
The team fills the plan in as a spreadsheet, so it is exported to Excel and CSV with text kept
as text (a problem called ``=cmd|...`` never becomes a live formula).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ._exceptions import InputError
from ._options import instance_of
from .catalogue import kind
from .i18n import check_lang, fmt, label, standard_text, t

if TYPE_CHECKING:
    from .compare import WaveComparison
    from .diagnosis import Diagnosis

__all__ = ["PLAN_COLUMNS", "action_plan", "owner_of", "write_action_plan"]

PLAN_COLUMNS = [
    "finding_id",
    "area",
    "problem",
    "target_metric",
    "target_value",
    "action",
    "owner_role",
    "deadline",
    "status",
]

#: Days from the start of the plan to the deadline, by severity.
DEADLINE_DAYS = {"high": 30, "medium": 60, "low": 90}

#: What the status drop-down of the Excel export offers.
_STATUSES = ("open", "in_progress", "done", "improved", "resolved", "unchanged", "worse")

#: Cells starting with these characters are formulas to a spreadsheet program.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def owner_of(metric: str, role_matrix: pd.DataFrame | None = None) -> str:
    """The role that owns the action of a finding: the owner the questionnaire's role matrix
    names for the task behind it, else the catalogue's.

    >>> owner_of("meeting_min"), owner_of("out_of_role_finance")
    ('supervisor', 'finance')
    """
    k = kind(metric)
    if k.task is not None and role_matrix is not None and len(role_matrix):
        owners = role_matrix.drop_duplicates("task").set_index("task")["owner"]
        if k.task in owners.index and pd.notna(owners[k.task]):
            return str(owners[k.task])
    return k.owner


def action_plan(
    dx: Diagnosis,
    *,
    start: object | None = None,
    check: WaveComparison | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """One action per finding of the diagnosis.

    Parameters
    ----------
    dx : Diagnosis
        From :func:`tts.diagnose`.
    start : date-like, optional
        The day the plan starts; deadlines are 30, 60 and 90 days after it for high, medium
        and low severity. Default: the day after the last surveyed day, so the same data gives
        the same plan.
    check : WaveComparison, optional
        From :func:`tts.compare` with ``dx`` as the first wave: the status of each action is
        where the second wave stands (met, improving, no change, worse).
    lang : {"en", "zh"}
        Language of the text columns.

    Returns
    -------
    pandas.DataFrame
        :data:`PLAN_COLUMNS`; ``deadline`` as ``YYYY-MM-DD`` text; ``status`` ``open`` until a
        second wave says otherwise.
    """
    from .compare import WaveComparison
    from .diagnosis import Diagnosis

    instance_of("action_plan", "dx", dx, Diagnosis)
    instance_of("action_plan", "check", check, (WaveComparison, type(None)))
    check_lang(lang, "action_plan")
    f = dx.findings
    if start is None:
        dates = dx.time.per_day["date"]
        base = (dates.max() if len(dates) else pd.Timestamp("1970-01-01")) + pd.Timedelta(days=1)
    else:
        try:
            base = pd.Timestamp(start)  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            raise InputError(
                f"The 'start' parameter of action_plan must be a date; got {start!r}."
            ) from exc
        if pd.isna(base):
            raise InputError(f"The 'start' parameter of action_plan must be a date; got {start!r}.")
    if f.empty:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    zh = lang == "zh"
    problems = f["label_zh" if zh else "label"].tolist()
    actions = f["countermeasure_zh" if zh else "countermeasure"].tolist()
    days = f["severity"].map(DEADLINE_DAYS).fillna(90).astype(int)
    deadline = (base + pd.to_timedelta(days, unit="D")).dt.strftime("%Y-%m-%d")
    status = pd.Series(t("status.open", lang), index=f.index)
    if check is not None:
        by_id = check.table.dropna(subset=["finding_id"]).set_index("finding_id")["status"]
        found = f["finding_id"].map(by_id)
        status = found.map(lambda s: t(f"status.{s}", lang)).fillna(status)
    team = dx.comparison.team().set_index("metric")
    metric_label = [
        label("metric", m, lang) if a == "efficiency" else p
        for m, a, p in zip(f["metric"], f["area"], problems, strict=True)
    ]
    return pd.DataFrame(
        {
            "finding_id": f["finding_id"],
            "area": [label("area", a, lang) for a in f["area"]],
            "problem": problems,
            "target_metric": metric_label,
            "target_value": [
                standard_text(team.at[m, "target_low"], team.at[m, "target_high"], u, lang)
                if a == "efficiency" and m in team.index
                else fmt(0, u, lang)
                for m, a, u in zip(f["metric"], f["area"], f["unit"], strict=True)
            ],
            "action": actions,
            "owner_role": [
                label("role", owner_of(m, dx.dataset.role_matrix), lang) for m in f["metric"]
            ],
            "deadline": deadline,
            "status": status,
        },
        columns=PLAN_COLUMNS,
    ).reset_index(drop=True)


def _guard(value: object) -> object:
    """Text a spreadsheet would run as a formula, prefixed with ``'`` so it stays text."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def write_action_plan(
    plan: pd.DataFrame,
    path: str | Path,
    *,
    lang: str = "en",
    extra_sheets: dict[str, pd.DataFrame] | None = None,
) -> Path:
    """Write the action plan for the team to fill in: ``.xlsx`` or ``.csv`` by the suffix.

    Excel: one sheet ``PDCA``, bold frozen header, wrapped text, a status drop-down; text is
    written as text (``strings_to_formulas`` and ``strings_to_urls`` off). CSV: UTF-8 with a
    byte-order mark so Excel opens Chinese correctly, and cells that start with ``= + - @`` or a
    tab prefixed with ``'`` so that opening the file runs nothing.

    Parameters
    ----------
    plan : pandas.DataFrame
        From :func:`action_plan`.
    path : str or Path
        Where to write; the suffix picks the format.
    lang : {"en", "zh"}
        Language of the status drop-down.
    extra_sheets : dict, optional
        More tables for the workbook (sheet name → table), written as text-safe as the plan;
        not allowed for CSV.

    Returns
    -------
    Path
    """
    instance_of("write_action_plan", "plan", plan, pd.DataFrame)
    instance_of("write_action_plan", "path", path, (str, Path))
    check_lang(lang, "write_action_plan")
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if extra_sheets:
            raise InputError(
                f"{path}: a CSV file holds one table; write .xlsx for more", file=str(path)
            )
        plan.map(_guard).to_csv(path, index=False, encoding="utf-8-sig")
        return path
    if suffix != ".xlsx":
        raise InputError(
            f"{path}: the action plan is written as .xlsx or .csv, not {suffix!r}.",
            file=str(path),
        )
    widths = {
        "finding_id": 8,
        "area": 14,
        "problem": 34,
        "target_metric": 26,
        "target_value": 14,
        "action": 60,
        "owner_role": 18,
        "deadline": 12,
        "status": 12,
    }
    with pd.ExcelWriter(
        path,
        engine="xlsxwriter",
        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}},
    ) as writer:
        plan.to_excel(writer, sheet_name="PDCA", index=False)
        book = writer.book
        sheet = writer.sheets["PDCA"]
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        for i, col in enumerate(plan.columns):
            sheet.set_column(i, i, widths.get(str(col), 16), wrap)
        sheet.freeze_panes(1, 0)
        if len(plan):
            sheet.autofilter(0, 0, len(plan), len(plan.columns) - 1)
            statuses = [t(f"status.{s}", lang) for s in _STATUSES]
            statuses += sorted(set(plan["status"]) - set(statuses))
            col = list(plan.columns).index("status")
            sheet.data_validation(1, col, len(plan), col, {"validate": "list", "source": statuses})
        for name, table in (extra_sheets or {}).items():
            table.to_excel(writer, sheet_name=name[:31], index=False)
            writer.sheets[name[:31]].freeze_panes(1, 0)
    return path
