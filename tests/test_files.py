"""Reading files: encodings, formats, malformed and empty input."""

from __future__ import annotations

import codecs
import datetime as dt

import pandas as pd
import pytest

import tts
from tts.io.files import detect_encoding, read_raw

from .conftest import write

ZH = (
    "业务员,日期,开始时间,结束时间,活动,客户编号\n"
    "R1,2026-03-02,08:00,08:40,早会,\n"
    "R1,2026-03-02,08:40,08:50,拜访,C1\n"
)


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("gbk", b"", "gb18030"),
        ("gb18030", b"", "gb18030"),
    ],
)
def test_chinese_headers_load_in_every_encoding(tmp_path, encoding, prefix, expected):
    (tmp_path / "activities.csv").write_bytes(prefix + ZH.encode(encoding))
    ds = tts.load_dataset(tmp_path)
    assert ds.row_counts.loc[0, "encoding"] == expected
    assert ds.activities["activity"].tolist() == ["morning_meeting", "visit"]
    assert ds.activities["rep_id"].tolist() == ["R1", "R1"]
    assert ds.quarantine.empty


def test_short_gbk_header_is_not_mistaken_for_utf16():
    assert detect_encoding("客户编号,纬度\n".encode("gbk")) == "gb18030"


def test_explicit_encoding_wins(tmp_path):
    path = write(tmp_path / "activities.csv", ZH, "gbk")
    # decoded as latin-1 the Chinese headers are unrecognisable: the column error proves it
    with pytest.raises(tts.InputError, match="has no column 'rep_id'"):
        tts.load_dataset(activities=path, encoding="latin-1")
    assert tts.load_dataset(activities=path, encoding="gbk").row_counts.loc[0, "used"] == 2


def test_empty_file_is_a_clear_error(tmp_path):
    path = write(tmp_path / "activities.csv", "")
    with pytest.raises(tts.InputError, match=r"activities.csv is empty: expected a header row"):
        tts.load_dataset(activities=path)


def test_header_only_file_loads_no_rows(tmp_path):
    path = write(tmp_path / "activities.csv", "rep_id,date,start,end,activity\n")
    ds = tts.load_dataset(activities=path)
    assert len(ds.activities) == 0
    assert ds.row_counts.loc[0, ["read", "used", "quarantined"]].tolist() == [0, 0, 0]


def test_workbook_saved_as_csv_is_named(tmp_path):
    path = tmp_path / "activities.csv"
    path.write_bytes(b"PK\x03\x04rest-of-a-zip")
    with pytest.raises(tts.InputError, match="zip archive"):
        tts.load_dataset(activities=path)


def test_unknown_suffix(tmp_path):
    path = write(tmp_path / "activities.json", "{}")
    with pytest.raises(tts.InputError, match=r"cannot read files ending in '.json'"):
        tts.load_dataset(activities=path)


def test_ragged_lines_are_quarantined_with_their_line_number(tmp_path):
    path = write(
        tmp_path / "activities.csv",
        "rep_id,date,start,end,activity\n"
        "R1,2026-03-02,08:00,08:40,morning_meeting\n"
        "R1,2026-03-02,08:40,09:00,travel,EXTRA,FIELDS\n"
        "R1,2026-03-02,09:00,09:20,travel\n",
    )
    ds = tts.load_dataset(activities=path)
    q = ds.quarantine
    assert q[["row", "reason"]].values.tolist() == [[3, "malformed_row"]]
    assert "EXTRA" in q.loc[0, "value"]
    assert ds.activities["row"].tolist() == [2, 4]
    assert ds.row_counts.loc[0, ["read", "used", "quarantined"]].tolist() == [3, 2, 1]


def test_blank_lines_keep_row_numbers(tmp_path):
    path = write(
        tmp_path / "activities.csv",
        "rep_id,date,start,end,activity\n"
        "R1,2026-03-02,08:00,08:40,morning_meeting\n"
        ",,,,\n"
        "R1,2026-03-02,08:40,25:00,travel\n",
    )
    ds = tts.load_dataset(activities=path)
    assert ds.quarantine[["row", "reason"]].values.tolist() == [
        [3, "blank_row"],
        [4, "impossible_time"],
    ]


def test_semicolon_separated_file(tmp_path):
    path = write(tmp_path / "activities.csv", ZH.replace(",", ";"))
    assert len(tts.load_dataset(activities=path).activities) == 2


def test_excel_with_serial_dates_and_times(tmp_path):
    frame = pd.DataFrame(
        {
            "业务员": ["R1", "R1", "R1"],
            "日期": [dt.datetime(2026, 3, 2), 46083, "2026/3/2"],  # 46083 = 2026-03-02
            "开始时间": [dt.time(8, 0), 0.375, "09:30"],  # 0.375 of a day = 09:00
            "结束时间": [dt.datetime(2026, 3, 2, 8, 40), 46083.395833333336, "09:45"],
            "活动": ["早会", "路程", "拜访"],
            "客户编号": [None, None, "C1"],
        }
    )
    path = tmp_path / "activities.xlsx"
    frame.to_excel(path, index=False, engine="xlsxwriter")
    ds = tts.load_dataset(activities=path)
    assert ds.quarantine.empty
    a = ds.activities
    assert a["start"].dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2026-03-02 08:00",
        "2026-03-02 09:00",
        "2026-03-02 09:30",
    ]
    assert a["end"].dt.strftime("%H:%M").tolist() == ["08:40", "09:30", "09:45"]
    assert (a["date"] == pd.Timestamp("2026-03-02")).all()


def test_parquet_with_typed_columns(tmp_path):
    frame = pd.DataFrame(
        {
            "rep_id": ["R1", "R1"],
            "date": pd.to_datetime(["2026-03-02", "2026-03-02"]),
            "start": pd.to_datetime(["2026-03-02 08:00", "2026-03-02 08:40"]),
            "end": pd.to_datetime(["2026-03-02 08:40", "2026-03-02 08:50"]),
            "activity": ["morning_meeting", "visit"],
            "customer_id": [None, "C1"],
        }
    )
    path = tmp_path / "activities.parquet"
    frame.to_parquet(path)
    ds = tts.load_dataset(activities=path)
    assert ds.quarantine.empty
    assert ds.activities["row"].tolist() == [1, 2]
    pd.testing.assert_series_equal(
        ds.activities["end"], frame["end"].astype("datetime64[ns]"), check_names=False
    )


def test_read_raw_reports_missing_file(tmp_path):
    with pytest.raises(tts.InputError, match="does not exist"):
        read_raw(tmp_path / "nope.csv")


def test_undecodable_bytes_name_the_line(tmp_path):
    # 0xff never occurs in UTF-8 or GB18030; charset-normalizer then picks a single-byte code
    # page, so the file still loads instead of being guessed as UTF-16.
    path = tmp_path / "activities.csv"
    path.write_bytes(b"rep_id,date,start,end,activity\nR\xff1,2026-03-02,08:00,08:40,travel\n")
    ds = tts.load_dataset(activities=path)
    assert ds.row_counts.loc[0, "encoding"] not in ("utf-8", "gb18030", "utf_16")
    assert len(ds.activities) == 1


def test_bytes_no_encoding_can_read_are_a_clear_error(tmp_path):
    path = tmp_path / "activities.csv"
    path.write_bytes(b"rep_id,date,start,end,activity\nR\x81\xff,2026-03-02,08:00,08:40,travel\n")
    with pytest.raises(
        tts.InputError, match=r"cannot tell its text encoding: byte 32 \(line 2\) is"
    ):
        tts.load_dataset(activities=path)
