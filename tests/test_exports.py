"""The field-sales systems' own exports load as they are, from their folder, with no mapping.

Each layout holds the same three visits of rep R1 on 2026-03-02 (Asia/Shanghai): C1 08:00-08:10,
C2 08:30-08:45, C1 09:00-09:12, built here from the systems' public field lists.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import tts

from .conftest import CUSTOMERS_CSV, write

STARTS = ["08:00", "08:30", "09:00"]
ENDS = ["08:10", "08:45", "09:12"]
STORES = ["C1", "C2", "C1"]
UTC_MS = [1772409600000, 1772411400000, 1772413200000]  # 2026-03-02 00:00, 00:30, 01:00 UTC
UTC_MS_END = [1772410200000, 1772412300000, 1772413920000]


def _stamp(clock: str) -> str:
    return f"2026-03-02 {clock}:00"


def _check(ds: tts.Dataset, *, estimated: bool = False) -> None:
    v = ds.visits.sort_values("check_in")
    assert v["rep_id"].tolist() == ["R1"] * 3
    assert v["customer_id"].tolist() == STORES
    assert v["check_in"].dt.strftime("%H:%M").tolist() == STARTS
    if not estimated:
        assert v["check_out"].dt.strftime("%H:%M").tolist() == ENDS
        assert not v["end_estimated"].any()
    assert ds.quarantine.empty, ds.quarantine


def _folder(tmp_path: Path, name: str, frame: pd.DataFrame, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    if name.endswith(".xlsx"):
        frame.to_excel(path, index=False)
    else:
        path.write_bytes(frame.to_csv(index=False).encode(encoding))
    write(tmp_path / "customers.csv", CUSTOMERS_CSV)
    return tmp_path


def test_qince_visit_records_as_api_keys(tmp_path):
    frame = pd.DataFrame(
        {
            "visitor": ["R1"] * 3,
            "customer": ["Store one", "Store two", "Store one"],  # the name, not the id
            "customer_code": STORES,
            "visit_date": ["2026-03-02"] * 3,
            "arrive_time": [_stamp(s) for s in STARTS],
            "leave_time": [_stamp(e) for e in ENDS],
            "arrive_pos_offset": [12, 35, 640],
            "time_consume": [10, 15, 12],
        }
    )
    ds = tts.load_dataset(_folder(tmp_path, "queryCusVisitRecord_20260302.csv", frame))
    _check(ds)
    assert ds.visits["checkin_offset_m"].tolist() == [12.0, 35.0, 640.0]
    notes = ds.row_counts.set_index("table").loc["visits", "notes"]
    assert "queryCusVisitRecord_20260302.csv read as the visits table" in notes


def test_qince_visit_records_as_a_chinese_workbook(tmp_path):
    frame = pd.DataFrame(
        {
            "拜访人": ["R1"] * 3,
            "客户名称": ["一店", "二店", "一店"],
            "客户编码": STORES,
            "拜访日期": ["2026-03-02"] * 3,
            "到店时间": STARTS,
            "离店时间": ENDS,
            "签到偏差": [12, 35, 640],
        }
    )
    _check(tts.load_dataset(_folder(tmp_path, "拜访记录_20260302.xlsx", frame)))


@pytest.mark.parametrize("name", ["checkins.csv", "checkins.xlsx"])
def test_fxiaoke_epoch_milliseconds(tmp_path, name):
    frame = pd.DataFrame(
        {
            "openUserId": ["R1"] * 3,
            "userName": ["Ann"] * 3,
            "customerId": STORES,
            "checkinsTimeStamp": UTC_MS,
            "checkoutTimeStamp": UTC_MS_END,
            "checkinsDistnace": [5, 8, 13],
        }
    )
    ds = tts.load_dataset(_folder(tmp_path, name, frame))
    _check(ds)
    notes = ds.row_counts.set_index("table").loc["visits", "notes"]
    assert "6 epoch time(s)" in notes and "Asia/Shanghai" in notes


def test_epochs_without_a_known_zone_are_utc_and_said_so(tmp_path):
    frame = pd.DataFrame(
        {
            "rep_id": ["R1"] * 3,
            "customer_id": STORES,
            "check_in": [ms // 1000 for ms in UTC_MS],
            "check_out": [ms // 1000 for ms in UTC_MS_END],
        }
    )
    ds = tts.load_dataset(_folder(tmp_path, "visits.csv", frame))
    notes = ds.row_counts.set_index("table").loc["visits", "notes"]
    assert "read in +00:00" in notes and "set the method's timezone" in notes
    assert "most check-ins fall between 00:00 and 05:00" in notes
    local = tts.load_dataset(tmp_path, method=tts.Method(timezone="Asia/Shanghai"))
    _check(local)


def test_report_layout_with_a_date_and_clock_times(tmp_path):
    frame = pd.DataFrame(
        {
            "业务员": ["R1"] * 3,
            "客户编号": STORES,
            "拜访日期": ["2026/3/2"] * 3,
            "到店时间": STARTS,
            "离店时间": ENDS,
            "在店时长(分钟)": [10, 15, 12],
            "偏差距离(米)": [3, 4, 5],
        }
    )
    ds = tts.load_dataset(_folder(tmp_path, "拜访报表.csv", frame, encoding="gbk"))
    _check(ds)
    assert ds.row_counts.set_index("table").loc["visits", "encoding"] == "gb18030"


def test_check_in_only_log_gets_estimated_ends(tmp_path):
    frame = pd.DataFrame(
        {
            "user_id": ["R1"] * 3,
            "checkable_id": STORES,
            "created_at": [_stamp(s) for s in STARTS],
            "off_distance": [10, 20, 30],
        }
    )
    ds = tts.load_dataset(_folder(tmp_path, "crm_checkins.csv", frame))
    _check(ds, estimated=True)
    v = ds.visits.sort_values("check_in")
    assert v["end_estimated"].all()
    # C1 -> C2 is 1.4 km: 1.4 * 1.3 / 20 km/h = 5.5 min of drive, well before the next check-in;
    # every end is capped at the 9-minute visit
    minutes = (v["check_out"] - v["check_in"]).dt.total_seconds() / 60
    assert minutes.tolist() == [9.0, 9.0, 9.0]
    assert "3 visit(s) never checked out" in ds.row_counts.set_index("table").loc["visits", "notes"]


def test_never_checked_out_visit_is_kept_and_flagged(tmp_path):
    write(
        tmp_path / "visits.csv",
        "rep_id,customer_id,check_in,check_out\n"
        "R1,C1,2026-03-02 08:00,2026-03-02 08:10\n"
        "R1,C2,2026-03-02 08:30,\n"  # 未签退: next check-in 08:34, drive 5.5 min
        "R1,C1,2026-03-02 08:34,2026-03-02 08:50\n",
    )
    write(tmp_path / "customers.csv", CUSTOMERS_CSV)
    ds = tts.load_dataset(tmp_path)
    v = ds.visits
    assert v["end_estimated"].tolist() == [False, True, False]
    assert v.loc[1, "check_out"] == v.loc[1, "check_in"]  # no time left after the drive
    assert ds.quarantine.empty


def test_spreadsheet_mangled_ids_are_set_aside(tmp_path):
    write(
        tmp_path / "visits.csv",
        "rep_id,customer_id,check_in,check_out\n"
        "7.98651E+18,C1,2026-03-02 08:00,2026-03-02 08:10\n"
        "R1,123,2026-03-02 08:30,2026-03-02 08:40\n"
        "R1,C2,2026-03-02 09:00,2026-03-02 09:10\n",
    )
    write(tmp_path / "customers.csv", CUSTOMERS_CSV + "000123,Store three,34.7,113.6,BC,R1\n")
    ds = tts.load_dataset(tmp_path)
    q = ds.quarantine
    assert q[["row", "column", "value", "reason"]].values.tolist() == [
        [2, "rep_id", "7.98651E+18", "mangled_id"],
        [3, "customer_id", "123", "mangled_id"],
    ]
    assert q["message"].str.contains("as text").all()


def test_alias_clash_and_missing_columns_in_one_message(tmp_path):
    write(tmp_path / "visits.csv", "业务员,rep_id,customer\nR1,R1,C1\n")
    with pytest.raises(tts.InputError) as err:
        tts.load_dataset(tmp_path)
    msg = str(err.value)
    assert "both '业务员' and 'rep_id' map to 'rep_id'" in msg
    assert "has no column 'check_in'" in msg
    write(tmp_path / "mapping.toml", '[headers.visits]\n"rep_id" = "rep_id"\n')
    with pytest.raises(tts.InputError, match="has no column 'check_in'") as err:
        tts.load_dataset(tmp_path)
    assert "both" not in str(err.value)


def test_qince_track_log_in_gbk_pairs_events_into_visits(tmp_path):
    rows = [
        ("R1", "C1", "客户签到", "2026-03-02 08:00:00", 12),
        ("R1", "C1", "拜访-离开登记", "2026-03-02 08:10:00", 15),
        ("R1", "C2", "客户签到", "2026-03-02 08:30:00", 40),
        ("R1", "C2", "拍照", "2026-03-02 08:31:00", 40),  # another kind of event
        ("R1", "C2", "拜访-离开登记", "2026-03-02 08:45:00", 41),
        ("R1", "C1", "客户签到", "2026-03-02 09:00:00", 9),
        ("R1", "C1", "拜访-离开登记", "2026-03-02 09:12:00", 9),
        ("R1", "C2", "拜访-离开登记", "2026-03-02 10:00:00", 9),  # no check-in before it
    ]
    frame = pd.DataFrame(rows, columns=["visitor", "customer_code", "type", "submitTime", "offset"])
    ds = tts.load_dataset(_folder(tmp_path, "外勤轨迹_20260302.csv", frame, encoding="gbk"))
    v = ds.visits.sort_values("check_in")
    assert v["check_in"].dt.strftime("%H:%M").tolist() == STARTS
    assert v["check_out"].dt.strftime("%H:%M").tolist() == ENDS
    assert v["customer_id"].tolist() == STORES and v["row"].tolist() == [2, 4, 7]
    assert v["checkin_offset_m"].tolist() == [12.0, 40.0, 9.0]
    q = ds.quarantine
    assert q[["row", "reason"]].values.tolist() == [[5, "other_event"], [9, "unpaired_event"]]
    c = ds.row_counts.set_index("table").loc["visits"]
    assert (c["read"], c["used"], c["quarantined"]) == (8, 6, 2)
    assert "3 check-in(s) paired with 3 leave event(s)" in c["notes"]


def test_far_check_ins_and_disagreeing_durations_are_reported(tmp_path):
    write(
        tmp_path / "visits.csv",
        "rep_id,customer_id,check_in,check_out,duration_min,checkin_offset_m\n"
        "R1,C1,2026-03-02 08:00,2026-03-02 08:10,10,20\n"
        "R1,C2,2026-03-02 08:30,2026-03-02 08:45,25,850\n",
    )
    write(tmp_path / "customers.csv", CUSTOMERS_CSV)
    notes = tts.load_dataset(tmp_path).row_counts.set_index("table").loc["visits", "notes"]
    assert "1 visit(s) whose duration column disagrees" in notes and "(rows 3)" in notes
    assert "1 check-in(s) logged more than 300 m from their store" in notes


def test_validate_exits_non_zero_when_a_table_has_no_usable_rows(tmp_path):
    from click.testing import CliRunner

    from tts.cli import main

    write(
        tmp_path / "visits.csv",
        "拜访日期,业务员,客户编号,到店时间,离店时间\n2026/3/2,R1,C9,08:00,08:10\n",
    )
    write(tmp_path / "customers.csv", CUSTOMERS_CSV)
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "visits.csv: none of its 1 rows can be used" in result.output


def test_two_id_headers_for_the_store_the_customers_file_decides(tmp_path):
    write(
        tmp_path / "visits.csv",
        "业务员,客户编号,客户代码,到店时间,离店时间\n"
        "R1,K-77,C1,2026-03-02 08:00,2026-03-02 08:10\n"
        "R1,K-78,C2,2026-03-02 08:30,2026-03-02 08:45\n",
    )
    write(tmp_path / "customers.csv", CUSTOMERS_CSV)
    ds = tts.load_dataset(tmp_path)
    assert ds.visits["customer_id"].tolist() == ["C1", "C2"]
    notes = ds.row_counts.set_index("table").loc["visits", "notes"]
    assert "customer_id read from '客户代码'" in notes
    write(tmp_path / "customers.csv", "customer_id,name,lat,lon,channel,route_id\n")
    with pytest.raises(tts.InputError, match="both '客户编号' and '客户代码' map to 'customer_id'"):
        tts.load_dataset(tmp_path)


def test_a_far_check_in_is_an_audit_flag_that_lowers_trust(tmp_path):
    # the system's own check-in distance (arrive_pos_offset) judges when there is no track:
    # 640 m is beyond the default 300 m radius, 12 m and 35 m are not
    frame = pd.DataFrame(
        {
            "visitor": ["R1"] * 3,
            "customer_code": STORES,
            "arrive_time": [_stamp(s) for s in STARTS],
            "leave_time": [_stamp(e) for e in ENDS],
            "arrive_pos_offset": [12, 35, 640],
        }
    )
    ds = tts.load_dataset(_folder(tmp_path, "queryCusVisitRecord_20260302.csv", frame))
    d = tts.diagnose(ds)
    far = d.audit.flags[d.audit.flags["check"] == "checkin_not_at_store"]
    assert far["value"].tolist() == ["640 m"]
    third = ds.visits.sort_values("check_in")["row"].iat[2]
    assert far["rows"].tolist() == [str(third)]
    trust = d.audit.trust.set_index("rep_id").loc["R1"]
    assert trust["checkin_not_at_store"] == 1
    # one of three visits flagged, at the check's catalogue weight: 100 × (1 − w/3) at most
    w = tts.catalogue.KINDS["checkin_not_at_store"].weight
    assert trust["trust_score"] <= 100 * (1 - w / 3) + 1e-9
    # a wider radius clears it
    wide = tts.diagnose(ds, method=tts.Method(checkin_radius_m=700))
    assert "checkin_not_at_store" not in set(wide.audit.flags["check"])
