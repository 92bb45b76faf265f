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
