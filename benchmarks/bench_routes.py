"""Route optimiser benchmarks: quality against known optima, LKH-3 and PyVRP; time; scale.

    python benchmarks/bench_routes.py quality --days 20        # 45-stop days, no windows
    python benchmarks/bench_routes.py tsplib                   # 7 TSPLIB tours, known optima
    python benchmarks/bench_routes.py uniform --days 12        # random TSPs against LKH-3
    python benchmarks/bench_routes.py tsptw --days 20          # TSPs with time windows
    python benchmarks/bench_routes.py candidates               # engines compared (TSPLIB)
    python benchmarks/bench_routes.py large --stops 1500       # a huge day: time, memory
    python benchmarks/bench_routes.py windows --days 10        # 60-stop days, opening hours
    python benchmarks/bench_routes.py batch --days 1000        # optimize_routes, both cores

Times are processor seconds of this process (one core), so a busy machine inflates them
less than wall time; ``large`` reports wall time and the peak resident memory.

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
import sys
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
        t0 = time.process_time()
        r = solve_day(p["duration_s"], p["distance_m"], logged=p["logged"])
        ours_s = time.process_time() - t0
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
        t0 = time.process_time()
        r = solve_day(**p)
        ours_s = time.process_time() - t0
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


TSPLIB = HERE / "tsplib"


def tsplib_instance(name: str) -> np.ndarray:
    """A TSPLIB EUC_2D instance as a day: node 1 is the start and (a copy) the end."""
    xy, on = [], False
    for line in (TSPLIB / f"{name}.tsp").read_text().splitlines():
        if line.startswith("NODE_COORD_SECTION"):
            on = True
        elif line.startswith("EOF"):
            break
        elif on and line.strip():
            xy.append([float(v) for v in line.split()[1:3]])
    a = np.array(xy)
    d = (np.sqrt(((a[:, None] - a[None]) ** 2).sum(-1)) + 0.5).astype(np.int64)  # EUC_2D
    return np.pad(d, ((0, 1), (0, 1)), mode="wrap")  # the end node repeats the start


def tsplib_optima() -> dict[str, int]:
    lines = (TSPLIB / "optima.txt").read_text().splitlines()
    return {k.strip(): int(v) for k, v in (x.split(":") for x in lines if x.strip())}


def tsplib(days: int, n: int) -> str:
    rows = []
    for name, best in tsplib_optima().items():
        m = tsplib_instance(name)
        t0 = time.process_time()
        r = solve_day(m)
        seconds = time.process_time() - t0
        same = solve_day(m) == r
        rows.append((r.travel_s / best - 1, seconds, same, len(m) - 1))
        print(f"  {name}: {r.travel_s / best - 1:.3%}, {seconds:.2f} s, engine {r.engine}")
    a = np.array(rows, dtype=float)
    return (
        f"| TSPLIB, {len(rows)} tours of {int(a[:, 3].min())}-{int(a[:, 3].max())} stops "
        f"(benchmarks/tsplib) | tts solve_day: {a[:, 0].mean():.3%} above the optimum "
        f"(worst {a[:, 0].max():.3%}), optimal on {int((a[:, 0] == 0).sum())}/{len(rows)}, "
        f"{a[:, 1].mean():.2f} s each (max {a[:, 1].max():.2f}); same tour on a second run: "
        f"{int(a[:, 2].sum())}/{len(rows)} |"
    )


def uniform(days: int, n: int) -> str:
    """Random uniform TSPs of 50-150 stops (integer distances) against LKH-3 (10 runs)."""
    rows = []
    for seed in range(days):
        size = 50 + seed * 100 // max(days - 1, 1) if not n else n
        rng = np.random.default_rng(900 + seed)
        xy = rng.uniform(0, 10_000, (size, 2))
        d = (np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(-1)) + 0.5).astype(np.int64)
        m = np.pad(d, ((0, 1), (0, 1)), mode="wrap")
        t0 = time.process_time()
        r = solve_day(m)
        seconds = time.process_time() - t0
        rows.append((r.travel_s / lkh(m) - 1, seconds, size))
    a = np.array(rows)
    small = a[a[:, 2] <= 100]
    return (
        f"| uniform random TSPs, {days} of 50-150 stops | tts solve_day: {a[:, 0].mean():.3%} "
        f"above LKH-3 (worst {a[:, 0].max():.3%}), equal on {int((a[:, 0] <= 0).sum())}/{days}; "
        f"{small[:, 1].mean():.2f} s each up to 100 stops, {a[a[:, 2] > 100][:, 1].mean():.2f} s "
        f"above |"
    )


def tsptw_instance(n: int, seed: int) -> dict:
    """A TSP with time windows in the style of Dumas et al.: windows around a random tour."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 50, (n + 1, 2))
    d = (np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(-1))).astype(np.int64)
    m = np.pad(d, ((0, 1), (0, 1)), mode="wrap")
    tour = rng.permutation(n)
    t, here, opens, closes = 0, 0, np.zeros(n, np.int64), np.zeros(n, np.int64)
    for k in tour:
        t += int(m[here, k + 1])
        width = int(rng.integers(20, 60))
        opens[k] = max(0, t - int(rng.integers(0, width)))
        closes[k] = opens[k] + width
        here = k + 1
    return {"duration_s": m, "open_s": opens, "close_s": closes, "depart_s": 0}


def tsptw(days: int, n: int) -> str:
    rows = []
    for seed in range(days):
        size = 20 + seed * 40 // max(days - 1, 1) if not n else n
        p = tsptw_instance(size, 500 + seed)
        t0 = time.process_time()
        r = solve_day(**p)
        seconds = time.process_time() - t0
        ref, served = pyvrp_solve({**p, "service_s": np.zeros(size, np.int64)}, 5.0)
        ok = not r.dropped
        rows.append((ok, r.travel_s, ref if served == size else 10**9, seconds))
    a = np.array(rows, dtype=float)
    at_ref = int(((a[:, 1] <= a[:, 2]) & (a[:, 0] == 1)).sum())
    return (
        f"| TSPs with time windows, {days} of 20-60 stops (generated) | tts solve_day: "
        f"feasible on {int(a[:, 0].sum())}/{days}, at or below PyVRP 5 s on {at_ref}/{days} "
        f"(mean {np.mean(a[:, 1] / a[:, 2] - 1):.3%} from it), {a[:, 3].mean():.2f} s each |"
    )


def candidates(days: int, n: int) -> str:
    """Each engine alone on the TSPLIB tours: quality, processor time, same tour twice."""
    import fast_tsp

    from tts._engines import Budget, hgs_order, pyvrp_order
    from tts.optimize import _search

    def run_ortools(m):
        z = np.zeros(len(m), np.int64)
        big = np.full(len(m), 10**9, np.int64)
        o, _ = _search(
            m,
            z,
            z,
            big,
            0,
            10**9,
            np.arange(len(m) - 2),
            300,
            60.0,
            0.5,
            False,
            "CHRISTOFIDES",
            True,
        )
        return o

    def run_pyvrp(m):
        z = np.zeros(len(m), np.int64)
        return pyvrp_order(
            m,
            z,
            z,
            z,
            0,
            0,
            no_improvement=2000,
            iterations=10**6,
            seed=1,
            time_limit_s=60.0,
            prize=0,
            timed=False,
        )

    def run_hgs(m):
        return hgs_order(m, iterations=Budget.for_stops(len(m) - 2).hgs_iterations, seed=0)

    def run_fast(m):
        t = fast_tsp.find_tour(m[:-1, :-1], duration_seconds=0.1)
        k = t.index(0)
        t = t[k:] + t[:k]
        t = t if t[1] < t[-1] else [0, *t[1:][::-1]]  # one direction, to compare runs
        return [c - 1 for c in t[1:]]

    engines = {
        "OR-Tools GLS, 300 solutions": run_ortools,
        "PyVRP NoImprovement(2000), seed 1": run_pyvrp,
        "HGS (hygese), 5 iterations a stop without improvement": run_hgs,
        "fast-tsp, 0.1 s wall clock": run_fast,
    }
    lines = []
    for label, fn in engines.items():
        rows = []
        for name, best in tsplib_optima().items():
            m = tsplib_instance(name)
            t0 = time.process_time()
            o = fn(m)
            seconds = time.process_time() - t0
            length = tour_length(m, [0, *(k + 1 for k in o), len(m) - 1])
            rows.append((length / best - 1, seconds, fn(m) == o))
        a = np.array(rows, dtype=float)
        lines.append(
            f"| candidates on TSPLIB (7 tours) | {label}: {a[:, 0].mean():.3%} above the "
            f"optimum (worst {a[:, 0].max():.3%}), {a[:, 1].mean():.2f} s each, same tour "
            f"twice on {int(a[:, 2].sum())}/7 |"
        )
        print(lines[-1])
    return "\n".join(lines)


def large(days: int, n: int) -> str:
    """One day of ``n`` stops through solve_day, in a child process: wall and processor time,
    peak memory. The day is given as ``optimize_routes`` gives it: its points and travel model
    (``DayLegs``), so above the dense-model limit no square matrix is built; ``--days 2``
    builds the two dense matrices first, as before issue 17's last step, to compare."""
    import subprocess
    import sys

    code = f"""
import resource, time, numpy as np
from tts.optimize import solve_day
from tts.travel import DayLegs, TravelModel, travel_matrix
rng = np.random.default_rng(5)
n = {n}
side = 3 * (n / 45) ** 0.5 / 111.2
lat = {HOME[0]} + rng.uniform(-side, side, n)
lon = {HOME[1]} + rng.uniform(-side, side, n) / np.cos(np.radians({HOME[0]}))
t0, c0 = time.perf_counter(), time.process_time()
la, lo = np.r_[{HOME[0]}, lat, {HOME[0]}], np.r_[{HOME[1]}, lon, {HOME[1]}]
if {days} == 2:
    day, dist = travel_matrix(la, lo)
else:
    day, dist = DayLegs(TravelModel(), [str(k) for k in range(n + 2)], la, lo), None
r = solve_day(day, dist, service_s=np.full(n, 300), depart_s=8 * 3600, logged=rng.permutation(n))
print(time.perf_counter() - t0, time.process_time() - c0,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6,
      len(r.order), r.travel_s / r.logged_travel_s, r.note, sep="|")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, cpu, gb, served, ratio, note = out.stdout.strip().splitlines()[-1].split("|")
    given = "two dense matrices" if days == 2 else "points and travel model (DayLegs)"
    return (
        f"| a day of {n} stops in a 6 km x sqrt(n/45) square, given as its {given}, travel "
        f"included | {float(seconds):.0f} s wall, {float(cpu):.0f} s processor, peak "
        f"{float(gb):.2f} GB, {served} stops served, drive {float(ratio):.1%} of a random logged "
        f"order; note: {note} |"
    )


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "what",
        choices=[
            "quality",
            "tsplib",
            "uniform",
            "tsptw",
            "candidates",
            "large",
            "windows",
            "batch",
        ],
    )
    p.add_argument("--days", type=int, default=20)  # large: 2 = give dense matrices
    p.add_argument("--stops", type=int)
    a = p.parse_args()
    run = {
        "quality": (quality, 45),
        "tsplib": (tsplib, 0),
        "uniform": (uniform, 0),
        "tsptw": (tsptw, 0),
        "candidates": (candidates, 0),
        "large": (large, 1500),
        "windows": (windows, 60),
        "batch": (batch, 45),
    }
    fn, default_n = run[a.what]
    line = fn(a.days, a.stops or default_n)
    line = (
        f"{line} `{' '.join(['python benchmarks/bench_routes.py', *sys.argv[1:]])}`"
        if "\n" not in line
        else line
    )
    print(line)
    out = HERE / "results" / "routes.md"
    out.parent.mkdir(exist_ok=True)
    with out.open("a", encoding="utf-8") as f:
        f.write(line + "\n")


if __name__ == "__main__":
    main()
