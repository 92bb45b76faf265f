"""Route performance's passes over the store visits, compiled.

Route performance sums every visit into a *cell*: its rep, its route and its customer. Most
customers are visited on one rep's route, so their visits take the customer's own code as
cell; only the visits made from another rep or route get a cell of their own. Written with
numpy this took some fifteen passes over the visits and as many arrays of ten million
elements; here it is three loops, each reading the visits once in order, with no temporary
per visit beyond the keys of the visits away from home. The sums are added in the visits'
order, as :func:`numpy.bincount` adds them, so the figures are the same to the last bit.

Codes: a visit's ``customer`` indexes the customers (-1: none), ``day`` its rep-day; per
rep-day ``day_rep`` a rep and ``day_route`` a route (-1: none); per customer
``table_route`` the route the customers table gives it (-1: none). A visit's route is its
customer's route, else its day's; its *rep-route* is ``rep * (n_routes + 1) + route + 1``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["CELL_SUMS", "cell_sums", "homes", "visits_away"]

#: The sums :func:`cell_sums` fills, in the order of its ``sums`` columns.
CELL_SUMS = (
    "n",
    "visit_min",
    "cost_min",
    "travel_min",
    "km",
    "visit_min_unknown",
    "travel_min_unknown",
    "km_unknown",
    "sales",
)


@njit(cache=True)
def _route(table_route: int, day_route: int) -> int:
    """A visit's route: its customer's in the table, else its day's (numbers, not arrays,
    as every compiled helper: see :func:`tts.rep_day_kernels._kept`).
    """
    return day_route if table_route < 0 else table_route


@njit(cache=True)
def _rep_route(rep: int, route: int, n_routes: int) -> int:
    """The code of a rep and a route (-1: none) together (int64)."""
    return rep * (n_routes + 1) + route + 1


@njit(cache=True)
def homes(
    customer: np.ndarray,
    day: np.ndarray,
    day_rep: np.ndarray,
    day_route: np.ndarray,
    table_route: np.ndarray,
    n_routes: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Per customer code, then one slot for the visits to no customer: the rep-route of its
    last visit (its *home*, -1 when never visited); and per customer the route of its first
    visit that has one, for the customers the table gives no route (-1 otherwise).
    """
    n_customers = len(table_route)
    home = np.full(n_customers + 1, -1, dtype=np.int64)
    first_route = np.full(n_customers, -1, dtype=np.int64)
    for i in range(len(customer)):
        c, d = customer[i], day[i]
        r = _route(table_route[c] if c >= 0 else -1, day_route[d])
        key = _rep_route(day_rep[d], r, n_routes)
        if c >= 0:
            home[c] = key
            if table_route[c] < 0 and r >= 0 and first_route[c] < 0:
                first_route[c] = r
        else:
            home[n_customers] = key
    return home, first_route


@njit(cache=True)
def visits_away(
    customer: np.ndarray,
    day: np.ndarray,
    day_rep: np.ndarray,
    day_route: np.ndarray,
    table_route: np.ndarray,
    n_routes: int,
    home: np.ndarray,
    out: np.ndarray,
) -> int:
    """Write into ``out`` the cell key of each visit away from its customer's home
    (``rep_route * (n_customers + 1) + customer``, no customer as ``n_customers``), in
    order; return how many there are.
    """
    n_customers = len(table_route)
    k = 0
    for i in range(len(customer)):
        c, d = customer[i], day[i]
        slot = c if c >= 0 else n_customers
        key = _rep_route(
            day_rep[d], _route(table_route[c] if c >= 0 else -1, day_route[d]), n_routes
        )
        if key != home[slot]:
            out[k] = key * (n_customers + 1) + slot
            k += 1
    return k


@njit(cache=True)
def cell_sums(
    customer: np.ndarray,
    day: np.ndarray,
    day_rep: np.ndarray,
    day_route: np.ndarray,
    table_route: np.ndarray,
    n_routes: int,
    home: np.ndarray,
    away_cell: np.ndarray,
    day_travel: np.ndarray,
    day_peak: np.ndarray,
    visit_min: np.ndarray,
    leg_m: np.ndarray,
    circuity: float,
    sales: np.ndarray,
    sums: np.ndarray,
) -> None:
    """Add each visit into its cell of ``sums`` (zeros, shape ``(blocks * size,
    len(CELL_SUMS))``: a cell's sums side by side; ``size`` = customers + 1 + the cells of
    visits away from home): a customer's code at home, the slot after the customers for no
    customer, ``n_customers + 1 + away_cell[j]`` for the ``j``-th visit away from home, and
    ``size`` more in a peak day's block (when ``day_peak`` is not empty).

    Per visit: ``visit_min`` (NaN: unknown, adds 0), its day's ``day_travel`` share (NaN:
    unknown, adds 0), the cost (visit plus travel, 0 when the visit is unknown), road km
    (``leg_m * circuity / 1000``; NaN: unknown, adds 0) and ``sales`` (when not empty).
    """
    n_customers = len(table_route)
    size = sums.shape[0] // (2 if len(day_peak) else 1)
    with_sales = len(sales) > 0
    j = 0
    for i in range(len(customer)):
        c, d = customer[i], day[i]
        slot = c if c >= 0 else n_customers
        r = _route(table_route[c] if c >= 0 else -1, day_route[d])
        cell = slot
        if _rep_route(day_rep[d], r, n_routes) != home[slot]:  # away from home
            cell = n_customers + 1 + away_cell[j]
            j += 1
        if len(day_peak) and day_peak[d]:
            cell += size
        sums[cell, 0] += 1.0
        v = visit_min[i]
        t = day_travel[d]
        if np.isnan(t):
            sums[cell, 6] += 1.0
            t = 0.0
        if np.isnan(v):
            sums[cell, 5] += 1.0
        else:
            sums[cell, 1] += v
            sums[cell, 2] += v + t
        sums[cell, 3] += t
        km = leg_m[i] * circuity / 1000
        if np.isnan(km):
            sums[cell, 7] += 1.0
        else:
            sums[cell, 4] += km
        if with_sales:
            sums[cell, 8] += sales[i]
