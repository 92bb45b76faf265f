"""The columnar loader against a reference on a mixed file of good and bad rows.

Every one-cell rule runs on a column's distinct values and reaches the rows through codes
(``tts.io.coded``); a Parquet file's text comes straight from its dictionary pages. The
reference here is independent of that machinery: each bad row declares the one problem it
carries, each good row the canonical values it must become, and the file is repeated in
shuffled blocks so that every distinct value occurs many times. CSV, Parquet and a DataFrame
of the same cells must give the same tables and the same quarantine.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tts
from tts.io.coded import Coded
from tts.io.files import read_raw
from tts.schema import ACTIVITY_CODES, SCHEMAS
from tts.time_use import allocate_time

COLUMNS = ["rep_id", "date", "start", "end", "activity", "customer_id"]

# (cells, canonical rep, date, start, end, activity, customer); {k} is the block's number
GOOD = [
    (
        ("R1-{k}", "2026-03-02", "08:00", "08:40", "morning_meeting", None),
        "R1-{k}",
        "2026-03-02",
        "2026-03-02 08:00",
        "2026-03-02 08:40",
        "morning_meeting",
        None,
    ),
    (
        ("R1-{k}", "2026-03-02", "08:40", "09:00", "travel", None),
        "R1-{k}",
        "2026-03-02",
        "2026-03-02 08:40",
        "2026-03-02 09:00",
        "travel",
        None,
    ),
    (
        ("R1-{k}", "2026-03-02", "09:00", "09:20", "visit", "C1"),
        "R1-{k}",
        "2026-03-02",
        "2026-03-02 09:00",
        "2026-03-02 09:20",
        "visit",
        "C1",
    ),
    (
        ("R2-{k}", "2026-03-02", "23:40", "00:20", "travel", None),  # past midnight
        "R2-{k}",
        "2026-03-02",
        "2026-03-02 23:40",
        "2026-03-03 00:20",
        "travel",
        None,
    ),
    (
        ("R2-{k}", "2026/3/3", "8:05", "8:45", "拜访", "C2"),  # other forms, a Chinese label
        "R2-{k}",
        "2026-03-03",
        "2026-03-03 08:05",
        "2026-03-03 08:45",
        "visit",
        "C2",
    ),
    (
        ("Ｒ３-{k}", "2026-03-03", "09:00 AM", "01:15 PM", "admin", None),  # full-width id
        "R3-{k}",
        "2026-03-03",
        "2026-03-03 09:00",
        "2026-03-03 13:15",
        "admin",
        None,
    ),
    (
        (" R4-{k} ", "2026-03-03", "0.375", "0.4", "visit", " C1 "),  # Excel fractions, spaces
        "R4-{k}",
        "2026-03-03",
        "2026-03-03 09:00",
        "2026-03-03 09:36",
        "visit",
        "C1",
    ),
    (
        ("R4-{k}", "2026-03-03", "2026-03-03 10:00", "2026-03-03 10:30", "merchandising", "C2"),
        "R4-{k}",
        "2026-03-03",
        "2026-03-03 10:00",
        "2026-03-03 10:30",
        "merchandising",
        "C2",
    ),
    (
        ("R5-{k}", "46084", "10:00", "24:00", "admin", "-"),  # serial day, 24:00, placeholder
        "R5-{k}",
        "2026-03-03",
        "2026-03-03 10:00",
        "2026-03-04 00:00",
        "admin",
        None,
    ),
    (
        ("R5-{k}", "2026-03-04", "10:00", "10:30", "visit", "0001"),
        "R5-{k}",
        "2026-03-04",
        "2026-03-04 10:00",
        "2026-03-04 10:30",
        "visit",
        "0001",
    ),
]
# (cells, column, reason): one problem a row
BAD = [
    (("R1-{k}", "2026-03-02", "8h", "08:40", "travel", None), "start", "unparseable_time"),
    (("R1-{k}", "someday", "08:00", "08:40", "travel", None), "date", "unparseable_time"),
    (("R1-{k}", "2026-03-02", "08:00", "25:10", "travel", None), "end", "impossible_time"),
    (("R1-{k}", "2026-02-30", "08:00", "08:40", "travel", None), "date", "impossible_time"),
    (("R1-{k}", "2026-03-02", "08:30", "08:00", "travel", None), "end", "end_before_start"),
    (("R1-{k}", "2026-03-02", "08:00", "08:40", "nap", None), "activity", "unknown_code"),
    (("R1-{k}", "2026-03-02", "11:00", "11:40", "visit", "C99"), "customer_id", "unknown_customer"),
    (("R1-{k}", "2026-03-02", "08:00", "08:40", "visit", None), "customer_id", "missing_value"),
    ((None, "2026-03-02", "08:00", "08:40", "travel", None), "rep_id", "missing_value"),
    (("NaN", "2026-03-02", "08:00", "08:40", "travel", None), "rep_id", "placeholder_id"),
    (("7.98651E+18", "2026-03-02", "08:00", "08:40", "travel", None), "rep_id", "mangled_id"),
    (("R1-{k}", "2026-03-02", "12:00", "12:40", "visit", "1"), "customer_id", "mangled_id"),
    (
        ("R1-{k}", "2026-03-02", "2026-03-03 08:00", "2026-03-03 09:00", "travel", None),
        "start",
        "impossible_time",
    ),
    (
        ("R1-{k}", "2026-03-02", "2026-03-02 08:00", "2026-03-04 09:00", "travel", None),
        "end",
        "impossible_time",
    ),
    ((None,) * 6, "", "blank_row"),
]
# problems found against the customers file, after the rows are typed and deduplicated
_ACROSS_TABLES = ("unknown_customer", "mangled_id")
CUSTOMERS = pd.DataFrame(
    {
        "customer_id": ["C1", "C2", "0001"],
        "name": ["a", "b", "c"],
        "lat": [34.75, 34.76, 34.77],
        "lon": [113.66, 113.67, 113.6],
        "channel": ["convenience", "KA", "BC"],
        "route_id": ["R1", "R1", "R2"],
    }
)


def _fill(cells: tuple, k: int) -> tuple:
    return tuple(None if c is None else c.format(k=k) for c in cells)


def mixed(blocks: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Cells, the expected good rows and the expected problems (``row`` from 1)."""
    rng = np.random.default_rng(seed)
    cells, good, problems = [], [], []
    for k in range(blocks):
        items = [(_fill(g[0], k), g[1:], None) for g in GOOD]
        items += [(_fill(b, k), None, (c, r)) for b, c, r in BAD]
        items = [items[i] for i in rng.permutation(len(items))]
        items.append((items[0][0], None, ("rep_id", "duplicate_row")))  # repeats the block's first
        first = items[0][2]
        if first is not None and not (first[0] == "customer_id" and first[1] in _ACROSS_TABLES):
            items[-1] = (items[0][0], None, first)  # the first is set aside: its repeat is too
        for line, canonical, problem in items:
            cells.append(line)
            row = len(cells)
            if canonical is not None:
                rep, date, start, end, activity, customer = canonical
                good.append((rep.format(k=k), date, start, end, activity, customer, row))
            else:
                problems.append((row, *problem))
    frame = pd.DataFrame(cells, columns=COLUMNS, dtype="str")
    expected = pd.DataFrame(
        {
            "rep_id": _ids([g[0] for g in good]),
            "date": pd.to_datetime([g[1] for g in good]).astype("datetime64[ns]"),
            "start": pd.to_datetime([g[2] for g in good]).astype("datetime64[ns]"),
            "end": pd.to_datetime([g[3] for g in good]).astype("datetime64[ns]"),
            "activity": pd.Categorical([g[4] for g in good], categories=list(ACTIVITY_CODES)),
            "customer_id": _ids([g[5] for g in good]),
            "route_id": _ids([None] * len(good)),
            "row": np.array([g[6] for g in good], dtype="int64"),
        }
    )
    issues = pd.DataFrame(problems, columns=["row", "column", "reason"]).astype({"row": "int64"})
    return frame, expected, issues.sort_values(["row", "column"]).reset_index(drop=True)


def _ids(values: list[str | None]) -> pd.Categorical:
    """The data contract's id column of the activities: a categorical of ``str`` whose
    categories are the ids present, in sorted order."""
    present = sorted({v for v in values if v is not None})
    return pd.Categorical(values, categories=pd.Index(present, dtype="str"))


def _load(route: str, frame: pd.DataFrame, tmp_path) -> tts.Dataset:
    if route == "frame":
        return tts.load_dataset(activities=frame, customers=CUSTOMERS)
    customers = tmp_path / "customers.csv"
    CUSTOMERS.to_csv(customers, index=False)
    path = tmp_path / f"activities.{route}"
    if route == "csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    return tts.load_dataset(activities=path, customers=customers)


@pytest.mark.parametrize("route", ["csv", "parquet", "frame"])
def test_mixed_file_matches_the_reference(route, tmp_path):
    frame, expected, problems = mixed(blocks=40)
    ds = _load(route, frame, tmp_path)
    first = 2 if route == "csv" else 1  # a CSV's header is row 1
    got = ds.activities.assign(row=ds.activities["row"] - (first - 1))
    pd.testing.assert_frame_equal(got, expected)
    q = ds.quarantine[ds.quarantine["table"] == "activities"]
    found = q[["row", "column", "reason"]].assign(row=q["row"] - (first - 1))
    pd.testing.assert_frame_equal(found.reset_index(drop=True), problems)
    assert q["message"].str.len().gt(0).all()
    duplicates = q[q["reason"] == "duplicate_row"]
    assert duplicates["message"].str.fullmatch(r"the same record as row \d+").all()
    counts = ds.row_counts.set_index("table").loc["activities"]
    assert (counts["read"], counts["used"]) == (len(frame), len(expected))


def test_the_three_routes_agree_cell_for_cell(tmp_path):
    frame, _, _ = mixed(blocks=5, seed=3)
    loaded = {route: _load(route, frame, tmp_path) for route in ("csv", "parquet", "frame")}
    base = loaded["frame"]
    for route in ("csv", "parquet"):
        ds = loaded[route]
        shift = 1 if route == "csv" else 0
        a = ds.activities.assign(row=ds.activities["row"] - shift)
        pd.testing.assert_frame_equal(a, base.activities)
        cols = ["table", "row", "column", "value", "reason", "message"]
        q = ds.quarantine[cols].assign(row=ds.quarantine["row"] - shift)
        q = q[q["table"] == "activities"].reset_index(drop=True)
        b = base.quarantine[cols]
        b = b[b["table"] == "activities"].reset_index(drop=True)
        for t in (q, b):  # a duplicate's message names the row of its first, which shifts
            t["message"] = t["message"].str.replace(r"row \d+", "row N", regex=True)
        pd.testing.assert_frame_equal(q, b)


def test_parquet_text_is_read_from_its_dictionary(tmp_path):
    frame, _, _ = mixed(blocks=2)
    path = tmp_path / "activities.parquet"
    frame.to_parquet(path, index=False)
    raw = read_raw(path, coded=True)
    assert all(isinstance(raw.frame[c].dtype, pd.CategoricalDtype) for c in COLUMNS)
    plain = read_raw(path)
    for c in COLUMNS:
        pd.testing.assert_series_equal(
            raw.frame[c].astype("str"), plain.frame[c].astype("str"), check_names=False
        )


def test_coded_column_round_trip():
    s = pd.Series(["b", None, "a", "b", " a"], dtype="str")
    c = Coded.from_series(s)
    assert c.codes.tolist() == [0, -1, 1, 0, 2]
    pd.testing.assert_series_equal(c.to_series("str"), s)
    stripped = c.recode(lambda v: v.str.strip())
    assert stripped.to_series("str").tolist() == ["b", np.nan, "a", "b", "a"]
    assert stripped.counts().tolist() == [2, 2]
    assert stripped.rows(np.array([False, True])).tolist() == [False, False, True, False, True]


def test_activity_ids_are_sorted_categoricals_that_read_as_text():
    """The data contract: the activities' ids are categoricals of the ids present, sorted, and
    the typed table passes its public pandera schema."""
    frame = pd.DataFrame(
        {
            "rep_id": ["r2", "r1", "r2", "r10"],
            "date": ["2026-03-02"] * 4,
            "start": ["08:00", "08:00", "09:00", "08:00"],
            "end": ["08:30", "08:20", "09:10", "08:40"],
            "activity": ["travel", "visit", "visit", "travel"],
            "customer_id": [None, "C2", "C1", None],
        }
    )
    ds = tts.load_dataset(activities=frame)
    acts = ds.activities
    for column, present in {"rep_id": ["r1", "r10", "r2"], "customer_id": ["C1", "C2"]}.items():
        assert isinstance(acts[column].dtype, pd.CategoricalDtype)
        assert list(acts[column].cat.categories) == present
    assert acts["rep_id"].tolist() == ["r2", "r1", "r2", "r10"]
    assert (acts["rep_id"] == "r2").sum() == 2
    assert acts["customer_id"].isna().tolist() == [True, False, False, True]
    assert len(acts["route_id"].cat.categories) == 0 and acts["route_id"].isna().all()
    SCHEMAS["activities"].validate(acts)


def test_the_visits_hold_their_ids_as_sorted_categoricals_of_the_ids_visited():
    """The store-visit table keeps the activities' contract: ids present, sorted, as text."""
    frame = pd.DataFrame(
        {
            "rep_id": ["r2", "r2", "r1", "r1", "r3"],
            "date": ["2026-03-02"] * 5,
            "start": ["08:00", "09:00", "08:00", "08:30", "08:00"],
            "end": ["08:30", "09:10", "08:20", "08:40", "08:40"],
            "activity": ["visit", "visit", "visit", "travel", "travel"],
            "customer_id": ["C9", "C1", "C1", None, None],
        }
    )
    stops = allocate_time(tts.load_dataset(activities=frame).activities).stops
    # r3 made no visit and C-less rows are no visit: neither is a category of the visits
    for column, present in {"rep_id": ["r1", "r2"], "customer_id": ["C1", "C9"]}.items():
        assert isinstance(stops[column].dtype, pd.CategoricalDtype)
        assert list(stops[column].cat.categories) == present
    assert stops["rep_id"].tolist() == ["r1", "r2", "r2"]
    assert stops["customer_id"].tolist() == ["C1", "C9", "C1"]
