from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data"

ACTIVITIES_HEADER = "rep_id,date,start,end,activity,customer_id"
CUSTOMERS_CSV = (
    "customer_id,name,lat,lon,channel,route_id\n"
    "C1,Store one,34.75,113.66,convenience,R1\n"
    "C2,Store two,34.76,113.67,KA,R1\n"
)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def folder(tmp_path: Path):
    """Write activities (body lines after the header) and a customers file into a folder."""

    def make(*lines: str, header: str = ACTIVITIES_HEADER, encoding: str = "utf-8") -> Path:
        write(tmp_path / "activities.csv", "\n".join([header, *lines]) + "\n", encoding)
        write(tmp_path / "customers.csv", CUSTOMERS_CSV)
        return tmp_path

    return make


def timeline(*days: tuple[str, str, list[tuple]]):
    """Canonical activities from (rep_id, date, [(start, end, activity, customer_id), ...])."""
    import pandas as pd

    rows = []
    for rep, date, items in days:
        d = pd.Timestamp(date)
        for start, end, activity, customer in items:
            s = d + pd.Timedelta(start + ":00")
            e = d + pd.Timedelta(end + ":00")
            if e < s:
                e += pd.Timedelta(days=1)
            rows.append((rep, d, s, e, activity, customer))
    frame = pd.DataFrame(
        rows, columns=["rep_id", "date", "start", "end", "activity", "customer_id"]
    )
    frame["customer_id"] = frame["customer_id"].astype("str")
    frame["row"] = range(2, len(frame) + 2)
    return frame
