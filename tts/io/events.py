"""Event logs: check-in and leave events as rows (Qince's track log), paired into visits.

A track log has one row per event: who, which store, what (``type``: 客户签到 for a check-in,
拜访-离开登记 for a leave), when (``submitTime``) and how far from the store (``offset``). Each
check-in is paired with the rep's next leave at the same store; a check-in never followed by one
becomes a visit with no check-out (its end is then estimated and flagged). A leave with no
check-in before it, and events of other kinds, are set aside with their reason.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from .files import RawTable
from .headers import normalise
from .times import parse_clock

__all__ = ["EVENT_COLUMNS", "PairedEvents", "event_columns", "pair_events"]

#: Headers of an event log's event kind and time (compared after normalising).
EVENT_COLUMNS = {
    "type": ("type", "event_type", "类型", "事件类型", "操作类型", "记录类型"),
    "time": ("submit_time", "event_time", "提交时间", "上报时间", "时间"),
}
_CHECK_IN = r"签到|check[_ \-]?in|arriv"
_LEAVE = r"离开|签退|check[_ \-]?out|leave|depart"


class PairedEvents(NamedTuple):
    """Result of :func:`pair_events`.

    Attributes
    ----------
    raw : RawTable
        One row per visit (the check-in event's row number), ``check_in`` and ``check_out``
        columns in place of the event kind and time; events set aside are in ``malformed``.
    merged : int
        Leave events merged into a visit (rows used, though not rows of the visits table).
    note : str
        What was done, for the load summary.
    """

    raw: RawTable
    merged: int
    note: str


def event_columns(columns: list[str]) -> tuple[str, str] | None:
    """The event-kind and time headers of an event log, or None when it is not one."""
    found: dict[str, str] = {}
    for col in columns:
        key = normalise(str(col))
        for role, names in EVENT_COLUMNS.items():
            if role not in found and key in {normalise(n) for n in names}:
                found[role] = str(col)
    if len(found) == 2:
        return found["type"], found["time"]
    return None


def pair_events(raw: RawTable, kind: str, when: str, rep: str, customer: str) -> PairedEvents:
    """Pair check-in and leave events into visits (see the module docstring).

    Parameters
    ----------
    raw : RawTable
        The event log as read.
    kind, when, rep, customer : str
        Its headers for the event kind, the time, the rep and the store.

    Returns
    -------
    PairedEvents
    """
    f = raw.frame.reset_index(drop=True)
    text = f[kind].astype("str")
    is_in = text.str.contains(_CHECK_IN, case=False, regex=True, na=False)
    is_out = ~is_in & text.str.contains(_LEAVE, case=False, regex=True, na=False)
    parsed = parse_clock(f[when].astype("str"))
    order = np.lexsort((parsed.absolute.to_numpy(), f[rep].astype("str").to_numpy()))
    open_: dict[tuple[str, str], int] = {}
    leave_of: dict[int, int] = {}
    unpaired: list[int] = []
    for i in order:
        key = (str(f.at[i, rep]), str(f.at[i, customer]))
        if is_in.iat[i]:
            open_[key] = int(i)
        elif is_out.iat[i]:
            start = open_.pop(key, None)
            if start is None:
                unpaired.append(int(i))
            else:
                leave_of[start] = int(i)
    visits = np.flatnonzero(is_in.to_numpy())
    out = f.iloc[visits].drop(columns=[kind, when]).reset_index(drop=True)
    out["check_in"] = f[when].iloc[visits].to_numpy()
    leave = [leave_of.get(int(i)) for i in visits]
    out["check_out"] = [f.at[j, when] if j is not None else np.nan for j in leave]
    other = np.flatnonzero(~(is_in | is_out).to_numpy())
    bad_rows = [*unpaired, *other.tolist()]
    reasons = ["unpaired_event"] * len(unpaired) + ["other_event"] * len(other)
    messages = ["a leave event with no check-in of the same rep at the same store before it"] * len(
        unpaired
    ) + [
        f"an event that is neither a check-in nor a leave ({kind} {f.at[j, kind]!r})" for j in other
    ]
    extra = pd.DataFrame(
        {
            "row": pd.Series(raw.rows[bad_rows], dtype="int64"),
            "value": pd.Series(
                [",".join(str(v) for v in f.iloc[j].tolist()) for j in bad_rows], dtype="str"
            ),
            "reason": pd.Series(reasons, dtype="str"),
            "message": pd.Series(messages, dtype="str"),
        }
    )
    malformed = (
        pd.concat([raw.malformed, extra], ignore_index=True) if len(extra) else raw.malformed
    )
    paired = RawTable(
        out, raw.rows[visits], raw.file, raw.encoding, malformed, raw.skipped, raw.delimiter
    )
    note = (
        f"event log: {len(visits)} check-in(s) paired with {len(leave_of)} leave event(s) "
        f"into visits ({len(visits) - len(leave_of)} never left)"
    )
    return PairedEvents(paired, len(leave_of), note)
