"""The survey forms: written in both languages, filled as a spreadsheet would, loaded back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

import tts
from tts.cli import main
from tts.forms import FORM_ACTIVITIES, METHOD_OBSTACLES, METHOD_TASKS, write_forms
from tts.i18n import label
from tts.io.headers import Mapping, map_labels
from tts.schema import AREA_CODES, ROLE_CODES

LANGS = ("en", "zh")
FIRST_DAY = "2026-03-02"  # a Monday, the sample's first survey day
SHEETS = {
    "en": ("Instructions", "lists"),
    "zh": ("填写说明", "lists"),
}


SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.fixture(scope="module")
def sample() -> dict[str, pd.DataFrame]:
    """The sample region's activities and reps, as text."""
    read = {"dtype": "str", "keep_default_na": False, "na_values": [""]}
    return {t: pd.read_csv(SAMPLE / f"{t}.csv", **read) for t in ("activities", "reps")}


REPS = pd.DataFrame({"rep_id": ["REP01", "REP02"], "name": ["Wang Lei", "Li Na"]})
CUSTOMERS = pd.DataFrame(
    {
        "客户编号": ["C1", "C2", "C3"],
        "客户名称": ["一号店", "二号店", "三号店"],
        "纬度": ["34.75", "34.76", "34.77"],
        "经度": ["113.66", "113.67", "113.68"],
        "渠道": ["便利店", "KA", "经销商"],
        "线路": ["R1", "R1", "R1"],
    }
)


def _cells(path: Path, sheet: int = 0) -> list[list[object]]:
    book = openpyxl.load_workbook(path)
    return [list(r) for r in book.worksheets[sheet].iter_rows(values_only=True)]


# -- the forms as written -------------------------------------------------------------------


def _list(book, name: str) -> list[object]:
    """The values of a drop-down list of the hidden sheet, by its name."""
    sheet = book["lists"]
    for column in sheet.iter_cols(values_only=True):
        if column[0] == name:
            return [v for v in column[1:] if v is not None]
    raise KeyError(name)


@pytest.mark.parametrize("lang", LANGS)
def test_every_drop_down_label_loads_back_as_its_code(tmp_path, lang):
    paths = write_forms(tmp_path, lang=lang, days=1, start=FIRST_DAY)
    acts = _list(openpyxl.load_workbook(paths[0]), "activity_list")
    assert acts == [label("act", a, lang) for a in FORM_ACTIVITIES]
    assert map_labels(pd.Series(acts), "activity", Mapping()).tolist() == list(FORM_ACTIVITIES)
    roles = _list(openpyxl.load_workbook(paths[1]), "role_list")
    assert map_labels(pd.Series(roles), "performed_by", Mapping()).tolist() == list(ROLE_CODES)
    areas = _list(openpyxl.load_workbook(paths[3]), "area_list")
    assert map_labels(pd.Series(areas), "area", Mapping()).tolist() == list(AREA_CODES)


@pytest.mark.parametrize("lang", LANGS)
def test_layout_data_sheet_first_then_instructions_then_hidden_lists(tmp_path, lang):
    paths = write_forms(
        tmp_path,
        lang=lang,
        reps=REPS,
        customers=CUSTOMERS,
        days=3,
        start=FIRST_DAY,
    )
    assert [p.name for p in paths] == [
        "activities.xlsx",
        "role_survey.xlsx",
        "obstacles.xlsx",
        "role_matrix.xlsx",
    ]
    for path in paths:
        book = openpyxl.load_workbook(path)
        customers = ("Customers", "客户名单")[lang == "zh"]
        extra = (customers,) if path.name == "activities.xlsx" else ()
        instructions, lists = SHEETS[lang]
        assert tuple(book.sheetnames[1:]) == (instructions, *extra, lists)
        assert book.worksheets[0].sheet_state == "visible"
        assert book["lists"].sheet_state == "hidden"
        assert book.worksheets[0].freeze_panes == "A2"
        assert all(c.font.b for c in book.worksheets[0][1])  # bold header
        text = " ".join(str(v) for row in _cells(path, 1) for v in row if v is not None)
        has_chinese = any("\u4e00" <= ch <= "\u9fff" for ch in text)
        assert has_chinese == (lang == "zh")

    acts = _cells(paths[0])
    # one row per rep and working day (Monday to Wednesday), rep then date
    assert [(r[0], r[1].date().isoformat()) for r in acts[1:]] == [
        (rep, day)
        for rep in ("REP01", "REP02")
        for day in ("2026-03-02", "2026-03-03", "2026-03-04")
    ]
    assert all(v is None for r in acts[1:] for v in r[2:])
    roles = _cells(paths[1])
    assert len(roles) - 1 == 2 * len(METHOD_TASKS)
    assert roles[0] == (
        ["Rep", "Description", "Performed by", "Task"]
        if lang == "en"
        else ["业务员", "工作说明", "实际执行人", "工作项目"]
    )
    assert [r[3] for r in roles[1 : len(METHOD_TASKS) + 1]] == [t.code for t in METHOD_TASKS]
    assert [r[1] for r in roles[1 : len(METHOD_TASKS) + 1]] == [
        t.words.text(lang) for t in METHOD_TASKS
    ]
    obstacles = _cells(paths[2])
    assert len(obstacles) - 1 == 2 * len(METHOD_OBSTACLES)


def test_checks_and_drop_downs(tmp_path):
    paths = write_forms(
        tmp_path,
        lang="zh",
        reps=REPS,
        customers=CUSTOMERS,
        days=2,
        start=FIRST_DAY,
    )
    book = openpyxl.load_workbook(paths[0])
    rules = {
        str(dv.sqref).split(":")[0]: dv for dv in book.worksheets[0].data_validations.dataValidation
    }
    assert rules["A2"].type == "list" and rules["A2"].formula1 == "rep_list"
    assert rules["B2"].type == "date"
    assert rules["C2"].type == "time" and rules["D2"].type == "time"
    assert rules["E2"].type == "list" and rules["E2"].formula1 == "activity_list"
    assert rules["F2"].type == "list" and rules["F2"].formula1 == "customer_list"
    assert str(rules["C2"].sqref).endswith("1048576")  # rows the reps add are checked too
    assert book.defined_names["customer_list"].attr_text == "'客户名单'!$A$2:$A$4"
    assert [r[:2] for r in _cells(paths[0], 2)] == [
        ["客户编号", "客户名称"],
        ["C1", "一号店"],
        ["C2", "二号店"],
        ["C3", "三号店"],
    ]
    assert _list(book, "rep_list") == ["REP01", "REP02"]
    assert book.worksheets[0]["C1"].value == "开始时间（时:分）"

    score = openpyxl.load_workbook(paths[2]).worksheets[0].data_validations.dataValidation
    (rule,) = [dv for dv in score if dv.type == "whole"]
    assert (rule.formula1, rule.formula2) == ("1", "5")


def test_without_reps_one_unnamed_block(tmp_path):
    paths = write_forms(tmp_path, days=2, start=FIRST_DAY)
    acts = _cells(paths[0])
    assert [r[0] for r in acts[1:]] == [None, None]
    assert len(_cells(paths[1])) - 1 == len(METHOD_TASKS)


def test_company_role_matrix_makes_the_questionnaire(tmp_path):
    matrix = pd.DataFrame(
        {
            "工作项目": ["冰柜投放", "order_taking"],
            "工作领域": ["客户开发", "店内"],
            "应负责": ["区域开发代表", "业务员"],
        }
    )
    before = matrix.copy()
    paths = write_forms(tmp_path / "f", reps=REPS, role_matrix=matrix, days=1, start=FIRST_DAY)
    pd.testing.assert_frame_equal(matrix, before)  # the input is not changed
    assert [p.name for p in paths] == ["activities.xlsx", "role_survey.xlsx", "obstacles.xlsx"]
    roles = _cells(paths[1])
    assert [[r[3], r[1]] for r in roles[1:3]] == [
        ["冰柜投放", "冰柜投放"],
        ["order_taking", "order taking"],
    ]


def test_text_is_written_as_text(tmp_path):
    reps = pd.DataFrame({"rep_id": ["=1+2", "007"]})
    path = write_forms(tmp_path, reps=reps, days=1, start=FIRST_DAY)[0]
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert [(sheet[f"A{i}"].value, sheet[f"A{i}"].data_type) for i in (2, 3)] == [
        ("=1+2", "s"),
        ("007", "s"),
    ]


def test_working_week_and_default_start(tmp_path):
    five_days = tts.Method(weekdays=("Mon", "Tue", "Wed", "Thu", "Fri"))
    path = write_forms(tmp_path / "a", days=6, start="2026-03-06", method=five_days)[0]
    days = [r[1].date() for r in _cells(path)[1:]]
    assert [d.isoformat() for d in days] == [
        "2026-03-06",
        "2026-03-09",
        "2026-03-10",
        "2026-03-11",
        "2026-03-12",
        "2026-03-13",
    ]
    first = _cells(write_forms(tmp_path / "b", days=1)[0])[1][1].date()
    assert first.weekday() == 0 and first > dt.date.today()


# -- filled in and loaded back ---------------------------------------------------------------


def _fill_activities(path: Path, sample, lang: str) -> pd.DataFrame:
    """Fill the survey as a rep would: the pre-filled row of each day takes the day's first
    activity, the others are added at the end of the sheet. Returns what was entered."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    acts = sample["activities"]
    entered = []
    prefilled = list(sheet.iter_rows(min_row=2, max_row=sheet.max_row))
    extra_row = sheet.max_row + 1
    for row in prefilled:
        rep, day = row[0].value, row[1].value.date().isoformat()
        day_acts = acts[(acts["rep_id"] == rep) & (acts["date"] == day)]
        for k, a in enumerate(day_acts.itertuples()):
            r = row[0].row if k == 0 else extra_row
            if k:
                extra_row += 1
                sheet.cell(r, 1, rep)
                sheet.cell(r, 2, dt.datetime.fromisoformat(day))
            sheet.cell(r, 3, dt.time.fromisoformat(a.start))
            sheet.cell(r, 4, dt.time.fromisoformat(a.end))
            sheet.cell(r, 5, label("act", a.activity, lang))
            if pd.notna(a.customer_id):
                sheet.cell(r, 6, a.customer_id)
            entered.append(a)
    book.save(path)
    return pd.DataFrame(entered)


def _answer(rep: str, task) -> str:
    """REP01 does everything himself; REP02 works to the matrix."""
    return "rep" if rep == "REP01" else task.owner


COMMENT = {"en": "Customers chase me for refunds", "zh": "客户每次拜访都追问返利"}


def _fill_questionnaire(role_path: Path, obstacles_path: Path, lang: str) -> None:
    book = openpyxl.load_workbook(role_path)
    owners = {t.code: t for t in METHOD_TASKS}
    for row in book.worksheets[0].iter_rows(min_row=2):
        rep, task = row[0].value, owners[row[3].value]
        row[2].value = label("role", _answer(rep, task), lang)
    book.save(role_path)
    book = openpyxl.load_workbook(obstacles_path)
    for i, row in enumerate(book.worksheets[0].iter_rows(min_row=2)):
        row[2].value = 5 if row[0].value == "REP01" else 1 + i % 4
        if i == 0:
            row[3].value = COMMENT[lang]
    book.save(obstacles_path)


@pytest.mark.parametrize("lang", LANGS)
def test_filled_forms_load_and_diagnose(tmp_path, sample, lang):
    reps = sample["reps"].head(2)
    customers = SAMPLE / "customers.csv"
    paths = write_forms(
        tmp_path, lang=lang, reps=reps, customers=customers, days=2, start=FIRST_DAY
    )
    entered = _fill_activities(paths[0], sample, lang)
    _fill_questionnaire(paths[1], paths[2], lang)

    ds = tts.load_dataset(tmp_path, customers=customers, reps=reps)
    assert ds.quarantine.empty, ds.quarantine.head().to_string()
    counts = ds.row_counts.set_index("table")
    assert counts.loc["activities", "read"] == len(entered)

    got = ds.activities.sort_values(["rep_id", "start"]).reset_index(drop=True)
    want = entered.sort_values(["rep_id", "date", "start"]).reset_index(drop=True)
    assert got["activity"].astype(str).tolist() == want["activity"].tolist()
    assert (
        got["start"].dt.strftime("%Y-%m-%d %H:%M").tolist()
        == (want["date"] + " " + want["start"]).tolist()
    )
    customer = got["customer_id"].astype("str").fillna("")  # a categorical takes no new value
    assert customer.tolist() == want["customer_id"].fillna("").tolist()

    answers = ds.role_survey.set_index(["rep_id", "task"])["performed_by"].astype(str)
    assert answers[("REP01", "promotion_settlement")] == "rep"
    assert answers[("REP02", "promotion_settlement")] == "finance"
    matrix = ds.role_matrix.set_index("task")
    assert matrix["owner"].astype(str).to_dict() == {t.code: t.owner for t in METHOD_TASKS}
    assert matrix["area"].astype(str).to_dict() == {t.code: t.area for t in METHOD_TASKS}
    scores = ds.obstacles.set_index(["rep_id", "obstacle"])["score"]
    assert scores.xs("REP01").eq(5).all() and scores.xs("REP02").between(1, 4).all()
    comments = ds.obstacles["comment"].dropna().tolist()
    assert comments == [COMMENT[lang]]

    dx = tts.diagnose(ds)
    assert set(dx.time_allocation["rep_id"]) == {"REP01", "REP02"}
    assert len(dx.time_allocation) == 4
    by_rep = (
        dx.survey.by_rep.set_index("rep_id") if "rep_id" in dx.survey.by_rep else (dx.survey.by_rep)
    )
    # REP01 does the 8 tasks of the other roles; REP02 none
    assert by_rep.loc["REP01", "out_of_role"] == 8
    assert by_rep.loc["REP02", "out_of_role"] == 0
    assert dx.findings["metric"].str.startswith("out_of_role").any()


def test_a_day_left_empty_is_set_aside_not_guessed(tmp_path):
    paths = write_forms(tmp_path, reps=REPS.head(1), customers=CUSTOMERS, days=2, start=FIRST_DAY)
    book = openpyxl.load_workbook(paths[0])
    sheet = book.worksheets[0]
    for col, value in zip("CDEF", (dt.time(8, 0), dt.time(8, 9), "visit", "C1"), strict=True):
        sheet[f"{col}2"] = value
    book.save(paths[0])
    ds = tts.load_dataset(activities=paths[0], customers=CUSTOMERS)
    assert ds.activities[["activity", "customer_id"]].astype(str).values.tolist() == [
        ["visit", "C1"]
    ]
    q = ds.quarantine
    assert set(q["row"]) == {3} and set(q["reason"]) == {"missing_value"}
    assert set(q["column"]) == {"start", "end", "activity"}


# -- errors and the command line -------------------------------------------------------------


def test_never_writes_over_a_form(tmp_path):
    write_forms(tmp_path, days=1, start=FIRST_DAY)
    with pytest.raises(tts.InputError, match="activities.xlsx.*overwrite=True"):
        write_forms(tmp_path, days=1, start=FIRST_DAY)
    assert len(write_forms(tmp_path, days=1, start=FIRST_DAY, overwrite=True)) == 4
    (tmp_path / "obstacles.csv").write_text("rep_id,obstacle,score\n")
    with pytest.raises(tts.InputError, match="obstacles.csv"):
        write_forms(tmp_path, days=1, start=FIRST_DAY, overwrite=True)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lang": "fr"}, "'lang' parameter of write_forms"),
        ({"days": 0}, "'days' parameter of write_forms"),
        ({"days": 2.5}, "'days' parameter of write_forms"),
        ({"days": True}, "'days' parameter of write_forms"),
        ({"start": "someday"}, "'start' parameter of write_forms"),
        ({"reps": 3}, "'reps' parameter of write_forms"),
        ({"obstacles": "stock_outs"}, "'obstacles' parameter of write_forms"),
        ({"obstacles": ["a", "a"]}, "'obstacles' parameter of write_forms"),
        (
            {"role_matrix": pd.DataFrame({"task": ["t"], "area": ["x"], "owner": ["rep"]})},
            "role matrix",
        ),
        ({"customers": pd.DataFrame({"name": ["x"]})}, "customer_id"),
    ],
)
def test_bad_options_raise_input_error(tmp_path, kwargs, match):
    with pytest.raises(tts.InputError, match=match):
        write_forms(tmp_path, **kwargs)


def test_out_dir_is_a_file(tmp_path):
    (tmp_path / "x").write_text("")
    with pytest.raises(tts.InputError, match="is a file"):
        write_forms(tmp_path / "x")


def test_cli_writes_the_forms(tmp_path):
    data = SAMPLE
    args = ["forms", str(tmp_path), "--lang", "zh", "--days", "2", "--start", FIRST_DAY]
    args += ["--reps", str(data / "reps.csv"), "--customers", str(data / "customers.csv")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.count("wrote") == 4
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 1 and "--force" in again.output
    assert CliRunner().invoke(main, [*args, "--force"]).exit_code == 0
