"""How tts scales: load, diagnose, report and the route optimiser at 10^5, 10^6, 10^7 rows,
with the same per-rep-day aggregation written in DuckDB SQL and in Polars as peers.

    python benchmarks/bench_scale.py                        # 1e5, 1e6, 1e7 rows: ~9 minutes
    python benchmarks/bench_scale.py --sizes 100000 1000000 --opt-days 50

Needs ``pip install -e '.[dev,bench]'`` (duckdb, polars). Every step runs in a fresh process,
so its peak memory (max RSS) is its own; the data are generated once under
``benchmarks/data/scale_<rows>/`` (activities as text, as a survey export holds them, for
``load``; typed, for the peers). Results: ``benchmarks/results/scale.md`` (a table, with the
ratios measured in the same run) and ``benchmarks/results/scale.png`` (log-log).

The peers compute, per rep-day: first start, last end, working-day minutes, customer, travel
and meeting minutes, visits. That is the core of ``tts.time_use.allocate_time``, which on top
resolves overlaps and gaps, builds the store visits and the commutes; ``diagnose`` then adds
the standards, capacity, audit and findings. The peers' times include reading the Parquet
file; tts's ``allocate``/``diagnose`` times start from the loaded table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STOPS = 16  # store visits a day: 2 × 16 + 2 = 34 activity rows a rep-day
DAYS_PER_REP = 30
CUSTOMER = ("visit", "merchandising", "pop", "order_entry", "competitor_check")


def shape(rows: int) -> tuple[int, int]:
    """Reps and days for about ``rows`` activity rows."""
    rep_days = max(1, round(rows / (2 * STOPS + 2)))
    days = min(DAYS_PER_REP * 10, max(DAYS_PER_REP, rep_days // 1000))
    return max(1, round(rep_days / days)), days


def data(rows: int) -> Path:
    """Generate (once) the folder for ``rows`` rows."""
    import pandas as pd

    sys.path.insert(0, str(HERE))
    from generate import make_activities, make_customers

    folder = HERE / "data" / f"scale_{rows}"
    if (folder / "typed.parquet").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    reps, days = shape(rows)
    raw = make_activities(reps, days, STOPS)
    raw.to_parquet(folder / "activities.parquet", index=False)
    make_customers(reps).to_parquet(folder / "customers.parquet", index=False)
    date = pd.to_datetime(raw["date"])
    typed = pd.DataFrame(
        {
            "rep_id": raw["rep_id"],
            "date": date,
            "start": date + pd.to_timedelta(raw["start"] + ":00"),
            "end": date + pd.to_timedelta(raw["end"] + ":00"),
            "activity": raw["activity"],
            "customer_id": raw["customer_id"].replace("", None),
        }
    )
    typed.to_parquet(folder / "typed.parquet", index=False)
    return folder


# -- steps, each run in its own process ---------------------------------------------------------


def _cpu() -> float:
    """Processor seconds of this process so far, every thread (user + system)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _load(folder: Path, timed: dict | None = None) -> tuple[object, float]:
    import tts

    t0, c0 = time.perf_counter(), _cpu()
    ds = tts.load_dataset(
        activities=folder / "activities.parquet", customers=folder / "customers.parquet"
    )
    if timed is not None:
        timed["cpu"] = _cpu() - c0
    return ds, time.perf_counter() - t0


def step_load(folder: Path) -> dict:
    timed: dict = {}
    ds, seconds = _load(folder, timed)
    return {"seconds": seconds, "rows": len(ds.activities), **timed}  # type: ignore[attr-defined]


def step_allocate(folder: Path) -> dict:
    from tts.time_use import allocate_time

    ds, _ = _load(folder)
    t0 = time.perf_counter()
    t = allocate_time(ds.activities)  # type: ignore[attr-defined]
    seconds = time.perf_counter() - t0
    d = t.per_day
    check = [round(float(d["customer_min"].sum()), 3), int(d["visits"].sum()), len(d)]
    del t, d
    t0 = time.perf_counter()
    allocate_time(ds.activities)  # type: ignore[attr-defined]
    return {
        "seconds": seconds,
        "warm": time.perf_counter() - t0,
        "rows": len(ds.activities),  # type: ignore[attr-defined]
        "check": check,
    }


def step_diagnose(folder: Path) -> dict:
    import tts

    ds, _ = _load(folder)
    t0 = time.perf_counter()
    dx = tts.diagnose(ds)  # type: ignore[arg-type]
    first = time.perf_counter() - t0
    rows = len(dx.dataset.activities)
    del dx
    # a second call in the same process, as in a notebook (first-use costs such as lazy
    # imports are paid by the first)
    t0 = time.perf_counter()
    tts.diagnose(ds)  # type: ignore[arg-type]
    return {"seconds": first, "warm": time.perf_counter() - t0, "rows": rows}


def step_report(folder: Path) -> dict:
    import tts

    ds, _ = _load(folder)
    dx = tts.diagnose(ds)  # type: ignore[arg-type]
    t0 = time.perf_counter()
    tts.write_report(dx, folder / "report.pdf")
    return {"seconds": time.perf_counter() - t0, "rows": len(dx.dataset.activities)}


def step_duckdb(folder: Path) -> dict:
    import duckdb

    path = folder / "typed.parquet"
    dur = 'epoch("end") - epoch(start)'
    query = f"""
        SELECT rep_id, date, min(start) AS day_start, max("end") AS day_end,
          (epoch(max("end")) - epoch(min(start))) / 60 AS total_min,
          sum({dur}) FILTER (WHERE activity IN {CUSTOMER}) / 60 AS customer_min,
          sum({dur}) FILTER (WHERE activity = 'travel') / 60 AS travel_min,
          sum({dur}) FILTER (WHERE activity = 'morning_meeting') / 60 AS meeting_min,
          count(*) FILTER (WHERE activity = 'visit') AS visits
        FROM read_parquet('{path}') GROUP BY rep_id, date
    """
    t0 = time.perf_counter()
    out = duckdb.sql(query).df()
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "check": [round(float(out["customer_min"].sum()), 3), int(out["visits"].sum()), len(out)],
    }


def step_polars(folder: Path) -> dict:
    import polars as pl

    dur = (pl.col("end") - pl.col("start")).dt.total_seconds()
    act = pl.col("activity")
    t0 = time.perf_counter()
    out = (
        pl.scan_parquet(folder / "typed.parquet")
        .group_by("rep_id", "date")
        .agg(
            pl.col("start").min().alias("day_start"),
            pl.col("end").max().alias("day_end"),
            (dur.filter(act.is_in(list(CUSTOMER))).sum() / 60).alias("customer_min"),
            (dur.filter(act == "travel").sum() / 60).alias("travel_min"),
            (dur.filter(act == "morning_meeting").sum() / 60).alias("meeting_min"),
            (act == "visit").sum().alias("visits"),
        )
        .collect()
    )
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "check": [round(float(out["customer_min"].sum()), 3), int(out["visits"].sum()), len(out)],
    }


def step_optimize(folder: Path, days: int) -> dict:
    import tts

    ds, _ = _load(folder)
    a = ds.activities  # type: ignore[attr-defined]
    keys = a[["rep_id", "date"]].drop_duplicates().head(days)
    some = a.merge(keys, on=["rep_id", "date"]).drop(columns="row")
    small = tts.load_dataset(
        activities=some,
        customers=ds.customers.drop(columns="row"),  # type: ignore[attr-defined]
    )
    t0 = time.perf_counter()
    plan = tts.optimize_routes(small, workers=os.cpu_count())
    return {
        "seconds": time.perf_counter() - t0,
        "rows": len(some),
        "rep_days": len(plan.days),
        "saving": plan.saving_share,
    }


NOTES = """\
How to read it: `allocate` is tts's per-rep-day aggregation (the work the peers do, plus
overlaps, gaps, store visits and commutes); `diagnose` adds the standards, capacity, the nine
audit checks, route performance and findings; the peers' times include reading the Parquet
file, tts's start from the loaded table (`load` is its own line). Peak memory of `allocate`,
`diagnose` and `report` includes the load they start with. `seconds` is a fresh process's
first call (the compiled kernels are C extension modules: nothing to set up); `second call`
is the same step again in that process, as in a notebook. The optimiser runs on rep-days of
the smallest size, the last run on all its 2,940 rep-days (the 10^5 rows); its cost is per
rep-day and linear, so 10^6 rows (29,400 rep-days) take about 20 minutes on 2 cores and 10^7
rows (294,000 rep-days) are a task for a Dask cluster (`optimize_routes(ds, client=...)`).
The optimiser's quality against LKH-3 (elkai) and PyVRP is in [routes.md](routes.md)
(`python benchmarks/bench_routes.py quality` and `windows`).
"""

STEPS = {
    "load": step_load,
    "allocate": step_allocate,
    "diagnose": step_diagnose,
    "report": step_report,
    "duckdb": step_duckdb,
    "polars": step_polars,
}


def run(step: str, folder: Path, *extra: str) -> dict:
    """One step in a fresh process: its result, with peak memory in MB."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", step, str(folder), *extra],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _peak_mb() -> float:
    """Peak resident memory of this process, MB (VmHWM: reset by exec, unlike ru_maxrss,
    which Linux carries over from the parent)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(step: str, folder: str, *extra: str) -> None:
    path = Path(folder)
    result = step_optimize(path, int(extra[0])) if step == "optimize" else STEPS[step](path)
    result["peak_mb"] = _peak_mb()
    print(json.dumps(result))


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
    for step in ("load", "diagnose", "allocate", "report", "duckdb", "polars", "optimize"):
        pts = sorted((r["rows"], r["seconds"]) for r in results if r["step"] == step)
        if pts:
            xs, ys = zip(*pts, strict=True)
            ax.loglog(xs, ys, marker="o", label=step)
    ax.set_xlabel("activity rows")
    ax.set_ylabel("seconds (log)")
    ax.set_title("Cost against size (log-log; one machine, 2 cores)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.savefig(path, dpi=120, metadata={"Software": None})


def table(results: list[dict]) -> str:
    lines = [
        "| rows | step | seconds | second call (s) | processor s | peak memory (MB) | × DuckDB "
        "| note |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        duck = next(
            (x["seconds"] for x in results if x["step"] == "duckdb" and x["size"] == r["size"]),
            None,
        )
        ratio = f"{r['seconds'] / duck:.1f}" if duck and r["step"] != "optimize" else ""
        cpu = f"{r['cpu']:.2f}" if "cpu" in r else ""
        warm = f"{r['warm']:.2f}" if "warm" in r else ""
        lines.append(
            f"| {r['rows']:,} | {r['step']} | {r['seconds']:.2f} | {warm} | {cpu} | "
            f"{r['peak_mb']:,.0f} | {ratio} | {r.get('note', '')} |"
        )
    return "\n".join(lines)


def _loads(avg: tuple[float, float, float]) -> str:
    return " / ".join(f"{x:.1f}" for x in avg)


def main() -> None:
    if len(sys.argv) >= 4 and sys.argv[1] == "--child":
        _child(*sys.argv[2:])
        return
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 10_000_000])
    p.add_argument(
        "--opt-days",
        type=int,
        nargs="+",
        default=[40, 400, 2940],
        help="rep-days for the batch optimiser, taken from the smallest size (2940: all of "
        "the 10^5-row dataset)",
    )
    a = p.parse_args()
    results: list[dict] = []
    load_before = os.getloadavg()
    for size in a.sizes:
        folder = data(size)
        for step in ("load", "allocate", "diagnose", "report", "duckdb", "polars"):
            r = run(step, folder)
            r.update(step=step, size=size)
            if "rows" not in r:
                r["rows"] = next(x["rows"] for x in results if x["size"] == size)
            results.append(r)
            print(f"{size:>10,} {step:<9} {r['seconds']:7.2f} s  {r['peak_mb']:8,.0f} MB")
        checks = {x["step"]: x.get("check") for x in results if x["size"] == size}
        if not checks["allocate"] == checks["duckdb"] == checks["polars"]:
            raise SystemExit(f"the peers disagree with tts at {size} rows: {checks}")
    for days in a.opt_days:
        r = run("optimize", data(min(a.sizes)), str(days))
        r.update(
            step="optimize",
            size=min(a.sizes),
            note=f"{r['rep_days']} rep-days of {STOPS} stops, both cores; "
            f"{r['seconds'] / r['rep_days']:.2f} s a rep-day",
        )
        results.append(r)
        print(f"optimize {r['rep_days']} rep-days {r['seconds']:7.2f} s")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    plot(results, out / "scale.png")
    cpu = os.cpu_count()
    text = (
        f"# Scale benchmark\n\nMeasured by `python benchmarks/bench_scale.py "
        f"--sizes {' '.join(map(str, a.sizes))} --opt-days {' '.join(map(str, a.opt_days))}` "
        f"on {cpu} cores, {time.strftime('%Y-%m-%d')}, load average (1, 5, 15 min) "
        f"{_loads(load_before)} before and {_loads(os.getloadavg())} after: the machine is "
        "shared, so wall seconds grow with the load; `processor s` (the step's user + system "
        "time, every thread) moves less. Peers agree with tts's allocation on "
        "every size (customer minutes, visits and rep-days checked).\n\n"
        f"{table(results)}\n\n![cost against size](scale.png)\n\n{NOTES}"
    )
    (out / "scale.md").write_text(text, encoding="utf-8")
    print(f"wrote {out / 'scale.md'} and {out / 'scale.png'}")


if __name__ == "__main__":
    main()
