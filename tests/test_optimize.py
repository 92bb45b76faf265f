"""The day re-sequencer: every stop once, windows and day limit hold, never worse, reproducible."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tts import OptimizationError
from tts._engines import Budget, nearest_neighbour, sequence_large
from tts.optimize import SearchEffort, SolverStatus, evaluate_order, solve_day
from tts.travel import DayLegs, TravelMatrix, TravelModel, travel_matrix


def _day(n: int, seed: int, *, home=(34.75, 113.65)):
    rng = np.random.default_rng(seed)
    lat = home[0] + rng.uniform(-0.02, 0.02, n)
    lon = home[1] + rng.uniform(-0.02, 0.02, n)
    dur, dist = travel_matrix(np.r_[home[0], lat, home[0]], np.r_[home[1], lon, home[1]])
    return dur, dist, rng


def _legs(n: int, seed: int, *, home=(34.75, 113.65), source=None):
    """The same day as ``_day``, given as its points and travel model (no matrix)."""
    rng = np.random.default_rng(seed)
    lat = np.r_[home[0], home[0] + rng.uniform(-0.02, 0.02, n), home[0]]
    lon = np.r_[home[1], home[1] + rng.uniform(-0.02, 0.02, n), home[1]]
    ids = ["home", *(f"C{k}" for k in range(n)), "home"]
    return DayLegs(source or TravelModel(), ids, lat, lon), rng


def _check_plan(r, n, dur, service, open_s, close_s, depart, max_span):
    assert sorted(r.order + r.dropped) == list(range(n))  # every stop once, or dropped
    assert len(r.reasons) == len(r.dropped)
    t, here, travel = depart, 0, 0
    for k, stop in enumerate(r.order):  # replay the schedule
        node = stop + 1
        arrive = t + dur[here, node]
        begin = max(arrive, open_s[stop])
        assert r.arrival_s[k] == begin
        assert begin + service[stop] <= close_s[stop]  # done before closing
        travel += dur[here, node]
        t, here = begin + service[stop], node
    travel += dur[here, n + 1]
    assert r.travel_s == travel
    assert r.span_s == t + dur[here, n + 1] - depart
    assert r.span_s <= max_span  # the working-day limit


def test_forty_five_stops_beat_a_poor_logged_order():
    dur, dist, rng = _day(45, 0)
    logged = rng.permutation(45)
    r = solve_day(dur, dist, logged=logged)
    assert r.status is SolverStatus.SOLVED and r.engine == "hgs" and r.note == ""
    assert r.travel_s < 0.6 * r.logged_travel_s
    assert not r.kept_logged and r.dropped == ()
    assert sorted(r.order) == list(range(45))
    assert r.distance_m > 0 and r.logged_distance_m > r.distance_m


def test_same_input_same_output():
    dur, dist, rng = _day(30, 1)
    logged = rng.permutation(30)
    a = solve_day(dur, dist, logged=logged)
    b = solve_day(dur, dist, logged=logged)
    assert a == b


def test_opening_hours_and_day_limit_hold():
    n = 25
    dur, dist, rng = _day(n, 2)
    service = rng.integers(300, 600, n)
    open_s = rng.choice([7 * 3600, 9 * 3600, 10 * 3600], n)
    close_s = open_s + rng.choice([3 * 3600, 8 * 3600, 12 * 3600], n)
    depart = 8 * 3600
    r = solve_day(
        dur,
        dist,
        service_s=service,
        open_s=open_s,
        close_s=close_s,
        depart_s=depart,
        max_span_s=9 * 3600,
        logged=np.arange(n),
    )
    _check_plan(r, n, dur, service, open_s, close_s, depart, 9 * 3600)


def test_infeasible_store_is_dropped_with_a_reason():
    dur, dist, _ = _day(6, 3)
    service = np.full(6, 600)
    open_s = np.full(6, 8 * 3600)
    close_s = np.full(6, 20 * 3600)
    close_s[4] = 7 * 3600  # closes before the rep leaves
    r = solve_day(
        dur,
        dist,
        service_s=service,
        open_s=open_s,
        close_s=close_s,
        depart_s=8 * 3600,
        logged=np.arange(6),
    )
    assert r.dropped == (4,)
    assert r.reasons[0].startswith("closes too early: the visit must start by 08:00")
    assert sorted(r.order) == [0, 1, 2, 3, 5]


@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_tiny_days_are_enumerated(n):
    dur, dist, _ = _day(n, 4)
    r = solve_day(dur, dist, logged=np.arange(n)[::-1])
    assert r.status is SolverStatus.ENUMERATED
    assert sorted(r.order) == list(range(n))
    assert r.travel_s <= r.logged_travel_s


def test_bad_inputs_raise():
    with pytest.raises(OptimizationError, match="square matrix"):
        solve_day([[0, 1, 2]])
    with pytest.raises(OptimizationError, match="negative"):
        solve_day([[0, -1], [1, 0]])
    with pytest.raises(OptimizationError, match="each of the 2 stops once"):
        solve_day(np.zeros((4, 4)), logged=[0, 0])


def test_status_names_map_from_or_tools():
    from ortools.constraint_solver import routing_enums_pb2

    value = routing_enums_pb2.RoutingSearchStatus.ROUTING_SUCCESS
    assert SolverStatus.from_routing(value) is SolverStatus.SUCCESS


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(4, 14), windows=st.booleans())
def test_never_worse_than_the_logged_order_and_the_same_every_run(seed, n, windows):
    dur, dist, rng = _day(n, seed)
    logged = rng.permutation(n)
    service = rng.integers(120, 900, n)
    kwargs = {"service_s": service, "depart_s": 8 * 3600, "logged": logged, "effort": 0.25}
    if windows:
        kwargs["open_s"] = rng.choice([7, 8, 9, 10], n) * 3600
        kwargs["close_s"] = kwargs["open_s"] + rng.choice([2, 4, 10], n) * 3600
    r = solve_day(dur, dist, **kwargs)
    assert solve_day(dur, dist, **kwargs) == r  # the same plan every run
    open_s = kwargs.get("open_s", np.zeros(n, dtype=np.int64))
    close_s = kwargs.get("close_s", np.full(n, 10**9))
    base = evaluate_order(
        logged,
        dur,
        dist,
        np.r_[0, service, 0],
        np.r_[0, open_s, 0],
        np.r_[0, np.maximum(close_s - service, open_s), 0],
        8 * 3600,
    )
    assert len(r.dropped) <= len(base.late)
    if len(r.dropped) == len(base.late):
        assert r.travel_s <= base.travel_s
    _check_plan(r, n, dur, service, open_s, close_s, 8 * 3600, 10**9)


def test_day_limit_drops_stops_with_a_reason_even_below_the_logged_route():
    dur, dist, _ = _day(12, 5)
    service = np.full(12, 1800)  # 12 half-hour visits
    r = solve_day(
        dur, dist, service_s=service, depart_s=8 * 3600, max_span_s=4 * 3600, logged=np.arange(12)
    )
    assert r.span_s <= 4 * 3600 and not r.kept_logged
    assert len(r.dropped) >= 5
    assert all(x.startswith("no room left in the day") for x in r.reasons)


def test_windows_that_force_drops_give_a_valid_plan_from_either_engine():
    n = 30
    dur, dist, rng = _day(n, 11)
    service = rng.integers(600, 900, n)
    open_s = rng.choice([8, 9, 14], n) * 3600
    close_s = open_s + rng.choice([2, 3], n) * 3600
    for iterations in (0, 300):
        r = solve_day(
            dur,
            dist,
            service_s=service,
            open_s=open_s,
            close_s=close_s,
            depart_s=8 * 3600,
            max_span_s=5 * 3600,
            pyvrp_iterations=iterations,
        )
        assert r.dropped and r.engine in ("or-tools", "pyvrp")
        assert iterations or r.engine == "or-tools"
        _check_plan(r, n, dur, service, open_s, close_s, 8 * 3600, 5 * 3600)


def _best_path_by_hand(dur, service=None, open_s=None, latest=None, depart=0):
    """The shortest start-to-end path serving every stop, by trying every order."""
    n = dur.shape[0] - 2
    best = None
    for perm in itertools.permutations(range(n)):
        t, here, travel, ok = depart, 0, 0, True
        for stop in perm:
            node = stop + 1
            t += dur[here, node]
            if latest is not None and t > latest[stop]:
                ok = False
                break
            travel += dur[here, node]
            t = max(t, 0 if open_s is None else open_s[stop])
            t += 0 if service is None else service[stop]
            here = node
        if ok:
            travel += dur[here, n + 1]
            best = travel if best is None else min(best, travel)
    return best


@pytest.mark.parametrize("same_ends", [True, False])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_days_without_hours_reach_the_shortest_path(seed, same_ends):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 5000, (9, 2))
    if same_ends:
        xy[-1] = xy[0]
    dur = np.rint(np.hypot(*(xy[:, None] - xy[None]).transpose(2, 0, 1))).astype(np.int64)
    r = solve_day(dur, logged=rng.permutation(7))
    assert r.engine in ("hgs", "logged")
    assert r.travel_s == _best_path_by_hand(dur)


def test_opening_hours_reach_the_best_order_found_by_hand():
    rng = np.random.default_rng(7)
    n = 7
    xy = rng.uniform(0, 3000, (n + 2, 2))
    xy[-1] = xy[0]
    dur = np.rint(np.hypot(*(xy[:, None] - xy[None]).transpose(2, 0, 1))).astype(np.int64)
    service = np.full(n, 600)
    open_s = 8 * 3600 + rng.choice([0, 3600, 7200], n)
    close_s = open_s + 3 * 3600
    r = solve_day(
        dur, service_s=service, open_s=open_s, close_s=close_s, depart_s=8 * 3600, logged=None
    )
    expected = _best_path_by_hand(dur, service, open_s, close_s - service, 8 * 3600)
    assert r.dropped == () and r.travel_s == expected
    _check_plan(r, n, dur, service, open_s, close_s, 8 * 3600, 10**9)


def test_one_way_streets_are_searched_by_or_tools_and_pyvrp():
    rng = np.random.default_rng(8)
    dur = rng.integers(60, 900, (8, 8))
    np.fill_diagonal(dur, 0)
    r = solve_day(dur, logged=np.arange(6))
    assert r.engine in ("or-tools", "pyvrp", "logged")
    assert r.travel_s == _best_path_by_hand(dur)


def test_large_days_are_sequenced_in_windows_with_a_note(monkeypatch):
    import tts.optimize

    monkeypatch.setattr(tts.optimize, "DENSE_LIMIT", 30)
    dur, dist, rng = _day(60, 9)
    logged = rng.permutation(60)
    r = solve_day(dur, dist, logged=logged)
    assert r.status is SolverStatus.SPLIT and r.engine == "windows"
    assert "sequenced by a nearest-neighbour path improved in windows" in r.note
    assert sorted(r.order) == list(range(60)) and r.travel_s < r.logged_travel_s
    again = solve_day(dur, dist, logged=logged)
    assert again == r


def test_windows_improve_a_path_and_keep_every_stop():
    dur, _, _ = _day(40, 10)
    nn = nearest_neighbour(dur)
    order, note = sequence_large(dur, iterations=100, time_limit_s=60.0, window=10)
    assert sorted(order) == list(range(40)) and "windows of 10 stops" in note

    def length(o):
        nodes = [0, *(k + 1 for k in o), 41]
        return sum(dur[a, b] for a, b in itertools.pairwise(nodes))

    assert length(order) <= length(nn)
    # the nearest-neighbour path, checked by hand: always the closest stop not yet visited
    here, left = 0, set(range(40))
    for k in nn:
        assert dur[here, k + 1] == min(dur[here, j + 1] for j in left)
        left.remove(k)
        here = k + 1


def test_budget_grows_with_the_stops_and_never_binds_the_clock_below_150_stops():
    small, large = Budget.for_stops(45), Budget.for_stops(150)
    assert small.hgs_iterations < large.hgs_iterations
    assert large.safety_s >= 30 + 0.2 * 150
    assert Budget.for_stops(45, effort=2).hgs_iterations == 2 * small.hgs_iterations


def _spin():  # pragma: no cover - runs in a child process
    while True:
        pass


def test_same_plan_on_an_idle_and_a_busy_machine():
    """A 120-stop day twice: once alone, once with the other core kept busy."""
    import multiprocessing

    dur, dist, rng = _day(120, 12)
    logged = rng.permutation(120)
    idle = solve_day(dur, dist, logged=logged, effort=0.3)  # a lighter count: a faster test
    busy = multiprocessing.get_context("spawn").Process(target=_spin, daemon=True)
    busy.start()
    try:
        loaded = solve_day(dur, dist, logged=logged, effort=0.3)
    finally:
        busy.terminate()
        busy.join()
    assert idle == loaded and idle.note == ""


def test_large_days_keep_the_day_limit_by_dropping_the_last_stops(monkeypatch):
    import tts.optimize

    monkeypatch.setattr(tts.optimize, "DENSE_LIMIT", 30)
    n = 60
    dur, dist, rng = _day(n, 13)
    service = np.full(n, 900)
    r = solve_day(
        dur, dist, service_s=service, depart_s=8 * 3600, max_span_s=4 * 3600, logged=np.arange(n)
    )
    assert r.engine == "windows" and 0 < len(r.order) < n
    assert all(x.startswith("no room left in the day") for x in r.reasons)
    _check_plan(
        r, n, dur, service, np.zeros(n, dtype=np.int64), np.full(n, 10**9), 8 * 3600, 4 * 3600
    )


def test_a_tiny_day_that_cannot_fit_lists_every_stop_as_dropped():
    # two stores an hour from home, a half-hour day: neither fits
    d = np.array([[0, 3600, 3600, 0], [3600, 0, 10, 3600], [3600, 10, 0, 3600], [0, 3600, 3600, 0]])
    r = solve_day(d, max_span_s=1800, logged=[0, 1])
    assert r.order == () and r.dropped == (0, 1) and r.span_s == 0
    assert all(x.startswith("no room left in the day") for x in r.reasons)


def test_the_budget_reaches_every_engine(monkeypatch):
    """Each count of a SearchEffort is what the engine is given (not a default of its own)."""
    import tts.optimize

    seen: dict = {}
    hgs, pyvrp, search = tts.optimize.hgs_order, tts.optimize.pyvrp_order, tts.optimize._search

    def hgs_spy(dur, *, iterations, seed):
        seen["hgs"] = iterations
        return hgs(dur, iterations=iterations, seed=seed)

    def pyvrp_spy(*a, **k):
        seen["pyvrp"] = (k["no_improvement"], k["iterations"], k["time_limit_s"])
        return pyvrp(*a, **k)

    def search_spy(*a):
        seen["or-tools"] = (a[7], a[8])  # solution_limit, time_limit_s
        return search(*a)

    monkeypatch.setattr(tts.optimize, "hgs_order", hgs_spy)
    monkeypatch.setattr(tts.optimize, "pyvrp_order", pyvrp_spy)
    monkeypatch.setattr(tts.optimize, "_search", search_spy)
    effort = SearchEffort(
        hgs_iterations=(0.0, 7, 7),
        pyvrp_no_improvement=(0.0, 11, 11),
        pyvrp_iterations=(0.0, 13, 13),
        solutions=3,
        safety_s=(5.0, 0.5),
    )
    n = 10
    dur, dist, _ = _day(n, 3)
    solve_day(dur, dist, budget=effort)
    assert seen == {"hgs": 7}
    hours = {"open_s": np.zeros(n, np.int64), "close_s": np.full(n, 86_400), "depart_s": 8 * 3600}
    solve_day(dur, dist, budget=effort, **hours)
    assert seen["or-tools"] == (3, 10.0) and seen["pyvrp"] == (11, 13, 10.0)
    solve_day(dur, dist, budget=replace(effort, scale=2), **hours)
    assert seen["or-tools"] == (6, 10.0) and seen["pyvrp"] == (22, 26, 10.0)
    del seen["pyvrp"]
    solve_day(dur, dist, budget=replace(effort, solutions_alone=5), pyvrp_iterations=0, **hours)
    assert seen["or-tools"] == (5, 10.0) and "pyvrp" not in seen  # OR-Tools alone: its count


def test_the_methods_route_settings_are_the_search_effort():
    from tts import InputError, Method

    m = Method.from_dict(
        {"route_effort": 2, "route_solutions": 7, "route_hgs_iterations": [4, 100, 500]}
    )
    assert m.search_effort == SearchEffort(hgs_iterations=(4.0, 100, 500), solutions=7, scale=2.0)
    assert Method().search_effort == SearchEffort() == Method.default().search_effort
    assert m.search_effort.for_stops(45).hgs_iterations == 2 * 180
    for bad in (
        {"route_effort": 0},
        {"route_solutions": 2.5},
        {"route_solutions_alone": 0},
        {"route_hgs_iterations": [5, 300, 200]},
        {"route_pyvrp_iterations": [5, 100]},
        {"route_safety_s": [0, 0.2]},
    ):
        with pytest.raises(InputError, match=next(iter(bad))):
            Method.from_dict(bad)


def test_a_huge_day_given_as_legs_builds_no_square_matrix(monkeypatch):
    """Above the dense-model limit, only window-sized matrices are built; the plan replays."""
    import tts.optimize

    monkeypatch.setattr(tts.optimize, "DENSE_LIMIT", 30)
    n = 230
    legs, rng = _legs(n, 21)
    sizes = []
    sub = legs.sub

    def spy(nodes):
        sizes.append(len(nodes))
        return sub(nodes)

    monkeypatch.setattr(legs, "sub", spy)
    service = np.full(n, 300)
    logged = rng.permutation(n)
    r = solve_day(legs, service_s=service, depart_s=8 * 3600, logged=logged)
    assert r.status is SolverStatus.SPLIT and r.engine == "windows"
    assert "sequenced by a nearest-neighbour path improved in windows of 100" in r.note
    assert sizes and max(sizes) <= 102  # a window and its two neighbours, never the day
    dur, dist, _ = _day(n, 21)  # the same points: the plan replays on the dense matrix
    _check_plan(r, n, dur, service, np.zeros(n, np.int64), np.full(n, 10**9), 8 * 3600, 10**9)
    assert r.logged_travel_s == evaluate_order(
        logged, dur, dist, np.r_[0, service, 0], np.zeros(n + 2, np.int64),
        np.full(n + 2, 10**12), 8 * 3600,
    ).travel_s  # fmt: skip
    assert r.travel_s < 0.5 * r.logged_travel_s
    again, _ = _legs(n, 21)
    assert solve_day(again, service_s=service, depart_s=8 * 3600, logged=logged) == r


def test_legs_below_the_limit_are_the_dense_model():
    legs, rng = _legs(30, 22)
    dur, dist, _ = _day(30, 22)
    logged = rng.permutation(30)
    assert solve_day(legs, logged=logged) == solve_day(dur, dist, logged=logged)


def test_legs_agree_with_every_travel_source():
    """DayLegs gives the entries of the square matrix, from a model, a matrix or a service."""
    from tts.calibration import ScaledTravel

    legs, _ = _legs(12, 23)
    dur, dist, _ = _day(12, 23)
    a, b = np.repeat(np.arange(14), 14), np.tile(np.arange(14), 14)
    assert [x.tolist() for x in legs.legs(a, b)] == [dur.ravel().tolist(), dist.ravel().tolist()]
    assert legs.duration[3, 5] == dur[3, 5] and legs.distance[5, 3] == dist[5, 3]
    ids = ["home", *(f"C{k}" for k in range(12))]
    matrix = TravelMatrix(tuple(ids), dur[:-1, :-1], dist[:-1, :-1])
    by_id = DayLegs(matrix, [*ids, "home"], np.full(14, np.nan), np.full(14, np.nan))
    assert [x.tolist() for x in by_id.legs(a, b)] == [dur.ravel().tolist(), dist.ravel().tolist()]
    assert by_id.sub([0, 4, 13])[0].tolist() == dur[np.ix_([0, 4, 13], [0, 4, 13])].tolist()
    service = DayLegs(ScaledTravel(TravelModel(), 1.0), ids + ["home"], legs.lat, legs.lon)
    many = np.arange(14 * 14) % 14  # more legs than one request holds
    assert service.legs(many, many[::-1])[0].tolist() == dur[many, many[::-1]].tolist()
    # the nearest-neighbour path: from the coordinates, or row by row from the matrix
    assert legs.nearest_path() == nearest_neighbour(dur) == by_id.nearest_path()


def test_the_nearest_path_from_the_k_d_tree_is_the_nearest_by_hand():
    from tts.travel import haversine_m

    legs, _ = _legs(300, 24)
    order = legs.nearest_path()
    assert sorted(order) == list(range(300))
    here, left = 0, set(range(300))
    for k in order[:60]:
        d = {j: float(haversine_m(legs.lat[here], legs.lon[here], legs.lat[j + 1], legs.lon[j + 1]))
             for j in left}  # fmt: skip
        assert d[k] == min(d.values())
        left.remove(k)
        here = k + 1
