"""Travel between stores: drive times and road distances for the route optimiser.

Three sources, each with a ``matrix(ids, lat, lon)`` method returning integer seconds and
metres:

- :class:`TravelModel` (the default, no network needed): time = great-circle distance ×
  circuity ÷ speed. Published circuity for short urban trips is about 1.2–1.4 and urban speeds
  of sales vans about 18–25 km/h (Newell 1980; Ballou, Rahardja & Sakai 2002; Giacomin &
  Levinson 2015 on circuity), hence the defaults; vectorised with numpy.
- :class:`TravelMatrix`: a matrix the user supplies (read by :func:`tts.io.read_matrix`), looked
  up by customer and rep ids.
- :class:`OsrmTable`: an OSRM-compatible ``/table`` service at a URL the user gives.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ._exceptions import InputError

__all__ = [
    "EARTH_RADIUS_M",
    "DayLegs",
    "LegView",
    "OsrmTable",
    "TravelMatrix",
    "TravelModel",
    "TravelSource",
    "haversine_m",
    "travel_matrix",
]

#: Mean Earth radius, metres.
EARTH_RADIUS_M = 6_371_008.8

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class TravelSource(Protocol):
    """Anything that gives drive times and road distances between points."""

    def matrix(
        self, ids: Sequence[str], lat: npt.ArrayLike, lon: npt.ArrayLike
    ) -> tuple[IntArray, IntArray]:
        """Square matrices over the points: drive time (seconds) and road distance (metres)."""
        ...


def haversine_m(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> FloatArray:
    """Great-circle distance between points, in metres.

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : array_like
        Coordinates in decimal degrees; broadcast against each other.

    Returns
    -------
    numpy.ndarray
        Distance, metres (NaN where a coordinate is NaN).

    Examples
    --------
    >>> round(float(haversine_m(34.75, 113.65, 34.76, 113.65)))
    1112
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


@dataclass(frozen=True)
class TravelModel:
    """Road distance and drive time from straight-line distance.

    Attributes
    ----------
    speed_kmh : float
        Average urban driving speed, km/h.
    circuity : float
        Road distance ÷ great-circle distance (dimensionless).
    factor : float
        Calibration factor: every drive time is multiplied by it (dimensionless; 1 for the
        model as it is). :func:`tts.calibration.calibrate_travel` fits it to logged travel.
    """

    speed_kmh: float = 20.0
    circuity: float = 1.3
    factor: float = 1.0

    def road_m(self, distance_m: npt.ArrayLike) -> FloatArray:
        """Road distance, metres, for great-circle distances in metres."""
        return np.asarray(distance_m, dtype=float) * self.circuity

    def minutes(self, distance_m: npt.ArrayLike) -> FloatArray:
        """Drive time, minutes, for great-circle distances in metres."""
        return self.road_m(distance_m) / (self.speed_kmh * 1000.0 / 60.0) * self.factor

    def matrix(
        self, ids: Sequence[str], lat: npt.ArrayLike, lon: npt.ArrayLike
    ) -> tuple[IntArray, IntArray]:
        """Drive times (seconds) and road distances (metres) between the points."""
        return travel_matrix(lat, lon, self)


@dataclass(frozen=True)
class TravelMatrix:
    """A drive-time (and distance) matrix supplied by the user, indexed by id.

    Ids are customer ids, and rep ids for the reps' homes. Read one with
    :func:`tts.io.read_matrix`.

    Attributes
    ----------
    ids : tuple of str
        The points, in matrix order.
    duration_s : numpy.ndarray
        Drive times, seconds (int64, square).
    distance_m : numpy.ndarray
        Road distances, metres (int64, square; zeros when the file gave none).
    """

    ids: tuple[str, ...]
    duration_s: IntArray
    distance_m: IntArray
    _position: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_position", {k: i for i, k in enumerate(self.ids)})

    def matrix(
        self, ids: Sequence[str], lat: npt.ArrayLike = (), lon: npt.ArrayLike = ()
    ) -> tuple[IntArray, IntArray]:
        """The sub-matrices over ``ids``.

        Raises
        ------
        InputError
            An id is not in the matrix.
        """
        missing = [i for i in ids if i not in self._position]
        if missing:
            raise InputError(
                f"the travel matrix has no row for {sorted(set(missing))[:10]}; it covers "
                f"{len(self.ids)} ids. Add them to the matrix file, or use the travel model."
            )
        pos = np.array([self._position[i] for i in ids], dtype=np.int64)
        return self.duration_s[np.ix_(pos, pos)], self.distance_m[np.ix_(pos, pos)]


@dataclass(frozen=True)
class OsrmTable:
    """Drive times and distances from an OSRM-compatible ``/table`` service.

    Attributes
    ----------
    url : str
        Base URL of the service, e.g. ``http://localhost:5000``.
    profile : str
        Routing profile in the request path.
    timeout_s : float
        Network timeout per request, seconds.
    """

    url: str
    profile: str = "driving"
    timeout_s: float = 30.0

    def matrix(
        self, ids: Sequence[str], lat: npt.ArrayLike, lon: npt.ArrayLike
    ) -> tuple[IntArray, IntArray]:
        """Ask the service for the table between the points (one request).

        Raises
        ------
        InputError
            The service cannot be reached, answers with an error, or leaves a pair unrouted.
        """
        la = np.asarray(lat, dtype=float)
        lo = np.asarray(lon, dtype=float)
        coords = ";".join(f"{x:.6f},{y:.6f}" for x, y in zip(lo, la, strict=True))
        request = (
            f"{self.url.rstrip('/')}/table/v1/{self.profile}/{coords}?annotations=duration,distance"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                answer = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise InputError(f"the OSRM service at {self.url} did not answer: {exc}.") from exc
        if answer.get("code") != "Ok":
            raise InputError(
                f"the OSRM service at {self.url} answered {answer.get('code')!r}: "
                f"{answer.get('message', '')}"
            )
        durations = np.array(answer.get("durations"), dtype=float)
        n = len(la)
        if durations.shape != (n, n) or np.isnan(durations).any():
            raise InputError(
                f"the OSRM service at {self.url} left some of the {n} x {n} pairs unrouted; "
                "check that every point is on its road network."
            )
        distances = answer.get("distances")
        dist = np.zeros((n, n)) if distances is None else np.array(distances, dtype=float)
        return np.rint(durations).astype(np.int64), np.rint(dist).astype(np.int64)


def travel_matrix(
    lat: npt.ArrayLike, lon: npt.ArrayLike, model: TravelModel | None = None
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Drive times and road distances between every pair of points.

    Parameters
    ----------
    lat, lon : array_like
        Coordinates of the points, decimal degrees.
    model : TravelModel, optional
        Default ``TravelModel()``.

    Returns
    -------
    duration_s : numpy.ndarray
        Square int64 matrix of drive times, seconds (rounded).
    distance_m : numpy.ndarray
        Square int64 matrix of road distances, metres (rounded).

    Examples
    --------
    >>> d, m = travel_matrix([34.75, 34.76], [113.65, 113.65])
    >>> d.tolist(), m.tolist()
    ([[0, 260], [260, 0]], [[0, 1446], [1446, 0]])
    """
    model = model or TravelModel()
    la = np.asarray(lat, dtype=float)
    lo = np.asarray(lon, dtype=float)
    great = haversine_m(la[:, None], lo[:, None], la[None, :], lo[None, :])
    duration = np.rint(model.minutes(great) * 60.0).astype(np.int64)
    distance = np.rint(model.road_m(great)).astype(np.int64)
    return duration, distance


class LegView:
    """One quantity of :class:`DayLegs` indexed like a matrix: ``view[i, j]`` is an int."""

    def __init__(self, legs: DayLegs, which: int) -> None:
        self._legs = legs
        self._which = which

    def __getitem__(self, key: tuple[int, int]) -> int:
        i, j = int(key[0]), int(key[1])
        got = self._legs._cache.get((i, j))
        if got is None:
            d, m = self._legs.legs([i], [j])
            got = self._legs._cache[(i, j)] = (int(d[0]), int(m[0]))
        return got[self._which]


class DayLegs:
    """A day's drive times and road distances, computed when asked: no square matrix.

    For days of more stops than the optimiser's dense-model limit (see
    :func:`tts.optimize.solve_day`), whose two square matrices would not fit in memory
    (10,000 stops: 1.6 GB, and more for their temporaries). Sub-matrices are built over a few
    nodes at a time, single legs along a path, and the nearest stores from a k-d tree of the
    coordinates (or, for a matrix without coordinates, one row at a time).

    Parameters
    ----------
    source : TravelSource
        Where drive times come from (:class:`TravelModel`, :class:`TravelMatrix`, or any
        ``matrix(ids, lat, lon)``, asked about a few points at a time).
    ids : sequence of str
        The nodes: 0 the start, 1..n the stops, n + 1 the end.
    lat, lon : array_like
        Their coordinates, degrees (NaN for a matrix looked up by id).

    Examples
    --------
    >>> legs = DayLegs(TravelModel(), ["a", "b"], [34.75, 34.76], [113.65, 113.65])
    >>> legs.duration[0, 1], legs.distance[1, 0], legs.sub([0, 1])[0].tolist()
    (260, 1446, [[0, 260], [260, 0]])
    """

    def __init__(
        self, source: TravelSource, ids: Sequence[str], lat: npt.ArrayLike, lon: npt.ArrayLike
    ) -> None:
        self.source = source
        self.ids = [str(i) for i in ids]
        self.lat = np.asarray(lat, dtype=float)
        self.lon = np.asarray(lon, dtype=float)
        self.size = len(self.ids)
        if self.lat.shape != (self.size,) or self.lon.shape != (self.size,):
            raise InputError(
                f"DayLegs needs one latitude and longitude per id; got {self.size} ids, "
                f"{self.lat.shape} and {self.lon.shape}."
            )
        self._cache: dict[tuple[int, int], tuple[int, int]] = {}
        self.duration = LegView(self, 0)
        self.distance = LegView(self, 1)
        if isinstance(source, TravelMatrix):
            missing = [i for i in self.ids if i not in source._position]
            if missing:
                source.matrix(missing)  # raises the matrix's own error
            self._pos = np.array([source._position[i] for i in self.ids], dtype=np.int64)

    def sub(self, nodes: npt.ArrayLike) -> tuple[IntArray, IntArray]:
        """Drive times (seconds) and road distances (metres) among ``nodes``, square."""
        k = np.asarray(nodes, dtype=np.int64)
        if isinstance(self.source, TravelMatrix):
            p = self._pos[k]
            return self.source.duration_s[np.ix_(p, p)], self.source.distance_m[np.ix_(p, p)]
        dur, dist = self.source.matrix([self.ids[i] for i in k], self.lat[k], self.lon[k])
        return np.asarray(dur, dtype=np.int64), np.asarray(dist, dtype=np.int64)

    def legs(self, a: npt.ArrayLike, b: npt.ArrayLike) -> tuple[IntArray, IntArray]:
        """Drive time (seconds) and road distance (metres) of each leg ``a[k]`` to ``b[k]``."""
        i = np.asarray(a, dtype=np.int64)
        j = np.asarray(b, dtype=np.int64)
        src = self.source
        if isinstance(src, TravelModel):  # as travel_matrix, one pair at a time
            great = haversine_m(self.lat[i], self.lon[i], self.lat[j], self.lon[j])
            dur = np.rint(src.minutes(great) * 60.0).astype(np.int64)
            return dur, np.rint(src.road_m(great)).astype(np.int64)
        if isinstance(src, TravelMatrix):
            p, q = self._pos[i], self._pos[j]
            return src.duration_s[p, q].astype(np.int64), src.distance_m[p, q].astype(np.int64)
        dur = np.zeros(len(i), dtype=np.int64)
        dist = np.zeros(len(i), dtype=np.int64)
        for start in range(0, len(i), 50):  # 50 legs (at most 100 points) a request
            ii, jj = i[start : start + 50], j[start : start + 50]
            nodes, inverse = np.unique(np.r_[ii, jj], return_inverse=True)
            d, m = self.sub(nodes)
            r, c = inverse[: len(ii)], inverse[len(ii) :]
            dur[start : start + 50], dist[start : start + 50] = d[r, c], m[r, c]
        return dur, dist

    def prefetch(self, path: npt.ArrayLike) -> None:
        """Compute the legs along ``path`` (nodes in order) at once, for ``duration[i, j]``."""
        p = np.asarray(path, dtype=np.int64)
        pairs = [(int(x), int(y)) for x, y in zip(p[:-1], p[1:], strict=True)]
        todo = [ij for ij in dict.fromkeys(pairs) if ij not in self._cache]
        if todo:
            a, b = zip(*todo, strict=True)
            dur, dist = self.legs(a, b)
            self._cache.update(
                zip(todo, zip(dur.tolist(), dist.tolist(), strict=True), strict=True)
            )

    def nearest_path(self) -> list[int]:
        """Stops (0..n-1) in the order of a path from the start to the nearest stop not yet
        visited, each time: by great-circle distance from a k-d tree of the coordinates, or
        by drive time, one row at a time, for a matrix looked up by id.
        """
        n = self.size - 2
        if n <= 0:
            return []
        if np.isfinite(self.lat).all() and np.isfinite(self.lon).all():
            return _nearest_by_tree(self.lat, self.lon)
        left = np.ones(n, dtype=bool)
        here, order = 0, []
        top = np.iinfo(np.int64).max
        stops = np.arange(1, n + 1)
        for _ in range(n):
            row, _m = self.legs(np.full(n, here), stops)
            k = int(np.argmin(np.where(left, row, top)))
            order.append(k)
            left[k] = False
            here = k + 1
        return order


def _nearest_by_tree(lat: FloatArray, lon: FloatArray) -> list[int]:
    """Nearest-neighbour path over nodes 1..n from node 0 (unit-sphere k-d tree: the chord
    grows with the great-circle distance, so the nearest by chord is the nearest).
    """
    from scipy.spatial import cKDTree

    la, lo = np.radians(lat), np.radians(lon)
    xyz = np.c_[np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)]
    stops = xyz[1:-1]
    n = len(stops)
    left = np.ones(n, dtype=bool)
    alive = np.arange(n)  # the stops the current tree holds
    tree = cKDTree(stops)
    removed = 0
    here = xyz[0]
    order: list[int] = []
    for _ in range(n):
        k = 8
        while True:
            k = min(k, len(alive))
            _d, j = tree.query(here, k=k)
            cand = alive[np.atleast_1d(j)]
            free = left[cand]
            if free.any():
                pick = int(cand[int(np.argmax(free))])
                break
            k *= 4
        order.append(pick)
        left[pick] = False
        here = stops[pick]
        removed += 1
        if removed * 2 > len(alive) and len(alive) > 64:  # rebuild over the stops left
            alive = np.flatnonzero(left)
            tree = cKDTree(stops[alive])
            removed = 0
    return order
