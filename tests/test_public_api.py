"""The public surface changes only on purpose."""

import subprocess
import sys

import tts

PUBLIC = {
    "Dataset",
    "Diagnosis",
    "Standards",
    "diagnose",
    "RoutePlan",
    "optimize_routes",
    "InputError",
    "Mapping",
    "OptimizationError",
    "ReportError",
    "TTSError",
    "load_dataset",
    "make_sample",
    "write_sample",
    "write_report",
    "compare",
    "WaveComparison",
    "action_plan",
    "write_action_plan",
    "write_forms",
    "Method",
    "run",
    "Run",
    "track_timeline",
    "Track",
    "plan_territory",
    "reps_needed",
    "TerritoryPlan",
}


def test_public_names():
    assert set(tts.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(tts, name) is not None


def test_exception_tree():
    assert issubclass(tts.InputError, tts.TTSError) and issubclass(tts.InputError, ValueError)
    assert issubclass(tts.OptimizationError, tts.TTSError)
    assert issubclass(tts.ReportError, tts.TTSError)


def test_import_does_not_load_ortools():
    code = "import sys, tts; print('ortools' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
