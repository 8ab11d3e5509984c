"""The ``finoos`` command: demo, logins, sandbox, errors."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest

from finoos_async import AsyncFino, _json
from finoos_async._cli import main
from finoos_async.sandbox import Sandbox

from .client._helpers import seed_body, seed_logins


@pytest.fixture
def served_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    """A sandbox on a loopback port, with FINOOS_* pointing at it."""
    sandbox = Sandbox()
    with sandbox.serve_in_thread() as base_url:
        monkeypatch.setenv("FINOOS_BASE_URL", base_url)
        monkeypatch.setenv("FINOOS_NAME", sandbox.name)
        monkeypatch.setenv("FINOOS_SECRET", sandbox.secret)
        yield sandbox


@pytest.fixture
def no_finoos_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No FINOOS_* variables: the demo uses its embedded sandbox."""
    for name in ("FINOOS_BASE_URL", "FINOOS_NAME", "FINOOS_SECRET"):
        monkeypatch.delenv(name, raising=False)


def _user_with_seed_logins() -> str:
    async def create() -> str:
        async with AsyncFino() as fino:
            user = await fino.users.create(type="person")
            await fino.banking.set_logins(user.id, seed_logins())
            return user.id

    return anyio.run(create)


@pytest.mark.usefixtures("no_finoos_env")
def test_demo_runs_on_the_embedded_sandbox(capsys: pytest.CaptureFixture[str]) -> None:
    """With no credentials, the demo runs the quickstart and a bulk fetch in-process."""
    assert main(["demo", "--users", "20"]) == 0
    out = capsys.readouterr().out
    assert "embedded sandbox" in out
    assert "2004.41 EUR" in out
    assert "GIRO" in out
    assert "fetched 20 users (0 failed)" in out
    assert "request id" in out


def test_demo_runs_against_the_configured_server(
    served_sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    """With FINOOS_* set, the demo talks to that server."""
    assert main(["demo", "--users", "5"]) == 0
    assert f"on {os.environ['FINOOS_BASE_URL']}" in capsys.readouterr().out
    assert served_sandbox.journal.count("POST /users") == 6


@pytest.mark.usefixtures("served_sandbox")
def test_logins_json_keeps_exact_amounts(capsys: pytest.CaptureFixture[str]) -> None:
    """``finoos logins --json`` prints the decoded logins with every digit of every amount."""
    user_id = _user_with_seed_logins()
    assert main(["logins", user_id, "--json"]) == 0
    printed = _json.loads(capsys.readouterr().out)
    assert printed == _json.loads(seed_body("get_logins"))


@pytest.mark.usefixtures("served_sandbox")
def test_logins_table(capsys: pytest.CaptureFixture[str]) -> None:
    """``finoos logins`` prints a table of accounts with exact balances."""
    user_id = _user_with_seed_logins()
    assert main(["logins", user_id]) == 0
    out = capsys.readouterr().out
    assert "DE64100200007791587578" in out
    assert "2004.41 EUR" in out


@pytest.mark.usefixtures("served_sandbox")
def test_expected_failures_print_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """An API error prints type, message and request id on one line, exit 1, no traceback."""
    assert main(["logins", "0" * 24]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: not_found: ")
    assert "request id" in err
    assert "\n" not in err
    assert "Traceback" not in err


@pytest.mark.usefixtures("no_finoos_env")
def test_logins_without_credentials_explains(capsys: pytest.CaptureFixture[str]) -> None:
    """Without FINOOS_* the logins command says what to set."""
    assert main(["logins", "abc"]) == 1
    assert "FINOOS_BASE_URL" in capsys.readouterr().err


@pytest.mark.usefixtures("no_finoos_env")
def test_verbose_shows_debug_logs_without_secrets(capfd: pytest.CaptureFixture[str]) -> None:
    """--verbose logs every attempt at DEBUG, and never the secret or a token."""
    assert main(["--verbose", "demo", "--users", "0"]) == 0
    captured = capfd.readouterr()
    assert "DEBUG finoos_async: GET /settings -> 200" in captured.err
    assert "sandbox-secret" not in captured.err + captured.out


def test_module_entry_point_and_sandbox_subcommand() -> None:
    """``python -m finoos_async sandbox --port 0`` serves and prints the FINOOS_* lines."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    help_text = subprocess.run(
        [sys.executable, "-m", "finoos_async", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    assert "demo" in help_text
    server = subprocess.Popen(
        [sys.executable, "-m", "finoos_async", "sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline().strip() for _ in range(3)]
    finally:
        server.terminate()
        server.wait(timeout=10)
        if server.stdout is not None:
            server.stdout.close()
    assert lines[0].startswith("FINOOS_BASE_URL=http://127.0.0.1:")
    assert lines[1:] == ["FINOOS_NAME=sandbox", "FINOOS_SECRET=sandbox-secret"]
