"""Travel sources: the model, a user's matrix file, an OSRM-compatible service (stubbed)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import numpy as np
import pandas as pd
import pytest

import tts
from tts.io import read_matrix
from tts.travel import OsrmTable, TravelModel, haversine_m, travel_matrix

from .conftest import timeline, write


def test_model_is_distance_times_circuity_over_speed():
    d = haversine_m(34.75, 113.65, 34.75 + 1 / 111.195, 113.65)  # about 1 km north
    assert d == pytest.approx(1000, rel=1e-3)
    model = TravelModel(speed_kmh=30, circuity=1.5)
    dur, dist = travel_matrix([34.75, 34.75 + 1 / 111.195], [113.65, 113.65], model)
    assert dist[0, 1] == pytest.approx(1500, abs=2)
    assert dur[0, 1] == pytest.approx(180, abs=1)  # 1.5 km at 30 km/h
    assert (np.diag(dur) == 0).all() and (dur == dur.T).all()


def test_pairs_file(tmp_path):
    rows = ["from_id,to_id,duration_min,distance_km"]
    for a in ("A", "B", "C"):
        for b in ("A", "B", "C"):
            if a != b:
                rows.append(f"{a},{b},{ord(a) + ord(b) - 130},{0.5}")
    m = read_matrix(write(tmp_path / "m.csv", "\n".join(rows) + "\n"))
    assert m.ids == ("A", "B", "C")
    dur, dist = m.matrix(["C", "A"])
    assert dur.tolist() == [[0, 60 * (67 + 65 - 130)], [60 * 2, 0]]
    assert dist[0, 1] == 500


def test_square_file_and_asymmetry(tmp_path):
    m = read_matrix(write(tmp_path / "m.csv", "id,A,B\nA,0,100\nB,130,0\n"))
    assert m.matrix(["A", "B"])[0].tolist() == [[0, 100], [130, 0]]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("from_id,to_id,duration_s\nA,B,10\n", r"lacks 1 of the 2 ordered pairs.*B -> A"),
        ("from_id,to_id,duration_s\nA,B,10\nB,A,soon\n", r"row 3, column 'duration_s': 'soon'"),
        ("from_id,to_id,minutes\nA,B,10\n", "no 'duration_s' or 'duration_min'"),
        ("id,A,B\nB,0,1\nA,1,0\n", "neither a pairs file"),
    ],
)
def test_bad_matrix_files(tmp_path, text, match):
    with pytest.raises(tts.InputError, match=match):
        read_matrix(write(tmp_path / "m.csv", text))


def test_matrix_lookup_names_missing_ids(tmp_path):
    m = read_matrix(write(tmp_path / "m.csv", "id,A,B\nA,0,1\nB,1,0\n"))
    with pytest.raises(tts.InputError, match=r"no row for \['Z'\]"):
        m.matrix(["A", "Z"])


def test_optimize_with_a_user_matrix(tmp_path):
    # three stores on a line; the matrix, not the (absent) coordinates, decides the order
    acts = timeline(
        (
            "r1",
            "2026-03-02",
            [
                ("09:00", "09:05", "visit", "far"),
                ("09:05", "09:20", "travel", None),
                ("09:20", "09:25", "visit", "near"),
                ("09:25", "09:30", "travel", None),
                ("09:30", "09:35", "visit", "mid"),
                ("09:35", "09:40", "travel", None),
                ("09:40", "09:45", "visit", "mid2"),
            ],
        )
    )
    pos = {"r1": 0, "near": 1, "mid": 2, "mid2": 3, "far": 4}
    lines = ["from_id,to_id,duration_s"] + [
        f"{a},{b},{abs(pa - pb) * 300}" for a, pa in pos.items() for b, pb in pos.items() if a != b
    ]
    matrix = read_matrix(write(tmp_path / "m.csv", "\n".join(lines) + "\n"))
    customers = pd.DataFrame(
        {
            "customer_id": ["far", "near", "mid", "mid2"],
            "name": "s",
            "lat": np.nan,
            "lon": np.nan,
            "channel": "BC",
            "route_id": "R",
        }
    )
    ds = tts.load_dataset(activities=acts.drop(columns="row"), customers=customers)
    plan = tts.optimize_routes(ds, travel=matrix, workers=1)
    v = plan.visits.sort_values("seq_after")
    assert sorted(v["customer_id"]) == ["far", "mid", "mid2", "near"]
    # out to 'far' and back is 8 steps of 300 s by the matrix, whatever the order on the way
    # (several orders tie, e.g. near-mid-mid2-far or mid-far-mid2-near); the logged one took 12
    d = plan.days.iloc[0]
    assert d["travel_after_min"] == 8 * 300 / 60
    assert d["travel_before_min"] == 12 * 300 / 60


class _Osrm(BaseHTTPRequestHandler):
    """Answers /table like OSRM: durations = 100 s per index step, distances = 1 km."""

    calls: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server API
        _Osrm.calls.append(self.path)
        coords = self.path.split("/table/v1/driving/")[1].split("?")[0].split(";")
        n = len(coords)
        if n > 50:
            body = {"code": "TooBig", "message": "Too many table coordinates"}
        else:
            body = {
                "code": "Ok",
                "durations": [[abs(i - j) * 100.0 for j in range(n)] for i in range(n)],
                "distances": [[abs(i - j) * 1000.0 for j in range(n)] for i in range(n)],
            }
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture
def osrm():
    server = HTTPServer(("127.0.0.1", 0), _Osrm)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_osrm_client_against_a_local_stub(osrm):
    _Osrm.calls.clear()
    dur, dist = OsrmTable(osrm).matrix(["a", "b", "c"], [34.7, 34.8, 34.9], [113.1, 113.2, 113.3])
    assert dur.tolist() == [[0, 100, 200], [100, 0, 100], [200, 100, 0]]
    assert dist[0, 2] == 2000
    assert _Osrm.calls[0].startswith("/table/v1/driving/113.100000,34.700000;")
    assert "annotations=duration,distance" in _Osrm.calls[0]


def test_osrm_errors_are_clear(osrm):
    n = 51
    with pytest.raises(tts.InputError, match="answered 'TooBig'"):
        OsrmTable(osrm).matrix(["x"] * n, np.full(n, 34.7), np.full(n, 113.1))
    with pytest.raises(tts.InputError, match="did not answer"):
        OsrmTable("http://127.0.0.1:9", timeout_s=2).matrix(["a"], [34.7], [113.1])
