"""The data audit catches each planted anomaly, and nothing on clean data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tts
from tts.audit import (
    audit,
    flag_copied_days,
    flag_impossible_speed,
    flag_overlaps,
    flag_round_heaping,
    missing_days,
)
from tts.time_use import allocate_time

from .conftest import SAMPLE, timeline


@pytest.fixture(scope="module")
def sample():
    return tts.load_dataset(SAMPLE)


def _run(acts, customers):
    return audit(acts, allocate_time(acts), customers)


def test_clean_sample_raises_nothing(sample):
    result = _run(sample.activities, sample.customers)
    assert result.flags.empty
    assert (result.trust["trust_score"] == 100).all()
    dx = tts.diagnose(sample)
    # the one thing it finds is the sample track's planted check-in-then-leave
    assert dx.findings.loc[dx.findings["area"] == "audit", "metric"].tolist() == [
        "checkin_not_at_store"
    ]
    f = dx.audit.flags
    assert f[["rep_id", "date"]].astype(str).values.tolist() == [["REP05", "2026-03-03"]]


def _one_day(sample, rep="REP02", date="2026-03-03"):
    a = sample.activities
    return a[(a["rep_id"] == rep) & (a["date"] == pd.Timestamp(date))]


def test_overlapping_interval(sample):
    a = sample.activities.copy()
    day = _one_day(sample)
    i = day.index[5]  # starts a minute before the previous activity ends
    a.loc[i, "start"] = a.loc[day.index[4], "end"] - pd.Timedelta(minutes=1)
    f = _run(a, sample.customers).flags
    hit = f[f["check"] == "overlapping_intervals"]
    assert hit["rows"].tolist() == [str(a.loc[i, "row"])]
    assert hit["rep_id"].tolist() == ["REP02"]


def test_zero_and_eight_hour_visits(sample):
    a = sample.activities.copy()
    stops = allocate_time(_one_day(sample)).stops
    lone = stops.loc[stops["rows"] == 1, "first_row"].iloc[0]  # a visit with nothing else
    i = a.index[a["row"] == lone][0]
    a.loc[i, "end"] = a.loc[i, "start"]
    long_day = timeline(
        (
            "REPX",
            "2026-03-03",
            [("08:00", "08:15", "morning_meeting", None), ("08:15", "16:15", "visit", "C1001")],
        )
    )
    long_day["row"] = 99_999
    a = pd.concat([a, long_day], ignore_index=True)
    f = _run(a, sample.customers).flags
    assert f.loc[f["check"] == "zero_minute_visits", "rows"].tolist() == [str(lone)]
    long = f[f["check"] == "implausibly_long_visits"]
    assert long["rep_id"].tolist() == ["REPX"] and long["value"].tolist() == [480.0]


def test_impossible_speed(sample):
    customers = sample.customers.copy()
    customers.loc[customers["customer_id"] == "C1005", "lat"] += 0.2  # 22 km north
    result = _run(sample.activities, customers)
    f = result.flags[result.flags["check"] == "impossible_speed"]
    assert len(f) > 0
    stops = allocate_time(sample.activities).stops
    flagged = stops[flag_impossible_speed(stops, customers)]
    nxt = stops.shift(-1)[flag_impossible_speed(stops, customers).shift(-1, fill_value=False)]
    assert set(flagged["customer_id"]) | set(nxt["customer_id"]) >= {"C1005"}
    assert (
        flagged["customer_id"].eq("C1005")
        | stops.shift()[flag_impossible_speed(stops, customers)]["customer_id"].eq("C1005")
    ).all()


def test_copied_day(sample):
    day = _one_day(sample, "REP03", "2026-03-05")
    copy = day.assign(
        date=pd.Timestamp("2026-03-12"),
        start=day["start"] + pd.Timedelta(days=7),
        end=day["end"] + pd.Timedelta(days=7),
        row=day["row"] + 100_000,
    )
    a = sample.activities
    a = pd.concat(
        [a[~((a["rep_id"] == "REP03") & (a["date"] == pd.Timestamp("2026-03-12")))], copy],
        ignore_index=True,
    )
    mask = flag_copied_days(a)
    assert set(a.loc[mask, "row"]) == set(copy["row"])
    result = _run(a, sample.customers)
    f = result.flags[result.flags["check"] == "copied_days"]
    assert f[["rep_id"]].values.tolist() == [["REP03"]]
    assert str(f["date"].iloc[0].date()) == "2026-03-12"
    trust = result.trust.set_index("rep_id")["trust_score"]
    assert trust["REP03"] < 100 and trust.drop("REP03").eq(100).all()


def test_round_number_heaping():
    items = []
    t = pd.Timestamp("2026-03-02 08:00")
    for i in range(30):
        step = 10 if i % 2 else 5
        items.append(
            (
                t.strftime("%H:%M"),
                (t + pd.Timedelta(minutes=step)).strftime("%H:%M"),
                "visit" if i % 2 else "travel",
                f"c{i}" if i % 2 else None,
            )
        )
        t += pd.Timedelta(minutes=step)
    acts = timeline(("estimator", "2026-03-02", items))
    assert flag_round_heaping(acts).all()
    f = _run(acts, None).flags
    assert f.loc[f["check"] == "round_number_heaping", "rep_id"].tolist() == ["estimator"]


def test_short_day_unaccounted_time_and_missing_day(sample):
    a = sample.activities
    lunch = a[(a["rep_id"] == "REP01") & (a["activity"] == "lunch")].index[0]
    short = (a["rep_id"] == "REP04") & (a["date"] == pd.Timestamp("2026-03-06"))
    keep = a[short].iloc[:3].index
    missing = (a["rep_id"] == "REP02") & (a["date"] == pd.Timestamp("2026-03-04"))
    a = a.drop(index=[lunch, *a[short].index.difference(keep), *a[missing].index])
    f = _run(a, sample.customers).flags
    by = {c: g for c, g in f.groupby("check")}
    assert set(by) == {"short_days", "unaccounted_time", "missing_days"}
    assert by["short_days"][["rep_id"]].values.tolist() == [["REP04"]]
    assert by["unaccounted_time"]["rep_id"].tolist() == ["REP01"]
    assert by["unaccounted_time"]["value"].iloc[0] >= 45
    assert by["missing_days"][["rep_id"]].values.tolist() == [["REP02"]]
    assert str(by["missing_days"]["date"].iloc[0].date()) == "2026-03-04"


def test_overlap_mask_keeps_the_input_index():
    acts = timeline(
        (
            "r1",
            "2026-03-02",
            [("08:00", "09:00", "admin", None), ("08:30", "08:45", "travel", None)],
        )
    )
    acts.index = [10, 5]
    assert flag_overlaps(acts).to_dict() == {10: False, 5: True}


def test_missing_days_weekmask():
    per_day = pd.DataFrame(
        {
            "rep_id": ["a", "a", "b"],
            "date": pd.to_datetime(["2026-03-02", "2026-03-04", "2026-03-03"]),
        }
    )
    out = missing_days(per_day, weekmask="Mon Tue Wed")
    assert out.astype(str).values.tolist() == [
        ["a", "2026-03-03"],
        ["b", "2026-03-02"],
        ["b", "2026-03-04"],
    ]


def test_audit_findings_carry_their_evidence(sample):
    a = sample.activities.copy()
    day = _one_day(sample)
    a.loc[day.index[5], "start"] = a.loc[day.index[4], "start"]
    ds = tts.load_dataset(
        activities=a.drop(columns="row"), customers=sample.customers.drop(columns="row")
    )
    dx = tts.diagnose(ds)
    f = dx.findings.set_index("metric")
    assert f.loc["overlapping_intervals", "area"] == "audit"
    assert f.loc["overlapping_intervals", "severity"] == "high"
    assert "REP02 2026-03-03 rows" in f.loc["overlapping_intervals", "evidence"]
    assert np.isnan(f.loc["overlapping_intervals", "recoverable_min_per_day"])


def _trust_day(shift: int) -> list[tuple]:
    """A day with one overlap (the visit to X starts 5 min before the travel ends) and one
    impossible move (X to Y, 50 km, in 5 min), every time ``shift`` minutes later."""
    t0 = pd.Timestamp("2026-03-02 08:00") + pd.Timedelta(minutes=shift)

    def at(m: int) -> str:
        return (t0 + pd.Timedelta(minutes=m)).strftime("%H:%M")

    return [
        (at(0), at(30), "travel", None),
        (at(25), at(35), "visit", "X"),
        (at(35), at(40), "travel", None),
        (at(40), at(50), "visit", "Y"),
        (at(50), at(170), "travel", None),
        (at(170), at(180), "visit", "Z"),
        (at(180), at(190), "travel", None),
        (at(190), at(200), "visit", "W"),
        (at(200), at(300), "admin", None),
    ]


def test_trust_score_by_hand():
    # Mon and Tue identical (Tue is a copy), Wed and Thu shifted by 1 and 2 minutes.
    acts = timeline(
        ("r", "2026-03-02", _trust_day(0)),
        ("r", "2026-03-03", _trust_day(0)),
        ("r", "2026-03-04", _trust_day(1)),
        ("r", "2026-03-05", _trust_day(2)),
    )
    customers = pd.DataFrame(
        {"customer_id": list("XYZW"), "lat": [34.75, 35.20, 34.751, 34.752], "lon": 113.65}
    )
    method = tts.Method(heaping_min_rows=1000)  # durations are round: heaping judged apart
    result = audit(acts, allocate_time(acts), customers, method=method)
    counts = result.flags.groupby("check").size().to_dict()
    assert counts == {"overlapping_intervals": 4, "impossible_speed": 4, "copied_days": 1}
    # 36 rows, 16 visits, 4 days; weights: overlaps 2, impossible speed 2, copied days 3
    expected = 100 * (1 - 2 * 4 / 36) * (1 - 2 * 4 / 16) * (1 - 3 * 1 / 4)
    assert result.trust.loc[0, "trust_score"] == pytest.approx(round(expected, 1))


def test_missing_saturday_in_a_six_day_week():
    # logged Friday and Monday: Saturday is a working day of the default week, Sunday is not
    acts = timeline(
        ("r", "2026-03-06", [("08:00", "13:00", "admin", None)]),
        ("r", "2026-03-09", [("08:00", "13:00", "admin", None)]),
    )
    flags = audit(acts, allocate_time(acts)).flags
    missing = flags[flags["check"] == "missing_days"]
    assert missing["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-07"]
    five = tts.Method(weekdays=("Mon", "Tue", "Wed", "Thu", "Fri"))
    assert audit(acts, allocate_time(acts), method=five).flags.empty


def test_a_rep_with_one_flag_among_thousands_of_visits_never_scores_100():
    # 30 days of 100 four-minute visits (3,000 visits), one of them half a minute long: the
    # score 100 × (1 − 1/3000) = 99.967 would round to 100.0, a clean score for flagged data
    days = pd.date_range("2026-03-02", periods=36, freq="D")
    days = days[days.day_of_week < 6][:30]  # the working week: no missing day
    n = 100
    rows = []
    for rep, short in (("r", True), ("s", False)):
        for k, day in enumerate(days):
            # back to back (no unaccounted gap), four minutes (not a round five), the stores
            # in another order each day (no copied day)
            start = day + pd.Timedelta(hours=8) + pd.to_timedelta(np.arange(n) * 4, unit="min")
            length = np.full(n, 4.0)
            if short and k == 0:
                length[0] = 0.5
            rows.append(
                pd.DataFrame(
                    {
                        "rep_id": rep,
                        "date": day,
                        "start": start,
                        "end": start + pd.to_timedelta(length, unit="min"),
                        "activity": "visit",
                        "customer_id": [f"c{(i + k) % n}" for i in range(n)],
                    }
                )
            )
    acts = pd.concat(rows, ignore_index=True)
    result = audit(acts, allocate_time(acts))
    assert result.flags.groupby(["rep_id", "check"]).size().to_dict() == {
        ("r", "zero_minute_visits"): 1
    }
    trust = result.trust.set_index("rep_id")["trust_score"]
    assert trust["r"] == 99.9  # below 100, as close to it as one decimal allows
    assert trust["s"] == 100.0
