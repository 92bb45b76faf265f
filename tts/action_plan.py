"""The PDCA action plan: one action per root cause, with baseline, target, owner and checks.

The plan is the "Plan" of Plan-Do-Check-Act. Findings that share a root cause in the findings
catalogue (the travel share, the visits a day and the optimiser's saving all come from the
route plan) become one action; every other finding is an action of its own. Each action has
the problem, its **baseline** (what the survey measured), the **target** value and the date to
reach it (the deadline: 30, 60 or 90 days by the most severe finding behind it), the
countermeasure, the role that owns it (the questionnaire's role matrix where it names an owner
for the task behind the finding, else the catalogue's), the **check measure** (what the second
wave re-measures) and the **check date** (four weeks after the deadline, time for the change
to show in a new survey), and empty Do / Check / Act columns for the team to fill in. A second
diagnostic wave (:func:`tts.compare`) fills in the status: the "Check".
The team fills the plan in as a spreadsheet, so it is exported to Excel and CSV with text kept
as text (a problem called ``=cmd|...`` never becomes a live formula).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    "baseline",
    "target_metric",
    "target_value",
    "action",
    "owner_role",
    "deadline",
    "check_measure",
    "check_date",
    "do",
    "check",
    "act",
    "status",
]

#: Days from the start of the plan to the deadline, by severity.
DEADLINE_DAYS = {"high": 30, "medium": 60, "low": 90}
#: Days from the deadline to the check: the second wave surveys after the change has run.
CHECK_AFTER_DAYS = 28

#: What the status drop-down of the Excel export offers.
_STATUSES = ("open", "in_progress", "done", "improved", "resolved", "met", "unchanged", "worse")

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
    """One action per root cause of the diagnosis's findings (see the module docstring).

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
        :data:`PLAN_COLUMNS`, one row per action: ``finding_id`` lists the findings behind it
        (``"F02, F07"``); ``baseline`` their measured sizes; ``target_metric`` and
        ``target_value`` the standard to reach by the ``deadline``; ``check_measure`` and
        ``check_date`` (dates as ``YYYY-MM-DD`` text); ``do``, ``check``, ``act`` empty for the
        team; ``status`` ``open`` until a second wave says otherwise.
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
    f = f.assign(
        root=[kind(m).root_cause for m in f["metric"]],
        rank=f["severity"].map({"high": 0, "medium": 1, "low": 2}).fillna(2),
    )
    status_of = pd.Series(dtype=object)
    if check is not None:
        status_of = check.table.dropna(subset=["finding_id"]).set_index("finding_id")["status"]
    team = dx.comparison.team().set_index("metric")
    role_matrix = dx.dataset.role_matrix
    rows = []
    # one action per root cause, in the order of the findings (most severe leads its group)
    for _, group in f.groupby("root", sort=False):
        lead = group.sort_values("rank", kind="stable").iloc[0]
        efficiency = group[group["area"] == "efficiency"]
        targets = [
            standard_text(team.at[m, "target_low"], team.at[m, "target_high"], u, lang)
            for m, u in zip(efficiency["metric"], efficiency["unit"], strict=True)
            if m in team.index
        ]
        if not targets:
            targets = [_count(0, str(lead["unit"]), lang, whole=True)]
        days = DEADLINE_DAYS.get(str(lead["severity"]), 90)
        deadline = base + pd.Timedelta(days=days)
        status = status_of.get(lead["finding_id"])
        actions = list(dict.fromkeys(group["countermeasure_zh" if zh else "countermeasure"]))
        rows.append(
            {
                "finding_id": ", ".join(group["finding_id"]),
                "area": label("area", str(lead["area"]), lang),
                "problem": "; ".join(group["label_zh" if zh else "label"]),
                "baseline": "; ".join(
                    _baseline(r.metric, r.observed, r.unit, dx.comparison.table, lang)
                    for r in group.itertuples()
                ),
                "target_metric": "; ".join(
                    label("metric", m, lang) if m in team.index else str(p)
                    for m, p in zip(
                        efficiency["metric"] if len(efficiency) else [lead["metric"]],
                        efficiency["label_zh" if zh else "label"]
                        if len(efficiency)
                        else [lead["label_zh" if zh else "label"]],
                        strict=True,
                    )
                ),
                "target_value": "; ".join(targets),
                "action": " ".join(actions),
                "owner_role": label("role", owner_of(str(lead["metric"]), role_matrix), lang),
                "deadline": deadline.strftime("%Y-%m-%d"),
                "check_measure": _check_measure(str(lead["metric"]), lang),
                "check_date": (deadline + pd.Timedelta(days=CHECK_AFTER_DAYS)).strftime("%Y-%m-%d"),
                "do": "",
                "check": "",
                "act": "",
                "status": t(f"status.{status}", lang) if status else t("status.open", lang),
            }
        )
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


def _check_measure(metric: str, lang: str) -> str:
    """What the second wave re-measures, with the role named for role findings."""
    k = kind(metric)
    return k.check_measure.format(lang, role=label("role", k.owner, lang))


_WORST = {
    "en": " (worst rep, {rep}; the team's {team} meets it)",
    "zh": " (最差业代 {rep}; 团队 {team}已达标)",
}


def _baseline(
    metric: object, observed: object, unit: object, table: pd.DataFrame, lang: str
) -> str:
    """A finding's measured size; where it is the worst rep's, not the team's, says whose and
    what the team's is (``table`` is the standards comparison, team and rep rows).
    """
    # a standard of the working day is a mean (35.3 visits a day); any other size a count
    whole = kind(str(metric)).area != "efficiency"
    text = _count(float(observed), str(unit), lang, whole=whole)  # type: ignore[arg-type]
    team = table[(table["level"] == "team") & (table["metric"] == metric)]
    if len(team) and team["gap"].iloc[0] == 0:
        reps = table[(table["level"] == "rep") & (table["metric"] == metric)]
        rep = reps.loc[reps["gap"].idxmax(), "rep_id"] if len(reps) else "–"
        team_text = _count(float(team["observed"].iloc[0]), str(unit), lang)
        text += _WORST[lang].format(rep=rep, team=team_text)
    return text


def _count(value: float, unit: str, lang: str, *, whole: bool = False) -> str:
    """A finding's size with its unit; counts as whole numbers (``whole``: visits too, as
    the visits an audit check flags).
    """
    if unit in ("share", "min", "h", "min a day"):
        return fmt(value, unit, lang)
    if unit == "visits" and not whole:
        return f"{value:.1f} {label('unit', unit, lang)}"
    n = round(float(value))
    word = label("unit", unit, lang)
    if lang == "en" and n == 1 and word.endswith("s"):  # one visit, one customer
        word = word[:-1]
    return f"{n} {word}"


def _guard(value: object) -> object:
    """Text a spreadsheet would run as a formula, prefixed with ``'`` so it stays text."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


#: Column titles of the workbook, by column name, in English and Chinese; a column not listed
#: keeps its name with underscores as spaces.
_TITLES: dict[str, tuple[str, str]] = {
    "finding_id": ("Finding", "发现编号"),
    "area": ("Area", "领域"),
    "problem": ("Problem", "问题"),
    "baseline": ("Baseline", "基线"),
    "target_metric": ("Target metric", "目标指标"),
    "target_value": ("Target", "目标值"),
    "action": ("Action", "行动"),
    "owner_role": ("Owner", "负责人"),
    "deadline": ("Deadline", "期限"),
    "check_measure": ("Check measure", "复测指标"),
    "check_date": ("Check date", "复测日期"),
    "do": ("Do", "执行"),
    "check": ("Check", "检查"),
    "act": ("Act", "处置"),
    "status": ("Status", "状态"),
    "metric": ("Metric", "指标"),
    "label": ("Finding (English)", "发现 (英文)"),
    "label_zh": ("Finding (Chinese)", "发现"),
    "observed": ("Observed", "实际"),
    "standard": ("Standard", "标准"),
    "gap": ("Gap", "差距"),
    "unit": ("Unit", "单位"),
    "severity": ("Severity", "严重度"),
    "reps_affected": ("Reps affected", "涉及业代"),
    "rep_days_affected": ("Rep-days affected", "涉及工作日"),
    "recoverable_min_per_day": ("Recoverable (min a day)", "可挽回 (分钟/天)"),
    "evidence": ("Evidence (English)", "证据 (英文)"),
    "evidence_zh": ("Evidence (Chinese)", "证据"),
    "countermeasure": ("Countermeasure (English)", "对策 (英文)"),
    "countermeasure_zh": ("Countermeasure (Chinese)", "对策"),
    "standard_zh": ("Standard (Chinese)", "标准 (中文)"),
    "rep_id": ("Rep", "业代"),
    "date": ("Date", "日期"),
    "route_id": ("Route", "线路"),
    "region": ("Region", "区域"),
    "level": ("Level", "层级"),
    "light": ("Light", "信号灯"),
    "target_low": ("Target low", "目标下限"),
    "target_high": ("Target high", "目标上限"),
    "reps": ("Reps", "业代数"),
    "reps_short": ("Reps off standard", "未达标业代"),
    "rep_days": ("Rep-days", "工作日"),
    "rep_days_short": ("Rep-days off standard", "未达标工作日"),
    "scenario": ("Scenario", "情景"),
    "visits": ("Visits", "拜访数"),
    "total_min": ("Working day (min)", "工作日 (分钟)"),
    "customer_min": ("Customer (min)", "客户时间 (分钟)"),
    "non_customer_min": ("Non-customer (min)", "非客户时间 (分钟)"),
    "customer_share": ("Customer share", "客户时间占比"),
    "travel_share": ("Travel share", "路途占比"),
    "factor": ("Factor", "校准系数"),
}

#: Decimal places shown for a float column (the full value stays in the cell).
_DECIMALS = 2


class _Formats:
    """The workbook's cell formats, made once."""

    def __init__(self, book: Any) -> None:
        self.head = book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8EEF7", "border": 1}
        )
        self.text = book.add_format({"text_wrap": True, "valign": "top"})
        self.number = book.add_format({"num_format": "0." + "0" * _DECIMALS, "valign": "top"})
        self.integer = book.add_format({"num_format": "0", "valign": "top"})
        self.date = book.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})


def _write_sheet(writer: Any, name: str, table: pd.DataFrame, lang: str, f: _Formats) -> Any:
    """One sheet: a bold frozen header in ``lang``, numbers shown rounded, dates as dates,
    widths fitted to the content; text stays text.
    """
    data = table.copy()
    dates = [c for c in ("deadline", "check_date") if c in data]
    for c in dates:  # ISO text → Excel dates
        data[c] = pd.to_datetime(data[c], errors="coerce")
    text_cols = [
        c
        for c in data.columns
        if not pd.api.types.is_numeric_dtype(data[c])
        and not pd.api.types.is_datetime64_any_dtype(data[c])
        and not pd.api.types.is_bool_dtype(data[c])
    ]
    for c in text_cols:
        data[c] = data[c].astype(object).where(data[c].notna(), None)
    data.to_excel(writer, sheet_name=name, index=False, header=False, startrow=1)
    sheet = writer.sheets[name]
    zh = lang == "zh"
    for j, column in enumerate(data.columns):
        title = _TITLES.get(str(column), (str(column).replace("_", " "),) * 2)[1 if zh else 0]
        sheet.write_string(0, j, title, f.head)
        values = data[column]
        if column in dates or pd.api.types.is_datetime64_any_dtype(values):
            fmt_, width = f.date, 12.0
        elif pd.api.types.is_float_dtype(values):
            fmt_, width = f.number, 12.0
        elif pd.api.types.is_numeric_dtype(values):
            fmt_, width = f.integer, 10.0
        else:
            longest = values.astype(str).str.len().quantile(0.9) if len(values) else 0
            fmt_, width = f.text, float(min(60.0, max(10.0, longest * (2.0 if zh else 1.1))))
        head_width = len(title) * (2.0 if zh else 1.1) + 2
        sheet.set_column(j, j, max(width, min(head_width, 30.0)), fmt_)
    sheet.freeze_panes(1, 0)
    if len(data):
        sheet.autofilter(0, 0, len(data), len(data.columns) - 1)
    return sheet


def write_action_plan(
    plan: pd.DataFrame,
    path: str | Path,
    *,
    lang: str = "en",
    extra_sheets: dict[str, pd.DataFrame] | None = None,
) -> Path:
    """Write the action plan for the team to fill in: ``.xlsx`` or ``.csv`` by the suffix.

    Excel: one sheet ``PDCA``, a bold frozen header in ``lang``, wrapped text, a status
    drop-down, numbers shown to two decimals (the full value kept in the cell), deadlines and
    check dates as Excel dates, column widths fitted; text is written as text
    (``strings_to_formulas`` and ``strings_to_urls`` off). ``pandas.read_excel`` reads it back
    (openpyxl is installed with tts). CSV: UTF-8 with a
    byte-order mark so Excel opens Chinese correctly, and cells that start with ``= + - @`` or a
    tab prefixed with ``'`` so that opening the file runs nothing.

    Parameters
    ----------
    plan : pandas.DataFrame
        From :func:`action_plan`.
    path : str or Path
        Where to write; the suffix picks the format.
    lang : {"en", "zh"}
        Language of the column titles and the status drop-down.
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
    with pd.ExcelWriter(
        path,
        engine="xlsxwriter",
        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}},
    ) as writer:
        book = writer.book
        formats = _Formats(book)
        sheet = _write_sheet(writer, "PDCA", plan, lang, formats)
        if len(plan):
            statuses = [t(f"status.{s}", lang) for s in _STATUSES]
            statuses += sorted(set(plan["status"]) - set(statuses))
            col = list(plan.columns).index("status")
            sheet.data_validation(1, col, len(plan), col, {"validate": "list", "source": statuses})
        for name, table in (extra_sheets or {}).items():
            _write_sheet(writer, name[:31], table, lang, formats)
    return path
