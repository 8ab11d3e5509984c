"""Entering, leaving, and using a client in the wrong state."""

from __future__ import annotations

import gc

import anyio
import httpx
import pytest

from finoos_async import AsyncFino, ClientClosedError, FinoError
from finoos_async.sandbox import Sandbox

from ._helpers import ClientFactory

pytestmark = pytest.mark.anyio


async def test_use_before_entering_raises_at_once(make_client: ClientFactory) -> None:
    """A call on a client that was never entered raises ClientClosedError."""
    fino = make_client()
    with pytest.raises(ClientClosedError, match="async with"):
        await fino.settings.get()


async def test_use_after_closing_raises_at_once(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """A call after the block raises ClientClosedError without any request or retry."""
    async with make_client() as fino:
        await fino.settings.get()
    sent = len(sandbox.journal)
    with anyio.fail_after(1), pytest.raises(ClientClosedError, match="closed"):
        await fino.settings.get()
    assert len(sandbox.journal) == sent
    assert issubclass(ClientClosedError, FinoError)


async def test_entering_twice_raises(make_client: ClientFactory) -> None:
    """Entering an open client again, or a closed one, raises ClientClosedError."""
    fino = make_client()
    async with fino:
        with pytest.raises(ClientClosedError, match="twice"):
            async with fino:
                pass
    with pytest.raises(ClientClosedError, match="closed"):
        async with fino:
            pass


async def test_clean_shutdown_cancels_the_refresh_task(
    make_client: ClientFactory, anyio_backend: str
) -> None:
    """Leaving the block ends the background task and closes connections, with no warnings."""
    async with make_client() as fino:
        await fino.settings.get()
        tasks_inside = _task_count(anyio_backend)
    gc.collect()  # a leaked socket or transport would warn now, and warnings are errors
    assert _task_count(anyio_backend) < tasks_inside


def _task_count(backend: str) -> int:
    if backend == "asyncio":
        import asyncio

        return len(asyncio.all_tasks())
    import trio

    return trio.lowlevel.current_statistics().tasks_living


async def test_own_http_client_is_left_open(sandbox: Sandbox) -> None:
    """A user's own httpx client is used and not closed by us."""
    async with httpx.AsyncClient(transport=sandbox.transport()) as http:
        async with AsyncFino(
            name=sandbox.name, secret=sandbox.secret, base_url=sandbox.base_url, http_client=http
        ) as fino:
            await fino.settings.get()
        assert not http.is_closed
        assert (await http.get(sandbox.base_url + "/settings")).status_code == 401


async def test_cancelling_a_call_leaves_the_client_usable(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """A call cancelled by the caller's own scope does not break the next call."""
    from finoos_async.sandbox import Fault

    fault = sandbox.faults.add(Fault(route="GET /settings", kind="latency", seconds=2, times=1))
    async with make_client() as fino:
        with anyio.move_on_after(0.2):
            await fino.settings.get()
        assert sandbox.faults.fired(fault) == 1
        await fino.settings.get()
