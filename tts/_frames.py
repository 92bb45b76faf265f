"""Small vectorised helpers on frames that several analyses share."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["mode_by", "mode_of_counts", "positions"]


def positions(ids: pd.Series, index: pd.Index) -> np.ndarray:
    """Position of each id in ``index`` (-1 where absent), looking up each distinct id once.

    >>> positions(pd.Series(["b", "x", "b"]), pd.Index(["a", "b"])).tolist()
    [1, -1, 1]
    """
    codes, uniques = pd.factorize(ids)
    found = index.get_indexer(uniques)
    return np.where(codes >= 0, found[np.maximum(codes, 0)], -1)


def mode_by(frame: pd.DataFrame, by: list[str], value: str) -> pd.Series:
    """The most frequent non-missing ``value`` of each ``by`` group (ties: the smallest),
    as :meth:`pandas.Series.mode` gives it, without a Python call per group.

    >>> f = pd.DataFrame({"g": [1, 1, 1, 2], "v": ["b", "a", "b", "c"]})
    >>> mode_by(f, ["g"], "v").to_dict()
    {1: 'b', 2: 'c'}
    """
    n = frame.groupby([*by, value], sort=False, observed=True).size().rename("_n").reset_index()
    return mode_of_counts(n, by, value)


def mode_of_counts(counts: pd.DataFrame, by: list[str], value: str) -> pd.Series:
    """:func:`mode_by` from the counts already made: ``counts`` holds one row per ``by``
    group and ``value`` with its count in ``_n`` (in any order).

    >>> c = pd.DataFrame({"g": [1, 1, 2], "v": ["a", "b", "c"], "_n": [1, 2, 1]})
    >>> mode_of_counts(c, ["g"], "v").to_dict()
    {1: 'b', 2: 'c'}
    """
    n = counts[[*by, value, "_n"]].sort_values(
        [*by, "_n", value], ascending=[True] * len(by) + [False, True], kind="stable"
    )
    return n.drop_duplicates(by).set_index(by)[value]
