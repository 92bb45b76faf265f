"""GPS tracks: stays, the timeline, the track against check-ins, GCJ-02, and the gps table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tts
from tts.audit import audit
from tts.coords import gcj02_to_wgs84, wgs84_to_gcj02
from tts.gps import detect_stays, track_presence, track_timeline
from tts.time_use import allocate_time
from tts.travel import haversine_m

DAY = pd.Timestamp("2026-03-02")
LAT0, LON0 = 34.75, 113.65
EIGHT = DAY + pd.Timedelta(hours=8)
M_PER_DEG = 111_195.0  # metres per degree of latitude (mean Earth radius)


def _offset(north_m: float, east_m: float) -> tuple[float, float]:
    return (
        LAT0 + north_m / M_PER_DEG,
        LON0 + east_m / (M_PER_DEG * np.cos(np.radians(LAT0))),
    )


def simulate(
    legs: list[tuple[str, object, float]],
    *,
    start: pd.Timestamp = EIGHT,
    interval_s: float = 30.0,
    noise_m: float = 15.0,
    speed_kmh: float = 25.0,
    seed: int = 0,
    rep_id: str = "r1",
) -> tuple[pd.DataFrame, list[dict[str, object]]]:
    """A phone's track along a plan, and the truth.

    ``legs`` are ``("stay", place, minutes)``, ``("drive", place, 0)`` (straight line at
    ``speed_kmh`` to ``place``), ``("halt", None, minutes)`` (a red light where the phone is)
    and ``("gap", None, minutes)`` (driving on with the phone silent: no position). A place is
    ``(lat, lon)``. Positions every ``interval_s`` seconds, Gaussian noise of ``noise_m``
    metres on each axis.
    """
    rng = np.random.default_rng(seed)
    # piecewise-linear path: (t0, t1, from, to) in seconds since start
    pieces: list[tuple[float, float, tuple[float, float], tuple[float, float]]] = []
    truth: list[dict[str, object]] = []
    silent: list[tuple[float, float]] = []
    here = legs[0][1]
    assert isinstance(here, tuple)
    t = 0.0
    for kind, place, minutes in legs:
        if kind == "stay":
            assert place == here
            pieces.append((t, t + minutes * 60, here, here))
            truth.append({"place": place, "start": t, "end": t + minutes * 60})
            t += minutes * 60
        elif kind == "drive":
            assert isinstance(place, tuple)
            d = float(haversine_m(here[0], here[1], place[0], place[1]))
            dt = d / (speed_kmh / 3.6)
            pieces.append((t, t + dt, here, place))
            here, t = place, t + dt
        elif kind == "halt":
            pieces.append((t, t + minutes * 60, here, here))
            t += minutes * 60
        elif kind == "gap":
            silent.append((t, t + minutes * 60))
            pieces.append((t, t + minutes * 60, here, here))
            t += minutes * 60
    times = np.arange(0.0, t + 1e-9, interval_s)
    keep = np.ones(len(times), dtype=bool)
    for a, b in silent:
        keep &= ~((times > a) & (times < b))
    times = times[keep]
    lat = np.empty(len(times))
    lon = np.empty(len(times))
    for t0, t1, p, q in pieces:
        inside = (times >= t0) & (times <= t1)
        f = (times[inside] - t0) / (t1 - t0) if t1 > t0 else 0.0
        lat[inside] = p[0] + f * (q[0] - p[0])
        lon[inside] = p[1] + f * (q[1] - p[1])
    lat = lat + rng.normal(0, noise_m, len(times)) / M_PER_DEG
    lon = lon + rng.normal(0, noise_m, len(times)) / (M_PER_DEG * np.cos(np.radians(LAT0)))
    gps = pd.DataFrame(
        {
            "rep_id": rep_id,
            "timestamp": start + pd.to_timedelta(times, unit="s"),
            "lat": lat,
            "lon": lon,
            "row": np.arange(1, len(times) + 1),
        }
    )
    for v in truth:
        v["start"] = start + pd.Timedelta(seconds=float(v["start"]))  # type: ignore[arg-type]
        v["end"] = start + pd.Timedelta(seconds=float(v["end"]))  # type: ignore[arg-type]
    gaps = [
        {"start": start + pd.Timedelta(seconds=a), "end": start + pd.Timedelta(seconds=b)}
        for a, b in silent
    ]
    return gps, truth + [{"place": "gap", **g} for g in gaps]


# Five stores 1-2 km apart on a city grid, a depot, a long drive out to the last store.
STORES = {
    "c1": _offset(1500, 0),
    "c2": _offset(1500, 1200),
    "c3": _offset(300, 2200),
    "c4": _offset(-900, 1800),
    "c5": _offset(-900, 9000),
}
DEPOT = _offset(0, 0)
CUSTOMERS = pd.DataFrame(
    {
        "customer_id": list(STORES),
        "lat": [p[0] for p in STORES.values()],
        "lon": [p[1] for p in STORES.values()],
        "route_id": "R1",
    }
)


def _plan(dwell: list[float]) -> list[tuple[str, object, float]]:
    """Depot, four stores with a red light on the way to c3, a 20-minute silent stretch on
    the long drive to c5, back to the depot."""
    legs: list[tuple[str, object, float]] = [("stay", DEPOT, 12.0)]
    for k, cid in enumerate(["c1", "c2", "c3", "c4"]):
        if cid == "c3":
            mid = ((STORES["c2"][0] + STORES["c3"][0]) / 2, (STORES["c2"][1] + STORES["c3"][1]) / 2)
            legs += [("drive", mid, 0), ("halt", None, 2.0)]
        legs += [("drive", STORES[cid], 0), ("stay", STORES[cid], dwell[k])]
    mid = _offset(-900, 5400)  # halfway to c5
    legs += [("drive", mid, 0), ("gap", None, 20.0)]
    legs += [("drive", STORES["c5"], 0), ("stay", STORES["c5"], dwell[4])]
    legs += [("drive", DEPOT, 0), ("stay", DEPOT, 10.0)]
    return legs


def _place_id(place: object) -> str:
    for cid, p in STORES.items():
        if p == place:
            return cid
    return "depot" if place == DEPOT else str(place)


def _check_day(gps: pd.DataFrame, truth: list[dict[str, object]]) -> None:
    reps = pd.DataFrame({"rep_id": ["r1"], "home_lat": [DEPOT[0]], "home_lon": [DEPOT[1]]})
    track = track_timeline(gps, CUSTOMERS, reps)
    a = track.activities
    visits = a[a["activity"] == "visit"].reset_index(drop=True)
    planted = [v for v in truth if v["place"] in STORES.values()]
    # every planted visit, at the right store, in order, its duration within a minute
    assert visits["customer_id"].tolist() == [_place_id(v["place"]) for v in planted]
    for row, v in zip(visits.itertuples(), planted, strict=True):
        found = (row.end - row.start).total_seconds() / 60
        true = (v["end"] - v["start"]).total_seconds() / 60  # type: ignore[operator]
        assert abs(found - true) <= 1.0, (row.customer_id, found, true)
    # no stop invented on the red light: no stay other than at the stores and the depot
    assert set(track.stays["place"]) <= {"customer", "home"}
    assert not (a["activity"] == "other").any()
    # the 20-minute gap is unexplained, never travel
    (gap,) = [v for v in truth if v["place"] == "gap"]
    unexplained = a[a["activity"] == "unexplained"]
    assert len(unexplained) == 1
    u = unexplained.iloc[0]
    assert u["start"] <= gap["start"] and u["end"] >= gap["end"]
    assert (u["end"] - u["start"]) <= pd.Timedelta(minutes=21)
    # the depot stays opening and closing the day are outside it
    assert a["start"].min() > truth[0]["end"] - pd.Timedelta(minutes=1)  # type: ignore[operator]
    # a timeline with no holes: each activity starts where the previous one ended
    assert (a["start"].iloc[1:].to_numpy() == a["end"].iloc[:-1].to_numpy()).all()
    assert (a["source"] == "gps").all()


def test_planted_visits_red_light_and_gap():
    gps, truth = simulate(_plan([8.0, 9.0, 8.5, 8.0, 9.0]), seed=1)
    _check_day(gps, truth)


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    dwell=st.lists(st.floats(8.0, 9.0), min_size=5, max_size=5),
    speed_kmh=st.floats(18.0, 35.0),
)
def test_planted_visits_any_noise_draw(seed, dwell, speed_kmh):
    gps, truth = simulate(_plan(dwell), seed=seed, speed_kmh=speed_kmh)
    _check_day(gps, truth)


def test_stays_by_hand():
    # a ping a minute, no noise: 6 minutes at A (09:00-09:05, 6 pings), 2 minutes at a light
    # (3 pings), 5 minutes at B (09:13-09:18), each 1 km apart
    a, light, b = _offset(0, 0), _offset(1000, 0), _offset(2000, 0)
    lat = [a[0]] * 6 + [_offset(500, 0)[0]] + [light[0]] * 3 + [_offset(1500, 0)[0]] * 3
    lat += [b[0]] * 6
    g = pd.DataFrame(
        {
            "rep_id": "r1",
            "timestamp": DAY + pd.Timedelta(hours=9) + pd.to_timedelta(range(len(lat)), "min"),
            "lat": lat,
            "lon": LON0,
        }
    )
    s = detect_stays(g, radius_m=100, min_stay_min=5)
    # A: 09:00-09:05 = 5 min; the light (2 min) is no stay; B: 09:13-09:18 = 5 min
    assert s[["stay_min", "pings"]].values.tolist() == [[5.0, 6], [5.0, 6]]
    assert s["start"].dt.strftime("%H:%M").tolist() == ["09:00", "09:13"]
    assert s["first_row"].tolist() == [1, 14]
    # one minute shorter minimum: the light stays no stay (its three pings span 2 minutes)
    assert len(detect_stays(g, radius_m=100, min_stay_min=2.5)) == 2
    assert len(detect_stays(g, radius_m=100, min_stay_min=2.0)) == 4  # light and the 1.5 km stop


def test_a_noisy_ping_does_not_split_a_visit():
    # 10 pings at one place, the 5th thrown 150 m off: one stay of 9 minutes, not two
    lat = [LAT0] * 10
    lat[4] = _offset(150, 0)[0]
    g = pd.DataFrame(
        {
            "rep_id": "r1",
            "timestamp": DAY + pd.Timedelta(hours=9) + pd.to_timedelta(range(10), "min"),
            "lat": lat,
            "lon": LON0,
        }
    )
    s = detect_stays(g, radius_m=100, min_stay_min=3)
    assert s["stay_min"].tolist() == [9.0]


def test_stays_never_span_a_gap_or_midnight():
    t = [DAY + pd.Timedelta(hours=9, minutes=m) for m in (0, 1, 2, 3, 4, 5, 30, 31, 32, 33, 34, 35)]
    g = pd.DataFrame({"rep_id": "r1", "timestamp": t, "lat": LAT0, "lon": LON0})
    s = detect_stays(g, radius_m=100, min_stay_min=5, max_gap_min=10)
    assert s["stay_min"].tolist() == [5.0, 5.0]
    late = [DAY + pd.Timedelta(hours=23, minutes=57 + m) for m in range(8)]
    g = pd.DataFrame({"rep_id": "r1", "timestamp": late, "lat": LAT0, "lon": LON0})
    assert detect_stays(g, radius_m=100, min_stay_min=3)["date"].dt.day.tolist() == [3]


def test_stays_per_rep_and_input_untouched():
    g1, _ = simulate(_plan([8.0] * 5), seed=3, rep_id="r1")
    g2, _ = simulate(_plan([9.0] * 5), seed=4, rep_id="r2")
    g = pd.concat([g2, g1], ignore_index=True)
    before = g.copy()
    both = detect_stays(g)
    assert both["rep_id"].tolist() == sorted(both["rep_id"])
    one = detect_stays(g1)
    pd.testing.assert_frame_equal(
        both[both["rep_id"] == "r1"].reset_index(drop=True), one.reset_index(drop=True)
    )
    pd.testing.assert_frame_equal(g, before)


# -- the track against the logged visits ------------------------------------------------------


def _logged(stays: list[tuple[str, float, float]]) -> pd.DataFrame:
    """Activities of a check-in log: (customer, check-in minute after 09:00, minutes)."""
    t0 = DAY + pd.Timedelta(hours=9)
    return pd.DataFrame(
        {
            "rep_id": "r1",
            "date": DAY,
            "start": [t0 + pd.Timedelta(minutes=m) for _, m, _ in stays],
            "end": [t0 + pd.Timedelta(minutes=m + d) for _, m, d in stays],
            "activity": pd.Categorical(["visit"] * len(stays)),
            "customer_id": [c for c, _, _ in stays],
            "row": np.arange(2, len(stays) + 2),
        }
    )


def test_check_in_then_leave_is_flagged_and_the_honest_visit_is_not():
    # c1: checked in at 09:00 for 20 minutes, stays 20 (honest). c2: checked in at 09:30 for
    # 20 minutes, leaves after 3 (drives to c3 and stays there).
    legs: list[tuple[str, object, float]] = [
        ("stay", STORES["c1"], 20.0),
        ("drive", STORES["c2"], 0),
    ]
    gps, truth = simulate(legs, start=DAY + pd.Timedelta(hours=9), seed=5)
    arrive_c2 = truth[0]["end"] + (gps["timestamp"].iloc[-1] - truth[0]["end"])
    more, _ = simulate(
        [("stay", STORES["c2"], 3.0), ("drive", STORES["c3"], 0), ("stay", STORES["c3"], 25.0)],
        start=arrive_c2 + pd.Timedelta(seconds=30),
        seed=6,
    )
    gps = pd.concat([gps, more], ignore_index=True)
    c2_in = (arrive_c2 + pd.Timedelta(seconds=30) - DAY - pd.Timedelta(hours=9)).total_seconds()
    acts = _logged([("c1", 0.0, 20.0), ("c2", c2_in / 60, 20.0)])
    time = allocate_time(acts)
    result = audit(acts, time, CUSTOMERS, gps=gps)
    f = result.flags[result.flags["check"] == "checkin_not_at_store"]
    assert f["rows"].tolist() == ["3"]  # the c2 visit, row 3 of the log
    present, claimed = (float(x) for x in f["value"].iloc[0].split("/"))
    # the phone stays 3 minutes within 300 m, plus the half-minute to a minute it takes to
    # drive out of that radius at city speed
    assert claimed == 20.0 and 3.0 <= present <= 4.5
    assert result.trust.set_index("rep_id").loc["r1", "checkin_not_at_store"] == 1
    # without the track the check does not run; with the survey rebuilt from the track, the
    # track cannot judge itself
    assert "checkin_not_at_store" not in set(audit(acts, time, CUSTOMERS).flags["check"])
    rebuilt = track_timeline(gps, CUSTOMERS).activities
    r = audit(rebuilt, allocate_time(rebuilt), CUSTOMERS, gps=gps)
    assert "checkin_not_at_store" not in set(r.flags["check"])


def test_presence_by_hand():
    # pings each minute 09:00-09:20; at the store (0 m) at 09:00-09:05, 1 km away after
    t = DAY + pd.Timedelta(hours=9) + pd.to_timedelta(range(21), "min")
    lat = [LAT0] * 6 + [_offset(1000, 0)[0]] * 15
    g = pd.DataFrame({"rep_id": "r1", "timestamp": t, "lat": lat, "lon": LON0})
    stops = pd.DataFrame(
        {
            "rep_id": ["r1", "r1", "r2"],
            "customer_id": ["c0", "c0", "c0"],
            # 09:02-09:12: 4 of 10 minutes present; 09:30-09:40: after the track; r2: no track
            "start": [t[2], t[20] + pd.Timedelta(minutes=10), t[0]],
            "end": [t[12], t[20] + pd.Timedelta(minutes=20), t[10]],
        }
    )
    c = pd.DataFrame({"customer_id": ["c0"], "lat": [LAT0], "lon": [LON0]})
    p = track_presence(stops, g, c, radius_m=300)
    assert p["claimed_min"].tolist() == [10.0, 10.0, 10.0]
    assert p["covered_min"].tolist() == [10.0, 0.0, 0.0]
    assert p["present_min"].tolist() == [4.0, 0.0, 0.0]
    assert p["left_after_min"].tolist() == [4.0, 0.0, 0.0]
    assert p.loc[0, "checkin_distance_m"] == 0.0 and np.isnan(p.loc[2, "checkin_distance_m"])
    flags = tts.audit.flag_checkin_not_at_store(p)  # type: ignore[attr-defined]
    assert flags.tolist() == [True, False, False]  # no track, no judgement
    offset = pd.Series([0.0, 850.0, 10.0])
    assert tts.audit.flag_checkin_not_at_store(p, offset_m=offset).tolist() == [True, True, False]  # type: ignore[attr-defined]


# -- GCJ-02 -----------------------------------------------------------------------------------

# Published WGS-84 / GCJ-02 pairs of known points: the test table of eviltransform (Shanghai,
# Shenzhen, Beijing; BSD-2) and Tiananmen (39.90734, 116.39089) from the R package geoChina's
# tests, whose GCJ-02 value came from the Amap coordinate API.
PAIRS = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),
    (39.90734, 116.39089, 39.90874539, 116.39713623),
]


def test_gcj02_to_wgs84_lands_within_5_m_of_the_published_truth():
    w_lat, w_lon, g_lat, g_lon = (np.array(c) for c in zip(*PAIRS, strict=True))
    lat, lon = gcj02_to_wgs84(g_lat, g_lon)
    err = haversine_m(lat, lon, w_lat, w_lon)
    assert err.max() < 5.0, err
    # and the shift being undone is a real one: hundreds of metres
    assert haversine_m(g_lat, g_lon, w_lat, w_lon).min() > 300
    f_lat, f_lon = wgs84_to_gcj02(w_lat[:3], w_lon[:3])  # eviltransform's pairs, to 1 cm
    assert haversine_m(f_lat, f_lon, g_lat[:3], g_lon[:3]).max() < 0.01


@settings(max_examples=50, deadline=None)
@given(st.floats(18.5, 53.0), st.floats(74.0, 134.0))
def test_gcj02_round_trip(lat, lon):
    g_lat, g_lon = wgs84_to_gcj02(lat, lon)
    w_lat, w_lon = gcj02_to_wgs84(g_lat, g_lon)
    assert float(haversine_m(w_lat, w_lon, lat, lon)[0]) < 0.01


# -- the gps table ----------------------------------------------------------------------------


def test_gps_table_loads_with_chinese_headers_and_sets_bad_rows_aside():
    raw = pd.DataFrame(
        {
            "业务员": ["r1", "r1", "r1", "r1", "r1", "r1"],
            "定位时间": [
                "2026-03-02 09:00:00",
                "2026-03-02 09:00:30",
                "2026-03-02 09:00:30",  # duplicate of the row above
                "yesterday",
                "2026-03-02 09:01:30",
                "2026-03-02 09:02:00",
            ],
            "纬度": ["34.75", "34.75", "34.76", "34.75", "134.0", "34.75"],
            "经度": ["113.65"] * 6,
            "精度": ["10", "12", "12", "8", "9", "650"],
        }
    )
    acts = _logged([("c1", 0.0, 5.0)]).drop(columns="row")
    ds = tts.load_dataset(activities=acts, gps=raw)
    assert ds.gps is not None and ds.gps["row"].tolist() == [1, 2]
    reasons = ds.quarantine[ds.quarantine["table"] == "gps"].set_index("row")["reason"]
    assert reasons.to_dict() == {
        3: "duplicate_row",
        4: "unparseable_time",
        5: "coordinates_out_of_range",
        6: "poor_accuracy",
    }
    counts = ds.row_counts.set_index("table").loc["gps"]
    assert (counts["read"], counts["used"], counts["quarantined"]) == (6, 2, 4)


def test_gcj02_option_converts_the_track_at_loading():
    w_lat, w_lon, g_lat, g_lon = PAIRS[0]
    raw = pd.DataFrame(
        {"rep_id": ["r1"], "timestamp": ["2026-03-02 09:00"], "lat": [g_lat], "lon": [g_lon]}
    )
    acts = _logged([("c1", 0.0, 5.0)]).drop(columns="row")
    m = tts.Method(gps_coordinate_system="gcj02")
    ds = tts.load_dataset(activities=acts, gps=raw, method=m)
    assert ds.gps is not None
    assert haversine_m(ds.gps["lat"].iloc[0], ds.gps["lon"].iloc[0], w_lat, w_lon) < 5.0
    plain = tts.load_dataset(activities=acts, gps=raw)
    assert plain.gps is not None and plain.gps["lat"].iloc[0] == g_lat
    with pytest.raises(tts.InputError, match="gps_coordinate_system"):
        tts.Method(gps_coordinate_system="bd09")


def test_a_track_alone_is_a_dataset_and_diagnoses():
    gps, truth = simulate(_plan([8.0, 9.0, 8.5, 8.0, 9.0]), seed=2)
    raw = gps.drop(columns="row").assign(timestamp=gps["timestamp"].astype(str))
    ds = tts.load_dataset(gps=raw, customers=CUSTOMERS.assign(channel="BC", name="x"))
    a = ds.activities
    assert a is not None and (a["source"] == "gps").all()
    assert (a["activity"] == "visit").sum() == 5
    dx = tts.diagnose(ds)
    day = dx.time_allocation.iloc[0]
    assert day["visits"] == 5
    assert 8.0 <= day["avg_visit_min"] <= 9.0


def test_track_result_reads_well_empty_or_not():
    empty = pd.DataFrame(
        {
            "rep_id": pd.Series([], dtype="str"),
            "timestamp": pd.Series([], dtype="datetime64[ns]"),
            "lat": pd.Series([], dtype=float),
            "lon": pd.Series([], dtype=float),
        }
    )
    gps, _ = simulate(_plan([8.0] * 5), seed=9)
    for g in (empty, gps.head(1), gps):
        t = track_timeline(g, CUSTOMERS)
        assert repr(t).startswith("Track(") and "GPS track" in t._repr_html_()
        frame = t.to_frame()
        assert list(frame.columns) == [
            "rep_id",
            "date",
            "start",
            "end",
            "activity",
            "customer_id",
            "route_id",
            "row",
            "source",
        ]
    assert "5 at customers" in repr(t)
    with pytest.raises(tts.InputError, match="gps"):
        track_timeline(gps.drop(columns="lat"))


def test_positions_without_coordinates_are_refused_not_guessed():
    gps, _ = simulate(_plan([8.0] * 5), seed=9)
    holed = gps.assign(lat=gps["lat"].where(gps.index != 7))
    for func in (detect_stays, track_timeline):
        with pytest.raises(tts.InputError, match="1 position"):
            func(holed)
