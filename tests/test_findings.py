"""Findings worked out by hand on small days: sizes, minutes recoverable, severity, words.

Every expected value below is computed in the comment beside it from the rows of the test,
not read from the code's output.
"""

from __future__ import annotations

import pandas as pd
import pytest

import tts
from tts.catalogue import KINDS

from .conftest import SAMPLE, timeline


def _day(meeting: int, travel: list[int], visits: list[tuple[str, int]], end: str):
    """A day from 08:00: the meeting, then travel and visits alternating, admin until ``end``."""
    t = pd.Timestamp("2026-03-02 08:00")
    items = []

    def add(minutes: int, activity: str, customer: str | None) -> None:
        nonlocal t
        nxt = t + pd.Timedelta(minutes=minutes)
        items.append((t.strftime("%H:%M"), nxt.strftime("%H:%M"), activity, customer))
        t = nxt

    add(meeting, "morning_meeting", None)
    for leg, (customer, minutes) in zip(travel, visits, strict=True):
        add(leg, "travel", None)
        add(minutes, "visit", customer)
    items.append((t.strftime("%H:%M"), end, "admin", None))
    return items


CUSTOMERS = pd.DataFrame(
    {
        "customer_id": ["C1", "C2"],
        "name": "x",
        "lat": [34.75, 34.76],
        "lon": [113.65, 113.65],
        "channel": "convenience",
        "route_id": "R1",
    }
)


@pytest.fixture(scope="module")
def efficiency():
    # rep a, Mon and Tue: meeting 40, travel 120 + 60, visits 8 + 8, admin to 18:00
    #   day 600 min; travel 180 (30 %); customer 16
    # rep b, Mon and Tue: meeting 10, travel 20 + 20, visits 9 + 9, admin to 16:00: day 480
    a = _day(40, [120, 60], [("C1", 8), ("C2", 8)], "18:00")
    b = _day(10, [20, 20], [("C1", 9), ("C2", 9)], "16:00")
    acts = timeline(
        ("a", "2026-03-02", a),
        ("a", "2026-03-03", a),
        ("b", "2026-03-02", b),
        ("b", "2026-03-03", b),
    )
    ds = tts.load_dataset(activities=acts.drop(columns="row"), customers=CUSTOMERS)
    dx = tts.diagnose(ds)
    return dx.findings[dx.findings["area"] == "efficiency"].set_index("metric")


def test_meeting_finding_by_hand(efficiency):
    f = efficiency.loc["meeting_min"]
    assert f["observed"] == pytest.approx((40 + 40 + 10 + 10) / 4)  # team mean per day
    assert f["gap"] == pytest.approx(25 - 15)
    assert f["reps_affected"] == 1 and f["rep_days_affected"] == 2
    assert f["recoverable_min_per_day"] == pytest.approx(40 - 15)  # mean over a's two days
    assert f["severity"] == "high"  # a misses by 25 min, beyond 10 % of 15: red
    assert f["evidence"] == "a: 40.0 min (2 of 2 days)"
    assert f["evidence_zh"] == "a: 40.0 分钟 (2 天中 2 天)"
    assert f["label"] == KINDS["meeting_min"].title.en
    assert f["countermeasure_zh"] == KINDS["meeting_min"].countermeasure.zh


def test_travel_and_day_findings_by_hand(efficiency):
    travel = efficiency.loc["travel_share"]
    assert travel["observed"] == pytest.approx((2 * 180 + 2 * 40) / (2 * 600 + 2 * 480))
    assert travel["recoverable_min_per_day"] == pytest.approx(180 - 0.20 * 600)
    assert travel["reps_affected"] == 1
    day = efficiency.loc["day_h"]
    assert day["recoverable_min_per_day"] == pytest.approx(600 - 9 * 60)
    assert day["reps_affected"] == 1 and day["rep_days_affected"] == 2
    assert "avg_visit_min" not in efficiency.index  # 8 and 9 min: inside the band
    assert "visits" not in efficiency.index


def test_a_standard_missed_by_amber_reps_only_is_medium():
    # rep c, a 16-minute meeting: 1 min over 15 is within 10 % of 15, so amber; three reps
    # meet it, so a quarter of the team misses it: the team is amber too, and the finding medium
    days = [("c", "2026-03-02", _day(16, [10], [("C1", 8)], "16:00"))]
    days += [(r, "2026-03-02", _day(10, [10], [("C1", 8)], "16:00")) for r in "def"]
    acts = timeline(*days)
    ds = tts.load_dataset(activities=acts.drop(columns="row"), customers=CUSTOMERS)
    dx = tts.diagnose(ds)
    f = dx.findings.set_index("metric")
    assert dx.comparison.team().set_index("metric").at["meeting_min", "light"] == "amber"
    assert f.loc["meeting_min", "severity"] == "medium"
    assert f.loc["meeting_min", "recoverable_min_per_day"] == pytest.approx(1.0)


def test_a_standard_missed_by_half_the_reps_is_high_even_when_each_is_amber():
    # one rep of one with a 16-minute meeting: amber for the rep, but the whole team misses it
    acts = timeline(("c", "2026-03-02", _day(16, [10], [("C1", 8)], "16:00")))
    ds = tts.load_dataset(activities=acts.drop(columns="row"), customers=CUSTOMERS)
    dx = tts.diagnose(ds)
    assert dx.comparison.team().set_index("metric").at["meeting_min", "light"] == "red"
    assert dx.findings.set_index("metric").loc["meeting_min", "severity"] == "high"


# Route performance: one week, every visit 10 min with no travel, so a visit costs 10 min.
# r1 visits A, B, C, D once each; sales 400, 40, 12, 5 -> sales per cost-minute 40, 4, 1.2,
# 0.5. Route median (4 + 1.2) / 2 = 2.6; a quarter of it, 0.65: only D is ineffective.
# r2 visits E..I on route R2 for 1, 1, 1, 1 and 16 min: Gini of [1, 1, 1, 1, 16] =
# ((-4 - 2 + 0 + 2) * 1 + 4 * 16) / (5 * 20) = 0.6.


@pytest.fixture(scope="module")
def route_findings():
    r1 = [
        ("09:00", "09:10", "visit", "A"),
        ("09:20", "09:30", "visit", "B"),
        ("09:40", "09:50", "visit", "C"),
        ("10:00", "10:10", "visit", "D"),
    ]
    r2 = [
        ("09:00", "09:01", "visit", "E"),
        ("09:10", "09:11", "visit", "F"),
        ("09:20", "09:21", "visit", "G"),
        ("09:30", "09:31", "visit", "H"),
        ("09:40", "09:56", "visit", "I"),
    ]
    acts = timeline(("r1", "2026-03-02", r1), ("r2", "2026-03-02", r2))
    ids = list("ABCDEFGHI")
    customers = pd.DataFrame(
        {
            "customer_id": ids,
            "name": "x",
            "lat": [34.75 + 0.001 * i for i in range(9)],
            "lon": 113.65,
            "channel": "convenience",
            "route_id": ["R1"] * 4 + ["R2"] * 5,
            "visits_per_week": [2, 1, 1, 1, 1, 1, 1, 1, 1],  # A planned twice, visited once
        }
    )
    sales = pd.DataFrame(
        {
            "rep_id": "r1",
            "date": "2026-03-02",
            "customer_id": list("ABCD"),
            "sales_value": [400, 40, 12, 5],
        }
    )
    ds = tts.load_dataset(activities=acts.drop(columns="row"), customers=customers, sales=sales)
    dx = tts.diagnose(ds)
    return dx.findings.set_index("metric"), dx


def test_ineffective_customers_by_hand(route_findings):
    f, dx = route_findings
    assert set(dx.routes.ineffective()["customer_id"]) == {"D"}
    row = f.loc["ineffective_customers"]
    assert row["observed"] == 1 and row["reps_affected"] == 1
    # D absorbs 10 min a week, spread over the 6 working days of the week
    assert row["recoverable_min_per_day"] == pytest.approx(10 / 6)
    assert row["evidence"].startswith("D (convenience, R1): 10 min/week for 5 sales/week")


def test_frequency_and_time_balance_by_hand(route_findings):
    f, dx = route_findings
    assert f.loc["under_visited", "observed"] == 1  # A: 1 visit against 2 planned
    by_rep = dx.routes.by_rep.set_index("rep_id")
    assert by_rep.loc["r2", "time_gini"] == pytest.approx(0.6)
    assert by_rep.loc["r2", "top10_time_share"] == pytest.approx(16 / 20)  # 1 customer of 5
    balance = f.loc["time_balance"]
    assert balance["observed"] == 1 and balance["standard"] == "Gini ≤ 0.5"
    assert "r2: Gini 0.60" in balance["evidence"]


def test_out_of_role_work_of_half_the_reps_is_high():
    acts = timeline(
        ("r1", "2026-03-02", [("09:00", "09:10", "visit", "C1")]),
        ("r2", "2026-03-02", [("09:00", "09:10", "visit", "C1")]),
    )
    survey = pd.DataFrame(
        {
            "rep_id": ["r1", "r1", "r2", "r2"],
            "task": ["promotion_settlement", "order_taking"] * 2,
            "performed_by": ["rep", "rep", "finance", "rep"],
        }
    )
    matrix = pd.DataFrame(
        {
            "task": ["promotion_settlement", "order_taking"],
            "area": ["non_sales", "in_store"],
            "owner": ["finance", "rep"],
        }
    )
    ds = tts.load_dataset(
        activities=acts.drop(columns="row"),
        customers=CUSTOMERS,
        role_survey=survey,
        role_matrix=matrix,
    )
    f = tts.diagnose(ds).findings.set_index("metric")
    row = f.loc["out_of_role_finance"]
    assert row["reps_affected"] == 1 and row["severity"] == "high"  # 1 of 2 reps: half
    assert row["label"] == "Reps do the finance's work"
    assert row["label_zh"] == "业代在做财务的工作"
    assert row["countermeasure_zh"].startswith("把促销结算和货款回收交还财务")
    assert (
        tts.action_plan(tts.diagnose(ds)).set_index("finding_id")["owner_role"].eq("finance").any()
    )


def test_evidence_hours_are_rounded_as_the_per_rep_table_rounds_them():
    # rep h, one day 08:00-17:45: 585 min = 9.75 h, over the 9 h day. The report prints hours
    # to two decimals (8.96 h), so the evidence reads 9.75 h, not 9.8 rounded to 9.80.
    acts = timeline(("h", "2026-03-02", _day(10, [10], [("C1", 8)], "17:45")))
    ds = tts.load_dataset(activities=acts.drop(columns="row"), customers=CUSTOMERS)
    f = tts.diagnose(ds).findings.set_index("metric").loc["day_h"]
    assert f["evidence"] == "h: 9.75 h (1 of 1 days)"
    assert f["evidence_zh"] == "h: 9.75 小时 (1 天中 1 天)"


def test_the_obstacle_measures_read_a_questionnaire_in_chinese():
    # the Chinese export names the same obstacles in its own words (促销核销慢, 报表太多, 早会太长,
    # 职责不清): the finding proposes the same measures as on the English codes, not the
    # generic "act on the top obstacles"
    def measures(folder):
        f = tts.diagnose(tts.load_dataset(folder)).findings
        return f.loc[f["metric"] == "obstacles", ["countermeasure", "countermeasure_zh"]].iloc[0]

    en, zh = measures(SAMPLE), measures(SAMPLE / "zh")
    assert zh["countermeasure_zh"] == en["countermeasure_zh"]
    measures_zh = (
        "加快促销结算",
        "把每日报表合并为一份",
        "早会限制在 15 分钟内",
        "公布职责矩阵并执行",
    )
    assert all(words in zh["countermeasure_zh"] for words in measures_zh)
    assert "speed up promotion settlement" in zh["countermeasure"]
