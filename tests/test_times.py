"""Date and time parsing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tts.io.times import parse_clock, parse_date, parse_datetime, parse_time_of_day


def _s(*values):
    return pd.Series(list(values), dtype="str")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-02", "2026-03-02"),
        ("2026/3/2", "2026-03-02"),
        ("2026.03.02", "2026-03-02"),
        ("2026年3月2日", "2026-03-02"),
        ("20260302", "2026-03-02"),
        ("46083", "2026-03-02"),  # Excel serial day
        ("2026-03-02 00:00:00", "2026-03-02"),
    ],
)
def test_dates(raw, expected):
    dates, reason = parse_date(_s(raw))
    assert dates.iloc[0] == pd.Timestamp(expected)
    assert pd.isna(reason.iloc[0])


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("2026-02-30", "impossible_time"),
        ("2026-13-01", "impossible_time"),
        ("tomorrow", "unparseable_time"),
        ("12", "impossible_time"),
    ],
)
def test_bad_dates(raw, reason):
    dates, why = parse_date(_s(raw))
    assert pd.isna(dates.iloc[0]) and why.iloc[0] == reason


@pytest.mark.parametrize(
    ("raw", "minutes"),
    [
        ("08:15", 495),
        ("8:15", 495),
        ("08:15:30", 495.5),
        ("12:30 PM", 750),
        ("12:05 am", 5),
        ("3:00 pm", 900),
        ("24:00", 1440),
        ("0.5", 720),
        ("08：15", 495),
    ],
)
def test_clock_times(raw, minutes):
    p = parse_clock(_s(raw))
    assert p.offset.iloc[0] == pd.Timedelta(minutes=minutes)
    assert pd.isna(p.absolute.iloc[0]) and pd.isna(p.reason.iloc[0])


@pytest.mark.parametrize("raw", ["24:01", "25:10", "08:60", "08:15:61"])
def test_impossible_clock_times(raw):
    assert parse_clock(_s(raw)).reason.iloc[0] == "impossible_time"


def test_absolute_times_and_serials():
    p = parse_clock(_s("2026-03-02 17:30", "2026-03-02T17:30:05", "46083.75", "2026/3/2 8:05"))
    assert p.absolute.dt.strftime("%Y-%m-%d %H:%M:%S").tolist() == [
        "2026-03-02 17:30:00",
        "2026-03-02 17:30:05",
        "2026-03-02 18:00:00",
        "2026-03-02 08:05:00",
    ]
    assert p.offset.isna().all() and p.reason.isna().all()


def test_datetime_needs_a_date():
    when, reason = parse_datetime(_s("08:15", "2026-03-02 08:15"))
    assert reason.tolist()[0] == "unparseable_time" and pd.isna(when.iloc[0])
    assert when.iloc[1] == pd.Timestamp("2026-03-02 08:15")


def test_time_of_day_from_a_datetime_cell():
    t, reason = parse_time_of_day(_s("1899-12-30 08:30:00", "21:00", "0.25"))
    assert t.tolist() == [
        pd.Timedelta(hours=8, minutes=30),
        pd.Timedelta(hours=21),
        pd.Timedelta(hours=6),
    ]


def test_empty_cells_are_not_errors():
    p = parse_clock(pd.Series([np.nan, "08:00", np.nan], dtype="str"))
    assert p.reason.isna().all()
    assert p.offset.isna().tolist() == [True, False, True]


def test_many_repeated_values_are_parsed_consistently():
    raw = pd.Series(["08:00", "bad", "17:45"] * 10_000, dtype="str")
    p = parse_clock(raw)
    assert (p.reason == "unparseable_time").sum() == 10_000
    assert p.offset.iloc[2::3].eq(pd.Timedelta(hours=17, minutes=45)).all()
