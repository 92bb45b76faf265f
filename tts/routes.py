"""Route performance: frequency, sales, travel, ineffective customers and time balance.

Per route and per rep over the survey period (and per season when the data spans peak and
off-peak months). The unit of work is the **store visit** (a stop, see :mod:`tts.time_use`).
A visit's **cost** is its customer minutes plus an equal share of its day's travel; a
customer's cost per week is that, summed over its visits, divided by the weeks surveyed. A
customer is **ineffective** when its sales per cost-minute fall below ``ineffective_share``
of the median of its route's customers: the time it absorbs would earn more elsewhere.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import route_kernels as kernels
from ._exceptions import InputError
from ._options import instance_of
from .io import Dataset
from .legs import leg_distances_m
from .method import Method, survey_weeks
from .standards import Standards
from .stop_codes import StopCodes
from .time_use import TimeAllocation, fill_day_routes

if TYPE_CHECKING:
    from .route_plan import RoutePlan

__all__ = ["RoutePerformance", "analyze_routes", "gini"]


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 = all equal, towards 1 = one takes all).

    Examples
    --------
    >>> gini(np.array([1.0, 1.0, 1.0])), round(gini(np.array([0.0, 0.0, 3.0])), 3)
    (0.0, 0.667)
    """
    v = np.sort(np.asarray(values, dtype=float))
    n = len(v)
    if n == 0 or v.sum() == 0:
        return 0.0
    return float((2 * np.arange(1, n + 1) - n - 1) @ v / (n * v.sum()))


@dataclass(frozen=True)
class RoutePerformance:
    """What each route and rep does with its time.

    Attributes
    ----------
    by_route, by_rep : pandas.DataFrame
        Per route (per rep): ``weeks``, ``customers`` (on the plan), ``customers_visited``,
        ``visits_per_week``, ``planned_visits_per_week``, ``never_visited``, ``over_visited``,
        ``under_visited``, ``sales_per_visit``, ``sales_per_visit_min`` (per customer minute),
        ``travel_min_per_visit``, ``km_per_visit`` (modelled road km between consecutive
        stores), ``first_commute_min``, ``last_commute_min``, ``ineffective_customers``,
        ``ineffective_min_per_week``, ``time_gini``, ``top10_time_share``, ``long_visit_customers``,
        and with a plan ``plan_saving_min_per_day``. Sales columns are empty without sales.
    customers : pandas.DataFrame
        Per customer: ``customer_id``, ``route_id``, ``channel``, ``rep_id`` (who visits it
        most), ``planned_per_week``, ``visits_per_week``, ``frequency`` (``never``,
        ``under``, ``as_planned``, ``over``), ``avg_visit_min``, ``cost_min_per_week``,
        ``sales_per_week``, ``sales_per_cost_min``, ``ineffective``, ``long_visits``.
    channels : pandas.DataFrame
        Per channel: customers, visits a week, sales per visit, minutes a week, sales per
        cost-minute, ineffective customers.
    seasons : pandas.DataFrame
        Per season (``peak``/``off_peak``) and route, when the data spans both; else empty.
    notes : mapping
        What could not be computed and why (no sales, one season …).
    """

    by_route: pd.DataFrame
    by_rep: pd.DataFrame
    customers: pd.DataFrame
    channels: pd.DataFrame
    seasons: pd.DataFrame
    notes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def to_frame(self) -> pd.DataFrame:
        """The per-route table."""
        return self.by_route.copy()

    def ineffective(self) -> pd.DataFrame:
        """Ineffective customers, the most minutes a week first."""
        c = self.customers[self.customers["ineffective"]]
        return c.sort_values("cost_min_per_week", ascending=False).reset_index(drop=True)

    def __repr__(self) -> str:
        c = self.customers
        return (
            f"RoutePerformance({len(self.by_route)} routes, {len(c)} customers; "
            f"{int(c['ineffective'].sum())} ineffective, "
            f"{int((c['frequency'] == 'never').sum())} never visited)"
        )

    def _repr_html_(self) -> str:
        cols = [
            c
            for c in (
                "route_id",
                "visits_per_week",
                "sales_per_visit",
                "travel_min_per_visit",
                "km_per_visit",
                "ineffective_customers",
                "time_gini",
            )
            if c in self.by_route
        ]
        notes = "".join(
            f"<li>{html.escape(k)}: {html.escape(v)}</li>" for k, v in self.notes.items()
        )
        return (
            f"<div><p><b>Route performance</b>: {html.escape(repr(self))}</p>"
            f"{self.by_route[cols].round(2).to_html(index=False, escape=True)}"
            f"<details><summary>Ineffective customers</summary>"
            f"{self.ineffective().round(2).to_html(index=False, escape=True)}</details>"
            f"{f'<ul>{notes}</ul>' if notes else ''}</div>"
        )


def analyze_routes(
    ds: Dataset,
    time: TimeAllocation,
    *,
    standards: Standards | None = None,
    plan: RoutePlan | None = None,
    method: Method | None = None,
) -> RoutePerformance:
    """Analyse route performance.

    Parameters
    ----------
    ds : Dataset
        Needs customers; sales (the table, or the visits' sales columns) for the sales figures.
    time : TimeAllocation
        From :func:`tts.time_use.allocate_time` on ``ds.activities``.
    standards : Standards, optional
        For the visit band (long visits are over ``method.long_visit_factor`` × its top).
    plan : RoutePlan, optional
        From :func:`tts.optimize_routes`, for the saving per route.
    method : Method, optional
        The travel model (road km between consecutive stores), the ineffective share, the
        long-visit factor, the frequency tolerance and the peak months; default ``Method()``.

    Returns
    -------
    RoutePerformance
    """
    instance_of("analyze_routes", "ds", ds, Dataset)
    instance_of("analyze_routes", "time", time, TimeAllocation)
    instance_of("analyze_routes", "method", method, (Method, type(None)))
    standards = standards or Standards()
    method = method or Method()
    notes: dict[str, str] = {}
    stops = time.stops
    per_day = time.per_day
    weeks = float(survey_weeks(per_day["date"]))
    customers = (
        ds.customers
        if ds.customers is not None
        else pd.DataFrame({"customer_id": pd.Series(dtype="str")})
    )
    cust = customers.drop_duplicates("customer_id").set_index("customer_id")

    # each visit's rep-day: the visits are in the order of the days, `visits` to a day
    visits = per_day["visits"].to_numpy()
    if int(visits.sum()) != len(stops):
        raise InputError(
            "time.stops do not match time.per_day (visits per day): pass the allocation of "
            "ds.activities"
        )
    day_of = time.stop_day
    sales = _sales(ds)
    if sales is None:
        notes["sales"] = "no sales table and no sales columns in the visits: sales figures skipped"
    legs = leg_distances_m(stops, ds.customers, codes=time.stop_codes)
    v = _visits(stops, per_day, day_of, time.stop_codes, cust, legs, method, sales)
    del legs

    # a day's route: as logged, else the route of the customers it visited
    per_day = fill_day_routes(time, ds.customers).per_day
    months = per_day["date"].dt.month
    peak = months.isin(method.peak_months).to_numpy()
    two_seasons = bool(peak.any() and (~peak).any())
    # every figure below sums the visits' cells (rep, route, customer; per season)
    cells = _cells(v, peak if two_seasons else None)
    del v
    whole = cells[0]
    rep_pairs = whole.pairs("rep")
    route_pairs = whole.pairs("route")
    by_customer = _customers(whole, cust, weeks, standards, method, sales is not None, rep_pairs)
    route_figures = _customer_figures(by_customer, "route")
    by_route = _summary(whole, "route", route_pairs, per_day, route_figures, weeks)
    by_rep = _summary(
        whole, "rep", rep_pairs, per_day, _customer_figures(by_customer, "rep"), weeks
    )
    if plan is not None:
        saving = plan.days.groupby("route_id")["saving_min"].mean()
        by_route["plan_saving_min_per_day"] = by_route["route_id"].map(saving)
        rep_saving = plan.days.groupby("rep_id")["saving_min"].mean()
        by_rep["plan_saving_min_per_day"] = by_rep["rep_id"].map(rep_saving)
    channels = _channels(by_customer)
    if two_seasons:
        has_visits = visits > 0
        # a season's days: only the columns its summary reads, not the whole table filtered
        commutes = per_day[["route_id", "first_commute_min", "last_commute_min"]]
        seasons = pd.concat(
            [
                _summary(
                    season,
                    "route",
                    season.pairs("route"),
                    commutes[in_season],
                    route_figures,
                    float(survey_weeks(per_day["date"][in_season & has_visits])),
                ).assign(season=name)
                for season, name, in_season in (
                    (cells[1], "off_peak", ~peak),
                    (cells[2], "peak", peak),
                )
            ],
            ignore_index=True,
        )
    else:
        seasons = pd.DataFrame()
        notes["seasons"] = "the survey covers one season only: peak and off-peak are not compared"
    return RoutePerformance(
        by_route, by_rep, by_customer, channels, seasons, MappingProxyType(notes)
    )


@dataclass(frozen=True)
class _Visits:
    """The store visits as codes and figures, for :mod:`tts.route_kernels`. Each key is a
    code into its names sorted as text (-1: none): summed by code, the figures come out in
    the order a group-by on the text gives, without hashing millions of ids.
    """

    rep_names: pd.Index
    customer_names: pd.Index
    route_names: pd.Index
    customer: np.ndarray  # per visit: customer code
    day: np.ndarray  # per visit: its rep-day
    day_rep: np.ndarray  # per rep-day: rep code
    day_route: np.ndarray  # per rep-day: the day's route code
    table_route: np.ndarray  # per customer code: its route in the customers table
    table_row: np.ndarray  # per customer code: its row in the customers table (-1: absent)
    day_travel: np.ndarray  # per rep-day: each visit's share of the day's travel, minutes
    visit_min: np.ndarray  # per visit, NaN: unknown
    leg_m: np.ndarray  # per visit: metres from the previous store (great circle), NaN: unknown
    circuity: float  # road metres per great-circle metre
    sales: np.ndarray | None  # per visit; None: no sales


def _sorted_factorize(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes of ``values`` into their distinct values as sorted text (-1: missing)."""
    code, uniques = pd.factorize(values)
    names = pd.Index(uniques).astype("str")
    order = np.asarray(names.argsort())
    rank = np.empty(len(order) + 1, dtype=np.intp)
    rank[order] = np.arange(len(order))
    rank[-1] = -1
    return rank[code], names.take(order)


def _visits(
    stops: pd.DataFrame,
    per_day: pd.DataFrame,
    day_of: np.ndarray,
    codes: StopCodes | None,
    cust: pd.DataFrame,
    legs: np.ndarray,
    method: Method,
    sales: pd.DataFrame | None,
) -> _Visits:
    """The visits' keys and figures. ``route_id`` is the customer's route, else the day's."""
    if codes is not None:
        day_rep, rep_names = codes.day_rep, codes.rep_names
        customer, customer_names = codes.sorted_customers()
    else:
        day_rep, rep_names = _sorted_factorize(per_day["rep_id"])
        customer, customer_names = _sorted_factorize(stops["customer_id"])
        customer = customer.astype(np.int32)  # the compiled cells take int32 customer codes
    day_code, day_names = pd.factorize(per_day["route_id"])
    if "route_id" in cust:
        cust_code, cust_names = pd.factorize(cust["route_id"].astype("str"))
    else:
        cust_code, cust_names = np.full(len(cust), -1), pd.Index([], dtype="str")
    names = pd.Index(cust_names, dtype="str").append(pd.Index(day_names, dtype="str"))
    names = names.unique().sort_values()
    to_cust = np.r_[names.get_indexer(cust_names), -1]
    to_day = np.r_[names.get_indexer(day_names), -1]
    found = cust.index.get_indexer(customer_names)  # -1: not in the customers table
    # each visit's cost is its minutes plus an equal share of its day's travel
    day_travel = (per_day["travel_min"] / per_day["visits"].where(per_day["visits"] > 0)).to_numpy(
        float
    )
    return _Visits(
        rep_names=rep_names,
        customer_names=customer_names,
        route_names=names,
        customer=customer,
        day=day_of,
        day_rep=np.asarray(day_rep),
        day_route=to_day[day_code],
        table_route=to_cust[np.r_[cust_code, -1][found]],
        table_row=found,
        day_travel=day_travel,
        visit_min=stops["visit_min"].to_numpy(float),
        leg_m=np.asarray(legs, dtype=float),
        circuity=float(method.travel.circuity),
        sales=None
        if sales is None
        else _visit_sales(
            sales, day_rep[day_of], rep_names, customer, customer_names, per_day, day_of
        ),
    )


def _visit_sales(
    sales: pd.DataFrame,
    rep: np.ndarray,
    rep_names: pd.Index,
    customer: np.ndarray,
    customer_names: pd.Index,
    per_day: pd.DataFrame,
    day_of: np.ndarray,
) -> np.ndarray:
    """Per visit: the sales of its rep, date and customer (0 where none), as the visits
    joined on the sales summed per rep, date and customer; matched by codes after one
    sort of the visits, not by a join on millions of texts.
    """
    if len(day_of) == 0:
        return np.zeros(0)
    dates = np.unique(per_day["date"].to_numpy("datetime64[ns]"))
    n_dates, n_customers = len(dates), len(customer_names)

    def key(rep: np.ndarray, date: np.ndarray, customer: np.ndarray) -> np.ndarray:
        k = (rep.astype(np.int64) * n_dates + date) * n_customers + customer
        return np.where((rep >= 0) & (date >= 0) & (customer >= 0), k, -1)

    # the sales rows in the visits' codes (-1: a rep, date or customer no visit has)
    sold_date = sales["date"].to_numpy("datetime64[ns]")
    at = np.minimum(np.searchsorted(dates, sold_date), max(n_dates - 1, 0))
    sold = key(
        _codes_in(sales["rep_id"], rep_names),
        np.where(dates[at] == sold_date, at, -1) if n_dates else np.full(len(sales), -1),
        _codes_in(sales["customer_id"], customer_names),
    )
    value = np.nan_to_num(sales["sales_value"].to_numpy(float))  # a sum skips NaN
    visit = key(
        rep, np.searchsorted(dates, per_day["date"].to_numpy("datetime64[ns]"))[day_of], customer
    )
    order = np.argsort(visit, kind="stable")  # nearly sorted already: rep, then date
    ordered = visit[order]
    run = np.cumsum(np.r_[True, ordered[1:] != ordered[:-1]]) - 1  # equal keys, one run
    sold_order = np.argsort(sold, kind="stable")  # sorted, the searches run in step
    sold, value = sold[sold_order], value[sold_order]
    found = np.minimum(np.searchsorted(ordered, sold), len(ordered) - 1)
    hit = (sold >= 0) & (ordered[found] == sold)
    total = np.bincount(run[found[hit]], value[hit], run[-1] + 1)
    out = np.empty(len(visit))
    out[order] = total[run]
    return out


def _codes_in(values: pd.Series, names: pd.Index) -> np.ndarray:
    """Position of each of ``values`` (as text) in ``names`` (-1: absent or missing)."""
    code, uniques = pd.factorize(values)
    found = np.r_[names.get_indexer(pd.Index(uniques).astype("str")), -1]
    return found[code]


_SUMS = ("visit_min", "cost_min", "travel_min", "km")


@dataclass(frozen=True)
class _Cells:
    """The visits summed per rep, route and customer (codes, -1: none) they have: ``n``
    visits, the sums of :data:`_SUMS` and ``sales`` (NaN without sales), and ``<sum>_n``
    the visits whose figure is known.
    """

    rep_names: pd.Index
    route_names: pd.Index
    customer_names: pd.Index
    table_row: np.ndarray  # per customer code: its row in the customers table (-1: absent)
    first_route: np.ndarray  # per customer code: the route of its first visit that has one
    rep: np.ndarray
    route: np.ndarray
    customer: np.ndarray
    sums: dict[str, np.ndarray]

    def names(self, key: str) -> pd.Index:
        return self.rep_names if key == "rep" else self.route_names

    def code(self, key: str) -> np.ndarray:
        return self.rep if key == "rep" else self.route

    def by(self, code: np.ndarray, size: int) -> dict[str, np.ndarray]:
        """The sums per ``code`` (0 to ``size`` - 1; -1 left out)."""
        keep = np.flatnonzero(code >= 0)
        code = code[keep]
        return {k: np.bincount(code, x[keep], size) for k, x in self.sums.items()}

    def pairs(self, key: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per ``key`` and customer visited: key code, customer code, ``visit_min`` (summed)
        and visits, sorted by key then customer (as the text sorts).
        """
        code = self.code(key)
        n_customers = len(self.customer_names)
        keep = np.flatnonzero((code >= 0) & (self.customer >= 0))
        both = code[keep].astype(np.int64) * n_customers + self.customer[keep]
        pair, index = np.unique(both, return_inverse=True)
        n = np.bincount(index, self.sums["n"][keep], len(pair)).astype(np.int64)
        minutes = np.bincount(index, self.sums["visit_min"][keep], len(pair))
        return pair // max(n_customers, 1), pair % max(n_customers, 1), minutes, n


def _cells(v: _Visits, day_peak: np.ndarray | None) -> list[_Cells]:
    """The visits' cells, and with ``day_peak`` (per rep-day) those of the off-peak and the
    peak visits.

    Most customers are visited on one rep's route: their visits take the customer's code
    as cell; only the others get cells of their own (:mod:`tts.route_kernels`).
    """
    n_customers, n_routes = len(v.customer_names), len(v.route_names)
    keys = (v.customer, v.day, v.day_rep, v.day_route, v.table_route, n_routes)
    home, first_route = kernels.homes(*keys)
    away = np.empty(len(v.customer), dtype=np.int64)  # pages untouched beyond those written
    others, away_cell = np.unique(
        away[: kernels.visits_away(*keys, home, away)], return_inverse=True
    )
    del away
    size = n_customers + 1 + len(others)
    blocks = 1 if day_peak is None else 2
    sums = np.zeros((blocks * size, len(kernels.CELL_SUMS)))
    kernels.cell_sums(
        *keys,
        home,
        away_cell,
        v.day_travel,
        np.zeros(0, dtype=np.bool_) if day_peak is None else day_peak,
        v.visit_min,
        v.leg_m,
        v.circuity,
        np.zeros(0) if v.sales is None else v.sales,
        sums,
    )
    column = dict(
        zip(kernels.CELL_SUMS, sums.T.reshape(len(kernels.CELL_SUMS), blocks, size), strict=True)
    )
    n = column["n"].astype(np.int64)
    by_name: dict[str, np.ndarray] = {"n": n}
    for name in _SUMS:
        by_name[name] = column[name]
        unknown = column.get(f"{name}_unknown")
        by_name[f"{name}_n"] = n if unknown is None else n - unknown.astype(np.int64)
    by_name["sales"] = np.full((blocks, size), np.nan) if v.sales is None else column["sales"]
    cell_rep_route = np.r_[home, others // (n_customers + 1)]
    cell_customer = np.r_[np.arange(n_customers), -1, others % (n_customers + 1)]
    cell_customer[cell_customer == n_customers] = -1
    parts = [{k: x[b] for k, x in by_name.items()} for b in range(blocks)]
    if blocks == 2:
        parts.insert(0, {k: x[0] + x[1] for k, x in by_name.items()})
    out = []
    for part in parts:
        ids = np.flatnonzero(part["n"])
        out.append(
            _Cells(
                v.rep_names,
                v.route_names,
                v.customer_names,
                v.table_row,
                first_route,
                rep=cell_rep_route[ids] // (n_routes + 1),
                route=cell_rep_route[ids] % (n_routes + 1) - 1,
                customer=cell_customer[ids],
                sums={k: x[ids] for k, x in part.items()},
            )
        )
    return out


def _sales(ds: Dataset) -> pd.DataFrame | None:
    if ds.sales is not None and "sales_value" in ds.sales and ds.sales["sales_value"].notna().any():
        return ds.sales
    return None


def _customers(
    cells: _Cells,
    cust: pd.DataFrame,
    weeks: float,
    standards: Standards,
    method: Method,
    has_sales: bool,
    rep_pairs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> pd.DataFrame:
    n = len(cells.customer_names)
    sums = cells.by(cells.customer, n)
    present = np.flatnonzero(sums["n"])
    # who visits it most (ties: the first rep in sort order), from the pair counts
    rep, customer, _, count = rep_pairs
    first = np.lexsort((rep, -count, customer))
    first = first[np.r_[True, customer[first][1:] != customer[first][:-1]]]
    rep_of = np.full(n, -1)
    rep_of[customer[first]] = rep[first]
    with np.errstate(invalid="ignore", divide="ignore"):
        avg = sums["visit_min"] / sums["visit_min_n"]
    # every customer of the table or visited, sorted: the table's, when it holds the visited
    rows = cells.table_row[present]
    if (rows >= 0).all() and not cust.index.hasnans:
        order = np.asarray(cust.index.argsort())
        table = cust.take(order)
        index = table.index
        rank = np.empty(len(order), dtype=np.intp)
        rank[order] = np.arange(len(order))
        at = rank[rows]
    else:
        table = cust
        index = cust.index.union(cells.customer_names[present])
        at = index.get_indexer(cells.customer_names[present])

    def spread(x: np.ndarray, fill: float | int) -> np.ndarray:
        out = np.full(len(index), fill, dtype=np.result_type(x, type(fill)))
        out[at] = x[present]
        return out

    out = pd.DataFrame(
        {
            "rep_id": _names(cells.rep_names, spread(rep_of, -1)),
            "visits": spread(sums["n"].astype(np.int64), 0),
            "avg_visit_min": spread(avg, np.nan),
            "cost_min": spread(sums["cost_min"], np.nan),
            "sales": spread(sums["sales"], np.nan),
            "route_seen": _names(cells.route_names, spread(cells.first_route, -1)),
        },
        index=index,
    )
    out["route_id"] = (
        table["route_id"].reindex(index) if "route_id" in table else out["route_seen"]
    ).fillna(out["route_seen"])
    out["channel"] = (
        table["channel"].reindex(index).astype(object) if "channel" in table else np.nan
    )
    planned = (
        table["visits_per_week"].reindex(index)
        if "visits_per_week" in table
        else pd.Series(np.nan, index=index)
    )
    out["planned_per_week"] = planned
    out["visits_per_week"] = out["visits"] / weeks
    out["frequency"] = np.select(
        [
            out["visits"] == 0,
            out["visits_per_week"] < planned - method.frequency_tolerance,
            out["visits_per_week"] > planned + method.frequency_tolerance,
        ],
        ["never", "under", "over"],
        default="as_planned",
    )
    out.loc[planned.isna() & (out["visits"] > 0), "frequency"] = "unplanned"
    out["cost_min_per_week"] = out["cost_min"].fillna(0) / weeks
    out["sales_per_week"] = out["sales"] / weeks if has_sales else np.nan
    out["sales_per_cost_min"] = out["sales_per_week"] / out["cost_min_per_week"].where(
        out["cost_min_per_week"] > 0
    )
    median = out.groupby("route_id")["sales_per_cost_min"].transform("median")
    out["ineffective"] = (out["sales_per_cost_min"] < method.ineffective_share * median).fillna(
        False
    )
    limit = method.long_visit_factor * standards.visit_min[1]
    out["long_visits"] = (out["avg_visit_min"] > limit).fillna(False)
    out = out.rename_axis("customer_id").reset_index()
    cols = [
        "customer_id",
        "route_id",
        "channel",
        "rep_id",
        "planned_per_week",
        "visits_per_week",
        "frequency",
        "avg_visit_min",
        "cost_min_per_week",
        "sales_per_week",
        "sales_per_cost_min",
        "ineffective",
        "long_visits",
    ]
    return out[cols]


def _names(names: pd.Index, code: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """The text of ``code`` (-1: missing), in the dtype of ``names`` (``str``)."""
    return pd.Index(names, dtype="str").array.take(code, allow_fill=True)


def _customer_figures(customers: pd.DataFrame, key: str) -> dict[str, pd.Series]:
    """Per ``key`` (``route``, ``rep``), the figures of :func:`_summary` that count its
    customers (one group-by, shared by the seasons).
    """
    column = f"{key}_id"
    group = customers[column]
    c = customers.groupby(column)
    frequency = customers["frequency"]
    counts = pd.DataFrame(
        {
            "never": frequency == "never",
            "over": frequency == "over",
            "under": frequency == "under",
            "ineffective": customers["ineffective"],
            "long": customers["long_visits"],
        }
    )
    n = counts.groupby(group).sum().astype(int)
    ineffective_min = customers["cost_min_per_week"].where(customers["ineffective"])
    return {
        "customers": c.size(),
        "planned_visits_per_week": c["planned_per_week"].sum(min_count=1),
        "never_visited": n["never"],
        "over_visited": n["over"],
        "under_visited": n["under"],
        "ineffective_customers": n["ineffective"],
        "ineffective_min_per_week": ineffective_min.groupby(group).sum(),
        "long_visit_customers": n["long"],
    }


def _summary(
    cells: _Cells,
    key: str,
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    per_day: pd.DataFrame,
    of_customers: dict[str, pd.Series],
    weeks: float,
) -> pd.DataFrame:
    names = cells.names(key)
    sums = cells.by(cells.code(key), len(names))
    present = np.flatnonzero(sums["n"])
    index = names[present]

    def per(x: np.ndarray) -> pd.Series:
        return pd.Series(x[present], index=index)

    column = f"{key}_id"
    size = per(sums["n"].astype(np.int64))
    sales = per(sums["sales"])
    pair_key, _, pair_min, _ = pairs
    c = of_customers
    out = pd.DataFrame(
        {
            "weeks": weeks,
            "customers": c["customers"],
            # distinct customers: the key's pairs (groups of no known customer have none)
            "customers_visited": per(np.bincount(pair_key, minlength=len(names))),
            "visits_per_week": size / weeks,
            "planned_visits_per_week": c["planned_visits_per_week"],
            "never_visited": c["never_visited"],
            "over_visited": c["over_visited"],
            "under_visited": c["under_visited"],
            "sales_per_visit": sales / size,
            "sales_per_visit_min": sales / per(sums["visit_min"]),
            "travel_min_per_visit": per(sums["travel_min"]) / per(sums["travel_min_n"]),
            "km_per_visit": per(sums["km"]) / per(sums["km_n"]),
            "ineffective_customers": c["ineffective_customers"],
            "ineffective_min_per_week": c["ineffective_min_per_week"],
            **_balance(names, pair_key, pair_min),
            "long_visit_customers": c["long_visit_customers"],
        }
    )
    if column in per_day:
        commute = per_day.groupby(column)[["first_commute_min", "last_commute_min"]].mean()
        out["first_commute_min"] = commute["first_commute_min"]
        out["last_commute_min"] = commute["last_commute_min"]
    out["ineffective_min_per_week"] = out["ineffective_min_per_week"].fillna(0.0)
    return out.rename_axis(column).reset_index()


def _balance(names: pd.Index, key: np.ndarray, minutes: np.ndarray) -> dict[str, pd.Series]:
    """Per key (codes into ``names``): the Gini coefficient of customer minutes over its
    customers (:func:`gini`) and the share of the minutes its top 10 % of customers take,
    from :func:`_pairs` (sorted by key, then customer).
    """
    order = np.lexsort((minutes, key))  # stable: equal minutes keep the customers' order
    k, v = key[order], minutes[order]
    size = np.bincount(k, minlength=len(names))
    n = size[k].astype(float)
    rank = np.arange(len(k)) - (np.cumsum(size) - size)[k] + 1  # ascending
    total = np.bincount(k, v, len(names))
    weighted = np.bincount(k, (2 * rank - n - 1) * v, len(names))
    top = np.maximum(np.ceil(n * 0.1), 1)
    in_top = (n - rank + 1) <= top
    top_sum = np.bincount(k, v * in_top, len(names))
    present = np.flatnonzero(size)
    index = names[present]
    with np.errstate(invalid="ignore", divide="ignore"):
        gini_ = np.where(total > 0, weighted / (size * total), 0.0)
        share = np.where(total > 0, top_sum / total, np.nan)
    return {
        "time_gini": pd.Series(gini_[present], index=index),
        "top10_time_share": pd.Series(share[present], index=index),
    }


def _channels(customers: pd.DataFrame) -> pd.DataFrame:
    g = customers.groupby("channel", dropna=False)
    return pd.DataFrame(
        {
            "customers": g.size(),
            "visits_per_week": g["visits_per_week"].sum(),
            "sales_per_visit": g["sales_per_week"].sum(min_count=1) / g["visits_per_week"].sum(),
            "cost_min_per_week": g["cost_min_per_week"].sum(),
            "sales_per_cost_min": g["sales_per_week"].sum(min_count=1)
            / g["cost_min_per_week"].sum(),
            "ineffective_customers": g["ineffective"].sum().astype(int),
        }
    ).reset_index()
