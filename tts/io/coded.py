"""Dictionary-encoded columns: one code per row, each distinct value stored (and worked on) once.

The loader reads every column of a file into this form (a Parquet file's text columns straight
from its dictionary pages; other inputs by factorising) and applies every rule that looks at one
cell (trimming, id normalisation, label mapping, number and time parsing, value checks) to the
distinct values only. A rule's per-value answer reaches the rows through the codes: one gather
(:meth:`Coded.rows`), and none at all when no value is flagged, so a clean file of 10⁷ rows
costs its few thousand distinct values plus a handful of passes over integer codes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = ["Coded", "categorical_of", "codes_of"]


class Coded(NamedTuple):
    """A column as codes into its distinct values.

    Attributes
    ----------
    codes : numpy.ndarray
        One signed integer per row: the position of the row's value in ``values``; -1 where the
        cell is missing.
    values : pandas.Series
        The distinct non-missing values, RangeIndex (any dtype).
    """

    codes: np.ndarray
    values: pd.Series
    complete: bool = True

    @classmethod
    def from_series(cls, s: pd.Series) -> Coded:
        """Code a column (a categorical keeps its codes; anything else is factorised).

        A categorical's categories may include values no row holds: the result is then not
        ``complete`` until :meth:`compact`.
        """
        if isinstance(s.dtype, pd.CategoricalDtype):
            cat = s.array
            values = pd.Series(cat.categories, copy=False)  # type: ignore[attr-defined]
            codes = np.asarray(cat.codes)  # type: ignore[attr-defined]
            return cls(codes, values.reset_index(drop=True), complete=False)
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        return cls(codes, pd.Series(uniques, copy=False).reset_index(drop=True))

    def compact(self) -> Coded:
        """Only the values some row holds (a file-level decision must not weigh the others)."""
        if self.complete:
            return self
        used = self.counts() > 0
        if used.all():
            return Coded(self.codes, self.values, True)
        keep = np.where(used, np.cumsum(used) - 1, -1)
        return Coded(codes_of(self.codes, keep), self.values[used].reset_index(drop=True))

    @property
    def missing(self) -> np.ndarray:
        """True for rows without a value."""
        return self.codes < 0

    def counts(self) -> np.ndarray:
        """Rows per distinct value (aligned with ``values``)."""
        return np.bincount(self.codes + 1, minlength=len(self.values) + 1)[1:]

    def rows(self, per_value: np.ndarray | pd.Series) -> np.ndarray:
        """A per-value mask broadcast to the rows (False for missing cells)."""
        flag = np.asarray(per_value, dtype=bool)
        if not flag.any():
            return np.zeros(len(self.codes), dtype=bool)
        return np.append(flag, False)[self.codes]

    def take(self, per_value: np.ndarray | pd.Series, fill: object) -> np.ndarray:
        """A per-value array broadcast to the rows, ``fill`` for missing cells."""
        arr = np.asarray(per_value)
        ext = np.append(arr, np.asarray([fill], dtype=arr.dtype))
        return ext[self.codes]

    def recode(self, f: Callable[[pd.Series], pd.Series]) -> Coded:
        """Apply an elementwise ``f`` to the distinct values.

        Values that become equal merge; values that become missing (NaN) drop out.
        """
        mapped = f(self.values)
        codes, uniques = pd.factorize(mapped, use_na_sentinel=True)
        if len(codes) == len(uniques) and np.array_equal(codes, np.arange(len(codes))):
            # one to one (the usual case: clean cells): the rows keep their codes
            return Coded(
                self.codes, pd.Series(uniques, copy=False).reset_index(drop=True), self.complete
            )
        return Coded(
            codes_of(self.codes, codes),
            pd.Series(uniques, copy=False).reset_index(drop=True),
            self.complete,
        )

    def mask(self, per_value: np.ndarray | pd.Series) -> Coded:
        """The column with the flagged values made missing."""
        flag = np.asarray(per_value, dtype=bool)
        if not flag.any():
            return self
        return Coded(
            codes_of(self.codes, np.where(flag, -1, np.arange(len(flag)))), self.values, False
        )

    def filter(self, keep: np.ndarray | None) -> Coded:
        """Only the rows where ``keep`` is True (all rows when None)."""
        return self if keep is None else Coded(self.codes[keep], self.values, False)

    def at(self, positions: np.ndarray) -> pd.Series:
        """The values of some rows (NaN where missing), for messages and issue rows."""
        codes = self.codes[positions]
        out = pd.Series(self.values.to_numpy(dtype=object), dtype=object).reindex(codes)
        return out.reset_index(drop=True)

    def to_series(self, dtype: object | None = None) -> pd.Series:
        """Every row's value as a plain column (NaN/NaT where missing)."""
        if isinstance(self.values.dtype, pd.StringDtype) or dtype == "str":
            return _strings(self.codes, self.values)
        values = self.values if dtype is None else self.values.astype(dtype)
        missing = pd.Series([np.nan], dtype=values.dtype)
        ext = pd.concat([values, missing], ignore_index=True)
        return pd.Series(ext.to_numpy()[self.codes], dtype=ext.dtype)


def codes_of(row_codes: np.ndarray, value_codes: np.ndarray) -> np.ndarray:
    """Compose codes: rows coded into values, values coded into new values (-1 stays -1)."""
    ext = np.append(np.asarray(value_codes, dtype=np.int64), -1)
    small = np.int32 if len(ext) < 2**31 else np.int64
    return ext.astype(small)[row_codes]


def categorical_of(row_codes: np.ndarray, values: pd.Series) -> pd.Categorical:
    """Rows coded into distinct ``values`` (all used, -1 missing) as a categorical whose
    categories are the values sorted: one gather of the codes, no value hashed.

    >>> categorical_of(np.array([0, 1, -1, 0]), pd.Series(["b", "a"])).tolist()
    ['b', 'a', nan, 'b']
    """
    by_value = np.argsort(values.to_numpy(), kind="stable")
    rank = np.empty(len(by_value), dtype=np.int64)
    rank[by_value] = np.arange(len(by_value))
    categories = pd.Index(values.to_numpy()[by_value], dtype=values.dtype)
    return pd.Categorical.from_codes(codes_of(row_codes, rank), categories=categories)


def _strings(codes: np.ndarray, values: pd.Series) -> pd.Series:
    """Rows of text from codes in one Arrow pass (no Python object per row)."""
    import pyarrow as pa

    dtype = pd.StringDtype(na_value=np.nan)
    missing = codes < 0
    if len(values) == 0 or missing.all():
        return pd.Series(pd.array(pa.nulls(len(codes), pa.large_string()), dtype=dtype))
    dictionary = pa.array(values.astype("str").to_numpy(dtype=object), type=pa.large_string())
    idx = pa.array(codes, mask=missing) if missing.any() else pa.array(codes)
    text = pa.DictionaryArray.from_arrays(idx, dictionary).cast(pa.large_string())
    return pd.Series(pd.array(text, dtype=dtype))
