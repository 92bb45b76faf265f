"""Data audit: can the route activity survey be trusted before anything is concluded from it?

Each check is a function that returns a boolean mask where True always means *suspicious*,
aligned with the frame it was given, with its thresholds as keyword arguments named with
their units. :func:`audit` runs them all and gathers what they flag into one long table, and
scores every rep's data from 0 (every item suspicious) to 100 (nothing suspicious).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ._options import has_columns, in_range, instance_of
from .audit_kernels import (
    copied_flags,
    day_rows,
    heaped_rows,
    impossible_speed,
    repeated_days,
    round_counts,
)
from .catalogue import KINDS
from .gps import track_presence
from .legs import leg_distances_m, same_day_as_previous
from .method import Method
from .rep_day_kernels import day_signatures
from .rep_days import RepDays, rep_days
from .stop_codes import StopCodes
from .time_use import TimeAllocation

__all__ = [
    "CHECKS",
    "Audit",
    "audit",
    "checkin_offsets",
    "flag_checkin_not_at_store",
    "flag_copied_days",
    "flag_impossible_speed",
    "flag_long_visits",
    "flag_overlaps",
    "flag_round_heaping",
    "flag_short_days",
    "flag_unaccounted_time",
    "flag_zero_visits",
    "missing_days",
]

#: The audit's checks, in the order they run: their words, unit, severity and trust-score
#: weight are in the findings catalogue.
CHECKS: tuple[str, ...] = tuple(
    k.key for k in KINDS.values() if k.area == "audit" and k.message is not None
)


#: An hour in the units of datetime64, as numpy converts it to divide a time difference.
_HOUR = {"s": 3600.0, "ms": 3.6e6, "us": 3.6e9, "ns": 3.6e12}


def _index(frame: pd.DataFrame, index: RepDays | None) -> RepDays:
    """The rep-day codes and day order of ``frame``: ``index`` when it describes it."""
    return index if index is not None and index.describes(frame) else rep_days(frame)


def flag_overlaps(
    activities: pd.DataFrame, *, tolerance_min: float = 0.0, index: RepDays | None = None
) -> pd.Series:
    """Activities that start before an earlier activity of the same rep-day has ended.

    Parameters
    ----------
    activities : pandas.DataFrame
        Canonical activities.
    tolerance_min : float
        Overlap ignored, minutes.
    index : RepDays, optional
        The table's rep-day codes and order when already computed (see
        :func:`tts.rep_days.rep_days`).

    Returns
    -------
    pandas.Series
        True for the later of two overlapping activities; index of ``activities``.

    Examples
    --------
    >>> t = pd.Timestamp("2026-03-02")
    >>> a = pd.DataFrame({"rep_id": ["r1"] * 3, "date": [t] * 3,
    ...     "start": t + pd.to_timedelta(["08:00:00", "08:20:00", "08:40:00"]),
    ...     "end": t + pd.to_timedelta(["08:30:00", "08:40:00", "08:50:00"])})
    >>> flag_overlaps(a).tolist()
    [False, True, False]
    """
    ix = _index(activities, index)
    order = ix.order
    sorted_mask = ix.overlap_s > tolerance_min * 60
    mask = np.empty(len(order), dtype=bool)
    mask[order] = sorted_mask
    return pd.Series(mask, index=activities.index)


def flag_zero_visits(stops: pd.DataFrame, *, min_visit_min: float = 1.0) -> pd.Series:
    """Store visits shorter than ``min_visit_min`` minutes."""
    return stops["visit_min"] < min_visit_min


def flag_long_visits(stops: pd.DataFrame, *, max_visit_min: float = 120.0) -> pd.Series:
    """Store visits longer than ``max_visit_min`` minutes."""
    return stops["visit_min"] > max_visit_min


def flag_impossible_speed(
    stops: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    max_speed_kmh: float = 80.0,
    min_distance_m: float = 300.0,
    codes: StopCodes | None = None,
) -> pd.Series:
    """Visits reached from the previous store faster than a van can drive.

    The speed is the great-circle distance between the two stores divided by the time from
    the end of one visit to the start of the next; a jump of more than ``min_distance_m``
    metres with no time between the visits is impossible too.

    Parameters
    ----------
    stops : pandas.DataFrame
        Store visits (``TimeAllocation.stops``), in day order.
    customers : pandas.DataFrame
        Canonical customers with ``lat``, ``lon`` (degrees).
    max_speed_kmh : float
        Fastest plausible average speed between stores, km/h.
    min_distance_m : float
        Distances below this are never flagged, metres (GPS noise, neighbouring shops).
    codes : StopCodes, optional
        The stops' codes (``TimeAllocation.codes``): the leg distances computed once for
        every analysis.

    Returns
    -------
    pandas.Series
        True for the visit that was reached impossibly fast; index of ``stops``.
    """
    same_day = same_day_as_previous(stops, codes=codes)
    dist = leg_distances_m(stops, customers, codes=codes)
    start, end = stops["start"].to_numpy(), stops["end"].to_numpy()
    unit = np.datetime_data(start.dtype)[0] if start.dtype.kind == "M" else ""
    if unit in _HOUR and start.dtype == end.dtype and len(stops):
        # one compiled pass, the formula below operation for operation: gap_h is the
        # difference in the times' unit divided by an hour in that unit, as numpy divides
        hour = _HOUR[unit]
        flagged = impossible_speed(
            dist,
            start.view(np.int64),
            end.view(np.int64),
            same_day,
            hour,
            float(max_speed_kmh),
            float(min_distance_m),
        )
        return pd.Series(flagged, index=stops.index)
    gap_h = np.r_[np.nan, (start[1:] - end[:-1]) / np.timedelta64(1, "h")]
    far = dist > min_distance_m
    too_fast = (gap_h <= 0) | (dist / 1000.0 > max_speed_kmh * gap_h)
    return pd.Series(same_day & far & too_fast, index=stops.index)


def flag_checkin_not_at_store(
    presence: pd.DataFrame | None = None,
    *,
    offset_m: pd.Series | None = None,
    radius_m: float = 300.0,
    min_presence_share: float = 0.5,
    min_coverage_share: float = 0.5,
) -> pd.Series:
    """Logged visits the rep's position contradicts: checked in, then not at the store.

    One check, fed by whichever evidence the data has: the GPS track (the rep within
    ``radius_m`` of the store for less than ``min_presence_share`` of the claimed minutes,
    judged only where the track covers at least ``min_coverage_share`` of them), and the
    check-in's own distance from the store that field-sales systems export (beyond
    ``radius_m``).

    Parameters
    ----------
    presence : pandas.DataFrame, optional
        Per logged visit, from :func:`tts.gps.track_presence`: ``claimed_min``,
        ``covered_min``, ``present_min`` (minutes), ``presence_share`` (0–1). Without it
        (no track), only ``offset_m`` judges.
    offset_m : pandas.Series, optional
        The check-in's distance from the store as the system recorded it, metres; index of
        ``presence`` (NaN: not recorded, not judged). One of the two is needed.
    radius_m : float
        A check-in or a position farther than this from the store is not at it, metres.
    min_presence_share : float
        Share of the claimed minutes the track must show at the store (0–1).
    min_coverage_share : float
        Share of the claimed minutes the track must cover to be judged (0–1).

    Returns
    -------
    pandas.Series
        True for a contradicted visit; index of ``presence``.

    Examples
    --------
    >>> p = pd.DataFrame({"claimed_min": [20.0, 20.0, 20.0], "covered_min": [20.0, 20.0, 2.0],
    ...     "present_min": [3.0, 19.5, 0.0], "presence_share": [0.15, 0.975, 0.0]})
    >>> flag_checkin_not_at_store(p).tolist()
    [True, False, False]
    >>> flag_checkin_not_at_store(offset_m=pd.Series([12.0, 640.0, np.nan])).tolist()
    [False, True, False]
    """
    if presence is None:
        if offset_m is None:
            raise TypeError("flag_checkin_not_at_store needs presence or offset_m")
        return offset_m.astype(float).gt(radius_m)
    judged = presence["covered_min"] >= min_coverage_share * presence["claimed_min"]
    track = judged & (presence["presence_share"] < min_presence_share)
    if offset_m is not None:
        track = track | offset_m.reindex(presence.index).gt(radius_m)
    return track.fillna(False).astype(bool)


def checkin_offsets(activities: pd.DataFrame, stops: pd.DataFrame) -> pd.Series:
    """Each store visit's check-in distance from its store, as the field-sales system
    recorded it.

    Parameters
    ----------
    activities : pandas.DataFrame
        Canonical activities; ``checkin_offset_m`` (metres) and ``row`` on the logged visits
        when the data came from a check-in log that records the distance.
    stops : pandas.DataFrame
        Store visits (``TimeAllocation.stops``) with ``first_row``.

    Returns
    -------
    pandas.Series
        Metres, index of ``stops``; NaN where nothing was recorded.
    """
    if "checkin_offset_m" not in activities or "row" not in activities:
        return pd.Series(np.nan, index=stops.index, dtype=float)
    known = activities.loc[
        activities["checkin_offset_m"].notna() & activities["row"].notna(),
        ["row", "checkin_offset_m"],
    ].drop_duplicates("row")
    by_row = known.set_index(known["row"].astype("int64"))["checkin_offset_m"].astype(float)
    first = pd.to_numeric(stops["first_row"], errors="coerce")
    return pd.Series(first.map(by_row).to_numpy(dtype=float), index=stops.index)


def _from_track(activities: pd.DataFrame) -> bool:
    """Whether the activities were rebuilt from the GPS track (then the track cannot judge
    them).
    """
    return "source" in activities and bool(activities["source"].astype(str).eq("gps").all())


def flag_copied_days(
    activities: pd.DataFrame, *, min_rows: int = 5, index: RepDays | None = None
) -> pd.Series:
    """Rep-days identical to an earlier day of the same rep (same times, activities, stores).

    Each day gets a signature from the clock times, activity, customer and position of its
    rows; days of one rep with equal signatures and row counts are copies.

    Returns
    -------
    pandas.Series
        True for every activity of a copied day (not of the first of the identical days);
        index of ``activities``.
    """
    ix = _index(activities, index)
    copied_day = _copied_days(ix, min_rows)
    mask = np.empty(len(ix.order), dtype=bool)
    mask[ix.order] = np.repeat(copied_day, np.diff(ix.bounds))
    return pd.Series(mask, index=activities.index)


def _copied_days(ix: RepDays, min_rows: int) -> np.ndarray:
    """Per rep-day of ``ix``: whether it is a copy (see :func:`flag_copied_days`)."""
    # each day's date, seconds: looked up once per distinct date
    dates = ix.date_values.to_numpy(dtype="datetime64[s]").astype(np.int64)
    day_date = dates[ix.day_date]
    sig = day_signatures(
        ix.sorted_start, ix.sorted_end, ix.sorted_activity, ix.sorted_customer, ix.bounds, day_date
    )
    n = np.diff(ix.bounds)
    # a copy: a day after the first (by date, then day order) of its rep, signature and count
    key = ix.day_rep.astype(np.int64) * max(len(dates), 1) + ix.day_date
    if len(key) and int(ix.day_date.min()) >= 0 and bool((key[1:] > key[:-1]).all()):
        # the days in order of rep, then date: each rep's days one run, already by date
        rep_bounds = np.flatnonzero(np.r_[True, ix.day_rep[1:] != ix.day_rep[:-1], True])
        copied = repeated_days(rep_bounds.astype(np.int64), sig, n)
    else:
        copied = copied_flags(ix.day_rep, sig, n, np.lexsort((day_date, n, sig, ix.day_rep)))
    return copied & (n >= min_rows)


def flag_round_heaping(
    activities: pd.DataFrame,
    *,
    base_min: int = 5,
    max_share: float = 0.6,
    min_rows: int = 20,
    index: RepDays | None = None,
) -> pd.Series:
    """Round durations of reps whose durations are mostly multiples of ``base_min`` minutes.

    With durations recorded as they happen, about 1 in ``base_min`` is a multiple of
    ``base_min``; a rep above ``max_share`` (0–1) over at least ``min_rows`` rows estimated
    the times afterwards.

    Returns
    -------
    pandas.Series
        True for the round-numbered rows of those reps; index of ``activities``.
    """
    in_range("flag_round_heaping", "base_min", base_min, 0, low_open=True, unit="minutes")
    fast = _heaping_days(activities, index, base_min, max_share, min_rows)
    if fast is not None:
        start, end, step, heaped, _ = fast
        assert index is not None
        mask = np.zeros(len(activities), dtype=bool)
        if heaped.any():
            heaped_rows(start, end, index.order, index.bounds, heaped, step, mask)
        return pd.Series(mask, index=activities.index)
    span = activities["end"].to_numpy(dtype="datetime64[ns]") - activities["start"].to_numpy(
        dtype="datetime64[ns]"
    )
    # whole seconds, truncated (a negative span, or NaT, is never a positive multiple)
    seconds = span.view(np.int64) // 1_000_000_000
    step = base_min * 60
    if float(step).is_integer():  # a multiple of base_min minutes: exact in whole seconds
        whole = (seconds % int(step) == 0) & (seconds > 0)
    else:
        minutes = seconds / 60.0
        whole = (np.abs(minutes % base_min) <= 1e-8) & (minutes > 0)
    if index is not None and index.describes(activities):
        rep = index.rep_code
    else:
        rep = pd.factorize(activities["rep_id"])[0]
    count = np.bincount(rep)
    share = np.bincount(rep[whole], minlength=len(count)) / np.maximum(count, 1)
    heaping = (share > max_share) & (count >= min_rows)
    return pd.Series(whole & heaping[rep], index=activities.index)


def _heaping_days(
    activities: pd.DataFrame,
    index: RepDays | None,
    base_min: float,
    max_share: float,
    min_rows: int,
) -> tuple[np.ndarray, np.ndarray, int, np.ndarray, np.ndarray] | None:
    """:func:`flag_round_heaping` per rep-day, by one compiled pass over the rows in day
    order: the start and end (int64 ns, table order), the step (seconds), and per rep-day
    whether its rep heaps and how many of its rows are round. None when ``index`` does not
    describe ``activities``, a rep-day has no rep, or the step is not whole seconds.
    """
    step = base_min * 60
    if index is None or not index.describes(activities) or not float(step).is_integer():
        return None
    if len(index.day_rep) and int(index.day_rep.min()) < 0:
        return None
    start = activities["start"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    end = activities["end"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    step = int(step)
    day_round = round_counts(start, end, index.order, index.bounds, step)
    n_reps = len(index.rep_names)
    # rows and round rows per rep: exact integers (float64 below 2**53), as bincount counts
    count = np.bincount(index.day_rep, weights=np.diff(index.bounds), minlength=n_reps)
    whole = np.bincount(index.day_rep, weights=day_round, minlength=n_reps)
    count = count.astype(np.int64)
    share = whole.astype(np.int64) / np.maximum(count, 1)
    heaping = (share > max_share) & (count >= min_rows)
    return start, end, step, heaping[index.day_rep], day_round


def flag_short_days(per_day: pd.DataFrame, *, min_day_h: float = 4.0) -> pd.Series:
    """Rep-days whose logged span is shorter than ``min_day_h`` hours (an unfinished survey)."""
    return per_day["total_min"] < min_day_h * 60.0


def flag_unaccounted_time(per_day: pd.DataFrame, *, max_unaccounted_min: float = 30.0) -> pd.Series:
    """Rep-days with more than ``max_unaccounted_min`` minutes no activity covers.

    Time logged as ``unexplained`` (the part of a check-in gap beyond a plausible drive)
    counts too.
    """
    unexplained = per_day.get("unexplained_min", 0.0)
    return (per_day["unaccounted_min"] + unexplained) > max_unaccounted_min


def missing_days(
    per_day: pd.DataFrame, *, weekmask: str = "Mon Tue Wed Thu Fri Sat"
) -> pd.DataFrame:
    """Working days of the survey period on which a rep logged nothing.

    The period runs from the first to the last logged day of the whole team; working days
    follow ``weekmask`` (numpy's business-day mask).

    Returns
    -------
    pandas.DataFrame
        ``rep_id``, ``date`` of every missing rep-day.
    """
    if per_day.empty:
        return pd.DataFrame(
            {"rep_id": pd.Series(dtype="str"), "date": pd.Series(dtype="datetime64[ns]")}
        )
    days = pd.bdate_range(per_day["date"].min(), per_day["date"].max(), freq="C", weekmask=weekmask)
    rep_id, date = per_day["rep_id"], per_day["date"]
    if rep_id.dtype == "str" and date.dtype == "datetime64[ns]" and not rep_id.hasnans:
        # the grid of reps × working days as a boolean table, filled by codes: no pair of
        # (rep, date) hashed per rep-day
        rep_code, uniques = pd.factorize(rep_id)
        by_name = np.asarray(pd.Index(uniques).argsort())
        names = pd.Index(uniques).take(by_name)
        rank = np.empty(len(names), dtype=np.int64)
        rank[by_name] = np.arange(len(names))
        day = days.astype("datetime64[ns]").get_indexer(date)  # -1: not a working day
        have = np.zeros((len(names), len(days)), dtype=bool)
        have[rank[rep_code[day >= 0]], day[day >= 0]] = True
        r, d = np.nonzero(~have)  # by rep (sorted), then date
        return pd.DataFrame(
            {
                "rep_id": pd.Series(names.take(r), dtype=rep_id.dtype),
                "date": days.take(d).astype("datetime64[ns]").to_numpy(),
            }
        )
    reps = per_day["rep_id"].unique()
    grid = pd.MultiIndex.from_product([reps, days], names=["rep_id", "date"])
    have = pd.MultiIndex.from_frame(per_day[["rep_id", "date"]])
    out = grid.difference(have).to_frame(index=False)
    out["date"] = out["date"].astype("datetime64[ns]")
    return out.sort_values(["rep_id", "date"]).reset_index(drop=True)


@dataclass(frozen=True)
class Audit:
    """What the data audit flagged.

    Attributes
    ----------
    flags : pandas.DataFrame
        One row per flagged item: ``check``, ``severity``, ``rep_id``, ``date``, ``rows`` (the
        input file's row numbers, space-separated; empty for a missing day), ``value``
        (what was measured) and ``message``.
    trust : pandas.DataFrame
        Per rep: ``rep_id``, ``trust_score`` (0–100), ``days``, ``visits``, ``rows``, and the
        number of items each check flagged.
    """

    flags: pd.DataFrame
    trust: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The flags."""
        return self.flags.copy()

    def summary(self) -> pd.DataFrame:
        """Per check: items flagged and reps affected."""
        g = self.flags.groupby("check", sort=False)
        return pd.DataFrame({"items": g.size(), "reps": g["rep_id"].nunique()}).reset_index()

    def __repr__(self) -> str:
        worst = self.trust.nsmallest(1, "trust_score")
        w = (
            f"; lowest trust {worst['rep_id'].iloc[0]} {worst['trust_score'].iloc[0]:.0f}"
            if len(worst)
            else ""
        )
        return (
            f"Audit({len(self.flags)} items flagged by {self.flags['check'].nunique()} checks{w})"
        )

    def _repr_html_(self) -> str:
        s = self.summary()
        body = s.to_html(index=False, escape=True) if len(s) else "<p>Nothing suspicious.</p>"
        trust = self.trust[["rep_id", "trust_score", "days", "visits"]].round(1)
        return (
            f"<div><p><b>Data audit</b>: {len(self.flags):,} items flagged.</p>{body}"
            f"<details><summary>Trust per rep</summary>{trust.to_html(index=False)}</details>"
            "</div>"
        )


def _positions(mask: pd.Series | np.ndarray) -> np.ndarray:
    """Positions where ``mask`` holds: a few flagged rows of millions are then taken by
    position, column by column, not by a filtered pass over every column.
    """
    return np.flatnonzero(np.asarray(mask, dtype=bool))


def _str(values: pa.Array | pa.ChunkedArray) -> pd.api.extensions.ExtensionArray:
    """Arrow text as pandas' ``str`` column, without a Python object per value."""
    return pd.array(values, dtype="str")


def _text(values: pd.Series) -> pd.api.extensions.ExtensionArray:
    """Ids as a ``str`` column: a categorical's texts taken from its categories by code (as
    ``astype(str)``, five times faster on the audit's hundreds of thousands of flags).
    """
    if values.dtype == "str":
        return values.array
    if isinstance(values.dtype, pd.CategoricalDtype) and values.cat.categories.dtype == "str":
        codes = values.cat.codes.to_numpy()
        names = pa.array(values.cat.categories.array)
        return _str(names.take(pa.array(codes, mask=codes < 0)))
    return values.astype(str).array


def _repeat(text: str, n: int) -> pd.api.extensions.ExtensionArray:
    """``text`` ``n`` times, as a ``str`` column."""
    return _str(pa.repeat(pa.scalar(text, pa.large_string()), n))


def _decimal(ints: np.ndarray) -> pa.Array:
    """Integers as decimal text (as ``str(int)``)."""
    return pc.cast(pa.array(np.asarray(ints, dtype=np.int64)), pa.large_string())


def _row_text(rows: pd.Series) -> pd.Series:
    """Row numbers as text ('' where unknown), for the flagged items only."""
    if isinstance(rows.dtype, np.dtype) and rows.dtype.kind in "iu":  # no missing value
        known = rows.to_numpy() >= 0
        text = _decimal(rows.to_numpy())
    else:
        known = (rows.notna() & (rows >= 0)).to_numpy(dtype=bool)
        text = _decimal(rows.where(known, -1).astype("int64").to_numpy())
    if not known.all():
        text = pc.if_else(pa.array(known), text, pa.scalar("", pa.large_string()))
    return pd.Series(_str(text), index=rows.index)


def _rows_text(rows: pd.Series) -> str:
    return " ".join(str(int(r)) for r in rows if pd.notna(r) and r >= 0)


def _joined_rows(rows: np.ndarray, offsets: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Per group (``rows[offsets[k]:offsets[k + 1]]``, numbers): its known row numbers as
    text, space-separated; :func:`_rows_text` for every group at once.
    """
    rows = np.asarray(rows)
    known = rows >= 0 if rows.dtype.kind in "iu" else ~np.isnan(rows) & (rows >= 0)
    kept = np.r_[0, np.cumsum(known, dtype=np.int64)][offsets]  # the groups' known rows
    lists = pa.LargeListArray.from_arrays(pa.array(kept), _decimal(rows[known]))
    return _str(pc.binary_join(lists, pa.scalar(" ", pa.large_string())))


def _table_rows(ix: RepDays, sorted_mask: np.ndarray) -> np.ndarray:
    """Table positions, ascending, of the rows where ``sorted_mask`` (day order) holds."""
    return np.sort(ix.order[np.flatnonzero(sorted_mask)])


def _grouped_as_pandas(activities: pd.DataFrame, ix: RepDays | None) -> bool:
    """Whether the rep-days of ``ix`` are the groups, in their order, of a pandas ``groupby``
    on ``rep_id`` and ``date`` (sorted, missing keys dropped): every row has a rep and a date,
    and the reps' codes follow the order pandas sorts them in.
    """
    if ix is None or not ix.describes(activities):
        return False
    if len(ix.day_rep) and min(int(ix.day_rep.min()), int(ix.day_date.min())) < 0:
        return False
    dtype = activities["rep_id"].dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return bool(dtype.categories.is_monotonic_increasing)
    return bool(dtype == "str")


def _rep_index(per_day: pd.DataFrame) -> pd.Index:
    """The reps the trust score is given for, sorted."""
    return pd.Index(sorted(per_day["rep_id"].unique()), name="rep_id")


def _codes_in(values: pd.Series | pd.api.extensions.ExtensionArray, names: pd.Index) -> np.ndarray:
    """Position of each value in ``names`` (-1 where absent or missing); each distinct value
    looked up once.
    """
    code, uniques = pd.factorize(values)
    return np.r_[names.get_indexer(uniques), -1][code]


class _Flags:
    """The audit's flags, gathered check by check: each check's items become one block of
    the table's columns, built from the flagged items only (no per-row Python), and the rep
    and check of every flag are kept as codes for the trust score.
    """

    def __init__(self, reps: pd.Index, thresholds: dict[str, str]) -> None:
        self.reps = reps
        self.thresholds = thresholds
        self.parts: list[pd.DataFrame] = []
        self.rep_codes: list[np.ndarray] = []
        self.check_codes: list[np.ndarray] = []

    def add(
        self,
        check: str,
        rep_id: pd.Series,
        date: pd.Series,
        rows: pd.api.extensions.ExtensionArray | np.ndarray,
        value: pd.api.extensions.ExtensionArray | np.ndarray | pd.Series,
        rep_codes: np.ndarray | None = None,
        *,
        objects: bool = False,
    ) -> None:
        """The flags of ``check``: one per item, with its rep, date, input rows (text) and
        value; ``rep_codes``, when known, the items' positions in ``reps``. With
        ``objects``, ``value`` (Python objects) is kept as they are, not read as text.
        """
        n = len(rep_id)
        if n == 0:
            return
        kind = KINDS[check]
        assert kind.message is not None
        rep = _text(rep_id)
        if objects:
            value = pd.Series(np.asarray(value, dtype=object), dtype=object)
        elif isinstance(value, pd.Series):
            # text as it is, not a Python object per value; else as numpy gives it
            value = value.array if value.dtype == "str" else value.to_numpy()
        self.parts.append(
            pd.DataFrame(
                {
                    "check": _repeat(check, n),
                    "severity": _repeat(kind.severity, n),
                    "rep_id": rep,
                    "date": date.astype("datetime64[ns]").to_numpy(),
                    "rows": rows,
                    "value": value,
                    "message": _repeat(kind.message.format("en", **self.thresholds), n),
                },
                copy=False,
            )
        )
        self.rep_codes.append(_codes_in(rep, self.reps) if rep_codes is None else rep_codes)
        self.check_codes.append(np.full(n, CHECKS.index(check) if check in CHECKS else -1))

    def frame(self) -> pd.DataFrame:
        flags = (
            pd.concat(self.parts, ignore_index=True)
            if self.parts
            else pd.DataFrame(
                columns=["check", "severity", "rep_id", "date", "rows", "value", "message"]
            )
        )
        flags["value"] = flags["value"].astype(object)
        return flags

    def codes(self) -> tuple[np.ndarray, np.ndarray]:
        """Per flag: position of its rep in ``reps`` and of its check in :data:`CHECKS`."""
        if not self.parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(self.rep_codes), np.concatenate(self.check_codes)


def audit(
    activities: pd.DataFrame,
    time: TimeAllocation,
    customers: pd.DataFrame | None = None,
    *,
    method: Method | None = None,
    gps: pd.DataFrame | None = None,
) -> Audit:
    """Run every check and score each rep's data.

    The trust score of a rep is ``100 × Π (1 − min(1, weight × share))`` over the checks,
    where *share* is the part of the rep's rows, visits or days that the check flags (for a
    missing day: of its surveyed plus missing days) and *weight* is the check's weight in the
    findings catalogue (:data:`tts.catalogue.KINDS`): 100 means nothing suspicious. The score
    is kept to one decimal, and a rep with anything flagged scores at most 99.9.

    Parameters
    ----------
    activities : pandas.DataFrame
        Canonical activities.
    time : TimeAllocation
        Result of :func:`tts.time_use.allocate_time` on the same activities.
    customers : pandas.DataFrame, optional
        Canonical customers; without coordinates the speed check is skipped.
    method : Method, optional
        The checks' thresholds and the working week; default ``Method()``.
    gps : pandas.DataFrame, optional
        The phones' positions (canonical ``gps`` table): logged visits the track contradicts
        are flagged (``checkin_not_at_store``); skipped without customers' coordinates, and
        when the activities were rebuilt from this track.

    Returns
    -------
    Audit
    """
    has_columns("audit", "activities", activities, ["rep_id", "date", "start", "end"])
    instance_of("audit", "time", time, TimeAllocation)
    instance_of("audit", "customers", customers, (pd.DataFrame, type(None)))
    instance_of("audit", "method", method, (Method, type(None)))
    instance_of("audit", "gps", gps, (pd.DataFrame, type(None)))
    m_ = method or Method()
    a = activities
    stops = time.stops
    per_day = time.per_day
    row = a["row"] if "row" in a else None
    reps = _rep_index(per_day)
    flags = _Flags(
        reps,
        {
            "min_visit_min": f"{m_.min_visit_min:g}",
            "max_visit_min": f"{m_.max_visit_min:g}",
            "max_speed_kmh": f"{m_.max_speed_kmh:g}",
            "heaping_base_min": f"{m_.heaping_base_min:g}",
            "min_day_h": f"{m_.min_day_h:g}",
            "max_unaccounted_min": f"{m_.max_unaccounted_min:g}",
            "checkin_radius_m": f"{m_.checkin_radius_m:g}",
            "presence_share": f"{m_.gps_min_presence_share:.0%}",
        },
    )
    add = flags.add
    codes = time.stop_codes
    # per stop and per rep-day: the rep's position in ``reps``, from the allocation's codes
    rep_of_day = reps.get_indexer(codes.rep_names)[codes.day_rep] if codes is not None else None

    def add_rows(check: str, at: np.ndarray, value: pd.Series) -> None:
        """Activity rows at table positions ``at``."""
        rows = _row_text(row.take(at)).array if row is not None else _repeat("", len(at))
        add(check, a["rep_id"].take(at), a["date"].take(at), rows, value)

    def add_stops(check: str, at: np.ndarray, value: pd.Series | np.ndarray) -> None:
        """Store visits at positions ``at`` of the stops (``value`` an object array: kept)."""
        rows = _row_text(stops["first_row"].take(at)).array
        rep = rep_of_day[codes.day[at]] if codes is not None and rep_of_day is not None else None
        objects = isinstance(value, np.ndarray)
        add(
            check,
            stops["rep_id"].take(at),
            stops["date"].take(at),
            rows,
            value,
            rep,
            objects=objects,
        )

    index = time.rep_days
    ix = index if index is not None and index.describes(a) else None
    at = (
        _table_rows(ix, ix.overlap_s > 0.0)  # flag_overlaps, without a mask per row
        if ix is not None
        else _positions(flag_overlaps(a))
    )
    if len(at):
        start, end = a["start"].take(at), a["end"].take(at)
        add_rows(
            "overlapping_intervals",
            at,
            start.dt.strftime("%H:%M") + "-" + end.dt.strftime("%H:%M"),
        )
    at = _positions(flag_zero_visits(stops, min_visit_min=m_.min_visit_min))
    add_stops("zero_minute_visits", at, stops["visit_min"].take(at))
    at = _positions(flag_long_visits(stops, max_visit_min=m_.max_visit_min))
    add_stops("implausibly_long_visits", at, stops["visit_min"].take(at))
    if customers is not None and {"lat", "lon"} <= set(customers.columns):
        m = flag_impossible_speed(
            stops,
            customers,
            max_speed_kmh=m_.max_speed_kmh,
            min_distance_m=m_.speed_min_distance_m,
            codes=codes,
        )
        at = _positions(m)
        if codes is not None:
            # the customers' ids as Python text once per customer, not once per flag
            names = np.append(codes.customer_names.to_numpy(dtype=object), np.nan)
            add_stops("impossible_speed", at, names[codes.customer[at]])
        else:
            add_stops("impossible_speed", at, stops["customer_id"].take(at))
    offsets = checkin_offsets(a, stops)
    has_track = (
        gps is not None
        and customers is not None
        and {"lat", "lon"} <= set(customers.columns)
        and not _from_track(a)
    )
    if not has_track and offsets.notna().any():
        # no track: the check-in's own recorded distance judges
        m = flag_checkin_not_at_store(offset_m=offsets, radius_m=m_.checkin_radius_m)
        shown = (offsets[m].round().astype("int64").astype(str) + " m").astype(object)
        add_stops("checkin_not_at_store", _positions(m), shown.to_numpy())
    if customers is not None and {"lat", "lon"} <= set(customers.columns):
        if has_track:
            assert gps is not None
            presence = track_presence(
                stops,
                gps,
                customers,
                radius_m=m_.checkin_radius_m,
                max_gap_min=m_.gps_max_gap_min,
            )
            m = flag_checkin_not_at_store(
                presence,
                offset_m=offsets,
                radius_m=m_.checkin_radius_m,
                min_presence_share=m_.gps_min_presence_share,
                min_coverage_share=m_.gps_min_coverage_share,
            )
            p = presence[m]
            # what the track shows: minutes at the store / minutes claimed
            shown = pd.Series(
                [
                    f"{x:.1f}/{y:.1f}"
                    for x, y in zip(p["present_min"], p["claimed_min"], strict=True)
                ],
                index=p.index,
                dtype=object,
            )
            add_stops("checkin_not_at_store", _positions(m), shown.to_numpy())

    def add_days(check: str, mask: pd.Series) -> None:
        """One flag per rep-day holding flagged rows, valued by how many it holds."""
        if not mask.any():
            return
        g = a.take(_positions(mask)).groupby(["rep_id", "date"], sort=True, observed=True)
        days = g.size().reset_index()
        rows_text = g["row"].agg(_rows_text).to_numpy() if "row" in a else ""
        rows = pd.Series(rows_text, index=days.index).to_numpy()
        add(check, days["rep_id"], days["date"], rows, days[0].to_numpy())

    def add_day_rows(
        check: str, days: np.ndarray, count: np.ndarray, mask: np.ndarray | None
    ) -> None:
        """:func:`add_days` from the rep-days of ``ix`` (in the order of the groups) holding
        flagged rows (``mask``, table order; every row with None), ``count`` of them each.
        """
        assert ix is not None
        if not len(days):
            return
        first = ix.order[ix.first[days]]  # a row of each day: its rep and date
        if row is None:
            rows_text = _repeat("", len(days))
        else:
            offsets = np.r_[0, np.cumsum(count)].astype(np.int64)
            at = day_rows(
                np.zeros(1, dtype=bool) if mask is None else mask,
                mask is None,
                ix.order,
                ix.bounds,
                days.astype(np.int64),
                offsets,
            )
            rows_text = _joined_rows(row.to_numpy()[at], offsets)
        add(check, a["rep_id"].take(first), a["date"].take(first), rows_text, count)

    # the rows of a copied or heaped rep-day found and joined per rep-day of the allocation's
    # codes when these are the groups pandas would make; else grouped by pandas
    fast_days = _grouped_as_pandas(a, ix) and (
        row is None or (isinstance(row.dtype, np.dtype) and row.dtype.kind in "iuf")
    )
    if fast_days:
        assert ix is not None
        copied = np.flatnonzero(_copied_days(ix, m_.copied_min_rows))
        add_day_rows("copied_days", copied, np.diff(ix.bounds)[copied], None)
    else:
        add_days("copied_days", flag_copied_days(a, min_rows=m_.copied_min_rows, index=index))
    heaping = (
        _heaping_days(a, ix, m_.heaping_base_min, m_.heaping_max_share, m_.heaping_min_rows)
        if fast_days
        else None
    )
    if heaping is not None:
        assert ix is not None
        start_ns, end_ns, step, heaped, round_rows = heaping
        days = np.flatnonzero(heaped & (round_rows > 0))
        if len(days):
            mask = np.zeros(len(a), dtype=bool)
            heaped_rows(start_ns, end_ns, ix.order, ix.bounds, heaped, step, mask)
            add_day_rows("round_number_heaping", days, round_rows[days], mask)
    else:
        add_days(
            "round_number_heaping",
            flag_round_heaping(
                a,
                base_min=m_.heaping_base_min,
                max_share=m_.heaping_max_share,
                min_rows=m_.heaping_min_rows,
                index=index,
            ),
        )

    def add_per_day(check: str, at: np.ndarray, value: pd.Series) -> None:
        """Rep-days at positions ``at`` of ``per_day``."""
        rep, date = per_day["rep_id"].take(at), per_day["date"].take(at)
        rep_codes = rep_of_day[at] if rep_of_day is not None else None
        add(check, rep, date, _repeat("", len(at)), value.take(at).to_numpy(), rep_codes)

    at = _positions(flag_short_days(per_day, min_day_h=m_.min_day_h))
    add_per_day("short_days", at, per_day["total_min"])
    at = _positions(flag_unaccounted_time(per_day, max_unaccounted_min=m_.max_unaccounted_min))
    unexplained = per_day["unaccounted_min"] + per_day.get("unexplained_min", 0.0)
    add_per_day("unaccounted_time", at, unexplained)
    miss = missing_days(per_day, weekmask=m_.weekmask)
    add(
        "missing_days",
        miss["rep_id"],
        miss["date"],
        _repeat("", len(miss)),
        np.full(len(miss), np.nan),
    )
    table = flags.frame()
    return Audit(table, _trust(table, per_day, stops, codes, reps=reps, flagged=flags.codes()))


def _trust(
    flags: pd.DataFrame,
    per_day: pd.DataFrame,
    stops: pd.DataFrame,
    codes: StopCodes | None,
    *,
    reps: pd.Index | None = None,
    flagged: tuple[np.ndarray, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Per rep: the trust score, the rep's days, visits and rows, and the flags of each check.

    ``reps`` (:func:`_rep_index`) and ``flagged`` (per flag, the positions of its rep in
    ``reps`` and of its check in :data:`CHECKS`), when the audit already knows them.
    """
    reps = _rep_index(per_day) if reps is None else reps
    if codes is not None:  # counted by the allocation's rep codes, no id hashed
        n_reps = len(codes.rep_names)
        counts_ = {
            "days": np.bincount(codes.day_rep, minlength=n_reps),
            "visits": np.bincount(  # stops per rep-day, then per rep
                codes.day_rep,
                weights=np.bincount(codes.day, minlength=len(codes.day_rep)),
                minlength=n_reps,
            ),
            "rows": np.bincount(
                codes.day_rep, weights=per_day["rows"].to_numpy(float), minlength=n_reps
            ),
        }
        per_rep = pd.DataFrame(counts_, index=codes.rep_names)
    else:
        per_rep = pd.DataFrame(
            {
                "days": per_day.groupby("rep_id").size(),
                "visits": stops.groupby("rep_id").size(),
                "rows": per_day.groupby("rep_id")["rows"].sum(),
            }
        )
    base = per_rep.reindex(reps).fillna(0).astype(int)
    # flags per rep and check (a groupby on both, unstacked onto reps × CHECKS), counted by
    # codes, not by hashing a pair of ids per flag
    if flagged is None:
        flagged = _codes_in(flags["rep_id"], reps), _codes_in(flags["check"], pd.Index(CHECKS))
    rep, check = flagged
    known = (rep >= 0) & (check >= 0)
    flat = np.bincount(
        rep[known] * len(CHECKS) + check[known], minlength=len(reps) * len(CHECKS)
    ).astype(np.int64)
    counts = pd.DataFrame(
        flat.reshape(len(reps), len(CHECKS)), index=reps, columns=pd.Index(CHECKS, name="check")
    )
    score = pd.Series(1.0, index=reps)
    for check_ in CHECKS:
        unit, weight = KINDS[check_].unit, KINDS[check_].weight
        n = counts[check_].astype(float)
        if check_ == "round_number_heaping" and n.any():  # one flag per day, valued by its
            # round rows
            heaped = (
                flags.take(np.flatnonzero(check == CHECKS.index(check_)))
                .groupby("rep_id")["value"]
                .sum()
            )
            n = heaped.reindex(reps, fill_value=0).astype(float)
        denominator = base[unit].replace(0, np.nan)
        if check_ == "missing_days":
            denominator = denominator + n
        share = (n / denominator).fillna(0.0)
        score *= 1 - np.minimum(1.0, weight * share)
    # to one decimal, but never 100 for a rep with something flagged (one flag among
    # thousands of visits would otherwise round to a clean score)
    shown = (100 * score).round(1).where(score >= 1, np.minimum((100 * score).round(1), 99.9))
    out = base.assign(trust_score=shown).join(counts).reset_index()
    return out[["rep_id", "trust_score", "days", "visits", "rows", *CHECKS]]
