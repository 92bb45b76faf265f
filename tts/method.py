"""The method's settings: one frozen object that every step of the diagnostic reads.

The *standards* (:class:`tts.Standards`) say what a good working day is; the *method* says how
the diagnostic measures it: the working week, the drive-time model, the thresholds of the data
audit, when a light turns amber or red, what counts as an ineffective customer, and the
assumptions used where the data are silent (a lunch break, the travel saving before a route
plan exists). Each setting is named once, here, and passed on: ``tts.load_dataset(...,
method=m)``, ``tts.diagnose(ds, method=m)``, ``tts.optimize_routes(ds, method=m)``,
``tts.run(..., method=m)``.

A company sets it in a TOML file with the same keys (``tts diagnose --method method.toml``);
keys left out keep their defaults and an unknown key is an error that lists the known ones. The
packaged ``data/method.toml`` holds every default with its unit.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._engines import SearchEffort
from ._exceptions import InputError
from .travel import TravelModel

__all__ = ["COORDINATE_SYSTEMS", "WEEKDAYS", "Method", "survey_weeks"]

#: Weekday names, Monday first (the order of ``datetime.weekday()``).
WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

#: Datums a GPS track may come in: ``wgs84`` (GPS itself) or ``gcj02`` (Chinese map services).
COORDINATE_SYSTEMS: tuple[str, ...] = ("wgs84", "gcj02")

_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Method:
    """How the diagnostic measures: working week, travel, audit thresholds, lights, assumptions.

    Attributes
    ----------
    weekdays : tuple of str
        The team's working weekdays (``Mon`` … ``Sun``). Sets missing days in the audit, the
        days a week of the weekly planner and the weekly figures per working day.
    travel : TravelModel
        Drive time from straight-line distance: ``speed_kmh`` (km/h) and ``circuity``
        (road ÷ great-circle distance). Used for plausible travel in check-in logs, road km
        between stores and the route optimiser.
    checkin_slack : float
        A gap between two check-ins is travel up to ``checkin_slack`` × the modelled drive +
        ``checkin_overhead_min``, and unexplained beyond (dimensionless).
    checkin_overhead_min : float
        Parking and walking per leg, minutes.
    checkin_no_coordinates_min : float
        Plausible travel for a leg whose end has no coordinates, minutes.
    checkin_radius_m : float
        A check-in farther than this from its store is not at the store, metres.
    checkin_visit_min : float
        Longest a visit never checked out is assumed to last (its end is estimated as the next
        check-in minus the modelled drive, at most this long after its check-in), minutes.
    depot_lat, depot_lon : float or None
        Where reps without a home start and end their days in a territory plan
        (:func:`tts.plan_territory`), degrees; by default the centroid of the customers.
    timezone : str or None
        The survey's time zone (IANA name, e.g. ``Asia/Shanghai``); None: decided by the
        loader from the data.
    lunch_min : float
        Lunch break assumed where a log records none, minutes.
    lunch_window : tuple of str
        Clock times (``HH:MM``) between which the assumed lunch break is taken.
    max_speed_kmh : float
        Fastest plausible average speed between two stores, km/h (audit).
    speed_min_distance_m : float
        Moves shorter than this are never flagged as too fast, metres (audit).
    min_visit_min, max_visit_min : float
        Store visits shorter or longer than these are suspicious, minutes (audit).
    min_day_h : float
        A logged day shorter than this was not surveyed to its end, hours (audit).
    max_unaccounted_min : float
        More unaccounted time than this in a day is suspicious, minutes (audit).
    heaping_base_min : int
        Durations in multiples of this many minutes are round numbers (audit).
    heaping_max_share : float
        A rep whose durations are round numbers more often than this estimated them (0–1).
    heaping_min_rows : int
        Fewest rows of a rep before round-number heaping is judged.
    copied_min_rows : int
        Fewest rows of a day before it is judged a copy of another.
    trust_green, trust_amber : float
        A rep's trust score (0–100) is green from ``trust_green``, amber from ``trust_amber``,
        red below.
    amber_margin : float
        A rep who misses a standard by at most this share of its target is amber, not red
        (0–1).
    team_red_rep_share : float
        The team's light on a standard is red when at least this share of the reps miss it
        (0–1).
    team_amber_day_share : float
        The team's light is amber when any rep, or more than this share of the rep-days,
        miss a standard (0–1).
    ineffective_share : float
        A customer whose sales per cost-minute fall below this share of its route's median is
        ineffective (0–1).
    long_visit_factor : float
        A customer whose visits average more than this many times the top of the visit band
        takes far longer than the standard (dimensionless).
    gini_max : float
        A rep whose customer minutes are spread with a Gini coefficient above this is
        unbalanced (0–1).
    frequency_tolerance : float
        Visits a week within this of the planned frequency are as planned (visits a week).
    peak_months : tuple of int
        Months (1–12) of the peak season.
    travel_saving : float
        Share of travel per visit a route plan is assumed to save in the capacity what-if
        until a plan is measured (0–1).
    calibrate : bool
        Fit the travel model to the logged travel before routes are optimised (see
        :mod:`tts.calibration`).
    calibration_min_hops : int
        Fewest logged hops a rep (else its route, region, team) needs for its own factor.
    calibration_ratio : tuple of float
        Hops whose logged ÷ modelled drive time falls outside this range are trimmed from the
        fit (dimensionless).
    min_change_share : float
        The smallest change between two diagnostic waves called a change, as a share of the
        standard's target value (0–1).
    gps_stay_radius_m : float
        A stay is a run of positions within this distance of its first one (the sliding window
        of the stay-point method), and a stay is at a customer whose store lies within this
        distance of its centre, metres.
    gps_min_stay_min : float
        Shortest stay: a stop shorter than this (a red light, a jam) is travel, minutes.
    gps_max_gap_min : float
        Positions further apart in time than this leave a gap the track cannot explain
        (``unexplained``, never travel), minutes.
    gps_max_accuracy_m : float
        Positions whose stated accuracy is worse than this are set aside at loading, metres.
    gps_coordinate_system : str
        Datum of the track's positions: ``wgs84`` (GPS), or ``gcj02`` (Chinese map services),
        converted to WGS-84 at loading.
    gps_min_presence_share : float
        A logged visit the track shows within ``checkin_radius_m`` of the store for less than
        this share of its claimed minutes is contradicted by the track (0–1).
    gps_min_coverage_share : float
        The track must cover at least this share of a logged visit's minutes to judge it
        (0–1).
    route_effort : float
        Scales every count of the day optimiser's search (dimensionless; 1 = as measured in
        ``benchmarks/results/routes.md``; 2 searches about twice as long, the seeded search
        followed further, for a plan usually as good or better; 0.5 half as long). Read by
        :func:`tts.optimize_routes`, the weekly planner and the territory plan.
    route_hgs_iterations : tuple of (float, int, int)
        HGS iterations without improvement on a day without opening hours: per stop, at
        least, at most (iterations).
    route_pyvrp_no_improvement : tuple of (float, int, int)
        PyVRP iterations without improvement on a day with opening hours or a binding day
        limit: per stop, at least, at most (iterations).
    route_pyvrp_iterations : tuple of (float, int, int)
        PyVRP iterations in all on such a day: per stop, at least, at most (iterations).
    route_solutions : int
        OR-Tools solutions on such a day, before PyVRP carries the search on (solutions).
    route_solutions_alone : int
        OR-Tools solutions on such a day when PyVRP does not follow: the territory plan's
        trial days, whose overfull days are cured by moving customers (solutions).
    route_safety_s : tuple of (float, float)
        The wall-clock safety net of each engine on a day: seconds, plus seconds a stop. Not a
        stop condition (the counts above are): at the defaults it does not bind on days of up
        to 150 stops, and a day on which it binds says so in its note.
    currency : str
        Currency of sales values (e.g. ``CNY``).
    volume_unit : str
        Unit of sales volumes (e.g. ``cases``).

    Examples
    --------
    >>> m = Method()
    >>> m.days_per_week, m.weekmask
    (6, 'Mon Tue Wed Thu Fri Sat')
    >>> Method(weekdays=("Mon", "Tue", "Wed", "Thu", "Fri")).days_per_week
    5
    """

    weekdays: tuple[str, ...] = WEEKDAYS[:6]
    travel: TravelModel = field(default_factory=TravelModel)
    checkin_slack: float = 1.5
    checkin_overhead_min: float = 5.0
    checkin_no_coordinates_min: float = 30.0
    checkin_radius_m: float = 300.0
    checkin_visit_min: float = 9.0
    timezone: str | None = None
    depot_lat: float | None = None
    depot_lon: float | None = None
    lunch_min: float = 30.0
    lunch_window: tuple[str, str] = ("11:00", "14:00")
    max_speed_kmh: float = 80.0
    speed_min_distance_m: float = 300.0
    min_visit_min: float = 1.0
    max_visit_min: float = 120.0
    min_day_h: float = 4.0
    max_unaccounted_min: float = 30.0
    heaping_base_min: int = 5
    heaping_max_share: float = 0.6
    heaping_min_rows: int = 20
    copied_min_rows: int = 5
    trust_green: float = 90.0
    trust_amber: float = 70.0
    amber_margin: float = 0.10
    team_red_rep_share: float = 0.5
    team_amber_day_share: float = 0.10
    ineffective_share: float = 0.25
    long_visit_factor: float = 2.0
    gini_max: float = 0.5
    frequency_tolerance: float = 0.5
    peak_months: tuple[int, ...] = (5, 6, 7, 8, 9)
    travel_saving: float = 0.15
    calibrate: bool = True
    calibration_min_hops: int = 20
    calibration_ratio: tuple[float, float] = (0.25, 4.0)
    min_change_share: float = 0.05
    gps_stay_radius_m: float = 100.0
    gps_min_stay_min: float = 5.0
    gps_max_gap_min: float = 10.0
    gps_max_accuracy_m: float = 100.0
    gps_coordinate_system: str = "wgs84"
    gps_min_presence_share: float = 0.5
    gps_min_coverage_share: float = 0.5
    route_effort: float = 1.0
    route_hgs_iterations: tuple[float, int, int] = (5.0, 200, 1000)
    route_pyvrp_no_improvement: tuple[float, int, int] = (3.0, 100, 1000)
    route_pyvrp_iterations: tuple[float, int, int] = (50.0, 2000, 10000)
    route_solutions: int = 40
    route_solutions_alone: int = 100
    route_safety_s: tuple[float, float] = (30.0, 0.2)
    currency: str = "CNY"
    volume_unit: str = "cases"

    def __post_init__(self) -> None:
        _check(self)

    # -- the working week ---------------------------------------------------------------------

    @property
    def days_per_week(self) -> int:
        """Working days a week."""
        return len(self.weekdays)

    @property
    def weekmask(self) -> str:
        """The working week as numpy's business-day mask (``"Mon Tue Wed Thu Fri Sat"``)."""
        return " ".join(self.weekdays)

    @property
    def weekday_numbers(self) -> tuple[int, ...]:
        """The working weekdays as numbers, Monday = 0."""
        return tuple(WEEKDAYS.index(d) for d in self.weekdays)

    @property
    def search_effort(self) -> SearchEffort:
        """The day optimiser's counts (the ``route_*`` settings), as :func:`solve_day` takes them.

        >>> Method(route_effort=2).search_effort.for_stops(45).solution_limit
        80
        """
        return SearchEffort(
            hgs_iterations=self.route_hgs_iterations,
            pyvrp_no_improvement=self.route_pyvrp_no_improvement,
            pyvrp_iterations=self.route_pyvrp_iterations,
            solutions=self.route_solutions,
            solutions_alone=self.route_solutions_alone,
            safety_s=self.route_safety_s,
            scale=self.route_effort,
        )

    def trust_light(self, score: float) -> str:
        """The light of a trust score (0–100): ``green``, ``amber`` or ``red``.

        >>> [Method().trust_light(s) for s in (95, 80, 40)]
        ['green', 'amber', 'red']
        """
        if score >= self.trust_green:
            return "green"
        return "amber" if score >= self.trust_amber else "red"

    # -- reading ------------------------------------------------------------------------------

    @classmethod
    def from_toml(cls, path: str | Path) -> Method:
        """Read a company's method settings; keys it leaves out keep their defaults.

        Raises
        ------
        InputError
            The file is missing or not TOML, or holds an unknown key or a bad value.
        """
        from .io.files import read_toml  # the loading package sits above this module

        data, name = read_toml(path, "method")
        return cls.from_dict(data, source=name)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "method") -> Method:
        """Build the settings from a parsed TOML mapping (see :meth:`from_toml`)."""
        known = [f.name for f in fields(cls)]
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise InputError(
                f"{source}: unknown method setting(s) {unknown}; the known ones are {known}.",
                file=source,
            )
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key == "travel":
                if not isinstance(value, Mapping):
                    raise InputError(
                        f"{source}: 'travel' is a table ([travel] speed_kmh = 20, circuity = "
                        f"1.3); got {value!r}.",
                        file=source,
                    )
                extra = sorted(set(value) - {"speed_kmh", "circuity", "factor"})
                if extra:
                    raise InputError(
                        f"{source}: [travel] may set 'speed_kmh', 'circuity' and 'factor'; got "
                        f"{extra}.",
                        file=source,
                    )
                values[key] = replace(TravelModel(), **value)
            else:
                values[key] = tuple(value) if isinstance(value, list) else value
        try:
            return cls(**values)
        except InputError as exc:
            raise InputError(f"{source}: {exc}", file=source) from exc

    @classmethod
    def default(cls) -> Method:
        """The packaged defaults (``tts/data/method.toml``), equal to ``Method()``."""
        text = resources.files("tts").joinpath("data/method.toml").read_text("utf-8")
        return cls.from_dict(tomllib.loads(text), source="method.toml (default)")


def _check(m: Method) -> None:
    """Validate and normalise the settings; every problem raises :class:`InputError`."""

    def bad(name: str, expected: str, value: object) -> InputError:
        return InputError(f"method setting {name!r} must be {expected}; got {value!r}.")

    days = tuple(str(d).strip().capitalize()[:3] for d in m.weekdays)
    if not days or len(set(days)) != len(days) or not set(days) <= set(WEEKDAYS):
        raise bad("weekdays", f"distinct weekday names among {list(WEEKDAYS)}", m.weekdays)
    object.__setattr__(m, "weekdays", tuple(d for d in WEEKDAYS if d in days))
    if not isinstance(m.travel, TravelModel):
        raise bad("travel", "a TravelModel", m.travel)
    if not (m.travel.speed_kmh > 0 and m.travel.circuity >= 1 and m.travel.factor > 0):
        raise bad(
            "travel", "a speed above 0 km/h, a circuity of at least 1, a factor above 0", m.travel
        )
    if not isinstance(m.calibrate, bool):
        raise bad("calibrate", "true or false", m.calibrate)
    ratio = tuple(m.calibration_ratio)
    if (
        len(ratio) != 2
        or not all(isinstance(x, int | float) for x in ratio)
        or not (0 < ratio[0] < 1 < ratio[1])
    ):
        raise bad("calibration_ratio", "[low, high] with 0 < low < 1 < high", m.calibration_ratio)
    object.__setattr__(m, "calibration_ratio", (float(ratio[0]), float(ratio[1])))
    positive = (
        "checkin_slack",
        "checkin_radius_m",
        "checkin_visit_min",
        "max_speed_kmh",
        "max_visit_min",
        "min_day_h",
        "long_visit_factor",
        "gps_stay_radius_m",
        "gps_min_stay_min",
        "gps_max_gap_min",
        "gps_max_accuracy_m",
    )
    non_negative = (
        "checkin_overhead_min",
        "checkin_no_coordinates_min",
        "lunch_min",
        "speed_min_distance_m",
        "min_visit_min",
        "max_unaccounted_min",
        "frequency_tolerance",
    )
    shares = (
        "heaping_max_share",
        "amber_margin",
        "team_red_rep_share",
        "team_amber_day_share",
        "ineffective_share",
        "gini_max",
        "min_change_share",
        "gps_min_presence_share",
        "gps_min_coverage_share",
    )
    for name in positive + non_negative + shares + ("trust_green", "trust_amber"):
        value = getattr(m, name)
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise bad(name, "a number", value)
        object.__setattr__(m, name, float(value))
    for name in positive:
        if getattr(m, name) <= 0:
            raise bad(name, "above 0", getattr(m, name))
    for name in non_negative:
        if getattr(m, name) < 0:
            raise bad(name, "at least 0", getattr(m, name))
    for name in shares:
        if not 0 <= getattr(m, name) <= 1:
            raise bad(name, "a share between 0 and 1", getattr(m, name))
    if not 0 <= m.travel_saving < 1:
        raise bad("travel_saving", "a share in [0, 1)", m.travel_saving)
    object.__setattr__(m, "travel_saving", float(m.travel_saving))
    if m.min_visit_min >= m.max_visit_min:
        raise bad("min_visit_min", f"below max_visit_min ({m.max_visit_min:g})", m.min_visit_min)
    if not 0 <= m.trust_amber <= m.trust_green <= 100:
        raise bad(
            "trust_green and trust_amber",
            "scores with 0 <= trust_amber <= trust_green <= 100",
            (m.trust_green, m.trust_amber),
        )
    for name in ("heaping_base_min", "heaping_min_rows", "copied_min_rows", "calibration_min_hops"):
        value = getattr(m, name)
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise bad(name, "a whole number of at least 1", value)
        object.__setattr__(m, name, int(value))
    months = tuple(m.peak_months)
    if not all(isinstance(x, int | np.integer) and 1 <= x <= 12 for x in months):
        raise bad("peak_months", "month numbers 1-12", m.peak_months)
    object.__setattr__(m, "peak_months", tuple(sorted({int(x) for x in months})))
    window = tuple(m.lunch_window)
    if len(window) != 2 or not all(isinstance(x, str) and _CLOCK.match(x) for x in window):
        raise bad("lunch_window", "two clock times ['HH:MM', 'HH:MM']", m.lunch_window)
    window = (window[0].zfill(5), window[1].zfill(5))
    if window[0] >= window[1]:
        raise bad("lunch_window", "a start before its end", m.lunch_window)
    object.__setattr__(m, "lunch_window", window)
    if (m.depot_lat is None) != (m.depot_lon is None):
        raise bad(
            "depot_lat and depot_lon", "both set or both left out", (m.depot_lat, m.depot_lon)
        )
    for name, top in (("depot_lat", 90), ("depot_lon", 180)):
        value = getattr(m, name)
        if value is None:
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not -top <= value <= top
        ):
            raise bad(name, f"degrees between -{top} and {top}", value)
        object.__setattr__(m, name, float(value))
    if m.timezone is not None:
        try:
            pd.Timestamp("2026-01-01").tz_localize(m.timezone)
        except Exception as exc:  # zoneinfo and pytz raise different types
            expected = "an IANA time zone name such as 'Asia/Shanghai'"
            raise bad("timezone", expected, m.timezone) from exc
    system = str(m.gps_coordinate_system).strip().lower().replace("-", "").replace("_", "")
    if system not in COORDINATE_SYSTEMS:
        raise bad(
            "gps_coordinate_system", f"one of {list(COORDINATE_SYSTEMS)}", m.gps_coordinate_system
        )
    object.__setattr__(m, "gps_coordinate_system", system)
    for name in ("currency", "volume_unit"):
        value = getattr(m, name)
        if not isinstance(value, str) or not value.strip():
            raise bad(name, "a non-empty text", value)
    _check_search(m, bad)


def _number(x: object) -> bool:
    return not isinstance(x, bool) and isinstance(x, int | float | np.integer | np.floating)


def _check_search(m: Method, bad: Any) -> None:
    """Validate the day optimiser's ``route_*`` settings."""
    if not (_number(m.route_effort) and m.route_effort > 0):
        raise bad("route_effort", "a number above 0", m.route_effort)
    object.__setattr__(m, "route_effort", float(m.route_effort))
    for name in ("route_hgs_iterations", "route_pyvrp_no_improvement", "route_pyvrp_iterations"):
        rule = tuple(getattr(m, name))
        if (
            len(rule) != 3
            or not all(_number(x) for x in rule)
            or rule[0] < 0
            or not all(float(x).is_integer() for x in rule[1:])
            or not 1 <= rule[1] <= rule[2]
        ):
            raise bad(name, "[per stop, at least, at most] with 0 <= per stop, 1 <= least <= most",
                      getattr(m, name))  # fmt: skip
        object.__setattr__(m, name, (float(rule[0]), int(rule[1]), int(rule[2])))
    for name in ("route_solutions", "route_solutions_alone"):
        value = getattr(m, name)
        if not (_number(value) and float(value).is_integer() and value >= 1):
            raise bad(name, "a whole number of at least 1", value)
        object.__setattr__(m, name, int(value))
    safety = tuple(m.route_safety_s)
    if len(safety) != 2 or not all(_number(x) for x in safety) or safety[0] <= 0 or safety[1] < 0:
        raise bad("route_safety_s", "[seconds above 0, seconds a stop of at least 0]",
                  m.route_safety_s)  # fmt: skip
    object.__setattr__(m, "route_safety_s", (float(safety[0]), float(safety[1])))


def survey_weeks(dates: pd.Series) -> int:
    """Calendar weeks (Monday to Sunday) holding at least one of ``dates`` (at least 1).

    The survey's weekly figures (visits a week, minutes a week) divide by this.

    >>> survey_weeks(pd.Series(pd.to_datetime(["2026-03-02", "2026-03-07", "2026-03-09"])))
    2
    """
    days = pd.Series(pd.to_datetime(dates)).drop_duplicates()
    if days.empty:
        return 1
    monday = (days - pd.to_timedelta(days.dt.day_of_week, unit="D")).dt.normalize()
    return max(int(monday.nunique()), 1)
