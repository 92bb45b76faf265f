"""The exception tree of tts.

Every error the package raises on purpose derives from :class:`TTSError`:

- :class:`InputError` (also a :class:`ValueError`): a file cannot be read, a required column is
  missing, an option has a wrong value. Row-level problems are never raised: they go to the
  quarantine table of the dataset.
- :class:`OptimizationError`: the route optimiser was given a model it cannot solve.
- :class:`ReportError`: the PDF report cannot be written.
"""

from __future__ import annotations

__all__ = ["InputError", "OptimizationError", "ReportError", "TTSError"]


class TTSError(Exception):
    """Base class of every error raised by tts."""


class InputError(TTSError, ValueError):
    """Input that cannot be used at all: unreadable file, missing column, bad option.

    Parameters
    ----------
    message : str
        What was expected, what was found and how to fix it.
    file : str, optional
        The file concerned, as the user named it.
    column : str, optional
        The column concerned (canonical name).
    """

    def __init__(self, message: str, *, file: str | None = None, column: str | None = None):
        super().__init__(message)
        self.file = file
        self.column = column


class OptimizationError(TTSError):
    """The route optimiser was given an infeasible or invalid model."""


class ReportError(TTSError):
    """The diagnostic report could not be written."""
