"""The dataset: every canonical table of one diagnostic, with what was set aside and why."""

from __future__ import annotations

from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, fields
from functools import partial
from pathlib import Path
from typing import TypeAlias

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from .._exceptions import InputError
from .._options import instance_of
from ..gps import track_timeline
from ..method import Method
from ..schema import TABLES, TableSpec
from ..timeline import derive_activities
from ..travel import haversine_m
from .events import PairedEvents, event_columns, pair_events
from .files import SUFFIXES, RawTable, check_duplicate_headers, read_raw
from .gps import prepare_gps
from .headers import Mapping, check_date_format, map_headers
from .validate import ISSUE_COLUMNS, TypedTable, empty_issues, normalise_ids, type_table

__all__ = ["MAPPING_FILE", "Dataset", "load_dataset"]

#: A mapping file with this name inside a data folder is used when no mapping is passed.
MAPPING_FILE = "mapping.toml"

#: Tables whose customer_id must be a customer of the customers table, when there is one.
_CUSTOMER_TABLES = ("activities", "visits", "sales")

Source: TypeAlias = str | Path | pd.DataFrame

_COUNT_COLUMNS = [
    "table",
    "file",
    "encoding",
    "read",
    "used",
    "quarantined",
    "ignored_columns",
    "notes",
]


@dataclass(frozen=True)
class Dataset:
    """The canonical tables of one diagnostic.

    Attributes
    ----------
    activities : pandas.DataFrame or None
        One row per activity interval: ``rep_id``, ``date``, ``start``, ``end``, ``activity``,
        ``customer_id``, ``route_id`` (when given), ``row`` (row number in the file). Derived
        from ``visits`` and ``shifts`` when no activity survey was given; ``source`` then says
        where each row comes from.
    visits, shifts, customers, reps, sales, role_survey, role_matrix, obstacles : DataFrame or None
        The other canonical tables of the data contract; None when not provided.
    quarantine : pandas.DataFrame
        Every problem found: ``file``, ``table``, ``row``, ``column``, ``value``, ``reason``,
        ``message``. A row with several problems appears once per problem.
    row_counts : pandas.DataFrame
        Per table: ``file``, ``encoding``, rows ``read``, ``used`` and ``quarantined`` (read =
        used + quarantined), the ``ignored_columns`` of the file, and ``notes``: how the file
        was read where the loader had to decide (time zone of times with a UTC offset, decimal
        comma, day/month order, ids normalised), ``"; "``-separated.
    gps : pandas.DataFrame or None
        The phones' positions (``rep_id``, ``timestamp``, ``lat``, ``lon`` in WGS-84 degrees,
        ``accuracy_m``, ``speed_mps``, ``row``), sorted by rep and time; None when not given.
        With neither activities nor visits, the activities are rebuilt from it
        (:func:`tts.gps.track_timeline`, ``source`` = ``gps``).
    """

    activities: pd.DataFrame | None
    visits: pd.DataFrame | None
    shifts: pd.DataFrame | None
    customers: pd.DataFrame | None
    reps: pd.DataFrame | None
    sales: pd.DataFrame | None
    role_survey: pd.DataFrame | None
    role_matrix: pd.DataFrame | None
    obstacles: pd.DataFrame | None
    quarantine: pd.DataFrame
    row_counts: pd.DataFrame
    gps: pd.DataFrame | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables that were provided, by canonical name."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name in TABLES and getattr(self, f.name) is not None
        }

    def to_frame(self) -> pd.DataFrame:
        """The row counts per table (what was read, used and set aside)."""
        return self.row_counts.copy()

    def quarantine_summary(self) -> pd.DataFrame:
        """Rows set aside per table and reason: ``table``, ``reason``, ``rows``."""
        q = self.quarantine
        return (
            q.groupby(["table", "reason"], sort=True)["row"].nunique().rename("rows").reset_index()
        )

    def __repr__(self) -> str:
        c = self.row_counts
        return (
            f"Dataset({len(c)} tables: {', '.join(c['table'])}; "
            f"{int(c['read'].sum())} rows read, {int(c['used'].sum())} used, "
            f"{int(c['quarantined'].sum())} set aside)"
        )

    def _repr_html_(self) -> str:
        c = self.row_counts
        head = (
            f"<p><b>tts Dataset</b>: {int(c['read'].sum()):,} rows read, "
            f"{int(c['used'].sum()):,} used, {int(c['quarantined'].sum()):,} set aside</p>"
        )
        counts = c.to_html(index=False, escape=True)
        summary = self.quarantine_summary()
        detail = (
            "<details><summary>Set aside, by reason</summary>"
            + (summary.to_html(index=False, escape=True) if len(summary) else "<p>nothing</p>")
            + "</details>"
        )
        return f"<div>{head}{counts}{detail}</div>"


def _as_event_log(raw: RawTable, mapping: Mapping) -> PairedEvents | None:
    """The visits of an event log (check-in and leave events as rows); None if not one."""
    columns = [str(c) for c in raw.frame.columns]
    found = event_columns(columns)
    if found is None:
        return None
    try:
        map_headers(columns, TABLES["visits"], mapping, file=raw.file)
        return None  # the file has its own check-in column: not an event log
    except InputError:
        pass
    kind, when = found
    rest = [c for c in columns if c not in found]
    try:
        header_map = map_headers([*rest, "check_in"], TABLES["visits"], mapping, file=raw.file)
    except InputError:
        return None
    by_column = {v: k for k, v in header_map.items()}
    return pair_events(raw, kind, when, by_column["rep_id"], by_column["customer_id"])


def _table_of(columns: list[str], mapping: Mapping, file: str) -> str | None:
    """The table a file's headers identify: the one whose required columns all map and that
    takes the most of its headers (the first in contract order on a tie); None if none does.
    An event log (check-in and leave events as rows) is a visits table.
    """
    found = event_columns(columns)
    if found is not None:
        rest = [c for c in columns if c not in found]
        try:
            map_headers([*rest, "check_in"], TABLES["visits"], mapping, file=file)
            return "visits"
        except InputError:
            pass
    best: tuple[int, str] | None = None
    for name, spec in TABLES.items():
        try:
            mapped = map_headers(columns, spec, mapping, file=file)
        except InputError:
            continue
        if best is None or len(mapped) > best[0]:
            best = (len(mapped), name)
    return best[1] if best else None


def _recognise_files(
    folder: Path,
    named: dict[str, Path],
    taken: set[str],
    mapping: Mapping,
    encoding: str | None,
) -> tuple[dict[str, Path], dict[str, RawTable], dict[str, str]]:
    """Files not named after a table (a system's export) that their headers identify, for the
    tables not ``taken`` yet; each file is read once (the raw tables are returned for reuse).
    """
    named_paths = {p.resolve() for p in named.values()}
    more: dict[str, Path] = {}
    raws: dict[str, RawTable] = {}
    notes: dict[str, str] = {}
    for p in sorted(folder.iterdir()):
        if not p.is_file() or p.suffix.lower() not in SUFFIXES or p.resolve() in named_paths:
            continue
        if p.stem.lower() in TABLES or p.name == MAPPING_FILE:
            continue
        try:
            raw = read_raw(p, encoding=encoding, coded=True)
        except InputError:
            continue  # not a table file the loader can read; a named one would have raised
        table = _table_of([str(c) for c in raw.frame.columns], mapping, p.name)
        if table is None or table in taken:
            continue
        if table in more:
            raise InputError(
                f"{folder}: both {more[table].name} and {p.name} look like the {table} table "
                "(their headers); keep one, or name the one to use "
                f"({table}.csv, or load_dataset({table}=...)).",
                file=p.name,
            )
        more[table], raws[table] = p, raw
        notes[table] = f"{p.name} read as the {table} table (its headers say so)"
    return more, raws, notes


def _find_files(folder: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    by_stem: dict[str, list[Path]] = {}
    for p in sorted(folder.iterdir()):
        if p.is_file() and p.suffix.lower() in SUFFIXES and p.stem.lower() in TABLES:
            by_stem.setdefault(p.stem.lower(), []).append(p)
    for table, paths in by_stem.items():
        if len(paths) > 1:
            raise InputError(
                f"{folder} holds {len(paths)} files for the {table} table "
                f"({', '.join(p.name for p in paths)}); keep one.",
                file=paths[0].name,
            )
        found[table] = paths[0]
    return found


def _raw_from_frame(frame: pd.DataFrame, table: str) -> RawTable:
    name = f"<{table} frame>"
    check_duplicate_headers([str(c) for c in frame.columns], name)
    empty = pd.DataFrame({"row": pd.Series(dtype="int64"), "value": pd.Series(dtype="str")})
    return RawTable(frame.reset_index(drop=True), np.arange(1, len(frame) + 1), name, None, empty)


def _resolve_mapping(mapping: Mapping | str | Path | MappingABC | None) -> Mapping:
    if mapping is None:
        return Mapping()
    if isinstance(mapping, Mapping):
        return mapping
    if isinstance(mapping, str | Path):
        return Mapping.from_toml(mapping)
    return Mapping.from_dict(mapping)


def _known_customers(customers: TypedTable) -> pd.Index:
    """Every customer_id of the customers file, normalised, whatever else its row holds."""
    cells = customers.cells.get("customer_id")
    if cells is None:  # pragma: no cover - customer_id is required
        return pd.Index([], dtype="str")
    return pd.Index(normalise_ids(cells.compact().values)[0].dropna().unique())


def _unknown_customers(typed: dict[str, TypedTable]) -> dict[str, pd.DataFrame]:
    """Issues for customer_ids that the customers file does not hold in any of its rows.

    A customer row set aside for another reason (bad coordinates, say) still makes its id
    known: the time a rep spent there is real and stays in the analysis.
    """
    known = _known_customers(typed["customers"])
    padded = known[known.str.fullmatch(r"0+\d+", na=False)]
    unpadded = set(padded.str.lstrip("0"))
    out: dict[str, pd.DataFrame] = {}
    for name in _CUSTOMER_TABLES:
        if name not in typed or "customer_id" not in typed[name].ids:
            continue
        t = typed[name].table
        ids = typed[name].ids["customer_id"]  # the table's rows, coded: each id checked once
        bad = ids.rows(known.get_indexer(ids.values.astype("str")) < 0)
        if bad.any():
            value = t.loc[bad, "customer_id"]
            digits = value.str.fullmatch(r"\d+", na=False) & value.str.lstrip("0").isin(unpadded)
            zeros = (
                "a spreadsheet dropped the leading zeros of this id (the customers file has "
                "it with zeros in front); export the column as text and load again"
            )
            out[name] = pd.DataFrame(
                {
                    "table": name,
                    "row": t.loc[bad, "row"].to_numpy(),
                    "column": "customer_id",
                    "value": value.to_numpy(),
                    "reason": np.where(digits, "mangled_id", "unknown_customer"),
                    "message": np.where(digits, zeros, "customer_id is not in the customers file"),
                }
            )
    return out


def load_dataset(
    folder: str | Path | None = None,
    *,
    activities: Source | None = None,
    visits: Source | None = None,
    shifts: Source | None = None,
    customers: Source | None = None,
    reps: Source | None = None,
    sales: Source | None = None,
    role_survey: Source | None = None,
    role_matrix: Source | None = None,
    obstacles: Source | None = None,
    gps: Source | None = None,
    mapping: Mapping | str | Path | MappingABC | None = None,
    encoding: str | None = None,
    date_format: str | None = None,
    method: Method | None = None,
    progress: bool = False,
) -> Dataset:
    """Load a diagnostic's tables, map them onto the data contract and set bad rows aside.

    Parameters
    ----------
    folder : str or pathlib.Path, optional
        A folder with files named after the tables (``activities.csv``, ``customers.xlsx``,
        ``visits.parquet`` …) and optionally ``mapping.toml``.
    activities, visits, shifts, customers, reps, sales, role_survey, role_matrix, obstacles, gps
        A file path or a DataFrame for each table; these win over the folder's files. For a
        DataFrame, ``row`` counts its rows from 1.
    mapping : Mapping, path, dict, optional
        Header and label mapping (see :mod:`tts.io.headers`); default: the folder's
        ``mapping.toml`` if there is one.
    encoding : str, optional
        Text encoding of every CSV file; detected per file when omitted (UTF-8, else GB18030
        or Big5 as charset-normalizer ranks them; an error asks for ``encoding=`` when the
        ranking is not decisive).
    date_format : {"DMY", "MDY"}, optional
        Order of day and month in dates such as ``03/02/2026`` (``"%d/%m/%Y"`` is also
        accepted); wins over the mapping file's ``date_format``. When neither gives it, a value
        with a first part above 12 decides day-first (second part: month-first), and when
        nothing decides the rows with such dates are set aside as ``ambiguous_date``.
    method : Method, optional
        How check-in logs and GPS tracks become a timeline (travel model, slack, stay radius
        and duration), the GPS accuracy limit and datum, and the survey's time zone
        (``timezone``): times with a UTC offset are converted to it (default: Asia/Shanghai
        when a file's headers are Chinese, else the offset most of its times carry); default
        ``Method()``.
    progress : bool
        Show a progress bar over the tables.

    Returns
    -------
    Dataset

    Raises
    ------
    InputError
        A file cannot be read, a required column is missing, two columns share a header, the
        mapping is invalid, none of ``activities``, ``visits`` and ``gps`` is given, or both
        ``activities`` and ``visits`` are.

    Examples
    --------
    >>> acts = pd.DataFrame({"业务员": ["r1", "r1"], "日期": ["2026-03-02"] * 2,
    ...     "开始时间": ["08:00", "08:40"], "结束时间": ["08:40", "25:00"],
    ...     "活动": ["早会", "路程"]})
    >>> ds = load_dataset(activities=acts)
    >>> ds.activities[["rep_id", "activity"]].values.tolist()
    [['r1', 'morning_meeting']]
    >>> ds.quarantine[["row", "column", "value", "reason"]].values.tolist()
    [[2, 'end', '25:00', 'impossible_time']]
    """
    given = {
        "activities": activities,
        "visits": visits,
        "shifts": shifts,
        "customers": customers,
        "reps": reps,
        "sales": sales,
        "role_survey": role_survey,
        "role_matrix": role_matrix,
        "obstacles": obstacles,
        "gps": gps,
    }
    instance_of("load_dataset", "folder", folder, (str, Path, type(None)))
    for name, value in given.items():
        instance_of("load_dataset", name, value, (str, Path, pd.DataFrame, type(None)))
    instance_of("load_dataset", "encoding", encoding, (str, type(None)))
    instance_of("load_dataset", "date_format", date_format, (str, type(None)))
    if date_format is not None:
        date_format = check_date_format(date_format)
    instance_of("load_dataset", "method", method, (Method, type(None)))
    instance_of("load_dataset", "mapping", mapping, (Mapping, str, Path, MappingABC, type(None)))
    sources: dict[str, Source] = {}
    preread: dict[str, RawTable] = {}
    extra_notes: dict[str, list[str]] = {}
    if folder is not None:
        folder = Path(folder)
        if not folder.is_dir():
            raise InputError(f"{folder} is not a folder.", file=str(folder))
        named = _find_files(folder)
        sources.update(named)
        if mapping is None and (folder / MAPPING_FILE).is_file():
            mapping = folder / MAPPING_FILE
        if not ("activities" in named or "visits" in named):
            taken = set(named) | {k for k, v in given.items() if v is not None}
            more, preread, said = _recognise_files(
                folder, named, taken, _resolve_mapping(mapping), encoding
            )
            sources.update(more)
            for name, note in said.items():
                extra_notes.setdefault(name, []).append(note)
    sources.update({k: v for k, v in given.items() if v is not None})
    if not {"activities", "visits", "gps"} & set(sources):
        where = f" in {folder}" if folder is not None else ""
        raise InputError(
            f"no activities or visits table{where}: a diagnostic needs the route activity survey "
            f"(activities.csv), the CRM check-in/check-out log (visits.csv) or the phones' GPS "
            f"track (gps.csv). Expected files "
            f"named {sorted(TABLES)} with a suffix among {list(SUFFIXES)}.",
            file=str(folder) if folder is not None else None,
        )
    if "activities" in sources and "visits" in sources:
        files = [_source_name(sources[t], t) for t in ("activities", "visits")]
        raise InputError(
            f"both an activity survey ({files[0]}) and a check-in log ({files[1]}) were given; "
            "the diagnosis reads its timeline from one of them. Keep one (move the other out of "
            "the folder), or load them one at a time: load_dataset(activities=...) or "
            "load_dataset(visits=...).",
            file=files[1],
        )
    resolved = _resolve_mapping(mapping)
    date_order = date_format or resolved.date_format
    timezone = (method or Method()).timezone

    typed: dict[str, TypedTable] = {}
    meta: dict[str, tuple[str, str | None, int]] = {}
    merged: dict[str, int] = {}  # rows used inside another row (leave events of a visit)
    order = [t for t in TABLES if t in sources]
    # customers first: their ids settle which of two id-like headers holds customer_id
    typing_order = sorted(order, key=lambda t: t != "customers")
    for name in tqdm(typing_order, desc="loading", unit="table", disable=not progress):
        src = sources[name]
        raw = (
            _raw_from_frame(src, name)
            if isinstance(src, pd.DataFrame)
            else preread[name]
            if name in preread and preread[name].file == Path(str(src)).name
            else read_raw(
                src,
                encoding=encoding,
                coded=True,
                select=partial(_used_columns, spec=TABLES[name], mapping=resolved, src=src),
            )
        )
        read = len(raw.frame) + len(raw.malformed)
        if name == "visits":
            paired = _as_event_log(raw, resolved)
            if paired is not None:
                raw = paired.raw
                merged[name] = paired.merged
                extra_notes.setdefault(name, []).append(paired.note)
        resolve = (
            partial(
                _by_customer_ids,
                raw=raw,
                table=name,
                customers=typed["customers"],
                notes=extra_notes,
            )
            if "customers" in typed and name in _CUSTOMER_TABLES
            else None
        )
        typed[name] = type_table(
            raw,
            TABLES[name],
            resolved,
            timezone=timezone,
            date_order=date_order,
            resolve=resolve,
        )
        meta[name] = (raw.file, raw.encoding, read)

    issues = {name: t.issues for name, t in typed.items()}
    tables = {name: t.table for name, t in typed.items()}
    if "visits" in tables:
        tables["visits"], said_visits = _visit_ends(
            tables["visits"], tables.get("customers"), method or Method()
        )
        extra_notes.setdefault("visits", []).extend(said_visits)
    if "gps" in tables:  # the accuracy limit and the datum are the method's
        tables["gps"], extra = prepare_gps(tables["gps"], method or Method())
        extra.insert(0, "file", meta["gps"][0])
        issues["gps"] = pd.concat([issues["gps"], extra], ignore_index=True)
    if "customers" in typed:
        for name, extra in _unknown_customers(typed).items():
            extra.insert(0, "file", meta[name][0])
            issues[name] = pd.concat([issues[name], extra], ignore_index=True)
            tables[name] = tables[name][~tables[name]["row"].isin(extra["row"])].reset_index(
                drop=True
            )

    counts = []
    for name in order:
        file, enc, read = meta[name]
        quarantined = issues[name]["row"].nunique()
        used = len(tables[name]) + merged.get(name, 0)
        if used + quarantined != read:  # pragma: no cover - an internal accounting bug
            raise AssertionError(
                f"{file}: {read} rows read but {used} used + {quarantined} set aside"
            )
        counts.append(
            (
                name,
                file,
                enc or "",
                read,
                used,
                quarantined,
                ", ".join(typed[name].ignored),
                "; ".join([*extra_notes.get(name, []), *typed[name].notes]),
            )
        )
    row_counts = pd.DataFrame(counts, columns=_COUNT_COLUMNS)
    for col in ("read", "used", "quarantined"):
        row_counts[col] = row_counts[col].astype("int64")

    quarantine = pd.concat([empty_issues(), *issues.values()], ignore_index=True)[ISSUE_COLUMNS]
    quarantine = quarantine.sort_values(["table", "row", "column"], kind="stable").reset_index(
        drop=True
    )

    if "activities" not in tables and "visits" not in tables:
        tables["activities"] = track_timeline(
            tables["gps"], tables.get("customers"), tables.get("reps"), method=method
        ).activities
    elif "activities" not in tables and tables["visits"].empty:
        tables["activities"] = _no_activities()
    elif "activities" not in tables:
        tables["activities"] = derive_activities(
            tables["visits"],
            tables.get("shifts"),
            tables.get("customers"),
            tables.get("reps"),
            method=method,
        )
    tables["activities"] = categorical_ids(tables["activities"], TABLES["activities"])
    if "sales" not in tables and "visits" in tables:
        tables["sales"] = _sales_from_visits(tables["visits"])

    return Dataset(
        **{name: tables.get(name) for name in TABLES},
        quarantine=quarantine,
        row_counts=row_counts,
    )


def _visit_ends(
    visits: pd.DataFrame, customers: pd.DataFrame | None, method: Method
) -> tuple[pd.DataFrame, list[str]]:
    """Ends of visits never checked out, and what the check-ins say about the log.

    A visit without a check-out ends after its ``duration_min`` when the file has one;
    otherwise at the next check-in of the rep's day minus the modelled drive to it, at most
    ``method.checkin_visit_min`` after its check-in. Such ends are flagged in
    ``end_estimated``. A log whose check-ins fall mostly between 00:00 and 05:00 is probably
    in another time zone, a duration column that disagrees with the check-out, and check-ins
    farther than ``method.checkin_radius_m`` from their store: each said in the notes.
    """
    notes: list[str] = []
    v = visits.copy()
    missing = v["check_out"].isna()
    by_duration = missing & v["duration_min"].notna()
    v.loc[by_duration, "check_out"] = v.loc[by_duration, "check_in"] + pd.to_timedelta(
        v.loc[by_duration, "duration_min"], unit="min"
    )
    estimate = missing & ~by_duration
    v["end_estimated"] = estimate.to_numpy()
    if estimate.any():
        cap = v["check_in"] + pd.Timedelta(minutes=method.checkin_visit_min)
        order = v.sort_values(["rep_id", "check_in"], kind="stable")
        nxt = order.groupby([order["rep_id"], order["check_in"].dt.normalize()])
        next_in = nxt["check_in"].shift(-1).reindex(v.index)
        next_cust = nxt["customer_id"].shift(-1).reindex(v.index)
        drive = pd.Series(0.0, index=v.index)
        if customers is not None and len(customers):
            pos = customers.drop_duplicates("customer_id").set_index("customer_id")[["lat", "lon"]]
            a = pos.reindex(v["customer_id"]).to_numpy()
            b = pos.reindex(next_cust).to_numpy()
            dist = haversine_m(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
            drive = pd.Series(np.nan_to_num(method.travel.minutes(dist)), index=v.index)
        by_next = next_in - pd.to_timedelta(drive, unit="min")
        end = cap.where(next_in.isna() | (by_next >= cap), by_next.clip(lower=v["check_in"]))
        v.loc[estimate, "check_out"] = end[estimate]
        notes.append(
            f"{int(estimate.sum())} visit(s) never checked out: kept, with the end estimated "
            f"(next check-in minus the drive, at most {method.checkin_visit_min:g} min) and "
            "flagged in end_estimated"
        )
    if int(by_duration.sum()):
        notes.append(f"{int(by_duration.sum())} visit end(s) from the duration column")
    logged = ~missing & v["duration_min"].notna()
    minutes = (v["check_out"] - v["check_in"]).dt.total_seconds() / 60
    disagree = logged & (minutes - v["duration_min"]).abs().gt(1.0)
    if disagree.any():
        notes.append(
            f"{int(disagree.sum())} visit(s) whose duration column disagrees with check-out "
            "minus check-in by more than 1 min (rows "
            + ", ".join(str(r) for r in v.loc[disagree, "row"].head(5))
            + (" …" if disagree.sum() > 5 else "")
            + ")"
        )
    far = v["checkin_offset_m"].gt(method.checkin_radius_m)
    if far.any():
        notes.append(
            f"{int(far.sum())} check-in(s) logged more than {method.checkin_radius_m:g} m from "
            "their store (checkin_offset_m; rows "
            + ", ".join(str(r) for r in v.loc[far, "row"].head(5))
            + (" …" if far.sum() > 5 else "")
            + ")"
        )
    if len(v) and (v["check_in"].dt.hour < 5).mean() > 0.5:
        notes.append(
            "warning: most check-ins fall between 00:00 and 05:00; the times are probably in "
            "another time zone (UTC?): set the method's timezone"
        )
    return v, notes


def _by_customer_ids(
    canonical: str,
    headers: list[str],
    *,
    raw: RawTable,
    table: str,
    customers: TypedTable,
    notes: dict[str, list[str]],
) -> str | None:
    """Of several headers that map onto ``customer_id``, the one whose values are the
    customers file's ids (more than half of them, and more than any other); None otherwise.
    """
    if canonical != "customer_id":
        return None
    known = set(_known_customers(customers))
    shares = {}
    for h in headers:
        ids = normalise_ids(raw.frame[h].astype("str").str.strip())[0].dropna()
        shares[h] = float(ids.isin(known).mean()) if len(ids) else 0.0
    best = max(shares, key=lambda h: shares[h])
    if shares[best] <= 0.5 or sum(s == shares[best] for s in shares.values()) > 1:
        return None
    others = ", ".join(repr(h) for h in headers if h != best)
    notes.setdefault(table, []).append(
        f"customer_id read from {best!r}: its values are the customers file's ids "
        f"({shares[best]:.0%}), not {others}'s"
    )
    return best


def categorical_ids(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """``frame`` with the id columns of a table whose spec says ``categorical_ids`` as
    categoricals of ``str``, their categories the ids some row holds, sorted.

    The loader builds them so from the file's distinct values; this drops the categories of
    rows set aside after typing (unknown customers) and converts tables derived from other
    tables (a timeline rebuilt from check-ins or a GPS track).
    """
    if not spec.categorical_ids:
        return frame
    change = {}
    for c in spec.columns:
        if c.kind != "id" or c.name not in frame:
            continue
        s = frame[c.name]
        if isinstance(s.dtype, pd.CategoricalDtype) and s.cat.categories.is_monotonic_increasing:
            codes = s.cat.codes.to_numpy()
            used = np.bincount(codes + 1, minlength=len(s.cat.categories) + 1)[1:] > 0
            if not used.all():  # rows set aside after typing held the others
                change[c.name] = s.cat.remove_categories(s.cat.categories[~used])
            continue
        code, names = pd.factorize(s.astype("str"), sort=True)
        change[c.name] = pd.Categorical.from_codes(code, categories=pd.Index(names, dtype="str"))
    return frame.assign(**change) if change else frame


def _no_activities() -> pd.DataFrame:
    """The timeline of a check-in log with no usable visit: no rows, the usual columns."""
    spec = TABLES["activities"]
    frame = pd.DataFrame(
        {
            "rep_id": pd.Series(dtype="str"),
            "date": pd.Series(dtype="datetime64[ns]"),
            "start": pd.Series(dtype="datetime64[ns]"),
            "end": pd.Series(dtype="datetime64[ns]"),
            "activity": pd.Categorical([], categories=list(spec.column("activity").codes)),
            "customer_id": pd.Series(dtype="str"),
            "route_id": pd.Series(dtype="str"),
            "row": pd.Series(dtype="Int64"),
            "source": pd.Categorical([], categories=["visits"]),
        }
    )
    return frame


def _source_name(source: Source, table: str) -> str:
    return f"<{table} frame>" if isinstance(source, pd.DataFrame) else Path(source).name


def _used_columns(
    columns: list[str], *, spec: TableSpec, mapping: Mapping, src: object
) -> list[str]:
    """The headers of a file that map onto the table (checked as when the file is typed)."""
    return list(map_headers(columns, spec, mapping, file=Path(str(src)).name))


def _sales_from_visits(visits: pd.DataFrame) -> pd.DataFrame | None:
    cols = [c for c in ("sales_value", "sales_volume") if c in visits]
    if not cols:
        return None
    return pd.DataFrame(
        {
            "rep_id": visits["rep_id"],
            "date": visits["check_in"].dt.normalize(),
            "customer_id": visits["customer_id"],
            **{c: visits[c] for c in cols},
            "row": visits["row"],
        }
    )
