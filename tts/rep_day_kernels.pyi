# The compiled module's signatures, for type checkers (the loops are in rep_day_kernels.pyx).
import numpy as np

def overlap_seconds(start: np.ndarray, end: np.ndarray, bounds: np.ndarray) -> np.ndarray: ...
def runs_in_order(
    key: np.ndarray, start: np.ndarray, end: np.ndarray, new_run: np.ndarray
) -> bool: ...
def rep_date_runs(
    rep: np.ndarray, date: np.ndarray, start: np.ndarray, end: np.ndarray, new_run: np.ndarray
) -> bool: ...
def runs_laid_out(source: np.ndarray, length: np.ndarray, n: int) -> np.ndarray: ...
def seconds_in_order(nanoseconds: np.ndarray, order: np.ndarray) -> np.ndarray: ...
def day_times(
    start: np.ndarray,
    end: np.ndarray,
    overlap: np.ndarray,
    activity: np.ndarray,
    bounds: np.ndarray,
    n_codes: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...
def stop_counts(
    activity: np.ndarray, customer_activity: np.ndarray, customer: np.ndarray, bounds: np.ndarray
) -> np.ndarray: ...
def stop_times(
    start: np.ndarray,
    end: np.ndarray,
    overlap: np.ndarray,
    activity: np.ndarray,
    customer_activity: np.ndarray,
    customer: np.ndarray,
    bounds: np.ndarray,
    stop_bounds: np.ndarray,
    travel_code: int,
) -> tuple[np.ndarray, ...]: ...
def day_signatures(
    start: np.ndarray,
    end: np.ndarray,
    activity: np.ndarray,
    customer: np.ndarray,
    bounds: np.ndarray,
    day_date: np.ndarray,
) -> np.ndarray: ...
def day_modes(codes: np.ndarray, stop_bounds: np.ndarray) -> np.ndarray: ...
def day_first_codes(codes: np.ndarray, order: np.ndarray, bounds: np.ndarray) -> np.ndarray: ...
