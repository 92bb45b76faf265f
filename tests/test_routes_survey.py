"""Route performance and the questionnaire: hand-computed figures, the sample, skipped parts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tts
from tts.routes import analyze_routes, gini
from tts.survey import analyze_survey
from tts.time_use import allocate_time

from .conftest import SAMPLE, timeline

# Two days of one rep, one week: A (shop, sells 100 a visit) twice, B (wholesaler, sells 5) twice
DAYS = [
    (
        "r1",
        "2026-03-02",
        [
            ("08:00", "08:10", "travel", None),
            ("08:10", "08:20", "visit", "A"),
            ("08:20", "08:30", "travel", None),
            ("08:30", "08:40", "visit", "B"),
        ],
    ),
    (
        "r1",
        "2026-03-03",
        [
            ("08:00", "08:10", "travel", None),
            ("08:10", "08:20", "visit", "A"),
            ("08:20", "08:30", "travel", None),
            ("08:30", "08:50", "visit", "B"),
        ],
    ),
]


def _dataset(with_sales=True):
    acts = timeline(*DAYS).drop(columns="row")
    customers = pd.DataFrame(
        {
            "customer_id": ["A", "B", "C"],
            "name": "x",
            "lat": [34.75, 34.76, 34.77],
            "lon": 113.65,
            "channel": ["convenience", "distributor", "BC"],
            "route_id": "R1",
            "visits_per_week": [2, 1, 1],
        }
    )
    sales = pd.DataFrame(
        {
            "rep_id": "r1",
            "date": ["2026-03-02", "2026-03-02", "2026-03-03", "2026-03-03"],
            "customer_id": ["A", "B", "A", "B"],
            "sales_value": [100, 5, 100, 5],
        }
    )
    return tts.load_dataset(
        activities=acts, customers=customers, sales=sales if with_sales else None
    )


def test_hand_computed_route_figures():
    ds = _dataset()
    r = analyze_routes(ds, allocate_time(ds.activities))
    c = r.customers.set_index("customer_id")
    # each visit carries half its day's 20 travel minutes
    assert c.loc["A", "cost_min_per_week"] == 2 * (10 + 10)
    assert c.loc["B", "cost_min_per_week"] == (10 + 10) + (20 + 10)
    assert c.loc["A", "sales_per_cost_min"] == pytest.approx(200 / 40)
    assert c.loc["B", "sales_per_cost_min"] == pytest.approx(10 / 50)
    assert c.loc["B", "ineffective"] and not c.loc["A", "ineffective"]
    assert c.loc["A", "frequency"] == "as_planned" and c.loc["B", "frequency"] == "over"
    assert c.loc["C", "frequency"] == "never"
    route = r.by_route.iloc[0]
    assert route["visits_per_week"] == 4 and route["customers"] == 3
    assert route["customers_visited"] == 2 and route["never_visited"] == 1
    assert route["sales_per_visit"] == pytest.approx(210 / 4)
    assert route["sales_per_visit_min"] == pytest.approx(210 / 50)
    assert route["travel_min_per_visit"] == 10
    assert route["km_per_visit"] == pytest.approx(1.112 * 1.3, rel=1e-3)  # A to B, 1.1 km
    assert route["ineffective_min_per_week"] == 50
    assert route["time_gini"] == pytest.approx(gini(np.array([20.0, 30.0])))
    assert route["first_commute_min"] == 10 and route["last_commute_min"] == 0
    ch = r.channels.set_index("channel")
    assert ch.loc["distributor", "ineffective_customers"] == 1
    assert "seasons" in r.notes and r.seasons.empty


def test_without_sales_the_sales_figures_are_skipped():
    ds = _dataset(with_sales=False)
    r = analyze_routes(ds, allocate_time(ds.activities))
    assert "sales" in r.notes
    assert r.by_route["sales_per_visit"].isna().all() and not r.customers["ineffective"].any()


def test_seasons_apart_when_the_data_spans_both():
    acts = timeline(*DAYS, ("r1", "2026-07-06", DAYS[0][2])).drop(columns="row")
    ds = tts.load_dataset(activities=acts, customers=_dataset().customers.drop(columns="row"))
    r = analyze_routes(ds, allocate_time(ds.activities))
    assert set(r.seasons["season"]) == {"peak", "off_peak"}
    assert "seasons" not in r.notes


def _survey(**tables):
    base = {
        "activities": timeline(
            ("r1", "2026-03-02", [("08:00", "09:00", "admin", None)]),
            ("r2", "2026-03-02", [("08:00", "09:00", "admin", None)]),
            ("r3", "2026-03-02", [("08:00", "09:00", "admin", None)]),
        ).drop(columns="row"),
        "role_matrix": pd.DataFrame(
            {
                "task": ["sell", "settle", "events"],
                "area": ["in_store", "non_sales", "non_sales"],
                "owner": ["rep", "finance", "marketing"],
            }
        ),
        "role_survey": pd.DataFrame(
            {
                "rep_id": ["r1"] * 3 + ["r2"] * 3,
                "task": ["sell", "settle", "events"] * 2,
                "performed_by": ["rep", "rep", "rep", "rep", "finance", "marketing"],
            }
        ),
        "obstacles": pd.DataFrame(
            {
                "rep_id": ["r1"] * 4 + ["r2"] * 4,
                "obstacle": ["a", "b", "c", "d"] * 2,
                "score": [3, 3, 3, 3, 5, 4, 1, 2],
                "comment": [None, None, None, None, "slow", None, None, None],
            }
        ),
    }
    base.update(tables)
    return tts.load_dataset(**{k: v for k, v in base.items() if v is not None})


def test_hand_computed_role_clarity_and_obstacles():
    s = analyze_survey(_survey())
    m = s.matrix
    assert m.loc["settle", "rep"] == 1 and m.loc["settle", "finance"] == 1
    assert m.loc["settle", "owner"] == "finance"
    rep = s.by_rep.set_index("rep_id")
    assert rep.loc["r1", "out_of_role"] == 2 and rep.loc["r1", "out_of_role_share"] == 2 / 3
    assert rep.loc["r1", "non_sales_share"] == 1.0 and rep.loc["r2", "out_of_role"] == 0
    landed = s.landed_on_reps.set_index("owner")
    assert landed.loc["finance", "tasks"] == "settle" and landed.loc["finance", "reps"] == 1
    area = s.by_area.set_index("area")
    assert area.loc["non_sales", "out_of_role_share"] == 0.5
    o = s.obstacles.set_index("obstacle")
    assert s.obstacles["obstacle"].iloc[0] == "a"  # mean 4, then b 3.5
    assert o.loc["a", "mean_score"] == 4 and o.loc["a", "high_share"] == 0.5
    assert o.loc["a", "comments"] == "slow"
    q = s.quality.set_index("issue")
    assert q.loc["straight_lining", "rep_id"] == "r1"
    assert set(s.quality.loc[s.quality["issue"] == "no_role_answers", "rep_id"]) == {"r3"}


def test_scores_outside_the_scale_are_quarantined_not_analysed():
    ds = _survey(
        obstacles=pd.DataFrame({"rep_id": ["r1", "r1"], "obstacle": ["a", "b"], "score": [9, 4]})
    )
    assert ds.quarantine["reason"].tolist() == ["score_out_of_range"]
    assert analyze_survey(ds).obstacles["responses"].sum() == 1


def test_sample_shows_the_planted_out_of_role_work_and_ineffective_customers():
    dx = tts.diagnose(tts.load_dataset(SAMPLE))
    landed = dx.survey.landed_on_reps.set_index("owner")
    assert set(landed.index) == {"area_development_rep", "area_coordinator", "finance", "marketing"}
    assert landed.loc["finance", "tasks"] == "payment_collection, promotion_settlement"
    per_rep = dx.survey.by_rep.set_index("rep_id")["out_of_role"]
    assert (per_rep[["REP01", "REP02", "REP03", "REP04"]] > 0).all()
    assert (per_rep[["REP05", "REP06"]] == 0).all()
    bad = dx.routes.ineffective()
    assert set(bad["channel"]) <= {"distributor", "other"} and len(bad) >= 12
    assert dx.routes.by_route["never_visited"].sum() == 4
    f = dx.findings.set_index("metric")
    assert f.loc["out_of_role_finance", "area"] == "role"
    assert "speed up promotion settlement" in f.loc["out_of_role_finance", "countermeasure"]
    assert f.loc["ineffective_customers", "area"] == "route"
    assert "consolidate the daily reports" in f.loc["obstacles", "countermeasure"]
    assert "Route performance" in dx.routes._repr_html_()
    assert "Questionnaire" in dx.survey._repr_html_()


def test_no_sales_no_survey_single_route_still_diagnoses():
    ds = _dataset(with_sales=False)
    dx = tts.diagnose(ds)
    assert dx.survey is None and "survey" in dx.skipped
    assert "routes: sales" in dx.skipped and "routes: comparison" in dx.skipped
    assert not (dx.findings["area"] == "role").any()
    acts_only = tts.load_dataset(activities=ds.activities.drop(columns="row"))
    dx = tts.diagnose(acts_only)
    assert dx.routes is None and "routes" in dx.skipped


def test_days_without_a_logged_route_take_their_customers_route():
    ds = tts.load_dataset(SAMPLE)
    a = ds.activities.drop(columns=["row", "route_id"])
    bare = tts.load_dataset(activities=a, customers=ds.customers.drop(columns="row"))
    dx = tts.diagnose(bare)
    logged = tts.diagnose(ds).time_allocation
    assert dx.time_allocation["route_id"].notna().all()
    # the sample's reps stay on their own route: the customers' route is the logged one
    assert (dx.time_allocation["route_id"] == logged["route_id"]).all()
    assert "(none)" not in set(dx.time.summarize("route")["route_id"])


def test_sales_of_repeated_and_unmatched_rows():
    ds = _dataset()
    extra = pd.DataFrame(
        {
            "rep_id": ["r1", "r2", "r1", "r1"],
            "date": ["2026-03-02", "2026-03-02", "2026-03-09", "2026-03-02"],
            "customer_id": ["A", "A", "A", "C"],
            "sales_value": [50.0, 1000.0, 1000.0, 1000.0],
        }
    )
    sales = pd.concat([ds.sales.drop(columns="row"), extra], ignore_index=True)
    ds = tts.load_dataset(
        activities=ds.activities.drop(columns="row"),
        customers=ds.customers.drop(columns="row"),
        sales=sales,
    )
    c = analyze_routes(ds, allocate_time(ds.activities)).customers.set_index("customer_id")
    # a second row of the same visit adds to it; rows of no visit (another rep, another
    # day, a customer not visited) are not sales of any visit
    assert c.loc["A", "sales_per_week"] == 250 and c.loc["B", "sales_per_week"] == 10
    assert np.isnan(c.loc["C", "sales_per_week"])


def test_categorical_ids_and_no_codes_give_the_same_figures():
    import dataclasses

    ds = tts.load_dataset(SAMPLE)
    base = analyze_routes(ds, allocate_time(ds.activities, reps=ds.reps))
    ids = {"rep_id": "category", "customer_id": "category"}
    cat = dataclasses.replace(ds, activities=ds.activities.astype(ids))
    time = allocate_time(cat.activities, reps=cat.reps)
    uncoded = dataclasses.replace(allocate_time(ds.activities, reps=ds.reps), codes=None)
    for other in (analyze_routes(cat, time), analyze_routes(ds, uncoded)):
        for table in ("by_route", "by_rep", "customers", "channels", "seasons"):
            pd.testing.assert_frame_equal(getattr(other, table), getattr(base, table))


def test_customers_without_routes_take_their_days_route():
    import dataclasses

    ds = tts.load_dataset(SAMPLE)
    bare = dataclasses.replace(ds, customers=ds.customers.drop(columns="route_id"))
    time = allocate_time(bare.activities, reps=bare.reps)
    r = analyze_routes(bare, time)
    uncoded = analyze_routes(bare, dataclasses.replace(time, codes=None))
    pd.testing.assert_frame_equal(r.customers, uncoded.customers)
    pd.testing.assert_frame_equal(r.by_route, uncoded.by_route)
    # the sample's reps keep to their route: each visited customer's is its days'
    visited = r.customers[r.customers["visits_per_week"] > 0]
    assert visited["route_id"].notna().all()
    assert set(r.by_route["route_id"]) == set(ds.customers["route_id"])


def test_a_customer_two_reps_visit_counts_for_each_rep():
    # r2 also calls on A (route R1) once, on a day with 15 minutes of travel before it: the
    # visit is r2's, on A's route, and A's cost holds both reps' visits
    acts = timeline(
        *DAYS,
        (
            "r2",
            "2026-03-04",
            [("09:00", "09:15", "travel", None), ("09:15", "09:20", "visit", "A")],
        ),
    ).drop(columns="row")
    ds = tts.load_dataset(activities=acts, customers=_dataset().customers.drop(columns="row"))
    r = analyze_routes(ds, allocate_time(ds.activities))
    by_rep = r.by_rep.set_index("rep_id")
    assert by_rep.loc["r1", "visits_per_week"] == 4 and by_rep.loc["r2", "visits_per_week"] == 1
    assert by_rep.loc["r1", "customers_visited"] == 2
    assert by_rep.loc["r2", "customers_visited"] == 1
    assert by_rep.loc["r1", "travel_min_per_visit"] == 10
    assert by_rep.loc["r2", "travel_min_per_visit"] == 15
    route = r.by_route.set_index("route_id").loc["R1"]
    assert route["visits_per_week"] == 5 and route["customers_visited"] == 2
    a = r.customers.set_index("customer_id").loc["A"]
    assert a["cost_min_per_week"] == 2 * (10 + 10) + (5 + 15)
    assert a["visits_per_week"] == 3
