"""Developer tasks: ``nox -s tests lint typecheck bench``."""

from __future__ import annotations

from pathlib import Path

import nox
import tomllib

nox.options.sessions = ["tests", "lint", "typecheck", "docs"]
nox.options.reuse_venv = "yes"

_PYPROJECT = tomllib.loads(Path("pyproject.toml").read_text())
# The Python matrix is the one the package claims in its classifiers.
PYTHONS = [
    c.rsplit(" :: ", 1)[1]
    for c in _PYPROJECT["project"]["classifiers"]
    if c.startswith("Programming Language :: Python :: 3.")
]


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Run the test suite on asyncio and trio (the anyio plugin parametrizes both)."""
    session.install("-e", ".[dev]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the package."""
    session.install("-e", ".[dev]")
    session.run("mypy", "--strict", "finoos_async")


@nox.session
def bench(session: nox.Session) -> None:
    """Run the benchmarks in benchmarks/ (ratios against plain httpx, measured in one run).

    Each writes ``benchmarks/results/<name>.md`` (and a PNG chart) for the README.
    """
    session.install("-e", ".[bench]")
    for script in sorted(Path("benchmarks").glob("bench_*.py")):
        session.run("python", str(script), *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site with warnings as errors (examples run in the tests)."""
    session.install("-e", ".[docs]")
    session.run("mkdocs", "build", "--strict", *session.posargs)


@nox.session
def chaos(session: nox.Session) -> None:
    """The chaos suite at full size (CI runs a short version with the tests)."""
    session.install("-e", ".[dev]")
    session.env["FINOOS_CHAOS_CALLS"] = "20000"
    # -p no:logging: the suite keeps every DEBUG line itself; pytest need not keep a copy.
    session.run("pytest", "tests/chaos", "-q", "-s", "-p", "no:logging", *session.posargs)


@nox.session
def fuzz(session: nox.Session) -> None:
    """Fuzz the decoder with many more hypothesis examples than CI runs."""
    session.install("-e", ".[dev]")
    session.env["FINOOS_FUZZ_EXAMPLES"] = "5000"
    session.run("pytest", "tests/fuzz", "-q", *session.posargs)


@nox.session
def soak(session: nox.Session) -> None:
    """At least 20,000 calls across many token lifetimes; prints RSS at start, middle, end."""
    session.install("-e", ".[dev]")
    session.env["FINOOS_SOAK_CALLS"] = "20000"
    session.run("pytest", "tests/soak", "-q", "-s", *session.posargs)
