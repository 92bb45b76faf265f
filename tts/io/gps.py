"""Loading rules of the ``gps`` table that need the method: the accuracy limit and the datum.

The table's columns, aliases and the rules it shares with every table (unparseable times,
coordinates out of range, duplicates) are declared in :mod:`tts.schema` and
:mod:`tts.io.headers`. Two rules depend on the method's settings and run after typing:

- a position whose stated ``accuracy_m`` is worse than ``gps_max_accuracy_m`` is set aside
  (``poor_accuracy``): a fix 300 m wide cannot say at which store the rep stood;
- positions in GCJ-02 (``gps_coordinate_system = "gcj02"``) are shifted to WGS-84
  (:func:`tts.coords.gcj02_to_wgs84`) so that they line up with customers' coordinates.
"""

from __future__ import annotations

import pandas as pd

from ..coords import gcj02_to_wgs84
from ..method import Method
from ..schema import REASONS

__all__ = ["prepare_gps"]


def prepare_gps(table: pd.DataFrame, method: Method) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the method's accuracy limit and datum to a typed ``gps`` table.

    Parameters
    ----------
    table : pandas.DataFrame
        The typed gps table (``rep_id``, ``timestamp``, ``lat``, ``lon``, ``accuracy_m``,
        ``speed_mps``, ``row``).
    method : Method
        ``gps_max_accuracy_m`` (metres) and ``gps_coordinate_system``.

    Returns
    -------
    table : pandas.DataFrame
        The positions kept, in WGS-84, sorted by rep and time.
    issues : pandas.DataFrame
        ``table``, ``row``, ``column``, ``value``, ``reason``, ``message`` of the positions set
        aside (the caller adds ``file``).

    Examples
    --------
    >>> t = pd.DataFrame({"rep_id": ["r1", "r1"], "timestamp": pd.to_datetime(
    ...     ["2026-03-02 09:00", "2026-03-02 09:01"]), "lat": [34.7, 34.7], "lon": [113.6] * 2,
    ...     "accuracy_m": [12.0, 450.0], "speed_mps": [float("nan")] * 2, "row": [1, 2]})
    >>> kept, issues = prepare_gps(t, Method())
    >>> kept["row"].tolist(), issues["reason"].tolist()
    ([1], ['poor_accuracy'])
    """
    limit = method.gps_max_accuracy_m
    poor = table["accuracy_m"].gt(limit).to_numpy()
    issues = pd.DataFrame(
        {
            "table": "gps",
            "row": table["row"].to_numpy()[poor].astype("int64"),
            "column": "accuracy_m",
            "value": pd.array([f"{v:g}" for v in table["accuracy_m"].to_numpy()[poor]], "str"),
            "reason": "poor_accuracy",
            "message": f"{REASONS['poor_accuracy']}: worse than {limit:g} m",
        }
    )
    kept = table[~poor]
    if method.gps_coordinate_system == "gcj02" and len(kept):
        lat, lon = gcj02_to_wgs84(kept["lat"].to_numpy(), kept["lon"].to_numpy())
        kept = kept.assign(lat=lat, lon=lon)
    kept = kept.sort_values(["rep_id", "timestamp"], kind="stable").reset_index(drop=True)
    return kept, issues
