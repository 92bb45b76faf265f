"""The Dask engine gives exactly the local results, on a local cluster of two workers."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import tts
from tts.cluster import allocate_time_dask
from tts.time_use import allocate_time

from .conftest import SAMPLE


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def ds():
    return tts.load_dataset(SAMPLE)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_exact=True)


def test_diagnose_on_dask_equals_local(ds, client):
    local = tts.diagnose(ds)
    remote = tts.diagnose(ds, client=client)
    _same(local.time.per_day, remote.time.per_day)
    _same(local.time.stops, remote.time.stops)
    _same(local.comparison.table, remote.comparison.table)
    _same(local.capacity.table, remote.capacity.table)
    _same(local.audit.flags, remote.audit.flags)
    _same(local.audit.trust, remote.audit.trust)
    _same(local.findings, remote.findings)


def test_shuffled_rows_in_many_partitions(ds, client):
    a = ds.activities.sample(frac=1.0, random_state=3)  # rows out of order, reps interleaved
    local = allocate_time(a, reps=ds.reps)
    remote = allocate_time_dask(a, reps=ds.reps, client=client, npartitions=5)
    _same(local.per_day, remote.per_day)
    _same(local.stops, remote.stops)


def test_partitions_read_from_parquet(ds, client, tmp_path):
    path = tmp_path / "activities.parquet"
    ds.activities.to_parquet(path, index=False)
    local = allocate_time(pd.read_parquet(path))
    remote = allocate_time_dask(path, client=client)
    _same(local.per_day, remote.per_day)
    _same(local.stops, remote.stops)


def test_optimize_routes_on_dask_equals_local(ds, client):
    one = ds.activities["rep_id"] == "REP05"
    small = tts.load_dataset(
        activities=ds.activities[one].drop(columns="row").head(160),
        customers=ds.customers.drop(columns="row"),
    )
    local = tts.optimize_routes(small, workers=1)
    remote = tts.optimize_routes(small, engine="dask", client=client)
    _same(local.days, remote.days)
    _same(local.visits, remote.visits)


def test_unknown_engine_is_refused(ds):
    with pytest.raises(tts.InputError, match="engine.* must be one of"):
        tts.diagnose(ds, engine="spark")


def test_dask_engine_without_a_client_says_how_to_start_one(ds, monkeypatch):
    import distributed

    def no_client():
        raise ValueError("No clients found")

    monkeypatch.setattr(distributed, "get_client", no_client)
    with pytest.raises(ValueError, match=r"needs a running dask.distributed Client"):
        tts.diagnose(ds, engine="dask")


def test_without_the_extra_tts_imports_and_the_engine_says_what_to_install(tmp_path):
    code = (
        "import sys\n"
        "for name in ('dask', 'dask.dataframe', 'distributed'):\n"
        "    sys.modules[name] = None\n"
        "import tts\n"
        f"ds = tts.load_dataset({str(SAMPLE)!r})\n"
        "tts.diagnose(ds)\n"
        "try:\n"
        "    tts.diagnose(ds, engine='dask')\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'tts[dask]'" in out.stdout
