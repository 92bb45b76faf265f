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

__all__ = [
    "SUFFIXES",
    "RawTable",
    "check_duplicate_headers",
    "detect_encoding",
    "read_raw",
    "read_toml",
]

#: File suffixes the loader reads, in the order it prefers them when a folder holds several.
SUFFIXES: tuple[str, ...] = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".parquet")

# The Chinese encodings of exports; when both decode a file, charset-normalizer ranks them.
_CJK_ENCODINGS = ("gb18030", "big5")
# How much less chaotic (charset-normalizer's mess ratio, 0-1) the first must read to win.
_DECISIVE_CHAOS = 0.05
# How much larger a reading's share of common characters must be to win (0-1).
_DECISIVE_SHARE = 0.15
# Bytes looked at to count common characters.
_SAMPLE_BYTES = 65_536
# Encodings charset-normalizer may propose when neither UTF-8 nor a Chinese encoding decodes.
_FALLBACK_ENCODINGS = ["cp1252", "shift_jis", "euc_kr"]
# Python allows 128 KiB in one CSV field by default; a long comment may be longer.
_FIELD_LIMIT = 2**31 - 1
# Quarantine reasons of lines that cannot be split into cells.
_MALFORMED = "the line has more fields than the header"


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _codec_name(encoding: str) -> str:
    return codecs.lookup(encoding).name


def _common_share(text: str, encoding: str) -> float:
    """Share of a reading's Chinese characters that are common ones of its script.

    Common: level 1 of GB2312 (3,755 characters) for GB18030, the frequently used block of
    Big5 (5,401) for Big5. Bytes of one encoding read as the other mostly land on rare
    characters, kana or symbols.
    """
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 0.0
    table, lo, hi = ("gb2312", 0xB0, 0xD7) if encoding == "gb18030" else ("big5", 0xA4, 0xC6)
    common = 0
    for ch in wide:
        try:
            b = ch.encode(table)
        except UnicodeEncodeError:
            continue
        common += len(b) == 2 and lo <= b[0] <= hi
    return common / len(wide)


def _rank_chinese(data: bytes) -> str | None:
    """GB18030 or Big5 for bytes both decode; None when neither reads clearly better.

    charset-normalizer's ranking (its mess ratio) decides when one reading is clearly less
    messy; otherwise the share of common characters of each reading, which tells short files
    apart (a header and a few names), decides when it differs by at least
    :data:`_DECISIVE_SHARE`.
    """
    from charset_normalizer import from_bytes

    head = data[:_SAMPLE_BYTES]
    shares = {}
    for enc in _CJK_ENCODINGS:
        try:
            shares[enc] = _common_share(head.decode(enc, errors="ignore"), enc)
        except LookupError:  # pragma: no cover - both codecs ship with Python
            shares[enc] = 0.0
    by_share = max(shares, key=lambda e: shares[e])
    share_decides = abs(shares["gb18030"] - shares["big5"]) >= _DECISIVE_SHARE
    ranked = list(from_bytes(data, cp_isolation=list(_CJK_ENCODINGS)))
    if len(ranked) == 1 or (
        len(ranked) > 1 and ranked[1].chaos - ranked[0].chaos >= _DECISIVE_CHAOS
    ):
        first = _codec_name(str(ranked[0].encoding))
        if not share_decides or first == by_share:
            return first
    return by_share if share_decides else None


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
        Lines that could not be split into the header's columns: ``row``, ``value``,
        ``reason`` (``malformed_row`` or ``unclosed_quote``) and ``message``.
    skipped : tuple of str
        Headers of the file that were not read at all (a Parquet file is read column by
        column, only the columns the table uses).
    delimiter : str or None
        The field separator of a CSV file (its decimal mark is decided from it and the values).
    """

    frame: pd.DataFrame
    rows: np.ndarray
    file: str
    encoding: str | None
    malformed: pd.DataFrame
    skipped: tuple[str, ...] = ()
    delimiter: str | None = None


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
    from charset_normalizer import from_bytes

    cjk = [e for e in _CJK_ENCODINGS if _decodes(data, e)]
    if len(cjk) == 1:
        return cjk[0]
    if cjk:  # GB18030 decodes Big5 bytes without error: rank the two readings
        pick = _rank_chinese(data)
        if pick is not None:
            return pick
        raise InputError(
            f"{file}: cannot tell whether the file is GBK/GB18030 (simplified Chinese) or Big5 "
            "(traditional Chinese): both decode it and neither reads clearly better. Pass "
            "encoding='gb18030' or encoding='big5' to load_dataset (or save the file as UTF-8).",
            file=file,
        )
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
    return pd.DataFrame(
        {
            "row": pd.Series(dtype="int64"),
            "value": pd.Series(dtype="str"),
            "reason": pd.Series(dtype="str"),
            "message": pd.Series(dtype="str"),
        }
    )


def check_duplicate_headers(header: list[str], name: str) -> None:
    """Stop when two columns share a non-empty header: which one is meant cannot be told.

    Raises
    ------
    InputError
        Naming both columns (1-based positions) and the header.
    """
    seen: dict[str, int] = {}
    for i, h in enumerate(header, start=1):
        key = str(h).strip()
        if not key or key.lower() == "nan":
            continue
        if key in seen:
            raise InputError(
                f"{name}: columns {seen[key]} and {i} are both headed {key!r}; the loader "
                "cannot tell which one holds the data. Rename or delete one of them.",
                file=name,
                column=key,
            )
        seen[key] = i


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
    first_line = text.split("\n", 1)[0].rstrip("\r")
    check_duplicate_headers(next(csv.reader([first_line], delimiter=sep), []), name)
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
        if '"' in text and _folded(frame, sep):
            raise pd.errors.ParserError("a quote folds lines into one cell")
    except pd.errors.ParserError:
        frame, malformed = _read_ragged(text, sep)
    except pd.errors.EmptyDataError as exc:
        raise InputError(f"{name} has no header row.", file=name) from exc
    if "__row" in frame:
        rows = frame.pop("__row").to_numpy()
    else:
        rows = np.arange(2, len(frame) + 2)
    return RawTable(frame, rows, name, enc, malformed, delimiter=sep)


def _folded(frame: pd.DataFrame, sep: str) -> bool:
    """Whether a cell holds whole lines of the file (an unclosed quote), not a quoted note."""
    for col in frame.columns:
        s = frame[col]
        multi = s.str.contains("\n", regex=False, na=False)
        if multi.any() and any(_looks_folded(v, sep, len(frame.columns)) for v in s[multi]):
            return True
    return False


def _looks_folded(cell: str, sep: str, width: int) -> bool:
    """A continuation line with as many separators as a record has is a record, not a note."""
    return any(line.count(sep) >= max(width - 1, 1) for line in cell.split("\n")[1:])


def _read_ragged(text: str, sep: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a CSV line by line when the fast parser refused it or folded lines together.

    A record may legally span lines (a quoted note). Two things are set aside, with the row
    number they would have and their line number in the file:

    - a line with more fields than the header (``malformed_row``); shorter lines are padded
      with empty cells;
    - a line that opens a quote never closed (``unclosed_quote``): its record would swallow
      the following lines (an odd number of quote characters, or a continuation line with as
      many separators as a record). Only that line is set aside; reading goes on at the next.
    """
    limit = csv.field_size_limit(_FIELD_LIMIT)
    try:
        return _split_lines(text, sep)
    finally:
        csv.field_size_limit(limit)


def _split_lines(text: str, sep: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    lines = text.splitlines(keepends=True)
    header = next(csv.reader(lines[:1], delimiter=sep))
    width = len(header)
    good: list[list[str]] = []
    good_rows: list[int] = []
    bad: list[tuple[int, str, str, str]] = []
    row_no = 1
    pos = 1  # index of the next physical line to read
    while pos < len(lines):
        reader = csv.reader(iter(lines[pos:]), delimiter=sep)
        consumed = 0
        restart = None
        for fields in reader:
            start, consumed = pos + consumed, reader.line_num
            span = lines[start : pos + consumed]
            row_no += 1
            whole = "".join(span)
            opens = whole.startswith('"') or f'{sep}"' in whole
            if (opens and whole.count('"') % 2 == 1) or (
                len(span) > 1 and _looks_folded(whole.rstrip("\r\n"), sep, width)
            ):
                line = span[0].rstrip("\r\n")
                bad.append(
                    (
                        row_no,
                        line,
                        "unclosed_quote",
                        f'line {start + 1} opens a quote (") that is not closed before the '
                        f"next record; quote the whole cell or remove the quote character",
                    )
                )
                restart = start + 1
                break
            if len(fields) > width:
                bad.append((row_no, sep.join(fields), "malformed_row", _MALFORMED))
            else:
                good.append(fields + [""] * (width - len(fields)))
                good_rows.append(row_no)
        if restart is None:
            break
        pos = restart
    frame = pd.DataFrame(good, columns=header, dtype="str").replace("", np.nan)
    frame["__row"] = good_rows
    malformed = pd.DataFrame(
        {
            "row": pd.Series([b[0] for b in bad], dtype="int64"),
            "value": pd.Series([b[1] for b in bad], dtype="str"),
            "reason": pd.Series([b[2] for b in bad], dtype="str"),
            "message": pd.Series([b[3] for b in bad], dtype="str"),
        }
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
    if any(str(c).rsplit(".", 1)[-1].isdigit() for c in frame.columns):  # pandas renamed a twin
        header = pd.read_excel(path, engine="calamine", header=None, nrows=1, dtype="str")
        check_duplicate_headers([str(c) for c in header.iloc[0].tolist()], name)
    return RawTable(frame, np.arange(2, len(frame) + 2), name, None, _empty_malformed())


def _read_parquet(
    path: Path, name: str, select: Callable[[list[str]], list[str]] | None, coded: bool
) -> RawTable:
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
        names = [str(c) for c in schema.names]
        names = [c for c in names if c != "__index_level_0__"]
        columns = select(names) if select is not None else names
        # coded: the Arrow table straight from the file, text columns as their dictionary
        # pages (no pandas round trip, and no import of pyarrow's dataset layer: 0.5 s of
        # the 10^6-row load)
        frame = (
            _parquet_frame(
                pq.ParquetFile(path, read_dictionary=columns).read(
                    columns=columns, use_threads=True
                )
            )
            if coded
            else pd.read_parquet(path, columns=columns)
        )
    except InputError:
        raise
    except Exception as exc:  # pyarrow raises several error types for broken files
        raise InputError(f"{name} cannot be read as Parquet: {exc}.", file=name) from exc
    skipped = tuple(c for c in names if c not in set(columns))
    return RawTable(frame, np.arange(1, len(frame) + 1), name, None, _empty_malformed(), skipped)


def _parquet_frame(table: Any) -> pd.DataFrame:
    """A Parquet file read as an Arrow table, as plain pandas; its text columns categorical,
    straight from the dictionary pages (each distinct text decoded once, no Python string per
    row).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    table = table.combine_chunks().unify_dictionaries()  # one chunk, one dictionary a column
    out: dict[str, pd.Series] = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        kind = column.type
        if not (pa.types.is_dictionary(kind) and _is_text(kind.value_type)):
            out[name] = column.to_pandas()
            continue
        if column.num_chunks:
            chunk = column.chunk(0)
            dictionary, indices = chunk.dictionary, chunk.indices
            if indices.null_count:
                indices = pc.fill_null(indices, -1)
            codes = indices.to_numpy(zero_copy_only=False)
        else:
            dictionary, codes = pa.array([], kind.value_type), np.zeros(0, dtype=np.int32)
        categories = pd.Index(pd.array(dictionary, dtype=pd.StringDtype(na_value=np.nan)))
        cat = pd.Categorical.from_codes(codes, categories=categories, validate=False)
        out[name] = pd.Series(cat, copy=False)
    return pd.DataFrame(out, columns=table.column_names, copy=False)


def _is_text(kind: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def read_raw(
    path: str | Path,
    *,
    encoding: str | None = None,
    select: Callable[[list[str]], list[str]] | None = None,
    coded: bool = False,
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
    coded : bool
        Read a Parquet file's text columns as categoricals straight from its dictionary pages
        (each distinct text decoded once; what the loader wants at 10⁷ rows); default: text.

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
        return _read_parquet(path, name, select, coded)
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
