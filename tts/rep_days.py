"""Activity rows grouped into rep-days and put in day order, computed once per table.

The time allocation and three audit checks all need the activities sorted by rep, date, start
and end. Sorting ten million rows is the most expensive step of a diagnosis, so it happens
once: :func:`rep_days` returns the codes and the order, and :func:`tts.time_use.allocate_time`
hands them to the audit through its result.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from .schema import ACTIVITY_CODES

__all__ = ["RepDays", "day_order", "day_starts", "rep_day_key", "rep_days", "running_max"]

#: Bits of start and end in the packed sort key: seconds after the row's date, shifted to
#: start at 0 (a window of 2**18 s, three days); the rep-day code takes the bits above.
_OFFSET_BITS = 18


@dataclass(frozen=True, eq=False)
class RepDays:
    """Codes and day order of an activity table's rows.

    Attributes
    ----------
    source : pandas.DataFrame
        The table these codes describe (the same object, not a copy).
    rep_code, date_code : numpy.ndarray
        Per row in table order: index into ``rep_names`` (sorted) and ``date_values``
        (sorted).
    rep_names : numpy.ndarray
    date_values : pandas.DatetimeIndex
    key : numpy.ndarray
        Per row: the rep-day code, ``rep_code × len(date_values) + date_code`` (int64);
        sorting by it sorts by rep, then date.
    start, end : numpy.ndarray
        Per row: start and end in whole seconds since the epoch (int64).
    order : numpy.ndarray
        The permutation that sorts the rows by rep-day, start, end (ties keep table order).
    activity_code : numpy.ndarray
        Per row: index into :data:`tts.schema.ACTIVITY_CODES` (-1 for none).
    customer_code, customer_names : numpy.ndarray
        Per row: index into ``customer_names`` (-1 for none), in order of appearance.
    """

    source: pd.DataFrame
    rep_code: np.ndarray
    rep_names: np.ndarray
    date_code: np.ndarray
    date_values: pd.DatetimeIndex
    key: np.ndarray
    start: np.ndarray
    end: np.ndarray
    order: np.ndarray
    activity_code: np.ndarray
    customer_code: np.ndarray
    customer_names: pd.Index

    def describes(self, frame: pd.DataFrame) -> bool:
        """Whether these codes were computed from ``frame`` (the same object, same length)."""
        return self.source is frame and len(self.key) == len(frame)

    # The rows in day order, gathered once for the allocation and the audit's checks.

    @cached_property
    def sorted_start(self) -> np.ndarray:
        """``start`` in day order, seconds."""
        return _frozen(self.start[self.order])

    @cached_property
    def sorted_end(self) -> np.ndarray:
        """``end`` in day order, seconds."""
        return _frozen(self.end[self.order])

    @cached_property
    def new_day(self) -> np.ndarray:
        """In day order: True where a row opens a rep-day (:func:`day_starts`)."""
        return _frozen(day_starts(self.key[self.order]))

    @cached_property
    def day(self) -> np.ndarray:
        """In day order: each row's rep-day, 0, 1, … in day order."""
        return _frozen(np.cumsum(self.new_day) - 1)

    @cached_property
    def first(self) -> np.ndarray:
        """Position (in day order) of each rep-day's first row."""
        return _frozen(np.flatnonzero(self.new_day))

    @cached_property
    def sorted_activity(self) -> np.ndarray:
        """``activity_code`` in day order."""
        return _frozen(self.activity_code[self.order])

    @cached_property
    def sorted_customer(self) -> np.ndarray:
        """``customer_code`` in day order."""
        return _frozen(self.customer_code[self.order])

    @cached_property
    def running_end(self) -> np.ndarray:
        """In day order: the latest end of the rows of its day up to each row, seconds."""
        return _frozen(running_max(self.sorted_end, self.day))


def _frozen(a: np.ndarray) -> np.ndarray:
    """``a``, read-only: shared arrays must not be changed by one of their users."""
    a.setflags(write=False)
    return a


def _seconds(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype="datetime64[ns]").astype("int64") // 1_000_000_000


def rep_day_key(
    rep_id: pd.Series, date: pd.Series
) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Index, np.ndarray]:
    """One integer per rep-day, ordered as (rep, date): the only definition of a rep-day.

    Parameters
    ----------
    rep_id, date : pandas.Series
        Per row, its rep and its calendar day.

    Returns
    -------
    key : numpy.ndarray
        ``rep_code × len(dates) + date_code`` (int64); sorting by it sorts by rep, then date.
    rep_code, date_code : numpy.ndarray
        Per row: index into ``reps`` and ``dates``.
    reps : numpy.ndarray
        The distinct reps, sorted.
    dates : pandas.DatetimeIndex
        The distinct dates, sorted.

    Examples
    --------
    >>> d = pd.to_datetime(["2026-03-03", "2026-03-02", "2026-03-03"])
    >>> rep_day_key(pd.Series(["b", "a", "a"]), pd.Series(d))[0].tolist()
    [3, 0, 1]
    """
    rep_code, reps = pd.factorize(rep_id, sort=True)
    date_code, dates = pd.factorize(date, sort=True)
    key = rep_code.astype(np.int64) * max(len(dates), 1) + date_code
    return key, rep_code, date_code, pd.Index(dates), np.asarray(reps)


def day_starts(key: np.ndarray) -> np.ndarray:
    """For rows in day order, True where a row opens a new rep-day (its key changes).

    >>> day_starts(np.array([4, 4, 7, 7, 7, 9])).tolist()
    [True, False, True, False, False, True]
    """
    key = np.asarray(key)
    out = np.ones(len(key), dtype=bool)
    out[1:] = key[1:] != key[:-1]
    return out


def running_max(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Running maximum of ``values`` within each run of equal, ascending ``group`` codes.

    Each group is lifted above every earlier one so that one cumulative maximum over the whole
    array never carries a value across groups.

    >>> running_max(np.array([5, 3, 9, 1, 2]), np.array([0, 0, 0, 1, 1])).tolist()
    [5, 5, 9, 1, 2]
    """
    if len(values) == 0:
        return values.copy()
    lo = int(values.min())
    step = np.int64(int(values.max()) - lo + 1)
    lifted = (values - lo) + group.astype(np.int64) * step
    return np.maximum.accumulate(lifted) - group.astype(np.int64) * step + lo


def day_order(
    key: np.ndarray, start: np.ndarray, end: np.ndarray, day0: np.ndarray | None = None
) -> np.ndarray:
    """The stable permutation sorting rows by ``key``, then ``start``, then ``end``.

    Logs usually arrive in day order already: that is checked in one pass and costs no sort.
    Otherwise, when ``day0`` (each row's day, in the unit of the times) brings the times
    within a window of 2**18, the three keys are packed into one int64 and sorted by a stable
    sort that is adaptive to runs already in order; else they are sorted lexicographically.

    Examples
    --------
    >>> day_order(np.array([1, 0, 0]), np.array([5, 9, 3]), np.array([6, 10, 4])).tolist()
    [2, 1, 0]
    >>> day_order(np.array([1, 0, 0]), np.array([5, 9, 3]), np.array([6, 10, 4]),
    ...           day0=np.zeros(3, dtype=np.int64)).tolist()
    [2, 1, 0]
    """
    n = len(key)
    if n < 2:
        return np.arange(n)
    runs = _run_order(key, start, end)
    if runs is not None:
        return runs
    if day0 is not None:
        s_off, e_off = start - day0, end - day0
        lo = min(int(s_off.min()), int(e_off.min()))
        span = max(int(s_off.max()), int(e_off.max())) - lo
        if span < (1 << _OFFSET_BITS) and int(key.max()) < (1 << (62 - 2 * _OFFSET_BITS)):
            packed = key.astype(np.int64) << (2 * _OFFSET_BITS)
            packed |= (s_off - lo) << _OFFSET_BITS
            packed |= e_off - lo
            return np.argsort(packed, kind="stable")
    return np.lexsort((end, start, key))


def _run_order(key: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray | None:
    """The day order without a sort when each rep-day's rows are contiguous and in order.

    Logs arrive grouped by rep and day, in time order within the day, but their reps are
    rarely in the sorted order of the codes: then sorting the runs of equal ``key`` (one per
    rep-day, a few hundred thousand) and laying their rows end to end gives the stable sort
    by key, start and end. None when a rep-day is split or its rows are out of order.
    """
    n = len(key)
    new_run = np.empty(n, dtype=bool)
    new_run[0] = True
    np.not_equal(key[1:], key[:-1], out=new_run[1:])
    s0, s1, e0, e1 = start[:-1], start[1:], end[:-1], end[1:]
    in_order = (s1 > s0) | ((s1 == s0) & (e1 >= e0))
    if not (in_order | new_run[1:]).all():
        return None
    run_start = np.flatnonzero(new_run)
    run_key = key[run_start]
    if (run_key[1:] > run_key[:-1]).all():
        return np.arange(n)
    by_key = np.argsort(run_key, kind="stable")
    if not (np.diff(run_key[by_key]) > 0).all():  # a rep-day split into several runs
        return None
    length = np.diff(np.r_[run_start, n])[by_key]
    offset = np.cumsum(length) - length  # where each run lands in the order
    return np.repeat(run_start[by_key] - offset, length) + np.arange(n)


def rep_days(activities: pd.DataFrame) -> RepDays:
    """Group an activity table's rows into rep-days and find their day order.

    Parameters
    ----------
    activities : pandas.DataFrame
        Canonical activities (``rep_id``, ``date``, ``start``, ``end``; ``activity`` and
        ``customer_id`` when there are).

    Returns
    -------
    RepDays
    """
    key, rep_code, date_code, date_values, rep_names = rep_day_key(
        activities["rep_id"], activities["date"]
    )
    start = _seconds(activities["start"])
    end = _seconds(activities["end"])
    if "customer_id" in activities:
        customer_code, customer_names = pd.factorize(activities["customer_id"])
    else:
        customer_code, customer_names = np.full(len(key), -1), pd.Index([], dtype="str")
    activity = pd.Categorical(
        activities["activity"] if "activity" in activities else np.full(len(key), np.nan),
        categories=list(ACTIVITY_CODES),
    )
    return RepDays(
        source=activities,
        rep_code=rep_code,
        rep_names=rep_names,
        date_code=date_code,
        date_values=pd.DatetimeIndex(date_values),
        key=key,
        start=start,
        end=end,
        order=day_order(key, start, end, day0=_seconds(activities["date"])),
        activity_code=activity.codes.astype(np.int64),
        customer_code=customer_code,
        customer_names=pd.Index(customer_names, dtype="str"),
    )
