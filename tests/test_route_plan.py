"""optimize_routes on datasets: per-day and per-visit results, the CLI, edge cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import tts
from tts.cli import main

from .conftest import SAMPLE, timeline, write


@pytest.fixture(scope="module")
def sample():
    return tts.load_dataset(SAMPLE)


@pytest.fixture(scope="module")
def plan(sample):
    return tts.optimize_routes(sample, workers=2)


def test_every_rep_day_saves_travel_and_keeps_every_stop(plan, sample):
    d = plan.days
    assert len(d) == 72 and (d["status"] == "SUCCESS").all()
    assert (d["dropped"] == 0).all() and (d["served"] == d["stops"]).all()
    assert (d["travel_after_min"] <= d["travel_before_min"]).all()
    assert plan.saving_share > 0.1
    by_rep = plan.by_rep().set_index("rep_id")
    assert (by_rep["saving_min_per_day"] > 0).all() and len(by_rep) == 6
    v = plan.visits
    assert len(v) == len(tts.diagnose(sample).time.stops)
    for _, g in v.groupby(["rep_id", "date"]):
        assert sorted(g["seq_after"]) == list(range(1, len(g) + 1))
        assert sorted(g["seq_before"]) == list(range(1, len(g) + 1))
        assert g.sort_values("seq_after")["arrival_after"].is_monotonic_increasing


def test_plan_respects_opening_hours(plan, sample):
    c = sample.customers.set_index("customer_id")
    v = plan.visits.join(c[["open_time", "close_time"]], on="customer_id")
    tod = v["arrival_after"] - v["date"]
    assert (tod >= v["open_time"]).all() and (tod <= v["close_time"]).all()


def test_plan_is_reproducible_and_independent_of_workers(sample):
    one = sample.activities[sample.activities["rep_id"] == "REP05"]
    ds = tts.load_dataset(
        activities=one.drop(columns="row"),
        customers=sample.customers.drop(columns="row"),
        reps=sample.reps.drop(columns="row"),
    )
    a = tts.optimize_routes(ds, workers=1)
    b = tts.optimize_routes(ds, workers=2)
    pd.testing.assert_frame_equal(a.days, b.days)
    pd.testing.assert_frame_equal(a.visits, b.visits)


def test_results_render(plan):
    assert "Route plan" in plan._repr_html_()
    assert "saving" in repr(plan)
    frame = plan.to_frame()
    assert {
        "rep_id",
        "date",
        "customer_id",
        "seq_before",
        "seq_after",
        "travel_before_min",
        "travel_after_min",
    } <= set(frame.columns)


def test_days_without_coordinates_are_kept_as_logged(tmp_path):
    acts = timeline(
        (
            "r1",
            "2026-03-02",
            [
                ("09:00", "09:10", "visit", "C1"),
                ("09:10", "09:20", "travel", None),
                ("09:20", "09:30", "visit", "C2"),
            ],
        )
    )
    customers = pd.DataFrame(
        {
            "customer_id": ["C1", "C2"],
            "name": ["a", "b"],
            "lat": [34.75, np.nan],
            "lon": [113.6, np.nan],
            "channel": ["KA", "BC"],
            "route_id": ["R1", "R1"],
        }
    )
    ds = tts.load_dataset(activities=acts.drop(columns="row"), customers=customers)
    plan = tts.optimize_routes(ds, workers=1)
    assert plan.days.loc[0, "note"] == "1 stop(s) without coordinates"
    assert plan.visits["seq_after"].tolist() == [1, 2]


def test_needs_customers_and_a_valid_service(sample):
    acts = sample.activities.drop(columns="row")
    with pytest.raises(tts.InputError, match="needs the customers table"):
        tts.optimize_routes(tts.load_dataset(activities=acts))
    with pytest.raises(tts.InputError, match="'service' parameter of optimize_routes"):
        tts.optimize_routes(sample, service="fast")


def test_cli_optimize_writes_both_files(tmp_path, sample):
    folder = tmp_path / "data"
    folder.mkdir()
    keep = sample.activities["rep_id"].eq("REP06") & sample.activities["date"].eq(
        pd.Timestamp("2026-03-02")
    )
    sample.activities[keep].drop(columns="row").to_csv(folder / "activities.csv", index=False)
    for name in ("customers", "reps"):
        getattr(sample, name).drop(columns="row").to_csv(folder / f"{name}.csv", index=False)
    out = tmp_path / "routes.csv"
    result = CliRunner().invoke(
        main, ["optimize", str(folder), "--out", str(out), "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    routes = pd.read_csv(out)
    days = pd.read_csv(tmp_path / "routes_days.csv")
    assert {"seq_before", "seq_after", "travel_before_min", "travel_after_min"} <= set(
        routes.columns
    )
    assert len(days) == 1 and days.loc[0, "travel_after_min"] <= days.loc[0, "travel_before_min"]
    assert "REP06" in result.output


def test_cli_optimize_fatal_error(tmp_path):
    write(
        tmp_path / "activities.csv",
        "rep_id,date,start,end,activity\nR1,2026-03-02,08:00,09:00,admin\n",
    )
    result = CliRunner().invoke(main, ["optimize", str(tmp_path), "--out", str(tmp_path / "r.csv")])
    assert result.exit_code == 1 and "needs the customers table" in result.output


def test_the_methods_search_effort_reaches_every_day(sample, monkeypatch):
    """Method.route_* and optimize_routes(effort=) are what each day's solve_day is given."""
    import tts.route_plan

    seen = []
    real = tts.route_plan.solve_day

    def spy(**kwargs):
        seen.append(kwargs["budget"])
        return real(**kwargs)

    monkeypatch.setattr(tts.route_plan, "solve_day", spy)
    a = sample.activities[sample.activities["rep_id"] == "REP05"]
    a = a[a["date"].isin(sorted(a["date"].unique())[:3])]  # three days: a faster test
    one = tts.load_dataset(
        activities=a.drop(columns="row"),
        customers=sample.customers.drop(columns="row"),
        reps=sample.reps.drop(columns="row"),
    )
    method = tts.Method(calibrate=False, route_effort=0.5, route_solutions=7)
    plan = tts.optimize_routes(one, method=method, workers=1)
    assert len(seen) == len(plan.days) > 0
    assert all(b == method.search_effort and b.for_stops(40).solution_limit == 4 for b in seen)
    seen.clear()
    tts.optimize_routes(one, method=method, effort=2, workers=1)
    assert seen and all(b.scale == 2 and b.solutions == 7 for b in seen)
    with pytest.raises(tts.InputError, match="effort"):
        tts.optimize_routes(one, effort=0)


def test_days_above_the_dense_limit_are_planned_from_their_legs(sample, monkeypatch):
    """optimize_routes gives a huge day its points, not a square matrix, and says so."""
    import tts._engines
    import tts.optimize
    import tts.travel

    monkeypatch.setattr(tts.optimize, "DENSE_LIMIT", 8)
    monkeypatch.setattr(tts._engines, "WINDOW", 10)
    a = sample.activities[sample.activities["rep_id"] == "REP05"]
    a = a[a["date"].isin(sorted(a["date"].unique())[:2])]
    one = tts.load_dataset(
        activities=a.drop(columns="row"),
        customers=sample.customers.drop(columns="row"),
        reps=sample.reps.drop(columns="row"),
    )
    largest = []
    matrix = tts.travel.TravelModel.matrix

    def spy(self, ids, lat, lon):
        largest.append(len(ids))
        return matrix(self, ids, lat, lon)

    monkeypatch.setattr(tts.travel.TravelModel, "matrix", spy)
    method = tts.Method(calibrate=False)
    plan = tts.optimize_routes(one, method=method, workers=1)
    d = plan.days
    assert (d["stops"] > 8).all() and (d["engine"] == "windows").all()
    assert d["note"].str.contains("above the dense-model limit of 8").all()
    assert (d["served"] == d["stops"]).all() and (
        d["travel_after_min"] <= d["travel_before_min"]
    ).all()
    assert largest and max(largest) <= 12  # windows of 10 and their neighbours, never a day


def test_a_survey_without_store_visits_has_no_logged_drive():
    from tts.legs import logged_drive

    acts = pd.DataFrame(
        {
            "rep_id": ["R1", "R1"],
            "date": ["2026-03-02"] * 2,
            "start": ["08:00", "08:30"],
            "end": ["08:30", "09:00"],
            "activity": ["morning_meeting", "travel"],
        }
    )
    time = tts.time_use.allocate_time(tts.load_dataset(activities=acts).activities)
    out = logged_drive(time, None)
    assert out.empty and {"drive_s", "distance_m", "note"} <= set(out.columns)
