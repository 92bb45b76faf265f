"""The per-rep work on a Dask cluster: time allocation by partition, rep-days as tasks.

Every rep-day is independent of every other, so the work splits by rep: the activities are
shuffled so that each rep's rows sit in one partition (a Dask DataFrame grouped by
``rep_id``), each partition is allocated by :func:`tts.time_use.allocate_time`, and the parts
are put back in the order the local path gives, so the results are equal, not just close.
The route optimiser sends its rep-days to the workers as tasks.

Dask is an optional extra (``pip install 'tts[dask]'``); ``import tts`` works without it.
Point it at a real cluster by passing ``Client("tcp://scheduler:8786")``; the workers need the
same version of tts installed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._exceptions import InputError
from ._options import one_of
from .standards import Standards
from .time_use import TimeAllocation, allocate_time

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["ENGINES", "allocate_time_dask", "check_engine", "get_client", "require_dask"]

#: The engines ``diagnose`` and ``optimize_routes`` accept.
ENGINES = ("local", "dask")

_MISSING = (
    "The Dask engine needs the optional extra: pip install 'tts[dask]' "
    "(dask[distributed]); without it use engine='local'."
)


def require_dask() -> None:
    """Raise ``ImportError`` with the install line when dask or distributed is missing."""
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise ImportError(_MISSING) from exc


def get_client(client: Client | None) -> Client:
    """``client``, else the running Dask client; raise :class:`tts.InputError` when there is
    none.
    """
    require_dask()
    if client is not None:
        return client
    from distributed import get_client as running

    try:
        return running()
    except ValueError as exc:
        raise InputError(
            "engine='dask' needs a running dask.distributed Client: "
            "from dask.distributed import Client; client = Client() for a cluster on this "
            "machine, or Client('tcp://scheduler:8786') for a real one; then pass client=client."
        ) from exc


def check_engine(engine: str, client: object | None) -> bool:
    """Whether to use Dask; raise :class:`tts.InputError` for an unknown engine."""
    one_of("diagnose and optimize_routes", "engine", engine, ENGINES)
    return engine == "dask" or client is not None


def _allocate(part: pd.DataFrame, standards: Standards, reps: pd.DataFrame | None) -> Any:
    t = allocate_time(part, standards=standards, reps=reps)
    return t.per_day, t.stops


def allocate_time_dask(
    activities: pd.DataFrame | str | Path,
    *,
    standards: Standards | None = None,
    reps: pd.DataFrame | None = None,
    client: Client | None = None,
    npartitions: int | None = None,
) -> TimeAllocation:
    """:func:`tts.time_use.allocate_time` run on a Dask cluster, with the same result.

    Parameters
    ----------
    activities : pandas.DataFrame, or path to Parquet
        Canonical activities, in memory or as a Parquet file or folder (read by the workers,
        only the columns the allocation needs).
    standards : Standards, optional
        As for :func:`allocate_time`.
    reps : pandas.DataFrame, optional
        Canonical reps, for the region of each rep.
    client : distributed.Client, optional
        Default: the running client.
    npartitions : int, optional
        Partitions of an in-memory table; default two per worker thread.

    Returns
    -------
    TimeAllocation
        Equal to the local result: rep-days ordered by rep and date, visits by rep, date and
        order in the day.
    """
    client = get_client(client)
    import dask
    import dask.dataframe as dd

    standards = standards or Standards()
    if isinstance(activities, (str, Path)):
        columns = ["rep_id", "date", "start", "end", "activity", "customer_id"]
        import pyarrow.parquet as pq

        present = set(pq.read_schema(activities).names)  # the schema only, not the data
        columns += [c for c in ("route_id", "row") if c in present]
        frame = dd.read_parquet(str(activities), columns=columns)
    else:
        if npartitions is None:
            threads = sum(client.nthreads().values()) or 1
            npartitions = max(1, min(2 * threads, len(activities) // 1_000 or 1))
        frame = dd.from_pandas(activities, npartitions=npartitions, sort=False)
    by_rep = frame.shuffle(on="rep_id") if frame.npartitions > 1 else frame
    tasks = [dask.delayed(_allocate)(p, standards, reps) for p in by_rep.to_delayed()]
    parts = [p for p in client.gather(client.compute(tasks)) if len(p[0])]
    if not parts:
        return allocate_time(
            activities.head(0) if isinstance(activities, pd.DataFrame) else frame.head(0),
            standards=standards,
            reps=reps,
        )
    per_day = pd.concat([p[0] for p in parts], ignore_index=True)
    stops = pd.concat([p[1] for p in parts], ignore_index=True)
    per_day = per_day.sort_values(["rep_id", "date"], kind="stable", ignore_index=True)
    stops = stops.sort_values(["rep_id", "date", "seq"], kind="stable", ignore_index=True)
    # each part's tables hold only its reps' ids: the whole table's, sorted, as locally
    for frame, c in ((per_day, "rep_id"), (stops, "rep_id"), (stops, "customer_id")):
        code, names = pd.factorize(frame[c].astype("str"), sort=True)
        frame[c] = pd.Categorical.from_codes(code, dtype=pd.CategoricalDtype(names.astype("str")))
    return TimeAllocation(per_day, stops, standards)
