"""Large synthetic activity logs for benchmarks, generated with numpy (no per-row Python).

Each rep-day is a meeting, then alternating travel and visits, then admin, back to back;
``rows ≈ n_reps × n_days × (2 × stops + 2)``.

    python benchmarks/generate.py --reps 1000 --days 12 --stops 40 --out benchmarks/data/1m
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd


def make_activities(n_reps: int, n_days: int, stops: int, *, seed: int = 0) -> pd.DataFrame:
    """Activity rows in the canonical text form (HH:MM times on ISO dates)."""
    rng = np.random.default_rng(seed)
    per_day = 2 * stops + 2
    n_rep_days = n_reps * n_days
    kind = np.empty(per_day, dtype=object)
    kind[0], kind[-1] = "morning_meeting", "admin"
    kind[1:-1:2], kind[2:-1:2] = "travel", "visit"
    minutes = rng.integers(2, 9, size=(n_rep_days, per_day))
    minutes[:, 0] = rng.integers(15, 45, n_rep_days)
    minutes[:, -1] = rng.integers(20, 60, n_rep_days)
    start = 7 * 60 + 45 + np.cumsum(minutes, axis=1) - minutes
    end = start + minutes
    rep = np.repeat(np.arange(n_reps), n_days)
    day = np.tile(np.arange(n_days), n_reps)
    dates = pd.date_range("2026-01-05", periods=n_days, freq="D").strftime("%Y-%m-%d").to_numpy()
    customer = rng.integers(0, 40, size=(n_rep_days, per_day)) + rep[:, None] * 40
    is_visit = np.tile(kind == "visit", (n_rep_days, 1))

    def hhmm(m: np.ndarray) -> np.ndarray:
        table = np.array([f"{h:02d}:{mm:02d}" for h in range(48) for mm in range(60)])
        return table[m.ravel()]

    return pd.DataFrame(
        {
            "rep_id": np.char.add("REP", np.repeat(rep, per_day).astype(str)),
            "date": dates[np.repeat(day, per_day)],
            "start": hhmm(start),
            "end": hhmm(end),
            "activity": np.tile(kind, n_rep_days),
            "customer_id": np.where(
                is_visit.ravel(), np.char.add("C", customer.ravel().astype(str)), ""
            ),
        }
    )


def make_customers(n_reps: int, *, per_rep: int = 40, seed: int = 0) -> pd.DataFrame:
    """The stores of :func:`make_activities`: ``per_rep`` a rep, on its own route, in a 6 km
    square around a town centre (canonical customers columns)."""
    rng = np.random.default_rng(seed + 1)
    n = n_reps * per_rep
    centre_lat, centre_lon = 34.75, 113.65
    return pd.DataFrame(
        {
            "customer_id": np.char.add("C", np.arange(n).astype(str)),
            "name": np.char.add("Store ", np.arange(n).astype(str)),
            "lat": centre_lat + rng.uniform(-0.027, 0.027, n),
            "lon": centre_lon + rng.uniform(-0.033, 0.033, n),
            "channel": "convenience",
            "route_id": np.char.add("R", np.repeat(np.arange(n_reps), per_rep).astype(str)),
        }
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--reps", type=int, default=1000)
    p.add_argument("--days", type=int, default=12)
    p.add_argument("--stops", type=int, default=40)
    p.add_argument("--format", choices=["csv", "parquet"], default="csv")
    p.add_argument("--out", type=Path, required=True)
    a = p.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    frame = make_activities(a.reps, a.days, a.stops)
    path = a.out / f"activities.{a.format}"
    if a.format == "csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    print(f"wrote {len(frame):,} rows to {path}")


if __name__ == "__main__":
    main()
