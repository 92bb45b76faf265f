"""Loading a dataset: quarantine reasons, fatal errors, mapping, accounting of rows."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tts
from tts.schema import REASONS

from .conftest import SAMPLE, write


def _problems(ds: tts.Dataset) -> list[list]:
    return ds.quarantine[["table", "row", "column", "value", "reason"]].values.tolist()


GOOD = "R1,2026-03-02,08:00,08:40,morning_meeting,"


@pytest.mark.parametrize(
    ("line", "column", "value", "reason"),
    [
        ("R1,2026-03-02,8h,08:40,travel,", "start", "8h", "unparseable_time"),
        ("R1,someday,08:00,08:40,travel,", "date", "someday", "unparseable_time"),
        ("R1,2026-03-02,08:00,25:10,travel,", "end", "25:10", "impossible_time"),
        ("R1,2026-02-30,08:00,08:40,travel,", "date", "2026-02-30", "impossible_time"),
        ("R1,2026-03-02,08:30,08:00,travel,", "end", "08:00", "end_before_start"),
        ("R1,2026-03-02,08:00,08:40,nap,", "activity", "nap", "unknown_code"),
        ("R1,2026-03-02,08:00,08:40,visit,C99", "customer_id", "C99", "unknown_customer"),
        ("R1,2026-03-02,08:00,08:40,visit,", "customer_id", "", "missing_value"),
        (",2026-03-02,08:00,08:40,travel,", "rep_id", "", "missing_value"),
        (GOOD, "rep_id", "R1", "duplicate_row"),
        (
            "R1,2026-03-02,2026-03-03 08:00,2026-03-03 09:00,travel,",
            "start",
            "2026-03-03 08:00",
            "impossible_time",
        ),
        (
            "R1,2026-03-02,2026-03-02 08:00,2026-03-04 09:00,travel,",
            "end",
            "2026-03-04 09:00",
            "impossible_time",
        ),
    ],
)
def test_each_bad_row_is_set_aside_with_its_reason(folder, line, column, value, reason):
    ds = tts.load_dataset(folder(GOOD, line))
    assert _problems(ds) == [["activities", 3, column, value, reason]]
    assert ds.quarantine.loc[0, "file"] == "activities.csv"
    assert ds.quarantine.loc[0, "message"]
    assert ds.activities["row"].tolist() == [2]
    assert ds.row_counts.set_index("table").loc["activities", "quarantined"] == 1


def test_coordinates_out_of_range(tmp_path):
    write(tmp_path / "activities.csv", "rep_id,date,start,end,activity\n" + GOOD[:-1] + "\n")
    write(
        tmp_path / "customers.csv",
        "customer_id,name,lat,lon,channel,route_id\n"
        "C1,a,34.7,113.6,KA,R1\nC2,b,134.7,113.6,KA,R1\nC3,c,34.7,213.6,BC,R1\n"
        "C4,d,north,113.6,BC,R1\nC5,e,,,BC,R1\n",
    )
    ds = tts.load_dataset(tmp_path)
    assert _problems(ds) == [
        ["customers", 3, "lat", "134.7", "coordinates_out_of_range"],
        ["customers", 4, "lon", "213.6", "coordinates_out_of_range"],
        ["customers", 5, "lat", "north", "unparseable_number"],
    ]
    # a customer without coordinates is kept: its time is real, only routing needs coordinates
    assert ds.customers["customer_id"].tolist() == ["C1", "C5"]


def test_activity_at_a_customer_set_aside_for_coordinates_is_kept(tmp_path):
    write(
        tmp_path / "activities.csv",
        "rep_id,date,start,end,activity,customer_id\nR1,2026-03-02,09:00,09:08,visit,C2\n",
    )
    write(
        tmp_path / "customers.csv",
        "customer_id,name,lat,lon,channel,route_id\nC2,b,134.7,113.6,KA,R1\n",
    )
    ds = tts.load_dataset(tmp_path)
    assert len(ds.activities) == 1
    assert ds.quarantine["table"].tolist() == ["customers"]


def test_every_problem_of_a_file_is_reported_in_one_pass(folder):
    ds = tts.load_dataset(
        folder(
            "R1,2026-03-02,8h,08:40,travel,",
            "R1,2026-03-02,08:00,08:40,nap,",
            "R1,2026-03-02,08:00,08:40,visit,C99",
            "R2,2026-03-02,08:00,08:40,travel,",
        )
    )
    assert sorted(ds.quarantine["reason"]) == [
        "unknown_code",
        "unknown_customer",
        "unparseable_time",
    ]
    assert ds.activities["rep_id"].tolist() == ["R2"]


def test_a_row_with_two_problems_is_counted_once(folder):
    ds = tts.load_dataset(folder("R1,someday,8h,08:40,nap,"))
    assert len(ds.quarantine) == 3
    counts = ds.row_counts.set_index("table").loc["activities"]
    assert (counts["read"], counts["used"], counts["quarantined"]) == (1, 0, 1)


def test_other_quarantine_reasons_in_other_tables(tmp_path):
    write(tmp_path / "activities.csv", "rep_id,date,start,end,activity\n" + GOOD[:-1] + "\n")
    write(
        tmp_path / "obstacles.csv",
        "rep_id,obstacle,score\nR1,reports,4\nR1,meeting,7\nR1,stock,x\n",
    )
    write(
        tmp_path / "shifts.csv",
        "rep_id,date,day_start,day_end,meeting_min\nR1,2026-03-02,08:00,17:00,-5\n",
    )
    ds = tts.load_dataset(tmp_path)
    assert _problems(ds) == [
        ["obstacles", 3, "score", "7", "score_out_of_range"],
        ["obstacles", 4, "score", "x", "unparseable_number"],
        ["shifts", 2, "meeting_min", "-5", "negative_value"],
    ]


def test_every_reason_code_is_documented():
    assert {
        "unparseable_time",
        "end_before_start",
        "impossible_time",
        "unknown_code",
        "unknown_customer",
        "duplicate_row",
        "missing_value",
        "coordinates_out_of_range",
    } <= set(REASONS)


def test_interval_crossing_midnight_is_read_as_next_day(folder):
    ds = tts.load_dataset(folder("R1,2026-03-02,23:40,00:20,travel,"))
    assert ds.quarantine.empty
    a = ds.activities.iloc[0]
    assert a["end"] == pd.Timestamp("2026-03-03 00:20")
    assert a["end"] - a["start"] == pd.Timedelta(minutes=40)


def test_end_of_day_as_24_00(folder):
    ds = tts.load_dataset(folder("R1,2026-03-02,23:30,24:00,admin,"))
    assert ds.activities.loc[0, "end"] == pd.Timestamp("2026-03-03 00:00")


def test_missing_required_column_names_file_column_and_fix(folder):
    with pytest.raises(tts.InputError) as err:
        tts.load_dataset(folder("R1,2026-03-02,08:00,travel", header="rep_id,date,end,activity"))
    msg = str(err.value)
    assert "activities.csv has no column 'start'" in msg
    assert "Found ['rep_id', 'date', 'end', 'activity']" in msg
    assert "开始时间" in msg and "mapping file" in msg
    assert err.value.file == "activities.csv" and err.value.column == "start"
    assert isinstance(err.value, ValueError)


def test_two_headers_for_one_column(folder):
    with pytest.raises(tts.InputError, match="both 'rep_id' and '业务员' map to 'rep_id'"):
        tts.load_dataset(
            folder(
                "R1,R1,2026-03-02,08:00,08:40,travel",
                header="rep_id,业务员,date,start,end,activity",
            )
        )


def test_folder_without_activities_or_visits(tmp_path):
    write(tmp_path / "customers.csv", "customer_id\nC1\n")
    with pytest.raises(tts.InputError, match="no activities or visits table"):
        tts.load_dataset(tmp_path)


def test_folder_with_two_files_for_one_table(folder):
    path = folder(GOOD)
    write(path / "activities.tsv", "rep_id\n")
    with pytest.raises(tts.InputError, match="2 files for the activities table"):
        tts.load_dataset(path)


def test_mapping_file_maps_headers_and_labels(folder, tmp_path):
    path = folder("甲,2026-03-02,08:00,08:40,开会,", header="业代,日子,从,到,干啥,客户编号")
    write(
        path / "mapping.toml",
        '[headers]\n"业代" = "rep_id"\n"日子" = "date"\n[headers.activities]\n'
        '"从" = "start"\n"到" = "end"\n"干啥" = "activity"\n[labels.activity]\n'
        '"开会" = "morning_meeting"\n',
    )
    ds = tts.load_dataset(path)
    assert ds.quarantine.empty
    assert ds.activities[["rep_id", "activity"]].values.tolist() == [["甲", "morning_meeting"]]


@pytest.mark.parametrize(
    ("toml", "match"),
    [
        ('[headers]\n"x" = "rep"\n', "'rep', which is not a canonical column"),
        ('[labels.activity]\n"x" = "nap"\n', "'nap', which is not a activity code"),
        ('[columns]\n"x" = "rep_id"\n', r"unknown section\(s\) \['columns'\]"),
        ('[headers.trips]\n"x" = "rep_id"\n', r"\[headers.trips\] names no table"),
        ("[headers\n", "not a valid UTF-8 TOML"),
    ],
)
def test_bad_mapping_file(folder, tmp_path, toml, match):
    path = folder(GOOD)
    write(path / "mapping.toml", toml)
    with pytest.raises(tts.InputError, match=match):
        tts.load_dataset(path)


def test_frames_are_not_modified():
    acts = pd.DataFrame(
        {
            "rep_id": ["R1", "R1"],
            "date": ["2026-03-02"] * 2,
            "start": ["08:00", "bad"],
            "end": ["08:40", "09:00"],
            "activity": ["travel", "travel"],
        }
    )
    before = acts.copy()
    ds = tts.load_dataset(activities=acts)
    pd.testing.assert_frame_equal(acts, before)
    assert ds.quarantine["file"].tolist() == ["<activities frame>"]
    assert ds.quarantine["row"].tolist() == [2]


def test_canonical_dtypes(tmp_path):
    path = write(
        tmp_path / "a.csv",
        "rep_id,date,start,end,activity,customer_id\n0042,2026-03-02,08:40,08:50,visit,007\n",
    )
    a = tts.load_dataset(activities=path).activities
    assert list(a.columns) == [
        "rep_id",
        "date",
        "start",
        "end",
        "activity",
        "customer_id",
        "route_id",
        "row",
    ]
    assert a["route_id"].isna().all()  # optional and absent from the file: present, empty
    assert a["start"].dtype == "datetime64[ns]"
    assert isinstance(a["activity"].dtype, pd.CategoricalDtype)
    assert a.loc[0, ["rep_id", "customer_id"]].tolist() == ["0042", "007"]  # ids stay text


def test_sample_data_loads_with_nothing_set_aside():
    en = tts.load_dataset(SAMPLE)
    zh = tts.load_dataset(SAMPLE / "zh")
    assert en.quarantine.empty and zh.quarantine.empty
    assert set(en.tables()) == {
        "activities",
        "customers",
        "reps",
        "sales",
        "role_survey",
        "role_matrix",
        "obstacles",
        "gps",
    }
    assert (en.row_counts["read"] == zh.row_counts["read"]).all()
    pd.testing.assert_frame_equal(en.activities, zh.activities)
    pd.testing.assert_frame_equal(en.gps, zh.gps)
    pd.testing.assert_frame_equal(
        en.customers.drop(columns="name"), zh.customers.drop(columns="name")
    )
    assert zh.row_counts["encoding"].eq("gb18030").all()


def test_dataset_renders_in_a_notebook(folder):
    ds = tts.load_dataset(folder(GOOD, "R1,2026-03-02,<b>,08:40,travel,"))
    page = ds._repr_html_()
    assert "1 set aside" in page and "unparseable_time" in page
    assert "<b>" not in page.replace("<b>tts Dataset</b>", "")
    assert "4 rows read, 3 used, 1 set aside" in repr(ds)  # with 2 customers


# --- property: every row read is either used or set aside --------------------------------

_good_rows = st.builds(
    lambda h, m, d: f"R1,2026-03-02,{h:02d}:{m:02d},{h:02d}:{m + d:02d},travel,",
    st.integers(6, 20),
    st.integers(0, 30),
    st.integers(0, 29),
)
_bad_rows = st.sampled_from(
    [
        "R1,2026-03-02,8h,08:40,travel,",
        "R1,2026-13-02,08:00,08:40,travel,",
        "R1,2026-03-02,08:00,07:00,travel,",
        "R1,2026-03-02,08:00,08:40,nap,",
        "R1,2026-03-02,08:00,08:40,visit,",
        "R1,2026-03-02,08:00,08:40,visit,C404",
        ",,,,,",
        "R1,2026-03-02,08:00,08:40,travel,,,extra",
        ",2026-03-02,08:00,08:40,travel,",
    ]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(st.one_of(_good_rows, _bad_rows), max_size=25))
def test_used_plus_quarantined_equals_read(folder, lines):
    ds = tts.load_dataset(folder(*lines))
    c = ds.row_counts.set_index("table").loc["activities"]
    assert c["read"] == len(lines)
    assert c["used"] + c["quarantined"] == c["read"]
    q_rows = set(ds.quarantine.loc[ds.quarantine["table"] == "activities", "row"])
    used_rows = set(ds.activities["row"])
    assert q_rows.isdisjoint(used_rows)
    assert q_rows | used_rows == set(range(2, len(lines) + 2))


def test_visits_file_rows_are_checked_like_activities(tmp_path):
    write(
        tmp_path / "visits.csv",
        "rep_id,customer_id,check_in,check_out\n"
        "R1,C1,2026-03-02 09:00,2026-03-02 09:10\n"
        "R1,C1,2026-03-02 10:00,2026-03-02 09:50\n"
        "R1,C9,2026-03-02 11:00,2026-03-02 11:10\n"
        "R1,C2,09:00,09:10\n",
    )
    write(
        tmp_path / "customers.csv",
        "customer_id,name,lat,lon,channel,route_id\n"
        "C1,a,34.75,113.66,KA,R1\nC2,b,34.76,113.66,BC,R1\n",
    )
    ds = tts.load_dataset(tmp_path)
    assert _problems(ds) == [
        ["visits", 3, "check_out", "2026-03-02 09:50", "end_before_start"],
        ["visits", 4, "customer_id", "C9", "unknown_customer"],
        ["visits", 5, "check_in", "09:00", "unparseable_time"],
        ["visits", 5, "check_out", "09:10", "unparseable_time"],
    ]
    assert ds.activities["activity"].astype(str).tolist() == ["visit"]


def test_large_file_with_scattered_bad_rows(tmp_path):
    n = 200_000
    lines = []
    for i in range(n):  # 100 five-minute activities a rep-day from 06:00, no two alike
        m = 360 + (i % 100) * 5
        activity = "nap" if i % 1000 == 0 else "travel"
        lines.append(
            f"R{i // 100},2026-03-02,{m // 60:02d}:{m % 60:02d},"
            f"{(m + 5) // 60:02d}:{(m + 5) % 60:02d},{activity},"
        )
    header = "rep_id,date,start,end,activity,customer_id"
    path = write(tmp_path / "activities.csv", "\n".join([header, *lines]) + "\n")
    ds = tts.load_dataset(activities=path)
    c = ds.row_counts.iloc[0]
    assert (c["read"], c["used"], c["quarantined"]) == (n, n - 200, 200)
    bad_rows = ds.quarantine["row"]
    assert bad_rows.iloc[:2].tolist() == [2, 1002]
    assert ds.quarantine["reason"].eq("unknown_code").all()


def test_parquet_reads_only_the_columns_the_table_uses(tmp_path, monkeypatch):
    frame = pd.DataFrame(
        {
            "业务员": ["R1", "R1"],
            "date": ["2026-03-02", "2026-03-02"],
            "start": ["08:00", "08:30"],
            "end": ["08:30", "08:40"],
            "activity": ["morning_meeting", "travel"],
            "crm_payload": ["x" * 50, "y" * 50],  # a wide column the diagnosis never uses
        }
    )
    path = tmp_path / "activities.parquet"
    frame.to_parquet(path, index=False)
    asked = []
    real = pq.ParquetFile.read

    def spy(self, *args, **kwargs):
        asked.append(kwargs.get("columns"))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "read", spy)
    ds = tts.load_dataset(activities=path)
    assert asked == [["业务员", "date", "start", "end", "activity"]]
    assert ds.row_counts.loc[0, "ignored_columns"] == "crm_payload"
    assert list(ds.activities["rep_id"]) == ["R1", "R1"]


def test_parquet_missing_a_required_column_names_it(tmp_path):
    pd.DataFrame({"rep_id": ["R1"], "date": ["2026-03-02"]}).to_parquet(
        tmp_path / "activities.parquet", index=False
    )
    with pytest.raises(tts.InputError, match="activities.parquet has no column 'start'"):
        tts.load_dataset(tmp_path)
