"""Route optimisation: re-sequencing a rep-day's visits.

One day is a path from a start node (home, depot, or the first logged position) through the
day's stores to an end node. The model, as measured on this project's benchmarks
(``benchmarks/bench_routes.py``, figures in ``benchmarks/results/routes.md``):

- drive times in integer seconds, given as matrices (OR-Tools' ``RegisterTransitMatrix``,
  PyVRP's and HGS's own matrices), never a Python callback;
- service time at each store, opening hours (the rep may wait for a store to open and must
  finish before it closes) and a cap on the working-day span;
- every store optional, with a penalty far above any detour, so an infeasible day still gives
  a plan and says which stores could not fit, and why.

Engines (see :mod:`tts._engines`), each stopped on a count sized by the number of stops, so
the same input gives the same plan on every run and on a busy or an idle machine:

- a day without opening hours on a symmetric matrix: HGS (hybrid genetic search) finds the
  shortest path through every stop; it is the plan when it keeps to the day limit;
- otherwise: OR-Tools' routing model (first solution, guided local search, ``solution_limit``)
  then PyVRP's prize-collecting search warm started from OR-Tools' order;
- a day above :data:`tts._engines.DENSE_LIMIT` stops: no dense model, a nearest-neighbour path
  improved window by window, said in the day's ``note``.

The wall clock is only a safety net (a day on which it bound says so in its ``note``).

The returned schedule is recomputed from the sequence (arrivals, waits, lateness); a store
still reached after closing is reported as dropped, with its reason, so windows and the day
limit hold in every returned plan. The logged order, evaluated the same way, is returned
instead whenever it is at least as good: the result is never worse than what the rep drove.
"""

from __future__ import annotations

import enum
import itertools
import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ._engines import (
    DENSE_LIMIT,
    Budget,
    SearchEffort,
    hgs_order,
    is_symmetric,
    pyvrp_order,
    sequence_large,
)
from ._exceptions import OptimizationError
from .travel import DayLegs, LegView

__all__ = [
    "Budget",
    "DayRoute",
    "SearchEffort",
    "SolverStatus",
    "evaluate_order",
    "solve_day",
]

IntArray = npt.NDArray[np.int64]
#: A day's drive times or distances: a square matrix, or legs computed when asked.
Matrix = IntArray | LegView

#: Penalty for leaving a store out (objective units = seconds of driving): far above any detour.
DROP_PENALTY = 10_000_000


class SolverStatus(enum.Enum):
    """How a day's search ended (OR-Tools' ``RoutingSearchStatus``, by name, plus our own)."""

    NOT_SOLVED = "ROUTING_NOT_SOLVED"
    SUCCESS = "ROUTING_SUCCESS"
    PARTIAL_SUCCESS = "ROUTING_PARTIAL_SUCCESS_LOCAL_OPTIMUM_NOT_REACHED"
    FAIL = "ROUTING_FAIL"
    FAIL_TIMEOUT = "ROUTING_FAIL_TIMEOUT"
    INVALID = "ROUTING_INVALID"
    INFEASIBLE = "ROUTING_INFEASIBLE"
    OPTIMAL = "ROUTING_OPTIMAL"
    ENUMERATED = "ENUMERATED"  # three stops or fewer: every order tried, no solver
    SOLVED = "SOLVED"  # HGS or PyVRP found the order, each stopped on its count
    SPLIT = "SPLIT"  # too many stops for a dense model: sequenced window by window

    @classmethod
    def from_routing(cls, value: int) -> SolverStatus:
        """Map ``RoutingModel.status()`` to a member, by the enum's name, not its number."""
        from ortools.constraint_solver import routing_enums_pb2

        name = routing_enums_pb2.RoutingSearchStatus.Value.Name(value)
        for member in cls:
            if member.value == name:
                return member
        raise OptimizationError(f"unknown OR-Tools routing status {name} ({value})")


@dataclass(frozen=True)
class DayRoute:
    """The best order found for one day.

    Attributes
    ----------
    order : tuple of int
        Stops (0-based, as given) in the planned order; only stores served on time.
    dropped : tuple of int
        Stops that could not be served within opening hours and the day limit.
    reasons : tuple of str
        Why each dropped stop was dropped, aligned with ``dropped``.
    arrival_s : tuple of int
        Planned arrival at each stop of ``order``, seconds since midnight.
    travel_s, distance_m : int
        Drive time (seconds) and road distance (metres) of the planned path, start to end.
    logged_travel_s, logged_distance_m : int
        The same for the logged order.
    span_s : int
        From departure to arrival at the end node, seconds (waits included).
    status : SolverStatus
        How the search ended.
    kept_logged : bool
        True when the logged order was as good as anything found and is returned as is.
    engine : str
        What produced the order: ``hgs``, ``or-tools``, ``pyvrp``, ``enumeration`` (tiny
        days), ``windows`` (days too large for a dense model), ``logged`` or ``logged-cut``
        (the logged order up to where the day limit is reached, when nothing else fits).
    note : str
        Anything the reader of the plan should know: a day sequenced window by window, or a
        search stopped by the wall-clock safety net; empty otherwise.
    """

    order: tuple[int, ...]
    dropped: tuple[int, ...]
    reasons: tuple[str, ...]
    arrival_s: tuple[int, ...]
    travel_s: int
    distance_m: int
    logged_travel_s: int
    logged_distance_m: int
    span_s: int
    status: SolverStatus
    kept_logged: bool
    engine: str = "or-tools"
    note: str = ""


@dataclass(frozen=True)
class _Schedule:
    served: tuple[int, ...]
    late: tuple[int, ...]
    arrival_s: tuple[int, ...]
    travel_s: int
    distance_m: int
    span_s: int


def evaluate_order(
    order: npt.ArrayLike,
    duration_s: Matrix,
    distance_m: Matrix,
    service_s: IntArray,
    open_s: IntArray,
    latest_s: IntArray,
    depart_s: int,
) -> _Schedule:
    """Replay a stop order: arrivals, waits for opening, lateness, drive time and distance.

    Nodes: 0 is the start, 1..n the stops, n + 1 the end; ``order`` lists stops 0..n-1.
    A stop reached after ``latest_s`` is late: it is skipped (the rep drives on) and listed.
    """
    stops = [int(s) + 1 for s in np.asarray(order, dtype=np.int64)]
    end = len(service_s) - 1
    t = depart_s
    here = 0
    travel = 0
    dist = 0
    served: list[int] = []
    arrivals: list[int] = []
    late: list[int] = []
    for node in stops:
        arrive = t + int(duration_s[here, node])
        if arrive > latest_s[node]:
            late.append(node - 1)
            continue
        travel += int(duration_s[here, node])
        dist += int(distance_m[here, node])
        start = max(arrive, int(open_s[node]))
        served.append(node - 1)
        arrivals.append(start)
        t = start + int(service_s[node])
        here = node
    travel += int(duration_s[here, end])
    dist += int(distance_m[here, end])
    t += int(duration_s[here, end])
    return _Schedule(tuple(served), tuple(late), tuple(arrivals), travel, dist, t - depart_s)


def _key(s: _Schedule) -> tuple[int, int]:
    return (len(s.late), s.travel_s)


def solve_day(
    duration_s: npt.ArrayLike | DayLegs,
    distance_m: npt.ArrayLike | None = None,
    *,
    service_s: npt.ArrayLike | None = None,
    open_s: npt.ArrayLike | None = None,
    close_s: npt.ArrayLike | None = None,
    depart_s: int = 0,
    max_span_s: int | None = None,
    logged: npt.ArrayLike | None = None,
    solution_limit: int | None = None,
    time_limit_s: float | None = None,
    gls_lambda: float = 0.5,
    warm_start: bool = False,
    first_solution: str | None = None,
    pyvrp_iterations: int | None = None,
    effort: float = 1.0,
    budget: SearchEffort | None = None,
) -> DayRoute:
    """Re-sequence one day's stops.

    Every stop condition is a count sized by the number of stops (``budget``, see
    :class:`SearchEffort`), so the same input gives the same plan on an idle and on a busy
    machine; the wall clock is only a safety net, and a day on which it bound says so in its
    ``note``. At the default settings the safety net is 30 s + 0.2 s a stop (60 s at 150
    stops), which does not bind on days of up to 150 stops: the counts stop the search first
    (at most 1.7 s of processor time on the 107-159-stop TSPLIB tours, 5-6 s on 150-stop
    days with opening hours and a day limit, see ``benchmarks/results/routes.md``), even
    with the machine's other core busy.

    Parameters
    ----------
    duration_s : array_like or DayLegs
        Square drive-time matrix, seconds, over nodes: 0 = start, 1..n = stops, n+1 = end;
        or the day's :class:`~tts.travel.DayLegs` (its travel source and points), which
        builds the two matrices for a day up to the dense-model limit and none above it
        (memory then grows with the stops, not their square).
    distance_m : array_like, optional
        Road distances over the same nodes, metres (reported, not optimised); from the legs
        when ``duration_s`` is a DayLegs.
    service_s : array_like, optional
        Time spent at each stop, seconds (length n).
    open_s, close_s : array_like, optional
        Opening and closing time of each stop, seconds since midnight (length n); a visit must
        end by closing time.
    depart_s : int
        Departure from the start node, seconds since midnight.
    max_span_s : int, optional
        Longest route from departure to arrival at the end, seconds (waits included). Every
        returned plan keeps to it; the logged order is returned only when it does too.
    logged : array_like, optional
        The order the rep drove (stops 0..n-1): the bar to beat (and OR-Tools' warm start
        with ``warm_start``).
    solution_limit : int, optional
        Solutions OR-Tools may find before it stops; default ``budget.solutions`` (40) times
        ``effort``: PyVRP carries the search on from OR-Tools' order; with PyVRP off
        (``pyvrp_iterations=0``), ``budget.solutions_alone`` (100) times ``effort``.
    time_limit_s : float, optional
        Wall-clock safety net of each engine, seconds; default ``budget.safety_s`` (30 s +
        0.2 s a stop), which does not bind on days of up to 150 stops even on a loaded
        machine.
    gls_lambda : float
        OR-Tools' guided local search lambda coefficient.
    warm_start : bool
        Start OR-Tools from the logged order instead of a cheapest-arc path.
    first_solution : str, optional
        OR-Tools first-solution strategy, by name. By default ``CHRISTOFIDES`` with
        multi-armed-bandit operator selection without opening hours, and
        ``LOCAL_CHEAPEST_INSERTION`` without the bandit with them.
    pyvrp_iterations : int, optional
        PyVRP's cap on iterations (it also stops after ``budget.pyvrp_no_improvement``
        iterations without improvement: 3 a stop, at least 100, at most 1,000); default
        ``budget.pyvrp_iterations``: 50 a stop, at least 2,000 and at most 10,000. 0 turns
        PyVRP off.
    effort : float
        Scales every count of the budget (1 = as measured in the benchmarks).
    budget : SearchEffort, optional
        The counts per stop of every engine and the safety net; default ``SearchEffort()``,
        the method's defaults (:attr:`tts.Method.search_effort`).

    Returns
    -------
    DayRoute

    Raises
    ------
    OptimizationError
        The inputs do not describe a day (shapes, negative times) or OR-Tools refuses the model.

    Notes
    -----
    Which engines run (figures in ``benchmarks/results/routes.md``):

    - no opening hours, a symmetric matrix: HGS (``hygese``) finds the shortest path through
      every stop; if that path keeps to the day limit it is the plan;
    - otherwise (opening hours, an asymmetric matrix, or a day limit that the shortest path
      breaks): OR-Tools' model with every stop optional, then PyVRP's prize-collecting search
      warm started from OR-Tools' order; the better replayed schedule is kept;
    - more than :data:`tts._engines.DENSE_LIMIT` stops: no dense model; a nearest-neighbour
      path improved in windows of 100 stops (see the day's ``note``).

    Examples
    --------
    Stores on a line at 1, 3 and 2 km (a minute a km), home at 0, visited in the order 3, 1, 2:

    >>> x = np.array([0, 1, 3, 2, 0])
    >>> r = solve_day(np.abs(x[:, None] - x[None, :]) * 60, logged=[1, 0, 2])
    >>> r.travel_s // 60, r.logged_travel_s // 60, r.kept_logged
    (6, 8, False)
    """
    legs: DayLegs | None = None
    if isinstance(duration_s, DayLegs):
        if duration_s.size - 2 > DENSE_LIMIT:
            legs = duration_s
        else:  # small enough for the dense model: its two matrices, as any day's
            duration_s, distance_m = duration_s.sub(np.arange(duration_s.size))
    dur: Matrix
    dist: Matrix
    if legs is None:
        mat = np.asarray(duration_s, dtype=np.int64)
        mat_m = _check_matrices(mat, distance_m)
        dur, dist, size = mat, mat_m, mat.shape[0]
    else:  # no square matrix: legs computed when asked, along the paths replayed
        mat = mat_m = np.zeros((0, 0), dtype=np.int64)  # read by the dense engines only
        dur, dist, size = legs.duration, legs.distance, legs.size
    if not 0 <= depart_s <= 2 * 86_400:
        raise OptimizationError(
            f"depart_s must be seconds since midnight (0 to 172800); got {depart_s}."
        )
    if not effort > 0:
        raise OptimizationError(f"effort must be above 0; got {effort}.")
    n = size - 2
    service = np.zeros(size, dtype=np.int64)
    open_ = np.zeros(size, dtype=np.int64)
    horizon = int(depart_s + mat.sum() + 3 * 86_400) if legs is None else _FAR
    latest = np.full(size, horizon, dtype=np.int64)
    if service_s is not None:
        service[1:-1] = np.asarray(service_s, dtype=np.int64)
    if open_s is not None:
        open_[1:-1] = np.asarray(open_s, dtype=np.int64)
    if close_s is not None:
        latest[1:-1] = np.maximum(np.asarray(close_s, dtype=np.int64) - service[1:-1], open_[1:-1])
    logged_order = np.arange(n) if logged is None else np.asarray(logged, dtype=np.int64)
    if sorted(logged_order.tolist()) != list(range(n)):
        raise OptimizationError(
            f"logged must list each of the {n} stops once; got {logged_order.tolist()}."
        )
    windowed = open_s is not None or close_s is not None
    if legs is not None:
        legs.prefetch(np.r_[0, logged_order + 1, n + 1])
    base = evaluate_order(logged_order, dur, dist, service, open_, latest, depart_s)
    limit = int(max_span_s) if max_span_s is not None else horizon
    counts = (budget or SearchEffort()).for_stops(n, effort=effort)
    safety = float(time_limit_s) if time_limit_s is not None else counts.safety_s
    pyvrp_cap = counts.pyvrp_iterations if pyvrp_iterations is None else int(pyvrp_iterations)
    note = ""

    def replay(order: list[int]) -> _Schedule:
        if legs is not None:
            legs.prefetch(np.r_[0, np.asarray(order, dtype=np.int64) + 1, n + 1])
        s = evaluate_order(order, dur, dist, service, open_, latest, depart_s)
        return _append_dropped(s, order, n) if len(order) < n else s

    def cut(s: _Schedule) -> _Schedule:
        if s.span_s <= limit:
            return s
        kept = _within_day(s.served, dur, service, open_, latest, depart_s, limit)
        return replay(list(kept))

    candidates: list[tuple[_Schedule, str]] = []
    if n <= 3:
        tiny = _enumerate(n, mat, mat_m, service, open_, latest, depart_s, limit)
        # no order fits the day: every stop is listed as dropped
        candidates.append((_append_dropped(tiny, list(tiny.served + tiny.late), n), "enumeration"))
        status = SolverStatus.ENUMERATED
    elif n > DENSE_LIMIT:
        order, note = sequence_large(
            legs if legs is not None else mat,
            iterations=min(counts.hgs_iterations, 100),
            time_limit_s=safety,
            limit=DENSE_LIMIT,
        )
        candidates.append((replay(order), "windows"))
        status = SolverStatus.SPLIT
        if windowed or max_span_s is not None:
            note += "; opening hours and the day limit applied when the path is replayed"
    else:
        status = SolverStatus.SOLVED
        if not windowed and is_symmetric(mat):
            tour = hgs_order(mat, iterations=counts.hgs_iterations, seed=0)
            if tour is not None:
                candidates.append((replay(tour), "hgs"))
        fits = any(not s.late and s.span_s <= limit for s, _ in candidates)
        if not fits:
            clock = time.monotonic()
            found, status = _search(
                mat,
                service,
                open_,
                latest,
                depart_s,
                limit,
                logged_order,
                solution_limit
                or (counts.solution_limit if pyvrp_cap else counts.solution_limit_alone),
                safety,
                gls_lambda,
                warm_start,
                first_solution or ("CHRISTOFIDES" if not windowed else "LOCAL_CHEAPEST_INSERTION"),
                not windowed,
            )
            if time.monotonic() - clock >= 0.98 * safety:
                note = _TIMED_OUT
            if found is not None:
                candidates.append((replay(found), "or-tools"))
            # PyVRP from OR-Tools' order; when stores are still left out, once more from its
            # own start with another seed (each engine and seed gets stuck on other days).
            starts = [(1, found), (2, None)] if pyvrp_cap else []
            for seed, initial in starts:
                if seed > 1 and not min(candidates, key=lambda c: _key(c[0]))[0].late:
                    break
                clock = time.monotonic()
                alt = pyvrp_order(
                    mat,
                    service,
                    open_,
                    latest,
                    depart_s,
                    limit,
                    no_improvement=min(counts.pyvrp_no_improvement, pyvrp_cap),
                    iterations=pyvrp_cap,
                    seed=seed,
                    time_limit_s=safety,
                    prize=DROP_PENALTY,
                    timed=True,
                    initial=initial,
                )
                if time.monotonic() - clock >= 0.98 * safety:
                    note = _TIMED_OUT
                if alt is not None:
                    candidates.append((replay(alt), "pyvrp"))
    # A path longer than the day keeps its stops up to where the day is full (the rest are
    # dropped, with their reason); so does the logged order when nothing else fits.
    valid = [(cut(s), e) for s, e in candidates]
    if not any(s.span_s <= limit for s, _ in valid):
        valid.append((cut(base), "logged-cut"))
    valid = [(s, e) for s, e in valid if s.span_s <= limit]
    best, engine = min(valid, key=lambda c: _key(c[0])) if valid else (base, "logged")
    # The logged order is the bar when it is a valid plan (within the day limit).
    kept = base.span_s <= limit and (_key(base) <= _key(best) or best.span_s > limit)
    final = base if kept else best
    engine = "logged" if kept else engine
    dropped = tuple(final.late)
    reasons = tuple(_reason(s, dur, open_, latest, depart_s, limit) for s in dropped)
    return DayRoute(
        order=final.served,
        dropped=dropped,
        reasons=reasons,
        arrival_s=final.arrival_s,
        travel_s=final.travel_s,
        distance_m=final.distance_m,
        logged_travel_s=base.travel_s,
        logged_distance_m=base.distance_m,
        span_s=final.span_s,
        status=status,
        kept_logged=kept,
        engine=engine,
        note=note,
    )


#: The horizon of a day given as legs (no matrix to sum): far beyond any day, in seconds.
_FAR = 10**12


def _check_matrices(dur: IntArray, distance_m: npt.ArrayLike | None) -> IntArray:
    """Validate the day's square matrices; the distances (zeros when not given)."""
    size = dur.shape[0] if dur.ndim else 0
    if dur.ndim != 2 or dur.shape[1] != size or size < 2:
        raise OptimizationError(
            f"duration_s must be a square matrix of at least 2 nodes; got shape {dur.shape}."
        )
    if (dur < 0).any():
        raise OptimizationError("duration_s holds negative drive times.")
    dist = np.zeros_like(dur) if distance_m is None else np.asarray(distance_m, dtype=np.int64)
    if dist.shape != dur.shape:
        raise OptimizationError(f"distance_m has shape {dist.shape}, duration_s {dur.shape}.")
    return dist


_TIMED_OUT = (
    "the wall-clock safety net stopped the search before its count: this plan may differ "
    "between runs"
)


def _within_day(
    served: tuple[int, ...],
    dur: Matrix,
    service: IntArray,
    open_: IntArray,
    latest: IntArray,
    depart_s: int,
    limit: int,
) -> tuple[int, ...]:
    """The longest start of a served order after which the rep can still drive to the end."""
    end = len(service) - 1
    t, here, keep = depart_s, 0, 0
    for k, stop in enumerate(served):
        node = stop + 1
        t = max(t + int(dur[here, node]), int(open_[node])) + int(service[node])
        here = node
        if t + int(dur[here, end]) - depart_s <= limit:
            keep = k + 1
    return served[:keep]


def _append_dropped(s: _Schedule, order: list[int] | None, n: int) -> _Schedule:
    missing = tuple(sorted(set(range(n)) - set(order or ())))
    return _Schedule(
        s.served, tuple(sorted(s.late + missing)), s.arrival_s, s.travel_s, s.distance_m, s.span_s
    )


def _reason(
    stop: int, dur: Matrix, open_: IntArray, latest: IntArray, depart_s: int, limit: int
) -> str:
    node = stop + 1
    earliest = max(depart_s + int(dur[0, node]), int(open_[node]))
    if earliest > latest[node]:
        return (
            f"closes too early: the visit must start by {_hhmm(latest[node])} and the rep "
            f"can be there at {_hhmm(earliest)} at the earliest"
        )
    return f"no room left in the day: the route would last more than {limit / 3600:.1f} h"


def _hhmm(seconds: int) -> str:
    m = int(seconds) // 60
    return f"{m // 60 % 24:02d}:{m % 60:02d}"


def _enumerate(
    n: int,
    dur: IntArray,
    dist: IntArray,
    service: IntArray,
    open_: IntArray,
    latest: IntArray,
    depart_s: int,
    limit: int,
) -> _Schedule:
    """Every order of a tiny day; the best by (late stops, drive time), then first found."""
    best: _Schedule | None = None
    for perm in itertools.permutations(range(n)):
        s = evaluate_order(perm, dur, dist, service, open_, latest, depart_s)
        if s.span_s <= limit and (best is None or _key(s) < _key(best)):
            best = s
    return (
        best
        if best is not None
        else evaluate_order([], dur, dist, service, open_, latest, depart_s)
    )


def _search(
    dur: IntArray,
    service: IntArray,
    open_: IntArray,
    latest: IntArray,
    depart_s: int,
    limit: int,
    logged: IntArray,
    solution_limit: int,
    time_limit_s: float,
    gls_lambda: float,
    warm_start: bool,
    first_solution: str,
    bandit: bool,
) -> tuple[list[int] | None, SolverStatus]:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    size = dur.shape[0]
    manager = pywrapcp.RoutingIndexManager(size, 1, [0], [size - 1])
    routing = pywrapcp.RoutingModel(manager)
    arc = routing.RegisterTransitMatrix(dur.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(arc)
    with_service = dur + service[:, None]
    transit = routing.RegisterTransitMatrix(with_service.tolist())
    horizon = int(max(latest.max(), depart_s + limit)) + 1
    routing.AddDimension(transit, horizon, horizon, False, "time")
    time = routing.GetDimensionOrDie("time")
    for node in range(1, size - 1):
        index = manager.NodeToIndex(node)
        time.CumulVar(index).SetRange(int(open_[node]), int(latest[node]))
        routing.AddDisjunction([index], DROP_PENALTY)
    time.CumulVar(routing.Start(0)).SetRange(depart_s, depart_s)
    time.SetSpanUpperBoundForVehicle(limit, 0)

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(
        routing_enums_pb2.FirstSolutionStrategy, first_solution
    )
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.guided_local_search_lambda_coefficient = gls_lambda
    params.use_multi_armed_bandit_concatenate_operators = bandit
    params.solution_limit = solution_limit
    params.time_limit.FromMilliseconds(int(time_limit_s * 1000))

    routing.CloseModelWithParameters(params)
    start = (
        routing.ReadAssignmentFromRoutes([[int(s) + 1 for s in logged]], True)
        if warm_start
        else None
    )
    if start is not None:
        solution = routing.SolveFromAssignmentWithParameters(start, params)
    else:
        solution = routing.SolveWithParameters(params)
    status = SolverStatus.from_routing(routing.status())
    if solution is None:
        if status in (SolverStatus.INVALID,):
            raise OptimizationError("OR-Tools rejected the day's model as invalid.")
        return None, status
    order = []
    index = routing.Start(0)
    while not routing.IsEnd(index):
        node = manager.IndexToNode(index)
        if node != 0:
            order.append(node - 1)
        index = solution.Value(routing.NextVar(index))
    return order, status
