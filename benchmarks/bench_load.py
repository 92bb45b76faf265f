"""Time and peak memory of ``tts.load_dataset`` on a large generated activity file.

    python benchmarks/bench_load.py --reps 1200 --days 10 --stops 41   # about 1,000,000 rows

Each run happens in a fresh process so that peak memory (max RSS) belongs to it alone.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _child(path: str) -> None:
    import tts

    t0 = time.perf_counter()
    ds = tts.load_dataset(activities=path)
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = int(ds.row_counts["read"].sum())
    print(json.dumps({"rows": rows, "seconds": round(seconds, 2), "peak_mb": round(peak_mb)}))


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(sys.argv[2])
        return
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--reps", type=int, default=1200)
    p.add_argument("--days", type=int, default=10)
    p.add_argument("--stops", type=int, default=41)
    p.add_argument("--format", choices=["csv", "parquet"], default="csv")
    a = p.parse_args()
    out = HERE / "data" / f"{a.reps}x{a.days}x{a.stops}"
    path = out / f"activities.{a.format}"
    if not path.exists():
        subprocess.run(
            [
                sys.executable,
                str(HERE / "generate.py"),
                "--reps",
                str(a.reps),
                "--days",
                str(a.days),
                "--stops",
                str(a.stops),
                "--format",
                a.format,
                "--out",
                str(out),
            ],
            check=True,
        )
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    print(f"load_dataset({a.format}): {result.stdout.strip()}")


if __name__ == "__main__":
    main()
