"""A second, plain-loop implementation of the allocation rules, checked against allocate_time.

The rules, as the module docstring of ``tts.time_use`` states them:

- a rep-day runs from the start of its first activity to the end of its last;
- rows are taken in order of start, then end, then input order; where they overlap, the one
  that started first keeps the shared time, and the rest is the overlap;
- time no row covers is unaccounted (non-customer) time;
- a stop is a run of consecutive customer rows at one customer; its minutes are the time its
  rows keep;
- the first commute is the travel kept before the day's first stop, the last commute the
  travel kept after its last stop.

The reference walks each day row by row, second by second of arithmetic, with no numpy.
"""

from __future__ import annotations

import statistics

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tts.schema import ACTIVITY_CODES
from tts.standards import Standards
from tts.time_use import activity_column, allocate_time

CUSTOMER = set(Standards().customer_activities)
DAY0 = pd.Timestamp("2026-03-02")


def reference_day(rows: list[tuple[int, int, str, str | None, int]]) -> dict[str, float]:
    """One rep-day by the documented rules; rows are (start s, end s, activity, customer, i)."""
    rows = sorted(rows, key=lambda r: (r[0], r[1], r[4]))
    day_start = rows[0][0]
    day_end = max(r[1] for r in rows)
    covered_until = None
    kept = []
    overlap = 0
    for start, end, _activity, _customer, _ in rows:
        begin = start if covered_until is None else max(start, covered_until)
        keep = max(0, end - begin)
        kept.append(keep)
        overlap += (end - start) - keep
        covered_until = end if covered_until is None else max(covered_until, end)
    per_act = dict.fromkeys(ACTIVITY_CODES, 0)
    for (_, _, activity, _, _), keep in zip(rows, kept, strict=True):
        per_act[activity] += keep
    total = day_end - day_start
    covered = sum(kept)
    customer = sum(per_act[a] for a in CUSTOMER)
    # stops: runs of consecutive customer rows at one customer
    stops: list[list[int]] = []  # row positions of each stop
    for i, (_, _, activity, cust, _) in enumerate(rows):
        if activity not in CUSTOMER:
            continue
        previous = rows[i - 1] if i else None
        if stops and previous and previous[2] in CUSTOMER and previous[3] == cust:
            stops[-1].append(i)
        else:
            stops.append([i])
    stop_seconds = [sum(kept[i] for i in stop) for stop in stops]
    out: dict[str, float] = {
        "total_min": total / 60,
        "customer_min": customer / 60,
        "non_customer_min": (total - customer) / 60,
        "unaccounted_min": (total - covered) / 60,
        "overlap_min": overlap / 60,
        "visits": len(stops),
        "rows": len(rows),
        "day_start": day_start,
        "day_end": day_end,
        "customer_share": customer / total if total else np.nan,
        "travel_share": per_act["travel"] / total if total else np.nan,
        "avg_visit_min": customer / 60 / len(stops) if stops else np.nan,
        "median_visit_min": statistics.median(stop_seconds) / 60 if stops else np.nan,
    }
    for code in ACTIVITY_CODES:
        out[activity_column(code)] = per_act[code] / 60
    if stops:
        first_row, last_row = stops[0][0], stops[-1][-1]
        out["first_commute_min"] = (
            sum(kept[i] for i in range(first_row) if rows[i][2] == "travel") / 60
        )
        out["last_commute_min"] = (
            sum(kept[i] for i in range(last_row + 1, len(rows)) if rows[i][2] == "travel") / 60
        )
    else:
        out["first_commute_min"] = out["last_commute_min"] = np.nan
    return out


_row = st.tuples(
    st.integers(6 * 3600, 26 * 3600),  # start, seconds after midnight (past midnight too)
    st.integers(0, 3 * 3600),  # length, seconds
    st.sampled_from(["visit", "merchandising", "order_entry", "travel", "admin", "lunch", "wait"]),
    st.sampled_from(["C1", "C2", "C3"]),
)


def _frame(days: list[list[tuple[int, int, str, str]]]) -> tuple[pd.DataFrame, list]:
    records, per_day = [], []
    i = 0
    for d, rows in enumerate(days):
        rep, date = f"R{d % 3}", DAY0 + pd.Timedelta(days=d // 3)
        mine = []
        for start, length, activity, cust in rows:
            customer = cust if activity in CUSTOMER else None
            records.append(
                (
                    rep,
                    date,
                    date + pd.Timedelta(seconds=start),
                    date + pd.Timedelta(seconds=start + length),
                    activity,
                    customer,
                )
            )
            mine.append((start, start + length, activity, customer, i))
            i += 1
        per_day.append((rep, date, mine))
    frame = pd.DataFrame(
        records, columns=["rep_id", "date", "start", "end", "activity", "customer_id"]
    )
    frame["customer_id"] = frame["customer_id"].astype("str")
    return frame, per_day


def _repeat_some(rows: list) -> list:
    """Messy days: some rows repeated exactly, some split into two pieces."""
    out = []
    for k, (start, length, activity, cust) in enumerate(rows):
        if k % 5 == 1:
            out += [(start, length, activity, cust)] * 2  # identical
        elif k % 5 == 3 and length > 1:
            half = length // 2
            out += [(start, half, activity, cust), (start + half, length - half, activity, cust)]
        else:
            out.append((start, length, activity, cust))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_row, min_size=1, max_size=14), min_size=1, max_size=7))
def test_allocation_agrees_with_the_plain_loop_reference(days):
    days = [_repeat_some(rows) for rows in days]
    frame, per_day = _frame(days)
    got = allocate_time(frame).per_day.set_index(["rep_id", "date"])
    expected_days: dict[tuple, list] = {}
    for rep, date, rows in per_day:
        expected_days.setdefault((rep, date), []).extend(rows)
    assert len(got) == len(expected_days)
    for (rep, date), rows in expected_days.items():
        want = reference_day(rows)
        have = got.loc[(rep, date)]
        assert have["day_start"] == date + pd.Timedelta(seconds=want.pop("day_start"))
        assert have["day_end"] == date + pd.Timedelta(seconds=want.pop("day_end"))
        for column, value in want.items():
            if np.isnan(value):
                assert np.isnan(have[column]), column
            else:
                assert have[column] == np.float64(value) or abs(have[column] - value) < 1e-9, (
                    column,
                    have[column],
                    value,
                )


def test_a_travel_row_overlapping_the_first_visit_counts_whole_in_the_commute():
    # travel 08:00-08:21 then visit 08:20-08:30: the travel started first and keeps 08:20-08:21
    rows = [(8 * 3600, 8 * 3600 + 21 * 60, "travel", None, 0)]
    rows.append((8 * 3600 + 20 * 60, 8 * 3600 + 30 * 60, "visit", "C1", 1))
    assert reference_day(rows)["first_commute_min"] == 21
    frame, _ = _frame(
        [[(8 * 3600, 21 * 60, "travel", "C1"), (8 * 3600 + 1200, 600, "visit", "C1")]]
    )
    assert allocate_time(frame).per_day["first_commute_min"].iloc[0] == 21
