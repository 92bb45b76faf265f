"""The weekly planner: frequencies honoured, days within limits, travel freed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tts
from tts.planner import plan_week, visit_patterns

from .conftest import SAMPLE


@pytest.mark.parametrize(
    ("f", "days", "expected"),
    [
        (1, 6, [(d,) for d in range(6)]),
        (2, 6, [(0, 3), (1, 4), (2, 5)]),
        (3, 6, [(0, 2, 4), (1, 3, 5)]),
        (6, 6, [(0, 1, 2, 3, 4, 5)]),
        (2, 5, [(0, 2), (0, 3), (1, 3), (1, 4), (2, 4)]),
        (9, 6, [(0, 1, 2, 3, 4, 5)]),
    ],
)
def test_patterns_space_visits_evenly(f, days, expected):
    assert visit_patterns(f, days) == expected


#: The method's travel model as it is (no calibration), so drives can be replayed by hand.
RAW = tts.Method(calibrate=False)


@pytest.fixture(scope="module")
def sample():
    return tts.load_dataset(SAMPLE)


@pytest.fixture(scope="module")
def week(sample):
    return plan_week(sample)


def test_every_customer_gets_its_frequency(week, sample):
    a = week.assignments.set_index("customer_id")
    assert len(a) == 240
    expected = sample.customers.set_index("customer_id")["visits_per_week"].astype(int)
    assert (a["weekdays"].str.count("/") + 1 == expected.reindex(a.index)).all()
    planned = week.visits.groupby("customer_id").size()
    assert (planned.reindex(a.index) == expected.reindex(a.index)).all()
    twice = a[a["visits_per_week"] == 3]["weekdays"]
    assert set(twice) <= {"Mon/Wed/Fri", "Tue/Thu/Sat"}


def test_days_fit_the_limit_and_opening_hours(week, sample):
    d = week.days
    assert (d["span_min"] <= d["limit_min"] + 1e-9).all()
    assert (d["dropped"] == 0).all()
    c = sample.customers.set_index("customer_id")
    v = week.visits.join(c[["open_time", "close_time"]], on="customer_id")
    assert (v["arrival"] >= v["open_time"]).all() and (v["arrival"] <= v["close_time"]).all()
    for _, g in week.visits.groupby(["route_id", "weekday"]):
        assert g["arrival"].is_monotonic_increasing
        assert g["seq"].tolist() == list(range(1, len(g) + 1))


def test_plan_frees_drive_time_against_the_logged_weeks(week):
    r = week.routes.set_index("route_id")
    assert len(r) == 6
    assert (r["freed_min_per_week"] > 0).all()
    assert np.allclose(r["freed_min_per_day"] * 6, r["freed_min_per_week"])
    assert "Weekly plan" in week._repr_html_() and "WeekPlan(6 logged routes" in repr(week)


def test_reproducible(sample):
    r05 = sample.customers[sample.customers["route_id"] == "R05"].drop(columns="row")
    acts = sample.activities[sample.activities["rep_id"] == "REP05"].drop(columns="row")
    ds = tts.load_dataset(activities=acts, customers=r05, reps=sample.reps.drop(columns="row"))
    a, b = plan_week(ds), plan_week(ds)
    pd.testing.assert_frame_equal(a.visits, b.visits)
    pd.testing.assert_frame_equal(a.routes, b.routes)


def test_bad_options(sample):
    with pytest.raises(tts.InputError, match="method setting 'weekdays'"):
        plan_week(sample, method=tts.Method(weekdays=("Mon", "Funday")))


@pytest.fixture(scope="module")
def subset(sample):
    """REP05's logged weeks with the customers of two routes: R05 (its own) and R06."""
    cust = sample.customers[sample.customers["route_id"].isin(["R05", "R06"])]
    acts = sample.activities[sample.activities["rep_id"] == "REP05"]
    return tts.load_dataset(
        activities=acts.drop(columns="row"),
        customers=cust.drop(columns="row"),
        reps=sample.reps.drop(columns="row"),
    )


def _logged_drive_by_hand(ds, rep, travel):
    """Drive of the logged orders a week, minutes: home -> stores in logged order -> home,
    a plain loop over the activity rows (integer seconds per leg, as the matrices round)."""
    a = ds.activities[(ds.activities["rep_id"] == rep) & ds.activities["customer_id"].notna()]
    a = a.sort_values(["date", "start"])
    xy = ds.customers.set_index("customer_id")[["lat", "lon"]]
    home = tuple(ds.reps.set_index("rep_id").loc[rep, ["home_lat", "home_lon"]])
    total_s = 0.0
    for _, day in a.groupby("date"):
        ids = day["customer_id"].tolist()
        stops = [ids[0]] + [c for p, c in zip(ids, ids[1:], strict=False) if c != p]
        points = [home, *[tuple(xy.loc[c]) for c in stops], home]
        for p, q in zip(points, points[1:], strict=False):
            great = float(tts.travel.haversine_m(p[0], p[1], q[0], q[1]))
            total_s += round(great * travel.circuity / (travel.speed_kmh * 1000 / 3600))
    weeks = a["date"].dt.to_period("W").nunique()
    return total_s / 60 / weeks


def test_a_subset_is_compared_with_the_same_routes(subset):
    week = plan_week(subset, solution_limit=20, method=RAW)
    r = week.routes.set_index("route_id")
    assert list(r.index) == ["R05"] and week.unlogged == ()
    assert set(week.assignments["route_id"]) == {"R05"}
    expected = _logged_drive_by_hand(subset, "REP05", tts.Method().travel)
    assert r.at["R05", "logged_travel_min_per_week"] == pytest.approx(expected, rel=1e-9)
    c = week.compare()
    assert c["routes"] == 1 and c["unlogged"] == 0
    assert c["logged_visits_per_week"] == c["planned_visits_per_week"] == 240
    assert c["planned_travel_min_per_week"] < c["logged_travel_min_per_week"]
    assert "1 logged routes" in repr(week) and "without a logged week" not in repr(week)


def test_routes_planned_without_a_logged_week_are_set_apart(subset):
    week = plan_week(subset, routes="all", solution_limit=20)
    r = week.routes.set_index("route_id")
    assert week.unlogged == ("R06",)
    assert not r.at["R06", "logged"] and np.isnan(r.at["R06", "logged_travel_min_per_week"])
    assert np.isnan(r.at["R06", "freed_min_per_week"])
    c = week.compare()
    assert c["routes"] == 1 and c["unlogged"] == 1
    assert c["logged_travel_min_per_week"] == pytest.approx(
        r.at["R05", "logged_travel_min_per_week"]
    )
    assert c["planned_travel_min_per_week"] == pytest.approx(
        r.at["R05", "planned_travel_min_per_week"]
    )
    assert "1 planned without a logged week: R06" in repr(week)
    only = plan_week(subset, routes=["R06"], solution_limit=20)
    assert only.unlogged == ("R06",) and only.compare()["routes"] == 0


def test_both_sides_use_the_methods_travel_model(subset):
    slow = tts.Method(travel=tts.travel.TravelModel(speed_kmh=10.0, circuity=1.3), calibrate=False)
    r = plan_week(subset, method=slow, solution_limit=20).routes.set_index("route_id")
    expected = _logged_drive_by_hand(subset, "REP05", slow.travel)
    assert r.at["R05", "logged_travel_min_per_week"] == pytest.approx(expected, rel=1e-9)
    base = plan_week(subset, solution_limit=20, method=RAW).routes.set_index("route_id")
    # half the speed: both sides about double (whole seconds per leg)
    for col in ("logged_travel_min_per_week", "planned_travel_min_per_week"):
        # (the planned side is a new search on a new matrix: the tour may differ slightly)
        assert r.at["R05", col] == pytest.approx(2 * base.at["R05", col], rel=0.05)


def test_unknown_routes_are_refused(subset):
    with pytest.raises(tts.InputError, match="'routes' parameter of plan_week"):
        plan_week(subset, routes=["R99"])
    with pytest.raises(tts.InputError, match="'routes' parameter of plan_week"):
        plan_week(subset, routes="some")


def test_the_weekly_figure_says_which_routes_it_compares(subset):
    import matplotlib.pyplot as plt

    from tts import plots

    week = plan_week(subset, routes="all", solution_limit=20)
    for lang, words in (("en", "same 1 routes"), ("zh", "同样 1 条线路")):
        fig, ax = plt.subplots()
        plots.week_drive(week, ax=ax, lang=lang)
        assert words in ax.get_title() and "1" in ax.get_title().splitlines()[1]
        assert [t.get_text() for t in ax.get_xticklabels()] == ["R05"]
        plt.close(fig)


def test_the_methods_search_effort_reaches_the_planner_and_the_territory(subset, monkeypatch):
    """The weekly planner and the territory plan sequence their days with the method's counts."""
    import tts.planner

    seen = []
    real = tts.planner.solve_day

    def spy(*args, **kwargs):
        seen.append((kwargs["budget"], kwargs["solution_limit"], kwargs["pyvrp_iterations"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(tts.planner, "solve_day", spy)
    method = tts.Method(calibrate=False, route_effort=0.5, route_solutions=7)
    plan_week(subset, routes=["R05"], method=method)
    assert seen and all(b == method.search_effort and s is p is None for b, s, p in seen)
    seen.clear()
    tts.plan_territory(subset, reps=1, method=method, workers=1, max_moves=0)
    assert seen and all(b == method.search_effort and p == 0 for b, _, p in seen)
