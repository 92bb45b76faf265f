"""Loading: files, encodings, header mapping, time parsing, validation and quarantine."""

from .dataset import Dataset, load_dataset
from .headers import Mapping
from .matrix import read_matrix

__all__ = ["Dataset", "Mapping", "load_dataset", "read_matrix"]
