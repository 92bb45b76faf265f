"""Route optimisation: re-sequencing a rep-day's visits with OR-Tools.

One day is a path from a start node (home, depot, or the first logged position) through the
day's stores to an end node. The model, as measured on this project's benchmarks
(``benchmarks/bench_routes.py``, figures in ``benchmarks/results/routes.md``):

- arc cost: drive time in integer seconds, given as a matrix (``RegisterTransitMatrix``),
  never a Python callback;
- a time dimension whose transit is the service time at the from-node plus the drive; the rep
  may wait for a store to open and must finish before it closes; the working-day span is
  capped (with a binding day limit, hard windows served as many stores as soft closing times
  and searched three times faster);
- every store optional, with a penalty far above any detour, so an infeasible day still gives
  a plan and says which stores could not fit; when OR-Tools leaves stores out, PyVRP's
  prize-collecting search (seeded, iteration-limited) gets a second try and its order is kept
  if it serves more;
- a first solution (Christofides without opening hours, local cheapest insertion with them)
  improved by guided local search (lambda 0.5), optionally warm started from the logged order;
- a count-based stop (``solution_limit``) so the same input gives the same output on every run,
  with a wall-clock cap only as a safety net.

The returned schedule is recomputed from the sequence (arrivals, waits, lateness); a store
still reached after closing is reported as dropped, with its reason, so windows and the day
limit hold in every returned plan. The logged order, evaluated the same way, is returned
instead whenever it is at least as good: the result is never worse than what the rep drove.
"""

from __future__ import annotations

import enum
import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ._exceptions import OptimizationError

__all__ = ["DayRoute", "SolverStatus", "evaluate_order", "solve_day"]

IntArray = npt.NDArray[np.int64]

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
        What produced the order: ``or-tools``, ``pyvrp`` (when OR-Tools left stores out and
        PyVRP fitted more in), ``enumeration`` (tiny days) or ``logged``.
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
    duration_s: IntArray,
    distance_m: IntArray,
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
    duration_s: npt.ArrayLike,
    distance_m: npt.ArrayLike | None = None,
    *,
    service_s: npt.ArrayLike | None = None,
    open_s: npt.ArrayLike | None = None,
    close_s: npt.ArrayLike | None = None,
    depart_s: int = 0,
    max_span_s: int | None = None,
    logged: npt.ArrayLike | None = None,
    solution_limit: int = 300,
    time_limit_s: float = 10.0,
    gls_lambda: float = 0.5,
    warm_start: bool = False,
    first_solution: str | None = None,
    pyvrp_iterations: int = 600,
) -> DayRoute:
    """Re-sequence one day's stops.

    Parameters
    ----------
    duration_s : array_like
        Square drive-time matrix, seconds, over nodes: 0 = start, 1..n = stops, n+1 = end.
    distance_m : array_like, optional
        Road distances over the same nodes, metres (reported, not optimised).
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
        The order the rep drove (stops 0..n-1): the warm start and the bar to beat.
    solution_limit : int
        Solutions the search may find before it stops (the deterministic limit).
    time_limit_s : float
        Wall-clock safety net, seconds.
    gls_lambda : float
        Guided local search lambda coefficient.
    warm_start : bool
        Start the search from the logged order instead of a cheapest-arc path. Measured here
        on 45-stop days, a cold start ends closer to the best tour for the same solution count
        (a poor logged order anchors the search); either way the logged order is the bar the
        result must beat.
    first_solution : str, optional
        OR-Tools first-solution strategy, by name. By default, chosen from what was measured
        here: without opening hours, ``CHRISTOFIDES`` with multi-armed-bandit operator
        selection (0.14 % above LKH-3 on 45-stop days in 0.44 s); with opening hours,
        ``LOCAL_CHEAPEST_INSERTION`` without it (the bandit slowed the search with windows
        3- to 5-fold).
    pyvrp_iterations : int
        When OR-Tools leaves stores out, PyVRP searches this many iterations (seeded, so
        reproducible) and its order is taken if it serves more; 0 turns this off.

    Returns
    -------
    DayRoute

    Raises
    ------
    OptimizationError
        The inputs do not describe a day (shapes, negative times) or OR-Tools refuses the model.

    Examples
    --------
    Stores on a line at 1, 3 and 2 km (a minute a km), home at 0, visited in the order 3, 1, 2:

    >>> x = np.array([0, 1, 3, 2, 0])
    >>> r = solve_day(np.abs(x[:, None] - x[None, :]) * 60, logged=[1, 0, 2])
    >>> r.travel_s // 60, r.logged_travel_s // 60, r.kept_logged
    (6, 8, False)
    """
    dur = np.array(duration_s, dtype=np.int64)
    size = dur.shape[0]
    if dur.ndim != 2 or dur.shape[1] != size or size < 2:
        raise OptimizationError(
            f"duration_s must be a square matrix of at least 2 nodes; got shape {dur.shape}."
        )
    if (dur < 0).any():
        raise OptimizationError("duration_s holds negative drive times.")
    if not 0 <= depart_s <= 2 * 86_400:
        raise OptimizationError(
            f"depart_s must be seconds since midnight (0 to 172800); got {depart_s}."
        )
    n = size - 2
    dist = np.zeros_like(dur) if distance_m is None else np.array(distance_m, dtype=np.int64)
    if dist.shape != dur.shape:
        raise OptimizationError(f"distance_m has shape {dist.shape}, duration_s {dur.shape}.")
    service = np.zeros(size, dtype=np.int64)
    open_ = np.zeros(size, dtype=np.int64)
    horizon = int(depart_s + dur.sum() + 3 * 86_400)
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
    base = evaluate_order(logged_order, dur, dist, service, open_, latest, depart_s)
    limit = int(max_span_s) if max_span_s is not None else horizon
    if n <= 3:
        best = _enumerate(n, dur, dist, service, open_, latest, depart_s, limit)
        status = SolverStatus.ENUMERATED
        engine = "enumeration"
    else:
        order, status = _search(
            dur,
            service,
            open_,
            latest,
            depart_s,
            limit,
            logged_order,
            solution_limit,
            time_limit_s,
            gls_lambda,
            warm_start,
            first_solution or ("CHRISTOFIDES" if not windowed else "LOCAL_CHEAPEST_INSERTION"),
            not windowed,
        )
        best = (
            evaluate_order(order, dur, dist, service, open_, latest, depart_s)
            if order is not None
            else base
        )
        if order is not None and len(order) < n:
            best = _append_dropped(best, order, n)
        engine = "or-tools"
        if best.late and pyvrp_iterations:
            # OR-Tools left stores out: PyVRP's prize-collecting search often fits more.
            alt_order = _search_pyvrp(
                dur, service, open_, latest, depart_s, limit, pyvrp_iterations
            )
            if alt_order is not None:
                alt = _append_dropped(
                    evaluate_order(alt_order, dur, dist, service, open_, latest, depart_s),
                    alt_order,
                    n,
                )
                if alt.span_s <= limit and _key(alt) < _key(best):
                    best, engine = alt, "pyvrp"
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
    )


def _append_dropped(s: _Schedule, order: list[int] | None, n: int) -> _Schedule:
    missing = tuple(sorted(set(range(n)) - set(order or ())))
    return _Schedule(
        s.served, tuple(sorted(s.late + missing)), s.arrival_s, s.travel_s, s.distance_m, s.span_s
    )


def _reason(
    stop: int, dur: IntArray, open_: IntArray, latest: IntArray, depart_s: int, limit: int
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
    assert best is not None or n == 0
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


def _search_pyvrp(
    dur: IntArray,
    service: IntArray,
    open_: IntArray,
    latest: IntArray,
    depart_s: int,
    limit: int,
    iterations: int,
) -> list[int] | None:
    """Prize-collecting search by PyVRP on the same nodes; the order of stops it serves."""
    import pyvrp
    from pyvrp.stop import MaxIterations

    size = dur.shape[0]
    n = size - 2
    model = pyvrp.Model()
    locations = [model.add_location(0, 0) for _ in range(size)]
    start = model.add_depot(locations[0])
    end = model.add_depot(locations[-1])
    model.add_vehicle_type(
        1,
        start_depot=start,
        end_depot=end,
        tw_early=depart_s,
        start_late=depart_s,
        tw_late=depart_s + limit,
        shift_duration=limit,
    )
    for node in range(1, n + 1):
        model.add_client(
            locations[node],
            service_duration=int(service[node]),
            tw_early=int(open_[node]),
            tw_late=int(latest[node]),
            prize=DROP_PENALTY,
            required=False,
        )
    for i in range(size):
        for j in range(size):
            if i != j:
                model.add_edge(
                    locations[i], locations[j], distance=int(dur[i, j]), duration=int(dur[i, j])
                )
    result = model.solve(stop=MaxIterations(iterations), seed=1, display=False)
    if not result.best.is_feasible():
        return None
    # A scheduled client's idx is its position among the clients, in the order added.
    return [int(a.idx) for route in result.best.routes() for a in route.schedule() if a.is_client()]
