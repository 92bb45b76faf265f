# The compiled module's signatures, for type checkers (the loops are in audit_kernels.pyx).
import numpy as np

NAT: int

def haversine_legs(
    phi: np.ndarray,
    cos_phi: np.ndarray,
    lon: np.ndarray,
    customer: np.ndarray,
    same_day: np.ndarray,
    radius_m: float,
) -> np.ndarray: ...
def impossible_speed(
    dist: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    same_day: np.ndarray,
    hour: float,
    max_speed_kmh: float,
    min_distance_m: float,
) -> np.ndarray: ...
def round_counts(
    start: np.ndarray, end: np.ndarray, order: np.ndarray, bounds: np.ndarray, step: int
) -> np.ndarray: ...
def heaped_rows(
    start: np.ndarray,
    end: np.ndarray,
    order: np.ndarray,
    bounds: np.ndarray,
    day_flagged: np.ndarray,
    step: int,
    mask: np.ndarray,
) -> None: ...
def copied_flags(rep: np.ndarray, sig: np.ndarray, n: np.ndarray, by: np.ndarray) -> np.ndarray: ...
def repeated_days(rep_bounds: np.ndarray, sig: np.ndarray, n: np.ndarray) -> np.ndarray: ...
def day_rows(
    mask: np.ndarray,
    every: bool,
    order: np.ndarray,
    bounds: np.ndarray,
    days: np.ndarray,
    offsets: np.ndarray,
) -> np.ndarray: ...
