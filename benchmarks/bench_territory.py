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
  re-planned by the same weekly planner (``tts.planner.plan_days`` from its home), to show what
  redrawing the territories adds to better sequencing;
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
            int((540 - plan.limits["fixed_min"]) * 60),
            100,
            pyvrp_iterations=0,
        )
        _, routed = plan_days(
            stops, g["visits_per_week"].to_numpy(), method.days_per_week, visits_max=45,
            max_moves=20,
        )  # fmt: skip
        total += sum(r.travel_s for r in routed.values() if r) / 60
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, nargs="+", default=[4, 20, 100])
    parser.add_argument("--per-rep", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "territory.md")
    args = parser.parse_args()
    method = tts.Method()
    rows = []
    for n in args.reps:
        ds = region(n, args.per_rep, seed=1)
        t0 = time.perf_counter()
        plan = tts.plan_territory(ds, method=method, workers=args.workers)
        seconds = time.perf_counter() - t0
        again = tts.plan_territory(ds, method=method, workers=args.workers)
        same = plan.routes.equals(again.routes)
        c = plan.compare()
        logged = c.at["drive_min_per_week", "logged"]
        planned = c.at["drive_min_per_week", "plan"]
        bound = lower_bound_min(plan, method.travel)
        reseq = resequenced_only_min(ds, plan, method)
        row = (
            f"| {n} | {len(plan.assignments)} | {seconds:.1f} | {logged:,.0f} | {reseq:,.0f} | "
            f"{planned:,.0f} | {1 - planned / logged:.0%} | {bound:,.0f} | "
            f"{planned / bound:.2f} | {plan.balance:.2f} | "
            f"{int(c.at['days_over_limit', 'plan'])} | {'yes' if same else 'NO'} |"
        )
        print(row, flush=True)
        rows.append(row)
    head = (
        "| reps | customers | time (s) | logged drive (min/week) | re-sequenced only | "
        "plan | cut | lower bound | plan ÷ bound | workload balance | rep-days over | "
        "same plan twice |\n|" + " --- |" * 12
    )
    text = (
        "# Route consolidation benchmark\n\n"
        f"`python benchmarks/bench_territory.py --reps {' '.join(map(str, args.reps))} "
        f"--workers {args.workers}` ({args.per_rep} customers a rep; tts {tts.__version__}; "
        "default travel model 20 km/h, circuity 1.3).\n\n" + head + "\n" + "\n".join(rows) + "\n"
    )
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
