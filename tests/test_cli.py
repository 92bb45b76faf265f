"""The command line."""

from __future__ import annotations

from click.testing import CliRunner

from tts.cli import main

from .conftest import SAMPLE, write


def test_help_lists_every_command():
    out = CliRunner().invoke(main, ["--help"]).output
    for command in ("demo", "diagnose", "optimize", "validate", "sample"):
        assert command in out


def test_validate_sample_data():
    for folder in (SAMPLE, SAMPLE / "zh"):
        result = CliRunner().invoke(main, ["validate", str(folder)])
        assert result.exit_code == 0, result.output
        assert "Nothing was set aside." in result.output
        assert "activities.csv" in result.output


def test_validate_reports_rows_set_aside_and_writes_them(tmp_path):
    write(
        tmp_path / "activities.csv",
        "rep_id,date,start,end,activity\n"
        "R1,2026-03-02,08:00,08:40,travel\nR1,2026-03-02,08:40,99:00,travel\n",
    )
    out = tmp_path / "q.csv"
    result = CliRunner().invoke(main, ["validate", str(tmp_path), "--quarantine", str(out)])
    assert result.exit_code == 0
    assert "2 rows read, 1 used, 1 set aside" in result.output
    assert "impossible_time" in result.output
    assert "99:00" in out.read_text(encoding="utf-8-sig")


def test_validate_fatal_error_exits_non_zero(tmp_path):
    write(tmp_path / "activities.csv", "rep_id,date\nR1,2026-03-02\n")
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "activities.csv has no column 'start', 'end', 'activity'" in result.output


def test_sample_writes_a_loadable_folder(tmp_path):
    result = CliRunner().invoke(main, ["sample", str(tmp_path / "s"), "--lang", "zh"])
    assert result.exit_code == 0
    assert (tmp_path / "s" / "mapping.toml").is_file()
    assert CliRunner().invoke(main, ["validate", str(tmp_path / "s")]).exit_code == 0


def _text(pdf_path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_path)
    try:
        return " ".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def test_demo_writes_the_report_with_optimised_routes(tmp_path):
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(main, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}." in result.output
    assert "Re-sequenced visits: drive" in result.output and "over 72 rep-days" in result.output
    assert "Customer time: 41% of the working day (standard ≥ 60%)" in result.output
    # plain words, no Python reprs
    for repr_start in ("Diagnosis(", "TimeAllocation(", "RoutePlan(", "Dataset("):
        assert repr_start not in result.output
    text = _text(out)
    assert "1 Executive summary" in text
    assert "The route optimisation was not run" not in text
    assert "Drive before" in text and "calibrated on the logged travel" in text


def test_demo_in_chinese_reads_the_chinese_export(tmp_path):
    out = tmp_path / "报告.pdf"
    result = CliRunner().invoke(main, ["demo", "--out", str(out), "--lang", "zh", "--no-optimize"])
    assert result.exit_code == 0, result.output
    assert "剔除 0 行" in result.output  # GBK file with Chinese headers, every row used
    assert "客户时间: 占工作日 41%" in result.output and "最大的损失" in result.output
    assert f"已写入: {out}" in result.output and "Diagnosis(" not in result.output
    text = _text(out)
    assert "管理摘要" in text and "未运行线路优化" in text


def test_diagnose_with_standards_excel_and_a_first_wave(tmp_path):
    std = write(tmp_path / "std.toml", "meeting_max_min = 45.0\n")
    out, excel = tmp_path / "r.pdf", tmp_path / "plan.xlsx"
    args = ["diagnose", str(SAMPLE), "--out", str(out), "--standards", str(std)]
    args += ["--excel", str(excel), "--no-optimize", "--before", str(SAMPLE)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    text = _text(out)
    assert "≤ 45.0 min" in text  # the company's standard, not the default
    assert "Morning meeting" in text and "No second wave yet" not in text
    import pandas as pd

    sheets = pd.read_excel(excel, sheet_name=None, engine="calamine")
    assert list(sheets) == [
        "PDCA",
        "findings",
        "standards",
        "rep_days",
        "capacity",
        "capacity_line",
        "routes",
    ]
    assert set(sheets["PDCA"]["Status"]) == {"no change"}


def test_diagnose_bad_data_exits_non_zero(tmp_path):
    write(tmp_path / "activities.csv", "rep_id,date\nR1,2026-03-02\n")
    result = CliRunner().invoke(main, ["diagnose", str(tmp_path), "--out", str(tmp_path / "r.pdf")])
    assert result.exit_code == 1
    assert "has no column 'start'" in result.output
    assert not (tmp_path / "r.pdf").exists()


def test_diagnose_on_a_local_dask_cluster(tmp_path):
    out = tmp_path / "r.pdf"
    args = ["diagnose", str(SAMPLE), "--out", str(out), "--no-optimize", "--scheduler", "local"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "dask: <Client" in result.output
    local = tmp_path / "local.pdf"
    assert CliRunner().invoke(main, [*args[:3], str(local), "--no-optimize"]).exit_code == 0
    assert out.read_bytes() == local.read_bytes()  # the same report, byte for byte


def test_summary_names_the_biggest_losses_and_the_rows_set_aside(tmp_path):
    """The console summary on a tiny survey: one rep-day, long meeting, a row set aside."""
    from tts import run
    from tts.cli import summary

    write(
        tmp_path / "activities.csv",
        "rep_id,date,start,end,activity,customer_id\n"
        "R1,2026-03-02,08:00,09:00,morning_meeting,\n"
        "R1,2026-03-02,09:00,10:00,travel,\n"
        "R1,2026-03-02,10:00,10:30,visit,C1\n"
        "R1,2026-03-02,10:30,11:30,travel,\n"
        "R1,2026-03-02,11:30,12:00,visit,C2\n"
        "R1,2026-03-02,12:00,17:00,admin,\n"
        "R1,2026-03-02,17:00,99:00,travel,\n",
    )
    result = run(tmp_path, optimize=False)
    en, zh = summary(result, "en"), summary(result, "zh")
    share = 60 / 540  # an hour of visits in a nine-hour day
    assert f"Customer time: {share:.0%} of the working day (standard ≥ 60%); 1 of 1" in en
    assert "Biggest losses:\n  1. " in en and "  3. " in en
    assert "Morning meeting: 60.0 min; 45.0 min a day recoverable, 1 reps" in en
    assert "Rows set aside: 1 of 7 rows read (1 impossible time)" in en
    assert en.endswith("No file written.")
    assert "早会时长: 60.0 分钟; 每天可挽回 45.0 分钟, 涉及 1 名业代" in zh
    assert "剔除 1 行 (1 时间不合理)" in zh and zh.endswith("未写入文件。")


def test_optimize_passes_the_effort_to_the_solver(tmp_path, monkeypatch):
    import tts.route_plan

    seen = {}
    real = tts.route_plan.optimize_routes

    def spy(ds, **kw):
        seen.update(kw)
        return real(ds, **{**kw, "workers": 1})

    monkeypatch.setattr(tts.route_plan, "optimize_routes", spy)
    write(
        tmp_path / "activities.csv",
        "rep_id,date,start,end,activity,customer_id\n"
        "R1,2026-03-02,08:00,08:10,visit,C1\nR1,2026-03-02,08:20,08:30,visit,C2\n"
        "R1,2026-03-02,08:40,08:50,visit,C3\n",
    )
    write(
        tmp_path / "customers.csv",
        "customer_id,name,channel,route_id,lat,lon\nC1,a,BC,R1,34.75,113.65\n"
        "C2,b,BC,R1,34.76,113.66\nC3,c,BC,R1,34.75,113.66\n",
    )
    out = tmp_path / "routes.csv"
    result = CliRunner().invoke(
        main, ["optimize", str(tmp_path), "--out", str(out), "--effort", "0.5"]
    )
    assert result.exit_code == 0, result.output
    assert seen["effort"] == 0.5 and out.exists()
