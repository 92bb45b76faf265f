"""The data contract: canonical tables, columns, codes and their validation schemas.

Every name here is part of the public data contract: the sample data, the tests and users'
files depend on it. Column kinds say how the loader parses a raw text value:

``id``
    an identifier, kept as text (leading zeros survive).
``text``
    free text.
``date``
    a calendar day: ISO dates, ``2026/3/2``, ``2026年3月2日`` or an Excel serial day number.
``clock``
    a local time ``HH:MM[:SS]`` on the row's date, a full datetime (with or without a UTC
    offset), an epoch in seconds or milliseconds, or an Excel serial time (a fraction of a day)
    or serial datetime.
``time``
    a time of day with no date (opening hours): ``HH:MM[:SS]`` or an Excel serial time; held
    as the time since midnight.
``datetime``
    a full date and time, or an Excel serial datetime.
``number``
    a decimal number; the decimal mark is decided per file (``1,234.5`` or ``1.234,5``).
``code``
    one of a closed set of codes (activity, channel, role, area), after label mapping.

The pandera schemas in :data:`SCHEMAS` validate the *typed* canonical tables; other tools can
use them to check a frame before handing it to tts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd
import pandera.pandas as pa

__all__ = [
    "ACTIVITY_CODES",
    "AREA_CODES",
    "CHANNEL_CODES",
    "CUSTOMER_ACTIVITIES",
    "NON_CUSTOMER_ACTIVITIES",
    "REASONS",
    "ROLE_CODES",
    "SCHEMAS",
    "TABLES",
    "Column",
    "TableSpec",
    "ValueCheck",
    "value_checks",
]

#: Activities that count as customer time by default (the split is configurable in standards).
CUSTOMER_ACTIVITIES: tuple[str, ...] = (
    "visit",
    "merchandising",
    "pop",
    "order_entry",
    "competitor_check",
)
#: Non-customer activities. ``unexplained`` is what a check-in log cannot account for: the part
#: of a gap between two visits beyond a plausible travel time (see :mod:`tts.timeline`).
NON_CUSTOMER_ACTIVITIES: tuple[str, ...] = (
    "travel",
    "morning_meeting",
    "admin",
    "lunch",
    "refuel",
    "trade_show",
    "wait",
    "other",
    "unexplained",
)
ACTIVITY_CODES: tuple[str, ...] = CUSTOMER_ACTIVITIES + NON_CUSTOMER_ACTIVITIES
CHANNEL_CODES: tuple[str, ...] = ("KA", "BC", "convenience", "distributor", "other")
#: Who does a task: the rep, the roles whose work often lands on reps, and the rest.
ROLE_CODES: tuple[str, ...] = (
    "rep",
    "area_development_rep",
    "area_coordinator",
    "supervisor",
    "finance",
    "marketing",
    "logistics",
    "customer_service",
    "other",
)
AREA_CODES: tuple[str, ...] = (
    "in_store",
    "customer_development",
    "coordination",
    "non_sales",
)

#: Quarantine reason codes and what each means.
REASONS: dict[str, str] = {
    "malformed_row": "the line has more fields than the header",
    "blank_row": "every cell of the row is empty",
    "missing_value": "a required value is empty",
    "unparseable_time": "a date or time that cannot be read",
    "impossible_time": "a date or time that cannot exist (25:10, a 30-hour interval, a date "
    "that disagrees with the datetime)",
    "end_before_start": "the interval ends before it starts",
    "unparseable_number": "a number that cannot be read",
    "unknown_code": "a code outside the known set (activity, channel, role, area)",
    "unknown_customer": "a customer_id absent from the customers file",
    "coordinates_out_of_range": "latitude outside -90..90 or longitude outside -180..180",
    "score_out_of_range": "an obstacle score outside 1..5",
    "negative_value": "a count or a number of minutes below zero",
    "duplicate_row": "the same record appears earlier in the file",
    "unclosed_quote": "the line opens a quote that is not closed, so it would swallow the "
    "lines after it",
    "ambiguous_date": "a date whose day and month could be swapped (03/02/2026) in a file where "
    "no value decides; set date_format",
    "ambiguous_number": "a number whose decimal mark cannot be told (1,234 or 1.234) or that "
    "uses another mark than the rest of the file",
    "placeholder_id": "an id written as a placeholder for an empty value (NaN, null, None, -)",
    "null_island": "coordinates (0, 0): a missing position written as zeros",
    "unpaired_event": "an event log's leave with no check-in before it",
    "other_event": "an event log's row that is neither a check-in nor a leave",
    "mangled_id": "an id a spreadsheet turned into a number (7.98651E+18) or stripped of its "
    "leading zeros",
    "poor_accuracy": "a GPS position whose stated accuracy is worse than the method's limit "
    "(gps_max_accuracy_m)",
}

Kind = Literal["id", "text", "date", "clock", "time", "datetime", "number", "code"]


@dataclass(frozen=True)
class Column:
    """One canonical column.

    Attributes
    ----------
    name : str
        Canonical name.
    kind : str
        How the raw value is parsed (see the module docstring).
    required : bool
        Whether the column must be present in the file.
    nullable : bool
        Whether an empty value is allowed in a present column.
    codes : tuple of str
        Allowed codes for ``kind="code"``.
    """

    name: str
    kind: Kind
    required: bool = True
    nullable: bool = False
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    """A canonical table: its columns and the columns that identify a duplicate record.

    ``categorical_ids``: the table's id columns are pandas categoricals of ``str`` with their
    categories sorted (the activity log: millions of rows over a few thousand reps,
    customers and routes, grouped by id in every step of the diagnosis).
    """

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = field(default=())
    categorical_ids: bool = False

    @property
    def required(self) -> list[str]:
        """Names of the required columns."""
        return [c.name for c in self.columns if c.required]

    @property
    def names(self) -> list[str]:
        """Names of every canonical column, in contract order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _opt(name: str, kind: Kind, codes: tuple[str, ...] = ()) -> Column:
    return Column(name, kind, required=False, nullable=True, codes=codes)


TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        TableSpec(
            "activities",
            (
                Column("rep_id", "id"),
                Column("date", "date"),
                Column("start", "clock"),
                Column("end", "clock"),
                Column("activity", "code", codes=ACTIVITY_CODES),
                # required for customer activities only: checked row by row by the loader
                Column("customer_id", "id", required=False, nullable=True),
                _opt("route_id", "id"),
            ),
            categorical_ids=True,
        ),
        TableSpec(
            "visits",
            (
                Column("rep_id", "id"),
                Column("customer_id", "id"),
                # a full datetime, an epoch, or a clock time on the row's ``date``
                Column("check_in", "clock"),
                # empty or absent: never checked out; the end is then estimated and flagged
                Column("check_out", "clock", required=False, nullable=True),
                _opt("sales_value", "number"),
                _opt("sales_volume", "number"),
                _opt("route_id", "id"),
                _opt("date", "date"),
                _opt("duration_min", "number"),
                _opt("checkin_offset_m", "number"),
            ),
        ),
        TableSpec(
            "shifts",
            (
                Column("rep_id", "id"),
                Column("date", "date"),
                Column("day_start", "clock"),
                Column("day_end", "clock"),
                _opt("meeting_min", "number"),
                _opt("admin_min", "number"),
            ),
            key=("rep_id", "date"),
        ),
        TableSpec(
            "customers",
            (
                Column("customer_id", "id"),
                Column("name", "text", nullable=True),
                Column("lat", "number", nullable=True),
                Column("lon", "number", nullable=True),
                Column("channel", "code", codes=CHANNEL_CODES),
                Column("route_id", "id", nullable=True),
                _opt("open_time", "time"),
                _opt("close_time", "time"),
                _opt("visits_per_week", "number"),
                _opt("tier", "id"),
            ),
            key=("customer_id",),
        ),
        TableSpec(
            "reps",
            (
                Column("rep_id", "id"),
                _opt("name", "text"),
                _opt("region", "id"),
                _opt("home_lat", "number"),
                _opt("home_lon", "number"),
            ),
            key=("rep_id",),
        ),
        TableSpec(
            "sales",
            (
                Column("rep_id", "id"),
                Column("date", "date"),
                Column("customer_id", "id"),
                _opt("sales_value", "number"),
                _opt("sales_volume", "number"),
            ),
        ),
        TableSpec(
            "gps",
            (
                Column("rep_id", "id"),
                Column("timestamp", "datetime"),
                Column("lat", "number"),
                Column("lon", "number"),
                _opt("accuracy_m", "number"),
                _opt("speed_mps", "number"),
            ),
            # one phone is at one place at a time: a second position at the same instant is
            # a duplicate whatever its coordinates
            key=("rep_id", "timestamp"),
        ),
        TableSpec(
            "role_survey",
            (
                Column("rep_id", "id"),
                Column("task", "id"),
                Column("performed_by", "code", codes=ROLE_CODES),
            ),
        ),
        TableSpec(
            "role_matrix",
            (
                Column("task", "id"),
                Column("area", "code", codes=AREA_CODES),
                Column("owner", "code", codes=ROLE_CODES),
            ),
            key=("task",),
        ),
        TableSpec(
            "obstacles",
            (
                Column("rep_id", "id"),
                Column("obstacle", "id"),
                Column("score", "number"),
                _opt("comment", "text"),
            ),
            key=("rep_id", "obstacle"),
        ),
    )
}

#: Columns holding coordinates (degrees) and the checks that bound them.
_LAT = ("lat", "home_lat")
_LON = ("lon", "home_lon")
_NON_NEGATIVE = ("meeting_min", "admin_min", "visits_per_week", "accuracy_m", "speed_mps")


#: A value check: its reason code and a function of a column (no empty cells) that is True
#: where the value passes.
ValueCheck = tuple[str, Callable[[pd.Series], pd.Series]]


def value_checks(col: Column) -> list[ValueCheck]:
    """The checks of one value of a typed column, beyond its type and nullability.

    They are the checks of :data:`SCHEMAS`; the loader runs them on each column's distinct
    values (an empty cell passes: whether a column may be empty is ``Column.nullable``).
    """
    if col.kind == "code":
        allowed = frozenset(col.codes)
        return [("unknown_code", lambda s: s.isin(allowed))]
    if col.name in _LAT:
        return [("coordinates_out_of_range", lambda s: s.between(-90.0, 90.0))]
    if col.name in _LON:
        return [("coordinates_out_of_range", lambda s: s.between(-180.0, 180.0))]
    if col.name in _NON_NEGATIVE:
        return [("negative_value", lambda s: s >= 0)]
    if col.name == "score":
        return [("score_out_of_range", lambda s: s.between(1, 5))]
    return []


def _checks(col: Column) -> list[pa.Check]:
    return [pa.Check(fn, name=name) for name, fn in value_checks(col)]


_DTYPES: dict[str, object] = {
    "id": pd.StringDtype(na_value=float("nan")),
    "text": pd.StringDtype(na_value=float("nan")),
    "date": "datetime64[ns]",
    "clock": "datetime64[ns]",
    "time": "timedelta64[ns]",
    "datetime": "datetime64[ns]",
    "number": "float64",
    "code": None,  # categorical with the column's codes; checked by value
}


def _schema(spec: TableSpec) -> pa.DataFrameSchema:
    columns = {
        c.name: pa.Column(
            "category" if spec.categorical_ids and c.kind == "id" else _DTYPES[c.kind],
            checks=_checks(c),
            nullable=c.nullable,
            required=c.required,
        )
        for c in spec.columns
    }
    return pa.DataFrameSchema(columns, strict=False, name=spec.name)


#: pandera schemas of the typed canonical tables, one per table name.
SCHEMAS: dict[str, pa.DataFrameSchema] = {name: _schema(spec) for name, spec in TABLES.items()}
