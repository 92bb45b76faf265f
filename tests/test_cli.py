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
    assert f"wrote {out}" in result.output
    assert "RoutePlan(72 rep-days" in result.output
    text = _text(out)
    assert "1 Executive summary" in text
    assert "The route optimisation was not run" not in text
    assert "Drive before" in text and "calibrated on the logged travel" in text


def test_demo_in_chinese_reads_the_chinese_export(tmp_path):
    out = tmp_path / "报告.pdf"
    result = CliRunner().invoke(main, ["demo", "--out", str(out), "--lang", "zh", "--no-optimize"])
    assert result.exit_code == 0, result.output
    assert "0 set aside" in result.output  # GBK file with Chinese headers, every row used
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
    assert set(sheets["PDCA"]["status"]) == {"no change"}


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
