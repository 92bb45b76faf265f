"""A second diagnostic wave against the first (the Check of PDCA)."""

from __future__ import annotations

import pandas as pd
import pytest

import tts

from .conftest import SAMPLE


@pytest.fixture(scope="module")
def ds():
    return tts.load_dataset(SAMPLE)


@pytest.fixture(scope="module")
def first(ds):
    return tts.diagnose(ds)


def _wave(ds, change) -> tts.Diagnosis:
    a = change(ds.activities.drop(columns="row").copy())
    return tts.diagnose(tts.load_dataset(activities=a, customers=ds.customers.drop(columns="row")))


def test_the_same_data_changes_nothing(first):
    c = tts.compare(first, first)
    assert set(c.table["status"]) == {"unchanged"}
    assert c.counts()["unchanged"] == len(first.findings)
    assert (c.metrics["before"] == c.metrics["after"]).all()


def test_a_shorter_meeting_resolves_its_finding(ds, first):
    def cut(a: pd.DataFrame) -> pd.DataFrame:
        m = a["activity"] == "morning_meeting"
        a.loc[m, "end"] = a.loc[m, "start"] + pd.Timedelta(minutes=12)
        return a

    second = _wave(ds, cut)
    c = tts.compare(first, second)
    row = c.table.set_index("metric").loc["meeting_min"]
    assert row["status"] == "resolved"
    assert row["finding_id"] == first.findings.set_index("metric").at["meeting_min", "finding_id"]
    assert row["after"] == 0
    m = c.metrics.set_index("metric").loc["meeting_min"]
    assert m["before"] == pytest.approx(31.194, abs=1e-3)
    assert m["after"] == pytest.approx(12.0)
    assert (m["light_before"], m["light_after"]) == ("red", "green")
    # the questionnaire was not surveyed again: its findings are gone, so they read resolved
    assert set(c.table.loc[c.table["area"] == "role", "status"]) == {"resolved"}
    assert "resolved" in repr(c)
    assert "<table" in c._repr_html_()


def test_longer_meetings_are_worse_and_new_findings_are_new(ds, first):
    def longer(a: pd.DataFrame) -> pd.DataFrame:
        m = a["activity"] == "morning_meeting"
        a.loc[m, "end"] = a.loc[m, "end"] + pd.Timedelta(minutes=20)
        return a

    second = _wave(ds, longer)
    c = tts.compare(first, second)
    assert c.table.set_index("metric").at["meeting_min", "status"] == "worse"
    new = c.table[c.table["status"] == "new"]
    assert new["finding_id"].isna().all()
    assert set(new["metric"]).isdisjoint(set(first.findings["metric"]))


def test_the_plan_status_comes_from_the_check(ds, first):
    def cut(a: pd.DataFrame) -> pd.DataFrame:
        m = a["activity"] == "morning_meeting"
        a.loc[m, "end"] = a.loc[m, "start"] + pd.Timedelta(minutes=12)
        return a

    c = tts.compare(first, _wave(ds, cut))
    plan = tts.action_plan(first, check=c).set_index("finding_id")
    meeting = first.findings.set_index("metric").at["meeting_min", "finding_id"]
    assert plan.at[meeting, "status"] == "met"
    assert (
        tts.action_plan(first, check=c, lang="zh").set_index("finding_id").at[meeting, "status"]
        == "已达标"
    )
