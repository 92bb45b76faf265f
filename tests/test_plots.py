"""Charts take a result, draw on the axes they are given, and say what they show."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import tts  # noqa: E402
from tts import plots  # noqa: E402

from .conftest import SAMPLE  # noqa: E402


def _one_rep(ds, rep_id):
    """The sample's days of one rep, with the customers and reps tables."""
    return tts.load_dataset(
        activities=ds.activities[ds.activities["rep_id"] == rep_id].drop(columns="row"),
        customers=ds.customers.drop(columns="row"),
        reps=ds.reps.drop(columns="row"),
    )


@pytest.fixture(scope="module")
def results():
    ds = tts.load_dataset(SAMPLE)
    return ds, tts.diagnose(ds), tts.optimize_routes(_one_rep(ds, "REP06"), workers=1)


def _charts(ds, dx, plan):
    return {
        "time_allocation": lambda ax: plots.time_allocation(dx.time, ax=ax),
        "visit_distribution": lambda ax: plots.visit_distribution(dx.time, ax=ax),
        "day_timeline": lambda ax: plots.day_timeline(ds.activities, "REP01", "2026-03-02", ax=ax),
        "travel_share_by_route": lambda ax: plots.travel_share_by_route(dx.time, ax=ax),
        "route_map": lambda ax: plots.route_map(plan, ds.customers, "REP06", "2026-03-02", ax=ax),
        "role_heatmap": lambda ax: plots.role_heatmap(dx.survey, ax=ax),
        "obstacles_pareto": lambda ax: plots.obstacles_pareto(dx.survey, ax=ax),
        "capacity_whatif": lambda ax: plots.capacity_whatif(dx.capacity, ax=ax),
    }


@pytest.mark.parametrize(
    "name",
    [
        "time_allocation",
        "visit_distribution",
        "day_timeline",
        "travel_share_by_route",
        "route_map",
        "role_heatmap",
        "obstacles_pareto",
        "capacity_whatif",
    ],
)
def test_chart_draws_on_the_given_axes(results, name, monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("a chart called show()"))
    fig, ax = plt.subplots()
    out = _charts(*results)[name](ax)
    assert out is ax
    assert ax.get_title()
    assert ax.has_data() or ax.images
    if name not in ("role_heatmap",):
        assert ax.get_ylabel() or ax.get_xlabel()
    plt.close(fig)


def test_chart_makes_its_own_axes(results):
    ds, dx, plan = results
    ax = plots.time_allocation(dx.time)
    assert ax.figure is not None and "%" in ax.get_title()
    heights = [p.get_height() for p in ax.patches]
    assert max(heights) <= 100
    plt.close(ax.figure)


def test_route_map_title_carries_the_saving(results):
    ds, dx, plan = results
    ax = plots.route_map(plan, ds.customers, "REP06", "2026-03-02")
    day = plan.days.iloc[0]
    assert f"{day['travel_before_min']:.0f} -> {day['travel_after_min']:.0f} min" in ax.get_title()
    plt.close(ax.figure)


def test_large_teams_show_the_worst_reps_and_routes(results):
    ds, dx, _ = results
    _, ax = plt.subplots()
    plots.time_allocation(dx.time, ax=ax, max_reps=3)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    share = dx.comparison.table.query("level == 'rep' and metric == 'customer_share'")
    assert labels == list(share.sort_values("observed")["rep_id"].head(3))
    assert "the 3 of 6 reps with the lowest customer share" in ax.get_title()
    _, ax = plt.subplots()
    plots.travel_share_by_route(dx.time, ax=ax, max_routes=2, lang="zh")
    assert "6 条线路中路途占比最高的 2 条" in ax.get_title()
    assert len(ax.get_xticklabels()) == 2
    plt.close("all")


def test_chinese_labels(results):
    ds, dx, _ = results
    _, ax = plt.subplots()
    plots.capacity_whatif(dx.capacity, ax=ax, lang="zh")
    assert ax.get_title() == "产能模拟 (每日拜访数; 客户时间占比, %)"
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "现状"
    plt.close("all")


def _overlapping(ax) -> list[tuple[str, str]]:
    """Pairs of neighbouring longitude labels, of the ticks the map shows, whose drawn boxes
    overlap."""
    lo, hi = ax.get_xlim()
    boxes = sorted(
        (
            (t.get_window_extent(), t.get_text())
            for t in ax.get_xticklabels()
            if t.get_text() and lo <= t.get_position()[0] <= hi
        ),
        key=lambda b: b[0].x0,
    )
    return [
        (a_text, b_text)
        for (a, a_text), (b, b_text) in zip(boxes, boxes[1:], strict=False)
        if a.x1 > b.x0
    ]


@pytest.fixture(scope="module")
def tall_day():
    """REP02's days: a territory taller than wide, whose maps are narrow in the report."""
    ds = tts.load_dataset(SAMPLE)
    return ds, tts.optimize_routes(_one_rep(ds, "REP02"), workers=1)


def test_route_map_longitudes_never_overlap(tall_day):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    ds, plan = tall_day
    xy = ds.customers.set_index("customer_id")[["lon", "lat"]]
    rep = ds.reps.set_index("rep_id").loc["REP02"]
    home = (float(rep["home_lat"]), float(rep["home_lon"]))
    narrow = 0
    for date in plan.days["date"]:
        # drawn as the report draws it: 7 × 3.3 in, equal distances on both axes, home shown
        fig = Figure(figsize=(7.0, 3.3), layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        plots.route_map(plan, ds.customers, "REP02", date, ax=ax, home=home)
        fig.canvas.draw()
        assert _overlapping(ax) == [], date
        v = xy.reindex(plan.visits.loc[plan.visits["date"] == date, "customer_id"])
        lon, lat = [*v["lon"], home[1]], [*v["lat"], home[0]]
        ratio = np.ptp(lon) * np.cos(np.radians(np.mean(lat))) / np.ptp(lat)
        narrow += ratio < 0.7  # taller than wide, by hand from the stores and home
    assert narrow  # at least one narrow map was drawn
