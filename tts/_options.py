"""Checks of keyword options, all raising :class:`tts.InputError` in one message format.

"The 'by' parameter of summarize_time must be one of ['rep', 'team']; got 'x'." A bad argument
is an error of the caller's input, so it is an :class:`~tts.InputError` (also a
``ValueError``), never a bare ``ValueError`` or ``TypeError`` from deep inside pandas.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Real

from ._exceptions import InputError

__all__ = ["in_range", "one_of"]


def one_of(where: str, name: str, value: object, allowed: Iterable[object]) -> None:
    """Raise unless ``value`` is one of ``allowed``.

    >>> one_of("summarize_time", "by", "rep", ["rep", "team"])
    >>> one_of("summarize_time", "by", "x", ["rep", "team"])
    Traceback (most recent call last):
    ...
    tts._exceptions.InputError: The 'by' parameter of summarize_time must be one of ['rep', 'team']; got 'x'.
    """  # noqa: E501
    options = list(allowed)
    if value not in options:
        raise InputError(
            f"The {name!r} parameter of {where} must be one of {options}; got {value!r}."
        )


def in_range(
    where: str,
    name: str,
    value: object,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    high_open: bool = False,
    unit: str = "",
) -> float:
    """Return ``value`` as a float, or raise unless it is a finite number within the bounds.

    >>> in_range("capacity_scenarios", "travel_saving", 0.2, 0, 1, high_open=True)
    0.2
    """
    lo = "(" if low_open else "["
    hi = ")" if high_open else "]"
    span = (
        f"{lo}{'-inf' if low is None else f'{low:g}'}, {'inf' if high is None else f'{high:g}'}{hi}"
    )
    suffix = f" {unit}" if unit else ""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(float(value)):
        raise InputError(
            f"The {name!r} parameter of {where} must be a number in {span}{suffix}; got {value!r}."
        )
    x = float(value)
    bad = (low is not None and (x < low or (low_open and x == low))) or (
        high is not None and (x > high or (high_open and x == high))
    )
    if bad:
        raise InputError(
            f"The {name!r} parameter of {where} must be in {span}{suffix}; got {value!r}."
        )
    return x
