from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tts.schema import ACTIVITY_CODES
from tts.time_use import allocate_time, summarize_time

from .conftest import timeline

DAY = [
    ("07:50", "08:30", "morning_meeting", None),  # 40
    ("08:30", "08:55", "travel", None),  # 25
    ("08:55", "09:00", "visit", "c1"),  # 5  } one stop of 8
    ("09:00", "09:03", "order_entry", "c1"),  # 3  }
    ("09:03", "09:10", "travel", None),  # 7
    ("09:10", "09:14", "visit", "c2"),  # 4
    ("09:20", "09:30", "travel", None),  # 10 (09:14-09:20 unaccounted: 6)
    ("09:25", "09:35", "visit", "c1"),  # 10, of which 5 overlap the travel
    ("09:35", "10:00", "travel", None),  # 25
    ("10:00", "10:30", "admin", None),  # 30
]


def test_hand_computed_day():
    t = allocate_time(timeline(("r1", "2026-03-02", DAY)))
    d = t.per_day.iloc[0]
    assert d["total_min"] == 160.0  # 07:50 -> 10:30
    assert d["customer_min"] == 5 + 3 + 4 + 5  # overlap goes to the travel
    assert d["unaccounted_min"] == 6.0
    assert d["overlap_min"] == 5.0
    assert d["non_customer_min"] == 40 + 25 + 7 + 10 + 25 + 30 + 6
    assert d["customer_min"] + d["non_customer_min"] == d["total_min"]
    assert d["meeting_min"] == 40.0 and d["travel_min"] == 67.0 and d["admin_min"] == 30.0
    assert d["visits"] == 3  # c1, c2, c1 again
    assert d["avg_visit_min"] == pytest.approx(17 / 3)
    assert d["median_visit_min"] == 5.0
    assert d["customer_share"] == pytest.approx(17 / 160)
    assert d["travel_share"] == pytest.approx(67 / 160)
    assert d["first_commute_min"] == 25.0 and d["last_commute_min"] == 25.0
    assert t.stops["visit_min"].tolist() == [8.0, 4.0, 5.0]
    assert t.stops["customer_id"].tolist() == ["c1", "c2", "c1"]
    assert t.stops["seq"].tolist() == [1, 2, 3]
    assert t.stops["first_row"].tolist() == [4, 7, 9]  # rows in the input file
    assert t.stops["rows"].tolist() == [2, 1, 1]


def test_midnight_crossing_and_several_reps():
    acts = timeline(
        (
            "r2",
            "2026-03-02",
            [("22:00", "23:30", "visit", "c9"), ("23:30", "00:30", "travel", None)],
        ),
        ("r1", "2026-03-03", [("08:00", "08:10", "visit", "c1")]),
        ("r1", "2026-03-02", [("08:00", "08:15", "morning_meeting", None)]),
    )
    d = allocate_time(acts).per_day
    assert d[["rep_id", "date"]].astype(str).values.tolist() == [
        ["r1", "2026-03-02"],
        ["r1", "2026-03-03"],
        ["r2", "2026-03-02"],
    ]
    assert d["total_min"].tolist() == [15.0, 10.0, 150.0]
    assert d["visits"].tolist() == [0, 1, 1]
    assert np.isnan(d["avg_visit_min"].iloc[0]) and np.isnan(d["first_commute_min"].iloc[0])


def test_region_route_and_rollups():
    acts = timeline(
        ("r1", "2026-03-02", DAY),
        ("r1", "2026-03-03", DAY),
        (
            "r2",
            "2026-03-02",
            [("08:00", "08:20", "visit", "c5"), ("08:20", "09:00", "travel", None)],
        ),
    )
    acts["route_id"] = np.where(acts["rep_id"] == "r1", "R1", "R2")
    reps = pd.DataFrame({"rep_id": ["r1", "r2"], "region": ["North", "North"]})
    t = allocate_time(acts, reps=reps)
    assert t.per_day["route_id"].tolist() == ["R1", "R1", "R2"]
    rep = summarize_time(t, by="rep").set_index("rep_id")
    assert rep.loc["r1", "days"] == 2 and rep.loc["r1", "total_min"] == 160.0
    assert rep.loc["r2", "customer_share"] == pytest.approx(20 / 60)
    team = summarize_time(t, by="team").iloc[0]
    assert team["customer_share"] == pytest.approx((17 * 2 + 20) / (160 * 2 + 60))
    assert team["avg_visit_min"] == pytest.approx((17 * 2 + 20) / 7)
    assert team["median_visit_min"] == 5.0
    region = summarize_time(t, by="region")
    assert region["region"].tolist() == ["North"] and region["reps"].tolist() == [2]
    route = summarize_time(t, by="route").set_index("route_id")
    assert route.loc["R2", "visits"] == 1
    with pytest.raises(ValueError, match="'by' parameter of summarize_time must be one of"):
        summarize_time(t, by="week")


def test_result_renders():
    t = allocate_time(timeline(("r1", "2026-03-02", DAY)))
    assert "customer share 10.6%" in repr(t)
    assert "Time allocation" in t._repr_html_() and "<table" in t._repr_html_()
    assert t.to_frame().equals(t.per_day)


_item = st.tuples(
    st.integers(0, 20 * 60),  # start, minutes after 00:00
    st.integers(0, 240),  # duration, minutes
    st.sampled_from(ACTIVITY_CODES),
    st.sampled_from(["c1", "c2", "c3"]),
)


@settings(max_examples=80, deadline=None)
@given(
    days=st.lists(
        st.tuples(
            st.sampled_from(["r1", "r2"]),
            st.integers(2, 4),
            st.lists(_item, min_size=1, max_size=15),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_minutes_are_conserved(days):
    """Whatever the overlaps and gaps: customer + non-customer = the day, to the second."""
    rows = []
    for rep, day, items in days:
        date = pd.Timestamp(f"2026-03-0{day}")
        for start, length, act, cust in items:
            s = date + pd.Timedelta(minutes=start)
            rows.append((rep, date, s, s + pd.Timedelta(minutes=length), act, cust))
    acts = pd.DataFrame(rows, columns=["rep_id", "date", "start", "end", "activity", "customer_id"])
    before = acts.copy()
    t = allocate_time(acts)
    pd.testing.assert_frame_equal(acts, before)
    d = t.per_day
    sec = (d[["customer_min", "non_customer_min", "total_min"]] * 60).round().astype(int)
    assert (sec["customer_min"] + sec["non_customer_min"] == sec["total_min"]).all()
    span = acts.groupby(["rep_id", "date"]).agg(s=("start", "min"), e=("end", "max"))
    assert ((span["e"] - span["s"]).dt.total_seconds().to_numpy() / 60 == d["total_min"]).all()
    per_activity = d[
        [
            c
            for c in d.columns
            if c.endswith("_min")
            and c.split("_min")[0]
            in {
                "visit",
                "merchandising",
                "pop",
                "order_entry",
                "competitor_check",
                "travel",
                "meeting",
                "admin",
                "lunch",
                "refuel",
                "trade_show",
                "wait",
                "other",
                "unexplained",
            }
        ]
    ].sum(axis=1)
    assert np.allclose(per_activity + d["unaccounted_min"], d["total_min"])
    assert np.allclose(
        t.stops.groupby(["rep_id", "date"])["visit_min"].sum().to_numpy(),
        d.loc[d["visits"] > 0, "customer_min"].to_numpy(),
    )
    assert (d["unaccounted_min"] >= 0).all() and (d["overlap_min"] >= 0).all()
