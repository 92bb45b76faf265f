# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
# cython: cdivision=True
"""Route performance's passes over the store visits, compiled.

Route performance sums every visit into a *cell*: its rep, its route and its customer. Most
customers are visited on one rep's route, so their visits take the customer's own code as
cell; only the visits made from another rep or route get a cell of their own. Written with
numpy this took some fifteen passes over the visits and as many arrays of ten million
elements; here it is three C loops (Cython, compiled when the package is installed), each
reading the visits once in order, with no temporary per visit beyond the keys of the visits
away from home. The sums are added in the visits' order, as :func:`numpy.bincount` adds them,
so the figures are the same to the last bit.

Codes: a visit's ``customer`` indexes the customers (-1: none), ``day`` its rep-day; per
rep-day ``day_rep`` a rep and ``day_route`` a route (-1: none); per customer
``table_route`` the route the customers table gives it (-1: none). A visit's route is its
customer's route, else its day's; its *rep-route* is ``rep * (n_routes + 1) + route + 1``.
"""

import numpy as np

from . import _kernel_inputs as inputs

from libc.math cimport isnan
from libc.stdint cimport int32_t, int64_t, uint8_t

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

ctypedef fused code_t:
    int32_t
    int64_t


cdef inline int64_t _rep_route_of(
    int64_t c, int64_t d, const int64_t* day_rep, const int64_t* day_route,
    const int64_t* table_route, int64_t n_routes
) noexcept nogil:
    """The rep-route of a visit to customer code ``c`` (-1: none) on rep-day ``d``."""
    cdef int64_t r = day_route[d] if c < 0 or table_route[c] < 0 else table_route[c]
    return day_rep[d] * (n_routes + 1) + r + 1


def homes(customer, day, day_rep, day_route, table_route, n_routes):
    """Per customer code, then one slot for the visits to no customer: the rep-route of its
    last visit (its *home*, -1 when never visited); and per customer the route of its first
    visit that has one, for the customers the table gives no route (-1 otherwise).
    """
    tr = inputs.int64(table_route)
    home = np.full(len(tr) + 1, -1, dtype=np.int64)
    first_route = np.full(len(tr), -1, dtype=np.int64)
    c = inputs.customers(customer)
    if len(c):
        _homes(
            c,
            inputs.int64(day),
            inputs.int64(day_rep),
            inputs.int64(day_route),
            tr,
            n_routes,
            home,
            first_route,
        )
    return home, first_route


def _homes(
    const code_t[::1] customer,
    const int64_t[::1] day,
    const int64_t[::1] day_rep,
    const int64_t[::1] day_route,
    const int64_t[::1] table_route,
    int64_t n_routes,
    int64_t[::1] home,
    int64_t[::1] first_route,
):
    cdef Py_ssize_t i, n_customers = table_route.shape[0]
    cdef int64_t c, d, r
    cdef const int64_t* tr = &table_route[0] if n_customers else NULL
    with nogil:
        for i in range(customer.shape[0]):
            c = customer[i]
            d = day[i]
            r = day_route[d] if c < 0 or tr[c] < 0 else tr[c]
            if c >= 0:
                home[c] = day_rep[d] * (n_routes + 1) + r + 1
                if tr[c] < 0 and r >= 0 and first_route[c] < 0:
                    first_route[c] = r
            else:
                home[n_customers] = day_rep[d] * (n_routes + 1) + r + 1


def visits_away(customer, day, day_rep, day_route, table_route, n_routes, home, out):
    """Write into ``out`` (int64) the cell key of each visit away from its customer's home
    (``rep_route * (n_customers + 1) + customer``, no customer as ``n_customers``), in
    order; return how many there are.
    """
    c = inputs.customers(customer)
    if not len(c):
        return 0
    return _visits_away(
        c,
        inputs.int64(day),
        inputs.int64(day_rep),
        inputs.int64(day_route),
        inputs.int64(table_route),
        n_routes,
        inputs.int64(home),
        out,
    )


def _visits_away(
    const code_t[::1] customer,
    const int64_t[::1] day,
    const int64_t[::1] day_rep,
    const int64_t[::1] day_route,
    const int64_t[::1] table_route,
    int64_t n_routes,
    const int64_t[::1] home,
    int64_t[::1] out,
):
    cdef Py_ssize_t i, n_customers = table_route.shape[0]
    cdef int64_t c, slot, key, k = 0
    cdef const int64_t* tr = &table_route[0] if n_customers else NULL
    with nogil:
        for i in range(customer.shape[0]):
            c = customer[i]
            slot = c if c >= 0 else n_customers
            key = _rep_route_of(c, day[i], &day_rep[0], &day_route[0], tr, n_routes)
            if key != home[slot]:
                out[k] = key * (n_customers + 1) + slot
                k += 1
    return k


def cell_sums(
    customer,
    day,
    day_rep,
    day_route,
    table_route,
    n_routes,
    home,
    away_cell,
    day_travel,
    day_peak,
    visit_min,
    leg_m,
    double circuity,
    sales,
    sums,
):
    """Add each visit into its cell of ``sums`` (zeros, float64, shape ``(blocks * size,
    len(CELL_SUMS))``: a cell's sums side by side; ``size`` = customers + 1 + the cells of
    visits away from home): a customer's code at home, the slot after the customers for no
    customer, ``n_customers + 1 + away_cell[j]`` for the ``j``-th visit away from home, and
    ``size`` more in a peak day's block (when ``day_peak`` is not empty).

    Per visit: ``visit_min`` (NaN: unknown, adds 0), its day's ``day_travel`` share (NaN:
    unknown, adds 0), the cost (visit plus travel, 0 when the visit is unknown), road km
    (``leg_m * circuity / 1000``; NaN: unknown, adds 0) and ``sales`` (when not empty).
    """
    c = inputs.customers(customer)
    if not len(c):
        return
    peak = np.ascontiguousarray(day_peak, dtype=np.bool_).view(np.uint8)
    sl = inputs.float64(sales)
    _cell_sums(
        c,
        inputs.int64(day),
        inputs.int64(day_rep),
        inputs.int64(day_route),
        inputs.int64(table_route),
        n_routes,
        inputs.int64(home),
        inputs.int64(away_cell),
        inputs.float64(day_travel),
        peak if len(peak) else np.zeros(1, dtype=np.uint8),
        len(peak) > 0,
        inputs.float64(visit_min),
        inputs.float64(leg_m),
        circuity,
        sl if len(sl) else np.zeros(1),
        len(sl) > 0,
        sums,
    )


def _cell_sums(
    const code_t[::1] customer,
    const int64_t[::1] day,
    const int64_t[::1] day_rep,
    const int64_t[::1] day_route,
    const int64_t[::1] table_route,
    int64_t n_routes,
    const int64_t[::1] home,
    const int64_t[::1] away_cell,
    const double[::1] day_travel,
    const uint8_t[::1] day_peak,
    bint with_peak,
    const double[::1] visit_min,
    const double[::1] leg_m,
    double circuity,
    const double[::1] sales,
    bint with_sales,
    double[:, ::1] sums,
):
    cdef Py_ssize_t i, n_customers = table_route.shape[0]
    cdef Py_ssize_t size = sums.shape[0] // (2 if with_peak else 1)
    cdef int64_t c, d, slot, cell, j = 0
    cdef double v, t, km
    cdef const int64_t* tr = &table_route[0] if n_customers else NULL
    cdef const int64_t* away = &away_cell[0] if away_cell.shape[0] else NULL
    with nogil:
        for i in range(customer.shape[0]):
            c = customer[i]
            d = day[i]
            slot = c if c >= 0 else n_customers
            cell = slot
            if _rep_route_of(c, d, &day_rep[0], &day_route[0], tr, n_routes) != home[slot]:
                cell = n_customers + 1 + away[j]  # away from home
                j += 1
            if with_peak and day_peak[d]:
                cell += size
            sums[cell, 0] += 1.0
            v = visit_min[i]
            t = day_travel[d]
            if isnan(t):
                sums[cell, 6] += 1.0
                t = 0.0
            if isnan(v):
                sums[cell, 5] += 1.0
            else:
                sums[cell, 1] += v
                sums[cell, 2] += v + t
            sums[cell, 3] += t
            km = leg_m[i] * circuity / 1000
            if isnan(km):
                sums[cell, 7] += 1.0
            else:
                sums[cell, 4] += km
            if with_sales:
                sums[cell, 8] += sales[i]
