"""Run the committed formula mutants and show that the test suite kills each one.

Every mutant in ``mutants.toml`` changes one formula or threshold of the method (a trust-score
weight, a light's threshold, the working week, the capacity formula …). For each, this script
copies the package, its tests and the sample data to a temporary folder, applies the change,
and runs the tests the mutant names there: the mutant is *killed* when they fail. It first
checks that the unchanged copy passes the same tests, so a kill is the mutant's doing.

Usage (from the repository root)::

    python tests/mutate.py            # every mutant; exit 1 if any survives
    python tests/mutate.py --list     # the mutants, without running them
    python tests/mutate.py gini_rank  # only the named ones
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MUTANTS = Path(__file__).with_name("mutants.toml")


def load() -> list[dict[str, object]]:
    """The mutants, each checked to apply to exactly one place of the current code."""
    mutants = tomllib.loads(MUTANTS.read_text(encoding="utf-8"))["mutant"]
    for m in mutants:
        text = (REPO / str(m["file"])).read_text(encoding="utf-8")
        found = text.count(str(m["old"]))
        if found != 1:
            raise SystemExit(
                f"mutant {m['name']}: its 'old' text occurs {found} times in {m['file']}, "
                "not once; update mutants.toml to the current code"
            )
    return mutants


def _copy(dest: Path) -> None:
    for name in ("tts", "tests", "sample_data"):
        shutil.copytree(
            # the compiled kernels (tts/*.so, built in place by the editable install) come
            # along; a mutant of a kernel's source (.pyx) compiles that module again
            REPO / name,
            dest / name,
            ignore=shutil.ignore_patterns("*.pyc"),
        )
    shutil.copy(REPO / "pyproject.toml", dest / "pyproject.toml")


def _pytest(where: Path, tests: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(where), "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-n", "0", "-p", "no:cacheprovider", *tests]
    return subprocess.run(cmd, cwd=where, env=env, capture_output=True, text=True)


def _compiled(source: Path) -> dict[Path, bytes]:
    """The compiled modules of a kernel's source (``.pyx``), to put back after its mutant."""
    if source.suffix != ".pyx":
        return {}
    return {so: so.read_bytes() for so in source.parent.glob(source.stem + ".*.so")}


def _build(source: Path) -> subprocess.CompletedProcess[str] | None:
    """Compile a mutated kernel's source in place (Cython, then the C compiler); None for a
    Python source. A failed build is returned as the result (the mutant then survives:
    a mutant must compile)."""
    if source.suffix != ".pyx":
        return None
    cmd = [sys.executable, "-m", "Cython.Build.Cythonize", "-i", "-q", source.name]
    done = subprocess.run(cmd, cwd=source.parent, capture_output=True, text=True)
    if done.returncode != 0:
        # not a kill: make the result look like passing tests, with the reason printed
        print(f"mutant does not compile: {done.stderr[-500:]}")
        return subprocess.CompletedProcess(cmd, 0, done.stdout, done.stderr)
    return None


def main() -> int:
    """Run the mutants named on the command line (default all); 0 when every one is killed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="mutants to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    args = parser.parse_args()
    mutants = [m for m in load() if not args.names or m["name"] in args.names]
    if args.list:
        for m in mutants:
            print(f"{m['name']:<28} {m['file']}: {m['what']}")
        return 0
    survived = []
    with tempfile.TemporaryDirectory(prefix="tts-mutants-") as tmp:
        base = Path(tmp) / "base"
        _copy(base)
        probe = subprocess.run(
            [sys.executable, "-c", "import tts; print(tts.__file__)"],
            cwd=base,
            env={**os.environ, "PYTHONPATH": str(base)},
            capture_output=True,
            text=True,
        )
        if not probe.stdout.strip().startswith(str(base)):
            print(f"the copy is not the tts that imports: {probe.stdout or probe.stderr}")
            return 2
        tests = sorted({t for m in mutants for t in m["tests"]})  # type: ignore[attr-defined]
        clean = _pytest(base, tests)
        if clean.returncode != 0:
            print("the unchanged code fails its own tests:\n" + clean.stdout[-3000:])
            return 2
        for m in mutants:
            start = time.perf_counter()
            path = base / str(m["file"])
            original = path.read_text(encoding="utf-8")
            path.write_text(original.replace(str(m["old"]), str(m["new"])), encoding="utf-8")
            built = _compiled(path)
            try:
                result = _build(path) or _pytest(base, list(m["tests"]))  # type: ignore[call-overload]
            finally:
                path.write_text(original, encoding="utf-8")
                for so, data in built.items():
                    so.write_bytes(data)
            killed = result.returncode != 0
            if not killed:
                survived.append(m["name"])
            failing = next(
                (line for line in result.stdout.splitlines() if line.startswith("FAILED")), ""
            )
            print(
                f"{'killed ' if killed else 'SURVIVED'} {m['name']:<28} "
                f"{time.perf_counter() - start:5.1f} s  {failing[:90]}",
                flush=True,
            )
    print(f"{len(mutants) - len(survived)} of {len(mutants)} mutants killed")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
