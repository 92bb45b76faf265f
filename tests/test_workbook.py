"""The PDCA workbook a manager opens: headers in the report's language, bold and frozen,
numbers shown rounded, dates as dates, readable by pandas after a plain install."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest

import tts

from .conftest import SAMPLE

# pandas 3 announces that its default Excel reader will become calamine; either reads this
pytestmark = pytest.mark.filterwarnings("ignore:The default engine for reading")


@pytest.fixture(scope="module")
def dx():
    return tts.diagnose(tts.load_dataset(SAMPLE))


@pytest.fixture(scope="module")
def workbook_zh(dx, tmp_path_factory):
    plan = tts.action_plan(dx, lang="zh")
    path = tmp_path_factory.mktemp("wb") / "plan.xlsx"
    return tts.write_action_plan(plan, path, lang="zh", extra_sheets={"findings": dx.findings})


def test_read_excel_works_with_the_default_engine(workbook_zh):
    sheets = pd.read_excel(workbook_zh, sheet_name=None)  # openpyxl, installed with tts
    assert list(sheets) == ["PDCA", "findings"]


def test_the_chinese_header_is_chinese_and_bold(workbook_zh, dx):
    back = pd.read_excel(workbook_zh, sheet_name="PDCA")
    assert list(back.columns[:4]) == ["发现编号", "领域", "问题", "基线"]
    with zipfile.ZipFile(workbook_zh) as z:
        styles = z.read("xl/styles.xml").decode()
    assert "<b/>" in styles  # a bold font is defined, and used by the header cells


def test_dates_are_excel_dates_and_numbers_keep_their_full_value(workbook_zh, dx):
    back = pd.read_excel(workbook_zh, sheet_name="PDCA")
    assert pd.api.types.is_datetime64_any_dtype(back["期限"])
    findings = pd.read_excel(workbook_zh, sheet_name="findings")
    # the cell holds the full value; the number format only rounds what is shown
    assert findings["实际"].tolist() == pytest.approx(dx.findings["observed"].tolist())
    with zipfile.ZipFile(workbook_zh) as z:
        styles = z.read("xl/styles.xml").decode()
    assert 'formatCode="0.00"' in styles
