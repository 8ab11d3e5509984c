"""Cancelling calls at every stage leaves the client usable and its token state sound."""

from __future__ import annotations

import anyio
import pytest

from finoos_async import ClientClosedError, InternalServerError
from finoos_async.sandbox import Fault, Sandbox

from ._helpers import ClientFactory

pytestmark = pytest.mark.anyio


async def test_cancelled_while_waiting_for_a_token(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """A call cancelled during a slow first authentication leaves the next call to authenticate."""
    sandbox.faults.add(Fault(route="POST /auth", kind="latency", seconds=1.0, times=1))
    async with make_client() as fino:
        with anyio.move_on_after(0.2) as scope:
            await fino.settings.get()
        assert scope.cancelled_caught
        settings = await fino.settings.get()
    assert settings.api_version == "2020-06-16"
    assert [e.status for e in sandbox.journal.for_route("GET /settings")] == [200]


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
    assert sandbox.journal.count("POST /auth/refresh") + sandbox.journal.count("POST /auth") <= 3


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
