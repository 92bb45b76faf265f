"""How many threads the compiled kernels share their loops between.

OpenMP's own default, made explicit: ``OMP_NUM_THREADS`` when set, else the processors this
process may run on. The kernels pass it to every parallel loop, and a forked child process
sets it to one (:func:`os.register_at_fork`): GNU OpenMP does not survive ``fork``, and a
child that entered a parallel loop after its parent had run one would wait forever for
threads that were not copied.
"""

from __future__ import annotations

import os
from collections.abc import Callable


def openmp_threads() -> int:
    """Threads for the kernels' parallel loops (at least 1).

    >>> openmp_threads() >= 1
    True
    """
    first = os.environ.get("OMP_NUM_THREADS", "").split(",")[0].strip()
    if first.isdigit() and int(first) > 0:
        return int(first)
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return os.cpu_count() or 1


def follow_threads(set_threads: Callable[[int], None]) -> None:
    """Give a kernel module its thread count now (:func:`openmp_threads`) and one thread in
    every forked child (POSIX; Windows has no ``fork``).
    """
    set_threads(openmp_threads())
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=lambda: set_threads(1))
