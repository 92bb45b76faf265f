"""Reading a user-supplied travel matrix (pairs or square) for the route optimiser.

Two layouts, told apart by their headers:

- **pairs**: one row per ordered pair, columns ``from_id``, ``to_id``, a duration
  (``duration_s`` in seconds or ``duration_min`` in minutes) and optionally a distance
  (``distance_m`` or ``distance_km``); every ordered pair of the ids must be present (a pair
  and its reverse may differ).
- **square**: the first column holds the ids, the header the same ids in the same order,
  and the cells drive times in seconds.

Ids are customer ids, and rep ids for the reps' homes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .._exceptions import InputError
from ..travel import TravelMatrix
from .files import read_raw

__all__ = ["read_matrix"]

_PAIR_UNITS = {"duration_s": 1.0, "duration_min": 60.0, "distance_m": 1.0, "distance_km": 1000.0}


def read_matrix(path: str | Path, *, encoding: str | None = None) -> TravelMatrix:
    """Read a travel matrix file (CSV, Excel or Parquet).

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    encoding : str, optional
        Text encoding of a CSV file; detected when omitted.

    Returns
    -------
    TravelMatrix

    Raises
    ------
    InputError
        The layout is neither pairs nor square, a pair is missing, a value is not a
        non-negative number, or the square's row and column ids differ.
    """
    raw = read_raw(path, encoding=encoding)
    frame = raw.frame
    cols = [str(c).strip().lower() for c in frame.columns]
    if "from_id" in cols and "to_id" in cols:
        return _pairs(frame.set_axis(cols, axis=1), raw.file, raw.rows)
    return _square(frame, raw.file)


def _numbers(values: pd.Series, file: str, column: str, rows: np.ndarray) -> np.ndarray:
    num = pd.to_numeric(values, errors="coerce").to_numpy(float)
    bad = np.isnan(num) | (num < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{file} row {rows[i]}, column {column!r}: {values.iloc[i]!r} is not a number of "
            f"seconds, minutes, metres or km >= 0 ({int(bad.sum())} such cells).",
            file=file,
            column=column,
        )
    return num


def _pairs(frame: pd.DataFrame, file: str, rows: np.ndarray) -> TravelMatrix:
    duration_col = next((c for c in ("duration_s", "duration_min") if c in frame), None)
    if duration_col is None:
        raise InputError(
            f"{file} has from_id and to_id but no 'duration_s' or 'duration_min' column. "
            f"Found {list(frame.columns)}.",
            file=file,
        )
    src = frame["from_id"].astype(str).str.strip()
    dst = frame["to_id"].astype(str).str.strip()
    ids = pd.Index(pd.unique(pd.concat([src, dst], ignore_index=True)))
    n = len(ids)
    i, j = ids.get_indexer(src), ids.get_indexer(dst)
    duration = np.full((n, n), -1.0)
    np.fill_diagonal(duration, 0.0)
    duration[i, j] = (
        _numbers(frame[duration_col], file, duration_col, rows) * _PAIR_UNITS[duration_col]
    )
    distance = np.zeros((n, n))
    distance_col = next((c for c in ("distance_m", "distance_km") if c in frame), None)
    if distance_col is not None:
        distance[i, j] = (
            _numbers(frame[distance_col], file, distance_col, rows) * _PAIR_UNITS[distance_col]
        )
    missing = np.argwhere(duration < 0)
    if len(missing):
        examples = [f"{ids[a]} -> {ids[b]}" for a, b in missing[:5]]
        raise InputError(
            f"{file} lacks {len(missing)} of the {n * (n - 1)} ordered pairs of its {n} ids, "
            f"e.g. {examples}; every pair (both directions) is needed.",
            file=file,
        )
    return TravelMatrix(
        tuple(ids), np.rint(duration).astype(np.int64), np.rint(distance).astype(np.int64)
    )


def _square(frame: pd.DataFrame, file: str) -> TravelMatrix:
    row_ids = frame.iloc[:, 0].astype(str).str.strip().tolist()
    col_ids = [str(c).strip() for c in frame.columns[1:]]
    if row_ids != col_ids:
        raise InputError(
            f"{file} is neither a pairs file (from_id, to_id, duration_s) nor a square matrix "
            f"whose first column lists the same ids, in the same order, as its header "
            f"(rows {row_ids[:5]}..., columns {col_ids[:5]}...).",
            file=file,
        )
    values = (
        np.column_stack(
            [
                _numbers(frame.iloc[:, k + 1], file, col_ids[k], np.arange(2, len(frame) + 2))
                for k in range(len(col_ids))
            ]
        )
        if col_ids
        else np.zeros((0, 0))
    )
    return TravelMatrix(
        tuple(row_ids), np.rint(values).astype(np.int64), np.zeros_like(values, dtype=np.int64)
    )
