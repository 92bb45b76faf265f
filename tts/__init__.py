"""tts: the Time to Sell diagnostic of route-sales teams.

Load a route activity survey and a rep questionnaire, split each rep-day into customer and
non-customer time, compare it with the standards, audit the data, and report.
"""

from ._exceptions import InputError, OptimizationError, ReportError, TTSError
from .action_plan import action_plan, write_action_plan
from .compare import WaveComparison, compare
from .diagnosis import Diagnosis, diagnose
from .forms import write_forms
from .gps import Track, track_timeline
from .io import Dataset, Mapping, load_dataset
from .method import Method
from .pipeline import Run, run
from .report import write_report
from .route_plan import RoutePlan, optimize_routes
from .sample import make_sample, write_sample
from .standards import Standards
from .territory import TerritoryPlan, plan_territory, reps_needed

__version__ = "0.1.0"

__all__ = [
    "Dataset",
    "Diagnosis",
    "InputError",
    "Mapping",
    "Method",
    "OptimizationError",
    "ReportError",
    "RoutePlan",
    "Run",
    "Standards",
    "TTSError",
    "TerritoryPlan",
    "Track",
    "WaveComparison",
    "action_plan",
    "compare",
    "diagnose",
    "load_dataset",
    "make_sample",
    "optimize_routes",
    "plan_territory",
    "reps_needed",
    "run",
    "track_timeline",
    "write_action_plan",
    "write_forms",
    "write_report",
    "write_sample",
]
