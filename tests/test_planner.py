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
    assert "Weekly plan" in week._repr_html_() and "WeekPlan(6 routes" in repr(week)


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
