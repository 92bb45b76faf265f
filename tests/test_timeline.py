"""Check-in/check-out logs turned into the activity timeline."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import tts
from tts.timeline import derive_activities

from .conftest import write


def _minutes(a: pd.DataFrame) -> pd.Series:
    return (
        (a["end"] - a["start"])
        .dt.total_seconds()
        .div(60)
        .groupby(a["activity"], observed=True)
        .sum()
    )


def test_visits_and_shifts_from_files(tmp_path):
    write(
        tmp_path / "visits.csv",
        "rep_id,customer_id,check_in,check_out,sales_value\n"
        "R1,C1,2026-03-02 09:00,2026-03-02 09:10,120\n"
        "R1,C2,2026-03-02 09:20,2026-03-02 09:28,80\n",
    )
    write(
        tmp_path / "shifts.csv",
        "rep_id,date,day_start,day_end,meeting_min,admin_min\nR1,2026-03-02,08:00,10:00,30,15\n",
    )
    write(
        tmp_path / "customers.csv",
        "customer_id,name,lat,lon,channel,route_id\n"
        "C1,a,34.7500,113.6500,KA,R1\nC2,b,34.7590,113.6500,BC,R1\n",
    )  # 1.0 km apart
    ds = tts.load_dataset(tmp_path)
    a = ds.activities
    # 08:00 meeting 30 min; 08:30-09:00 commute (no home: 30 min plausible); visits;
    # C1 -> C2: 1.0 km * 1.3 / 20 km/h = 3.9 min, x1.5 + 5 = 10.85 min > the 10-min gap;
    # 09:28-09:45 back (17 min, within 30); admin 09:45-10:00.
    assert a["activity"].astype(str).tolist() == [
        "morning_meeting",
        "travel",
        "visit",
        "travel",
        "visit",
        "travel",
        "admin",
    ]
    assert a["start"].dt.strftime("%H:%M").tolist() == [
        "08:00",
        "08:30",
        "09:00",
        "09:10",
        "09:20",
        "09:28",
        "09:45",
    ]
    assert a["source"].astype(str).tolist() == [
        "shifts",
        "derived",
        "visits",
        "derived",
        "visits",
        "derived",
        "shifts",
    ]
    assert a.loc[a["source"] == "visits", "row"].tolist() == [2, 3]
    assert ds.sales["sales_value"].tolist() == [120.0, 80.0]
    total = (a["end"] - a["start"]).sum()
    assert total == pd.Timedelta(hours=2)  # the whole shift, nothing more, nothing less


def test_gap_beyond_plausible_travel_is_unexplained():
    v = pd.DataFrame(
        {
            "rep_id": ["R1", "R1"],
            "customer_id": ["C1", "C2"],
            "check_in": pd.to_datetime(["2026-03-02 09:00", "2026-03-02 11:00"]),
            "check_out": pd.to_datetime(["2026-03-02 09:10", "2026-03-02 11:05"]),
            "row": [2, 3],
        }
    )
    c = pd.DataFrame({"customer_id": ["C1", "C2"], "lat": [34.75, 34.759], "lon": [113.65] * 2})
    a = derive_activities(v, customers=c)
    m = _minutes(a)
    plausible = 1.5 * (1000.754 * 1.3 / (20_000 / 60)) + 5  # metres -> minutes, + overhead
    assert abs(m["travel"] - plausible) < 0.02
    assert abs(m["travel"] + m["unexplained"] - 110) < 1e-9


def test_overlapping_visits_are_kept_as_logged():
    v = pd.DataFrame(
        {
            "rep_id": ["R1", "R1"],
            "customer_id": ["C1", "C2"],
            "check_in": pd.to_datetime(["2026-03-02 09:00", "2026-03-02 09:05"]),
            "check_out": pd.to_datetime(["2026-03-02 09:10", "2026-03-02 09:15"]),
            "row": [2, 3],
        }
    )
    a = derive_activities(v)
    assert a["activity"].astype(str).tolist() == ["visit", "visit"]


def test_meeting_is_cut_where_the_first_visit_starts():
    v = pd.DataFrame(
        {
            "rep_id": ["R1"],
            "customer_id": ["C1"],
            "check_in": pd.to_datetime(["2026-03-02 08:20"]),
            "check_out": pd.to_datetime(["2026-03-02 08:30"]),
            "row": [2],
        }
    )
    s = pd.DataFrame(
        {
            "rep_id": ["R1"],
            "date": pd.to_datetime(["2026-03-02"]),
            "day_start": pd.to_datetime(["2026-03-02 08:00"]),
            "day_end": pd.to_datetime(["2026-03-02 08:30"]),
            "meeting_min": [40.0],
            "row": [2],
        }
    )
    m = _minutes(derive_activities(v, s))
    assert m.to_dict() == {"visit": 10.0, "morning_meeting": 20.0}


@settings(max_examples=50, deadline=None)
@given(
    starts=st.lists(st.integers(0, 600), min_size=1, max_size=30),
    lengths=st.lists(st.integers(0, 30), min_size=30, max_size=30),
    shift=st.tuples(st.integers(0, 120), st.integers(0, 60), st.integers(0, 60)),
)
def test_timeline_covers_exactly_the_day(starts, lengths, shift):
    """Without overlapping visits, the derived activities tile the day: no gap, no double count."""
    t0 = pd.Timestamp("2026-03-02 07:00")
    begins = np.sort(np.array(starts)) + 60
    ends = begins + np.array(lengths[: len(begins)])
    ends = np.minimum(ends, np.append(begins[1:], ends[-1]))  # no overlap
    v = pd.DataFrame(
        {
            "rep_id": "R1",
            "customer_id": [f"C{i}" for i in range(len(begins))],
            "check_in": t0 + pd.to_timedelta(begins, unit="min"),
            "check_out": t0 + pd.to_timedelta(ends, unit="min"),
            "row": np.arange(2, len(begins) + 2),
        }
    )
    day_start = t0 + pd.Timedelta(minutes=shift[0])
    day_end = t0 + pd.Timedelta(minutes=700)
    s = pd.DataFrame(
        {
            "rep_id": ["R1"],
            "date": [t0.normalize()],
            "day_start": [day_start],
            "day_end": [day_end],
            "meeting_min": [float(shift[1])],
            "admin_min": [float(shift[2])],
            "row": [2],
        }
    )
    before = v.copy()
    a = derive_activities(v, s)
    pd.testing.assert_frame_equal(v, before)
    a = a[a["end"] > a["start"]].sort_values("start")
    expected_start = min(day_start, v["check_in"].min())
    assert a["start"].iloc[0] == expected_start
    assert a["end"].iloc[-1] == max(day_end, v["check_out"].max())
    assert (a["start"].iloc[1:].to_numpy() == a["end"].iloc[:-1].to_numpy()).all()
    assert len(a[a["activity"] == "visit"]) + (v["check_out"] == v["check_in"]).sum() == len(v)


def test_a_check_in_log_gets_the_assumed_lunch_break_not_unexplained_time():
    # gaps 09:10-11:50 and 12:00-13:30; the second overlaps 11:00-14:00 most (60 min against
    # 50), so after its 30 min of plausible travel (no coordinates: 30 min) the next 30 min
    # are lunch, and the 30 min left unexplained
    v = pd.DataFrame(
        {
            "rep_id": ["r1"] * 3,
            "customer_id": ["c1", "c2", "c3"],
            "check_in": pd.to_datetime(
                ["2026-03-02 09:00", "2026-03-02 11:50", "2026-03-02 13:30"]
            ),
            "check_out": pd.to_datetime(
                ["2026-03-02 09:10", "2026-03-02 12:00", "2026-03-02 13:40"]
            ),
            "row": [2, 3, 4],
        }
    )
    a = derive_activities(v)
    lunch = a[a["activity"] == "lunch"]
    assert len(lunch) == 1
    assert str(lunch["start"].iloc[0]) == "2026-03-02 12:30:00"
    assert str(lunch["end"].iloc[0]) == "2026-03-02 13:00:00"
    unexplained = a[a["activity"] == "unexplained"]
    minutes = (unexplained["end"] - unexplained["start"]).dt.total_seconds().sum() / 60
    assert minutes == (11 * 60 + 50 - (9 * 60 + 40)) + 30  # 09:40-11:50 and 13:00-13:30
    # the assumed break is a setting: 0 turns it off
    none = derive_activities(v, method=tts.Method(lunch_min=0))
    assert "lunch" not in set(none["activity"])
