"""Vectorised parsing of dates and times as they come out of route-survey and CRM exports.

Accepted forms (each parser documents its own):

- ISO dates and datetimes (``2026-03-02``, ``2026-03-02 08:15``, ``2026-03-02T08:15:30``),
  slashes or dots instead of dashes, Chinese ``2026年3月2日``, compact ``20260302``;
- clock times ``HH:MM`` or ``HH:MM:SS`` with an optional ``AM``/``PM``, and ``24:00`` as the
  end of the day;
- Excel serial numbers (1900 date system): a day number for a date, a fraction of a day for a
  time, both together for a datetime.

An epoch (10 digits: seconds, 13: milliseconds since 1970-01-01 UTC) is a datetime in UTC and
converted like one with an offset. A datetime may end in a UTC offset
(``2026-03-02T08:00:00+08:00``, ``…Z``, ``+0800``); it is converted to the survey's time zone
(``tz``: an IANA name, or a fixed offset ``+08:00``; by default the offset most values of the
column carry) and kept as local wall-clock time.
Day-first and month-first dates (``03/02/2026``) are read in the order ``date_order`` (``DMY``
or ``MDY``); when it is not given, a value whose first part is above 12 decides day-first, one
whose second part is above 12 decides month-first, and when nothing decides, the values whose
day and month could be swapped get the reason ``ambiguous_date`` (pass ``date_format``).
Years outside 1899–2200 are ``impossible_time``.

Each parser factorises its input and parses every distinct raw value once, so a million rows of
``HH:MM`` text cost 1,440 parses at most. A value that cannot be read gets the reason
``unparseable_time``; one that has the shape of a time but cannot exist (``25:10``,
``2026-02-30``) gets ``impossible_time``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = [
    "DATE_ORDERS",
    "ParsedClock",
    "date_order_of",
    "infer_date_order",
    "is_epoch",
    "offset_of",
    "parse_clock",
    "parse_date",
    "parse_datetime",
    "parse_time_of_day",
]

#: Orders of day, month and year in a date such as ``03/02/2026``.
DATE_ORDERS: tuple[str, ...] = ("DMY", "MDY")
#: Years a survey can hold; others are ``impossible_time`` (and outside pandas' range anyway).
YEAR_RANGE = (1899, 2200)

#: Excel's day zero in the 1900 date system (its 1900 leap-year bug makes it the 30th).
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Serial day numbers read as dates: 1954-10-03 .. 2119-01-10. Smaller numbers are far more
# likely to be something else (a clock time typed as 0815, a count) than a date.
_SERIAL_RANGE = (20_000.0, 80_000.0)
_DAY_NS = 86_400 * 10**9

_CLOCK_RE = (
    r"^\s*(?:0 days\s+)?(?P<h>\d{1,2})[:：](?P<m>\d{1,2})(?:[:：](?P<s>\d{1,2})(?:\.\d+)?)?\s*"
    r"(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*$"
)
_DATEISH_RE = r"^\s*\d{4}-\d{1,2}-\d{1,2}"
# a day-first or month-first date at the start of a value: 03/02/2026, 3.2.2026, 03-02-2026
_DMY_RE = r"^\s*(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<y>\d{4})(?P<rest>(?:[ T].*)?)$"
# a UTC offset after a date and time: 2026-03-02T08:00:00+08:00, ... 08:00Z, ... 08:00 +0800
_OFFSET_RE = (
    r"^(?P<local>\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
    r"\s*(?:(?P<z>[Zz])|(?:UTC|GMT)?(?P<sign>[+-])(?P<oh>\d{2}):?(?P<om>\d{2})?)\s*$"
)
_FIXED_TZ_RE = r"^[+-]\d{2}:\d{2}$"


class ParsedClock(NamedTuple):
    """Result of :func:`parse_clock`.

    Attributes
    ----------
    offset : pandas.Series
        timedelta64 since midnight, for values that carry a clock time only; NaT otherwise.
    absolute : pandas.Series
        datetime64 for values that carry their own date; NaT otherwise.
    reason : pandas.Series
        Quarantine reason code for values that could not be parsed; NaN otherwise.
    """

    offset: pd.Series
    absolute: pd.Series
    reason: pd.Series


def _in_range(when: pd.Series) -> pd.Series:
    """Datetimes as nanoseconds; NaT for years outside :data:`YEAR_RANGE`."""
    if isinstance(when.dtype, pd.DatetimeTZDtype):  # pragma: no cover - offsets are removed first
        when = when.dt.tz_convert("UTC").dt.tz_localize(None)
    ok = when.dt.year.between(*YEAR_RANGE)
    return when.where(ok).astype("datetime64[ns]")


def offset_of(raw: pd.Series) -> pd.Series:
    """The UTC offset each value carries, as text ``+08:00`` (NaN where none).

    Examples
    --------
    >>> offset_of(pd.Series(["2026-03-02T08:00:00+08:00", "2026-03-02 08:00Z", "08:00"])).tolist()
    ['+08:00', '+00:00', nan]
    """
    parts = raw.astype("str").str.extract(_OFFSET_RE)
    sign = parts["sign"].fillna("+")
    text = sign + parts["oh"].fillna("00") + ":" + parts["om"].fillna("00")
    return text.where(parts["local"].notna()).astype("object")


def _localise(u: pd.Series, tz: str | None) -> pd.Series:
    """Rewrite values with a UTC offset as wall-clock time in ``tz`` (text, no offset).

    ``tz`` is an IANA name or a fixed offset ``+08:00``; None: the offset most values carry.
    A value whose local part cannot be read loses its offset and keeps its text, so that it
    gets the reason its local part deserves.
    """
    parts = u.str.extract(_OFFSET_RE)
    has = parts["local"].notna()
    if not has.any():
        return u
    offsets = offset_of(u[has])
    if tz is None:
        tz = str(offsets.value_counts().index[0])
    ymd = parts.loc[has, "local"].str.extract(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T](.*)$")
    local_text = ymd[0] + "-" + ymd[1].str.zfill(2) + "-" + ymd[2].str.zfill(2) + " " + ymd[3]
    local = pd.to_datetime(local_text, format="ISO8601", errors="coerce")
    local = local.where(local.dt.year.between(YEAR_RANGE[0] + 1, YEAR_RANGE[1] - 1))
    sign = np.where(parts.loc[has, "sign"].eq("-"), -1, 1)
    minutes = sign * (
        parts.loc[has, "oh"].fillna("0").astype(int) * 60
        + parts.loc[has, "om"].fillna("0").astype(int)
    )
    utc = local - pd.to_timedelta(minutes, unit="min")
    target = _to_zone(utc, tz)
    rewritten = target.dt.strftime("%Y-%m-%d %H:%M:%S")
    out = u.copy()
    out[has] = rewritten.where(target.notna(), parts.loc[has, "local"].str.strip())
    return out


def date_order_of(date_format: str | None) -> str | None:
    """``DMY`` or ``MDY`` from a ``date_format`` option (``"DMY"``, ``"%m/%d/%Y %H:%M"`` …).

    Raises
    ------
    ValueError
        When the format names neither order.

    Examples
    --------
    >>> date_order_of("%m/%d/%Y"), date_order_of("dmy"), date_order_of(None)
    ('MDY', 'DMY', None)
    """
    if date_format is None:
        return None
    text = date_format.strip()
    if text.upper() in DATE_ORDERS:
        return text.upper()
    d, m = text.find("%d"), text.find("%m")
    if d >= 0 and m >= 0 and text.find("%Y") > max(d, m):
        return "DMY" if d < m else "MDY"
    raise ValueError(date_format)


def infer_date_order(*columns: pd.Series) -> str | None:
    """Tell day-first from month-first dates (``03/02/2026``) across the columns of a file.

    A value whose first part is above 12 decides ``DMY``, one whose second part is above 12
    decides ``MDY``; when nothing decides, or both do, the result is None.

    Examples
    --------
    >>> infer_date_order(pd.Series(["03/02/2026 09:00", "03/13/2026 10:00"]))
    'MDY'
    >>> infer_date_order(pd.Series(["03/02/2026"])) is None
    True
    """
    first = second = False
    for col in columns:
        u = pd.Series(pd.unique(col.dropna().astype("str")), dtype="str")
        parts = u.str.extract(_DMY_RE)
        a = pd.to_numeric(parts["a"], errors="coerce")
        b = pd.to_numeric(parts["b"], errors="coerce")
        first |= bool(((a > 12) & (b <= 12)).any())
        second |= bool(((b > 12) & (a <= 12)).any())
    if first == second:
        return None
    return "DMY" if first else "MDY"


def _reorder_dmy(u: pd.Series, order: str | None) -> tuple[pd.Series, pd.Series]:
    """Rewrite day-first or month-first dates as ``Y-M-D``; flag the ones left ambiguous."""
    parts = u.str.extract(_DMY_RE)
    found = parts["y"].notna()
    ambiguous = pd.Series(False, index=u.index)
    if not found.any():
        return u, ambiguous
    if order is None:
        order = infer_date_order(u)
    a = parts["a"].str.zfill(2)
    b = parts["b"].str.zfill(2)
    if order is None:
        ambiguous = found & (a != b)
        day, month = a, b  # only values whose day and month agree are rewritten
    else:
        day, month = (a, b) if order == "DMY" else (b, a)
    iso = parts["y"] + "-" + month + "-" + day + parts["rest"].fillna("")
    out = u.copy()
    rewrite = found & ~ambiguous
    out[rewrite] = iso[rewrite]
    return out, ambiguous


def _prepare(u: pd.Series, tz: str | None, order: str | None) -> tuple[pd.Series, pd.Series]:
    """Epochs, day/month order and UTC offsets resolved; the mask of ambiguous dates."""
    u = _from_epoch(u, tz)
    u, ambiguous = _reorder_dmy(u, order)
    return _localise(u, tz), ambiguous


def is_epoch(u: pd.Series) -> pd.Series:
    """Values that are Unix epochs: 10 digits (seconds) or 13 (milliseconds), 2001–2200.

    >>> is_epoch(pd.Series(["1772409600", "1772409600000", "46083", "20260302"])).tolist()
    [True, True, False, False]
    """
    text = u.astype("str").str.strip()
    digits = text.str.fullmatch(r"\d{10}(?:\.\d+)?|\d{13}(?:\.\d+)?", na=False)
    return digits.fillna(False).astype(bool)


def _from_epoch(u: pd.Series, tz: str | None) -> pd.Series:
    """Rewrite epochs (UTC by definition) as wall-clock text in ``tz`` (UTC when None)."""
    epoch = is_epoch(u)
    if not epoch.any():
        return u
    text = u[epoch].str.strip()
    seconds = pd.to_numeric(text, errors="coerce").astype("float64")
    seconds = seconds.where(text.str.len() < 13, seconds / 1000)
    ns = (seconds * 1e9).round()
    utc = pd.to_datetime(ns.where(seconds.between(978_307_200, 7_258_118_400)), unit="ns")
    target = _to_zone(utc, tz or "+00:00")
    out = u.copy()
    out[epoch] = target.dt.strftime("%Y-%m-%d %H:%M:%S").where(target.notna(), "0000-00-00")
    return out


def _to_zone(utc: pd.Series, tz: str) -> pd.Series:
    """Naive UTC datetimes as naive wall-clock times in ``tz`` (IANA name or ``+08:00``)."""
    if pd.Series([tz]).str.fullmatch(_FIXED_TZ_RE).iloc[0]:
        return utc + pd.Timedelta(f"{tz[0]}{tz[1:3]}h{tz[4:6]}min")
    return utc.dt.tz_localize("UTC").dt.tz_convert(tz).dt.tz_localize(None)


def _normalise_date_text(u: pd.Series) -> pd.Series:
    """Rewrite Chinese and slashed dates to dashes, trimmed."""
    return (
        u.str.strip()
        .str.replace(r"[年/.]", "-", regex=True)
        .str.replace("月", "-", regex=False)
        .str.replace("日", "", regex=False)
        .str.replace(r"^(\d{4})(\d{2})(\d{2})$", r"\1-\2-\3", regex=True)
    )


def _as_number(u: pd.Series) -> pd.Series:
    """Plain decimal numbers (Excel serials) among the values; NaN elsewhere."""
    looks_numeric = u.str.fullmatch(r"\s*\d+(\.\d+)?\s*", na=False)
    return pd.to_numeric(u.where(looks_numeric), errors="coerce").astype("float64")


def _to_datetime_text(u: pd.Series) -> pd.Series:
    """Parse date or datetime text: ISO first (fast), then the slower mixed parser on the rest."""
    text = _normalise_date_text(u)
    try:
        out = _in_range(pd.to_datetime(text, format="ISO8601", errors="coerce"))
    except (ValueError, TypeError):  # an offset the caller left in: value by value below
        out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    rest = out.isna() & text.notna()
    if rest.any():
        # Only the few values ISO could not read reach the per-element parser.
        parsed = [_parse_one(v) for v in text[rest]]
        out[rest] = _in_range(
            pd.to_datetime(pd.Series(parsed, index=text.index[rest], dtype="object"))
        )
    return out.astype("datetime64[ns]")


def _parse_one(value: str) -> pd.Timestamp | None:
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %I:%M %p"):
        try:
            when = pd.Timestamp(pd.to_datetime(value, format=fmt))
        except (ValueError, TypeError, OverflowError):
            continue
        return when if when.tz is None and YEAR_RANGE[0] <= when.year <= YEAR_RANGE[1] else None
    return None


def _fast_iso(u: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Values that ISO 8601 reads as a full date (with or without a time), in one C pass."""
    try:
        iso = pd.to_datetime(u, format="ISO8601", errors="coerce")
        if isinstance(iso.dtype, pd.DatetimeTZDtype):
            raise TypeError("offsets")  # left by a caller: every value to the slow path
    except (ValueError, TypeError):
        none = pd.Series(False, index=u.index)
        return pd.Series(pd.NaT, index=u.index, dtype="datetime64[ns]"), none
    fast = iso.notna() & iso.dt.year.between(*YEAR_RANGE) & u.str.len().ge(8)
    return iso.where(fast).astype("datetime64[ns]"), fast


def _serial_to_datetime(x: pd.Series) -> pd.Series:
    """Excel serial day numbers (fraction = time of day) to datetimes; NaT out of range."""
    ok = x.between(*_SERIAL_RANGE)
    ns = (x.where(ok) * _DAY_NS).round()
    return (EXCEL_EPOCH + pd.to_timedelta(ns, unit="ns")).astype("datetime64[ns]")


def _reason(index: pd.Index) -> pd.Series:
    return pd.Series(np.nan, index=index, dtype="object")


def _per_unique(raw: pd.Series, parse: Callable[[pd.Series], tuple[pd.Series, ...]]) -> tuple:
    """Factorise ``raw``, parse each distinct value once with ``parse``, broadcast back."""
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    u = pd.Series(np.asarray(uniques, dtype=object), dtype="str")
    missing = codes < 0
    take = np.where(missing, 0, codes)
    out = []
    for res in parse(u):
        res = res.reset_index(drop=True)
        if len(res) == 0:  # every value empty: one all-missing row to take from
            res = res.reindex([0])
        out.append(res.iloc[take].set_axis(raw.index).mask(missing))
    return tuple(out)


def parse_date(
    raw: pd.Series, *, tz: str | None = None, date_order: str | None = None
) -> tuple[pd.Series, pd.Series]:
    """Parse calendar days.

    Parameters
    ----------
    raw : pandas.Series
        Text values; empty cells are NaN.
    tz : str, optional
        The survey's time zone, for values with a UTC offset (see the module docstring).
    date_order : {"DMY", "MDY"}, optional
        Order of ``03/02/2026``; inferred from the values when omitted.

    Returns
    -------
    dates : pandas.Series
        datetime64 at midnight; NaT where empty or unreadable.
    reason : pandas.Series
        ``unparseable_time`` or ``impossible_time`` where a non-empty value could not be read.

    Examples
    --------
    >>> d, why = parse_date(pd.Series(["2026-03-02", "2026年3月3日", "46084", "2026-02-30"]))
    >>> [str(x.date()) if pd.notna(x) else None for x in d]
    ['2026-03-02', '2026-03-03', '2026-03-03', None]
    >>> why.tolist()[3]
    'impossible_time'
    """

    def parse(given: pd.Series) -> tuple[pd.Series, pd.Series]:
        all_u, ambiguous = _prepare(given, tz, date_order)
        iso, fast = _fast_iso(all_u)
        u = all_u[~fast]
        num = _as_number(u)
        compact = num.between(19000101, 21001231) & u.str.strip().str.len().eq(8)
        dates = _serial_to_datetime(num.where(~compact))
        text = u.where(num.isna() | compact)
        dates = dates.fillna(_to_datetime_text(text))
        reason = _reason(u.index)
        bad = dates.isna()
        dateish = _normalise_date_text(u).str.match(_DATEISH_RE, na=False)
        reason[bad] = "unparseable_time"
        reason[bad & (dateish | num.notna())] = "impossible_time"
        reason = reason.reindex(all_u.index).mask(ambiguous, "ambiguous_date")
        return iso.fillna(dates).dt.normalize(), reason

    return _per_unique(raw, parse)  # type: ignore[no-any-return]


def parse_clock(
    raw: pd.Series, *, tz: str | None = None, date_order: str | None = None
) -> ParsedClock:
    """Parse times that belong to a row's date: clock times, full datetimes, Excel serials.

    Parameters
    ----------
    raw : pandas.Series
        Text values; empty cells are NaN.
    tz : str, optional
        The survey's time zone, for values with a UTC offset (see the module docstring).
    date_order : {"DMY", "MDY"}, optional
        Order of ``03/02/2026 09:00``; inferred from the values when omitted.

    Returns
    -------
    ParsedClock
        ``offset`` (time since midnight) for clock-only values and Excel fractions of a day;
        ``absolute`` for values with their own date; ``reason`` for the rest.

    Examples
    --------
    >>> p = parse_clock(pd.Series(["08:15", "2026-03-02 17:30", "0.5", "25:10", "soon"]))
    >>> [str(x) for x in p.offset[:3]]
    ['0 days 08:15:00', 'NaT', '0 days 12:00:00']
    >>> p.reason.tolist()[3:]
    ['impossible_time', 'unparseable_time']
    """

    def parse(given: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
        all_u, ambiguous = _prepare(given, tz, date_order)
        iso, fast = _fast_iso(all_u)
        u = all_u[~fast]
        parts = u.str.extract(_CLOCK_RE)
        h = pd.to_numeric(parts["h"], errors="coerce")
        m = pd.to_numeric(parts["m"], errors="coerce")
        s = pd.to_numeric(parts["s"], errors="coerce").fillna(0)
        ampm = parts["ampm"].str.lower().str[0]
        is_clock = h.notna()
        h = h.where(~((ampm == "p") & (h < 12)), h + 12).where(~((ampm == "a") & (h == 12)), 0)
        valid_clock = is_clock & (
            ((h < 24) & (m < 60) & (s < 60)) | ((h == 24) & (m == 0) & (s == 0))
        )
        offset = pd.to_timedelta((h * 3600 + m * 60 + s).where(valid_clock), unit="s")

        num = _as_number(u.where(~is_clock))
        frac = num.where(num < 1)
        offset = offset.fillna(pd.to_timedelta((frac * 86_400).round(), unit="s"))
        absolute = _serial_to_datetime(num.where(num >= 1))
        text = u.where(~is_clock & num.isna())
        absolute = absolute.fillna(_to_datetime_text(text))

        reason = _reason(u.index)
        bad = offset.isna() & absolute.isna()
        reason[bad] = "unparseable_time"
        dateish = _normalise_date_text(u).str.match(_DATEISH_RE, na=False)
        reason[bad & (is_clock | dateish | (num >= 1))] = "impossible_time"
        return (
            offset.reindex(all_u.index).astype("timedelta64[ns]"),
            iso.fillna(absolute).astype("datetime64[ns]"),
            reason.reindex(all_u.index).mask(ambiguous, "ambiguous_date"),
        )

    offset, absolute, reason = _per_unique(raw, parse)
    return ParsedClock(offset, absolute, reason)


def parse_time_of_day(
    raw: pd.Series, *, tz: str | None = None, date_order: str | None = None
) -> tuple[pd.Series, pd.Series]:
    """Parse times of day with no date (opening hours); a datetime keeps its clock time.

    Returns
    -------
    time : pandas.Series
        timedelta64 since midnight.
    reason : pandas.Series
        Reason code where a non-empty value could not be read.
    """
    p = parse_clock(raw, tz=tz, date_order=date_order)
    from_abs = p.absolute - p.absolute.dt.normalize()
    return p.offset.fillna(from_abs).astype("timedelta64[ns]"), p.reason


def parse_datetime(
    raw: pd.Series, *, tz: str | None = None, date_order: str | None = None
) -> tuple[pd.Series, pd.Series]:
    """Parse full datetimes (CRM check-in and check-out); a bare clock time is not enough.

    Returns
    -------
    when : pandas.Series
        datetime64.
    reason : pandas.Series
        Reason code where a non-empty value could not be read or has no date.
    """
    p = parse_clock(raw, tz=tz, date_order=date_order)
    reason = p.reason.copy()
    reason[p.absolute.isna() & p.offset.notna()] = "unparseable_time"
    return p.absolute, reason
