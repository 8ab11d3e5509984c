"""The sandbox object itself: public names, the clock, serving in a thread and from a shell."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest

import finoos_async.sandbox as sandbox_module
from finoos_async.sandbox import DEFAULT_NAME, DEFAULT_SECRET, FakeClock, Fault, Sandbox


def test_public_names() -> None:
    """The package exports exactly these names, sorted."""
    assert sandbox_module.__all__ == [
        "DEFAULT_NAME",
        "DEFAULT_SECRET",
        "FakeClock",
        "Fault",
        "FaultTable",
        "Journal",
        "JournalEntry",
        "Sandbox",
    ]


def test_defaults() -> None:
    """A default sandbox uses the documented credentials, version and scopes."""
    sandbox = Sandbox()
    assert (
        (sandbox.name, sandbox.secret)
        == (DEFAULT_NAME, DEFAULT_SECRET)
        == (
            "sandbox",
            "sandbox-secret",
        )
    )
    assert sandbox.base_url == "http://sandbox.localhost/api/v1"
    assert sandbox.api_version == "2020-06-16"
    assert sandbox.scopes == ("banking", "companies", "documentshipment")
    assert sandbox.app is sandbox


@pytest.mark.parametrize(("access", "refresh"), [(0, 1800), (300, -1)])
def test_lifetimes_must_be_positive(access: float, refresh: float) -> None:
    """Token lifetimes of zero or less are refused."""
    with pytest.raises(ValueError, match="positive"):
        Sandbox(access_token_ttl=access, refresh_token_ttl=refresh)


def test_fake_clock() -> None:
    """FakeClock starts where told, moves only forward, and is callable."""
    clock = FakeClock(start=1_000_000.0)
    assert clock.now() == clock() == 1_000_000.0
    assert clock.advance(2.5) == 1_000_002.5
    assert clock() == 1_000_002.5
    with pytest.raises(ValueError, match="forward"):
        clock.advance(-1)
    assert repr(clock) == "FakeClock(now=1000002.5)"


def test_serve_in_thread_serves_and_stops_cleanly() -> None:
    """serve_in_thread yields a loopback base URL and leaves no thread or listener behind."""
    sandbox = Sandbox()
    threads_before = set(threading.enumerate())
    with sandbox.serve_in_thread() as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        assert base_url.endswith("/api/v1")
        response = httpx.post(
            base_url + "/auth", json={"name": sandbox.name, "secret": sandbox.secret}
        )
        assert response.status_code == 200
    assert set(threading.enumerate()) == threads_before
    with pytest.raises(httpx.ConnectError):
        httpx.get(base_url + "/settings")


def test_serve_in_thread_on_a_chosen_port() -> None:
    """serve_in_thread binds the port it is given."""
    with Sandbox().serve_in_thread(port=0) as first:
        port = int(first.rsplit(":", 1)[1].split("/")[0])
    with Sandbox().serve_in_thread(port=port) as second:
        assert second == first


def test_command_line_prints_shell_lines_and_serves() -> None:
    """`python -m finoos_async.sandbox --port 0` prints shell lines, then serves until Ctrl-C."""
    command = [sys.executable, "-m", "finoos_async.sandbox", "--port", "0", "--name", "cli"]
    with subprocess.Popen(  # noqa: S603 - our own interpreter and module, fixed arguments
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        watchdog = threading.Timer(20, process.kill)
        watchdog.start()
        try:
            assert process.stdout is not None
            lines = [process.stdout.readline().rstrip("\n") for _ in range(3)]
            base_url = lines[0].removeprefix("FINOOS_BASE_URL=")
            assert lines[0].startswith("FINOOS_BASE_URL=http://127.0.0.1:")
            assert not base_url.endswith(":0/api/v1")
            assert lines[1:] == ["FINOOS_NAME=cli", "FINOOS_SECRET=sandbox-secret"]
            response = httpx.post(
                base_url + "/auth", json={"name": "cli", "secret": "sandbox-secret"}
            )
            assert response.status_code == 200
            assert response.headers["api-version"] == "2020-06-16"
            process.send_signal(signal.SIGINT)
            _, stderr = process.communicate(timeout=15)
        finally:
            watchdog.cancel()
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr


def test_abandoned_slow_request_does_not_delay_stopping() -> None:
    """A client that gave up on a slow request leaves nothing for the server to wait for."""
    sandbox = Sandbox(faults=[Fault(route="POST /auth", kind="latency", seconds=30)])
    with sandbox.serve_in_thread() as base_url:
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(base_url + "/auth", json={}, timeout=httpx.Timeout(5, read=0.1))
        stopping = time.monotonic()
    assert time.monotonic() - stopping < 0.5
    assert sandbox.journal[-1].status is None
