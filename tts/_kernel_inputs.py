"""The arrays the compiled kernels take, converted at their boundary.

The kernels (``tts/*_kernels.pyx``) read contiguous arrays of fixed types: int64 times,
positions and bounds, float64 measures, bytes for flags, and codes in the widths their loops
are compiled for. These helpers convert what a caller hands them without a copy when it is
already right, and refuse a code that the narrower type cannot hold instead of wrapping it.
"""

from __future__ import annotations

import numpy as np


def int64(a: object) -> np.ndarray:
    """Contiguous int64."""
    return np.ascontiguousarray(a, dtype=np.int64)


def float64(a: object) -> np.ndarray:
    """Contiguous float64."""
    return np.ascontiguousarray(a, dtype=np.float64)


def flags(a: object) -> np.ndarray:
    """A boolean array as bytes (0/1), without a copy when it is numpy bool."""
    return np.ascontiguousarray(a, dtype=np.bool_).view(np.uint8)


def _fitted(a: np.ndarray, dtype: type[np.signedinteger]) -> np.ndarray:
    """``a`` as ``dtype``, or ValueError when a value does not fit."""
    info = np.iinfo(dtype)
    if len(a) and (a.min() < info.min or a.max() > info.max):
        raise ValueError(
            f"codes from {a.min()} to {a.max()} do not fit {np.dtype(dtype).name} "
            f"({info.min} to {info.max})"
        )
    return a.astype(dtype)


def codes(a: object) -> np.ndarray:
    """Codes (-1: none) in any signed width as they are; unsigned ones as int64.

    >>> codes(np.array([3, 250], dtype=np.uint8)).dtype.name
    'int64'
    """
    a = np.ascontiguousarray(a)
    if a.dtype.kind == "i":
        return a
    if a.dtype.kind in "ub":
        return _fitted(a, np.int64)
    raise ValueError(f"codes must be integers, got {a.dtype}")


def customers(a: object) -> np.ndarray:
    """Customer codes as int32, or int64 when they are (the widths the loops take).

    >>> customers(np.array([-1, 7], dtype=np.int16)).dtype.name
    'int32'
    """
    a = codes(a)
    return a if a.dtype in (np.int32, np.int64) else a.astype(np.int32)


def activities(a: object) -> np.ndarray:
    """Activity codes as int8 or int16 (a wider code must fit int16).

    >>> activities(np.array([-1, 2], dtype=np.int64)).dtype.name
    'int16'
    """
    a = codes(a)
    return a if a.dtype in (np.int8, np.int16) else _fitted(a, np.int16)


def seconds_step(step: int) -> int:
    """A positive whole number of seconds (the round-duration checks' step)."""
    if step < 1:
        raise ValueError(f"the step must be at least 1 second, got {step}")
    return int(step)
