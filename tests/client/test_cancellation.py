"""Cancelling calls at every stage leaves the client usable and its token state sound.

Stages: waiting for a token, in back-off, waiting for the answer, mid-body.
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from finoos_async import AsyncFino, ClientClosedError, InternalServerError
from finoos_async.sandbox import Fault, Sandbox
from finoos_async.sandbox._handlers import API_PREFIX
from finoos_async.sandbox._http import Receive, Scope, Send
from finoos_async.sandbox._server import serve_in_thread

from .._live import established_to, port_of
from ._helpers import ClientFactory, seed_logins

pytestmark = pytest.mark.anyio


async def test_cancelled_while_waiting_for_a_token(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """A call cancelled during a slow first authentication leaves it running for the next call."""
    sandbox.faults.add(Fault(route="POST /auth", kind="latency", seconds=1.0, times=1))
    async with make_client() as fino:
        with anyio.move_on_after(0.2) as scope:
            await fino.settings.get()
        assert scope.cancelled_caught
        settings = await fino.settings.get()
    assert settings.api_version == "2020-06-16"
    assert [e.status for e in sandbox.journal.for_route("GET /settings")] == [200]
    # The authentication was not abandoned with the call and started again.
    assert [e.status for e in sandbox.journal.for_route("POST /auth")] == [200]


async def test_cancelled_during_backoff(make_client: ClientFactory, sandbox: Sandbox) -> None:
    """A call cancelled while it waits out a Retry-After stops retrying; the next call works."""
    sandbox.faults.add(
        Fault(route="GET /settings", kind="status", status=503, retry_after=2, times=1)
    )
    async with make_client() as fino:
        await fino.users.create(type="person")
        async with anyio.create_task_group() as tg:
            tg.start_soon(fino.settings.get)
            await anyio.sleep(0.3)  # the call is now waiting out Retry-After: 2
            tg.cancel_scope.cancel()
        await anyio.sleep(0.1)
        assert sandbox.journal.count("GET /settings") == 1  # no retry after the cancel
        await fino.settings.get()
    assert [e.status for e in sandbox.journal.for_route("GET /settings")] == [503, 200]


async def test_a_wait_beyond_the_callers_deadline_raises_the_error_at_once(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """When the caller's own time limit ends before Retry-After, the error comes at once."""
    sandbox.faults.add(
        Fault(route="GET /settings", kind="status", status=503, retry_after=2, times=1)
    )
    async with make_client() as fino:
        await fino.users.create(type="person")
        with anyio.fail_after(1), pytest.raises(InternalServerError):
            with anyio.move_on_after(0.5):
                await fino.settings.get()
    assert sandbox.journal.count("GET /settings") == 1


async def test_cancelled_waiters_do_not_break_a_shared_refresh(
    make_client: ClientFactory, sandbox: Sandbox, clock: object
) -> None:
    """Cancelling some of the calls waiting on one refresh leaves the others to finish."""
    sandbox.faults.add(Fault(route="POST /auth/refresh", kind="latency", seconds=0.3, times=1))
    finished = []

    async def call(fino: object, cancel_after: float | None) -> None:
        with anyio.move_on_after(cancel_after if cancel_after is not None else 5):
            await fino.settings.get()  # type: ignore[attr-defined]
            finished.append(cancel_after)

    async with make_client() as fino:
        await fino.settings.get()
        clock.advance(301)  # type: ignore[attr-defined]
        async with anyio.create_task_group() as tg:
            for index in range(20):
                tg.start_soon(call, fino, 0.05 if index % 2 else None)
        await fino.settings.get()
    assert finished.count(None) == 10
    # One authentication, then one refresh that outlived the calls that gave up on it.
    assert sandbox.journal.count("POST /auth") == 1
    assert sandbox.journal.count("POST /auth/refresh") == 1


async def test_leaving_the_block_cancels_calls_in_flight(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """Calls still running when ``async with`` ends raise ClientClosedError, promptly."""
    sandbox.faults.add(Fault(route="GET /settings", kind="latency", seconds=5))
    outcomes: list[BaseException] = []

    async def slow_call(fino: object) -> None:
        try:
            await fino.settings.get()  # type: ignore[attr-defined]
        except ClientClosedError as exc:
            outcomes.append(exc)

    with anyio.fail_after(3):
        async with anyio.create_task_group() as tg, make_client() as fino:
            await fino.users.create(type="person")
            for _ in range(3):
                tg.start_soon(slow_call, fino)
            await anyio.sleep(0.2)
    assert len(outcomes) == 3
    assert all("in flight" in str(exc) for exc in outcomes)


class _SlowBody:
    """The sandbox, but Get Logins bodies stall half way for ``stall`` seconds."""

    def __init__(self, sandbox: Sandbox, stall: float) -> None:
        self.sandbox = sandbox
        self.stall = stall

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not scope.get("path", "").endswith("/banking/logins") or scope["method"] != "GET":
            await self.sandbox(scope, receive, send)
            return

        async def stalling_send(message: dict[str, Any]) -> None:
            if message["type"] != "http.response.body":
                await send(message)
                return
            body = message["body"]
            await send({"type": "http.response.body", "body": body[:100], "more_body": True})
            await anyio.sleep(self.stall)
            await send({"type": "http.response.body", "body": body[100:]})

        await self.sandbox(scope, receive, stalling_send)


@pytest.mark.parametrize("served", ["loopback", "loopback-fast"])
async def test_cancelled_mid_body(served: str) -> None:
    """A call cancelled while its body arrives frees its connection; the client goes on."""
    sandbox = Sandbox()
    with serve_in_thread(_SlowBody(sandbox, stall=2.0)) as origin:
        base_url = origin + API_PREFIX
        async with AsyncFino(
            name=sandbox.name,
            secret=sandbox.secret,
            base_url=base_url,
            fast=served == "loopback-fast",
        ) as fino:
            user = await fino.users.create(type="person")
            await fino.banking.set_logins(user.id, seed_logins(), user_ip="203.0.113.7")
            with anyio.fail_after(1.5):  # the stall is 2 s: only a real cancel ends sooner
                with anyio.move_on_after(0.3) as scope:
                    await fino.banking.get_logins(user.id, user_ip="203.0.113.7")
            assert scope.cancelled_caught
            assert (await fino.users.get(user.id)).id == user.id
        assert sandbox.journal.count("POST /auth") == 1  # the token survived the cancel
        for _ in range(20):
            if established_to(port_of(base_url)) == 0:
                break
            await anyio.sleep(0.1)
        assert established_to(port_of(base_url)) == 0
