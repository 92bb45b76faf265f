"""Route consolidation (``tts.plan_territory``): time and quality for 4, 20 and 100 reps with
40 customers a rep.

    python benchmarks/bench_territory.py                  # 4, 20, 100 reps: ~10 minutes on 2 cores
    python benchmarks/bench_territory.py --reps 4 20 --workers 2

The regions are the tests' (``tests/test_territory.py::region``): one cluster of 40 customers
(8 km across, visited once or twice a week, 9-minute visits) around each rep's home, clusters
10 km apart, and a logged week in which every customer sits with a random rep, so the logged
territories interleave across the whole region.

For each size it records the wall-clock time of ``plan_territory`` and:

- the logged and planned drive a week (minutes, ``method.travel``), and the cut;
- a **lower bound** on any plan's drive a week: each visit of a customer is entered and left
  along two legs, at least the two shortest to other customers or to homes (or twice the
  shortest to a home, for a day with one visit), so the drive is at least half the sum of
  those over every visit;
- the drive of **re-sequencing only**: each rep keeps its logged customers and only its week is
  re-planned by the same weekly planner (``tts.planner.plan_days`` from its home, without the
  day limit, which the scattered logged territories cannot always keep), to show what
  redrawing the territories adds to better sequencing;
- for the smaller regions (``--vrp-max-reps``, default 4), **one OR-Tools multi-vehicle model
  over the whole region** (a vehicle per rep and weekday from the rep's home, the same
  working-day span and visits ceiling, guided local search for ``--vrp-seconds``): a repeat
  visit is a copy of its customer on another rep-day, every rep-day carries at least 80 % of
  an even share of the visits, and the even spacing of repeat visits and the workload balance
  are left out — a looser model, searched far longer, whose drive the cluster-first plan
  should come close to;
- the workload balance (largest ÷ smallest weekly workload) and rep-days over a limit.

Results: ``benchmarks/results/territory.md``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import tts  # noqa: E402
from tests.test_territory import region  # noqa: E402
from tts.planner import RouteStops, plan_days  # noqa: E402
from tts.travel import haversine_m  # noqa: E402


def lower_bound_min(plan: tts.TerritoryPlan, travel: tts.travel.TravelModel) -> float:
    """Half the two shortest legs into and out of every visit, minutes a week."""
    a = plan.assignments
    lat, lon = a["lat"].to_numpy(float), a["lon"].to_numpy(float)
    homes = plan.reps[["start_lat", "start_lon"]].drop_duplicates().to_numpy(float)
    great = haversine_m(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    np.fill_diagonal(great, np.inf)
    to_home = haversine_m(lat[:, None], lon[:, None], homes[None, :, 0], homes[None, :, 1])
    near = np.sort(np.c_[great, to_home], axis=1)[:, :2].sum(axis=1)
    best = np.minimum(near, 2 * to_home.min(axis=1))
    return float((travel.minutes(best) / 2 * a["visits_per_week"].to_numpy()).sum())


def resequenced_only_min(ds: tts.Dataset, plan: tts.TerritoryPlan, method: tts.Method) -> float:
    """Drive a week when each rep keeps its logged customers and only the week is re-planned."""
    a = plan.assignments
    homes = ds.reps.set_index("rep_id")[["home_lat", "home_lon"]]
    total = 0.0
    for rep, g in a.groupby("logged_rep_id"):
        stops = RouteStops(
            g["lat"].to_numpy(float),
            g["lon"].to_numpy(float),
            tuple(homes.loc[rep].to_numpy(float)),
            np.rint(g["visit_min"].to_numpy(float) * 60).astype(np.int64),
            np.zeros(len(g), dtype=np.int64),
            np.full(len(g), 86_400, dtype=np.int64),
            method.travel,
            86_400,  # no day limit: a logged territory may hold days no order fits in 9 h
            100,
            pyvrp_iterations=0,
        )
        _, routed = plan_days(
            stops, g["visits_per_week"].to_numpy(), method.days_per_week, visits_max=45,
            max_moves=20,
        )  # fmt: skip
        total += sum(r.travel_s for r in routed.values() if r) / 60
    return total


def vrp_reference_min(
    ds: tts.Dataset, plan: tts.TerritoryPlan, method: tts.Method, seconds: float
) -> float:
    """Drive a week of one multi-vehicle OR-Tools model over the whole region, minutes."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    a = plan.assignments
    freq = a["visits_per_week"].to_numpy()
    node = np.repeat(np.arange(len(a)), freq)  # one node per visit
    homes = plan.reps[["start_lat", "start_lon"]].to_numpy(float)
    days = method.days_per_week
    lat = np.r_[a["lat"].to_numpy(float)[node], homes[:, 0]]
    lon = np.r_[a["lon"].to_numpy(float)[node], homes[:, 1]]
    dur, _ = tts.travel.travel_matrix(lat, lon, method.travel)
    n_visits = len(node)
    service = np.r_[np.rint(a["visit_min"].to_numpy(float)[node] * 60), np.zeros(len(homes))]
    vehicles = len(homes) * days
    depot = [n_visits + v // days for v in range(vehicles)]
    manager = pywrapcp.RoutingIndexManager(len(lat), vehicles, depot, depot)
    routing = pywrapcp.RoutingModel(manager)
    transit = (dur + service[:, None]).astype(int).tolist()
    arc = routing.RegisterTransitMatrix(dur.astype(int).tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(arc)
    span = routing.RegisterTransitMatrix(transit)
    limit = int((plan.limits["day_max_min"] - plan.limits["fixed_min"]) * 60)
    routing.AddDimension(span, 0, limit, True, "time")
    ones = routing.RegisterUnaryTransitCallback(
        lambda i: 0 if manager.IndexToNode(i) >= n_visits else 1
    )
    routing.AddDimension(ones, 0, int(plan.limits["visits_max"]), True, "visits")
    # as in the plan: every rep works every day, about an even share of the visits
    floor = int(0.8 * n_visits / vehicles)
    count = routing.GetDimensionOrDie("visits")
    for v in range(vehicles):
        count.SetCumulVarSoftLowerBound(routing.End(v), floor, 100_000)
    # a customer's repeat visits on different days
    first = np.r_[0, np.cumsum(freq)[:-1]]
    for start, f in zip(first, freq, strict=True):
        idx = [manager.NodeToIndex(int(start + j)) for j in range(int(f))]
        for x in range(len(idx)):
            for y in range(x + 1, len(idx)):
                routing.solver().Add(routing.VehicleVar(idx[x]) != routing.VehicleVar(idx[y]))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return float("nan")
    drive = 0
    for v in range(vehicles):
        i = routing.Start(v)
        while not routing.IsEnd(i):
            j = solution.Value(routing.NextVar(i))
            drive += int(dur[manager.IndexToNode(i), manager.IndexToNode(j)])
            i = j
    return drive / 60


NOTES = """
Reading the columns: *time* is the wall clock of one `plan_territory` call on a machine whose
two cores other work shared. *logged drive* is the logged week's, with every customer at a
random rep; *re-sequenced only* keeps those territories and re-plans each rep's week with no
day limit; *today's re-planned* is the plan's own reference (`plan.kept`: today's territories,
each week planned under the plan's rules, day limits included); *plan* is the best of the
redrawn territories and today's (*plan from* says which). The *lower bound* (half the two
shortest legs at every visit) holds for any plan but is loose (a day's legs out from home and
back are mostly not among a visit's two shortest), so *plan ÷ bound* overstates the gap. The
*one-model VRP* (4 reps only: 200 visit nodes and 24 vehicles are what it can search in the
time given) is looser than the plan (repeat visits on any two days, no workload balance, days
need only 80 % of an even share), so its drive is a reference the plan should approach, not a
bound. *Workload balance* is the largest rep's weekly workload over the smallest's (the
tolerance is 1.15).
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, nargs="+", default=[4, 20, 100])
    parser.add_argument("--per-rep", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--vrp-max-reps", type=int, default=4)
    parser.add_argument("--twice-max-reps", type=int, default=20)
    parser.add_argument("--vrp-seconds", type=float, default=120.0)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "territory.md")
    args = parser.parse_args()
    method = tts.Method()
    rows = []
    for n in args.reps:
        ds = region(n, args.per_rep, seed=1)
        t0 = time.perf_counter()
        plan = tts.plan_territory(ds, method=method, workers=args.workers)
        seconds = time.perf_counter() - t0
        same = None
        if n <= args.twice_max_reps:
            again = tts.plan_territory(ds, method=method, workers=args.workers)
            same = plan.routes.equals(again.routes)
        twice = "–" if same is None else "yes" if same else "NO"
        c = plan.compare()
        logged = c.at["drive_min_per_week", "logged"]
        planned = c.at["drive_min_per_week", "plan"]
        bound = lower_bound_min(plan, method.travel)
        reseq = resequenced_only_min(ds, plan, method)
        vrp = (
            vrp_reference_min(ds, plan, method, args.vrp_seconds)
            if n <= args.vrp_max_reps
            else float("nan")
        )
        kept = c.at["drive_min_per_week", "kept"]
        row = (
            f"| {n} | {len(plan.assignments)} | {seconds:.1f} | {logged:,.0f} | {reseq:,.0f} | "
            f"{kept:,.0f} | {planned:,.0f} | {plan.origin} | {1 - planned / logged:.0%} | "
            f"{bound:,.0f} | "
            f"{planned / bound:.2f} | {'–' if np.isnan(vrp) else f'{vrp:,.0f}'} | "
            f"{'–' if np.isnan(vrp) else f'{planned / vrp:.2f}'} | {plan.balance:.3f} | "
            f"{int(c.at['days_over_limit', 'plan'])} | {twice} |"
        )
        print(row, flush=True)
        rows.append(row)
    head = (
        "| reps | customers | time (s) | logged drive (min/week) | re-sequenced only | "
        "today's re-planned | plan | plan from | cut | lower bound | plan ÷ bound | "
        "one-model VRP | plan ÷ VRP | workload balance | rep-days over | same plan twice |\n|"
        + " --- |"
        * 16
    )
    text = (
        "# Route consolidation benchmark\n\n"
        f"`python benchmarks/bench_territory.py --reps {' '.join(map(str, args.reps))} "
        f"--workers {args.workers} --vrp-seconds {args.vrp_seconds:g}` ({args.per_rep} "
        f"customers a rep; tts {tts.__version__}; "
        "default travel model 20 km/h, circuity 1.3).\n\n"
        + head
        + "\n"
        + "\n".join(rows)
        + "\n"
        + NOTES
    )
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
