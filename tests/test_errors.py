"""The error contract: bad arguments raise tts.InputError; the command line never prints a
Python traceback (status 1 and one line for bad input, 2 for click's usage errors, 3 for a bug).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import tts
from tts.audit import audit
from tts.capacity import capacity_scenarios
from tts.cli import main
from tts.compliance import compare_with_standards
from tts.planner import plan_week
from tts.routes import analyze_routes
from tts.survey import analyze_survey
from tts.time_use import allocate_time, summarize_time

from .conftest import SAMPLE, timeline


@pytest.fixture(scope="module")
def small():
    acts = timeline(
        (
            "r1",
            "2026-03-02",
            [("08:00", "08:20", "travel", None), ("08:20", "08:30", "visit", "C1")],
        )
    )
    customers = pd.DataFrame(
        {
            "customer_id": ["C1"],
            "name": "x",
            "lat": [34.7],
            "lon": [113.6],
            "channel": "BC",
            "route_id": "R1",
        }
    )
    ds = tts.load_dataset(activities=acts.drop(columns="row"), customers=customers)
    return ds, tts.diagnose(ds)


def _calls(ds, dx):
    time = dx.time
    return [
        lambda: tts.load_dataset(123),
        lambda: tts.load_dataset(activities=42),
        lambda: tts.load_dataset(SAMPLE, encoding=5),
        lambda: tts.load_dataset(SAMPLE, mapping=3.5),
        lambda: tts.diagnose("sample_data/"),
        lambda: tts.diagnose(ds, standards="strict"),
        lambda: tts.diagnose(ds, method={"gini_max": 0.4}),
        lambda: tts.diagnose(ds, time=dx.comparison),
        lambda: tts.diagnose(ds, engine="spark"),
        lambda: tts.optimize_routes(ds, service="fast"),
        lambda: tts.optimize_routes(ds, time_limit_s=-1),
        lambda: tts.optimize_routes(ds, solution_limit=2.5),
        lambda: tts.optimize_routes(ds, workers=0),
        lambda: tts.optimize_routes(ds, travel="osrm"),
        lambda: tts.optimize_routes(None),
        lambda: tts.write_report(dx, "report.txt"),
        lambda: tts.write_report("dx", "report.pdf"),
        lambda: tts.write_report(dx, "report.pdf", lang="fr"),
        lambda: tts.write_report(dx, "report.pdf", before=ds),
        lambda: tts.action_plan(ds),
        lambda: tts.action_plan(dx, start="not a date"),
        lambda: tts.action_plan(dx, lang="de"),
        lambda: tts.write_action_plan(tts.action_plan(dx), "plan.txt"),
        lambda: tts.write_action_plan([], "plan.xlsx"),
        lambda: tts.compare(dx, ds),
        lambda: tts.compare(dx, dx, tolerance=-1),
        lambda: tts.run(123),
        lambda: tts.run(SAMPLE, out="report.doc"),
        lambda: tts.run(SAMPLE, excel="plan.txt"),
        lambda: tts.run(SAMPLE, lang="fr"),
        lambda: tts.run("/no/such/folder"),
        lambda: tts.run(SAMPLE, before="/no/such/folder"),
        lambda: tts.run(SAMPLE, out="/no/such/folder/r.pdf"),
        lambda: tts.Standards(customer_share_min="high"),
        lambda: tts.Standards(visit_min=8),
        lambda: tts.Standards(day_max_h=-1),
        lambda: tts.Method(weekdays=("Mon", "Moon")),
        lambda: tts.write_sample(SAMPLE / "README.md"),
        lambda: tts.make_sample(seed=-1),
        lambda: capacity_scenarios(time, travel_saving=1.5),
        lambda: capacity_scenarios(dx),
        lambda: compare_with_standards(dx),
        lambda: summarize_time(time, by="week"),
        lambda: allocate_time(pd.DataFrame({"rep_id": ["a"]})),
        lambda: allocate_time("activities.csv"),
        lambda: audit(ds.activities, dx),
        lambda: analyze_routes(ds, dx),
        lambda: analyze_survey("ds"),
        lambda: plan_week(dx),
    ]


def test_every_bad_argument_is_an_input_error(small):
    ds, dx = small
    for i, call in enumerate(_calls(ds, dx)):
        with pytest.raises(tts.InputError) as info:
            call()
        assert "\n" not in str(info.value).strip(), i


BAD_COMMANDS = [
    ["validate", "/no/such/folder"],
    ["validate", str(SAMPLE), "--encoding", "nope"],
    ["validate", str(SAMPLE), "--mapping", "/no/such.toml"],
    ["validate", str(SAMPLE), "--method", "/no/such.toml"],
    ["validate", str(SAMPLE), "--show", "many"],
    ["sample", str(SAMPLE / "README.md")],
    ["sample", "out", "--lang", "fr"],
    ["sample", "out", "--seed", "x"],
    ["diagnose", str(SAMPLE), "--excel", "plan.txt"],
    ["diagnose", str(SAMPLE), "--out", "report.txt"],
    ["diagnose", str(SAMPLE), "--out", "/no/such/folder/r.pdf"],
    ["diagnose", str(SAMPLE), "--standards", "/no/such.toml"],
    ["diagnose", str(SAMPLE), "--method", "/no/such.toml"],
    ["diagnose", str(SAMPLE), "--before", "/no/such/folder"],
    ["diagnose", str(SAMPLE), "--lang", "fr"],
    ["diagnose", str(SAMPLE), "--time-limit", "-1"],
    ["diagnose", str(SAMPLE), "--workers", "0"],
    ["diagnose", str(SAMPLE), "--scheduler", "nonsense", "--no-optimize"],
    ["diagnose", "/no/such/folder"],
    ["optimize", str(SAMPLE), "--out", "routes.txt"],
    ["optimize", str(SAMPLE), "--out", "r.csv", "--solutions", "0"],
    ["optimize", str(SAMPLE), "--out", "r.csv", "--service", "fast"],
    ["optimize", str(SAMPLE)],
    ["demo", "--out", "report.txt"],
    ["demo", "--excel", "plan.txt"],
    ["demo", "--lang", "fr"],
    ["nosuchcommand"],
]


@pytest.mark.parametrize("args", BAD_COMMANDS, ids=lambda a: " ".join(a)[-40:])
def test_bad_options_never_print_a_traceback(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if result.exit_code == 1:
        lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(lines) == 1, result.stderr


def test_an_internal_error_says_so_and_keeps_the_traceback(monkeypatch, tmp_path):
    import tts.pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("something nobody expected")

    monkeypatch.setattr(tts.pipeline, "run", broken)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = CliRunner().invoke(main, ["diagnose", str(SAMPLE), "--out", str(tmp_path / "r.pdf")])
    assert result.exit_code == 3
    assert "internal error: RuntimeError: something nobody expected" in result.stderr
    assert "Traceback" not in result.stderr
    saved = list(Path(tmp_path).glob("tts-error-*.txt"))
    assert len(saved) == 1 and "something nobody expected" in saved[0].read_text()
