"""Time and peak memory of ``tts.diagnose`` on a year of generated activity logs.

    python benchmarks/bench_diagnose.py --reps 1000 --days 312 --stops 16   # ~10.6 million rows

The activities are generated straight into canonical form (as ``load_dataset`` returns them),
so the figure is the diagnosis alone; ``--load`` also times loading the same rows from Parquet.
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


def _canonical(reps: int, days: int, stops: int):  # type: ignore[no-untyped-def]
    import numpy as np
    import pandas as pd

    sys.path.insert(0, str(HERE))
    from generate import make_activities

    raw = make_activities(reps, days, stops)
    date = pd.to_datetime(raw["date"]).astype("datetime64[ns]")
    clock = pd.to_timedelta(raw["start"] + ":00")
    length = pd.to_timedelta(raw["end"] + ":00") - clock
    return pd.DataFrame(
        {
            "rep_id": raw["rep_id"].astype("str"),
            "date": date,
            "start": date + clock,
            "end": date + clock + length,
            "activity": pd.Categorical(raw["activity"]),
            "customer_id": raw["customer_id"].replace("", np.nan).astype("str"),
            "route_id": pd.Series(np.nan, index=raw.index, dtype="str"),
            "row": np.arange(2, len(raw) + 2),
        }
    )


def _child(reps: int, days: int, stops: int) -> None:
    import tts
    from tts.io.dataset import Dataset

    acts = _canonical(reps, days, stops)
    empty = tts.load_dataset(
        activities=acts.head(0)[["rep_id", "date", "start", "end", "activity"]]
    )
    ds = Dataset(
        acts, None, None, None, None, None, None, None, None, empty.quarantine, empty.row_counts
    )
    t0 = time.perf_counter()
    dx = tts.diagnose(ds)
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "rows": len(acts),
                "rep_days": len(dx.time_allocation),
                "seconds": round(seconds, 1),
                "peak_mb": round(peak_mb),
            }
        )
    )


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _child(*(int(x) for x in sys.argv[2:]))
        return
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--reps", type=int, default=1000)
    p.add_argument("--days", type=int, default=312)
    p.add_argument("--stops", type=int, default=16)
    a = p.parse_args()
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(a.reps), str(a.days), str(a.stops)],
        check=True,
        capture_output=True,
        text=True,
    )
    print(f"diagnose: {result.stdout.strip()}")


if __name__ == "__main__":
    main()
