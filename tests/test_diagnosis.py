"""tts.diagnose on the sample data reproduces the case it was built from."""

from __future__ import annotations

import pandas as pd
import pytest

import tts

from .conftest import SAMPLE, write

CLASSIC = ["REP01", "REP02", "REP03", "REP04"]
COMPLIANT = ["REP05", "REP06"]


@pytest.fixture(scope="module")
def dx():
    return tts.diagnose(tts.load_dataset(SAMPLE))


def test_time_allocation_contract(dx):
    required = {
        "rep_id",
        "date",
        "total_min",
        "customer_min",
        "non_customer_min",
        "travel_min",
        "meeting_min",
        "visits",
        "avg_visit_min",
        "customer_share",
        "travel_share",
    }
    d = dx.time_allocation
    assert required <= set(d.columns)
    assert len(d) == 72
    assert ((d["customer_min"] + d["non_customer_min"] - d["total_min"]).abs() < 1e-9).all()


def test_the_case_is_reproduced_and_flagged_for_the_right_reps(dx):
    t = dx.comparison.table
    rep = t[t["level"] == "rep"].set_index(["rep_id", "metric"])
    for r in CLASSIC:
        assert rep.loc[(r, "customer_share"), "observed"] < 0.6
        assert rep.loc[(r, "travel_share"), "observed"] == pytest.approx(0.30, abs=0.02)
        assert rep.loc[(r, "avg_visit_min"), "observed"] == pytest.approx(5.0, abs=0.3)
        assert rep.loc[(r, "meeting_min"), "observed"] > 15
        assert rep.loc[(r, "day_h"), "observed"] > 9
        for metric in ("customer_share", "travel_share", "avg_visit_min", "meeting_min", "day_h"):
            assert rep.loc[(r, metric), "light"] != "green", (r, metric)
    for r in COMPLIANT:
        assert (rep.loc[r, "light"] == "green").all(), r
    f = dx.findings.set_index("metric")
    for metric in ("customer_share", "travel_share", "avg_visit_min", "meeting_min", "day_h"):
        assert f.loc[metric, "reps_affected"] == 4
        for r in CLASSIC:
            assert r in f.loc[metric, "evidence"]
        for r in COMPLIANT:
            assert r not in f.loc[metric, "evidence"]


def test_recoverable_minutes_are_traceable(dx):
    f = dx.findings.set_index("metric")
    d = dx.time_allocation
    classic = d[d["rep_id"].isin(CLASSIC)]
    excess = (classic["meeting_min"] - 15).clip(lower=0)
    assert f.loc["meeting_min", "recoverable_min_per_day"] == pytest.approx(
        excess[excess > 0].mean()
    )
    assert f.loc["meeting_min", "rep_days_affected"] == int((excess > 0).sum())
    travel = (classic["travel_min"] - 0.2 * classic["total_min"]).clip(lower=0)
    assert f.loc["travel_share", "recoverable_min_per_day"] == pytest.approx(
        travel[travel > 0].mean()
    )
    assert list(dx.findings["finding_id"]) == [f"F{i:02d}" for i in range(1, len(f) + 1)]


def test_capacity_scenarios_on_the_sample(dx):
    team = dx.capacity.team().set_index("scenario")
    assert team.loc["all", "customer_share"] > team.loc["observed", "customer_share"]
    assert team.loc["meeting_cut", "visits"] > team.loc["standard_day", "visits"]


def test_results_render(dx):
    assert "Findings" in dx._repr_html_()
    assert dx.to_frame().equals(dx.findings)
    assert "72 rep-days" in repr(dx)
    assert "Capacity" in dx.capacity._repr_html_() and "Data audit" in dx.audit._repr_html_()


def test_diagnose_from_check_in_logs(tmp_path):
    write(
        tmp_path / "visits.csv",
        "rep_id,customer_id,check_in,check_out\n"
        "R1,C1,2026-03-02 09:00,2026-03-02 09:05\n"
        "R1,C2,2026-03-02 10:30,2026-03-02 10:36\n",
    )
    write(
        tmp_path / "shifts.csv",
        "rep_id,date,day_start,day_end,meeting_min\nR1,2026-03-02,08:00,11:00,40\n",
    )
    dx = tts.diagnose(tts.load_dataset(tmp_path))
    d = dx.time_allocation.iloc[0]
    assert d["total_min"] == 180 and d["customer_min"] == 11 and d["meeting_min"] == 40
    assert d["unexplained_min"] > 0  # an 85-minute gap between two stores
    assert "impossible_speed" in dx.skipped
    assert "unaccounted_time" in set(dx.findings["metric"])


def test_nothing_to_diagnose(tmp_path):
    write(tmp_path / "activities.csv", "rep_id,date,start,end,activity\nR1,x,08:00,09:00,admin\n")
    ds = tts.load_dataset(tmp_path)
    with pytest.raises(tts.InputError, match="no activities to diagnose"):
        tts.diagnose(ds)


def test_quarantine_becomes_a_finding(tmp_path):
    write(
        tmp_path / "activities.csv",
        "rep_id,date,start,end,activity\n"
        "R1,2026-03-02,08:00,09:00,admin\nR1,2026-03-02,09:00,99:00,admin\n",
    )
    dx = tts.diagnose(tts.load_dataset(tmp_path))
    q = dx.findings.set_index("metric").loc["quarantine"]
    assert q["observed"] == 1 and "activities.csv: 1 impossible_time" in q["evidence"]


def test_custom_standards_change_the_verdict():
    ds = tts.load_dataset(SAMPLE)
    lenient = tts.Standards(meeting_max_min=45, travel_share=(0.15, 0.35))
    f = tts.diagnose(ds, standards=lenient).findings
    assert not f["metric"].isin(["meeting_min", "travel_share"]).any()
    assert isinstance(tts.diagnose(ds).time_allocation, pd.DataFrame)


def test_a_route_plan_feeds_the_capacity_what_if():
    ds = tts.load_dataset(SAMPLE)
    one = ds.activities[ds.activities["rep_id"] == "REP06"].drop(columns="row")
    small = tts.load_dataset(
        activities=one, customers=ds.customers.drop(columns="row"), reps=ds.reps.drop(columns="row")
    )
    plan = tts.optimize_routes(small, workers=1)
    dx = tts.diagnose(small, plan=plan)
    assert dx.plan is plan
    assert dx.capacity.travel_saving == pytest.approx(plan.saving_share)
    assert dx.capacity.travel_saving_source == "route plan"
    assert tts.diagnose(small).capacity.travel_saving_source == "assumed"
