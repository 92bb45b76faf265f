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

from ._exceptions import InputError
from ._frames import mode_of_counts, positions
from ._options import instance_of
from .io import Dataset
from .legs import leg_distances_m
from .method import Method, survey_weeks
from .standards import Standards
from .stop_codes import StopCodes, grouping
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
    codes = time.stop_codes
    # -1: not in the customers table
    where = (
        codes.customer_positions(cust.index)
        if codes is not None
        else positions(stops["customer_id"], cust.index)
    )

    # cost of each visit: its minutes plus an equal share of its day's travel
    per_visit_travel = (per_day["travel_min"] / per_day["visits"].where(visits > 0)).to_numpy()
    # only the columns the figures read: every selection below copies fewer
    s = stops[["rep_id", "date", "customer_id", "visit_min"]].assign(
        travel_share_min=per_visit_travel[day_of]
    )
    s["cost_min"] = s["visit_min"] + s["travel_share_min"].fillna(0)
    if codes is None:  # with codes, _coded_keys sets the route without writing it as text
        day_route = per_day["route_id"].array.take(day_of)
        if "route_id" in cust:
            route = cust["route_id"].astype("str").array.take(where, allow_fill=True)
            s["route_id"] = pd.Series(route, index=s.index).fillna(
                pd.Series(day_route, index=s.index)
            )
        else:
            s["route_id"] = day_route
    legs = leg_distances_m(stops, ds.customers, codes=codes)
    s["km_from_previous"] = method.travel.road_m(legs) / 1000

    sales = _sales(ds)
    if sales is None:
        notes["sales"] = "no sales table and no sales columns in the visits: sales figures skipped"
        s["sales"] = np.nan
    else:
        per_visit = sales.groupby(["rep_id", "date", "customer_id"])["sales_value"].sum()
        s["sales"] = s.join(per_visit, on=["rep_id", "date", "customer_id"])["sales_value"]
        s["sales"] = s["sales"].fillna(0.0)

    if codes is not None:
        s = _coded_keys(s, codes, where, cust, per_day["route_id"], day_of)

    # a day's route: as logged, else the route of the customers it visited
    per_day = fill_day_routes(time, ds.customers).per_day
    rep_pairs = _pairs(s, "rep_id")
    by_customer = _customers(s, cust, weeks, standards, method, sales is not None, rep_pairs)
    by_route = _summary(s, per_day, by_customer, "route_id", weeks)
    by_rep = _summary(s, per_day, by_customer, "rep_id", weeks, rep_pairs)
    if plan is not None:
        saving = plan.days.groupby("route_id")["saving_min"].mean()
        by_route["plan_saving_min_per_day"] = by_route["route_id"].map(saving)
        rep_saving = plan.days.groupby("rep_id")["saving_min"].mean()
        by_rep["plan_saving_min_per_day"] = by_rep["rep_id"].map(rep_saving)
    channels = _channels(by_customer)
    months = per_day["date"].dt.month
    peak = months.isin(method.peak_months)
    if peak.any() and (~peak).any():
        in_peak = peak.to_numpy()[day_of]
        seasons = pd.concat(
            [
                _summary(
                    g,
                    per_day[(peak if name == "peak" else ~peak).to_numpy()],
                    by_customer,
                    "route_id",
                    float(survey_weeks(g["date"])),
                ).assign(season=name)
                for name, g in (("off_peak", s[~in_peak]), ("peak", s[in_peak]))
            ],
            ignore_index=True,
        )
    else:
        seasons = pd.DataFrame()
        notes["seasons"] = "the survey covers one season only: peak and off-peak are not compared"
    return RoutePerformance(
        by_route, by_rep, by_customer, channels, seasons, MappingProxyType(notes)
    )


def _coded_keys(
    s: pd.DataFrame,
    codes: StopCodes,
    where: np.ndarray,
    cust: pd.DataFrame,
    day_route: pd.Series,
    day_of: np.ndarray,
) -> pd.DataFrame:
    """The visits with ``customer_id``, ``rep_id`` and ``route_id`` as categoricals of their
    sorted values, built from the allocation's codes: every group-by on them then runs on
    integers, in the order of the text, without hashing millions of ids.

    ``route_id`` is, as in :func:`analyze_routes`, the customer's route, else the day's.
    """
    customer, customer_names = codes.sorted_customers()
    day_code, day_names = pd.factorize(day_route)
    if "route_id" in cust:
        cust_code, cust_names = pd.factorize(cust["route_id"].astype("str"))
    else:
        cust_code, cust_names = np.zeros(0, dtype=np.int64), pd.Index([], dtype="str")
    names = pd.Index(cust_names, dtype="str").append(pd.Index(day_names, dtype="str"))
    names = names.unique().sort_values()
    to_cust = np.r_[names.get_indexer(cust_names), -1]
    to_day = np.r_[names.get_indexer(day_names), -1]
    route = to_cust[np.r_[cust_code, -1][where]]  # where -1: not in the table
    route = np.where(route >= 0, route, to_day[day_code[day_of]])
    return s.assign(
        customer_id=grouping(customer, customer_names),
        rep_id=grouping(codes.day_rep[day_of], codes.rep_names),
        route_id=grouping(route, names),
    )


def _plain(x: pd.Series) -> pd.Series:
    """A group-by result on a categorical key as on the text: its index and values ``str``."""
    if isinstance(x.index, pd.CategoricalIndex):
        x = x.set_axis(x.index.astype("str"))
    if isinstance(x.dtype, pd.CategoricalDtype):
        x = x.astype("str")
    return x


def _sales(ds: Dataset) -> pd.DataFrame | None:
    if ds.sales is not None and "sales_value" in ds.sales and ds.sales["sales_value"].notna().any():
        return ds.sales
    return None


def _customers(
    s: pd.DataFrame,
    cust: pd.DataFrame,
    weeks: float,
    standards: Standards,
    method: Method,
    has_sales: bool,
    rep_pairs: pd.DataFrame,
) -> pd.DataFrame:
    g = s.groupby("customer_id", observed=True)
    visited = pd.DataFrame(
        {
            # who visits it most (ties: the first rep in sort order), from the pair counts
            "rep_id": mode_of_counts(rep_pairs, ["customer_id"], "rep_id"),
            "visits": _plain(g.size()),
            "avg_visit_min": _plain(g["visit_min"].mean()),
            "cost_min": _plain(g["cost_min"].sum()),
            "sales": _plain(g["sales"].sum(min_count=1)),
            "route_seen": _plain(g["route_id"].first()),
        }
    )
    index = cust.index.union(visited.index)
    out = visited.reindex(index)
    out["route_id"] = (
        cust["route_id"].reindex(index) if "route_id" in cust else out["route_seen"]
    ).fillna(out["route_seen"])
    out["channel"] = cust["channel"].reindex(index).astype(object) if "channel" in cust else np.nan
    planned = (
        cust["visits_per_week"].reindex(index)
        if "visits_per_week" in cust
        else pd.Series(np.nan, index=index)
    )
    out["planned_per_week"] = planned
    out["visits"] = out["visits"].fillna(0).astype(int)
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


def _pairs(s: pd.DataFrame, key: str) -> pd.DataFrame:
    """Per ``key`` and customer visited: ``visit_min`` (summed) and ``_n`` (visits), in the
    order of the text of both (as a group-by on the text gives them).
    """
    g = s.groupby([key, "customer_id"], observed=True)["visit_min"]
    m = g.agg(["sum", "size"]).reset_index().rename(columns={"sum": "visit_min", "size": "_n"})
    m[key] = _plain(m[key])
    m["customer_id"] = _plain(m["customer_id"])
    return m


def _summary(
    s: pd.DataFrame,
    per_day: pd.DataFrame,
    customers: pd.DataFrame,
    key: str,
    weeks: float,
    pairs: pd.DataFrame | None = None,
) -> pd.DataFrame:
    pairs = _pairs(s, key) if pairs is None else pairs
    g = s.groupby(key, observed=True)
    c = customers.groupby(key)
    d = per_day.groupby(key) if key in per_day else None
    size = _plain(g.size())
    sales = _plain(g["sales"].sum(min_count=1))
    out = pd.DataFrame(
        {
            "weeks": weeks,
            "customers": c.size(),
            # distinct customers: the key's pairs (groups of no known customer have none)
            "customers_visited": pairs.groupby(key).size().reindex(size.index, fill_value=0),
            "visits_per_week": size / weeks,
            "planned_visits_per_week": c["planned_per_week"].sum(min_count=1),
            "never_visited": _count_by(customers, key, "frequency", "never"),
            "over_visited": _count_by(customers, key, "frequency", "over"),
            "under_visited": _count_by(customers, key, "frequency", "under"),
            "sales_per_visit": sales / size,
            "sales_per_visit_min": sales / _plain(g["visit_min"].sum()),
            "travel_min_per_visit": _plain(g["travel_share_min"].mean()),
            "km_per_visit": _plain(g["km_from_previous"].mean()),
            "ineffective_customers": c["ineffective"].sum().astype(int),
            "ineffective_min_per_week": customers[customers["ineffective"]]
            .groupby(key)["cost_min_per_week"]
            .sum(),
            **_balance(pairs, key),
            "long_visit_customers": c["long_visits"].sum().astype(int),
        }
    )
    if d is not None:
        out["first_commute_min"] = d["first_commute_min"].mean()
        out["last_commute_min"] = d["last_commute_min"].mean()
    out["ineffective_min_per_week"] = out["ineffective_min_per_week"].fillna(0.0)
    return out.rename_axis(key).reset_index()


def _count_by(frame: pd.DataFrame, key: str, column: str, value: str) -> pd.Series:
    """How many rows of each ``key`` group have ``column == value``."""
    return (frame[column] == value).groupby(frame[key]).sum().astype(int)


def _balance(pairs: pd.DataFrame, key: str) -> dict[str, pd.Series]:
    """Per ``key`` group: the Gini coefficient of customer minutes over its customers
    (:func:`gini`) and the share of the minutes its top 10 % of customers take, from
    :func:`_pairs`.
    """
    m = pairs[[key, "visit_min"]].sort_values([key, "visit_min"], kind="stable", ignore_index=True)
    g = m.groupby(key, sort=True)
    v = m["visit_min"].to_numpy(float)
    n = g["visit_min"].transform("size").to_numpy(float)
    rank = g.cumcount().to_numpy() + 1  # ascending
    total = g["visit_min"].sum()
    weighted = pd.Series((2 * rank - n - 1) * v).groupby(m[key].to_numpy()).sum()
    size = g.size()
    gini_ = (weighted / (size * total)).where(total > 0, 0.0)
    top = np.maximum(np.ceil(n * 0.1), 1)
    in_top = (n - rank + 1) <= top
    top_sum = pd.Series(v * in_top).groupby(m[key].to_numpy()).sum()
    share = (top_sum / total).where(total > 0)
    return {"time_gini": gini_, "top10_time_share": share}


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
