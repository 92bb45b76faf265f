"""Integer codes of an allocation's rep-days and store visits, computed once.

:func:`tts.time_use.allocate_time` knows, for every store visit, its rep-day and its customer
as integers before it writes them out as text. The audit, route performance and the day
routes group and look up by those same keys; hashing millions of id strings again in each of
them was most of a diagnosis' cost. :class:`StopCodes` keeps the integers beside the
allocation, and the coordinates and leg distances derived from them are computed once for
every analysis that needs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .audit_kernels import haversine_legs
from .rep_days import day_starts
from .travel import EARTH_RADIUS_M

__all__ = ["StopCodes", "grouping"]


@dataclass(frozen=True, eq=False)
class StopCodes:
    """Codes of the store visits of one :class:`tts.time_use.TimeAllocation`.

    Attributes
    ----------
    stops : pandas.DataFrame
        The store-visit table these codes describe (the same object, not a copy).
    day : numpy.ndarray
        Per stop: position of its rep-day in ``per_day`` (stops are in day order).
    day_rep : numpy.ndarray
        Per rep-day: index into ``rep_names``.
    rep_names : pandas.Index
        The reps, sorted (``str``).
    customer : numpy.ndarray
        Per stop: index into ``customer_names`` (-1 for none).
    customer_names : pandas.Index
        The customers (``str``), in order of first appearance.
    """

    stops: pd.DataFrame
    day: np.ndarray
    day_rep: np.ndarray
    rep_names: pd.Index
    customer: np.ndarray
    customer_names: pd.Index
    _memo: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def describes(self, stops: pd.DataFrame) -> bool:
        """Whether these codes were computed with ``stops`` (the same object, same length)."""
        return self.stops is stops and len(self.day) == len(stops)

    def positions_by_code(self, index: pd.Index) -> np.ndarray:
        """Per customer code, the customer's position in ``index`` (unique; -1 where absent),
        and one -1 more last: indexed by ``customer``, each stop's customer's position
        (:func:`tts._frames.positions` on ``stops["customer_id"]``) without hashing an id.
        """
        return np.r_[_positions_in(self.customer_names, index), -1]

    def same_day_as_previous(self) -> np.ndarray:
        """Per stop: True where it follows another stop of its rep-day."""
        return ~day_starts(self.day)

    def _by_code(self, customers: pd.DataFrame | None) -> np.ndarray:
        """Latitude and longitude (degrees) per customer code, one NaN row more last (code
        -1 and customers without coordinates); shape (len(customer_names) + 1, 2), computed
        once per customers table.
        """
        held = self._memo.get("by_code")
        if held is not None and held[0] is customers:  # type: ignore[index]
            return held[1]  # type: ignore[index,no-any-return]
        out = np.full((len(self.customer_names) + 1, 2), np.nan)
        if customers is not None and {"lat", "lon"} <= set(customers.columns):
            cust = customers.drop_duplicates("customer_id").set_index("customer_id")
            where = np.r_[_positions_in(self.customer_names, cust.index), -1]
            xy = np.vstack([cust[["lat", "lon"]].to_numpy(float), [np.nan, np.nan]])
            out = xy[where]  # -1 takes the trailing NaN row
        out.setflags(write=False)
        self._memo["by_code"] = (customers, out)
        return out

    def coordinates(self, customers: pd.DataFrame | None) -> np.ndarray:
        """Latitude and longitude (degrees) of each stop's customer, NaN where unknown, shape
        (n, 2); as :func:`tts.legs.stop_coordinates`, computed once per customers table.
        """
        held = self._memo.get("xy")
        if held is not None and held[0] is customers:  # type: ignore[index]
            return held[1]  # type: ignore[index,no-any-return]
        out = self._by_code(customers)[self.customer]  # code -1 takes the trailing NaN row
        out.setflags(write=False)
        self._memo["xy"] = (customers, out)
        return out

    def leg_distances_m(self, customers: pd.DataFrame | None) -> np.ndarray:
        """Great-circle distance from the previous stop of the same rep-day, metres (NaN for a
        day's first stop and where a coordinate is unknown); as
        :func:`tts.legs.leg_distances_m`, computed once per customers table.

        One compiled pass over the stops (:func:`tts.audit_kernels.haversine_legs`, the
        formula of :func:`tts.travel.haversine_m`), reading each stop's coordinates by its
        customer code: no per-stop coordinate table is built.
        """
        held = self._memo.get("legs")
        if held is not None and held[0] is customers:  # type: ignore[index]
            return held[1]  # type: ignore[index,no-any-return]
        if len(self.day) == 0:
            out = np.zeros(0)
        else:
            xy = self._by_code(customers)
            phi = np.radians(xy[:, 0])  # per customer, not per leg
            out = haversine_legs(
                phi,
                np.cos(phi),
                np.ascontiguousarray(xy[:, 1]),
                self.customer,
                self.same_day_as_previous(),
                EARTH_RADIUS_M,
            )
        out.setflags(write=False)
        self._memo["legs"] = (customers, out)
        return out

    def sorted_customers(self) -> tuple[np.ndarray, pd.Index]:
        """Per stop, a code into the customers sorted (-1 for none), and those names: the
        group order of a pandas ``groupby`` on ``stops["customer_id"]`` (the customers
        visited, or all of ``customer_names``).
        """
        held = self._memo.get("sorted_customers")
        if held is None:
            column = self.stops["customer_id"]
            if isinstance(column.dtype, pd.CategoricalDtype) and (
                column.cat.categories.is_monotonic_increasing
            ):  # the allocation's stops: already coded into the customers visited, sorted
                held = (
                    np.asarray(column.cat.codes.to_numpy(), dtype=np.int32),
                    pd.Index(column.cat.categories, dtype="str"),
                )
            else:
                held = _sorted_codes(self.customer, self.customer_names)
            self._memo["sorted_customers"] = held
        return held  # type: ignore[return-value]


def _positions_in(values: pd.Index, index: pd.Index) -> np.ndarray:
    """``index.get_indexer(values)`` (``index`` unique): by Arrow's hash lookup when both are
    text, several times faster than pandas' on Arrow-backed strings.
    """
    if values.dtype == "str" and index.dtype == "str" and not values.hasnans:
        found = pc.index_in(pa.array(values.array), value_set=pa.array(index.array))
        return np.asarray(found.fill_null(-1).to_numpy(), dtype=np.int64)
    return np.asarray(index.get_indexer(values), dtype=np.int64)


def _sorted_codes(codes: np.ndarray, names: pd.Index) -> tuple[np.ndarray, pd.Index]:
    """Recode ``codes`` (into ``names``, -1 for none) into the sorted names."""
    order = np.asarray(names.argsort())
    rank = np.empty(len(order) + 1, dtype=np.int32)
    rank[order] = np.arange(len(order))
    rank[-1] = -1
    return rank[codes], names.take(order)


def grouping(codes: np.ndarray, names: pd.Index) -> pd.Categorical:
    """A grouping key from integer codes into sorted ``names`` (-1: missing): pandas groups
    by it (``observed=True``) in the order of the names without hashing them.
    """
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(names))
