"""Soak: one ``AsyncFino`` making calls for many token lifetimes, memory and pool flat.

The sandbox runs in its own process (its journal keeps every request, which would
otherwise count against the client's memory) with 2.5 s access tokens, so a full
run (``nox -s soak``: ``FINOOS_SOAK_CALLS=20000``) spans at least ten token lifetimes
and their background renewals: it goes on past its calls until they have passed.
The process's RSS, the TCP connections open to the server and the tasks alive are
read after a warm-up, half way, and at the end; each must stay flat. CI runs a short
version.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import anyio
import attrs
import httpx
import pytest

from finoos_async import AsyncFino, Login, _json
from finoos_async._converter import make_converter

from .._live import established_to, live_tasks, port_of, rss_mib, serve_sandbox_process

pytestmark = pytest.mark.anyio

CALLS = int(os.environ.get("FINOOS_SOAK_CALLS", "2000"))
WORKERS = 16
ACCESS_TTL = 2.5
# A full run spans at least this many token lifetimes, however fast the machine and
# transport make the calls: it goes on past CALLS until they have passed.
MIN_LIFETIMES = 10 if CALLS >= 20_000 else 0
MIN_SECONDS = MIN_LIFETIMES * ACCESS_TTL
USER_IP = "203.0.113.7"
# A leak of a few hundred bytes per call shows as several MiB over 20,000 calls;
# allocator noise on a steady workload stays well under this.
RSS_GROWTH_LIMIT_MIB = 8.0
SEED_BODY = Path(__file__).parent.parent / "fixtures" / "seed_set_logins.json"
CallNext = Callable[[httpx.Request], Awaitable[httpx.Response]]


@pytest.fixture(scope="module")
def sandbox_process() -> Iterator[dict[str, str]]:
    """The sandbox served by its own process on loopback; yields its FINOOS_* settings."""
    command = [sys.executable, "-m", "finoos_async.sandbox", "--port", "0"]
    command += ["--access-ttl", str(ACCESS_TTL), "--refresh-ttl", "30"]
    with serve_sandbox_process(command) as env:
        yield env


@attrs.define
class Checkpoint:
    """What the process looked like after ``calls`` calls."""

    calls: int
    seconds: float
    rss_mib: float
    connections: int
    tasks: int
    #: Workers still running: near the end some may have finished, which is no leak.
    workers: int

    @property
    def other_tasks(self) -> int:
        """Tasks alive besides the workers: the client's own and the transport's."""
        return self.tasks - self.workers


class AuthCounter:
    """Client middleware: how many authentications and refreshes the client made."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    async def __call__(self, request: httpx.Request, call_next: CallNext) -> httpx.Response:
        if request.url.path.endswith(("/auth", "/auth/refresh")):
            self.calls[request.url.path.rsplit("/api/v1", 1)[1]] += 1
        return await call_next(request)


@pytest.mark.parametrize("served", ["loopback", "loopback-fast"])
async def test_soak(served: str, anyio_backend: str, sandbox_process: dict[str, str]) -> None:
    """Thousands of calls over many token lifetimes: RSS, connections and tasks stay flat."""
    base_url = sandbox_process["FINOOS_BASE_URL"]
    port = port_of(base_url)
    logins = make_converter().structure(_json.loads(SEED_BODY.read_bytes())["logins"], list[Login])
    auth = AuthCounter()
    checkpoints: list[Checkpoint] = []
    # After warm-up, half way (by calls and by time), and once every worker is done.
    calls = 0
    halfway_seen = False
    running = 0
    wrong: list[str] = []
    started = time.perf_counter()

    def checkpoint(number: int) -> None:
        gc.collect()
        checkpoints.append(
            Checkpoint(
                calls=number,
                seconds=time.perf_counter() - started,
                rss_mib=rss_mib(),
                connections=established_to(port),
                tasks=len(live_tasks()),
                workers=running,
            )
        )

    async with AsyncFino(
        name=sandbox_process["FINOOS_NAME"],
        secret=sandbox_process["FINOOS_SECRET"],
        base_url=base_url,
        fast=served == "loopback-fast",
        middleware=[auth],
    ) as fino:
        users = [(await fino.users.create(type="person")).id for _ in range(WORKERS)]
        for user_id in users:
            await fino.banking.set_logins(user_id, logins, user_ip=USER_IP)
        expected = await fino.banking.get_logins(users[0], user_ip=USER_IP)
        # Warm up: bursts of one call per worker at once fill the pool to its working size.
        for _ in range(5):
            await fino.banking.get_logins_many(users, concurrency=WORKERS, user_ip=USER_IP)

        async def worker(user_id: str) -> None:
            nonlocal running
            running += 1
            try:
                await work(user_id)
            finally:
                running -= 1

        def more() -> bool:
            return calls < CALLS or time.perf_counter() - started < MIN_SECONDS

        def halfway(number: int) -> bool:
            nonlocal halfway_seen
            if halfway_seen or number < CALLS // 2:
                return False
            halfway_seen = time.perf_counter() - started >= MIN_SECONDS / 2
            return halfway_seen

        async def work(user_id: str) -> None:
            nonlocal calls
            while more():
                calls += 1
                number = calls
                kind = number % 10
                if kind == 0:
                    await fino.banking.set_logins(user_id, logins, user_ip=USER_IP)
                elif kind == 1:
                    await fino.settings.get()
                else:
                    got = await fino.banking.get_logins(user_id, user_ip=USER_IP)
                    if got != expected:
                        wrong.append(user_id)
                if number == CALLS // 10 or halfway(number):
                    checkpoint(number)

        async with anyio.create_task_group() as group:
            for user_id in users:
                group.start_soon(worker, user_id)
        checkpoint(calls)  # the pool is still open: what a long-running worker holds

    elapsed = time.perf_counter() - started
    checkpoints.sort(key=lambda point: point.calls)
    lifetimes = elapsed / ACCESS_TTL
    title = f"soak: {served} ({anyio_backend})"
    print(f"\n| {title} | calls | seconds | RSS MiB | connections | tasks (workers) |")
    print("|---|---|---|---|---|---|")
    for name, point in zip(("start", "middle", "end"), checkpoints, strict=True):
        print(
            f"| {name} | {point.calls} | {point.seconds:.1f} | {point.rss_mib:.1f} "
            f"| {point.connections} | {point.tasks} ({point.workers}) |"
        )
    print(
        f"{calls} calls in {elapsed:.1f}s ({calls / elapsed:.0f}/s), "
        f"{lifetimes:.0f} access-token lifetimes, auth calls: {dict(auth.calls)}"
    )

    assert wrong == []
    start, middle, end = checkpoints
    assert end.rss_mib - start.rss_mib < RSS_GROWTH_LIMIT_MIB
    assert end.rss_mib - middle.rss_mib < RSS_GROWTH_LIMIT_MIB / 2
    # The pool holds at most one connection per concurrent call (and one for a background
    # renewal), however many calls it has served. Within that bound the count moves: a
    # momentary peak opens one more, and the server closes one left idle for 5 s.
    connections = [point.connections for point in checkpoints]
    assert min(connections) > 0
    assert max(connections) <= WORKERS + 1
    # A leak grows with the calls; the transport may hold one short-lived task of its own
    # (aiohttp opens a connection in one). Workers are not counted: at the end none runs.
    tasks = [point.other_tasks for point in checkpoints]
    assert max(tasks) - min(tasks) <= 1
    assert lifetimes >= MIN_LIFETIMES
    if MIN_LIFETIMES:
        assert auth.calls["/auth/refresh"] >= MIN_LIFETIMES // 2
