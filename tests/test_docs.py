"""Every Python example in docs/ runs, against the in-process sandbox, and succeeds.

Each fenced ``python`` block of ``docs/*.md`` is one test, run as a script of its
own (a fresh namespace, ``__name__ == "__main__"``). An HTML comment on the line
right above a fence changes that:

- ``<!-- skip-test: reason -->`` skips the block (production credentials, a fragment
  of someone else's application); the reason is required and shows in the report.
- ``<!-- requires: module -->`` skips the block when ``module`` is not installed.
- ``<!-- pytest-module -->`` marks a block that is a pytest test module: it is run by
  pytest in a subprocess, which must pass with at least one test and none skipped.
- ``<!-- sandbox-server -->`` runs the block as a reader would after starting
  ``finoos sandbox`` and exporting the ``FINOOS_*`` lines it prints; every URL of
  that server the block prints must then open (answer 200).

An example that shows an error must really meet it: every ``except`` clause in an
example has to run, so a ``try`` whose error silently stopped happening fails too.
"""

from __future__ import annotations

import ast
import logging
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import attrs
import pytest

from ._live import serve_sandbox_process

DOCS = Path(__file__).resolve().parent.parent / "docs"

_FENCE_OPEN = re.compile(r"^(?P<indent> *)```python\b.*$")
_SKIP = re.compile(r"^\s*<!--\s*skip-test:\s*(?P<reason>\S.*?)\s*-->\s*$")
_REQUIRES = re.compile(r"^\s*<!--\s*requires:\s*(?P<module>[\w.]+)\s*-->\s*$")
_PYTEST_MODULE = re.compile(r"^\s*<!--\s*pytest-module\s*-->\s*$")
_SANDBOX_SERVER = re.compile(r"^\s*<!--\s*sandbox-server\s*-->\s*$")
_URL = re.compile(r"https?://\S+")


@attrs.frozen
class Example:
    """One fenced Python block of a docs page."""

    page: str
    index: int
    line: int
    source: str
    skip_reason: str | None
    requires: str | None
    pytest_module: bool
    sandbox_server: bool

    @property
    def id(self) -> str:
        return f"{self.page}#{self.index}-L{self.line}"


def _examples(page: Path) -> Iterator[Example]:
    lines = page.read_text(encoding="utf-8").splitlines()
    index = 0
    number = 0
    while number < len(lines):
        opening = _FENCE_OPEN.match(lines[number])
        if opening is None:
            number += 1
            continue
        indent = len(opening["indent"])
        above = lines[number - 1] if number else ""
        skip, requires = _SKIP.match(above), _REQUIRES.match(above)
        body: list[str] = []
        end = number + 1
        while end < len(lines) and lines[end].strip() != "```":
            body.append(lines[end][indent:])
            end += 1
        if end == len(lines):
            raise ValueError(f"{page.name}:{number + 1}: unclosed ```python fence")
        index += 1
        yield Example(
            page=page.name,
            index=index,
            line=number + 1,
            # Padded so tracebacks point at the line in the .md file.
            source="\n" * (number + 1) + "\n".join(body) + "\n",
            skip_reason=skip["reason"] if skip else None,
            requires=requires["module"] if requires else None,
            pytest_module=_PYTEST_MODULE.match(above) is not None,
            sandbox_server=_SANDBOX_SERVER.match(above) is not None,
        )
        number = end + 1


def _all_examples() -> list[Example]:
    return [example for page in sorted(DOCS.glob("*.md")) for example in _examples(page)]


EXAMPLES = _all_examples()


def test_docs_have_examples() -> None:
    """The docs directory was found and holds runnable examples (a guard against a vacuous pass)."""
    assert sum(example.skip_reason is None for example in EXAMPLES) >= 10


def _handler_lines(tree: ast.Module) -> set[int]:
    """The first line of every ``except`` clause's body."""
    return {node.body[0].lineno for node in ast.walk(tree) if isinstance(node, ast.ExceptHandler)}


def _run_tracing_lines(code: Any, filename: str) -> set[int]:
    """Run ``code`` as ``__main__``; return the line numbers it executed in ``filename``."""
    executed: set[int] = set()

    def local(frame: FrameType, event: str, arg: object) -> Any:
        if event == "line":
            executed.add(frame.f_lineno)
        return local

    def global_(frame: FrameType, event: str, arg: object) -> Any:
        return local if frame.f_code.co_filename == filename else None

    # Examples may configure the SDK's logger, as readers would; other tests must not see it.
    sdk_logger = logging.getLogger("finoos_async")
    level = sdk_logger.level
    previous = sys.gettrace()
    sys.settrace(global_)
    try:
        exec(code, {"__name__": "__main__"})  # noqa: S102 - our own documentation's examples
    finally:
        sys.settrace(previous)
        sdk_logger.setLevel(level)
    return executed


def _run_pytest_module(example: Example, folder: Path) -> None:
    module = folder / "test_docs_example.py"
    module.write_text(example.source.lstrip("\n"), encoding="utf-8")
    completed = subprocess.run(  # noqa: S603 - our own interpreter on our own docs
        [sys.executable, "-m", "pytest", "-q", "-W", "error", "-p", "no:cacheprovider", module],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = completed.stdout + completed.stderr
    assert completed.returncode == 0, report
    assert " passed" in report, report
    assert " skipped" not in report, report


@pytest.fixture(scope="module")
def sandbox_server() -> Iterator[dict[str, str]]:
    """``finoos sandbox --port 0`` in its own process; yields the FINOOS_* lines it prints."""
    script = Path(sys.executable).with_name("finoos")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "finoos_async"]
    with serve_sandbox_process([*command, "sandbox", "--port", "0"]) as env:
        yield env


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.id for example in EXAMPLES])
def test_example_runs(
    example: Example,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The example runs to its end without raising, and every error it handles happens."""
    if example.skip_reason is not None:
        pytest.skip(example.skip_reason)
    if example.requires is not None:
        pytest.importorskip(example.requires)
    if example.pytest_module:
        _run_pytest_module(example, tmp_path)
        return
    server: dict[str, str] = {}
    if example.sandbox_server:
        server = request.getfixturevalue("sandbox_server")
        for name, value in server.items():
            monkeypatch.setenv(name, value)
    filename = str(DOCS / example.page)
    tree = ast.parse(example.source, filename)
    executed = _run_tracing_lines(compile(tree, filename, "exec"), filename)
    missed = sorted(_handler_lines(tree) - executed)
    assert not missed, f"{example.page}: except clauses never reached at lines {missed}"
    if server:
        _assert_printed_urls_open(capsys.readouterr().out, server["FINOOS_BASE_URL"])


def _assert_printed_urls_open(output: str, base_url: str) -> None:
    """Every URL of the sandbox server in ``output`` answers 200, as a browser would see it."""
    import httpx

    urls = [url for url in _URL.findall(output) if url.startswith(base_url)]
    assert urls, f"the example printed no URL of the server at {base_url}:\n{output}"
    for url in urls:
        response = httpx.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
