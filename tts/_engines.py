"""The search engines behind :func:`tts.optimize.solve_day`, each stopped by a count.

Three engines, chosen by measurement (``benchmarks/bench_routes.py``, figures in
``benchmarks/results/routes.md``):

- **HGS** (Vidal's hybrid genetic search, HGS-CVRP through ``hygese``, MIT): the travelling
  salesman part of a day without opening hours, on a symmetric matrix. Seeded, and stopped
  after a number of iterations without improvement, with no clock at all: given a time limit,
  HGS-CVRP restarts instead of stopping at its count and runs until the limit.
- **PyVRP** (MIT): days with opening hours or a binding day limit, every stop optional with a
  prize (prize-collecting), warm started from OR-Tools' order. Seeded, stopped after a number
  of iterations without improvement and a cap on iterations; wall time only as a safety net.
- **OR-Tools** (in :mod:`tts.optimize`): the model of record for opening hours, the day limit
  and optional stops, stopped on a solution count.

A day of more stops than :data:`DENSE_LIMIT` is never given to a dense model: it is sequenced
by :func:`sequence_large`, a nearest-neighbour path improved window by window.

All matrices are integer seconds over nodes 0 = start, 1..n = stops, n + 1 = end; orders
returned list stops 0..n-1.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from .travel import DayLegs

IntArray = npt.NDArray[np.int64]

#: Above this many stops a day is sequenced window by window (no dense model of the whole day).
DENSE_LIMIT = 400
#: Stops re-optimised together in one window of a large day.
WINDOW = 100
#: The largest distance HGS-CVRP accepts (it refuses larger scales); matrices are scaled to it.
_HGS_MAX = 90_000.0


@dataclass(frozen=True)
class SearchEffort:
    """How hard the day optimiser searches: its counts per stop, with their bounds.

    Every stop condition of a day's search is a count, so the same input gives the same plan
    on every run and on a busy or an idle machine. The method's ``route_*`` settings
    (:class:`tts.Method`, ``tts/data/method.toml``) hold these values; :meth:`for_stops`
    turns them into one day's :class:`Budget`.

    Attributes
    ----------
    hgs_iterations : tuple of (float, int, int)
        HGS iterations without improvement: per stop, at least, at most (iterations).
    pyvrp_no_improvement : tuple of (float, int, int)
        PyVRP iterations without improvement: per stop, at least, at most (iterations).
    pyvrp_iterations : tuple of (float, int, int)
        PyVRP iterations in all: per stop, at least, at most (iterations).
    solutions : int
        OR-Tools solutions on a day with opening hours or a binding day limit, before PyVRP
        carries the search on (solutions).
    solutions_alone : int
        OR-Tools solutions on such a day when PyVRP does not follow (``pyvrp_iterations=0``,
        as in the territory plan's many trial days) (solutions).
    safety_s : tuple of (float, float)
        The wall-clock safety net of OR-Tools and PyVRP: seconds, plus seconds a stop. It is
        not a stop condition: at the defaults it does not bind on days of up to 150 stops.
    scale : float
        Multiplies every count (dimensionless; 2 searches about twice as long, 0.5 half).

    Examples
    --------
    >>> SearchEffort().for_stops(45).solution_limit
    40
    >>> SearchEffort(scale=2).for_stops(45).hgs_iterations
    450
    """

    hgs_iterations: tuple[float, int, int] = (5.0, 200, 1000)
    pyvrp_no_improvement: tuple[float, int, int] = (3.0, 100, 1000)
    pyvrp_iterations: tuple[float, int, int] = (50.0, 2000, 10000)
    solutions: int = 40
    solutions_alone: int = 100
    safety_s: tuple[float, float] = (30.0, 0.2)
    scale: float = 1.0

    def for_stops(self, n: int, *, effort: float = 1.0) -> Budget:
        """The budget of an ``n``-stop day, every count also scaled by ``effort``."""
        e = max(self.scale * effort, 0.01)

        def count(rule: tuple[float, int, int]) -> int:
            per_stop, low, high = rule
            return max(1, round(e * min(max(per_stop * n, low), high)))

        return Budget(
            hgs_iterations=count(self.hgs_iterations),
            pyvrp_no_improvement=count(self.pyvrp_no_improvement),
            pyvrp_iterations=count(self.pyvrp_iterations),
            solution_limit=max(1, round(e * self.solutions)),
            solution_limit_alone=max(1, round(e * self.solutions_alone)),
            safety_s=float(self.safety_s[0] + self.safety_s[1] * n),
        )


@dataclass(frozen=True)
class Budget:
    """Count-based stops of one day's search, sized by its number of stops.

    Attributes
    ----------
    hgs_iterations : int
        HGS iterations without improvement before it stops.
    pyvrp_no_improvement : int
        PyVRP iterations without improvement before it stops.
    pyvrp_iterations : int
        PyVRP iterations at most.
    solution_limit : int
        OR-Tools solutions at most, when PyVRP follows.
    solution_limit_alone : int
        OR-Tools solutions at most, when PyVRP does not follow.
    safety_s : float
        Wall-clock safety net of OR-Tools and PyVRP, seconds (HGS has none); it does not bind
        on days of up to 150 stops on a loaded two-core machine.
    """

    hgs_iterations: int
    pyvrp_no_improvement: int
    pyvrp_iterations: int
    solution_limit: int
    solution_limit_alone: int
    safety_s: float

    @classmethod
    def for_stops(cls, n: int, *, effort: float = 1.0, rule: SearchEffort | None = None) -> Budget:
        """The budget of an ``n``-stop day under ``rule`` (default :class:`SearchEffort`).

        >>> Budget.for_stops(45)
        Budget(hgs_iterations=225, pyvrp_no_improvement=135, pyvrp_iterations=2250, \
solution_limit=40, solution_limit_alone=100, safety_s=39.0)
        """
        return (rule or SearchEffort()).for_stops(n, effort=effort)


def is_symmetric(dur: IntArray) -> bool:
    """True when every drive takes as long both ways."""
    return bool(np.array_equal(dur, dur.T))


def hgs_order(dur: IntArray, *, iterations: int, seed: int) -> list[int] | None:
    """The shortest start-to-end path through every stop found by HGS (symmetric matrices).

    When the start and the end are the same place the day is a closed tour with the start as
    the depot; otherwise a dummy depot joined to the start and the end at no cost (and to every
    stop at more than any whole path) turns the path into a tour.
    """
    import hygese

    size = dur.shape[0]
    n = size - 2
    same_ends = bool(
        np.array_equal(dur[0, :-1], dur[-1, :-1]) and np.array_equal(dur[:-1, 0], dur[:-1, -1])
    )
    if same_ends:
        matrix = dur[:-1, :-1].astype(np.float64)
    else:
        big = float(dur.max()) * (n + 2) + 1.0
        matrix = np.full((size + 1, size + 1), big)
        matrix[1:, 1:] = dur
        matrix[0, 0] = 0.0
        matrix[0, [1, size]] = matrix[[1, size], 0] = 0.0
    top = float(matrix.max())
    if top <= 0:
        return list(range(n))  # every stop in one place: any order is the shortest
    if top > _HGS_MAX:
        matrix *= _HGS_MAX / top  # HGS-CVRP refuses distances above 100,000
    params = hygese.AlgorithmParameters(nbIter=iterations, seed=seed, timeLimit=0.0)
    try:
        result = hygese.Solver(parameters=params, verbose=False).solve_tsp(
            {"distance_matrix": matrix}
        )
    except (TypeError, ValueError):  # HGS refused the instance: the other engines will run
        return None
    routes = [list(r) for r in result.routes if len(r)]
    if len(routes) != 1:
        return None
    route = routes[0]
    if same_ends:
        order = [int(c) - 1 for c in route]
    else:
        # nodes: 0 dummy, 1 start, 2..n+1 stops, n+2 end; the route must run start..end
        if route[0] == size:
            route = route[::-1]
        if route[0] != 1 or route[-1] != size:
            return None
        order = [int(c) - 2 for c in route[1:-1]]
    return order if sorted(order) == list(range(n)) else None


def pyvrp_order(
    dur: IntArray,
    service: IntArray,
    open_: IntArray,
    latest: IntArray,
    depart_s: int,
    limit: int,
    *,
    no_improvement: int,
    iterations: int,
    seed: int,
    time_limit_s: float,
    prize: int,
    timed: bool,
    initial: list[int] | None = None,
) -> list[int] | None:
    """PyVRP's order of the stops it serves (all optional, each worth ``prize``).

    ``timed`` False leaves out opening hours and the day limit (a pure path, three to four
    times faster in PyVRP); the caller replays the order either way.
    """
    from pyvrp import Client, Depot, Location, ProblemData, Solution, VehicleType
    from pyvrp import solve as pyvrp_solve
    from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria, NoImprovement

    size = dur.shape[0]
    n = size - 2
    # PyVRP lists depots first: location 0 the start, 1 the end, then the stops.
    perm = np.r_[0, size - 1, np.arange(1, size - 1)]
    matrix = np.ascontiguousarray(dur[np.ix_(perm, perm)], dtype=np.int64)
    locations = [Location(0, 0) for _ in range(size)]
    if timed:
        clients = [
            Client(
                k + 2,
                service_duration=int(service[k + 1]),
                tw_early=int(open_[k + 1]),
                tw_late=int(latest[k + 1]),
                prize=prize,
                required=False,
            )
            for k in range(n)
        ]
        vehicle = VehicleType(
            1,
            start_depot=0,
            end_depot=1,
            tw_early=depart_s,
            start_late=depart_s,
            tw_late=depart_s + limit,
            shift_duration=limit,
        )
        durations = matrix  # service time is the client's own service_duration
    else:
        clients = [Client(k + 2) for k in range(n)]
        vehicle = VehicleType(1, start_depot=0, end_depot=1)
        durations = matrix
    data = ProblemData(
        locations,
        clients,
        [Depot(0), Depot(1)],
        [vehicle],
        [matrix],  # type: ignore[list-item]
        [durations],  # type: ignore[list-item]
    )
    start = Solution(data, [list(initial)]) if initial else None
    stop = MultipleCriteria(
        [NoImprovement(no_improvement), MaxIterations(iterations), MaxRuntime(time_limit_s)]
    )
    result = pyvrp_solve(
        data, stop=stop, seed=seed, collect_stats=False, display=False, initial_solution=start
    )
    if not result.best.is_feasible():
        return None
    # A scheduled client's idx is its position among the clients, in the order added.
    return [int(a.idx) for r in result.best.routes() for a in r.schedule() if a.is_client()]


def nearest_neighbour(dur: IntArray) -> list[int]:
    """A path from the start that always drives to the nearest stop not yet visited."""
    n = dur.shape[0] - 2
    left = np.ones(n, dtype=bool)
    here = 0
    order: list[int] = []
    row_big = np.iinfo(np.int64).max
    for _ in range(n):
        row = np.where(left, dur[here, 1 : n + 1], row_big)
        k = int(np.argmin(row))
        order.append(k)
        left[k] = False
        here = k + 1
    return order


def sequence_large(
    dur: IntArray | DayLegs,
    *,
    iterations: int,
    time_limit_s: float,
    window: int | None = None,
    limit: int = DENSE_LIMIT,
) -> tuple[list[int], str]:
    """A path through every stop of a day too large for a dense model, and a note saying so.

    A nearest-neighbour path, then two passes over it in windows of ``window`` consecutive
    stops (default :data:`WINDOW`; the second pass shifted by half a window): each window is
    re-sequenced as a path between its neighbours (HGS on a symmetric window, PyVRP
    otherwise) and kept when shorter. ``dur`` is the day's square matrix, or its
    :class:`~tts.travel.DayLegs`: then no square matrix of the whole day is ever built (the
    nearest stops come from a k-d tree of the coordinates, each window's matrix from the
    travel source), so memory grows with the stops, not with their square, and time with the
    number of windows. ``limit`` is the dense-model limit the note names.
    """
    from .travel import DayLegs

    window = window or WINDOW
    if isinstance(dur, DayLegs):
        legs = dur
        n = legs.size - 2
        order = legs.nearest_path()

        def matrix(nodes: IntArray) -> IntArray:
            return legs.sub(nodes)[0]
    else:
        dense = dur
        n = dense.shape[0] - 2
        order = nearest_neighbour(dense)

        def matrix(nodes: IntArray) -> IntArray:
            return np.ascontiguousarray(dense[np.ix_(nodes, nodes)])

    started = time.monotonic()
    timed_out = False
    for offset in (0, window // 2):
        pos = offset
        while pos < n:
            if time.monotonic() - started > time_limit_s:
                timed_out = True
                break
            part = order[pos : pos + window]
            if len(part) >= 4:
                before = order[pos - 1] + 1 if pos > 0 else 0
                after = order[pos + len(part)] + 1 if pos + len(part) < n else n + 1
                nodes = np.r_[before, np.asarray(part) + 1, after]
                sub = matrix(nodes)
                if is_symmetric(sub):
                    got = hgs_order(sub, iterations=iterations, seed=0)
                else:
                    m = len(part)
                    zeros = np.zeros(m + 2, dtype=np.int64)
                    got = pyvrp_order(
                        sub,
                        zeros,
                        zeros,
                        zeros,
                        0,
                        0,
                        no_improvement=iterations,
                        iterations=iterations * 10,
                        seed=1,
                        time_limit_s=time_limit_s,
                        prize=0,
                        timed=False,
                    )
                if got is not None and len(got) == len(part):
                    new = [part[k] for k in got]
                    if _path_s(sub, got) < _path_s(sub, list(range(len(part)))):
                        order[pos : pos + len(part)] = new
            pos += window
    note = (
        f"{n} stops: above the dense-model limit of {limit}, sequenced by a "
        f"nearest-neighbour path improved in windows of {window} stops"
    )
    if timed_out:
        note += "; the safety net of the wall clock stopped it early (the plan may vary)"
    return order, note


def _path_s(sub: IntArray, order: list[int]) -> int:
    nodes = np.r_[0, np.asarray(order, dtype=np.int64) + 1, sub.shape[0] - 1]
    return int(sub[nodes[:-1], nodes[1:]].sum())
