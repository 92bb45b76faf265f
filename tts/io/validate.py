"""Typing and validating one raw table into a canonical table, with a quarantine of bad rows.

The pipeline for a file: map headers (missing required column → :class:`~tts.InputError`), parse
each column by its kind (:mod:`tts.schema`), translate code labels, validate the typed frame with
its pandera schema in one lazy pass, apply the checks that span columns (intervals, customer
activities without a customer), then set aside duplicates. Every problem becomes one issue row
(file, table, row, column, value, reason, message); a row with any issue is quarantined whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..schema import CUSTOMER_ACTIVITIES, REASONS, SCHEMAS, Column, TableSpec
from .files import RawTable
from .headers import CHINESE_SYSTEM_FIELDS, Mapping, map_headers, map_labels, normalise
from .times import (
    ParsedClock,
    infer_date_order,
    is_epoch,
    offset_of,
    parse_clock,
    parse_date,
    parse_datetime,
    parse_time_of_day,
)

__all__ = [
    "ISSUE_COLUMNS",
    "MAX_OVERNIGHT",
    "PLACEHOLDERS",
    "TypedTable",
    "empty_issues",
    "normalise_ids",
    "type_table",
]

#: Cell texts that stand for "no value" in exports; never an id (compared lower-cased).
PLACEHOLDERS: frozenset[str] = frozenset(
    {"nan", "null", "none", "-", "--", "n/a", "#n/a", "undefined"}
)
# Characters that do not show: zero-width spaces and joiners, the word joiner, the BOM.
_INVISIBLE = "[\u200b\u200c\u200d\u2060\ufeff\u00ad]"
# Number forms, told apart to decide a file's decimal mark (see _parse_number).
_PLAIN = r"[+-]?\d+"
_POINT_DEC = r"[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)\.\d+"
_COMMA_DEC = r"[+-]?(?:\d+|\d{1,3}(?:\.\d{3})+),\d+"
_COMMA_GROUPS = r"[+-]?\d{1,3}(?:,\d{3})+"
_POINT_GROUPS = r"[+-]?\d{1,3}(?:\.\d{3})+"
# an id a spreadsheet wrote in scientific notation: 7.98651E+18, 1.2E+05
_SCIENTIFIC_RE = re.compile(r"\s*\d(?:[.,]\d+)?[eE]\+?\d+\s*")
# a value ending in a UTC offset (checked before the offsets are counted)
_ANY_OFFSET = r"\d\s*(?:[+-]\d{2}:?\d{2}|[Zz])\s*$"
_CJK = re.compile(r"[\u3400-\u9fff]")
#: The survey's time zone when the configuration sets none and the headers are Chinese.
CHINESE_TIMEZONE = "Asia/Shanghai"

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


def decimal_mark(columns: list[pd.Series], delimiter: str | None) -> str | None:
    """The decimal mark of a file's numbers: ``"."``, ``","`` or None when nothing decides.

    ``467,34`` and ``1.234,50`` say comma, ``467.34`` and ``1,234.50`` say point. When both
    appear, the separator decides (``;``: comma, else point) and the values with the other mark
    are ambiguous. When no value decides, a ``;``-separated file gets None (``1,234`` and
    ``1.234`` are then ambiguous) and any other file a point.
    """
    comma = point = False
    for s in columns:
        u = pd.Series(pd.unique(s.dropna()), dtype="str").str.strip()
        comma |= bool((u.str.fullmatch(_COMMA_DEC) & ~u.str.fullmatch(_COMMA_GROUPS)).any())
        point |= bool((u.str.fullmatch(_POINT_DEC) & ~u.str.fullmatch(_POINT_GROUPS)).any())
    if comma != point:
        return "," if comma else "."
    if comma:  # both marks: the separator says which one is the file's, the others stand out
        return "," if delimiter == ";" else "."
    return None if delimiter == ";" else "."


def _parse_number(s: pd.Series, mark: str | None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Numbers by the file's decimal mark; the masks of unreadable and ambiguous values."""
    none = pd.Series(False, index=s.index)
    if pd.api.types.is_numeric_dtype(s.dtype):
        return s.astype("float64"), none, none
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    u = pd.Series(np.asarray(uniques, dtype=object), dtype="str").str.strip()
    comma_dec = u.str.fullmatch(_COMMA_DEC) & ~u.str.fullmatch(_COMMA_GROUPS)
    point_dec = u.str.fullmatch(_POINT_DEC) & ~u.str.fullmatch(_POINT_GROUPS)
    comma_groups = u.str.fullmatch(_COMMA_GROUPS)
    point_groups = u.str.fullmatch(_POINT_GROUPS)
    text = u.copy()
    ambiguous = pd.Series(False, index=u.index)
    if mark == ",":
        as_comma = comma_dec | point_groups
        text = text.where(~as_comma, u.str.replace(".", "", regex=False).str.replace(",", "."))
        ambiguous = point_dec.copy()  # 467.34 in a decimal-comma file
    elif mark == ".":
        text = text.where(~(comma_groups | point_dec), u.str.replace(",", "", regex=False))
        ambiguous = comma_dec.copy()  # 467,34 in a decimal-point file
    else:
        text = text.where(~comma_dec, u.str.replace(".", "", regex=False).str.replace(",", "."))
        text = text.where(~point_dec, u.str.replace(",", "", regex=False))
        ambiguous = comma_groups | point_groups
    num = pd.to_numeric(text.where(~ambiguous), errors="coerce").astype("float64")
    bad = u.notna() & ~ambiguous & ~np.isfinite(num.fillna(np.inf))

    def back(x: pd.Series, fill: object) -> pd.Series:
        arr = x.to_numpy()
        out = pd.Series(arr[np.where(codes < 0, 0, codes)] if len(arr) else fill, index=s.index)
        return out.where(codes >= 0, fill)

    value = back(num, np.nan).astype("float64")
    bad_s = back(bad, False).astype(bool)
    amb_s = back(ambiguous, False).astype(bool)
    return value.where(~bad_s & ~amb_s), bad_s, amb_s


def normalise_ids(s: pd.Series) -> tuple[pd.Series, int]:
    """Ids as one text per entity: NFKC (full-width forms, non-breaking spaces), invisible
    characters removed, surrounding white space stripped; and how many cells changed.

    Examples
    --------
    >>> ids, n = normalise_ids(pd.Series(["R1", "R1\u200b", "Ｒ１", " R1\u00a0"], dtype="str"))
    >>> ids.tolist(), n
    (['R1', 'R1', 'R1', 'R1'], 3)
    """
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    u = pd.Series(np.asarray(uniques, dtype=object), dtype="str")
    clean = u.str.normalize("NFKC").str.replace(_INVISIBLE, "", regex=True).str.strip()
    clean = clean.mask(clean.eq(""))
    changed = (clean != u).fillna(True).to_numpy()
    if not changed.any():
        return s, 0
    n = int(np.isin(codes, np.flatnonzero(changed)).sum())
    arr = clean.to_numpy(dtype=object)
    out = pd.Series(
        np.where(codes < 0, None, arr[np.where(codes < 0, 0, codes)]), index=s.index, dtype="str"
    )
    return out, n


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


def _visit_times(
    typed: dict[str, pd.Series], clocks: dict[str, ParsedClock], issues: _Issues
) -> None:
    """Check-in and check-out as datetimes: full datetimes, or clock times on ``date``."""
    check_in = clocks["check_in"]
    index = check_in.offset.index
    nat = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    none = pd.Series(pd.NaT, index=index, dtype="timedelta64[ns]")
    check_out = clocks.get("check_out", ParsedClock(none, nat, pd.Series(np.nan, index=index)))
    date = typed.get("date")
    if date is not None:
        typed["check_in"], typed["check_out"] = _assemble_interval(
            date, check_in, check_out, ("check_in", "check_out"), issues
        )
        return
    for name, clock in (("check_in", check_in), ("check_out", check_out)):
        issues.add(
            clock.offset.notna() & clock.absolute.isna(),
            name,
            "unparseable_time",
            "a clock time without a date: expected a date and time such as 2026-03-02 08:15, "
            "or a date column (visit_date, 拜访日期) beside clock times",
        )
    typed["check_in"], typed["check_out"] = check_in.absolute, check_out.absolute
    _check_order(check_in.absolute, check_out.absolute, "check_out", issues)


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


class _Reading(NamedTuple):
    """How a file's values are read: decided once per file, stated in the load summary."""

    tz: str | None
    date_order: str | None
    decimal: str | None
    delimiter: str | None


def _parse_columns(
    text: pd.DataFrame,
    spec: TableSpec,
    mapping: Mapping,
    issues: _Issues,
    reading: _Reading,
    notes: list[str],
) -> tuple[dict[str, pd.Series], dict[str, ParsedClock]]:
    typed: dict[str, pd.Series] = {}
    clocks: dict[str, ParsedClock] = {}
    normalised = placeholders = 0
    when = {"tz": reading.tz, "date_order": reading.date_order}
    for col in spec.columns:
        if col.name not in text:
            continue
        s = text[col.name]
        if col.kind == "id":
            s, n = normalise_ids(s)
            normalised += n
            issues.add(
                s.isin([u for u in pd.unique(s.dropna()) if _SCIENTIFIC_RE.fullmatch(str(u))]),
                col.name,
                "mangled_id",
                f"{col.name} was turned into a number in scientific notation by a spreadsheet; "
                "its last digits are lost. Export the column as text (format it as Text before "
                "saving, or export straight from the system as CSV) and load again",
            )
            blank = s.isin([u for u in pd.unique(s.dropna()) if str(u).lower() in PLACEHOLDERS])
            if col.nullable:
                placeholders += int(blank.sum())
                s = s.mask(blank)
            else:
                issues.add(
                    blank,
                    col.name,
                    "placeholder_id",
                    f"{col.name} holds a placeholder for an empty value, not an id; fill in the "
                    "real id or delete the row",
                )
            typed[col.name] = s
        elif col.kind == "text":
            typed[col.name] = s
        elif col.kind == "code":
            typed[col.name] = map_labels(s, col.name, mapping)
        elif col.kind == "number":
            typed[col.name], bad, ambiguous = _parse_number(s, reading.decimal)
            issues.add(bad, col.name, "unparseable_number", "expected a number")
            other = {",": "a point", ".": "a comma"}.get(str(reading.decimal))
            issues.add(
                ambiguous,
                col.name,
                "ambiguous_number",
                (
                    f"the file's numbers use {'a comma' if reading.decimal == ',' else 'a point'}"
                    f" as decimal mark but this one uses {other}; write it as the others are"
                )
                if other
                else "the decimal mark cannot be told from the file (1,234 and 1.234 may be "
                "a thousand or one and a bit); write decimals with digits after the mark that "
                "are not a group of three, or save the file with ',' separators and '.' decimals",
            )
        elif col.kind == "clock":
            clocks[col.name] = parse_clock(s, **when)
            _report_time(clocks[col.name].reason, col, issues)
        else:
            parser = {"date": parse_date, "time": parse_time_of_day, "datetime": parse_datetime}
            typed[col.name], reason = parser[col.kind](s, **when)
            _report_time(reason, col, issues)
    if normalised:
        notes.append(
            f"{normalised} id(s) normalised (full-width forms, invisible characters or "
            "non-breaking spaces)"
        )
    if placeholders:
        notes.append(f"{placeholders} optional id(s) such as '-' or 'NaN' read as empty")
    return typed, clocks


def _report_time(reason: pd.Series, col: Column, issues: _Issues) -> None:
    messages = {
        "unparseable_time": _EXPECTED[col.kind],
        "impossible_time": "not a possible date or time (hours 0-24, minutes and seconds 0-59, "
        "a real day, a year from 1899 to 2200)",
        "ambiguous_date": "day and month cannot be told apart: no date of the file has a day "
        "above 12. Pass date_format='DMY' (day first) or date_format='MDY' (month first) to "
        "load_dataset, or set date_format in the mapping file",
    }
    for code, msg in messages.items():
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
        _visit_times(typed, clocks, issues)
    for lat, lon in (("lat", "lon"), ("home_lat", "home_lon")):
        if lat in typed and lon in typed:
            issues.add(
                typed[lat].eq(0) & typed[lon].eq(0),
                lat,
                "null_island",
                "coordinates (0, 0) stand for a missing position, not a place; leave both cells "
                "empty when the position is unknown",
            )


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
    notes : tuple of str
        How the file was read where it had to be decided (time zone, decimal mark, day/month
        order, normalised ids), for the load summary.
    """

    table: pd.DataFrame
    issues: pd.DataFrame
    ignored: list[str]
    text: pd.DataFrame
    rows: np.ndarray
    notes: tuple[str, ...] = ()


def type_table(
    raw: RawTable,
    spec: TableSpec,
    mapping: Mapping,
    *,
    timezone: str | None = None,
    date_order: str | None = None,
    resolve: Callable[[str, list[str]], str | None] | None = None,
) -> TypedTable:
    """Turn a raw file into a canonical table, setting bad rows aside.

    Parameters
    ----------
    raw : RawTable
        The file as read.
    spec : TableSpec
        The canonical table it holds.
    mapping : Mapping
        The user's header and label mapping.
    timezone : str, optional
        The survey's time zone (IANA name) for times with a UTC offset; default
        ``Asia/Shanghai`` when the file's headers are Chinese, else the offset most of its
        times carry.
    date_order : {"DMY", "MDY"}, optional
        Order of day and month in dates such as ``03/02/2026``; default: decided by the file.
    resolve : callable, optional
        Picks one of several headers that map onto a column equally well (see
        :func:`~tts.io.headers.map_headers`).

    Returns
    -------
    TypedTable

    Raises
    ------
    InputError
        A required column is missing.
    """
    header_map = map_headers(list(raw.frame.columns), spec, mapping, file=raw.file, resolve=resolve)
    ignored = [str(c) for c in raw.frame.columns if str(c) not in header_map]
    ignored += list(raw.skipped)
    source = raw.frame.reset_index(drop=True)
    text = pd.DataFrame(
        {canonical: _as_text(source[rawname]) for rawname, canonical in header_map.items()},
        index=source.index,
    )
    issues = _Issues(raw, spec.name, text)
    if not raw.malformed.empty:
        m = raw.malformed
        issues.parts.append(
            pd.DataFrame(
                {
                    "file": raw.file,
                    "table": spec.name,
                    "row": m["row"].astype("int64"),
                    "column": "",
                    "value": m["value"],
                    "reason": m["reason"] if "reason" in m else "malformed_row",
                    "message": m["message"] if "message" in m else REASONS["malformed_row"],
                }
            )
        )
    blank = source.isna().all(axis=1) if len(source.columns) else pd.Series(dtype=bool)
    issues.add(blank, "", "blank_row", REASONS["blank_row"], value=pd.Series("", index=text.index))

    notes: list[str] = []
    reading = _decide_reading(raw, spec, text, timezone, date_order, notes)
    typed, clocks = _parse_columns(text, spec, mapping, issues, reading, notes)
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
    return TypedTable(
        table.reset_index(drop=True), issues.frame(), ignored, text, raw.rows, tuple(notes)
    )


def _decide_reading(
    raw: RawTable,
    spec: TableSpec,
    text: pd.DataFrame,
    timezone: str | None,
    date_order: str | None,
    notes: list[str],
) -> _Reading:
    """Decide, once for the file, its time zone, day/month order and decimal mark."""
    temporal = [
        text[c.name]
        for c in spec.columns
        if c.kind in ("date", "clock", "datetime", "time") and c.name in text
    ]
    tz = timezone
    per_offset: dict[str, int] = {}
    epochs = 0
    for s in temporal:  # each distinct value once, weighted by how often it occurs
        distinct = pd.Series(pd.unique(s.dropna()), dtype="str")
        if distinct.str.fullmatch(r"\s*\d{10,13}(?:\.\d+)?\s*").any():
            epochs += int(is_epoch(s.dropna()).sum())
        if not distinct.str.contains(_ANY_OFFSET, regex=True).any():
            continue
        counts = s.value_counts()
        counts = counts[counts.index.str.len() >= 14]  # shorter than 2026-3-2 8:00Z: no offset
        for off, n in counts.groupby(offset_of(counts.index.to_series()).to_numpy()).sum().items():
            per_offset[str(off)] = per_offset.get(str(off), 0) + int(n)
    if per_offset or epochs:
        if tz is not None:
            why = "the configuration's time zone"
        elif any(_CJK.search(str(c)) for c in raw.frame.columns):
            tz, why = CHINESE_TIMEZONE, "the headers are Chinese"
        elif any(normalise(str(c)) in CHINESE_SYSTEM_FIELDS for c in raw.frame.columns):
            tz, why = CHINESE_TIMEZONE, "the headers are a Chinese field-sales system's"
        elif per_offset:
            tz = max(per_offset, key=lambda k: per_offset[k])
            why = "the offset most of its times carry"
        else:
            tz = "+00:00"
            why = (
                "nothing says where the survey was: set the method's timezone (e.g. "
                'timezone = "Asia/Shanghai") to read them as local times'
            )
        if per_offset:
            total = sum(per_offset.values())
            notes.append(f"{total} time(s) with a UTC offset converted to {tz} ({why})")
        if epochs:
            notes.append(f"{epochs} epoch time(s) (seconds or milliseconds) read in {tz} ({why})")
    inferred = infer_date_order(*temporal) if date_order is None else None
    if inferred is not None:
        first = "day" if inferred == "DMY" else "month"
        notes.append(f"dates such as 03/02/2026 read {first} first (a value above 12 decides)")
    numbers = [text[c.name] for c in spec.columns if c.kind == "number" and c.name in text]
    numbers = [s for s in numbers if not pd.api.types.is_numeric_dtype(s.dtype)]
    decimal = decimal_mark(numbers, raw.delimiter) if numbers else "."
    if decimal == "," and numbers:
        notes.append("numbers read with a decimal comma (1.234,50 = 1234.5)")
    return _Reading(tz, date_order or inferred, decimal, raw.delimiter)
