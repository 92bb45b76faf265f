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


def _by_hand(ds) -> pd.DataFrame:
    """Per rep-day from the activity rows: the working day (first start to last end, hours)
    and the minutes of admin."""
    a = ds.activities.assign(minutes=lambda x: (x["end"] - x["start"]).dt.total_seconds() / 60)
    g = a.groupby(["rep_id", "date"], observed=True)
    day_h = (g["end"].max() - g["start"].min()).dt.total_seconds() / 3600
    admin = (
        a[a["activity"] == "admin"]
        .groupby(["rep_id", "date"], observed=True)["minutes"]
        .sum()
        .reindex(day_h.index, fill_value=0.0)
    )
    return pd.DataFrame({"day_h": day_h, "admin": admin})


def test_english_actions_are_printed_whole(sample, report_en):
    # an action is the report's own words: never cut with "…", its Check part included
    _, dx, _ = sample
    text = flat(" ".join(pages(report_en)))
    for r in dx.findings.itertuples():
        assert flat(r.countermeasure) in text, r.finding_id
    for x in tts.action_plan(dx).itertuples():
        assert flat(f"{x.action} Check: {x.check_measure}") in text, x.finding_id
    for check in ("checkin_not_at_store",):  # the audit's "what to do" too
        assert flat(tts.catalogue.KINDS[check].countermeasure.en) in text


def test_the_appendix_evidence_rounds_hours_as_the_per_rep_table(sample, report_en):
    ds, dx, _ = sample
    day_h = _by_hand(ds)["day_h"].groupby("rep_id", observed=True).mean()
    text = section_text(report_en, "Appendix", None)
    over = day_h[day_h > 9].sort_values(ascending=False)
    assert len(over) == 4  # REP04, REP03, REP01, REP02 over 9 h on average
    for rep, hours in over.items():
        assert f"{rep}: {hours:.2f} h (" in text  # 9.71, not 9.7 printed as 9.70
    eff = section_text(report_en, "2 Work efficiency", "3 Route performance")
    for rep, hours in over.items():
        assert re.search(rf"{rep} \w+ \w+ \d+ {hours:.2f} ", eff)


def test_a_worst_rep_figure_says_whose_it_is_beside_the_team_s(sample, report_en):
    # the team's mean day meets 9 h while four reps miss it: the working-day finding shows
    # the worst rep's day, and says so, with the team's beside it
    ds, dx, _ = sample
    days = _by_hand(ds)
    team = days["day_h"].mean()
    per_rep = days["day_h"].groupby("rep_id", observed=True).mean()
    assert team <= 9 < per_rep.max()
    worst = per_rep.idxmax()
    names = pd.read_csv(SAMPLE / "reps.csv").set_index("rep_id")["name"]
    eff = section_text(report_en, "2 Work efficiency", "3 Route performance")
    assert re.search(
        rf"Working day \(observed: the worst rep, {worst} {names[worst]}; the team's "
        rf"{team:.2f} h meets the standard\) {per_rep.max():.2f} h ≤ 9.00 h",
        eff,
    )
    plan = section_text(report_en, "7 PDCA action plan", "Appendix")
    assert f"{per_rep.max():.2f} h (worst rep, {worst}; the team's {team:.2f} h meets it)" in plan


def test_recoverable_minutes_say_why_they_exceed_the_team_s_figure(sample, report_en):
    # admin: the team logs 87.0 min a day, yet 92.5 min a day are recoverable: the minutes
    # beyond 30 on the rep-days over 30 only. The report says which is which.
    ds, dx, _ = sample
    admin = _by_hand(ds)["admin"]
    over = admin[admin > 30] - 30
    reps = admin.groupby("rep_id", observed=True).mean()
    f = dx.findings.set_index("metric").loc["admin_min"]
    expect = (
        f"So {f['finding_id']}: {over.mean():.1f} min a day beyond the 30.0 min standard, on "
        f"average over the {len(over)} rep-days of the {int((reps > 30).sum())} reps that miss "
        f"it, against a team mean of {admin.mean():.1f} min over all {len(admin)} rep-days."
    )
    assert over.mean() > admin.mean()
    eff = section_text(report_en, "2 Work efficiency", "3 Route performance")
    assert expect in eff
    summary = section_text(report_en, "1 Executive summary", "2 Work efficiency")
    assert "Recoverable minutes a day: the minutes beyond the standard" in summary


def test_a_flagged_rep_never_reads_a_trust_of_100(sample, report_en):
    # REP05 has one visit the GPS contradicts, a check of weight 2: its score is
    # 100 × (1 − 2 × 1 / its visits), below 100, and printed so
    ds, dx, _ = sample
    a = ds.activities
    visits = int((a[a["rep_id"] == "REP05"]["activity"] == "visit").sum())
    flags = int((dx.audit.flags["rep_id"] == "REP05").sum())
    assert flags == 1
    score = 100 * (1 - 2.0 * flags / visits)
    text = flat(" ".join(pages(report_en)))
    start = text.index("Trust score per rep")
    trust = text[start : text.index("6 Check", start)]
    assert re.search(rf"REP05 Chen Jing {score:.1f} 12 ", trust)
    mean = (score + 5 * 100) / 6
    summary = section_text(report_en, "1 Executive summary", "2 Work efficiency")
    assert f"mean trust score {int(mean * 10) / 10:.1f} of 100" in summary


def _lines(path: Path) -> list[str]:
    """Every line of text of the PDF, as PDFium lays it out."""
    return [line for page in pages(path) for line in re.split(r"[\r\n]+", page) if line]


def test_chinese_lines_never_start_with_closing_punctuation(report_zh):
    starts = [line for line in _lines(report_zh) if line.lstrip()[:1] in "，。、；：！？）》%"]
    assert starts == []


def test_chinese_lines_never_split_a_date_or_an_id(sample, report_zh):
    _, dx, _ = sample
    text = flat(" ".join(pages(report_zh)))
    plan = tts.action_plan(dx, lang="zh")
    for x in plan.itertuples():
        assert x.deadline in text and x.check_date in text
        for fid in x.finding_id.split(", "):
            assert re.search(rf"(?<![\w]){fid}(?![\w])", text), fid


def test_chinese_line_breaking_keeps_figures_whole_and_punctuation_off_line_starts():
    import datetime as dt

    from tts.report.document import NO_LINE_START, Document

    doc = Document("zh", "", dt.datetime(2026, 3, 15, tzinfo=dt.UTC))
    doc.add_page()
    doc.set_font(doc.family, size=9)
    text = doc.clean(
        "在业代之间调整 2 家客户, 使每周超限的业代日从 18 降到 12, 代价是每周多 57 分钟车程 "
        "(3,516 → 3,573)。即便如此, 每周仍有 12 个业代日超限: 按方案每天 102 分钟的早会和行政"
        "时间, 团队的工作量装不进现有工作日; 需压缩这部分时间。期限 2026-03-15, 发现 F07。"
    )
    figures = re.findall(r"[!-~]+", text)
    for room in range(20, 121, 3):
        lines = doc.fit(text, room).split("\n")
        assert "".join(lines).replace(" ", "") == text.replace(" ", ""), room
        for line in lines:
            assert doc.get_string_width(line) <= room, (room, line)
            assert line[:1] not in NO_LINE_START, (room, line)
        for figure in figures:  # every figure, date and id whole on one line
            assert any(figure in line for line in lines), (room, figure)
    doc.close_fonts()


def test_the_meeting_and_admin_a_territory_plan_counts_are_told_apart(sample):
    # the plan counts the meeting at its 15 min standard and the admin the survey logged:
    # 15 + 87.0 = 102 min, not today's 31.2 + 87.0
    from tts.report.sections import _fixed_time_text

    ds, dx, _ = sample
    a = ds.activities.assign(minutes=lambda x: (x["end"] - x["start"]).dt.total_seconds() / 60)
    days = _by_hand(ds)
    meeting = (
        a[a["activity"] == "morning_meeting"]
        .groupby(["rep_id", "date"], observed=True)["minutes"]
        .sum()
        .reindex(days.index, fill_value=0.0)
        .mean()
    )
    admin = days["admin"].mean()
    en = _fixed_time_text(dx, 15 + admin, "12", "en")
    assert (
        f"the plan counts the meeting at its 15 min standard (today {meeting:.1f} min) and "
        f"today's {admin:.1f} min of admin, {15 + admin:.0f} min a day in all"
    ) in en
    zh = _fixed_time_text(dx, 15 + admin, "12", "zh")
    assert f"方案按标准 15 分钟计早会 (目前 {meeting:.1f} 分钟)" in zh
    assert f"合计每天 {15 + admin:.0f} 分钟" in zh and "reps_needed" not in zh
    # a plan given its own meeting and admin says only its total
    other = _fixed_time_text(dx, 60.0, "3", "en")
    assert "at the plan's 60 minutes of meeting and admin a day" in other


def _rows_on_pages(room_rows: float, n_rows: int, heading: bool, tmp_path: Path) -> list[int]:
    """Write an n-row table below a block that leaves room for ``room_rows`` rows (and the
    header) at the foot of the first page; return the page each row id (R01 …) lands on.
    """
    import datetime as dt

    from tts.report.document import Document

    doc = Document("en", "", dt.datetime(2026, 3, 15, tzinfo=dt.UTC))
    doc.add_page()
    header, widths = ["ID", "Rep", "Minutes"], (10, 40, 20)
    rows = [[f"R{i:02d}", f"rep {i}", i] for i in range(1, n_rows + 1)]
    one_row = doc.table_mm(header, rows[:2], widths) - doc.table_mm(header, rows[:1], widths)
    head = doc.table_mm(header, [], widths) - 3
    above = doc.page_break_trigger - doc.y - head - (room_rows + 0.5) * one_row
    if heading:
        above -= 22  # the heading's own height and the space it asks for after itself
    doc.ln(above)
    if heading:
        doc.heading("Findings", 2, keep=10)
    doc.table_of(header, rows, widths)
    path = tmp_path / "table.pdf"
    doc.output(str(path))
    doc.close_fonts()
    text = pages(path)
    return [next(p for p, t in enumerate(text, 1) if r[0] in t) for r in rows]


def test_a_short_table_is_never_split_leaving_one_row_alone(tmp_path):
    # five of six rows fit: the sixth would stand alone atop the next page, so the table
    # moves whole; with room for one row only, the first would stand alone at the foot
    assert _rows_on_pages(5, 6, False, tmp_path) == [2] * 6
    assert _rows_on_pages(1, 6, False, tmp_path) == [2] * 6
    # room for three of six: an ordinary split
    assert _rows_on_pages(3, 6, False, tmp_path) == [1, 1, 1, 2, 2, 2]
    # and a table right under its heading stays there (the heading must not stand alone)
    assert _rows_on_pages(5, 6, True, tmp_path)[0] == 1
