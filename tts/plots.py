"""Charts of the diagnostic. Each takes a result, accepts ``ax=None``, returns the axes and never
calls ``show()``; the report draws the same functions on its own axes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .i18n import label, t
from .standards import Standards
from .time_use import TimeAllocation, summarize_time

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .capacity import Capacity
    from .planner import WeekPlan
    from .route_plan import RoutePlan
    from .survey import SurveyAnalysis
    from .territory import TerritoryPlan

__all__ = [
    "capacity_whatif",
    "day_timeline",
    "obstacles_pareto",
    "role_heatmap",
    "route_map",
    "territory_map",
    "time_allocation",
    "travel_share_by_route",
    "visit_distribution",
    "week_drive",
]

#: One colour per activity group, stable across charts.
COLOURS = {
    "customer": "#2e7d32",
    "travel": "#f9a825",
    "morning_meeting": "#6a1b9a",
    "admin": "#1565c0",
    "lunch": "#8d6e63",
    "other": "#9e9e9e",
    "unaccounted": "#e53935",
}


#: Widest a longitude tick label is set (inches at the charts' 8.5 pt): "113.664" and room.
_LON_TICK_IN = 0.75


def _lon_ticks(ax: Axes, lon: np.ndarray, lat: np.ndarray) -> None:
    """As many longitude ticks as fit side by side on a map whose width follows its data
    (equal-distance aspect): a tall narrow map gets two, a wide one four.
    """
    from matplotlib.ticker import MaxNLocator

    lon, lat = lon[np.isfinite(lon)], lat[np.isfinite(lat)]
    fig_w, fig_h = ax.get_figure(root=True).get_size_inches()  # type: ignore[union-attr]
    height_in = fig_h * 0.72  # the map less its title and labels
    wide = 4
    if len(lon) and len(lat) and np.ptp(lat) > 0:
        ratio = np.ptp(lon) * np.cos(np.radians(lat.mean())) / np.ptp(lat)
        width_in = min(fig_w * 0.6, height_in * ratio)
        wide = int(np.clip(width_in // _LON_TICK_IN, 1, 4))
    ax.xaxis.set_major_locator(MaxNLocator(wide))


def _axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(8, 4.5))
    return ax


def time_allocation(
    time: TimeAllocation,
    *,
    standards: Standards | None = None,
    ax: Axes | None = None,
    lang: str = "en",
    max_reps: int = 40,
) -> Axes:
    """Stacked share of the working day per rep, against the customer-share standard.

    With more than ``max_reps`` reps, the ``max_reps`` with the lowest customer share are
    drawn, lowest first, and the title says so.
    """
    standards = standards or time.standards
    ax = _axes(ax)
    rep = summarize_time(time, by="rep").set_index("rep_id")
    n_reps = len(rep)
    if n_reps > max_reps:
        rep = rep.sort_values("customer_share", kind="stable").head(max_reps)
    parts = {
        "customer": rep["customer_min"],
        "travel": rep["travel_min"],
        "morning_meeting": rep["meeting_min"],
        "admin": rep["admin_min"],
        "lunch": rep["lunch_min"],
        "unaccounted": rep["unaccounted_min"],
    }
    named = sum(parts.values())
    parts["other"] = rep["total_min"] - named
    bottom = np.zeros(len(rep))
    for name in ("customer", "travel", "morning_meeting", "admin", "lunch", "other", "unaccounted"):
        share = (parts[name] / rep["total_min"]).to_numpy() * 100
        ax.bar(rep.index, share, bottom=bottom, color=COLOURS[name], label=label("act", name, lang))
        bottom += share
    ax.axhline(
        standards.customer_share_min * 100,
        color="black",
        linestyle="--",
        linewidth=1,
        label=t("chart.standard_customer", lang, share=f"{standards.customer_share_min:.0%}"),
    )
    ax.set_ylim(0, 100)
    ax.set_ylabel(t("chart.share_of_day", lang))
    title = t("chart.time_allocation", lang)
    if n_reps > max_reps:
        title += t("chart.lowest_reps", lang, n=max_reps, total=n_reps)
        ax.tick_params(axis="x", rotation=90, labelsize=6)
    ax.set_title(title)
    ax.legend(fontsize=7, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.12))
    return ax


def visit_distribution(
    time: TimeAllocation,
    *,
    standards: Standards | None = None,
    ax: Axes | None = None,
    max_min: float | None = None,
    lang: str = "en",
) -> Axes:
    """Histogram of customer minutes per store visit against the standard band.

    The axis runs to ``max_min`` minutes (visits longer than that share the last bin); by
    default to the 99th percentile of the visits or a little past the band, whichever is
    longer, so the data fill the chart.
    """
    standards = standards or time.standards
    ax = _axes(ax)
    visits = time.stops["visit_min"]
    if max_min is None:
        top = float(visits.quantile(0.99)) if len(visits) else 0.0
        max_min = float(np.ceil(max(top + 1, standards.visit_min[1] + 3)))
    minutes = visits.clip(upper=max_min)
    ax.hist(
        minutes,
        bins=list(np.arange(0, max_min + 1, 1.0)),
        color=COLOURS["customer"],
        edgecolor="white",
    )
    lo, hi = standards.visit_min
    ax.axvspan(
        lo,
        hi,
        color="#c8e6c9",
        alpha=0.6,
        zorder=0,
        label=t("chart.standard_band", lang, lo=f"{lo:g}", hi=f"{hi:g}"),
    )
    ax.set_xlabel(t("chart.visit_axis", lang, max=f"{max_min:g}"))
    ax.set_ylabel(t("chart.visits", lang))
    ax.set_title(t("chart.visit_distribution", lang))
    ax.legend(fontsize=8)
    return ax


def day_timeline(
    activities: pd.DataFrame,
    rep_id: str,
    date: object,
    *,
    standards: Standards | None = None,
    ax: Axes | None = None,
    lang: str = "en",
    rep_label: str | None = None,
) -> Axes:
    """One rep-day as a Gantt chart of its activities (hours of the day); ``rep_label`` names
    the rep in the title (default the id).
    """
    standards = standards or Standards()
    ax = _axes(ax)
    day = pd.Timestamp(date)
    a = activities[(activities["rep_id"] == rep_id) & (activities["date"] == day)]
    lanes = ["customer", "travel", "morning_meeting", "admin", "lunch", "other"]
    customer = set(standards.customer_activities)
    act = a["activity"].astype(str)
    lane = act.where(act.isin(lanes), "other").mask(act.isin(customer), "customer").to_numpy()
    start = ((a["start"] - day).dt.total_seconds() / 3600).to_numpy()
    width = ((a["end"] - a["start"]).dt.total_seconds() / 3600).to_numpy()
    for i, name in enumerate(lanes):
        m = lane == name
        ax.broken_barh(
            list(zip(start[m], width[m], strict=True)), (i - 0.4, 0.8), color=COLOURS[name]
        )
    ax.set_yticks(range(len(lanes)), [label("act", x, lang) for x in lanes])
    ax.set_xlabel(t("chart.hour", lang))
    ax.set_title(t("chart.day_of", lang, rep=rep_label or rep_id, date=day.date()))
    ax.grid(axis="x", alpha=0.3)
    return ax


def travel_share_by_route(
    time: TimeAllocation,
    *,
    standards: Standards | None = None,
    ax: Axes | None = None,
    lang: str = "en",
    max_routes: int = 40,
) -> Axes:
    """Travel share of the working day per route, against the standard.

    With more than ``max_routes`` routes, the ``max_routes`` with the highest travel share are
    drawn, highest first, and the title says so.
    """
    standards = standards or time.standards
    ax = _axes(ax)
    route = summarize_time(time, by="route")
    n_routes = len(route)
    if n_routes > max_routes:
        route = route.sort_values("travel_share", ascending=False, kind="stable")
        route = route.head(max_routes)
        ax.tick_params(axis="x", rotation=90, labelsize=6)
    ax.bar(route["route_id"].astype(str), route["travel_share"] * 100, color=COLOURS["travel"])
    ax.axhline(
        standards.travel_share[1] * 100,
        color="black",
        linestyle="--",
        linewidth=1,
        label=t("chart.standard_max", lang, share=f"{standards.travel_share[1]:.0%}"),
    )
    ax.set_ylabel(t("chart.travel_axis", lang))
    title = t("chart.travel_share", lang)
    if n_routes > max_routes:
        title += t("chart.highest_routes", lang, n=max_routes, total=n_routes)
    ax.set_title(title)
    ax.legend(fontsize=8)
    return ax


def route_map(
    plan: RoutePlan,
    customers: pd.DataFrame,
    rep_id: str,
    date: object,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    home: tuple[float, float] | None = None,
    rep_label: str | None = None,
) -> Axes:
    """A rep-day's visits in the logged and the optimised order, from coordinates.

    ``home`` (lat, lon, degrees) marks where the day starts and ends; the first logged stop
    is marked too. The legend sits outside the map so it never hides a stop. ``rep_label``
    names the rep in the title (default the id).
    """
    ax = _axes(ax)
    v = plan.visits[(plan.visits["rep_id"] == rep_id) & (plan.visits["date"] == pd.Timestamp(date))]
    xy = customers.drop_duplicates("customer_id").set_index("customer_id")[["lon", "lat"]]
    before = xy.reindex(v.sort_values("seq_before")["customer_id"]).to_numpy(float)
    served = v[v["seq_after"].notna()].sort_values("seq_after")
    after = xy.reindex(served["customer_id"]).to_numpy(float)
    ax.plot(
        before[:, 0],
        before[:, 1],
        color="#9e9e9e",
        linewidth=1,
        marker="o",
        markersize=3,
        label=t("chart.logged_order", lang),
    )
    ax.plot(
        after[:, 0],
        after[:, 1],
        color=COLOURS["customer"],
        linewidth=1.5,
        label=t("chart.optimised_order", lang),
    )
    if len(before):
        ax.plot(
            before[:1, 0],
            before[:1, 1],
            linestyle="none",
            marker="^",
            markersize=7,
            color="#1565c0",
            label=t("chart.first_stop", lang),
        )
    if home is not None:
        ax.plot(
            [home[1]],
            [home[0]],
            linestyle="none",
            marker="s",
            markersize=7,
            color="#212121",
            label=t("chart.home", lang),
        )
    day = plan.days[(plan.days["rep_id"] == rep_id) & (plan.days["date"] == pd.Timestamp(date))]
    if len(day):
        d = day.iloc[0]
        title = t(
            "chart.route_drive",
            lang,
            rep=rep_label or rep_id,
            date=pd.Timestamp(date).date(),
            before=f"{d['travel_before_min']:.0f}",
            after=f"{d['travel_after_min']:.0f}",
        )
    else:
        title = t("chart.route_of", lang, rep=rep_label or rep_id, date=pd.Timestamp(date).date())
    ax.set_title(title)
    from matplotlib.ticker import MaxNLocator

    ax.ticklabel_format(useOffset=False, style="plain")
    points = np.vstack([before, after, [[home[1], home[0]]] if home is not None else before[:0]])
    _lon_ticks(ax, points[:, 0], points[:, 1])
    ax.yaxis.set_major_locator(MaxNLocator(5))
    ax.set_xlabel(t("chart.lon", lang))
    ax.set_ylabel(t("chart.lat", lang))
    ax.set_aspect(1 / np.cos(np.radians(np.nanmean(before[:, 1]) if len(before) else 0.0)))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    return ax


def week_drive(week: WeekPlan, *, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Drive minutes a week per route, logged against planned, on the routes that have both.

    Routes planned without a logged week are left out, and the title says how many.
    """
    ax = _axes(ax)
    r = week.routes[week.routes["logged"].astype(bool)]
    x = np.arange(len(r))
    ax.bar(
        x - 0.2,
        r["logged_travel_min_per_week"],
        width=0.4,
        color="#9e9e9e",
        label=t("chart.logged_week", lang),
    )
    ax.bar(
        x + 0.2,
        r["planned_travel_min_per_week"],
        width=0.4,
        color=COLOURS["customer"],
        label=t("chart.planned_week", lang),
    )
    ax.set_xticks(x, [str(v) for v in r["route_id"]])
    ax.set_ylabel(t("chart.drive_min_week", lang))
    title = t("chart.week_drive", lang, n=len(r))
    if week.unlogged:
        title += t("chart.unlogged_routes", lang, n=len(week.unlogged))
    ax.set_title(title)
    ax.legend(fontsize=8)
    return ax


def territory_map(
    plan: TerritoryPlan,
    rep_id: str,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    rep_label: str | None = None,
) -> Axes:
    """One rep's customers before (logged) and after (planned, coloured by first weekday);
    ``rep_label`` names the rep in the title (default the id).
    """
    ax = _axes(ax)
    a = plan.assignments
    before = a[a["logged_rep_id"] == rep_id]
    after = a[a["rep_id"] == rep_id]
    ax.scatter(
        before["lon"],
        before["lat"],
        s=40,
        facecolors="none",
        edgecolors="#9e9e9e",
        label=t("chart.logged_customers", lang, n=len(before)),
    )
    from matplotlib import colormaps
    from matplotlib.lines import Line2D

    first = after["weekdays"].str.split("/").str[0]
    days = list(dict.fromkeys(plan.days["weekday"]))
    index = first.map({d: i for i, d in enumerate(days)}).fillna(0).astype(int)
    palette = colormaps["tab10"]
    ax.scatter(
        after["lon"],
        after["lat"],
        s=14,
        c=[palette(i % 10) for i in index],
        label=t("chart.planned_customers", lang, n=len(after)),
    )
    rep = plan.reps[plan.reps["rep_id"] == rep_id]
    lg = plan.logged[plan.logged["rep_id"] == rep_id]
    if len(rep):
        ax.scatter(
            rep["start_lon"], rep["start_lat"], marker="*", s=160, color="black",
            label=t("chart.start", lang),
        )  # fmt: skip
    # the colour key: one entry per weekday that starts a customer's week
    key = [
        Line2D([], [], linestyle="none", marker="o", markersize=5, color=palette(i % 10),
               label=t("chart.first_weekday", lang, day=label("weekday", days[i], lang)))
        for i in sorted(set(index))
    ]  # fmt: skip
    before_min = float(lg["drive_min_per_week"].iloc[0]) if len(lg) else float("nan")
    after_min = float(rep["drive_min_per_week"].iloc[0]) if len(rep) else float("nan")
    ax.set_title(
        t(
            "chart.territory_of",
            lang,
            rep=rep_label or rep_id,
            before=f"{before_min:.0f}",
            after=f"{after_min:.0f}",
        )
    )
    ax.ticklabel_format(useOffset=False, style="plain")
    ax.set_xlabel(t("chart.lon", lang))
    ax.set_ylabel(t("chart.lat", lang))
    lat = pd.concat([before["lat"], after["lat"], rep["start_lat"]])
    lon = pd.concat([before["lon"], after["lon"], rep["start_lon"]])
    _lon_ticks(ax, lon.to_numpy(float), lat.to_numpy(float))
    ax.set_aspect(1 / np.cos(np.radians(float(lat.mean()) if len(lat) else 0.0)))
    handles, _ = ax.get_legend_handles_labels()
    ax.legend(
        handles=handles + key, fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0),
        borderaxespad=0,
    )  # fmt: skip
    return ax


def role_heatmap(survey: SurveyAnalysis, *, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Tasks × roles: how many reps report each role doing each task; owners outlined."""
    from matplotlib.patches import Rectangle

    ax = _axes(ax)
    m = survey.matrix
    roles = [c for c in m.columns if c not in ("area", "owner")]
    values = m[roles].to_numpy(float)
    ax.imshow(values, cmap="Oranges", aspect="auto")
    ax.set_xticks(
        range(len(roles)),
        [label("role", r, lang) for r in roles],
        rotation=30,
        ha="right",
        fontsize=7,
    )
    ax.set_yticks(range(len(m)), [str(t).replace("_", " ") for t in m.index], fontsize=7)
    for i, owner in enumerate(m["owner"]):
        if owner in roles:
            j = roles.index(owner)
            ax.add_patch(
                Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="black", linewidth=1.2)
            )
        for j in range(len(roles)):
            if values[i, j]:
                dark = values[i, j] > 0.6 * values.max()
                ax.text(
                    j,
                    i,
                    f"{values[i, j]:.0f}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if dark else "black",
                )
    ax.set_title(t("chart.roles", lang))
    return ax


def obstacles_pareto(survey: SurveyAnalysis, *, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Obstacles by share of reps scoring 4-5, with the mean score (1-5)."""
    ax = _axes(ax)
    o = survey.obstacles.sort_values("high_share", ascending=False)
    labels = [str(x).replace("_", " ") for x in o["obstacle"]]
    ax.bar(labels, o["high_share"] * 100, color="#c62828")
    ax.set_ylabel(t("chart.obstacle_share", lang))
    ax.set_ylim(0, 100)
    ax.tick_params(axis="x", rotation=30, labelsize=7)
    for tick in ax.get_xticklabels():
        tick.set_horizontalalignment("right")
    twin = ax.twinx()
    twin.plot(labels, o["mean_score"], color="black", marker="o", linewidth=1)
    twin.set_ylim(1, 5)
    twin.set_ylabel(t("chart.mean_score", lang))
    ax.set_title(t("chart.obstacles", lang))
    return ax


def capacity_whatif(capacity: Capacity, *, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Visits a day and customer share of the team under each scenario."""
    ax = _axes(ax)
    team = capacity.team()
    names = [label("scenario", s, lang) for s in team["scenario"]]
    ax.bar(names, team["visits"], color="#1565c0")
    ax.set_ylabel(t("chart.visits_a_day", lang))
    ax.tick_params(axis="x", rotation=20, labelsize=8)
    twin = ax.twinx()
    twin.plot(names, team["customer_share"] * 100, color=COLOURS["customer"], marker="o")
    twin.set_ylabel(t("chart.customer_share", lang))
    twin.set_ylim(0, 100)
    ax.set_title(t("chart.capacity", lang))
    return ax
