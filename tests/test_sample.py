"""The synthetic sample region: deterministic, committed as generated, shaped like the case."""

from __future__ import annotations

import filecmp

import pandas as pd
import pytest

import tts
from tts.schema import CUSTOMER_ACTIVITIES

from .conftest import SAMPLE


def test_same_seed_same_tables():
    a, b = tts.make_sample(), tts.make_sample()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    c = tts.make_sample(seed=1)
    assert not a["activities"].equals(c["activities"])


@pytest.mark.parametrize(("sub", "lang"), [("", "en"), ("zh", "zh")])
def test_committed_sample_is_what_the_generator_writes(tmp_path, sub, lang):
    written = tts.write_sample(tmp_path, lang=lang)
    for path in written:
        assert filecmp.cmp(path, SAMPLE / sub / path.name, shallow=False), (
            f"sample_data/{sub} is stale: run `tts sample sample_data` and "
            f"`tts sample sample_data/zh --lang zh`"
        )


def test_bad_language():
    with pytest.raises(tts.InputError, match="'lang' parameter of write_sample"):
        tts.write_sample("unused", lang="fr")


def _per_rep(ds: tts.Dataset) -> pd.DataFrame:
    a = ds.activities
    minutes = (a["end"] - a["start"]).dt.total_seconds() / 60
    customer = a["activity"].isin(CUSTOMER_ACTIVITIES)
    day = pd.DataFrame(
        {
            "total": minutes.groupby([a["rep_id"], a["date"]]).sum(),
            "customer": minutes[customer].groupby([a["rep_id"], a["date"]]).sum(),
            "travel": minutes[a["activity"] == "travel"].groupby([a["rep_id"], a["date"]]).sum(),
            "meeting": minutes[a["activity"] == "morning_meeting"]
            .groupby([a["rep_id"], a["date"]])
            .sum(),
            "stops": a[customer].groupby(["rep_id", "date"])["customer_id"].nunique(),
        }
    )
    rep = day.groupby("rep_id").sum()
    return pd.DataFrame(
        {
            "customer_share": rep["customer"] / rep["total"],
            "travel_share": rep["travel"] / rep["total"],
            "visit_min": rep["customer"] / rep["stops"],
            "meeting_min": day.groupby("rep_id")["meeting"].mean(),
            "day_h": day.groupby("rep_id")["total"].mean() / 60,
        }
    )


def test_sample_reproduces_the_case():
    r = _per_rep(tts.load_dataset(SAMPLE))
    classic = r.loc[["REP01", "REP02", "REP03", "REP04"]]
    good = r.loc[["REP05", "REP06"]]
    assert (classic["customer_share"] < 0.6).all()
    assert classic["travel_share"].between(0.25, 0.35).all()
    assert classic["visit_min"].between(4.0, 6.0).all()
    assert classic["meeting_min"].between(35, 45).all()
    assert (classic["day_h"] > 9).all()
    assert (good["customer_share"] >= 0.6).all()
    assert (good["travel_share"] <= 0.2).all()
    assert good["visit_min"].between(8, 9).all()
    assert (good["meeting_min"] <= 15).all()
    assert (good["day_h"] <= 9).all()


def test_sample_shape():
    ds = tts.load_dataset(SAMPLE)
    assert len(ds.customers) == 240
    assert ds.customers["route_id"].nunique() == 6
    assert set(ds.customers["channel"].astype(str)) == {
        "KA",
        "BC",
        "convenience",
        "distributor",
        "other",
    }
    assert ds.activities["date"].nunique() == 12
    assert ds.customers[["open_time", "close_time"]].notna().all().all()
    # reps do work owned by others: out-of-role answers exist for four reps only
    rs = ds.role_survey.merge(ds.role_matrix, on="task")
    out_of_role = rs[rs["performed_by"].astype(str) != rs["owner"].astype(str)]
    assert set(out_of_role["rep_id"]) == {"REP01", "REP02", "REP03", "REP04"}
    assert {"area_development_rep", "area_coordinator", "finance", "marketing"} <= set(
        out_of_role["owner"].astype(str)
    )
