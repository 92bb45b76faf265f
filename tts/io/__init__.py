"""Loading: files, encodings, header mapping, time parsing, validation and quarantine."""

from .dataset import Dataset, load_dataset
from .headers import Mapping

__all__ = ["Dataset", "Mapping", "load_dataset"]
