"""Map datums: positions from Chinese map services (GCJ-02) back to GPS coordinates (WGS-84).

Maps in China (Amap/Gaode, Tencent, and the field-sales apps built on them) publish positions in
GCJ-02, a datum obtained from WGS-84 by a deliberately non-linear shift of a few hundred
metres. Customers' coordinates are WGS-84 by the data contract, so a track exported in GCJ-02
must be shifted back before a stay can be matched to a store.

The forward shift (WGS-84 → GCJ-02) is the published algorithm, taken from the maintained
``coordTransform`` package (MIT licence, a C extension with batch functions). It has no closed
inverse: :func:`gcj02_to_wgs84` inverts it by fixed-point iteration, ``w ← w − (f(w) − g)``,
which converges because the shift changes by less than 10⁻³ of a degree per degree. Three
iterations bring the round trip below a millimetre; the one-step inverse that the libraries
offer is off by up to about 3 m. Positions outside China are not shifted (the published
bounding box, as the algorithm does).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._exceptions import InputError

__all__ = ["gcj02_to_wgs84", "wgs84_to_gcj02"]

FloatArray = npt.NDArray[np.float64]

#: Fixed-point iterations of the inverse; each shrinks the error about a thousandfold.
_ITERATIONS = 3


def _as_arrays(lat: npt.ArrayLike, lon: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    la = np.atleast_1d(np.asarray(lat, dtype="float64"))
    lo = np.atleast_1d(np.asarray(lon, dtype="float64"))
    if la.shape != lo.shape:
        raise InputError(f"lat and lon must have the same shape; got {la.shape} and {lo.shape}.")
    return la, lo


def wgs84_to_gcj02(lat: npt.ArrayLike, lon: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Shift WGS-84 positions to GCJ-02 (the published algorithm).

    Parameters
    ----------
    lat, lon : array_like
        WGS-84 latitude and longitude, decimal degrees.

    Returns
    -------
    lat, lon : numpy.ndarray
        GCJ-02 latitude and longitude, decimal degrees; NaN where the input is NaN; positions
        outside China unchanged.

    Examples
    --------
    >>> la, lo = wgs84_to_gcj02(39.911954, 116.377817)   # Beijing
    >>> round(float(la[0]), 6), round(float(lo[0]), 6)
    (39.913345, 116.384047)
    """
    import coordTransform  # imported here so that `import tts` stays fast

    la, lo = _as_arrays(lat, lon)
    ok = np.isfinite(la) & np.isfinite(lo)
    out_lat, out_lon = la.copy(), lo.copy()
    if ok.any():
        glon, glat = coordTransform.wgs84_to_gcj02(
            np.ascontiguousarray(lo[ok]), np.ascontiguousarray(la[ok])
        )
        out_lat[ok] = np.asarray(glat, dtype="float64")
        out_lon[ok] = np.asarray(glon, dtype="float64")
    return out_lat, out_lon


def gcj02_to_wgs84(lat: npt.ArrayLike, lon: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Shift GCJ-02 positions back to WGS-84, by fixed-point iteration of the forward shift.

    Parameters
    ----------
    lat, lon : array_like
        GCJ-02 latitude and longitude, decimal degrees.

    Returns
    -------
    lat, lon : numpy.ndarray
        WGS-84 latitude and longitude, decimal degrees (within a millimetre of the position
        whose GCJ-02 shift gives the input); NaN where the input is NaN.

    Examples
    --------
    >>> la, lo = gcj02_to_wgs84(31.17530398364597, 121.531541859215)   # Shanghai
    >>> round(float(la[0]), 6), round(float(lo[0]), 6)
    (31.177428, 121.527211)
    """
    g_lat, g_lon = _as_arrays(lat, lon)
    w_lat, w_lon = g_lat.copy(), g_lon.copy()
    for _ in range(_ITERATIONS):
        f_lat, f_lon = wgs84_to_gcj02(w_lat, w_lon)
        w_lat = w_lat - (f_lat - g_lat)
        w_lon = w_lon - (f_lon - g_lon)
    return w_lat, w_lon
