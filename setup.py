"""Build the compiled kernels (Cython, OpenMP where the compiler has it).

Everything else about the package is declared in ``pyproject.toml``.
"""

from __future__ import annotations

import os
import sys

from Cython.Build import cythonize
from setuptools import Extension, setup

KERNELS = ["rep_day_kernels", "audit_kernels", "route_kernels"]


def _openmp() -> list[str]:
    """The compiler flag that turns OpenMP on: gcc's and clang's on Linux, MSVC's on
    Windows; none elsewhere (Apple's clang has no OpenMP; the loops then run on one core).
    ``TTS_OPENMP=0`` turns it off.
    """
    if os.environ.get("TTS_OPENMP", "1") == "0":
        return []
    if sys.platform.startswith("linux"):
        return ["-fopenmp"]
    if sys.platform == "win32":
        return ["/openmp"]
    return []


def _exact() -> list[str]:
    """Keep every multiply and add apart: the kernels repeat numpy's formulas operation for
    operation, and a compiler that fuses ``a * b + c`` into one instruction (gcc and clang do
    on FMA hardware) rounds once instead of twice, off numpy's result in the last bit.
    """
    return [] if sys.platform == "win32" else ["-ffp-contract=off"]


flags = _openmp()
extensions = [
    Extension(
        f"tts.{name}",
        [f"tts/{name}.pyx"],
        extra_compile_args=flags + _exact(),
        extra_link_args=[f for f in flags if f != "/openmp"],
    )
    for name in KERNELS
]
setup(
    ext_modules=cythonize(extensions, compiler_directives={"language_level": 3}, nthreads=2),
    options={"build_ext": {"parallel": 2}},  # the modules compiled side by side
)
