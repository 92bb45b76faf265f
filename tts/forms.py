"""The survey forms: the method's instruments as Excel workbooks that the reps fill in.

Step 3 of the method: the reps log their days in the **route activity survey** and answer the
**rep questionnaire** (who really does each task; which obstacles keep them from selling).
:func:`write_forms` writes one workbook per instrument, named after the table it fills, so
that the folder of filled forms loads with :func:`tts.load_dataset` as it is:

``activities.xlsx``
    The route activity survey: one row per activity (rep, date, start, end, activity,
    customer), a row opening each rep's survey day, drop-downs of the activities (in the
    form's language) and of the customers, times checked as ``HH:MM``; with a customers file,
    a sheet listing the customers with their names and routes.
``role_survey.xlsx``
    The role questionnaire: one row per rep and task, with a drop-down of the roles.
``obstacles.xlsx``
    One row per rep and obstacle, a score from 1 to 5 (checked) and a comment.
``role_matrix.xlsx``
    Written when no role matrix is given: the method's tasks with their area and the role
    meant to do each, for the manager to adapt before the survey (the diagnostic compares the
    answers with it).

Each workbook has the data sheet first (the loader reads the first sheet), then an
instructions sheet in the form's language, then a hidden sheet holding the drop-down lists.
Drop-downs show labels in the form's language; the loader maps them back to the codes of the
data contract. Tasks and obstacles are written as their codes (ids that stay the same in
either language, so answers of an English and a Chinese form compare), with a description
beside them in the form's language that the loader ignores. Text is written as text: a name
starting with ``=`` never becomes a formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping as MappingABC
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd

from ._exceptions import InputError
from ._options import in_range, instance_of
from .catalogue import Words
from .i18n import check_lang, label
from .io.dataset import _raw_from_frame, _resolve_mapping
from .io.files import SUFFIXES, read_raw
from .io.headers import Mapping
from .io.validate import type_table
from .method import Method
from .schema import AREA_CODES, CUSTOMER_ACTIVITIES, ROLE_CODES, TABLES

__all__ = [
    "FORM_ACTIVITIES",
    "METHOD_OBSTACLES",
    "METHOD_TASKS",
    "MethodTask",
    "write_forms",
]

#: Activity codes a rep can log (``unexplained`` is derived from check-in logs, never logged).
FORM_ACTIVITIES: tuple[str, ...] = (
    "morning_meeting",
    "travel",
    "visit",
    "merchandising",
    "pop",
    "order_entry",
    "competitor_check",
    "admin",
    "lunch",
    "refuel",
    "wait",
    "trade_show",
    "other",
)


@dataclass(frozen=True)
class MethodTask:
    """A task of the role questionnaire.

    Attributes
    ----------
    code : str
        The task's id in ``role_survey`` and ``role_matrix``.
    area : str
        Its area (an area code: ``in_store``, ``customer_development``, ``coordination``,
        ``non_sales``).
    owner : str
        The role meant to do it (a role code).
    words : Words
        What the task is, in English and Chinese.
    """

    code: str
    area: str
    owner: str
    words: Words


#: The method's own task list: code, area, the role meant to do it, and its words.
METHOD_TASKS: tuple[MethodTask, ...] = (
    MethodTask("order_taking", "in_store", "rep", Words("order taking", "接单下单")),
    MethodTask("shelf_arrangement", "in_store", "rep", Words("shelf arrangement", "货架陈列")),
    MethodTask("pop_posting", "in_store", "rep", Words("POP posting", "张贴 POP")),
    MethodTask(
        "sales_stock_registration",
        "in_store",
        "rep",
        Words("sales and stock registration", "销量和库存登记"),
    ),
    MethodTask("competitor_check", "in_store", "rep", Words("competitor check", "竞品检查")),
    MethodTask(
        "new_customer_development",
        "customer_development",
        "area_development_rep",
        Words("new customer development", "新客户开发"),
    ),
    MethodTask(
        "exclusive_sales_agreement",
        "customer_development",
        "area_development_rep",
        Words("exclusive sales agreements", "专卖协议签订"),
    ),
    MethodTask(
        "equipment_delivery",
        "coordination",
        "area_coordinator",
        Words("equipment delivery (coolers, racks)", "设备投放（冰柜、货架）"),
    ),
    MethodTask(
        "sales_data_support",
        "coordination",
        "area_coordinator",
        Words("sales data support", "销售数据支持"),
    ),
    MethodTask(
        "customer_file_maintenance",
        "coordination",
        "area_coordinator",
        Words("customer file maintenance", "客户档案维护"),
    ),
    MethodTask(
        "promotion_settlement",
        "non_sales",
        "finance",
        Words("promotion follow-up and settlement", "促销跟进与核销"),
    ),
    MethodTask(
        "event_promoter",
        "non_sales",
        "marketing",
        Words("acting as promoter at events", "活动现场充当促销员"),
    ),
    MethodTask(
        "market_research",
        "non_sales",
        "marketing",
        Words("market research and feedback", "市场调查与反馈"),
    ),
)

#: The obstacles the questionnaire asks about by default: code and words.
METHOD_OBSTACLES: tuple[tuple[str, Words], ...] = (
    (
        "promotion_settlement_delay",
        Words(
            "promotion settlements are slow: customers chase the rep for refunds",
            "促销核销慢：客户追着业代要返利",
        ),
    ),
    ("too_many_reports", Words("too many reports and forms", "报表太多")),
    ("long_morning_meeting", Words("the morning meeting runs long", "早会太长")),
    ("unclear_responsibilities", Words("unclear who does what", "职责不清")),
    ("delivery_problems", Words("late or wrong deliveries", "配送不及时或出错")),
    ("route_too_spread", Words("the route's customers are too spread out", "线路客户太分散")),
    ("stock_outs", Words("products out of stock", "断货")),
    (
        "payment_collection_burden",
        Words("collecting payments takes selling time", "收款占用销售时间"),
    ),
)

#: Labels of the task areas in the forms (the loader reads them back as area codes).
_AREA_WORDS: dict[str, Words] = {
    "in_store": Words("in store", "店内"),
    "customer_development": Words("customer development", "客户开发"),
    "coordination": Words("coordination", "协调"),
    "non_sales": Words("outside sales", "非销售"),
}

_Kind = Literal["text", "code", "date", "time", "int"]


@dataclass(frozen=True)
class _Col:
    """A column of a data sheet: its canonical name (None: shown, not read), header, width."""

    name: str | None
    header: Words
    width: float
    kind: _Kind = "text"


_REP = _Col("rep_id", Words("Rep", "业务员"), 12)
_COLUMNS: dict[str, tuple[_Col, ...]] = {
    "activities": (
        _REP,
        _Col("date", Words("Date", "日期"), 12, "date"),
        _Col("start", Words("Start (HH:MM)", "开始时间（时:分）"), 13, "time"),
        _Col("end", Words("End (HH:MM)", "结束时间（时:分）"), 13, "time"),
        _Col("activity", Words("Activity", "活动"), 18),
        _Col("customer_id", Words("Customer", "客户编号"), 14),
    ),
    "role_survey": (
        _REP,
        _Col(None, Words("Description", "工作说明"), 40),
        _Col("performed_by", Words("Performed by", "实际执行人"), 24),
        _Col("task", Words("Task", "工作项目"), 26, "code"),
    ),
    "obstacles": (
        _REP,
        _Col(None, Words("Description", "障碍说明"), 50),
        _Col("score", Words("Score (1-5)", "评分（1-5）"), 12, "int"),
        _Col("comment", Words("Comment", "备注"), 50),
        _Col("obstacle", Words("Obstacle", "障碍"), 28, "code"),
    ),
    "role_matrix": (
        _Col("task", Words("Task", "工作项目"), 26, "code"),
        _Col(None, Words("Description", "工作说明"), 40),
        _Col("area", Words("Area", "工作领域"), 22),
        _Col("owner", Words("Owner", "应负责"), 24),
    ),
}

_SHEETS: dict[str, Words] = {
    "activities": Words("Activities", "路线活动调查"),
    "role_survey": Words("Roles", "职责问卷"),
    "obstacles": Words("Obstacles", "销售障碍"),
    "role_matrix": Words("Role matrix", "职责矩阵"),
    "instructions": Words("Instructions", "填写说明"),
    "customers": Words("Customers", "客户名单"),
}

_KEEP_LAYOUT = Words(
    "Do not rename the columns or the sheets, and keep the data sheet first: the diagnostic "
    "reads the workbook back as it is.",
    "请勿修改列名和工作表名，并保持数据表为第一个工作表：诊断程序按原样读取本文件。",
)
_CODE_COLUMN = Words(
    "Description says what each row asks about; the grey code in the last column identifies "
    "it for the diagnostic: leave both as they are.",
    "说明列写明每一行问的是什么；最后一列的灰色代码供诊断程序识别：两列都请勿修改。",
)

_INSTRUCTIONS: dict[str, tuple[Words, tuple[Words, ...]]] = {
    "activities": (
        Words("Route activity survey: how to fill it in", "路线活动调查：填写说明"),
        (
            Words(
                "One row per activity, from the start of the working day (leaving home or "
                "arriving at the depot) to its end: every store visit, every drive between "
                "stores, the morning meeting, admin and reports, lunch, refuelling, waiting.",
                "每项活动填一行，从工作日开始（出门或到达营业所）到结束：每次门店拜访、门店之间的"
                "每段路途、早会、行政和报表、午餐、加油、等待。",
            ),
            Words(
                "Each pre-filled row opens one survey day of one rep (rep and date filled in): "
                "write the day's first activity on it, then add one row per activity. Insert "
                "rows below it or add them at the end of the sheet: the order of the rows does "
                "not matter. Copy the rep and the date into every row you add. Delete the row of "
                "a day not worked: a row left with only the rep and the date is set aside.",
                "每个已预填的行是一名业务员一个调查日的第一行（已填业务员和日期）：在该行填当天第一项"
                "活动，之后每项活动加一行。可在其下方插入行，也可在表末追加：行的顺序不影响读取。"
                "新加的每一行都要填写业务员和日期。未出勤的日期请删除该行：只填了业务员和日期的行会被"
                "剔除。",
            ),
            Words(
                "Start and End: clock times as HH:MM (07:50, 13:05), noted when the activity "
                "starts and ends. Exact minutes, not rounded to 5 or 10: the data audit "
                "recognises round numbers, copied days and impossible speeds between stores, "
                "and trusts the whole survey less for them.",
                "开始时间和结束时间：按 时:分 填写（07:50、13:05），在活动开始和结束时记录。请填"
                "实际分钟，不要凑整到 5 或 10 分钟：数据审计能识别凑整的数字、复制的日期和门店之间"
                "不可能的车速，并因此降低对整份调查的信任度。",
            ),
            Words(
                "The end of one activity is the start of the next: no gaps, no overlaps. "
                "A drive from one store to the next is a travel row.",
                "上一项活动的结束时间就是下一项活动的开始时间：不留空档，不重叠。从一家门店到下一家"
                "门店的路上是一行“路途”。",
            ),
            Words(
                "Activity: pick it from the list. Customer activities need the customer: pick "
                "the store's code in the Customer column (the Customers sheet, when there is "
                "one, lists every store with its name and route).",
                "活动：从下拉列表中选择。客户活动必须填写客户：在“客户编号”列选择门店编号"
                "（如有“客户名单”工作表，可在其中按名称和线路查找门店编号）。",
            ),
            Words(
                "Fill each day on the day itself, never afterwards from memory, and never copy "
                "one day into another.",
                "请当天填写，不要事后凭记忆补填，也不要复制其他日期的记录。",
            ),
            _KEEP_LAYOUT,
        ),
    ),
    "role_survey": (
        Words("Role questionnaire: who really does each task", "职责问卷：每项工作实际由谁完成"),
        (
            Words(
                "One row per task for each rep. In Performed by, pick who actually does the "
                "task today, not who should do it. When several people do it, pick the one "
                "who does most of it.",
                "每名业务员每项工作一行。在“实际执行人”列选择目前实际做这项工作的人，而不是应该做的"
                "人。如果多人都做，选择做得最多的那一位。",
            ),
            Words(
                "There are no wrong answers: the answers are read for the team as a whole, to "
                "give work that lands on the reps back to the role that owns it.",
                "答案没有对错之分：问卷按整个团队汇总分析，目的是把落在业务员身上的工作交还给应负责"
                "的岗位。",
            ),
            _CODE_COLUMN,
            _KEEP_LAYOUT,
        ),
    ),
    "obstacles": (
        Words("Obstacles to selling: score each one", "销售障碍：逐项打分"),
        (
            Words(
                "One row per obstacle for each rep. Score how much it keeps you from selling: "
                "1 not at all, 2 a little, 3 somewhat, 4 much, 5 very much.",
                "每名业务员每项障碍一行。按它对销售的影响程度打分：1 没有影响，2 影响很小，"
                "3 有些影响，4 影响较大，5 影响很大。",
            ),
            Words(
                "Give each obstacle its own score. A comment (an example, how often it "
                "happens) helps to remove it.",
                "请逐项独立打分。备注中写一个例子或发生的频率，有助于解决问题。",
            ),
            _CODE_COLUMN,
            _KEEP_LAYOUT,
        ),
    ),
    "role_matrix": (
        Words(
            "Role matrix: who should do each task (for the manager, not for the reps)",
            "职责矩阵：每项工作应由谁负责（供管理者使用，不发给业务员）",
        ),
        (
            Words(
                "One row per task: its area and the role meant to do it. The method's owners "
                "are filled in; change them to the company's own rules before the survey.",
                "每项工作一行：所属领域和应负责的岗位。已按方法预填，调查前请按公司自己的规定修改。",
            ),
            Words(
                "The role questionnaire asks the reps who actually does each task; the "
                "diagnostic compares their answers with this matrix. Keep the task codes the "
                "same in both workbooks.",
                "职责问卷询问业务员每项工作实际由谁完成；诊断会把回答与本矩阵对比。两个文件中的工作"
                "项目代码必须一致。",
            ),
            Words(
                "Task is the code the role questionnaire uses for the task, Description what it "
                "is. A task you add needs a code of its own, in lower case without spaces.",
                "“工作项目”是职责问卷使用的工作代码，“工作说明”写明它是什么。新增的工作需要自己的代码，"
                "用小写字母，不含空格。",
            ),
            _KEEP_LAYOUT,
        ),
    ),
}

_LEGEND: dict[str, tuple[Words, Words]] = {
    "activities": (Words("Activity", "活动"), Words("Counts as customer time", "计入客户时间")),
    "role_survey": (Words("Role", "岗位"), Words("", "")),
    "obstacles": (Words("Score", "评分"), Words("Meaning", "含义")),
    "role_matrix": (Words("Area", "工作领域"), Words("", "")),
}
_YES_NO = (Words("yes", "是"), Words("no", "否"))
_SCORES = (
    Words("not at all", "没有影响"),
    Words("a little", "影响很小"),
    Words("somewhat", "有些影响"),
    Words("much", "影响较大"),
    Words("very much", "影响很大"),
)

#: Prompts and error messages of the checked cells (title, message).
_PROMPTS: dict[str, tuple[Words, Words]] = {
    "rep": (Words("Rep", "业务员"), Words("Pick a rep from the list.", "从列表中选择业务员。")),
    "date": (
        Words("Date", "日期"),
        Words("A day of the survey, {first} to {last}.", "调查期内的日期：{first} 至 {last}。"),
    ),
    "time": (
        Words("HH:MM", "时:分"),
        Words("A clock time such as 07:50.", "填写时间，如 07:50。"),
    ),
    "activity": (
        Words("Activity", "活动"),
        Words("Pick the activity from the list.", "从列表中选择活动。"),
    ),
    "customer": (
        Words("Customer", "客户"),
        Words(
            "Pick the store's code from the list; needed for customer activities.",
            "从列表中选择门店编号；客户活动必填。",
        ),
    ),
    "role": (
        Words("Performed by", "实际执行人"),
        Words("Pick who actually does the task.", "选择实际做这项工作的人。"),
    ),
    "owner": (
        Words("Owner", "应负责"),
        Words("Pick the role meant to do it.", "选择应负责的岗位。"),
    ),
    "area": (Words("Area", "工作领域"), Words("Pick the task's area.", "选择工作领域。")),
    "score": (
        Words("Score", "评分"),
        Words(
            "A whole number from 1 (not at all) to 5 (very much).",
            "1（没有影响）到 5（影响很大）的整数。",
        ),
    ),
}

#: Last row (0-based) that a drop-down or a check covers: the whole sheet, for rows users add.
_LAST_ROW = 1_048_575
_LISTS_SHEET = "lists"

Source: TypeAlias = str | Path | pd.DataFrame


def write_forms(
    out_dir: str | Path,
    *,
    lang: str = "en",
    reps: Source | None = None,
    customers: Source | None = None,
    role_matrix: Source | None = None,
    obstacles: Sequence[str] | None = None,
    days: int = 12,
    start: str | dt.date | None = None,
    method: Method | None = None,
    mapping: Mapping | str | Path | MappingABC | None = None,
    overwrite: bool = False,
) -> list[Path]:
    """Write the survey forms (route activity survey, role questionnaire, obstacles) to fill in.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Folder to write to; created when missing.
    lang : {"en", "zh"}
        Language of the headers, drop-down labels, prompts and instructions.
    reps : str, pathlib.Path or pandas.DataFrame, optional
        The reps table (``rep_id`` …, any header the loader recognises): each rep gets a row
        per survey day, per task and per obstacle, and the rep column a drop-down. Without
        it the rows carry no rep: each rep fills a copy with their id.
    customers : str, pathlib.Path or pandas.DataFrame, optional
        The customers table: its ``customer_id`` values become the customer drop-down.
    role_matrix : str, pathlib.Path or pandas.DataFrame, optional
        The company's role matrix: its tasks make the questionnaire. Default: the method's
        tasks (:data:`METHOD_TASKS`), also written as ``role_matrix.xlsx``.
    obstacles : sequence of str, optional
        Obstacle codes to ask about; default the method's (:data:`METHOD_OBSTACLES`).
    days : int
        Working days of the route activity survey, days (1–366).
    start : str or datetime.date, optional
        First day of the survey (``YYYY-MM-DD``); default the Monday after today. Days
        follow the method's working week.
    method : Method, optional
        The working week (``weekdays``); default ``Method()``.
    mapping : Mapping, path or dict, optional
        Header and label mapping for the reps, customers and role-matrix files.
    overwrite : bool
        Replace forms already in ``out_dir``; without it an existing form is an error, so a
        filled form is never written over.

    Returns
    -------
    list of pathlib.Path
        The workbooks written: ``activities.xlsx``, ``role_survey.xlsx``,
        ``obstacles.xlsx`` and, without ``role_matrix``, ``role_matrix.xlsx``.

    Raises
    ------
    InputError
        A bad option, an unreadable reps, customers or role-matrix file, a role matrix with
        rows that cannot be read, or a form already in ``out_dir`` (without ``overwrite``).

    Examples
    --------
    >>> import tempfile
    >>> reps = pd.DataFrame({"rep_id": ["R1", "R2"]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_forms(tmp, lang="zh", reps=reps, days=2, start="2026-03-02")
    ...     [p.name for p in paths]
    ['activities.xlsx', 'role_survey.xlsx', 'obstacles.xlsx', 'role_matrix.xlsx']
    """
    where = "write_forms"
    instance_of(where, "out_dir", out_dir, (str, Path))
    check_lang(lang, where)
    for name, value in (("reps", reps), ("customers", customers), ("role_matrix", role_matrix)):
        instance_of(where, name, value, (str, Path, pd.DataFrame, type(None)))
    if isinstance(days, bool) or not isinstance(days, int | np.integer):
        raise InputError(
            f"The 'days' parameter of {where} must be a whole number of days; got {days!r}."
        )
    in_range(where, "days", days, 1, 366, unit="days")
    instance_of(where, "start", start, (str, dt.date, type(None)))
    instance_of(where, "method", method, (Method, type(None)))
    instance_of(where, "mapping", mapping, (Mapping, str, Path, MappingABC, type(None)))
    instance_of(where, "overwrite", overwrite, bool)
    obstacle_list = _obstacle_list(obstacles)
    m = method or Method()
    first = _first_day(start)
    resolved = _resolve_mapping(mapping)

    rep_ids = _rep_ids(reps, resolved)
    customer_table = _customers(customers, resolved)
    tasks = _tasks(role_matrix, resolved)

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"The 'out_dir' parameter of {where}: {out} is a file, not a folder.")
    tables = ["activities", "role_survey", "obstacles"]
    if role_matrix is None:
        tables.append("role_matrix")
    _check_free(out, tables, overwrite)
    out.mkdir(parents=True, exist_ok=True)

    dates = pd.bdate_range(first, periods=int(days), freq="C", weekmask=m.weekmask)
    survey_days = [d.date() for d in dates]
    reps_or_blank: list[str | None] = list(rep_ids) if rep_ids else [None]
    lists = _Lists(lang, rep_ids, customer_table)

    paths = [
        _write(
            out,
            "activities",
            lang,
            [(r, d, None, None, None, None) for r in reps_or_blank for d in survey_days],
            lists,
            dates=(survey_days[0], survey_days[-1]),
        ),
        _write(
            out,
            "role_survey",
            lang,
            [(r, t.words.text(lang), None, t.code) for r in reps_or_blank for t in tasks],
            lists,
        ),
        _write(
            out,
            "obstacles",
            lang,
            [(r, w.text(lang), None, None, o) for r in reps_or_blank for o, w in obstacle_list],
            lists,
        ),
    ]
    if role_matrix is None:
        rows = [
            (
                t.code,
                t.words.text(lang),
                _AREA_WORDS[t.area].text(lang),
                label("role", t.owner, lang),
            )
            for t in tasks
        ]
        paths.append(_write(out, "role_matrix", lang, rows, lists))
    return paths


def _first_day(start: str | dt.date | None) -> dt.date:
    if start is None:
        today = dt.date.today()
        return today + dt.timedelta(days=7 - today.weekday())
    try:
        return pd.Timestamp(start).date()
    except (ValueError, TypeError) as exc:
        raise InputError(
            f"The 'start' parameter of write_forms must be a date such as '2026-03-02'; "
            f"got {start!r}."
        ) from exc


def _obstacle_list(obstacles: Sequence[str] | None) -> list[tuple[str, Words]]:
    if obstacles is None:
        return list(METHOD_OBSTACLES)
    if isinstance(obstacles, str) or not isinstance(obstacles, Sequence):
        raise InputError(
            "The 'obstacles' parameter of write_forms must be a list of obstacle codes; "
            f"got {obstacles!r}."
        )
    codes = [str(o).strip() for o in obstacles]
    if not codes or any(not c for c in codes) or len(set(codes)) != len(codes):
        raise InputError(
            "The 'obstacles' parameter of write_forms must list distinct, non-empty obstacle "
            f"codes; got {list(obstacles)!r}."
        )
    known = dict(METHOD_OBSTACLES)
    return [(c, known.get(c, Words(c.replace("_", " "), c.replace("_", " ")))) for c in codes]


def _typed(source: Source, table: str, mapping: Mapping) -> Any:
    raw = _raw_from_frame(source, table) if isinstance(source, pd.DataFrame) else read_raw(source)
    return type_table(raw, TABLES[table], mapping)


def _rep_ids(source: Source | None, mapping: Mapping) -> list[str]:
    """The distinct rep ids of a reps table, in file order.

    Rows set aside for other reasons, such as a bad coordinate, still name a real rep.
    """
    if source is None:
        return []
    text = _typed(source, "reps", mapping).text["rep_id"]
    return [str(x) for x in pd.unique(text.dropna())]


def _customers(source: Source | None, mapping: Mapping) -> pd.DataFrame:
    """``customer_id``, ``name``, ``route_id`` as text, one row per customer in file order.

    Rows set aside for other reasons, such as a bad coordinate, still name a real customer
    (as for the loader, which knows their ids).
    """
    columns = ["customer_id", "name", "route_id"]
    if source is None:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
    text = _typed(source, "customers", mapping).text
    table = text.reindex(columns=columns).astype("str")
    table = table[table["customer_id"].notna()]
    return table.drop_duplicates("customer_id").reset_index(drop=True)


def _tasks(source: Source | None, mapping: Mapping) -> list[MethodTask]:
    if source is None:
        return list(METHOD_TASKS)
    typed = _typed(source, "role_matrix", mapping)
    if len(typed.issues):
        first = typed.issues.iloc[0]
        raise InputError(
            f"{first['file']}: {typed.issues['row'].nunique()} row(s) of the role matrix cannot "
            f"be read (row {first['row']}, {first['column']}: {first['message']}); fix them "
            "before writing the questionnaire.",
            file=str(first["file"]),
            column=str(first["column"]),
        )
    known = {t.code: t for t in METHOD_TASKS}
    tasks = []
    for r in typed.table.itertuples():
        task = str(r.task)
        own = MethodTask(task, str(r.area), str(r.owner), Words(task, task))
        tasks.append(known.get(task, own))
    return tasks


def _check_free(out: Path, tables: list[str], overwrite: bool) -> None:
    """Refuse to write over a form, and leave no second file for the same table."""
    if not out.is_dir():
        return
    for table in tables:
        for p in sorted(out.iterdir()):
            if not (p.is_file() and p.stem.lower() == table and p.suffix.lower() in SUFFIXES):
                continue
            if p.suffix.lower() != ".xlsx":
                raise InputError(
                    f"{out} already holds {p.name}: a second {table} file would make the folder "
                    "ambiguous to load. Move it away or write the forms to another folder.",
                    file=p.name,
                )
            if not overwrite:
                raise InputError(
                    f"{out} already holds {p.name} (a form, perhaps filled in): pass "
                    "overwrite=True (tts forms --force) to replace it, or write to another folder.",
                    file=p.name,
                )


@dataclass(frozen=True)
class _Lists:
    """The drop-down lists of the hidden sheet, by name: (header, values)."""

    lang: str
    reps: list[str]
    customers: pd.DataFrame

    def columns(self, names: tuple[str, ...]) -> dict[str, list[str]]:
        """The lists called ``names`` that have values."""
        lang = self.lang
        every = {
            "activity_list": [label("act", a, lang) for a in FORM_ACTIVITIES],
            "role_list": [label("role", r, lang) for r in ROLE_CODES],
            "area_list": [_AREA_WORDS[a].text(lang) for a in AREA_CODES],
            "rep_list": self.reps,
        }
        return {n: every[n] for n in names if every[n]}


#: The drop-down lists each workbook uses.
_LISTS_USED: dict[str, tuple[str, ...]] = {
    "activities": ("rep_list", "activity_list"),
    "role_survey": ("rep_list", "role_list"),
    "obstacles": ("rep_list",),
    "role_matrix": ("area_list", "role_list"),
}


def _write(
    out: Path,
    table: str,
    lang: str,
    rows: list[tuple[Any, ...]],
    lists: _Lists,
    *,
    dates: tuple[dt.date, dt.date] | None = None,
) -> Path:
    import xlsxwriter

    path = out / f"{table}.xlsx"
    book = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    try:
        fmt = {
            "head": book.add_format(
                {"bold": True, "bg_color": "#DDE4EE", "bottom": 1, "text_wrap": True}
            ),
            "text": book.add_format({"num_format": "@"}),
            "code": book.add_format({"num_format": "@", "font_color": "#595959"}),
            "date": book.add_format({"num_format": "yyyy-mm-dd"}),
            "time": book.add_format({"num_format": "hh:mm"}),
            "int": book.add_format({"num_format": "0"}),
            "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
            "title": book.add_format({"bold": True, "font_size": 14}),
            "bold": book.add_format({"bold": True}),
        }
        data = book.add_worksheet(_SHEETS[table].text(lang))
        cols = _COLUMNS[table]
        for j, col in enumerate(cols):
            data.set_column(j, j, col.width, fmt[col.kind])
            data.write_string(0, j, col.header.text(lang), fmt["head"])
        data.set_row(0, 30)
        data.freeze_panes(1, 0)
        for i, row in enumerate(rows, start=1):
            for j, (col, value) in enumerate(zip(cols, row, strict=True)):
                if value is None:
                    continue
                if col.kind == "date":
                    data.write_datetime(i, j, dt.datetime.combine(value, dt.time()), fmt["date"])
                elif col.kind == "int":
                    data.write_number(i, j, value, fmt["int"])
                else:
                    data.write_string(i, j, str(value), fmt[col.kind])
        _write_instructions(book, table, lang, fmt)
        names = set()
        if table == "activities" and len(lists.customers):
            names.add(_write_customers(book, lists.customers, lang, fmt))
        names |= _write_lists(book, lists.columns(_LISTS_USED[table]))
        for j, col in enumerate(cols):
            rule = _rule(col, lang, names, dates)
            if rule is not None:
                data.data_validation(1, j, _LAST_ROW, j, rule)
        data.activate()
    finally:
        book.close()
    return path


def _write_customers(book: Any, customers: pd.DataFrame, lang: str, fmt: dict[str, Any]) -> str:
    """A visible sheet of the customers, whose codes make the customer drop-down.

    Returns the drop-down's defined name.
    """
    title = _SHEETS["customers"].text(lang)
    sheet = book.add_worksheet(title)
    heads = (Words("Customer", "客户编号"), Words("Name", "客户名称"), Words("Route", "线路"))
    for j, (head, width) in enumerate(zip(heads, (14, 36, 10), strict=True)):
        sheet.set_column(j, j, width, fmt["text"])
        sheet.write_string(0, j, head.text(lang), fmt["head"])
    for i, row in enumerate(customers.itertuples(index=False), start=1):
        for j, value in enumerate(row):
            if pd.notna(value):
                sheet.write_string(i, j, str(value))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(customers), len(heads) - 1)
    book.define_name("customer_list", f"='{title}'!$A$2:$A${len(customers) + 1}")
    return "customer_list"


def _write_lists(book: Any, lists: dict[str, list[str]]) -> set[str]:
    """The hidden last sheet of drop-down lists, each a defined name; returns the names."""
    sheet = book.add_worksheet(_LISTS_SHEET)
    for j, (name, values) in enumerate(lists.items()):
        sheet.write_string(0, j, name)
        for i, v in enumerate(values, start=1):
            sheet.write_string(i, j, v)
        col = _column_letter(j)
        book.define_name(name, f"={_LISTS_SHEET}!${col}$2:${col}${len(values) + 1}")
    sheet.hide()
    return set(lists)


def _column_letter(j: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return str(xl_col_to_name(j))


def _prompt(key: str, lang: str, **fields: object) -> dict[str, object]:
    title, message = _PROMPTS[key]
    return {
        "input_title": title.text(lang)[:32],
        "input_message": message.format(lang, **fields)[:255],
        "error_title": title.text(lang)[:32],
        "error_message": message.format(lang, **fields)[:255],
    }


def _list_rule(name: str, key: str, lang: str, names: set[str]) -> dict[str, object] | None:
    if name not in names:
        return None
    return {"validate": "list", "source": f"={name}", **_prompt(key, lang)}


def _rule(
    col: _Col,
    lang: str,
    names: set[str],
    dates: tuple[dt.date, dt.date] | None,
) -> dict[str, object] | None:
    """The drop-down or check of a data column, None when it has none."""
    if col.name == "rep_id":
        return _list_rule("rep_list", "rep", lang, names)
    if col.name == "customer_id":
        return _list_rule("customer_list", "customer", lang, names)
    if col.name == "activity":
        return _list_rule("activity_list", "activity", lang, names)
    if col.name == "performed_by":
        return _list_rule("role_list", "role", lang, names)
    if col.name == "owner":
        return _list_rule("role_list", "owner", lang, names)
    if col.name == "area":
        return _list_rule("area_list", "area", lang, names)
    if col.kind == "time":
        return {
            "validate": "time",
            "criteria": "between",
            "minimum": dt.time(0, 0),
            "maximum": dt.time(23, 59, 59),
            **_prompt("time", lang),
        }
    if col.kind == "date" and dates is not None:
        first, last = dates
        return {
            "validate": "date",
            "criteria": "between",
            "minimum": first,
            "maximum": last,
            **_prompt("date", lang, first=first.isoformat(), last=last.isoformat()),
        }
    if col.name == "score":
        return {
            "validate": "integer",
            "criteria": "between",
            "minimum": 1,
            "maximum": 5,
            **_prompt("score", lang),
        }
    return None


def _legend(table: str, lang: str) -> list[tuple[str, str]]:
    if table == "activities":
        yes, no = _YES_NO
        return [
            (label("act", a, lang), (yes if a in CUSTOMER_ACTIVITIES else no).text(lang))
            for a in FORM_ACTIVITIES
        ]
    if table == "role_survey":
        return [(label("role", r, lang), "") for r in ROLE_CODES]
    if table == "obstacles":
        return [(str(i), w.text(lang)) for i, w in enumerate(_SCORES, start=1)]
    return [(_AREA_WORDS[a].text(lang), "") for a in AREA_CODES]


def _lines(text: str, width: int) -> int:
    """Lines a wrapped cell of ``width`` characters needs (a Chinese character takes two)."""
    wide = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return max(1, -(-wide // width))


def _write_instructions(book: Any, table: str, lang: str, fmt: dict[str, Any]) -> None:
    sheet = book.add_worksheet(_SHEETS["instructions"].text(lang))
    title, lines = _INSTRUCTIONS[table]
    sheet.set_column(0, 0, 24, fmt["wrap"])
    sheet.set_column(1, 1, 90, fmt["wrap"])
    sheet.write_string(0, 0, title.text(lang), fmt["title"])
    row = 2
    for i, line in enumerate(lines, start=1):
        text = line.text(lang)
        sheet.write_string(row, 0, f"{i}.", fmt["wrap"])
        sheet.write_string(row, 1, text, fmt["wrap"])
        sheet.set_row(row, 15 * _lines(text, 86) + 3)
        row += 1
    row += 1
    head_a, head_b = _LEGEND[table]
    sheet.write_string(row, 0, head_a.text(lang), fmt["bold"])
    if head_b.text(lang):
        sheet.write_string(row, 1, head_b.text(lang), fmt["bold"])
    for a, b in _legend(table, lang):
        row += 1
        sheet.write_string(row, 0, a, fmt["wrap"])
        if b:
            sheet.write_string(row, 1, b, fmt["wrap"])
