"""The PDCA action plan and its export for the team."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest

import tts
from tts.action_plan import PLAN_COLUMNS

from .conftest import SAMPLE


@pytest.fixture(scope="module")
def dx():
    return tts.diagnose(tts.load_dataset(SAMPLE))


def test_one_action_per_finding_with_owner_and_deadline(dx):
    plan = tts.action_plan(dx)
    assert list(plan.columns) == PLAN_COLUMNS
    assert list(plan["finding_id"]) == list(dx.findings["finding_id"])
    assert list(plan["action"]) == list(dx.findings["countermeasure"])
    assert (plan["status"] == "open").all()
    # deadlines count from the day after the survey: 30 / 60 / 90 days by severity
    start = dx.time.per_day["date"].max() + pd.Timedelta(days=1)
    days = (pd.to_datetime(plan["deadline"]) - start).dt.days
    expected = dx.findings["severity"].map({"high": 30, "medium": 60, "low": 90})
    assert list(days) == list(expected)
    meeting = plan.set_index("finding_id").loc[
        dx.findings.set_index("metric").at["meeting_min", "finding_id"]
    ]
    assert meeting["owner_role"] == "supervisor"
    assert meeting["target_value"] == "≤ 15.0 min"
    assert (plan["owner_role"] != "").all()


def test_flagged_visits_are_counted_in_whole_visits(dx):
    # the sample's audit flags one visit the GPS contradicts (REP05, 2026-03-03): a count,
    # 1 visit against none, not a mean of 1.0
    flagged = dx.findings.set_index("metric").loc["checkin_not_at_store"]
    row = tts.action_plan(dx).set_index("finding_id").loc[flagged["finding_id"]]
    assert (row["baseline"], row["target_value"]) == ("1 visit", "0 visits")
    zh = tts.action_plan(dx, lang="zh").set_index("finding_id").loc[flagged["finding_id"]]
    assert (zh["baseline"], zh["target_value"]) == ("1 次", "0 次")


def test_a_given_start_moves_the_deadlines(dx):
    plan = tts.action_plan(dx, start="2026-06-01")
    assert plan["deadline"].min() == "2026-07-01"


def test_chinese_plan(dx):
    plan = tts.action_plan(dx, lang="zh")
    assert (plan["status"] == "未开始").all()
    assert "早会时长" in set(plan["problem"])
    assert "销售经理" in set(plan["owner_role"])


def _hostile_plan(dx) -> pd.DataFrame:
    plan = tts.action_plan(dx)
    plan.loc[0, "problem"] = "=cmd|' /C calc'!A0"
    plan.loc[1, "action"] = "+1+1"
    plan.loc[2, "owner_role"] = "@SUM(A1:A2)"
    plan.loc[3, "problem"] = "http://example.invalid/x"
    return plan


def test_excel_export_keeps_text_as_text(dx, tmp_path):
    plan = _hostile_plan(dx)
    path = tts.write_action_plan(
        plan, tmp_path / "plan.xlsx", extra_sheets={"findings": dx.findings}
    )
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        strings = z.read("xl/sharedStrings.xml").decode()
        names = z.namelist()
    assert "<f>" not in sheet  # no formula cell anywhere
    assert "=cmd|' /C calc'!A0" in strings.replace("&apos;", "'")
    assert "@SUM(A1:A2)" in strings
    assert not any("hyperlink" in n or "externalLink" in n for n in names)
    back = pd.read_excel(path, sheet_name=None, engine="calamine")
    assert list(back) == ["PDCA", "findings"]
    assert back["PDCA"].loc[0, "Problem"] == "=cmd|' /C calc'!A0"
    assert back["PDCA"].loc[1, "Action"] == "+1+1"
    assert len(back["findings"]) == len(dx.findings)


def test_csv_export_defuses_formulas(dx, tmp_path):
    plan = _hostile_plan(dx)
    path = tts.write_action_plan(plan, tmp_path / "plan.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens Chinese UTF-8 right with the BOM
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    assert back.loc[0, "problem"] == "'=cmd|' /C calc'!A0"
    assert back.loc[1, "action"] == "'+1+1"
    assert back.loc[2, "owner_role"] == "'@SUM(A1:A2)"
    assert back.loc[4, "problem"] == plan.loc[4, "problem"]  # ordinary text untouched


def test_export_refuses_other_formats(dx, tmp_path):
    with pytest.raises(ValueError, match=r"\.xlsx or \.csv"):
        tts.write_action_plan(tts.action_plan(dx), tmp_path / "plan.json")
    with pytest.raises(ValueError, match="one table"):
        tts.write_action_plan(
            tts.action_plan(dx), tmp_path / "p.csv", extra_sheets={"x": dx.findings}
        )
