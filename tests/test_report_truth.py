"""Numbers a sales manager can defend: calibrated drive, lights that count people, admin, the
capacity line, a Check that tells change from noise, and a PDCA plan a team can run.

Every expected value here is worked out by hand from data built in the test.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import tts
from tts.action_plan import action_plan
from tts.compare import compare
from tts.travel import TravelModel, haversine_m

DAY0 = pd.Timestamp("2026-03-02")  # a Monday


def _day(rep: str, date: pd.Timestamp, items: list[tuple[str, float, str | None]], start="08:00"):
    """Back-to-back activities from ``start``: (activity, minutes, customer)."""
    t = date + pd.Timedelta(start + ":00")
    rows = []
    for activity, minutes, customer in items:
        end = t + pd.Timedelta(seconds=round(minutes * 60))
        rows.append((rep, date, t, end, activity, customer))
        t = end
    return rows


def _frame(rows: list[tuple]) -> pd.DataFrame:
    f = pd.DataFrame(rows, columns=["rep_id", "date", "start", "end", "activity", "customer_id"])
    f["customer_id"] = f["customer_id"].astype("str")
    return f


def _workdays(n: int) -> list[pd.Timestamp]:
    return list(pd.bdate_range(DAY0, periods=n, freq="C", weekmask="Mon Tue Wed Thu Fri Sat"))


# -- lights that count people ------------------------------------------------------------------


def _long_and_short_days(n_reps_long: int, n_reps_short: int) -> tts.Diagnosis:
    """Reps working 10 h or 8 h days of one visit-and-travel pattern."""
    rows = []
    for i in range(n_reps_long + n_reps_short):
        hours = 10 if i < n_reps_long else 8
        for date in _workdays(3):
            # 60 visits of 8.5 min with 1.5 min of travel each = 600 min; cut to the day
            n = hours * 6
            items = []
            for k in range(n):
                items += [("travel", 1.5, None), ("visit", 8.5, f"C{k}")]
            rows += _day(f"R{i}", date, items)
    return tts.diagnose(tts.load_dataset(activities=_frame(rows)))


def test_half_the_reps_over_the_day_limit_is_red_even_when_the_team_mean_meets_it():
    # one rep at 10 h, one at 8 h: the team's mean day is 9.0 h, exactly the standard
    dx = _long_and_short_days(1, 1)
    team = dx.comparison.team().set_index("metric")
    assert team.at["day_h", "observed"] == pytest.approx(9.0)
    assert team.at["day_h", "gap"] == 0
    assert team.at["day_h", "reps_short"] == 1
    assert team.at["day_h", "rep_days_short"] == 3
    assert team.at["day_h", "light"] == "red"  # 1 of 2 reps = half the team
    f = dx.findings.set_index("metric").loc["day_h"]
    # the finding shows the rep who misses, never a gap of 0
    assert f["observed"] == pytest.approx(10.0)
    assert f["gap"] == pytest.approx(1.0)
    assert f["severity"] == "high"


def test_one_rep_of_four_over_the_limit_is_amber():
    dx = _long_and_short_days(1, 3)
    team = dx.comparison.team().set_index("metric")
    assert team.at["day_h", "observed"] == pytest.approx((10 + 3 * 8) / 4)
    assert team.at["day_h", "reps_short"] == 1
    assert team.at["day_h", "light"] == "amber"  # 25 % of reps: any rep → amber


def test_the_team_light_shares_come_from_the_method():
    rows = []
    for i in range(4):
        hours = 10 if i == 0 else 8
        for date in _workdays(2):
            items = [("travel", 1.5, None), ("visit", 8.5, "C1")] * (hours * 6)
            rows += _day(f"R{i}", date, items)
    ds = tts.load_dataset(activities=_frame(rows))
    strict = tts.Method(team_red_rep_share=0.25)
    team = tts.diagnose(ds, method=strict).comparison.team().set_index("metric")
    assert team.at["day_h", "light"] == "red"


def test_a_meeting_the_data_does_not_record_is_not_measured_not_green():
    dx = _long_and_short_days(1, 1)  # nobody logged a meeting or admin
    team = dx.comparison.team().set_index("metric")
    assert team.at["meeting_min", "light"] == "not_measured"
    assert np.isnan(team.at["meeting_min", "observed"])
    assert team.at["admin_min", "light"] == "not_measured"
    assert "meeting_min" not in set(dx.findings["metric"])


# -- admin --------------------------------------------------------------------------------------


def _compliant_items(admin_min: float) -> list[tuple[str, float, str | None]]:
    """A day within every standard, but for ``admin_min`` of admin.

    meeting 10 + admin + 40 × (1.5 travel + 8.5 visit) + lunch 50: with 20 min of admin a
    480-min day, customer 340 min (70.8 %), travel 60 min (12.5 %), 8.5 min a visit.
    """
    items = [("morning_meeting", 10, None), ("admin", admin_min, None)]
    for k in range(40):
        items += [("travel", 1.5, None), ("visit", 8.5, f"C{k}")]
    return items + [("lunch", 50, None)]


@pytest.fixture(scope="module")
def admin_dx():
    rows = []
    for date in _workdays(4):
        rows += _day("HEAVY", date, _compliant_items(90))
        rows += _day("FINE", date, _compliant_items(20))
    return tts.diagnose(tts.load_dataset(activities=_frame(rows)))


def test_an_admin_heavy_rep_gets_an_admin_finding(admin_dx):
    f = admin_dx.findings.set_index("metric").loc["admin_min"]
    assert f["reps_affected"] == 1
    assert f["rep_days_affected"] == 4
    assert "HEAVY" in f["evidence"] and "FINE" not in f["evidence"]
    # 90 min against a standard of 30: 60 min a day recoverable
    assert f["recoverable_min_per_day"] == pytest.approx(60.0)
    assert f["standard"] == "≤ 30.0 min"


def test_a_rep_within_every_standard_gets_no_finding(admin_dx):
    reps = admin_dx.comparison.table
    fine = reps[(reps["level"] == "rep") & (reps["rep_id"] == "FINE")]
    assert (fine["light"] == "green").all(), fine[["metric", "observed", "light"]]
    # (the audit does flag FINE's days as copies of each other: they are, by construction)
    efficiency = admin_dx.findings[admin_dx.findings["area"] == "efficiency"]
    assert not efficiency["evidence"].str.contains("FINE").any()


def test_the_admin_standard_is_a_setting():
    assert tts.Standards().admin_max_min == 30.0
    assert tts.Standards(admin_max_min=100).admin_max_min == 100.0
    with pytest.raises(tts.InputError, match="admin_max_min"):
        tts.Standards(admin_max_min=-1)


# -- the capacity line --------------------------------------------------------------------------


def test_capacity_line_per_rep_and_team(admin_dx):
    line = admin_dx.capacity.line
    assert set(line["level"]) == {"rep", "team"}
    # 540 min day - 15 min meeting - 30 min admin standards = 495 min; 9 min visits;
    # travel a visit 60 min / 40 visits = 1.5 min for both reps
    team = line[line["level"] == "team"].iloc[0]
    assert team["available_min"] == pytest.approx(495.0)
    assert team["travel_per_visit_min"] == pytest.approx(1.5)
    assert team["visits_fit"] == pytest.approx(495 / 10.5)
    saving = admin_dx.capacity.travel_saving
    assert team["visits_fit_optimised"] == pytest.approx(495 / (9 + 1.5 * (1 - saving)))
    assert team["visits_max"] == 45
    assert team["visits_observed"] == pytest.approx(40.0)


def test_admin_cut_scenario_frees_the_admin_over_the_standard(admin_dx):
    cap = admin_dx.capacity.table
    heavy = cap[(cap["rep_id"] == "HEAVY")].set_index("scenario")
    # HEAVY: a 550-min day; meeting 10, admin 90, lunch 50; travel 1.5 and visit 8.5 a visit.
    # On a 540-min standard day with admin cut to 30: (540 - 10 - 30 - 50) / 10 = 45 visits
    assert heavy.at["admin_cut", "visits"] == pytest.approx(45.0)
    assert heavy.at["admin_cut", "admin_min"] == pytest.approx(30.0)
    assert heavy.at["observed", "admin_min"] == pytest.approx(90.0)


# -- the Check ----------------------------------------------------------------------------------


def _meeting_wave(meetings: dict[str, list[float]]) -> tts.Diagnosis:
    rows = []
    for rep, minutes in meetings.items():
        for date, m in zip(_workdays(len(minutes)), minutes, strict=True):
            items = [("morning_meeting", m, None)]
            for k in range(30):
                items += [("travel", 3, None), ("visit", 9, f"C{k}")]
            rows += _day(rep, date, items)
    return tts.diagnose(tts.load_dataset(activities=_frame(rows)))


def test_a_meeting_cut_from_40_to_15_for_one_of_two_reps_is_improved():
    before = _meeting_wave({"A": [38, 40, 42, 40, 39, 41], "B": [35] * 6})
    after = _meeting_wave({"A": [14, 15, 16, 15, 15, 15], "B": [35] * 6})
    check = compare(before, after)
    m = check.metrics.set_index("metric").loc["meeting_min"]
    # team mean over the paired reps: (40 + 35) / 2 = 37.5 before, (15 + 35) / 2 = 25 after
    assert m["before"] == pytest.approx(37.5)
    assert m["after"] == pytest.approx(25.0)
    assert m["change"] == pytest.approx(-12.5)
    assert m["ci_high"] < 0
    assert m["status"] == "improved"  # B still misses it, so not "met"
    row = check.table.set_index("metric").loc["meeting_min"]
    assert row["status"] == "improved"


def test_a_meeting_every_rep_brings_within_the_standard_is_met():
    before = _meeting_wave({"A": [40] * 4, "B": [35] * 4})
    after = _meeting_wave({"A": [15] * 4, "B": [12] * 4})
    m = compare(before, after).metrics.set_index("metric").loc["meeting_min"]
    assert m["status"] == "met"


def test_a_change_smaller_than_the_minimum_is_no_change():
    # every day 40 → 39.5 min: the interval excludes zero, but 0.5 min < 5 % of 15 min
    before = _meeting_wave({"A": [40] * 4, "B": [40] * 4})
    after = _meeting_wave({"A": [39.5] * 4, "B": [39.5] * 4})
    m = compare(before, after).metrics.set_index("metric").loc["meeting_min"]
    assert m["ci_high"] < 0
    assert m["status"] == "unchanged"


def test_the_same_habits_on_other_days_give_no_improved_and_no_worse(tmp_path):
    from tts.sample import write_sample

    write_sample(tmp_path / "a")
    write_sample(tmp_path / "b", seed=7)
    first = tts.diagnose(tts.load_dataset(tmp_path / "a"))
    second = tts.diagnose(tts.load_dataset(tmp_path / "b"))
    check = compare(first, second)
    assert not set(check.metrics["status"]) & {"improved", "worse"}
    assert not set(check.table["status"]) & {"improved", "worse"}
    again = compare(first, second)  # seeded: the same intervals every run
    pd.testing.assert_frame_equal(check.metrics, again.metrics)


# -- the PDCA plan ------------------------------------------------------------------------------


def test_every_action_has_baseline_target_owner_check_measure_and_check_date(admin_dx):
    plan = action_plan(admin_dx)
    for column in ("baseline", "target_value", "owner_role", "check_measure", "check_date"):
        assert (plan[column].astype(str).str.len() > 0).all(), column
    admin = plan[plan["problem"] == "Admin time a day"].iloc[0]
    assert admin["baseline"] == "55.0 min"  # the team's mean: (90 + 20) / 2
    assert admin["target_value"] == "≤ 30.0 min"
    deadline = pd.Timestamp(admin["deadline"])
    assert pd.Timestamp(admin["check_date"]) - deadline == pd.Timedelta(days=28)
    assert "tts " not in " ".join(plan["action"])


def test_findings_sharing_a_root_cause_make_one_action(admin_dx):
    f = admin_dx.findings
    travel = f.iloc[[0]].assign(
        finding_id="F98", metric="travel_share", unit="share", observed=0.25
    )
    visits = f.iloc[[0]].assign(finding_id="F99", metric="visits", unit="visits", observed=50.0)
    dx = dataclasses.replace(admin_dx, findings=pd.concat([f, travel, visits], ignore_index=True))
    plan = action_plan(dx)
    assert len(plan) == len(f) + 1  # the route plan's two findings are one action
    merged = plan[plan["finding_id"] == "F98, F99"].iloc[0]
    # (the team itself is within both standards here, so each baseline says it is the worst rep's)
    assert merged["baseline"].startswith("25% (worst rep")
    assert "; 50.0 visits" in merged["baseline"]
    assert merged["target_value"] == "≤ 20%; ≤ 45.0"


# -- drive minutes calibrated on the logged travel ----------------------------------------------


@pytest.fixture(scope="module")
def slow_city():
    """Two reps whose logged drives take 1.7 × what the default city model predicts."""
    rng = np.random.default_rng(5)
    model = TravelModel()
    homes = {"R1": (34.75, 113.65), "R2": (34.80, 113.70)}
    customers, rows = [], []
    for rep, (hlat, hlon) in homes.items():
        pts = np.c_[hlat + rng.uniform(-0.03, 0.03, 24), hlon + rng.uniform(-0.03, 0.03, 24)]
        ids = [f"{rep}C{k}" for k in range(24)]
        customers += [
            (c, c, la, lo, "convenience", rep) for c, (la, lo) in zip(ids, pts, strict=True)
        ]
        for date in _workdays(3):
            day = rng.permutation(24)[:8]
            path = [(hlat, hlon), *[tuple(pts[k]) for k in day], (hlat, hlon)]
            items = []
            for j in range(len(path) - 1):
                metres = haversine_m(*path[j], *path[j + 1])
                items.append(
                    ("travel", float(np.rint(model.minutes(metres) * 60 * 1.7)) / 60, None)
                )
                if j < len(day):
                    items.append(("visit", 9, ids[day[j]]))
            rows += _day(rep, date, items)
    cust = pd.DataFrame(
        customers, columns=["customer_id", "name", "lat", "lon", "channel", "route_id"]
    )
    reps = pd.DataFrame(
        {
            "rep_id": list(homes),
            "name": list(homes),
            "home_lat": [h[0] for h in homes.values()],
            "home_lon": [h[1] for h in homes.values()],
        }
    )
    return tts.load_dataset(activities=_frame(rows), customers=cust, reps=reps)


def test_the_logged_order_drive_matches_the_logged_travel(slow_city):
    plan = tts.optimize_routes(slow_city, workers=1, time_limit_s=2)
    cal = plan.calibration
    assert cal is not None
    # 2 reps × 3 days × 9 hops, every one logged and pure: the factor is 1.7 up to the
    # whole-second rounding of each hop
    assert cal.hops == 54
    assert cal.team_factor == pytest.approx(1.7, rel=0.01)
    assert set(cal.reps["level"]) == {"rep"}
    logged = slow_city.activities.assign(
        minutes=(slow_city.activities["end"] - slow_city.activities["start"]).dt.total_seconds()
        / 60
    )
    logged = logged[logged["activity"] == "travel"].groupby("rep_id")["minutes"].sum()
    before = plan.days.groupby("rep_id")["travel_before_min"].sum()
    assert ((before / logged.reindex(before.index)) - 1).abs().max() < 0.05
    # and the saving is stated in those minutes
    assert (
        plan.days["saving_min"] == plan.days["travel_before_min"] - plan.days["travel_after_min"]
    ).all()


def test_without_calibration_the_model_minutes_are_kept(slow_city):
    plan = tts.optimize_routes(
        slow_city, workers=1, time_limit_s=2, method=tts.Method(calibrate=False)
    )
    assert plan.calibration is None
    logged = 1.7 * plan.days["travel_before_min"].sum()
    calibrated = tts.optimize_routes(slow_city, workers=1, time_limit_s=2)
    assert calibrated.days["travel_before_min"].sum() == pytest.approx(logged, rel=0.02)
