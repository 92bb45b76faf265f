"""Typing and validating one raw table into a canonical table, with a quarantine of bad rows.

The pipeline for a file: map headers (missing required column → :class:`~tts.InputError`), parse
each column by its kind (:mod:`tts.schema`), translate code labels, run the schema's value checks,
apply the checks that span columns (intervals, customer activities without a customer), then set
aside duplicates. Every rule that looks at one cell runs on each column's distinct values
(:mod:`tts.io.coded`). Every problem becomes one issue row
(file, table, row, column, value, reason, message); a row with any issue is quarantined whole.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..schema import CUSTOMER_ACTIVITIES, REASONS, Column, TableSpec, value_checks
from .coded import Coded, categorical_of, codes_of
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
    """Collects issues for one table; rows are positions in its frame.

    ``bad`` marks the rows with at least one issue so far (one boolean per row, set as issues
    are added), so that later rules can skip them without searching the issues found.
    """

    def __init__(self, raw: RawTable, table: str, text: dict[str, Coded], n: int):
        self.raw = raw
        self.table = table
        self.text = text
        self.bad = np.zeros(n, dtype=bool)
        self.parts: list[pd.DataFrame] = []

    def add(
        self,
        mask: np.ndarray,
        column: str,
        reason: str,
        message: str | np.ndarray,
        value: Coded | str | None = None,
    ) -> None:
        """Record ``reason`` for the rows where ``mask`` is True.

        ``value`` is the column whose cells are reported (default: the row's text in
        ``column``); a string is reported as is. ``message`` may be one per flagged row.
        """
        if not np.any(mask):
            return
        pos = np.flatnonzero(mask)
        self.bad[pos] = True
        if value is None:
            value = self.text.get(column, "")
        if isinstance(value, Coded):
            cells = value.at(pos)
            if not isinstance(value.values.dtype, pd.StringDtype):  # typed numbers
                cells = _as_text(pd.Series(list(cells), dtype=value.values.dtype))
            shown = pd.array(cells.where(cells.notna(), ""), dtype="str")
        else:
            shown = pd.array(np.full(len(pos), value, dtype=object), dtype="str")
        self.parts.append(
            pd.DataFrame(
                {
                    "file": self.raw.file,
                    "table": self.table,
                    "row": self.raw.rows[pos].astype("int64"),
                    "column": column,
                    "value": shown,
                    "reason": reason,
                    "message": message,
                }
            )
        )

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
    if pd.api.types.is_float_dtype(s.dtype):
        s = _float_text(s)
    elif not (pd.api.types.is_string_dtype(s.dtype) or s.dtype == object):
        s = pd.Series(s.astype(object).where(s.notna()), index=s.index, dtype="object")
        s = s.map(_scalar_text, na_action="ignore")
    s = s.astype("str").str.strip()
    return s.mask(s.eq(""))


def _float_text(s: pd.Series) -> pd.Series:
    """Numbers as :func:`_scalar_text` writes them (whole numbers without ``.0``), vectorised.

    numpy's shortest repr of a float is Python's ``str``; whole numbers beyond 2**53 go
    through Python.
    """
    x = s.to_numpy(dtype="float64", na_value=np.nan)
    whole = np.isfinite(x) & (np.abs(x) < 2**53) & (x == np.round(x))
    text = np.where(whole, np.where(whole, x, 0).astype(np.int64).astype(str), x.astype(str))
    out = pd.Series(text, index=s.index, dtype="object").where(~np.isnan(x))
    huge = np.isfinite(x) & (x == np.round(x)) & ~whole  # beyond 2**53: Python's int
    if huge.any():
        out[huge] = [_scalar_text(float(v)) for v in x[huge]]
    return out


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


# dates and times that decide nothing about the file: ISO days, HH:MM[:SS] clocks
_PLAIN_TIME = r"\s*(?:\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}(?::\d{2})?)\s*"


def _decides(cells: Coded, col: Column) -> bool:
    """Whether the values of a column may weigh in a decision about the whole file (day/month
    order, time zone, decimal mark): then only the values rows hold may be weighed.
    """
    if cells.complete or col.kind not in ("date", "clock", "datetime", "time", "number"):
        return False
    if col.kind == "number":
        return not _typed_number(cells)
    return not bool(cells.values.astype("str").str.fullmatch(_PLAIN_TIME).all())


def _typed_number(cells: Coded, col: Column | None = None) -> bool:
    """A number column that arrives typed (Parquet, a DataFrame): its cells stay numbers, and
    their text (:func:`_as_text`) is written only where a message shows one.
    """
    return (
        (col is None or col.kind == "number")
        and pd.api.types.is_numeric_dtype(cells.values.dtype)
        and not pd.api.types.is_bool_dtype(cells.values.dtype)
    )


def _number_as_typed(x: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """:func:`_parse_number` of typed numbers in a decimal-point file, without their text: the
    text of a number reads back as the number, and an infinite one cannot be read.
    """
    value = x.astype("float64")
    bad = pd.Series(np.isinf(value.to_numpy()), index=x.index)
    return value.where(~bad), bad, pd.Series(False, index=x.index)


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
    coded = Coded.from_series(s)
    clean = _clean_ids(coded.values)
    changed = (clean != coded.values).fillna(True).to_numpy()
    if not changed.any():
        return s, 0
    n = int(coded.counts()[changed].sum())
    out = coded.recode(lambda _: clean).to_series("str")
    return out.set_axis(s.index), n


def _scientific(u: pd.Series) -> np.ndarray:
    """Ids a spreadsheet wrote in scientific notation (the regex only where an E is)."""
    maybe = (u.str.contains("e", regex=False) | u.str.contains("E", regex=False)).to_numpy(
        dtype=bool, na_value=False
    )
    out = np.zeros(len(u), dtype=bool)
    if maybe.any():
        out[maybe] = [bool(_SCIENTIFIC_RE.fullmatch(v)) for v in u[maybe]]
    return out


def _clean_ids(u: pd.Series) -> pd.Series:
    """The rule of :func:`normalise_ids`, value by value (NaN where nothing is left)."""
    u = pd.Series(np.asarray(u, dtype=object), dtype="str")
    wide = ~u.str.isascii().fillna(True)  # NFKC and the invisible characters are not ASCII
    clean = u.str.strip()
    if wide.any():
        w = u[wide].str.normalize("NFKC").str.replace(_INVISIBLE, "", regex=True).str.strip()
        clean = clean.where(~wide, w)
    return clean.mask(clean.eq(""))


_NS = "datetime64[ns]"
#: Tables from this many rows build their columns on several threads, at most this many.
_THREADED_ROWS = 200_000
_WORKERS = min(4, os.cpu_count() or 1)
_DAY = np.timedelta64(1, "D")


class _Clock(NamedTuple):
    """A clock column: its cells' codes and the parse of each distinct value."""

    coded: Coded
    parsed: ParsedClock

    def offset(self) -> np.ndarray:
        """timedelta64[ns] since midnight per row (NaT: not a clock-only value)."""
        return self.coded.take(
            self.parsed.offset.to_numpy("timedelta64[ns]"), np.timedelta64("NaT")
        )

    def absolute(self) -> np.ndarray | None:
        """datetime64[ns] per row for values with their own date; None when no value has one."""
        values = self.parsed.absolute.to_numpy(_NS)
        if not (~np.isnat(values)).any():
            return None
        return self.coded.take(values, np.datetime64("NaT"))


def _no_clock(n: int) -> _Clock:
    empty = pd.Series(dtype="str")
    return _Clock(
        Coded(np.full(n, -1, dtype=np.int8), empty),
        ParsedClock(
            pd.Series(dtype="timedelta64[ns]"), pd.Series(dtype=_NS), pd.Series(dtype=object)
        ),
    )


def _day_of(when: np.ndarray) -> np.ndarray:
    """Midnight of each datetime64[ns] (NaT stays NaT)."""
    return when.astype("datetime64[D]").astype(_NS)


#: Largest number of (date, clock) pairs evaluated as a grid (8 bytes each).
_GRID_CELLS = 1 << 22


class _OnDate:
    """Rows as pairs of a date value and a clock value: a rule of the two is evaluated once
    per distinct pair (a grid of dates × clocks, when it is small) and gathered to the rows;
    else row by row. Rules are functions of numpy arrays ``(date, offset, absolute)`` that
    broadcast (datetime64[ns], timedelta64[ns], datetime64[ns]; NaT where missing).
    """

    def __init__(self, date: Coded, clock: _Clock):
        self.date, self.clock = date, clock
        self.d = np.append(date.values.to_numpy(_NS), np.datetime64("NaT"))
        self.off = np.append(clock.parsed.offset.to_numpy("timedelta64[ns]"), np.timedelta64("NaT"))
        self.abs = np.append(clock.parsed.absolute.to_numpy(_NS), np.datetime64("NaT"))
        self.has_abs = bool((~np.isnat(self.abs)).any())
        nc = len(self.off)
        self.idx: np.ndarray | None = None
        if len(self.d) * nc <= _GRID_CELLS:  # a code -1 lands in the grid's NaT row or column
            self.idx = np.multiply(date.codes, nc, dtype=np.int32)
            np.add(self.idx, clock.coded.codes, out=self.idx, casting="unsafe")

    def apply(self, rule: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
        """``rule`` per row."""
        if self.idx is not None:
            grid = rule(self.d[:, None], self.off[None, :], self.abs[None, :]).ravel()
            if grid.dtype == bool and not grid.any():
                return np.zeros(len(self.idx), dtype=bool)
            return np.take(grid, self.idx, mode="wrap")
        return rule(
            self.date.take(self.d[:-1], self.d[-1]),
            self.clock.coded.take(self.off[:-1], self.off[-1]),
            self.clock.coded.take(self.abs[:-1], self.abs[-1]),
        )


def _placed(date: np.ndarray, offset: np.ndarray, absolute: np.ndarray) -> np.ndarray:
    """A clock-only value on the row's date; a value with its own date as it is."""
    return np.where(np.isnat(absolute), date + offset, absolute)


def _start_elsewhere(date: np.ndarray, offset: np.ndarray, absolute: np.ndarray) -> np.ndarray:
    """A start with its own date on another day than the row's."""
    return ~np.isnat(absolute) & ~np.isnat(date) & (_day_of(absolute) != date)


def _end_elsewhere(date: np.ndarray, offset: np.ndarray, absolute: np.ndarray) -> np.ndarray:
    """An end with its own date neither on the row's day nor the day after."""
    day = _day_of(absolute)
    return ~np.isnat(absolute) & ~np.isnat(date) & (day != date) & (day != date + _DAY)


def _assemble_interval(
    date: Coded,
    start: _Clock,
    end: _Clock,
    names: tuple[str, str],
    issues: _Issues,
) -> tuple[np.ndarray, np.ndarray]:
    """Combine a date with start and end clocks into two datetimes, with the midnight rule.

    A clock-only value is placed on the row's date; a value with its own date must agree with
    it (the start on the date, the end on the date or the day after). A clock-only end before its
    start moves to the next day if that makes an interval of at most :data:`MAX_OVERNIGHT`.
    The results are datetime64[ns] per row (NaT propagates; comparisons with NaT are False).
    """
    s_name, e_name = names
    on_start, on_end = _OnDate(date, start), _OnDate(date, end)
    start_dt = on_start.apply(_placed)
    end_dt = on_end.apply(_placed)
    before = np.flatnonzero(end_dt < start_dt)
    if len(before):  # the midnight rule, for the few rows it may concern
        clock_only = (~np.isnat(on_end.off))[end.coded.codes[before]]  # code -1: the NaT
        over = np.timedelta64(MAX_OVERNIGHT.value, "ns")
        wraps = clock_only & (end_dt[before] + _DAY - start_dt[before] <= over)
        end_dt[before[wraps]] += _DAY
    if on_start.has_abs:
        issues.add(
            on_start.apply(_start_elsewhere),
            s_name,
            "impossible_time",
            "the start carries a different day than the date column",
        )
    if on_end.has_abs:
        issues.add(
            on_end.apply(_end_elsewhere),
            e_name,
            "impossible_time",
            "the end carries a day other than the date column or the day after",
        )
    _check_order(start_dt, end_dt, e_name, issues)
    return start_dt, end_dt


def _visit_times(
    typed: dict[str, Coded | np.ndarray], clocks: dict[str, _Clock], n: int, issues: _Issues
) -> None:
    """Check-in and check-out as datetimes: full datetimes, or clock times on ``date``."""
    check_in = clocks["check_in"]
    check_out = clocks.get("check_out", _no_clock(n))
    date = typed.get("date")
    if isinstance(date, Coded):
        typed["check_in"], typed["check_out"] = _assemble_interval(
            date, check_in, check_out, ("check_in", "check_out"), issues
        )
        return
    nat = np.full(n, np.datetime64("NaT"), dtype=_NS)
    absolute = {}
    for name, clock in (("check_in", check_in), ("check_out", check_out)):
        issues.add(
            ~np.isnat(clock.offset()) & clock.coded.rows(clock.parsed.absolute.isna()),
            name,
            "unparseable_time",
            "a clock time without a date: expected a date and time such as 2026-03-02 08:15, "
            "or a date column (visit_date, 拜访日期) beside clock times",
        )
        found = clock.absolute()
        absolute[name] = nat if found is None else found
    typed["check_in"], typed["check_out"] = absolute["check_in"], absolute["check_out"]
    _check_order(absolute["check_in"], absolute["check_out"], "check_out", issues)


def _check_order(start: np.ndarray, end: np.ndarray, e_name: str, issues: _Issues) -> None:
    issues.add(
        end < start,
        e_name,
        "end_before_start",
        f"the interval ends before it starts; an end before the start is read as the next day "
        f"only when that makes an interval of at most {MAX_OVERNIGHT.seconds // 3600} hours",
    )
    issues.add(
        end - start > np.timedelta64(MAX_INTERVAL.value, "ns"),
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
    text: dict[str, Coded],
    spec: TableSpec,
    mapping: Mapping,
    issues: _Issues,
    reading: _Reading,
    notes: list[str],
) -> tuple[dict[str, Coded | np.ndarray], dict[str, _Clock]]:
    """Type every column, each distinct cell once; the problems found go to ``issues``."""
    typed: dict[str, Coded | np.ndarray] = {}
    clocks: dict[str, _Clock] = {}
    normalised = placeholders = 0
    when = {"tz": reading.tz, "date_order": reading.date_order}
    for col in spec.columns:
        if col.name not in text:
            continue
        s = text[col.name]
        if col.kind == "id":
            clean = _clean_ids(s.values)
            changed = (clean != s.values).fillna(True).to_numpy()
            if changed.any():
                normalised += int(s.counts()[changed].sum())
            if not col.nullable:  # a cell of spaces or invisible characters holds no id
                issues.add(
                    s.rows(clean.isna().to_numpy()),
                    col.name,
                    "missing_value",
                    f"{col.name} is required; this cell holds only spaces or invisible characters",
                )
            s = s.recode(lambda _, clean=clean: clean)  # type: ignore[misc]
            u = s.values.astype("str")
            issues.add(
                s.rows(_scientific(u)),
                col.name,
                "mangled_id",
                f"{col.name} was turned into a number in scientific notation by a spreadsheet; "
                "its last digits are lost. Export the column as text (format it as Text before "
                "saving, or export straight from the system as CSV) and load again",
            )
            blank = u.str.lower().isin(PLACEHOLDERS).to_numpy()
            if col.nullable and blank.any():
                placeholders += int(s.counts()[blank].sum())
                s = s.mask(blank)
            else:
                issues.add(
                    s.rows(blank),
                    col.name,
                    "placeholder_id",
                    f"{col.name} holds a placeholder for an empty value, not an id; fill in the "
                    "real id or delete the row",
                )
            typed[col.name] = s
        elif col.kind == "text":
            typed[col.name] = s
        elif col.kind == "code":
            typed[col.name] = s.recode(lambda v, name=col.name: map_labels(v, name, mapping))  # type: ignore[misc]
        elif col.kind == "number":
            value, bad, ambiguous = (
                _number_as_typed(s.values)
                if _typed_number(s) and reading.decimal == "."
                else _parse_number(_as_text(s.values), reading.decimal)
            )
            typed[col.name] = s.recode(lambda _, value=value: value)  # type: ignore[misc]
            issues.add(s.rows(bad), col.name, "unparseable_number", "expected a number")
            other = {",": "a point", ".": "a comma"}.get(str(reading.decimal))
            issues.add(
                s.rows(ambiguous),
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
            clocks[col.name] = _Clock(s, parse_clock(s.values, **when))
            _report_time(clocks[col.name].parsed.reason, s, col, issues)
        else:
            parser = {"date": parse_date, "time": parse_time_of_day, "datetime": parse_datetime}
            value, reason = parser[col.kind](s.values, **when)
            typed[col.name] = s.recode(lambda _, value=value: value)  # type: ignore[misc]
            _report_time(reason, s, col, issues)
    if normalised:
        notes.append(
            f"{normalised} id(s) normalised (full-width forms, invisible characters or "
            "non-breaking spaces)"
        )
    if placeholders:
        notes.append(f"{placeholders} optional id(s) such as '-' or 'NaN' read as empty")
    return typed, clocks


def _report_time(reason: pd.Series, cells: Coded, col: Column, issues: _Issues) -> None:
    messages = {
        "unparseable_time": _EXPECTED[col.kind],
        "impossible_time": "not a possible date or time (hours 0-24, minutes and seconds 0-59, "
        "a real day, a year from 1899 to 2200)",
        "ambiguous_date": "day and month cannot be told apart: no date of the file has a day "
        "above 12. Pass date_format='DMY' (day first) or date_format='MDY' (month first) to "
        "load_dataset, or set date_format in the mapping file",
    }
    for code, msg in messages.items():
        issues.add(cells.rows(reason.eq(code)), col.name, code, msg)


def _table_rules(
    spec: TableSpec,
    typed: dict[str, Coded | np.ndarray],
    clocks: dict[str, _Clock],
    n: int,
    issues: _Issues,
) -> None:
    """Checks that span columns, per table."""
    if spec.name == "activities":
        typed["start"], typed["end"] = _assemble_interval(
            _coded(typed["date"]),
            clocks["start"],
            clocks["end"],
            ("start", "end"),
            issues,
        )
        activity = _coded(typed["activity"])
        needs_customer = activity.rows(activity.values.isin(CUSTOMER_ACTIVITIES))
        customer = typed.get("customer_id")
        issues.add(
            needs_customer & (_coded(customer).missing if customer is not None else True),
            "customer_id",
            "missing_value",
            f"a customer activity ({', '.join(CUSTOMER_ACTIVITIES)}) needs a customer_id",
            value=_coded(customer) if customer is not None else "",
        )
    elif spec.name == "shifts":
        typed["day_start"], typed["day_end"] = _assemble_interval(
            _coded(typed["date"]),
            clocks["day_start"],
            clocks["day_end"],
            ("day_start", "day_end"),
            issues,
        )
    elif spec.name == "visits":
        _visit_times(typed, clocks, n, issues)
    for lat, lon in (("lat", "lon"), ("home_lat", "home_lon")):
        if lat in typed and lon in typed:
            la, lo = _coded(typed[lat]), _coded(typed[lon])
            issues.add(
                la.rows(la.values.eq(0)) & lo.rows(lo.values.eq(0)),
                lat,
                "null_island",
                "coordinates (0, 0) stand for a missing position, not a place; leave both cells "
                "empty when the position is unknown",
            )


def _coded(c: Coded | np.ndarray) -> Coded:
    if not isinstance(c, Coded):  # pragma: no cover - an internal mix-up of column kinds
        raise TypeError("expected a coded column")
    return c


_KIND_DTYPE = {
    "date": _NS,
    "clock": _NS,
    "datetime": _NS,
    "time": "timedelta64[ns]",
    "number": "float64",
}


def _as_coded(column: Coded | np.ndarray | None, col: Column, n: int) -> Coded:
    """Any typed column as codes into distinct values, for checks that look at one value.

    A column typed row by row (the assembled datetimes) is coded as present or missing, with
    one present value standing for all: only its type and nullability are checked (asserted).
    """
    if isinstance(column, Coded):
        return column
    dtype = _KIND_DTYPE.get(col.kind, "str")
    if column is None:  # an optional column the file lacks: present, and empty
        return Coded(np.full(n, -1, dtype=np.int8), pd.Series(dtype=dtype))
    missing = np.isnat(column)
    first = np.flatnonzero(~missing)[:1] if missing.any() else np.arange(min(1, n))
    codes = np.where(missing, -1, 0).astype(np.int8) if missing.any() else np.zeros(n, np.int8)
    return Coded(codes, pd.Series(column[first], dtype=dtype))


def _validate_values(
    typed: dict[str, Coded | np.ndarray],
    spec: TableSpec,
    text: dict[str, Coded],
    keep: np.ndarray,
    n: int,
    issues: _Issues,
) -> None:
    """The value checks of the table's schema (:func:`tts.schema.value_checks`, the checks of
    :data:`tts.schema.SCHEMAS`) and the nullability of its columns, run on each column's
    distinct values; the failures become issues (a cell is reported once).

    ``keep`` masks the rows to report (blank rows are reported once, as blank).
    """
    found: list[tuple[str, str, np.ndarray]] = []
    for col in spec.columns:
        column = typed.get(col.name)
        checks = value_checks(col)
        if not isinstance(column, Coded | None) and checks:
            raise AssertionError(  # pragma: no cover - a check added to an assembled column
                f"{col.name}: value checks need the column coded by value"
            )
        coded = _as_coded(column, col, n)
        if not col.nullable:
            missing = coded.missing & keep
            if missing.any():
                found.append((col.name, "not_nullable", missing))
        for name, check in checks:
            passed = check(coded.values).fillna(True).to_numpy(dtype=bool)
            if not passed.all():
                found.append((col.name, name, coded.rows(~passed) & keep))
    for name, failed, mask in sorted(found, key=lambda f: (f[0], f[1])):
        col = spec.column(name)
        if failed == "not_nullable":
            # Cells already reported as unreadable are not "missing" a second time.
            if name in text:
                mask &= text[name].missing
            issues.add(mask, name, "missing_value", f"{name} is required")
        elif failed == "unknown_code":
            issues.add(
                mask,
                name,
                "unknown_code",
                f"expected one of {list(col.codes)}; map other labels in the mapping file",
            )
        else:
            issues.add(mask, name, failed, REASONS.get(failed, failed))


def _row_keys(column: Coded | np.ndarray) -> np.ndarray:
    """One integer per row that is equal exactly when the typed values are."""
    if isinstance(column, Coded):
        return column.codes  # the distinct values are distinct: equal codes, equal values
    return column.view("int64")


def _hash_rows(keys: list[np.ndarray], rows: np.ndarray | None) -> np.ndarray:
    """A 64-bit hash of each row's keys (equal rows, equal hashes), computed in place."""
    h = np.zeros(len(keys[0]) if rows is None else len(rows), dtype=np.uint64)
    for k in keys:
        x = k if rows is None else k[rows]
        np.multiply(h, np.uint64(0x9E3779B97F4A7C15), out=h)
        np.bitwise_xor(h, x, out=h, dtype=np.uint64, casting="unsafe")
    np.bitwise_xor(h, h >> np.uint64(31), out=h)
    np.multiply(h, np.uint64(0xBF58476D1CE4E5B9), out=h)
    np.bitwise_xor(h, h >> np.uint64(29), out=h)
    return h


def _flag_duplicates(
    typed: dict[str, Coded | np.ndarray], spec: TableSpec, rows: np.ndarray, issues: _Issues
) -> None:
    """Set aside a row that repeats an earlier clean row (on the table's key, or every column).

    Rows whose hashes collide are found by sorting the hashes; only they are compared
    exactly, so the cost is one hash and one sort of the rows, whatever the table.
    """
    ok = ~issues.bad
    clean = None if ok.all() else np.flatnonzero(ok)
    subset = list(spec.key) if spec.key else list(spec.names)
    keys = [_row_keys(typed[c]) for c in subset if c in typed]
    if (clean is not None and not len(clean)) or not len(ok) or not keys:
        return
    h = _hash_rows(keys, clean)
    ordered = np.sort(h)
    twice = ordered[1:][ordered[1:] == ordered[:-1]]
    if not len(twice):
        return
    candidates = np.flatnonzero(np.isin(h, twice))
    if clean is not None:
        candidates = clean[candidates]
    frame = pd.DataFrame({i: k[candidates] for i, k in enumerate(keys)})
    dup = frame.duplicated(keep="first").to_numpy()
    if not dup.any():
        return
    group = frame.groupby(list(frame.columns), sort=False).ngroup().to_numpy()
    first = pd.Series(rows[candidates]).groupby(group).transform("first").to_numpy()
    mask = np.zeros(len(ok), dtype=bool)
    mask[candidates[dup]] = True
    what = "the same record" if not spec.key else f"the same {', '.join(spec.key)}"
    messages = np.char.add(f"{what} as row ", first[dup].astype(str)).astype(object)
    issues.add(mask, subset[0], "duplicate_row", messages)


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
    cells : dict of str to Coded
        Every row's canonical cells as text (coded), for checks against other tables; see
        :attr:`text`.
    rows : numpy.ndarray
        Every row's number in the file, aligned with ``cells``.
    notes : tuple of str
        How the file was read where it had to be decided (time zone, decimal mark, day/month
        order, normalised ids), for the load summary.
    ids : dict of str to Coded
        The id columns of ``table`` (its rows, coded), for checks against other tables.
    """

    table: pd.DataFrame
    issues: pd.DataFrame
    ignored: list[str]
    cells: dict[str, Coded]
    rows: np.ndarray
    notes: tuple[str, ...] = ()
    ids: dict[str, Coded] = {}  # never mutated

    @property
    def text(self) -> pd.DataFrame:
        """Every row's canonical cells as text (NaN where empty), one column per cell."""
        return pd.DataFrame({c: coded.to_series("str") for c, coded in self.cells.items()})


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

    Every rule that looks at one cell runs on the column's distinct values (see
    :mod:`tts.io.coded`); the rules that span columns run on whole-column arrays.

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
    source = raw.frame
    n = len(source)
    cells = {
        canonical: Coded.from_series(source[rawname]) for rawname, canonical in header_map.items()
    }
    blank = np.ones(n, dtype=bool) if len(source.columns) else np.zeros(n, dtype=bool)
    for rawname in source.columns:
        if rawname in header_map:
            blank &= cells[header_map[rawname]].missing
        else:
            blank &= source[rawname].isna().to_numpy()
        if not blank.any():
            break
    text = {
        c: coded if _typed_number(coded, spec.column(c)) else coded.recode(_as_text)
        for c, coded in cells.items()
    }
    for col in spec.columns:  # columns whose values decide how the whole file is read
        if col.name in text and _decides(text[col.name], col):
            text[col.name] = text[col.name].compact()
    issues = _Issues(raw, spec.name, text, n)
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
    issues.add(blank, "", "blank_row", REASONS["blank_row"], value="")

    notes: list[str] = []
    reading = _decide_reading(raw, spec, text, timezone, date_order, notes)
    typed, clocks = _parse_columns(text, spec, mapping, issues, reading, notes)
    _table_rules(spec, typed, clocks, n, issues)
    _validate_values(typed, spec, text, ~blank, n, issues)
    _flag_duplicates(typed, spec, raw.rows, issues)

    good = ~issues.bad
    keep = None if good.all() else good

    def final(col: Column) -> pd.Series:
        if spec.categorical_ids and col.kind == "id":
            return _categorical_ids(typed.get(col.name), keep, n)
        return _final_column(typed.get(col.name), col, keep, n)

    if n >= _THREADED_ROWS:  # Arrow and numpy gathers release the GIL: a column a core
        with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
            columns = list(pool.map(final, spec.columns))
    else:
        columns = [final(col) for col in spec.columns]
    table = pd.DataFrame(
        dict(zip(spec.names, columns, strict=True)),
        copy=False,  # one block per column: no copy of the whole table
    )
    table["row"] = np.asarray(raw.rows if keep is None else raw.rows[keep], dtype="int64")
    ids = {
        c.name: typed_c.filter(keep)
        for c in spec.columns
        if c.kind == "id" and isinstance(typed_c := typed.get(c.name), Coded)
    }
    return TypedTable(table, issues.frame(), ignored, text, raw.rows, tuple(notes), ids)


def _final_column(
    column: Coded | np.ndarray | None, col: Column, keep: np.ndarray | None, n: int
) -> pd.Series:
    """A typed column of the good rows, as the data contract gives it."""
    m = n if keep is None else int(keep.sum())
    if column is None:  # optional columns the file lacks: present, and empty
        dtype = _KIND_DTYPE.get(col.kind, "str")
        return Coded(np.full(m, -1, dtype=np.int8), pd.Series(dtype=dtype)).to_series(dtype)
    if not isinstance(column, Coded):
        return pd.Series(column if keep is None else column[keep], dtype=_NS)
    rows = column.filter(keep)
    if col.kind == "code":
        categories = pd.Index(list(col.codes))
        per_value = categories.get_indexer(rows.values.astype("str"))
        codes = codes_of(rows.codes, per_value)
        return pd.Series(pd.Categorical.from_codes(codes, categories=categories))
    return rows.to_series(_KIND_DTYPE.get(col.kind, "str"))


def _categorical_ids(
    column: Coded | np.ndarray | None, keep: np.ndarray | None, n: int
) -> pd.Series:
    """An id column of the good rows as a categorical of ``str``, its categories the ids some
    row holds, sorted: the codes come from the column's distinct values, no id is hashed.
    """
    m = n if keep is None else int(keep.sum())
    if not isinstance(column, Coded):  # an optional column the file lacks: present, and empty
        return pd.Series(
            pd.Categorical.from_codes(
                np.full(m, -1, dtype=np.int8), categories=pd.Index([], dtype="str")
            )
        )
    rows = column.filter(keep).compact()
    return pd.Series(categorical_of(rows.codes, rows.values.astype("str")))


def _decide_reading(
    raw: RawTable,
    spec: TableSpec,
    text: dict[str, Coded],
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
        distinct = s.values.astype("str")
        if distinct.str.fullmatch(r"\s*\d{10,13}(?:\.\d+)?\s*").any():
            epochs += int(s.counts()[is_epoch(distinct).to_numpy()].sum())
        if not distinct.str.contains(_ANY_OFFSET, regex=True).any():
            continue
        counts = pd.Series(s.counts(), index=distinct)
        counts = counts[(counts > 0).to_numpy() & (distinct.str.len() >= 14).to_numpy()]
        # shorter than 2026-3-2 8:00Z: no offset
        for off, k in counts.groupby(offset_of(counts.index.to_series()).to_numpy()).sum().items():
            per_offset[str(off)] = per_offset.get(str(off), 0) + int(k)
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
    inferred = infer_date_order(*[s.values for s in temporal]) if date_order is None else None
    if inferred is not None:
        first = "day" if inferred == "DMY" else "month"
        notes.append(f"dates such as 03/02/2026 read {first} first (a value above 12 decides)")
    numbers = [text[c.name] for c in spec.columns if c.kind == "number" and c.name in text]
    written = [c.values for c in numbers if not _typed_number(c)]
    # A typed number's text (its repr) has no comma, so typed numbers can only say point:
    # when the written ones say point, or there are none and the separator is not ";", the
    # mark is a point; otherwise the typed ones' texts are weighed too.
    decimal = decimal_mark(written, raw.delimiter) if written else None
    if not written and raw.delimiter != ";":
        decimal = "."
    if decimal != "." and len(written) < len(numbers):
        decimal = decimal_mark([_as_text(c.values) for c in numbers], raw.delimiter)
    if not numbers:
        decimal = "."
    if decimal == "," and numbers:
        notes.append("numbers read with a decimal comma (1.234,50 = 1234.5)")
    return _Reading(tz, date_order or inferred, decimal, raw.delimiter)
