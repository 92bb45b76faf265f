"""Typing and validating one raw table into a canonical table, with a quarantine of bad rows.

The pipeline for a file: map headers (missing required column → :class:`~tts.InputError`), parse
each column by its kind (:mod:`tts.schema`), translate code labels, validate the typed frame with
its pandera schema in one lazy pass, apply the checks that span columns (intervals, customer
activities without a customer), then set aside duplicates. Every problem becomes one issue row
(file, table, row, column, value, reason, message); a row with any issue is quarantined whole.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..schema import CUSTOMER_ACTIVITIES, REASONS, SCHEMAS, Column, TableSpec
from .files import RawTable
from .headers import Mapping, map_headers, map_labels
from .times import ParsedClock, parse_clock, parse_date, parse_datetime, parse_time_of_day

__all__ = ["ISSUE_COLUMNS", "MAX_OVERNIGHT", "TypedTable", "empty_issues", "type_table"]

#: Columns of the quarantine table.
ISSUE_COLUMNS = ["file", "table", "row", "column", "value", "reason", "message"]

#: A clock-time end earlier than its start is read as the next day when the interval it then
#: makes is at most this long (23:40 → 00:20 is 40 minutes after midnight); otherwise the row is
#: quarantined as ``end_before_start`` (08:30 → 08:00 is a typo, not a 23.5-hour activity).
MAX_OVERNIGHT = pd.Timedelta(hours=6)
#: Longest interval a row may describe.
MAX_INTERVAL = pd.Timedelta(hours=24)

_EXPECTED = {
    "date": "expected a date such as 2026-03-02, 2026/3/2, 2026年3月2日 or an Excel serial day",
    "clock": "expected a time HH:MM, a date and time, or an Excel serial time",
    "time": "expected a time of day HH:MM or an Excel serial time",
    "datetime": "expected a date and time such as 2026-03-02 08:15, or an Excel serial datetime",
}


class _Issues:
    """Collects issues for one table, aligned on the positional index of its frame."""

    def __init__(self, raw: RawTable, table: str, text: pd.DataFrame):
        self.raw = raw
        self.table = table
        self.text = text
        self.parts: list[pd.DataFrame] = []

    def add(
        self,
        mask: pd.Series,
        column: str,
        reason: str,
        message: str,
        value: pd.Series | None = None,
    ) -> None:
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        pos = np.flatnonzero(mask.to_numpy())
        if value is None:
            value = self.text[column] if column in self.text else pd.Series("", index=mask.index)
        values = value.iloc[pos]
        self.parts.append(
            pd.DataFrame(
                {
                    "file": self.raw.file,
                    "table": self.table,
                    "row": self.raw.rows[pos].astype("int64"),
                    "column": column,
                    "value": pd.array(values.astype(object).where(values.notna(), ""), dtype="str"),
                    "reason": reason,
                    "message": message,
                }
            )
        )

    def flagged(self, index: pd.Index) -> pd.Series:
        """True for rows with at least one issue so far."""
        rows = self.frame()["row"].to_numpy()
        return pd.Series(np.isin(self.raw.rows, rows), index=index)

    def flagged_cells(self, column: str) -> np.ndarray:
        frame = self.frame()
        return frame.loc[frame["column"] == column, "row"].to_numpy()

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return empty_issues()
        # one line per cell and reason, even when two rules find the same thing
        frame = pd.concat(self.parts, ignore_index=True)
        return frame.drop_duplicates(["row", "column", "reason"]).reset_index(drop=True)


def empty_issues() -> pd.DataFrame:
    """An empty quarantine table with the right columns and dtypes."""
    return pd.DataFrame(
        {c: pd.Series(dtype="int64" if c == "row" else "str") for c in ISSUE_COLUMNS}
    )


def _as_text(s: pd.Series) -> pd.Series:
    """Cells as trimmed text, NaN where empty (Parquet columns arrive typed)."""
    if not (pd.api.types.is_string_dtype(s.dtype) or s.dtype == object):
        s = pd.Series(s.astype(object).where(s.notna()), index=s.index, dtype="object")
        s = s.map(_scalar_text, na_action="ignore")
    s = s.astype("str").str.strip()
    return s.mask(s.eq(""))


def _empty_column(col: Column, n: int, index: pd.Index) -> pd.Series:
    kind_dtype = {
        "date": "datetime64[ns]",
        "clock": "datetime64[ns]",
        "datetime": "datetime64[ns]",
        "time": "timedelta64[ns]",
        "number": "float64",
    }
    return pd.Series(np.nan, index=index, dtype=kind_dtype.get(col.kind, "str"))


def _scalar_text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _parse_number(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_numeric_dtype(s.dtype):
        num = s.astype("float64")
        return num, pd.Series(False, index=s.index)
    num = pd.to_numeric(s.str.replace(",", "", regex=False), errors="coerce").astype("float64")
    bad = s.notna() & ~np.isfinite(num.fillna(0.0)) | (s.notna() & num.isna())
    return num.where(~bad), bad


def _assemble_interval(
    date: pd.Series,
    start: ParsedClock,
    end: ParsedClock,
    names: tuple[str, str],
    issues: _Issues,
) -> tuple[pd.Series, pd.Series]:
    """Combine a date with start and end clocks into two datetimes, with the midnight rule.

    A clock-only value is placed on the row's date; a value with its own date must agree with
    it (the start on the date, the end on the date or the day after). A clock-only end before its
    start moves to the next day if that makes an interval of at most :data:`MAX_OVERNIGHT`.
    """
    s_name, e_name = names
    start_dt = start.absolute.fillna(date + start.offset)
    end_dt = end.absolute.fillna(date + end.offset)
    wraps = (
        end.offset.notna()
        & (end_dt < start_dt)
        & (end_dt + pd.Timedelta(days=1) - start_dt <= MAX_OVERNIGHT)
    )
    end_dt = end_dt.where(~wraps, end_dt + pd.Timedelta(days=1))

    issues.add(
        start.absolute.notna() & date.notna() & (start.absolute.dt.normalize() != date),
        s_name,
        "impossible_time",
        "the start carries a different day than the date column",
    )
    end_day = end.absolute.dt.normalize()
    issues.add(
        end.absolute.notna()
        & date.notna()
        & (end_day != date)
        & (end_day != date + pd.Timedelta(days=1)),
        e_name,
        "impossible_time",
        "the end carries a day other than the date column or the day after",
    )
    _check_order(start_dt, end_dt, e_name, issues)
    return start_dt, end_dt


def _check_order(start: pd.Series, end: pd.Series, e_name: str, issues: _Issues) -> None:
    issues.add(
        end < start,
        e_name,
        "end_before_start",
        f"the interval ends before it starts; an end before the start is read as the next day "
        f"only when that makes an interval of at most {MAX_OVERNIGHT.seconds // 3600} hours",
    )
    issues.add(
        end - start > MAX_INTERVAL,
        e_name,
        "impossible_time",
        "the interval lasts more than 24 hours",
    )


def _parse_columns(
    text: pd.DataFrame, spec: TableSpec, mapping: Mapping, issues: _Issues
) -> tuple[dict[str, pd.Series], dict[str, ParsedClock]]:
    typed: dict[str, pd.Series] = {}
    clocks: dict[str, ParsedClock] = {}
    for col in spec.columns:
        if col.name not in text:
            continue
        s = text[col.name]
        if col.kind in ("id", "text"):
            typed[col.name] = s
        elif col.kind == "code":
            typed[col.name] = map_labels(s, col.name, mapping)
        elif col.kind == "number":
            typed[col.name], bad = _parse_number(s)
            issues.add(bad, col.name, "unparseable_number", "expected a number")
        elif col.kind == "clock":
            clocks[col.name] = parse_clock(s)
            _report_time(clocks[col.name].reason, col, issues)
        else:
            parser = {"date": parse_date, "time": parse_time_of_day, "datetime": parse_datetime}
            typed[col.name], reason = parser[col.kind](s)
            _report_time(reason, col, issues)
    return typed, clocks


def _report_time(reason: pd.Series, col: Column, issues: _Issues) -> None:
    for code in ("unparseable_time", "impossible_time"):
        msg = (
            _EXPECTED[col.kind]
            if code == "unparseable_time"
            else ("not a possible date or time (hours 0-24, minutes and seconds 0-59, a real day)")
        )
        issues.add(reason.eq(code), col.name, code, msg)


def _table_rules(
    spec: TableSpec,
    typed: dict[str, pd.Series],
    clocks: dict[str, ParsedClock],
    issues: _Issues,
) -> None:
    """Checks that span columns, per table."""
    if spec.name == "activities":
        typed["start"], typed["end"] = _assemble_interval(
            typed["date"], clocks["start"], clocks["end"], ("start", "end"), issues
        )
        needs_customer = typed["activity"].isin(CUSTOMER_ACTIVITIES)
        customer = typed.get("customer_id", pd.Series(np.nan, index=needs_customer.index))
        issues.add(
            needs_customer & customer.isna(),
            "customer_id",
            "missing_value",
            f"a customer activity ({', '.join(CUSTOMER_ACTIVITIES)}) needs a customer_id",
            value=customer,
        )
    elif spec.name == "shifts":
        typed["day_start"], typed["day_end"] = _assemble_interval(
            typed["date"], clocks["day_start"], clocks["day_end"], ("day_start", "day_end"), issues
        )
    elif spec.name == "visits":
        _check_order(typed["check_in"], typed["check_out"], "check_out", issues)


def _validate_values(
    frame: pd.DataFrame,
    spec: TableSpec,
    text: pd.DataFrame,
    keep: pd.Series | None,
    issues: _Issues,
) -> None:
    """One lazy pandera pass; its failures become issues (a cell is reported once).

    ``frame`` must have a RangeIndex; ``keep`` masks the rows to report (blank rows are
    reported once, as blank).
    """
    try:
        SCHEMAS[spec.name].validate(frame, lazy=True)
        return
    except pa.errors.SchemaErrors as exc:
        failures = exc.failure_cases
    failures = failures[failures["index"].notna() & failures["column"].notna()]
    for (column, check), group in failures.groupby(["column", "check"], sort=True):
        index = group["index"].astype("int64").to_numpy()
        mask = pd.Series(False, index=frame.index)
        mask.iloc[index] = True
        if keep is not None:
            mask &= keep
        col = spec.column(str(column))
        if check == "not_nullable":
            # Cells already reported as unreadable are not "missing" a second time.
            mask &= text[col.name].isna() if col.name in text else mask
            issues.add(mask, col.name, "missing_value", f"{col.name} is required")
        elif check == "unknown_code":
            issues.add(
                mask,
                col.name,
                "unknown_code",
                f"expected one of {list(col.codes)}; map other labels in the mapping file",
            )
        else:
            issues.add(mask, col.name, str(check), REASONS.get(str(check), str(check)))


def _flag_duplicates(frame: pd.DataFrame, spec: TableSpec, rows: np.ndarray, issues: _Issues):  # type: ignore[no-untyped-def]
    ok = ~issues.flagged(frame.index)
    subset = list(spec.key) if spec.key else [c for c in spec.names if c in frame]
    clean = frame.loc[ok, subset]
    if clean.empty:
        return
    dup = clean.duplicated(keep="first")
    if not dup.any():
        return
    group = clean.groupby(subset, dropna=False, sort=False).ngroup()
    first_row = pd.Series(rows[ok.to_numpy()], index=clean.index).groupby(group).transform("first")
    mask = pd.Series(False, index=frame.index)
    mask[dup[dup].index] = True
    what = "the same record" if not spec.key else f"the same {', '.join(spec.key)}"
    for first, idx in first_row[dup].groupby(first_row[dup]).groups.items():
        m = pd.Series(False, index=frame.index)
        m[idx] = True
        issues.add(m, subset[0], "duplicate_row", f"{what} as row {first}")


class TypedTable(NamedTuple):
    """Result of :func:`type_table`.

    Attributes
    ----------
    table : pandas.DataFrame
        The good rows: every canonical column in contract order (an optional column the file
        lacks is empty), typed, plus ``row``, the row number in the file.
    issues : pandas.DataFrame
        One row per problem, columns :data:`ISSUE_COLUMNS`.
    ignored : list of str
        The file's headers that map onto no canonical column.
    text : pandas.DataFrame
        Every row's canonical cells as text, for checks against other tables.
    rows : numpy.ndarray
        Every row's number in the file, aligned with ``text``.
    """

    table: pd.DataFrame
    issues: pd.DataFrame
    ignored: list[str]
    text: pd.DataFrame
    rows: np.ndarray


def type_table(raw: RawTable, spec: TableSpec, mapping: Mapping) -> TypedTable:
    """Turn a raw file into a canonical table, setting bad rows aside.

    Parameters
    ----------
    raw : RawTable
        The file as read.
    spec : TableSpec
        The canonical table it holds.
    mapping : Mapping
        The user's header and label mapping.

    Returns
    -------
    TypedTable

    Raises
    ------
    InputError
        A required column is missing.
    """
    header_map = map_headers(list(raw.frame.columns), spec, mapping, file=raw.file)
    ignored = [str(c) for c in raw.frame.columns if str(c) not in header_map]
    ignored += list(raw.skipped)
    source = raw.frame.reset_index(drop=True)
    text = pd.DataFrame(
        {canonical: _as_text(source[rawname]) for rawname, canonical in header_map.items()},
        index=source.index,
    )
    issues = _Issues(raw, spec.name, text)
    if not raw.malformed.empty:
        issues.parts.append(
            pd.DataFrame(
                {
                    "file": raw.file,
                    "table": spec.name,
                    "row": raw.malformed["row"].astype("int64"),
                    "column": "",
                    "value": raw.malformed["value"],
                    "reason": "malformed_row",
                    "message": REASONS["malformed_row"],
                }
            )
        )
    blank = source.isna().all(axis=1) if len(source.columns) else pd.Series(dtype=bool)
    issues.add(blank, "", "blank_row", REASONS["blank_row"], value=pd.Series("", index=text.index))

    typed, clocks = _parse_columns(text, spec, mapping, issues)
    _table_rules(spec, typed, clocks, issues)
    frame = pd.DataFrame({c: typed[c] for c in spec.names if c in typed}, index=text.index)
    for col in spec.columns:  # optional columns the file lacks: present, and empty
        if col.name not in frame:
            frame[col.name] = _empty_column(col, len(frame), frame.index)
    frame = frame[spec.names]
    _validate_values(frame, spec, text, ~blank if len(blank) else None, issues)
    _flag_duplicates(frame, spec, raw.rows, issues)

    good = ~issues.flagged(frame.index)
    table = frame[good].copy()
    for col in spec.columns:
        if col.kind == "code" and col.name in table:
            table[col.name] = pd.Categorical(table[col.name], categories=list(col.codes))
    table["row"] = raw.rows[good.to_numpy()].astype("int64")
    return TypedTable(table.reset_index(drop=True), issues.frame(), ignored, text, raw.rows)
