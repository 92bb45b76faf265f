"""Bad input, second pass: every class is a clear error or a quarantine, nothing silently changed.

Each test builds a small file, loads it and checks the error or the quarantine reason, and that
every record of the file (counted with Python's csv module, not from ``row_counts``) is either
used or set aside.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tts

from .conftest import CUSTOMERS_CSV, write

VISITS = "rep_id,customer_id,check_in,check_out\n"


def _records(text: str, sep: str = ",") -> int:
    """Records after the header, as Python's csv module splits the text."""
    return sum(1 for _ in csv.reader(io.StringIO(text), delimiter=sep)) - 1


def _adds_up(ds: tts.Dataset, table: str, records: int) -> None:
    c = ds.row_counts.set_index("table").loc[table]
    q_rows = set(ds.quarantine.loc[ds.quarantine["table"] == table, "row"])
    used_rows = set(getattr(ds, table)["row"]) if table != "visits" else set(ds.visits["row"])
    assert c["read"] == records
    assert c["used"] + c["quarantined"] == records
    assert len(used_rows) + len(q_rows) == records and not used_rows & q_rows


def _visits(tmp_path: Path, body: str, header: str = VISITS, **kwargs) -> tts.Dataset:
    write(tmp_path / "visits.csv", header + body)
    write(tmp_path / "customers.csv", CUSTOMERS_CSV)
    return tts.load_dataset(tmp_path, **kwargs)


def _reasons(ds: tts.Dataset, table: str = "visits") -> list[tuple[int, str, str, str]]:
    q = ds.quarantine[ds.quarantine["table"] == table]
    return list(q[["row", "column", "value", "reason"]].itertuples(index=False, name=None))


# --- 1. UTC offsets ------------------------------------------------------------------------


def test_offsets_are_converted_to_the_offset_most_rows_carry(tmp_path):
    body = (
        "R1,C1,2026-03-02T08:00:00+08:00,2026-03-02T08:10:00+08:00\n"
        "R1,C2,2026-03-02T01:00:00Z,2026-03-02T01:10:00Z\n"  # 09:00 at +08:00
        "R1,C1,2026-03-02T10:00:00+0800,2026-03-02 10:10\n"  # no offset: local already
    )
    ds = _visits(tmp_path, body)
    assert ds.quarantine.empty
    assert ds.visits["check_in"].dt.strftime("%H:%M").tolist() == ["08:00", "09:00", "10:00"]
    assert ds.visits["check_out"].dt.strftime("%H:%M").tolist() == ["08:10", "09:10", "10:10"]
    notes = ds.row_counts.set_index("table").loc["visits", "notes"]
    assert "5 time(s) with a UTC offset converted to +08:00" in notes
    assert "the offset most of its times carry" in notes
    _adds_up(ds, "visits", 3)


def test_offsets_follow_the_configured_time_zone_and_chinese_headers(tmp_path):
    body = "R1,C1,2026-03-02T00:00:00Z,2026-03-02T00:10:00Z\n"
    utc = _visits(tmp_path, body, method=tts.Method(timezone="Europe/Berlin"))
    assert utc.visits.loc[0, "check_in"] == pd.Timestamp("2026-03-02 01:00")
    zh = _visits(tmp_path, body, header="业务员,客户编号,到店时间,离店时间\n")
    assert zh.visits.loc[0, "check_in"] == pd.Timestamp("2026-03-02 08:00")
    notes = zh.row_counts.set_index("table").loc["visits", "notes"]
    assert "Asia/Shanghai (the headers are Chinese)" in notes


def test_tz_aware_parquet_timestamps(tmp_path):
    when = pd.to_datetime(["2026-03-02 00:00", "2026-03-02 01:00"]).tz_localize("UTC")
    frame = pd.DataFrame(
        {
            "rep_id": ["R1", "R1"],
            "customer_id": ["C1", "C2"],
            "check_in": when,
            "check_out": when + pd.Timedelta(minutes=10),
        }
    )
    frame.to_parquet(tmp_path / "visits.parquet", index=False)
    write(tmp_path / "customers.csv", CUSTOMERS_CSV)
    ds = tts.load_dataset(tmp_path, method=tts.Method(timezone="Asia/Shanghai"))
    assert ds.visits["check_in"].dt.strftime("%H:%M").tolist() == ["08:00", "09:00"]
    assert ds.visits["check_in"].dtype == "datetime64[ns]"


# --- 2. years outside the range --------------------------------------------------------------


def test_years_outside_the_range_are_impossible(tmp_path):
    years = ["9999", "2301", "1600"]
    body = "".join(f"R1,C1,{y}-03-02 08:00,2026-03-02 08:10\n" for y in years)
    ds = _visits(tmp_path, body + "R1,C2,2026-03-02 09:00,2026-03-02 09:10\n")
    assert _reasons(ds) == [
        (row, "check_in", f"{y}-03-02 08:00", "impossible_time")
        for row, y in enumerate(years, start=2)
    ]
    assert "1899 to 2200" in ds.quarantine.loc[0, "message"]
    _adds_up(ds, "visits", 4)


# --- 3. unclosed quotes --------------------------------------------------------------------


@pytest.mark.parametrize("where", ["middle", "end", "last line"])
def test_an_unclosed_quote_sets_aside_its_line_only(tmp_path, where):
    good = [f"R1,C1,2026-03-02 {h:02d}:00,2026-03-02 {h:02d}:10" for h in range(8, 14)]
    bad = 'R1,"C1,2026-03-02 15:00,2026-03-02 15:10'
    at = {"middle": 2, "end": 5, "last line": 6}[where]
    lines = [*good[:at], bad, *good[at:]]
    ds = _visits(tmp_path, "\n".join(lines) + ("" if where == "last line" else "\n"))
    line_no = at + 2  # the header is line 1
    assert _reasons(ds) == [(line_no, "", bad, "unclosed_quote")]
    assert f"line {line_no} opens a quote" in ds.quarantine.loc[0, "message"]
    assert len(ds.visits) == 6
    assert ds.row_counts.loc[1, "ignored_columns"] == ""  # no __row column leaks out
    # the records of the file once its stray quote is removed, counted by csv
    _adds_up(ds, "visits", _records(VISITS + "\n".join(lines).replace('"', "")))


def test_a_quoted_cell_may_span_lines(tmp_path):
    body = (
        'R1,C1,2026-03-02 08:00,2026-03-02 08:10,"first line\nsecond line"\n'
        "R1,C2,2026-03-02 09:00,2026-03-02 09:10,ok\n"
    )
    ds = _visits(tmp_path, body, header=VISITS.strip() + ",comment\n")
    assert ds.quarantine.empty
    assert ds.visits["row"].tolist() == [2, 3]
    _adds_up(ds, "visits", _records(VISITS.strip() + ",comment\n" + body))


# --- 6. decimal comma ----------------------------------------------------------------------


def test_semicolon_file_with_decimal_commas(tmp_path):
    write(
        tmp_path / "visits.csv",
        "rep_id;customer_id;check_in;check_out;sales_value\n"
        "R1;C1;2026-03-02 08:00;2026-03-02 08:10;467,34\n"
        "R1;C2;2026-03-02 09:00;2026-03-02 09:10;1.234,50\n"
        "R1;C1;2026-03-02 10:00;2026-03-02 10:10;12\n",
    )
    write(
        tmp_path / "customers.csv",
        "customer_id;name;lat;lon;channel;route_id\n"
        "C1;a;34,75;113,66;KA;R1\nC2;b;34,76;113,67;BC;R1\n",
    )
    ds = tts.load_dataset(tmp_path)
    assert ds.quarantine.empty
    assert ds.visits["sales_value"].tolist() == [467.34, 1234.5, 12.0]
    assert ds.customers["lat"].tolist() == [34.75, 34.76]
    _adds_up(ds, "visits", _records((tmp_path / "visits.csv").read_text(), ";"))
    assert "decimal comma" in ds.row_counts.set_index("table").loc["visits", "notes"]


@pytest.mark.parametrize(
    ("sep", "cells", "value"),
    [
        (";", ["1,234", "5"], "1,234"),  # nothing decides the mark in a ;-file
        (",", ['"467,34"', "1.5"], "467,34"),  # a comma decimal in a point file
        (";", ["467,34", "1.5"], "1.5"),  # a point decimal in a comma file
    ],
)
def test_numbers_whose_decimal_mark_is_ambiguous_are_set_aside(tmp_path, sep, cells, value):
    rows = [
        sep.join(["R1", "C1", f"2026-03-02 0{8 + i}:00", f"2026-03-02 0{8 + i}:10", cell])
        for i, cell in enumerate(cells)
    ]
    header = sep.join(["rep_id", "customer_id", "check_in", "check_out", "sales_value"]) + "\n"
    ds = _visits(tmp_path, "\n".join(rows) + "\n", header=header)
    reasons = _reasons(ds)
    assert [r[1:] for r in reasons] == [("sales_value", value, "ambiguous_number")]
    _adds_up(ds, "visits", _records(header + "\n".join(rows), sep))


# --- 7. day-first or month-first -----------------------------------------------------------


def test_month_first_decided_by_a_value_above_12(tmp_path):
    body = "R1,C1,03/02/2026 09:00,03/02/2026 09:10\nR1,C2,03/13/2026 09:00,03/13/2026 09:10\n"
    ds = _visits(tmp_path, body)
    assert ds.quarantine.empty
    assert ds.visits["check_in"].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-02", "2026-03-13"]
    assert "month first" in ds.row_counts.set_index("table").loc["visits", "notes"]


def test_undecided_day_month_order_is_set_aside_and_date_format_decides(tmp_path):
    body = "R1,C1,03/02/2026 09:00,03/02/2026 09:10\nR1,C2,05/05/2026 09:00,05/05/2026 09:10\n"
    ds = _visits(tmp_path, body)
    assert _reasons(ds) == [
        (2, "check_in", "03/02/2026 09:00", "ambiguous_date"),
        (2, "check_out", "03/02/2026 09:10", "ambiguous_date"),
    ]
    assert "date_format='DMY'" in ds.quarantine.loc[0, "message"]
    _adds_up(ds, "visits", 2)
    day_first = _visits(tmp_path, body, date_format="DMY")
    assert day_first.visits.loc[0, "check_in"] == pd.Timestamp("2026-02-03 09:00")
    write(tmp_path / "mapping.toml", 'date_format = "%m/%d/%Y"\n')
    month_first = tts.load_dataset(tmp_path)
    assert month_first.visits.loc[0, "check_in"] == pd.Timestamp("2026-03-02 09:00")
    with pytest.raises(tts.InputError, match="date_format must be 'DMY'"):
        tts.load_dataset(tmp_path, date_format="YDM")


# --- 8. ids that differ only in invisible or full-width characters ---------------------------


def test_ids_are_normalised_in_every_table(tmp_path):
    body = (
        "R1,C1,2026-03-02 08:00,2026-03-02 08:10\n"
        "R1\u200b,C2,2026-03-02 09:00,2026-03-02 09:10\n"
        "Ｒ１,C1\u00a0,2026-03-02 10:00,2026-03-02 10:10\n"
    )
    write(tmp_path / "reps.csv", "rep_id,name\n\ufeffR1\u2060,Ann\n")
    ds = _visits(tmp_path, body)
    assert ds.quarantine.empty
    assert ds.visits["rep_id"].tolist() == ["R1"] * 3
    assert ds.visits["customer_id"].tolist() == ["C1", "C2", "C1"]
    assert ds.reps["rep_id"].tolist() == ["R1"]
    notes = ds.row_counts.set_index("table")["notes"]
    # the non-breaking space around C1 is trimmed like any space; two ids were rewritten
    assert "2 id(s) normalised" in notes["visits"] and "1 id(s) normalised" in notes["reps"]
    assert ds.activities["rep_id"].nunique() == 1
    _adds_up(ds, "visits", _records((tmp_path / "visits.csv").read_text()))


# --- 9. Big5 or GB18030 --------------------------------------------------------------------


def test_big5_file_is_read_as_big5(tmp_path):
    text = "rep_id,name\n張偉,陳志明\n"
    write(tmp_path / "visits.csv", VISITS + "R1,C1,2026-03-02 08:00,2026-03-02 08:10\n")
    write(tmp_path / "customers.csv", CUSTOMERS_CSV)
    write(tmp_path / "reps.csv", "rep_id,name\nR1,陳志明\n", encoding="big5")
    ds = tts.load_dataset(tmp_path)
    assert ds.reps["name"].tolist() == ["陳志明"]
    assert ds.row_counts.set_index("table").loc["reps", "encoding"] == "big5"
    assert tts.io.files.detect_encoding(text.encode("gbk")) == "gb18030"


def test_undecidable_chinese_encoding_asks_for_encoding(tmp_path):
    (tmp_path / "reps.csv").write_bytes(b"rep_id,name\nR1,\xc4\xe3\n")  # GBK or Big5?
    write(tmp_path / "visits.csv", VISITS + "R1,C1,2026-03-02 08:00,2026-03-02 08:10\n")
    with pytest.raises(tts.InputError, match="encoding='big5'") as err:
        tts.load_dataset(tmp_path)
    assert err.value.file == "reps.csv"
    ds = tts.load_dataset(tmp_path, encoding="gb18030")
    assert ds.reps["name"].tolist() == ["你"]


# --- 10. duplicate headers, 11. two timelines ----------------------------------------------


def test_duplicate_header_names_both_columns(tmp_path):
    write(tmp_path / "visits.csv", "rep_id,customer_id,check_in,check_out,check_out\n")
    with pytest.raises(tts.InputError, match="columns 4 and 5 are both headed 'check_out'"):
        tts.load_dataset(tmp_path)
    frame = pd.DataFrame([["R1", "C1", "x", "y"]], columns=["rep_id", "rep_id", "a", "b"])
    with pytest.raises(tts.InputError, match="columns 1 and 2 are both headed 'rep_id'"):
        tts.load_dataset(visits=frame)


def test_duplicate_header_in_a_workbook(tmp_path):
    frame = pd.DataFrame([["R1", "C1", "2026-03-02 08:00", "2026-03-02 08:10"]])
    frame.columns = ["rep_id", "customer_id", "check_in", "customer_id"]  # type: ignore[assignment]
    frame.to_excel(tmp_path / "visits.xlsx", index=False)
    with pytest.raises(tts.InputError, match="columns 2 and 4 are both headed 'customer_id'"):
        tts.load_dataset(tmp_path)


def test_activities_and_visits_together_are_refused(tmp_path):
    write(tmp_path / "activities.csv", "rep_id,date,start,end,activity\n")
    write(tmp_path / "visits.csv", VISITS)
    with pytest.raises(tts.InputError, match=r"activities\.csv.*visits\.csv.*Keep one"):
        tts.load_dataset(tmp_path)


# --- 12. placeholders and (0, 0) ---------------------------------------------------------


def test_placeholder_ids_are_set_aside(tmp_path):
    placeholders = ["NaN", "null", "None", "-"]
    body = "".join(f"{p},C1,2026-03-02 08:00,2026-03-02 08:10\n" for p in placeholders)
    ds = _visits(tmp_path, body + "R1,C2,2026-03-02 09:00,2026-03-02 09:10\n")
    assert _reasons(ds) == [
        (row, "rep_id", p, "placeholder_id") for row, p in enumerate(placeholders, start=2)
    ]
    _adds_up(ds, "visits", 5)


def test_optional_placeholder_ids_read_as_empty_and_said_so(tmp_path):
    write(
        tmp_path / "activities.csv",
        "rep_id,date,start,end,activity,customer_id\n"
        "R1,2026-03-02,08:00,08:30,travel,-\nR1,2026-03-02,08:30,08:40,visit,-\n",
    )
    write(tmp_path / "customers.csv", CUSTOMERS_CSV)
    ds = tts.load_dataset(tmp_path)
    assert _reasons(ds, "activities") == [(3, "customer_id", "", "missing_value")]
    assert ds.activities["customer_id"].isna().all()
    assert "2 optional id(s)" in ds.row_counts.loc[0, "notes"]


def test_null_island_is_set_aside(tmp_path):
    write(tmp_path / "visits.csv", VISITS + "R1,C1,2026-03-02 08:00,2026-03-02 08:10\n")
    write(
        tmp_path / "customers.csv",
        "customer_id,name,lat,lon,channel,route_id\nC1,a,0,0,KA,R1\nC2,b,0,113.6,KA,R1\n",
    )
    write(tmp_path / "reps.csv", "rep_id,home_lat,home_lon\nR1,0.0,0.0\n")
    ds = tts.load_dataset(tmp_path)
    assert _reasons(ds, "customers") == [(2, "lat", "0", "null_island")]
    assert _reasons(ds, "reps") == [(2, "home_lat", "0.0", "null_island")]
    assert len(ds.visits) == 1  # the store's id is still known: the visit is real


# --- 4 and 13. user text in the report -------------------------------------------------------


def test_user_text_in_the_report_is_text(tmp_path):
    import datetime as dt
    import re

    from tts.report.document import Document

    from .test_report import pages

    doc = Document("en", "footer", dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
    doc.add_page()
    doc.para("rep $\\frac{1}{$ {nb}")
    ids = ["$\\frac{1}{$ {nb}", "L" * 2000]
    doc.table_of(["rep", "comment"], [[ids[0], "short"], [ids[1], "C" * 20_000]], [1, 2])
    doc.chart(lambda ax: ax.bar(ids, [1, 2]) and ax.set_title(ids[0]))
    path = tmp_path / "r.pdf"
    doc.output(str(path))
    text = " ".join(pages(path))
    assert text.count("$\\frac{1}{$ {nb}") == 2  # neither math nor the page count
    squeezed = re.sub(r"\s", "", text)
    assert "L" * 119 + "…" in squeezed and "L" * 200 not in squeezed
    assert "C" * 119 + "…" in squeezed and "C" * 200 not in squeezed


# --- 14. a plan that serves fewer stores claims no saving -------------------------------------


def test_a_plan_serving_fewer_stores_claims_no_saving():
    day = pd.Timestamp("2026-03-02")
    stops = [("09:00", "C1"), ("09:20", "C2"), ("09:40", "C3"), ("10:00", "C4")]
    rows = []
    for clock, cid in stops:
        s = day + pd.Timedelta(clock + ":00")
        rows.append(("R1", day, s, s + pd.Timedelta(minutes=9), "visit", cid))
        rows.append(
            ("R1", day, s + pd.Timedelta(minutes=9), s + pd.Timedelta(minutes=20), "travel", None)
        )
    customers = pd.DataFrame(
        {
            "customer_id": ["C1", "C2", "C3", "C4"],
            "name": list("abcd"),
            "lat": [34.70, 34.80, 34.71, 34.81],
            "lon": [113.60, 113.70, 113.61, 113.71],
            "channel": ["KA"] * 4,
            "route_id": ["R1"] * 4,
            "open_time": ["08:00", "08:00", "08:00", "05:00"],
            "close_time": ["18:00", "18:00", "18:00", "06:00"],  # C4 closed all day
        }
    )
    acts = pd.DataFrame(rows, columns=["rep_id", "date", "start", "end", "activity", "customer_id"])
    ds = tts.load_dataset(activities=acts, customers=customers)
    d = tts.optimize_routes(ds, workers=1).days.iloc[0]
    assert (d["stops"], d["served"]) == (4, 3)
    assert d["saving_min"] == 0 and d["travel_after_min"] == d["travel_before_min"]
    assert "serves 3 of the 4 stores" in d["note"]


# --- the command line never prints a traceback for bad input -------------------------------


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"visits.csv": VISITS.strip() + ",check_out\n"}, "visits.csv: columns 4 and 5"),
        ({"reps.csv": b"rep_id,name\nR1,\xc4\xe3\n"}, "reps.csv: cannot tell whether"),
    ],
)
def test_cli_reports_bad_input_in_one_line(tmp_path, files, expected):
    from click.testing import CliRunner

    from tts.cli import main

    write(tmp_path / "visits.csv", VISITS + "R1,C1,2026-03-02 08:00,2026-03-02 08:10\n")
    for name, content in files.items():
        p = tmp_path / name
        p.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    err_lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(err_lines) == 1 and expected in err_lines[0]


def test_cli_validate_lists_what_was_set_aside(tmp_path):
    from click.testing import CliRunner

    from tts.cli import main

    body = 'R1,"C1,2026-03-02 08:00,2026-03-02 08:10\nR1,C1,9999-03-02 08:00,2026-03-02 08:10\n'
    _visits(tmp_path, body + "R1,C2,2026-03-02 09:00,2026-03-02 09:10\n")
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "unclosed_quote" in result.output and "impossible_time" in result.output
    assert "Traceback" not in result.output


# --- property: a mutated valid file never crashes and its rows add up ----------------------

_VALID = (
    VISITS
    + "R1,C1,2026-03-02 08:00,2026-03-02 08:10\n"
    + "R1,C2,2026-03-02 08:30,2026-03-02 08:45\n"
    + "R2,C1,2026-03-02T09:00:00+08:00,2026-03-02T09:20:00+08:00\n"
    + "R2,C2,03/02/2026 10:00,03/02/2026 10:15\n"
)
_cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ['"', '"x', "x\ny", ";", "\t", "NaN", "-", "9999-01-01 08:00", "1,5", "1.234,5", "\u200b"]
    ),
)


@st.composite
def _mutated(draw: st.DrawFn) -> tuple[bytes, str]:
    lines = _VALID.splitlines(keepends=True)
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["cell", "quote", "delete", "duplicate", "blank"]))
        i = draw(st.integers(1, max(len(lines) - 1, 1))) if len(lines) > 1 else 0
        if kind == "cell" and len(lines) > 1:
            fields = lines[i].rstrip("\n").split(",")
            fields[draw(st.integers(0, len(fields) - 1))] = draw(_cells)
            lines[i] = ",".join(fields) + "\n"
        elif kind == "quote":
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + '"' + lines[i][pos:]
        elif kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "blank":
            lines.insert(i, "\n")
    text = "".join(lines)
    sep = draw(st.sampled_from([",", ";", "\t"]))
    if sep != ",":
        text = text.replace(",", sep)
    if draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16"]))
    return text.encode(encoding, errors="replace"), text


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=_mutated())
def test_mutated_files_load_or_fail_with_an_input_error(tmp_path, case):
    data, text = case
    (tmp_path / "visits.csv").write_bytes(data)
    write(tmp_path / "customers.csv", CUSTOMERS_CSV)
    try:
        ds = tts.load_dataset(tmp_path)
    except tts.InputError as exc:
        assert str(exc)
        return
    c = ds.row_counts.set_index("table").loc["visits"]
    q_rows = set(ds.quarantine.loc[ds.quarantine["table"] == "visits", "row"])
    used_rows = set(ds.visits["row"])
    assert c["used"] + c["quarantined"] == c["read"]
    assert not q_rows & used_rows and len(q_rows | used_rows) == c["read"]
    if '"' not in text and "\r" not in text and text.isascii():
        sep = next((s for s in (";", "\t") if s in text.split("\n", 1)[0]), ",")
        assert c["read"] == _records(text, sep)


@pytest.mark.parametrize("blank", ["\u200b", "\u3000", "\u200b \u00a0"])
def test_an_id_of_only_invisible_characters_is_a_missing_value(tmp_path, blank):
    """A rep id that is nothing but a zero-width or full-width space is empty once cleaned:
    the row is set aside as a missing value (it used to reach the timeline with no rep and
    crash it), and the other rows load."""
    (tmp_path / "visits.csv").write_text(
        "rep_id,customer_id,check_in,check_out\n"
        f"{blank},C1,2026-03-02 08:00,2026-03-02 08:10\n"
        "R1,C2,2026-03-02 08:30,2026-03-02 08:45\n"
        "R1,C1,2026-03-02 09:00,2026-03-02 09:20\n",
        encoding="utf-8",
    )
    write(tmp_path / "customers.csv", CUSTOMERS_CSV)
    ds = tts.load_dataset(tmp_path)
    q = ds.quarantine
    assert q[["table", "row", "column", "reason"]].values.tolist() == [
        ["visits", 2, "rep_id", "missing_value"]
    ]
    assert q["message"].iloc[0].startswith("rep_id is required")
    assert ds.visits["rep_id"].tolist() == ["R1", "R1"]
    assert ds.activities["rep_id"].notna().all()
