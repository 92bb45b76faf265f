"""Route optimiser benchmarks: quality against LKH-3 and PyVRP, and batch throughput.

    python benchmarks/bench_routes.py quality --days 20        # 45-stop days, no windows
    python benchmarks/bench_routes.py windows --days 10        # 60-stop days, opening hours
    python benchmarks/bench_routes.py batch --days 1000        # optimize_routes, both cores

``quality`` compares ``tts.optimize.solve_day`` (default settings, one core) with the best
known tour from LKH-3 (``elkai``, 10 runs) and with PyVRP given one second. ``windows``
compares stops served on days with opening hours and a 9-hour limit, every stop optional,
with PyVRP given five seconds. ``batch`` times ``tts.optimize_routes`` on a generated dataset.
elkai (LKH-3, non-commercial licence) and PyVRP are benchmark-only dependencies
(``pip install -e '.[bench]'``). Results are appended to ``benchmarks/results/routes.md``.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd

from tts.optimize import solve_day
from tts.travel import travel_matrix

HERE = Path(__file__).resolve().parent
HOME = (34.757, 113.665)


def instance(n: int, seed: int, *, windows: bool) -> dict:
    """One rep-day: stores in a 6 km square around home; optional opening hours."""
    rng = np.random.default_rng(seed)
    km_lat, km_lon = 1 / 111.2, 1 / (111.2 * np.cos(np.radians(HOME[0])))
    lat = HOME[0] + rng.uniform(-3, 3, n) * km_lat
    lon = HOME[1] + rng.uniform(-3, 3, n) * km_lon
    dur, dist = travel_matrix(np.r_[HOME[0], lat, HOME[0]], np.r_[HOME[1], lon, HOME[1]])
    out = {"duration_s": dur, "distance_m": dist, "logged": rng.permutation(n)}
    if windows:
        kind = rng.choice(["all_day", "shop", "morning", "afternoon"], n, p=[0.4, 0.3, 0.15, 0.15])
        opens = {"all_day": 7, "shop": 9, "morning": 8, "afternoon": 14}
        closes = {"all_day": 23, "shop": 21, "morning": 11, "afternoon": 18}
        out.update(
            service_s=rng.integers(300, 720, n),
            open_s=np.array([opens[k] for k in kind]) * 3600,
            close_s=np.array([closes[k] for k in kind]) * 3600,
            depart_s=8 * 3600,
            max_span_s=9 * 3600,
        )
    return out


def tour_length(d: np.ndarray, tour: list[int]) -> int:
    return int(sum(d[tour[k], tour[k + 1]] for k in range(len(tour) - 1)))


def lkh(dur: np.ndarray) -> int:
    import elkai

    closed = dur[:-1, :-1]  # home is node 0 and the return to it
    tour = elkai.DistanceMatrix(closed.tolist()).solve_tsp(runs=10)
    return tour_length(closed, list(tour))


def pyvrp_solve(p: dict, seconds: float) -> tuple[int, int]:
    """(travel seconds, stops served) by PyVRP on the same matrix."""
    import pyvrp
    from pyvrp.stop import MaxRuntime

    dur = p["duration_s"][:-1, :-1]
    n = len(dur) - 1
    m = pyvrp.Model()
    locs = [m.add_location(0, 0) for _ in range(n + 1)]
    depot = m.add_depot(locs[0])
    span = int(p.get("max_span_s", 10**9))
    start = int(p.get("depart_s", 0))
    m.add_vehicle_type(
        1,
        start_depot=depot,
        end_depot=depot,
        tw_early=start,
        tw_late=start + span,
        shift_duration=span,
        unit_distance_cost=1,
    )
    windows = "open_s" in p
    for k in range(n):
        if windows:
            latest = max(int(p["close_s"][k] - p["service_s"][k]), int(p["open_s"][k]))
            m.add_client(
                locs[k + 1],
                service_duration=int(p["service_s"][k]),
                tw_early=int(p["open_s"][k]),
                tw_late=latest,
                prize=10_000_000,
                required=False,
            )
        else:
            m.add_client(locs[k + 1])
    for i in range(n + 1):
        for j in range(n + 1):
            m.add_edge(locs[i], locs[j], distance=int(dur[i, j]), duration=int(dur[i, j]))
    result = m.solve(stop=MaxRuntime(seconds), seed=1, display=False)
    best = result.best
    routes = best.routes()
    served = sum(r.num_clients() for r in routes)
    travel = int(sum(r.distance() for r in routes))
    return travel, served


def quality(days: int, n: int) -> str:
    rows = []
    for seed in range(days):
        p = instance(n, seed, windows=False)
        t0 = time.perf_counter()
        r = solve_day(p["duration_s"], p["distance_m"], logged=p["logged"])
        ours_s = time.perf_counter() - t0
        best = lkh(p["duration_s"])
        t0 = time.perf_counter()
        vrp, _ = pyvrp_solve(p, 1.0)
        rows.append((r.travel_s / best - 1, ours_s, vrp / best - 1, time.perf_counter() - t0))
    a = np.array(rows)
    return (
        f"| quality, {n} stops, no windows, {days} days | tts solve_day: {a[:, 0].mean():.3%} "
        f"above LKH-3 (worst {a[:, 0].max():.3%}), {a[:, 1].mean():.2f} s/day | PyVRP 1 s: "
        f"{a[:, 2].mean():.3%} above LKH-3 (worst {a[:, 2].max():.3%}) |"
    )


def windows(days: int, n: int) -> str:
    rows = []
    for seed in range(days):
        p = instance(n, 1000 + seed, windows=True)
        t0 = time.perf_counter()
        r = solve_day(**p)
        ours_s = time.perf_counter() - t0
        vrp_travel, vrp_served = pyvrp_solve(p, 5.0)
        rows.append((len(r.order), r.travel_s, ours_s, vrp_served, vrp_travel))
    a = np.array(rows, dtype=float)
    return (
        f"| opening hours + 9 h limit, {n} stops, {days} days | tts solve_day: "
        f"{a[:, 0].mean():.1f} stops served, {a[:, 1].mean() / 60:.0f} drive min, "
        f"{a[:, 2].mean():.2f} s/day | PyVRP 5 s: {a[:, 3].mean():.1f} stops served, "
        f"{a[:, 4].mean() / 60:.0f} drive min; tts serves fewer on "
        f"{int((a[:, 0] < a[:, 3]).sum())} of {days} days |"
    )


def batch_dataset(days: int, n: int, reps: int = 40):
    """A dataset of ``days`` rep-days of ``n`` stops each (5-min visits, 5-min drives)."""
    import tts

    rng = np.random.default_rng(7)
    per_rep = -(-days // reps)
    km_lat, km_lon = 1 / 111.2, 1 / (111.2 * np.cos(np.radians(HOME[0])))
    cust, acts = [], []
    for r in range(reps):
        ids = [f"C{r}_{k}" for k in range(2 * n)]
        cust.append(
            pd.DataFrame(
                {
                    "customer_id": ids,
                    "name": ids,
                    "channel": "convenience",
                    "route_id": f"R{r}",
                    "lat": HOME[0] + rng.uniform(-3, 3, 2 * n) * km_lat,
                    "lon": HOME[1] + rng.uniform(-3, 3, 2 * n) * km_lon,
                }
            )
        )
        for d in range(per_rep):
            if r * per_rep + d >= days:
                break
            date = pd.Timestamp("2026-01-05") + pd.Timedelta(days=d)
            chosen = rng.choice(ids, n, replace=False)
            t = date + pd.Timedelta(hours=8)
            for c in chosen:
                acts.append((f"REP{r}", date, t, t + pd.Timedelta(minutes=5), "visit", c))
                acts.append(
                    (
                        f"REP{r}",
                        date,
                        t + pd.Timedelta(minutes=5),
                        t + pd.Timedelta(minutes=10),
                        "travel",
                        None,
                    )
                )
                t += pd.Timedelta(minutes=10)
    a = pd.DataFrame(acts, columns=["rep_id", "date", "start", "end", "activity", "customer_id"])
    reps_df = pd.DataFrame(
        {"rep_id": [f"REP{r}" for r in range(reps)], "home_lat": HOME[0], "home_lon": HOME[1]}
    )
    return tts.load_dataset(activities=a, customers=pd.concat(cust), reps=reps_df)


def batch(days: int, n: int) -> str:
    import tts

    ds = batch_dataset(days, n)
    t0 = time.perf_counter()
    plan = tts.optimize_routes(ds, workers=os.cpu_count(), progress=True)
    seconds = time.perf_counter() - t0
    return (
        f"| batch, {len(plan.days)} rep-days of {n} stops, {os.cpu_count()} cores | "
        f"tts.optimize_routes: {seconds:.0f} s ({seconds / len(plan.days):.2f} s/day) | "
        f"saving {plan.saving_share:.1%} of the logged drive time |"
    )


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("what", choices=["quality", "windows", "batch"])
    p.add_argument("--days", type=int, default=20)
    p.add_argument("--stops", type=int)
    a = p.parse_args()
    run = {"quality": (quality, 45), "windows": (windows, 60), "batch": (batch, 45)}
    fn, default_n = run[a.what]
    line = fn(a.days, a.stops or default_n)
    print(line)
    out = HERE / "results" / "routes.md"
    out.parent.mkdir(exist_ok=True)
    with out.open("a", encoding="utf-8") as f:
        f.write(line + "\n")


if __name__ == "__main__":
    main()
