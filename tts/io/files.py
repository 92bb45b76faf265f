"""Reading raw tables from CSV, Excel and Parquet files, with encoding detection.

The readers return every cell as text (Parquet keeps its typed columns) together with the row
number a user sees in a spreadsheet (the header is row 1), so that a quarantined value can be
found in the original file. They do no mapping and no parsing of values.
"""

from __future__ import annotations

import codecs
import csv
import io
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._exceptions import InputError

__all__ = ["SUFFIXES", "RawTable", "detect_encoding", "read_raw", "read_toml"]

#: File suffixes the loader reads, in the order it prefers them when a folder holds several.
SUFFIXES: tuple[str, ...] = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".parquet")

# Encodings charset-normalizer may propose when neither UTF-8 nor GB18030 decodes a file.
_FALLBACK_ENCODINGS = ["big5", "cp1252", "shift_jis", "euc_kr"]


@dataclass(frozen=True)
class RawTable:
    """A file as read, before header mapping.

    Attributes
    ----------
    frame : pandas.DataFrame
        One column per header of the file; text cells (NaN where empty).
    rows : numpy.ndarray
        For each frame row, its row number in the file as a spreadsheet shows it (header = 1).
    file : str
        The file name, as reported in errors and in the quarantine.
    encoding : str or None
        The text encoding used (CSV only).
    malformed : pandas.DataFrame
        Lines that could not be split into the header's columns: ``row``, ``value``.
    skipped : tuple of str
        Headers of the file that were not read at all (a Parquet file is read column by
        column, only the columns the table uses).
    """

    frame: pd.DataFrame
    rows: np.ndarray
    file: str
    encoding: str | None
    malformed: pd.DataFrame
    skipped: tuple[str, ...] = ()


def detect_encoding(data: bytes, *, file: str = "<bytes>") -> str:
    """Find the text encoding of a CSV export.

    Strict decoding is tried in order: a byte-order mark, UTF-8, GB18030 (a superset of GBK and
    GB2312, the usual encoding of Chinese Excel exports); only then charset-normalizer, restricted
    to a few encodings, so a short GBK header is never mistaken for UTF-16.

    Parameters
    ----------
    data : bytes
        The file's content.
    file : str
        Name used in the error message.

    Returns
    -------
    str
        A Python codec name.

    Raises
    ------
    InputError
        When no candidate decodes the file.

    Examples
    --------
    >>> detect_encoding("业务员,日期".encode("gbk"))
    'gb18030'
    >>> detect_encoding(codecs.BOM_UTF8 + b"rep_id")
    'utf-8-sig'
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        first_error = exc
    try:
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_FALLBACK_ENCODINGS).best()
    if best is not None:
        return str(best.encoding)
    line = data[: first_error.start].count(b"\n") + 1
    raise InputError(
        f"{file}: cannot tell its text encoding: byte {first_error.start} (line {line}) is "
        f"{data[first_error.start : first_error.start + 1]!r}, which is neither UTF-8 nor "
        "GBK/GB18030. "
        "Save the file as UTF-8, or pass encoding= (e.g. encoding='big5').",
        file=file,
    )


def _empty_malformed() -> pd.DataFrame:
    return pd.DataFrame({"row": pd.Series(dtype="int64"), "value": pd.Series(dtype="str")})


def _sniff_separator(text_head: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    header = text_head.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (",", "\t", ";", "|")}
    return max(counts, key=lambda k: counts[k]) if max(counts.values()) > 0 else ","


def _read_csv(path: Path, name: str, encoding: str | None) -> RawTable:
    data = path.read_bytes()
    if not data.strip():
        raise InputError(
            f"{name} is empty: expected a header row naming the columns, then one row per record.",
            file=name,
        )
    if data.startswith(b"PK\x03\x04"):
        raise InputError(
            f"{name} is a zip archive (an Excel workbook?), not a CSV file. "
            "Rename it to .xlsx or export it as CSV.",
            file=name,
        )
    enc = encoding or detect_encoding(data, file=name)
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(f"{name} cannot be decoded as {enc!r}: {exc}.", file=name) from exc
    text = text.lstrip("\ufeff")
    sep = _sniff_separator(text[:4096], path.suffix.lower())
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype="str",
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
        )
        malformed = _empty_malformed()
    except pd.errors.ParserError:
        frame, malformed = _read_ragged(text, sep)
    except pd.errors.EmptyDataError as exc:
        raise InputError(f"{name} has no header row.", file=name) from exc
    rows = np.arange(2, len(frame) + 2) if malformed.empty else frame.pop("__row").to_numpy()
    return RawTable(frame, rows, name, enc, malformed)


def _read_ragged(text: str, sep: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a CSV whose lines do not all have the header's field count.

    Only reached when the fast parser has refused the file; lines with more fields than the
    header are set aside with their line number, shorter lines are padded with empty cells.
    """
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    header = next(reader)
    good: list[list[str]] = []
    good_rows: list[int] = []
    bad_rows: list[int] = []
    bad_values: list[str] = []
    row_no = 1
    for fields in reader:
        row_no += 1
        if len(fields) > len(header):
            bad_rows.append(row_no)
            bad_values.append(sep.join(fields))
        else:
            good.append(fields + [""] * (len(header) - len(fields)))
            good_rows.append(row_no)
    frame = pd.DataFrame(good, columns=header, dtype="str").replace("", np.nan)
    frame["__row"] = good_rows
    malformed = pd.DataFrame(
        {"row": pd.Series(bad_rows, dtype="int64"), "value": pd.Series(bad_values, dtype="str")}
    )
    return frame, malformed


def _read_excel(path: Path, name: str) -> RawTable:
    try:
        frame = pd.read_excel(
            path, engine="calamine", dtype="str", keep_default_na=False, na_values=[""]
        )
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise InputError(f"{name} cannot be read as an Excel workbook: {exc}.", file=name) from exc
    if frame.columns.empty:
        raise InputError(
            f"{name} is empty: expected a header row naming the columns on the first sheet.",
            file=name,
        )
    return RawTable(frame, np.arange(2, len(frame) + 2), name, None, _empty_malformed())


def _read_parquet(
    path: Path, name: str, select: Callable[[list[str]], list[str]] | None
) -> RawTable:
    import pyarrow.parquet as pq

    try:
        names = [str(c) for c in pq.read_schema(path).names]
        names = [c for c in names if c != "__index_level_0__"]
        columns = select(names) if select is not None else names
        frame = pd.read_parquet(path, columns=columns)
    except InputError:
        raise
    except Exception as exc:  # pyarrow raises several error types for broken files
        raise InputError(f"{name} cannot be read as Parquet: {exc}.", file=name) from exc
    skipped = tuple(c for c in names if c not in set(columns))
    return RawTable(frame, np.arange(1, len(frame) + 1), name, None, _empty_malformed(), skipped)


def read_raw(
    path: str | Path,
    *,
    encoding: str | None = None,
    select: Callable[[list[str]], list[str]] | None = None,
) -> RawTable:
    """Read one table file as text cells, whatever its format.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.csv``/``.tsv``/``.txt``, ``.xlsx``/``.xls`` (first sheet) or ``.parquet`` file.
    encoding : str, optional
        Text encoding of a CSV file; detected when omitted (see :func:`detect_encoding`).
    select : callable, optional
        Given a Parquet file's headers, the ones to read (the others are listed in
        ``RawTable.skipped``); other formats are read whole.

    Returns
    -------
    RawTable

    Raises
    ------
    InputError
        The file does not exist, is empty, has an unknown suffix or cannot be decoded.
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a file.", file=name)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_csv(path, name, encoding)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return _read_excel(path, name)
    if suffix == ".parquet":
        return _read_parquet(path, name, select)
    raise InputError(
        f"{name}: cannot read files ending in {suffix!r}; expected one of {list(SUFFIXES)}.",
        file=name,
    )


def read_toml(path: str | Path, what: str) -> tuple[dict[str, Any], str]:
    """Read a UTF-8 TOML settings file (mapping, standards).

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    what : str
        What the file is, for the error messages (``"mapping"``, ``"standards"``).

    Returns
    -------
    data : dict
        The parsed file.
    name : str
        The file's name, for later messages.

    Raises
    ------
    InputError
        The file is missing or is not valid UTF-8 TOML.
    """
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig")), path.name
    except FileNotFoundError as exc:
        raise InputError(f"{what} file {path} does not exist.", file=path.name) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(
            f"{path.name} is not a valid UTF-8 TOML {what} file: {exc}.", file=path.name
        ) from exc
