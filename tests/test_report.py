"""The PDF report, read back as a reader's PDF tool reads it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

import tts
from tts.i18n import fmt
from tts.report.sections import top_losses

from .conftest import SAMPLE

EN_SECTIONS = [
    "1 Executive summary",
    "2 Work efficiency",
    "3 Route performance",
    "4 Questionnaire: roles and obstacles",
    "5 Data audit",
    "6 Check: the second wave against the first",
    "7 PDCA action plan",
    "Appendix: method and standards",
]
ZH_SECTIONS = ["管理摘要", "工作效率", "线路绩效", "问卷：职责与障碍", "数据审计", "PDCA 行动计划"]


def pages(path: Path) -> list[str]:
    """Each page's text as PDFium (Chrome's PDF engine) extracts it."""
    pdf = pdfium.PdfDocument(path)
    try:
        return [page.get_textpage().get_text_range() for page in pdf]
    finally:
        pdf.close()


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def section_text(path: Path, heading: str, next_heading: str | None) -> str:
    """Text from the page where ``heading`` starts to the page before ``next_heading``."""
    texts = pages(path)[1:]  # skip the cover and its contents
    start = next(i for i, t in enumerate(texts) if heading in t)
    end = (
        next(i for i, t in enumerate(texts) if next_heading in t and i > start)
        if next_heading
        else len(texts)
    )
    return flat(" ".join(texts[start : max(end, start + 1)]))


@pytest.fixture(scope="module")
def sample():
    ds = tts.load_dataset(SAMPLE)
    # two reps' days keep the optimiser quick; the report draws the rest from the diagnosis
    keep = ds.activities["rep_id"].isin(["REP01", "REP05"])
    small = tts.load_dataset(
        activities=ds.activities[keep].drop(columns="row"),
        customers=ds.customers.drop(columns="row"),
    )
    plan = tts.optimize_routes(small, workers=1)
    dx = tts.diagnose(ds, plan=plan)
    return ds, dx, plan


@pytest.fixture(scope="module")
def report_en(sample, tmp_path_factory):
    _, dx, plan = sample
    return tts.write_report(dx, tmp_path_factory.mktemp("en") / "report.pdf", plan=plan)


@pytest.fixture(scope="module")
def report_zh(sample, tmp_path_factory):
    _, dx, plan = sample
    path = tmp_path_factory.mktemp("zh") / "report.pdf"
    # matplotlib warns on any glyph its fonts lack, and warnings fail the suite: a Chinese
    # chart that renders boxes fails here
    return tts.write_report(dx, path, plan=plan, lang="zh")


def test_the_report_has_every_section_in_order(report_en):
    text = flat(" ".join(pages(report_en)[1:]))
    positions = [text.find(h) for h in EN_SECTIONS]
    assert all(p >= 0 for p in positions), dict(zip(EN_SECTIONS, positions, strict=True))
    assert positions == sorted(positions)
    cover = flat(pages(report_en)[0])
    assert "Time to Sell diagnostic" in cover
    assert "2026-03-02 to 2026-03-14" in cover
    for heading in EN_SECTIONS:  # the contents list every section with its page
        assert heading in cover


def test_executive_summary_numbers_equal_the_diagnosis(sample, report_en):
    ds, dx, plan = sample
    text = section_text(report_en, "1 Executive summary", "2 Work efficiency")
    team = dx.comparison.table.query("level == 'team'").set_index("metric")
    assert f"Customer time is {team.at['customer_share', 'observed']:.0%}" in text
    assert fmt(team.at["meeting_min", "observed"], "min") in text
    assert fmt(team.at["avg_visit_min", "observed"], "min") in text
    for metric, light in team["light"].items():
        label = team.at[metric, "label"]
        assert re.search(re.escape(label) + r" .{0,30}? " + light, text), (metric, light)
    losses = top_losses(dx)
    assert len(losses) == 3
    assert list(losses["recoverable_min_per_day"]) == sorted(
        losses["recoverable_min_per_day"], reverse=True
    )
    for r in losses.itertuples():
        assert f"{r.finding_id} " in text
        assert f"{r.recoverable_min_per_day:.1f}" in text
    best = dx.capacity.team().set_index("scenario")
    assert f"at {best.at['all', 'visits']:.1f} visits a day" in text
    assert f"cuts drive time by {plan.saving_share:.0%}" in text
    read = int(ds.row_counts["read"].sum())
    assert f"{read:,} rows read" in text


def test_per_rep_table_matches_the_comparison(sample, report_en):
    _, dx, _ = sample
    text = section_text(report_en, "2 Work efficiency", "3 Route performance")
    reps = dx.comparison.table.query("level == 'rep' and metric == 'customer_share'")
    # each rep by id and by the name reps.csv gives it
    names = pd.read_csv(SAMPLE / "reps.csv").set_index("rep_id")["name"]
    for r in reps.itertuples():
        who = f"{r.rep_id} {names[r.rep_id]}"
        assert re.search(rf"{who} \d+ [\d.]+ {r.observed:.0%}", text), who


def test_a_long_system_id_is_shortened_beside_the_name(sample, tmp_path):
    from tts.report.sections import Context

    ds, dx, _ = sample
    reps = pd.DataFrame({"rep_id": ["7986512345678900123", "R2"], "name": ["Wang Lei", None]})
    ds2 = tts.load_dataset(activities=ds.activities.drop(columns="row").head(1), reps=reps)
    ctx = Context(dataclasses.replace(dx, dataset=ds2), None, None, None, "en")
    assert ctx.rep("7986512345678900123") == "Wang Lei …0123"
    assert ctx.rep("R2") == "R2"  # no name: the id alone
    assert ctx.rep("R9") == "R9"  # not in the reps table


def test_every_font_is_embedded(report_en, report_zh):
    for path in (report_en, report_zh):
        reader = PdfReader(path)
        fonts = {}
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descendant = font["/DescendantFonts"][0].get_object()
                descriptor = descendant["/FontDescriptor"].get_object()
                fonts[str(font["/BaseFont"])] = any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
                )
        assert fonts and all(fonts.values()), fonts


def test_chinese_report_is_in_chinese(report_zh):
    text = flat(" ".join(pages(report_zh)))
    for heading in ZH_SECTIONS:
        assert heading in text
    assert "销售时间 (TTS) 诊断报告" in text
    assert "Executive summary" not in text
    assert "（12 天中 12 天）" in text  # the evidence too, not only the headings
    assert "of 12 days" not in text and "min/week" not in text and "and 7 more" not in text
    assert "Time allocation" not in text  # chart text is drawn, not extracted; headings are


def test_same_input_gives_the_same_bytes(sample, tmp_path):
    _, dx, plan = sample
    a = tts.write_report(dx, tmp_path / "a.pdf", plan=plan, lang="zh")
    b = tts.write_report(dx, tmp_path / "b.pdf", plan=plan, lang="zh")
    assert a.read_bytes() == b.read_bytes()
    assert b"/CreationDate (D:20260315000000Z" in a.read_bytes()


def test_empty_sections_say_why(tmp_path):
    ds = tts.load_dataset(SAMPLE)
    only = tts.load_dataset(activities=ds.activities.drop(columns="row"))
    dx = tts.diagnose(only)
    path = tts.write_report(dx, tmp_path / "r.pdf")
    text = flat(" ".join(pages(path)))
    assert "Route performance was not analysed: no customers table" in text
    assert "The route optimisation was not run" in text
    assert "The questionnaire was not analysed: no questionnaire" in text
    assert "No second wave yet" in text
    assert "No row was set aside" in text
    zh = flat(" ".join(pages(tts.write_report(dx, tmp_path / "zh.pdf", lang="zh"))))
    assert "未分析线路绩效：没有客户表" in zh and "尚无第二轮数据" in zh


def test_hostile_strings_are_printed_as_text(tmp_path):
    ds = tts.load_dataset(SAMPLE)
    hostile = "<b>&Co =cmd|' /C calc'!A0 \x07 \u202e 𓀀 店" + "x" * 150
    a = ds.activities.drop(columns="row")
    a["rep_id"] = a["rep_id"].astype(str).replace({"REP01": "<b>&Co"})
    obstacles = ds.obstacles.drop(columns="row")
    obstacles["comment"] = obstacles["comment"].astype("object")
    obstacles.loc[obstacles.index[0], "comment"] = hostile
    bad = tts.load_dataset(
        activities=a,
        customers=ds.customers.drop(columns="row"),
        obstacles=obstacles,
        role_survey=ds.role_survey.drop(columns="row"),
    )
    dx = tts.diagnose(bad)
    path = tts.write_report(dx, tmp_path / "r.pdf")
    text = flat(" ".join(pages(path)))
    assert "<b>&Co" in text
    assert "=cmd|' /C calc'!A0" in text
    assert "店" in text  # Chinese in an English report comes from the fallback font
    assert "𓀀" not in text  # no embedded font has it: printed as '?', never a blank box
    assert "\x07" not in text


def test_second_wave_check_section(sample, tmp_path):
    ds, first, _ = sample
    a = ds.activities.drop(columns="row")
    meeting = a["activity"] == "morning_meeting"
    a.loc[meeting, "end"] = a.loc[meeting, "start"] + pd.Timedelta(minutes=12)
    second = tts.diagnose(
        tts.load_dataset(activities=a, customers=ds.customers.drop(columns="row"))
    )
    path = tts.write_report(second, tmp_path / "r.pdf", before=first)
    text = section_text(path, "6 Check", "7 PDCA action plan")
    assert "No second wave yet" not in text
    # before 31.2 min, after 12.0 for every rep: change -19.2 min, its interval below zero, met
    assert re.search(
        r"Morning meeting 31\.2 min 12\.0 min -19\.2 \[-[\d.]+, -[\d.]+\] ≤ 15\.0 min met", text
    )
    meeting_id = first.findings.set_index("metric").at["meeting_min", "finding_id"]
    assert re.search(rf"{meeting_id} Morning meeting [\d.]+ min 0\.0 min met", text)
    plan_text = section_text(path, "7 PDCA action plan", "Appendix")
    assert re.search(rf"{meeting_id} Morning meeting .*? met", plan_text)


def test_unwritable_path_is_a_report_error(sample, tmp_path):
    _, dx, _ = sample
    with pytest.raises(tts.ReportError, match="cannot write the report"):
        tts.write_report(dx, tmp_path / "missing" / "r.pdf")


def test_unknown_language_is_refused(sample, tmp_path):
    with pytest.raises(tts.InputError, match="'lang' parameter of write_report must be one of"):
        tts.write_report(sample[1], tmp_path / "r.pdf", lang="fr")


def test_long_tables_paginate_and_say_what_is_left_out(tmp_path):
    ds = tts.load_dataset(SAMPLE)
    a = ds.activities.drop(columns="row")
    # 12 copies of the six reps, each a distinct rep: 72 reps
    copies = [a.assign(rep_id=a["rep_id"].astype(str) + f"-{i:02d}") for i in range(12)]
    dx = tts.diagnose(tts.load_dataset(activities=pd.concat(copies, ignore_index=True)))
    path = tts.write_report(dx, tmp_path / "r.pdf")
    text = section_text(path, "2 Work efficiency", "3 Route performance")
    assert "The 60 reps with the lowest customer share of 72" in text
    # the header repeats on the page the table continues on
    eff_pages = [t for t in map(flat, pages(path)) if "REP0" in t and "Min a visit" in t]
    assert len(eff_pages) >= 2


#: A code word: lower-case words joined by underscores (``role_survey``, ``cooler_placement``),
#: unless it is part of a file name (``role_survey.csv``).
CODE_WORD = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b(?!\.\w)")
#: A half-width comma, semicolon or colon right after a Chinese character.
HALF_WIDTH_AFTER_CJK = re.compile(r"[\u3400-\u9fff][,;:]")


def test_no_code_word_reaches_the_reader(report_en, report_zh):
    for path in (report_en, report_zh):
        text = " ".join(pages(path))
        assert CODE_WORD.findall(text) == [], path


def test_chinese_sentences_use_full_width_punctuation(report_zh):
    text = " ".join(pages(report_zh))
    assert HALF_WIDTH_AFTER_CJK.findall(text) == []
    assert text.count("，") > 50  # the Chinese sentences are there, with Chinese commas
    # sales value is 销售额, in the method's currency
    assert re.search(r"每次拜访销售额\s*（\s*元\s*）", text)
    assert "distributor" not in text  # channels read in Chinese in the evidence too
    # the sample's task and obstacle codes read in Chinese
    assert "冰柜投放" in text and "促销结算延迟" in text


def test_chinese_headings_are_drawn_bold(report_zh):
    # no bold Noto Sans SC installs from the package index: headings are stroked (text
    # rendering mode 2, fill then stroke) in the Chinese report, never in the English one
    import pypdf

    def stroked(path: Path) -> bool:
        reader = pypdf.PdfReader(path)
        return any(b" 2 Tr" in page.get_contents().get_data() for page in reader.pages)

    assert stroked(report_zh)


def test_the_method_s_own_tasks_and_obstacles_have_chinese_labels():
    from tts.forms import METHOD_OBSTACLES, METHOD_TASKS
    from tts.i18n import label

    for task in METHOD_TASKS:
        assert not CODE_WORD.search(label("task", task.code, "zh")), task.code
    for code, _ in METHOD_OBSTACLES:
        assert not CODE_WORD.search(label("obstacle", code, "zh")), code
