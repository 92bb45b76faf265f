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

from .rep_day_kernels import (
    overlap_seconds,
    rep_date_runs,
    runs_in_order,
    runs_laid_out,
    seconds_in_order,
)
from .schema import ACTIVITY_CODES

__all__ = ["RepDays", "codes", "day_order", "day_starts", "rep_day_key", "rep_days"]

#: Bits of start and end in the packed sort key: seconds after the row's date, shifted to
#: start at 0 (a window of 2**18 s, three days); the rep-day code takes the bits above.
_OFFSET_BITS = 18


@dataclass(frozen=True, eq=False)
class RepDays:
    """Rep-day codes and day order of an activity table's rows.

    Only the rows in day order are kept (the arrays the allocation and the audit read), with
    the smallest integer types that hold them: at 10⁷ rows a table-order copy of every array
    would cost another gigabyte.

    Attributes
    ----------
    source : pandas.DataFrame
        The table these codes describe (the same object, not a copy).
    rep_names : numpy.ndarray
        The distinct reps, sorted.
    date_values : pandas.DatetimeIndex
        The distinct dates, sorted.
    customer_names : pandas.Index
        The distinct customers (str).
    order : numpy.ndarray
        The permutation that sorts the rows by rep-day, start, end (ties keep table order).
    sorted_start, sorted_end : numpy.ndarray
        In day order: start and end in whole seconds since the epoch (int64).
    sorted_activity : numpy.ndarray
        In day order: index into :data:`tts.schema.ACTIVITY_CODES` (int8; -1 for none).
    sorted_customer : numpy.ndarray
        In day order: index into ``customer_names`` (int32; -1 for none).
    new_day : numpy.ndarray
        In day order: True where a row opens a rep-day (:func:`day_starts`).
    first : numpy.ndarray
        Position (in day order) of each rep-day's first row.
    day_rep, day_date : numpy.ndarray
        Per rep-day (in day order): index into ``rep_names`` and ``date_values`` (int32).
    """

    source: pd.DataFrame
    rep_names: np.ndarray
    date_values: pd.DatetimeIndex
    customer_names: pd.Index
    order: np.ndarray
    sorted_start: np.ndarray
    sorted_end: np.ndarray
    sorted_activity: np.ndarray
    sorted_customer: np.ndarray
    new_day: np.ndarray
    first: np.ndarray
    day_rep: np.ndarray
    day_date: np.ndarray

    def __post_init__(self) -> None:
        for a in (self.order, self.sorted_start, self.sorted_end, self.sorted_activity):
            a.setflags(write=False)  # shared by the allocation and the audit's checks
        for a in (self.sorted_customer, self.new_day, self.first, self.day_rep, self.day_date):
            a.setflags(write=False)

    def describes(self, frame: pd.DataFrame) -> bool:
        """Whether these codes were computed from ``frame`` (the same object, same length)."""
        return self.source is frame and len(self.order) == len(frame)

    @cached_property
    def day(self) -> np.ndarray:
        """In day order: each row's rep-day, 0, 1, … in day order (int32 below 2**31 days)."""
        d = np.cumsum(self.new_day, dtype=np.int64) - 1
        return _frozen(d.astype(np.int32) if len(self.first) < 2**31 else d)

    @cached_property
    def bounds(self) -> np.ndarray:
        """Position (in day order) of each rep-day's first row, then the number of rows
        (int64, length days + 1): the form the compiled per-day walks take.
        """
        return _frozen(np.append(self.first, len(self.order)).astype(np.int64))

    @cached_property
    def overlap_s(self) -> np.ndarray:
        """In day order: the seconds by which each row starts before the latest end of the
        earlier rows of its day (0 when it starts after they all ended; int32).
        """
        return _frozen(overlap_seconds(self.sorted_start, self.sorted_end, self.bounds))

    @cached_property
    def rep_code(self) -> np.ndarray:
        """Per row in table order: index into ``rep_names`` (int32)."""
        out = np.empty(len(self.order), dtype=np.int32)
        out[self.order] = self.day_rep[self.day]
        return _frozen(out)


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
    rep_code, reps = codes(rep_id, sort=True)
    date_code, dates = pd.factorize(date, sort=True)
    key = rep_code.astype(np.int64) * max(len(dates), 1) + date_code
    return key, rep_code, date_code, pd.Index(dates), np.asarray(reps)


def codes(values: pd.Series, *, sort: bool = False) -> tuple[np.ndarray, pd.Index]:
    """Codes of a column's values (-1 where missing) and the distinct values they index.

    A categorical column (ids as the loader gives them) is read from its codes without hashing
    a value; categories no row holds are dropped, so the distinct values are those present.
    Anything else is factorised. With ``sort`` the distinct values are in ascending order.

    >>> c, u = codes(pd.Series(["b", "a", None, "b"], dtype="category"), sort=True)
    >>> c.tolist(), list(u)
    ([1, 0, -1, 1], ['a', 'b'])
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        cat = values.array
        categories: pd.Index = cat.categories  # type: ignore[attr-defined]
        code = np.asarray(cat.codes)  # type: ignore[attr-defined]
        if not sort or categories.is_monotonic_increasing:
            used = np.bincount(code + 1, minlength=len(categories) + 1)[1:] > 0
            if used.all():
                return code, categories
            remap = np.append(np.where(used, np.cumsum(used) - 1, -1), -1).astype(code.dtype)
            return remap[code], categories[used]
    code, uniques = pd.factorize(values, sort=sort)
    small = code.astype(np.int32) if len(uniques) < 2**31 else code
    return small, pd.Index(uniques)


def day_starts(key: np.ndarray) -> np.ndarray:
    """For rows in day order, True where a row opens a new rep-day (its key changes).

    >>> day_starts(np.array([4, 4, 7, 7, 7, 9])).tolist()
    [True, False, True, False, False, True]
    """
    key = np.asarray(key)
    out = np.ones(len(key), dtype=bool)
    out[1:] = key[1:] != key[:-1]
    return out


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
    return _day_order(key, start, end, day0)[0]


def _day_order(
    key: np.ndarray, start: np.ndarray, end: np.ndarray, day0: np.ndarray | None
) -> tuple[np.ndarray, bool]:
    """:func:`day_order`, and whether it is the identity (the rows already in day order)."""
    n = len(key)
    if n < 2:
        return np.arange(n), True
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
            return np.argsort(packed, kind="stable"), False
    return np.lexsort((end, start, key)), False


def _run_order(
    key: np.ndarray, start: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, bool] | None:
    """The day order without a sort when each rep-day's rows are contiguous and in order.

    Logs arrive grouped by rep and day, in time order within the day, but their reps are
    rarely in the sorted order of the codes: then sorting the runs of equal ``key`` (one per
    rep-day, a few hundred thousand) and laying their rows end to end gives the stable sort
    by key, start and end. None when a rep-day is split or its rows are out of order.
    """
    n = len(key)
    new_run = np.empty(n, dtype=bool)
    if not runs_in_order(key, start, end, new_run):
        return None
    run_start = np.flatnonzero(new_run)
    run_key = key[run_start]
    if (run_key[1:] > run_key[:-1]).all():
        return np.arange(n), True
    by_key = np.argsort(run_key, kind="stable")
    if not (np.diff(run_key[by_key]) > 0).all():  # a rep-day split into several runs
        return None
    length = np.diff(np.r_[run_start, n])[by_key]
    return runs_laid_out(run_start[by_key], length, n), False


def _nanoseconds(s: pd.Series) -> np.ndarray:
    """A datetime column as int64 nanoseconds since the epoch (no copy when already ns)."""
    return s.to_numpy(dtype="datetime64[ns]").view(np.int64)


def _runs_fast(
    activities: pd.DataFrame,
) -> tuple[np.ndarray, bool, np.ndarray, np.ndarray, np.ndarray, pd.Index, np.ndarray] | None:
    """The day order of a log whose rep-days are contiguous runs in time order, found without
    a per-row key: runs are detected on the rep codes and dates, and only the runs (a few
    hundred thousand) are coded and sorted.

    Returns the order, whether it is the identity, the day-order starts of the rep-days, their
    rep and date codes, the dates and the reps; None when a rep-day is split or out of
    order, or a date is missing (then :func:`rep_days` sorts every row).
    """
    n = len(activities)
    if n < 2:
        return None
    rep = activities["rep_id"]
    if isinstance(rep.dtype, pd.CategoricalDtype) and rep.cat.categories.is_monotonic_increasing:
        # the loader's ids: the codes as they are; the reps present are found from the runs
        rep_code, rep_names = np.asarray(rep.array.codes), rep.cat.categories  # type: ignore[attr-defined]
        present = True
    else:
        rep_code, rep_names = codes(rep, sort=True)
        present = False
    date = _nanoseconds(activities["date"])
    start = _nanoseconds(activities["start"])
    end = _nanoseconds(activities["end"])
    new_run = np.empty(n, dtype=bool)
    if not rep_date_runs(rep_code, date, start, end, new_run):
        return None
    run_start = np.flatnonzero(new_run)
    del new_run
    run_rep = rep_code[run_start]
    if present:  # drop the categories no row holds, as :func:`codes` does
        used = np.bincount(run_rep + 1, minlength=len(rep_names) + 1)[1:] > 0
        if not used.all():
            run_rep = np.append(np.where(used, np.cumsum(used) - 1, -1), -1)[run_rep]
            rep_names = rep_names[used]
    run_date = date[run_start]
    if (run_date == np.iinfo(np.int64).min).any():  # NaT
        return None
    run_date_code, dates = pd.factorize(run_date, sort=True)
    run_key = run_rep.astype(np.int64) * len(dates) + run_date_code
    length = np.diff(np.r_[run_start, n])
    if (run_key[1:] > run_key[:-1]).all():
        order, identity, by_key = np.arange(n), True, np.arange(len(run_key))
    else:
        by_key = np.argsort(run_key, kind="stable")
        if not (np.diff(run_key[by_key]) > 0).all():  # a rep-day split into several runs
            return None
        length = length[by_key]
        order = runs_laid_out(run_start[by_key], length, n)
        identity = False
    first = np.cumsum(length) - length
    day_rep = run_rep[by_key].astype(np.int32)
    day_date = run_date_code[by_key].astype(np.int32)
    values = pd.DatetimeIndex(dates.astype("datetime64[ns]"))
    unit = getattr(activities["date"].dtype, "unit", "ns")
    if unit != "ns":  # the dates in the column's own unit, as a factorisation gives them
        values = values.as_unit(unit)
    return order, identity, first, day_rep, day_date, values, np.asarray(rep_names)


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
    fast = _runs_fast(activities)
    if fast is not None:
        order, identity, first, day_rep, day_date, date_values, rep_names = fast
        new_day = np.zeros(len(order), dtype=bool)
        new_day[first] = True
        if identity:
            sorted_start = _seconds(activities["start"])
            sorted_end = _seconds(activities["end"])
        else:
            sorted_start = seconds_in_order(_nanoseconds(activities["start"]), order)
            sorted_end = seconds_in_order(_nanoseconds(activities["end"]), order)
    else:
        key, rep_code, date_code, date_values, rep_names = rep_day_key(
            activities["rep_id"], activities["date"]
        )
        start = _seconds(activities["start"])
        end = _seconds(activities["end"])
        order, identity = _day_order(key, start, end, _seconds(activities["date"]))
        new_day = day_starts(key if identity else key[order])
        del key
        first = np.flatnonzero(new_day)
        first_row = order[first]
        day_rep = rep_code[first_row].astype(np.int32)
        day_date = date_code[first_row].astype(np.int32)
        del rep_code, date_code
        sorted_start = start if identity else start[order]
        sorted_end = end if identity else end[order]
        del start, end

    def in_day_order(a: np.ndarray) -> np.ndarray:
        return a if identity else a[order]

    if "customer_id" in activities:
        customer_code, customer_names = codes(activities["customer_id"])
        sorted_customer = in_day_order(customer_code.astype(np.int32, copy=False))
    else:
        sorted_customer = np.full(len(order), -1, dtype=np.int32)
        customer_names = pd.Index([], dtype="str")
    if "activity" in activities:
        activity = pd.Categorical(activities["activity"], categories=list(ACTIVITY_CODES))
        sorted_activity = in_day_order(activity.codes.astype(np.int8, copy=False))
    else:
        sorted_activity = np.full(len(order), -1, dtype=np.int8)
    return RepDays(
        source=activities,
        rep_names=rep_names,
        date_values=pd.DatetimeIndex(date_values),
        customer_names=pd.Index(customer_names, dtype="str"),
        order=order,
        sorted_start=sorted_start,
        sorted_end=sorted_end,
        sorted_activity=sorted_activity,
        sorted_customer=sorted_customer,
        new_day=new_day,
        first=first,
        day_rep=day_rep,
        day_date=day_date,
    )
