# The compiled module's signatures, for type checkers (the loops are in route_kernels.pyx).
import numpy as np

CELL_SUMS: tuple[str, ...]

def homes(
    customer: np.ndarray,
    day: np.ndarray,
    day_rep: np.ndarray,
    day_route: np.ndarray,
    table_route: np.ndarray,
    n_routes: int,
) -> tuple[np.ndarray, np.ndarray]: ...
def visits_away(
    customer: np.ndarray,
    day: np.ndarray,
    day_rep: np.ndarray,
    day_route: np.ndarray,
    table_route: np.ndarray,
    n_routes: int,
    home: np.ndarray,
    out: np.ndarray,
) -> int: ...
def cell_sums(
    customer: np.ndarray,
    day: np.ndarray,
    day_rep: np.ndarray,
    day_route: np.ndarray,
    table_route: np.ndarray,
    n_routes: int,
    home: np.ndarray,
    away_cell: np.ndarray,
    day_travel: np.ndarray,
    day_peak: np.ndarray,
    visit_min: np.ndarray,
    leg_m: np.ndarray,
    circuity: float,
    sales: np.ndarray,
    sums: np.ndarray,
) -> None: ...
