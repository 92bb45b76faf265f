"""The company's standards that every rep-day is compared with.

Defaults are those of the Time to Sell method and live in the packaged ``data/standards.toml``;
a company overrides any of them in its own TOML file, and may give a channel its own visit band
(``[channel.KA]``) or a region its own rep-level standards (``[region."North"]``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ._exceptions import InputError
from .io.files import read_toml
from .schema import (
    ACTIVITY_CODES,
    CHANNEL_CODES,
    CUSTOMER_ACTIVITIES,
    NON_CUSTOMER_ACTIVITIES,
)

__all__ = ["Standards"]

_BANDS = ("visit_min", "travel_share")


@dataclass(frozen=True)
class Standards:
    """Standards of the working day.

    Attributes
    ----------
    customer_share_min : float
        Least share of the working day spent with customers (0–1).
    visit_min : tuple of float
        Target band of customer minutes per store visit, minutes (low, high).
    meeting_max_min : float
        Longest morning meeting, minutes.
    travel_share : tuple of float
        Target band of the travel share of the working day (0–1); the high end is the limit.
    day_max_h : float
        Longest working day, hours.
    visits_max : int
        Most store visits a day.
    admin_max_min : float
        Longest admin time a day (reports, order keying, stock counts at the depot), minutes.
        The method sets no figure for it; the default of 30 minutes is this package's
        assumption, stated in the report, and a company should set its own.
    customer_activities, non_customer_activities : tuple of str
        Which activity codes count as customer time and which do not; together they must cover
        every code exactly once.
    channel : mapping
        Channel code → visit band (minutes), for channels with their own.
    region : mapping
        Region → Standards, for regions with their own rep-level standards.

    Examples
    --------
    >>> s = Standards()
    >>> s.customer_share_min, s.visit_min, s.day_max_h
    (0.6, (8.0, 9.0), 9.0)
    >>> Standards(meeting_max_min=20).meeting_max_min
    20.0
    """

    customer_share_min: float = 0.60
    visit_min: tuple[float, float] = (8.0, 9.0)
    meeting_max_min: float = 15.0
    travel_share: tuple[float, float] = (0.15, 0.20)
    day_max_h: float = 9.0
    visits_max: int = 45
    admin_max_min: float = 30.0
    customer_activities: tuple[str, ...] = CUSTOMER_ACTIVITIES
    non_customer_activities: tuple[str, ...] = NON_CUSTOMER_ACTIVITIES
    channel: Mapping[str, tuple[float, float]] = field(default_factory=lambda: MappingProxyType({}))
    region: Mapping[str, Standards] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        for name in (
            "customer_share_min",
            "meeting_max_min",
            "day_max_h",
            "visits_max",
            "admin_max_min",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
                raise InputError(f"standard {name!r} must be a number; got {value!r}.")
            if value <= 0 and name != "customer_share_min":
                raise InputError(f"standard {name!r} must be above 0; got {value!r}.")
            object.__setattr__(self, name, float(value))
        if self.visits_max != int(self.visits_max):
            raise InputError(f"standard 'visits_max' must be a whole number; got {self.visits_max}")
        object.__setattr__(self, "visits_max", int(self.visits_max))
        for name in _BANDS:
            raw = getattr(self, name)
            try:
                band = tuple(float(x) for x in raw)
            except (TypeError, ValueError) as exc:
                raise InputError(
                    f"standard {name!r} must be a band [low, high]; got {raw!r}."
                ) from exc
            if len(band) != 2 or band[0] > band[1]:
                raise InputError(f"standard {name!r} must be a band [low, high]; got {band}.")
            object.__setattr__(self, name, band)
        if not 0 <= self.customer_share_min <= 1:
            raise InputError(
                f"standard 'customer_share_min' is a share between 0 and 1; "
                f"got {self.customer_share_min}."
            )
        cust, non = set(self.customer_activities), set(self.non_customer_activities)
        both = cust & non
        missing = set(ACTIVITY_CODES) - cust - non
        unknown = (cust | non) - set(ACTIVITY_CODES)
        if both or missing or unknown:
            raise InputError(
                "customer_activities and non_customer_activities must split the activity codes "
                f"{list(ACTIVITY_CODES)} exactly once; in both: {sorted(both)}, in neither: "
                f"{sorted(missing)}, unknown: {sorted(unknown)}."
            )
        bad = set(self.channel) - set(CHANNEL_CODES)
        if bad:
            raise InputError(
                f"standards name unknown channel(s) {sorted(bad)}; channels are "
                f"{list(CHANNEL_CODES)}."
            )
        object.__setattr__(self, "channel", MappingProxyType(dict(self.channel)))
        object.__setattr__(self, "region", MappingProxyType(dict(self.region)))

    @property
    def day_max_min(self) -> float:
        """Longest working day, minutes."""
        return self.day_max_h * 60.0

    def for_region(self, region: object) -> Standards:
        """The standards that hold for reps of ``region`` (the defaults where it has none)."""
        return self.region.get(str(region), self) if region is not None else self

    def visit_band(self, channel: object) -> tuple[float, float]:
        """The visit band, minutes, for a store of ``channel``."""
        return self.channel.get(str(channel), self.visit_min)

    @classmethod
    def default(cls) -> Standards:
        """The packaged default standards (``tts/data/standards.toml``)."""
        text = resources.files("tts").joinpath("data/standards.toml").read_text("utf-8")
        return cls.from_dict(tomllib.loads(text), source="standards.toml (default)")

    @classmethod
    def from_toml(cls, path: str | Path) -> Standards:
        """Read a company's standards; keys it leaves out keep their defaults.

        Raises
        ------
        InputError
            The file is missing or not TOML, or holds an unknown key or a bad value.
        """
        data, name = read_toml(path, "standards")
        return cls.from_dict(data, source=name)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "standards") -> Standards:
        """Build standards from a parsed TOML mapping (see :meth:`from_toml`)."""
        scalar = [f.name for f in fields(cls) if f.name not in ("channel", "region")]
        known = [*scalar, "channel", "region"]
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise InputError(
                f"{source}: unknown standard(s) {unknown}; the known ones are {known}.",
                file=source,
            )
        base = cls(**{k: _as_tuple(v) for k, v in data.items() if k in scalar})
        channel = {}
        for name, table in dict(data.get("channel", {})).items():
            extra = sorted(set(table) - {"visit_min"})
            if extra:
                raise InputError(
                    f"{source}: [channel.{name}] may set only 'visit_min'; got {extra}.",
                    file=source,
                )
            band = [float(x) for x in table["visit_min"]]
            if len(band) != 2 or band[0] > band[1]:
                raise InputError(
                    f"{source}: [channel.{name}] visit_min must be [low, high] minutes; "
                    f"got {band}.",
                    file=source,
                )
            channel[name] = (band[0], band[1])
        region = {}
        for name, table in dict(data.get("region", {})).items():
            bad = sorted(set(table) - set(scalar))
            if bad:
                raise InputError(
                    f"{source}: [region.{name}] has unknown standard(s) {bad}; the known ones "
                    f"are {scalar}.",
                    file=source,
                )
            region[str(name)] = replace(base, **{k: _as_tuple(v) for k, v in table.items()})
        return replace(base, channel=channel, region=region)


def _as_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
