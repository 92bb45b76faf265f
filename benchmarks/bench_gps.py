"""GPS tracks to a timeline at scale: a month of 50 reps, about 10⁶ positions.

Run: ``python benchmarks/bench_gps.py [--reps 50] [--days 26] [--interval 30]``. Prints the
positions, the stays found, the share of planted visits found at the right store, and the
seconds :func:`tts.gps.track_timeline` took (best of ``--repeat``). A benchmark, not a test:
timings depend on the machine; the README quotes a run on the development machine.

The track is simulated: each rep-day drives from home through 28-36 of the rep's 120 stores
(a 5 km square of the city per rep) at 18-30 km/h in straight lines, stays 6-12 minutes at
each, and reports a position every ``--interval`` seconds with 15 m of noise on each axis.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

LAT0, LON0 = 34.75, 113.65
M_PER_DEG = 111_195.0


def simulate_month(
    reps: int = 50, days: int = 22, interval_s: float = 30.0, seed: int = 7
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Positions, customers and the planted visits (``rep_id``, ``date``, ``customer_id``,
    ``start``, ``end``) of a simulated month."""
    rng = np.random.default_rng(seed)
    n_cust = reps * 120
    # each rep's 120 customers in a 5 km square of their own, the squares on a grid
    side = int(np.ceil(np.sqrt(reps)))
    cy = (np.arange(reps) // side - side / 2) * 5000.0
    cx = (np.arange(reps) % side - side / 2) * 5000.0
    north = np.repeat(cy, 120) + rng.uniform(-2500, 2500, n_cust)
    east = np.repeat(cx, 120) + rng.uniform(-2500, 2500, n_cust)
    c_lat = LAT0 + north / M_PER_DEG
    c_lon = LON0 + east / (M_PER_DEG * np.cos(np.radians(LAT0)))
    customers = pd.DataFrame(
        {"customer_id": [f"C{i:05d}" for i in range(n_cust)], "lat": c_lat, "lon": c_lon}
    )
    k_lon = M_PER_DEG * np.cos(np.radians(LAT0))
    parts, planted = [], []
    day0 = pd.Timestamp("2026-03-02")
    for r in range(reps):
        mine = np.arange(r * 120, (r + 1) * 120)
        for d in range(days):
            stops = rng.choice(mine, size=int(rng.integers(28, 37)), replace=False)
            home_lat, home_lon = LAT0 + cy[r] / M_PER_DEG, LON0 + cx[r] / k_lon
            lat = np.r_[home_lat, c_lat[stops], home_lat]
            lon = np.r_[home_lon, c_lon[stops], home_lon]
            dist = np.hypot(np.diff(lat) * M_PER_DEG, np.diff(lon) * k_lon)
            drive = dist / (rng.uniform(18, 30, len(dist)) / 3.6)
            dwell = rng.uniform(6, 12, len(stops)) * 60
            # knots: leave depot at 0, arrive store k, leave store k, ..., arrive depot
            t = np.cumsum(np.r_[0.0, np.column_stack([drive[:-1], dwell]).ravel(), drive[-1]])
            k_lat = np.r_[home_lat, np.repeat(c_lat[stops], 2), home_lat]
            k_lon_ = np.r_[home_lon, np.repeat(c_lon[stops], 2), home_lon]
            ts = np.arange(0.0, t[-1], interval_s)
            start = day0 + pd.Timedelta(days=d + 2 * (d // 5), hours=8)  # weekends off
            parts.append(
                pd.DataFrame(
                    {
                        "rep_id": f"R{r:03d}",
                        "timestamp": start + pd.to_timedelta(ts, unit="s"),
                        "lat": np.interp(ts, t, k_lat) + rng.normal(0, 15, len(ts)) / M_PER_DEG,
                        "lon": np.interp(ts, t, k_lon_) + rng.normal(0, 15, len(ts)) / k_lon,
                    }
                )
            )
            arrive = t[1:-1:2]
            planted.append(
                pd.DataFrame(
                    {
                        "rep_id": f"R{r:03d}",
                        "customer_id": customers["customer_id"].to_numpy()[stops],
                        "start": start + pd.to_timedelta(arrive, unit="s"),
                        "end": start + pd.to_timedelta(arrive + dwell, unit="s"),
                    }
                )
            )
    gps = pd.concat(parts, ignore_index=True)
    gps["row"] = np.arange(1, len(gps) + 1)
    return gps, customers, pd.concat(planted, ignore_index=True)


def main() -> None:
    from tts.gps import track_timeline

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reps", type=int, default=50)
    ap.add_argument("--days", type=int, default=22)
    ap.add_argument("--interval", type=float, default=30.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    gps, customers, planted = simulate_month(args.reps, args.days, args.interval)
    best = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        track = track_timeline(gps, customers)
        best = min(best, time.perf_counter() - t0)
    visits = track.activities[track.activities["activity"] == "visit"]
    # a planted visit is found when a visit at its store overlaps it
    m = planted.merge(visits, on=["rep_id", "customer_id"], suffixes=("", "_found"))
    hit = m[(m["start_found"] < m["end"]) & (m["end_found"] > m["start"])]
    found = hit.drop_duplicates(["rep_id", "customer_id", "start"])
    err = ((hit["end_found"] - hit["start_found"]) - (hit["end"] - hit["start"])).abs()
    print(
        f"{len(gps):,} positions, {gps[['rep_id']].nunique().iloc[0]} reps, "
        f"{len(track.stays):,} stays, {len(found) / len(planted):.1%} of {len(planted):,} "
        f"planted visits found at their store (median duration error "
        f"{err.dt.total_seconds().median():.0f} s); track_timeline {best:.2f} s "
        f"(best of {args.repeat})"
    )


if __name__ == "__main__":
    main()
