"""Sandboxes served for real, and what the long-running suites watch of them.

``serve_sandbox_process`` runs the sandbox's command line in its own process, and
``SwitchApp`` lets one loopback server serve each test's sandbox in turn. The chaos
and soak suites put one ``AsyncFino`` through thousands of calls against
a sandbox on a real loopback socket; these helpers observe what the client cannot
report about itself: how many auth calls the server saw at once, which tokens it
issued (so the logs can be searched for them), the TCP connections still open,
the tasks still alive and the process's memory.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from finoos_async.sandbox import Sandbox
from finoos_async.sandbox._handlers import API_PREFIX
from finoos_async.sandbox._http import Receive, Scope, Send
from finoos_async.sandbox._server import serve_in_thread

_AUTH_PATHS = frozenset({f"{API_PREFIX}/auth", f"{API_PREFIX}/auth/refresh"})
_ESTABLISHED = "01"


class Watched:
    """The sandbox as an ASGI app, with the auth traffic observed on its way through.

    Attributes:
        auth_in_flight_max: The most ``/auth*`` requests the server handled at once.
        tokens: Every access and refresh token the server issued.
    """

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.auth_in_flight_max = 0
        self.tokens: set[str] = set()
        self._auth_in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in _AUTH_PATHS:
            await self.sandbox(scope, receive, send)
            return
        body = bytearray()

        async def keep_body(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
            await send(message)

        self._auth_in_flight += 1
        self.auth_in_flight_max = max(self.auth_in_flight_max, self._auth_in_flight)
        try:
            await self.sandbox(scope, receive, keep_body)
        finally:
            self._auth_in_flight -= 1
            self._note_tokens(bytes(body))

    def _note_tokens(self, body: bytes) -> None:
        try:
            payload = json.loads(body)
        except ValueError:
            return
        if isinstance(payload, dict):
            for field in ("accessToken", "refreshToken"):
                if isinstance(payload.get(field), str):
                    self.tokens.add(payload[field])


@contextmanager
def serve(app: Watched) -> Iterator[str]:
    """Serve ``app`` on a loopback port; yield the API's base URL."""
    with serve_in_thread(app) as origin:
        yield origin + API_PREFIX


def port_of(base_url: str) -> int:
    """The TCP port in a ``http://host:port/...`` URL."""
    match = re.match(r"https?://[^/]*:(\d+)", base_url)
    assert match, base_url
    return int(match.group(1))


def established_to(port: int) -> int:
    """How many of this machine's TCP connections to ``port`` are established (Linux)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if remote_port == port and fields[3] == _ESTABLISHED:
                count += 1
    return count


def live_tasks() -> set[object]:
    """The tasks alive in the running event loop, on asyncio or trio."""
    try:
        return set(asyncio.all_tasks())
    except RuntimeError:  # no asyncio loop running: this is trio
        import trio

        tasks: set[object] = set()
        pending = [trio.lowlevel.current_root_task()]
        while pending:
            task = pending.pop()
            tasks.add(task)
            for nursery in task.child_nurseries:
                pending.extend(nursery.child_tasks)
        return tasks


def rss_mib() -> float:
    """The process's resident set size now, in MiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


class SwitchApp:
    """An ASGI app that passes every request to ``target``, a sandbox a test sets.

    One loopback server for a whole session, pointed at each test's sandbox in turn:
    starting and stopping uvicorn per test would dominate the run time.
    """

    def __init__(self) -> None:
        self.target: Sandbox | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.target is not None, "no sandbox is being served"
        await self.target(scope, receive, send)


@contextmanager
def serve_sandbox_process(command: list[str]) -> Iterator[dict[str, str]]:
    """Run a sandbox command line in its own process; yield the FINOOS_* lines it prints."""
    # The context manager closes the pipe; terminate() first so it does not wait forever.
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as server:  # noqa: S603
        try:
            assert server.stdout is not None
            env: dict[str, str] = {}
            while len(env) < 3:
                line = server.stdout.readline()
                assert line, f"{command} exited before printing its FINOOS_* lines"
                key, _, value = line.strip().partition("=")
                env[key] = value
            yield env
        finally:
            server.terminate()
