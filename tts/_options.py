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

__all__ = ["has_columns", "in_range", "instance_of", "one_of"]


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


def instance_of(where: str, name: str, value: object, types: type | tuple[type, ...]) -> None:
    """Raise unless ``value`` is an instance of ``types`` (what the caller should pass).

    >>> instance_of("diagnose", "ds", "data/", int)
    Traceback (most recent call last):
    ...
    tts._exceptions.InputError: The 'ds' parameter of diagnose must be a int; got a str ('data/').
    """
    if not isinstance(value, types):
        wanted = types if isinstance(types, tuple) else (types,)
        names = " or ".join(t.__name__ for t in wanted)
        shown = repr(value)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        raise InputError(
            f"The {name!r} parameter of {where} must be a {names}; got a "
            f"{type(value).__name__} ({shown})."
        )


def has_columns(where: str, name: str, frame: object, columns: list[str]) -> None:
    """Raise unless ``frame`` is a DataFrame holding ``columns``."""
    import pandas as pd

    instance_of(where, name, frame, pd.DataFrame)
    missing = [c for c in columns if c not in frame.columns]  # type: ignore[attr-defined]
    if missing:
        raise InputError(
            f"The {name!r} parameter of {where} lacks the column(s) {missing}; it has "
            f"{list(frame.columns)[:12]}."  # type: ignore[attr-defined]
        )
