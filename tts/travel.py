"""Travel between stores without a road network: great-circle distance, circuity and speed.

time = great-circle distance × circuity ÷ speed. Published circuity for short urban trips is
about 1.2–1.4 and urban speeds of sales vans about 18–25 km/h (see ROUTING-NOTES), hence the
defaults. All functions are vectorised over numpy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["EARTH_RADIUS_M", "TravelModel", "haversine_m"]

#: Mean Earth radius, metres.
EARTH_RADIUS_M = 6_371_008.8

FloatArray = npt.NDArray[np.float64]


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
    """

    speed_kmh: float = 20.0
    circuity: float = 1.3

    def road_m(self, distance_m: npt.ArrayLike) -> FloatArray:
        """Road distance, metres, for great-circle distances in metres."""
        return np.asarray(distance_m, dtype=float) * self.circuity

    def minutes(self, distance_m: npt.ArrayLike) -> FloatArray:
        """Drive time, minutes, for great-circle distances in metres."""
        return self.road_m(distance_m) / (self.speed_kmh * 1000.0 / 60.0)


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
