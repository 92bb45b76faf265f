from __future__ import annotations

import pytest

import tts
from tts.standards import Standards

from .conftest import write


def test_packaged_defaults_are_the_method_defaults():
    s = Standards.default()
    assert s == Standards()
    assert (s.customer_share_min, s.visit_min, s.meeting_max_min) == (0.6, (8.0, 9.0), 15.0)
    assert (s.travel_share, s.day_max_h, s.visits_max) == ((0.15, 0.20), 9.0, 45)
    assert "visit" in s.customer_activities and "travel" in s.non_customer_activities


def test_company_file_overrides_some_keys(tmp_path):
    path = write(
        tmp_path / "std.toml",
        "meeting_max_min = 20\nvisit_min = [10, 12]\n"
        '[channel.KA]\nvisit_min = [15, 25]\n[region."North"]\nday_max_h = 10\n',
    )
    s = Standards.from_toml(path)
    assert s.meeting_max_min == 20.0 and s.visit_min == (10.0, 12.0)
    assert s.customer_share_min == 0.6
    assert s.visit_band("KA") == (15.0, 25.0) and s.visit_band("BC") == (10.0, 12.0)
    north = s.for_region("North")
    assert north.day_max_h == 10.0 and north.meeting_max_min == 20.0
    assert s.for_region("South") is s


def test_unknown_key_lists_the_known_ones(tmp_path):
    path = write(tmp_path / "std.toml", "meeting_max = 20\n")
    with pytest.raises(
        tts.InputError,
        match=r"unknown standard\(s\) \['meeting_max'\]; the known "
        r"ones are \['customer_share_min', 'visit_min', 'meeting_max_min'",
    ):
        Standards.from_toml(path)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("visit_min = [9, 8]\n", "must be a band"),
        ("customer_share_min = 60\n", "share between 0 and 1"),
        ('customer_activities = ["visit", "travel"]\n', "in both: \\['travel'\\]"),
        ("[channel.Mall]\nvisit_min = [1, 2]\n", "unknown channel"),
        ("[region.N]\nmeeting = 3\n", "has unknown standard"),
        ("[channel.KA]\nvisit_min = [1, 2, 3]\n", "must be \\[low, high\\]"),
    ],
)
def test_bad_standards(tmp_path, text, match):
    with pytest.raises(tts.InputError, match=match):
        Standards.from_toml(write(tmp_path / "std.toml", text))


def test_reclassifying_an_activity_moves_its_minutes():
    from tts.time_use import allocate_time

    from .conftest import timeline

    acts = timeline(
        ("r1", "2026-03-02", [("08:00", "08:30", "wait", "c1"), ("08:30", "08:40", "visit", "c1")])
    )
    default = allocate_time(acts).per_day.iloc[0]
    cust = list(Standards().customer_activities) + ["wait"]
    non = [c for c in Standards().non_customer_activities if c != "wait"]
    moved = allocate_time(
        acts,
        standards=Standards(customer_activities=tuple(cust), non_customer_activities=tuple(non)),
    )
    assert default["customer_min"] == 10.0
    assert moved.per_day.iloc[0]["customer_min"] == 40.0
    assert moved.stops["visit_min"].tolist() == [40.0]
