"""Bulk fetching: bounded concurrency and lookahead, adaptive to 429s, clean early exit."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import anyio
import httpx
import pytest

from finoos_async import (
    AsyncFino,
    CallNext,
    ClientClosedError,
    FinoError,
    Login,
    NotFoundError,
    ResultStream,
)
from finoos_async._bulk import AdaptiveLimit
from finoos_async.sandbox import Fault, Sandbox

from ._helpers import ClientFactory, seed_logins

pytestmark = pytest.mark.anyio

LOGINS_ROUTE = "GET /users/{userID}/banking/logins"


class InFlight:
    """A middleware that records the most GET logins requests in flight at once."""

    def __init__(self) -> None:
        self.now = 0
        self.most = 0
        self.history: list[int] = []

    async def __call__(self, request: httpx.Request, call_next: CallNext) -> httpx.Response:
        if request.method != "GET":
            return await call_next(request)
        self.now += 1
        self.most = max(self.most, self.now)
        self.history.append(self.now)
        try:
            return await call_next(request)
        finally:
            self.now -= 1


async def _users(fino: AsyncFino, count: int) -> list[str]:
    ids = []
    for _ in range(count):
        user = await fino.users.create(type="person")
        ids.append(user.id)
    await fino.banking.set_logins(ids[0], seed_logins())
    return ids


async def test_get_logins_many_keeps_input_order_and_every_result(
    make_client: ClientFactory,
) -> None:
    """Results come back keyed in input order; one failure does not lose the others."""
    async with make_client() as fino:
        ids = await _users(fino, 6)
        wanted = [ids[3], "0" * 24, *ids[:3], ids[3]]
        results = await fino.banking.get_logins_many(wanted, concurrency=3)
    assert list(results) == [ids[3], "0" * 24, ids[0], ids[1], ids[2]]
    assert isinstance(results["0" * 24], NotFoundError)
    first = results[ids[0]]
    assert isinstance(first, list)
    assert isinstance(first[0], Login)
    assert results[ids[1]] == []


async def test_iter_logins_never_exceeds_concurrency(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """However many ids, at most ``concurrency`` calls are in flight."""
    sandbox.faults.add(Fault(route=LOGINS_ROUTE, kind="latency", seconds=0.01))
    in_flight = InFlight()
    async with make_client(middleware=[in_flight]) as fino:
        ids = await _users(fino, 3)
        seen = [uid async for uid, _ in fino.banking.iter_logins(ids * 20, concurrency=4)]
    assert len(seen) == 60
    assert 1 < in_flight.most <= 4


async def test_iter_logins_runs_a_bounded_distance_ahead(make_client: ClientFactory) -> None:
    """A slow consumer holds back the producer: ids are pulled only a few rounds ahead."""
    pulled = 0

    def lazy_ids(user_id: str) -> Iterator[str]:
        nonlocal pulled
        for _ in range(100_000):
            pulled += 1
            yield user_id

    async with make_client() as fino:
        (user_id,) = await _users(fino, 1)
        consumed = 0
        stream = fino.banking.iter_logins(lazy_ids(user_id), concurrency=5)
        async with contextlib.aclosing(stream) as results:
            async for _ in results:
                consumed += 1
                await anyio.sleep(0.01)  # a slow consumer
                if consumed == 20:
                    break
    # consumed + buffered (5) + in flight (5) + the one being scheduled
    assert pulled <= consumed + 11


async def test_breaking_out_cancels_in_flight_calls(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """Leaving the loop early cancels the calls in flight; the client stays usable."""
    sandbox.faults.add(Fault(route=LOGINS_ROUTE, kind="latency", seconds=0.5, on=range(2, 100)))
    async with make_client() as fino:
        ids = await _users(fino, 1)
        with anyio.fail_after(2):
            async for _user_id, _result in fino.banking.iter_logins(ids * 50, concurrency=10):
                break
        await anyio.sleep(0.05)
        started = sandbox.journal.count(LOGINS_ROUTE)
        await anyio.sleep(0.7)
        assert sandbox.journal.count(LOGINS_ROUTE) == started  # nothing new was sent
        await fino.settings.get()
    assert started <= 11


async def test_rate_limits_shrink_the_calls_in_flight(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """After a burst of 429s fewer calls run at once, and every result still arrives."""
    sandbox.faults.add(
        Fault(route=LOGINS_ROUTE, kind="status", status=429, retry_after=0, on=range(1, 21))
    )
    sandbox.faults.add(Fault(route=LOGINS_ROUTE, kind="latency", seconds=0.01))
    in_flight = InFlight()
    async with make_client(middleware=[in_flight], max_retries=10) as fino:
        ids = await _users(fino, 1)
        results = [r async for _, r in fino.banking.iter_logins(ids * 80, concurrency=16)]
    assert len(results) == 80
    assert all(not isinstance(r, FinoError) for r in results)
    # The limit fell to 8 and, growing by one per round of successes, cannot regain 16
    # within 80 calls: the last calls ran narrower than the first ones could.
    assert max(in_flight.history[-20:]) < 16

    sandbox.faults.clear()
    sandbox.faults.add(Fault(route=LOGINS_ROUTE, kind="latency", seconds=0.01))
    in_flight.history.clear()
    async with make_client(middleware=[in_flight]) as fino:
        results = [r async for _, r in fino.banking.iter_logins(ids * 80, concurrency=16)]
    assert max(in_flight.history) == 16  # without 429s it runs at full width


def test_adaptive_limit_halves_once_per_round_and_grows_back() -> None:
    """Many 429s of one round halve the limit once; a round of successes adds one."""

    async def scenario() -> None:
        limit = AdaptiveLimit(16)
        async with limit as started:
            for _ in range(10):
                limit.rate_limited(started)
        assert limit.current == 8
        limit.rate_limited(started)  # a late 429 from the old round changes nothing
        assert limit.current == 8
        for _ in range(8):
            limit.succeeded()
        assert limit.current == 9
        for _ in range(100):
            limit.succeeded()
        assert limit.current == 16

    anyio.run(scenario)


async def test_progress_and_per_call_options_apply(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """progress(done, total) follows each result; user_ip and the id prefix go on each call."""
    seen: list[tuple[int, int | None]] = []
    async with make_client() as fino:
        ids = await _users(fino, 3)
        await fino.banking.get_logins_many(
            ids,
            concurrency=2,
            progress=lambda done, total: seen.append((done, total)),
            user_ip="198.51.100.9",
            request_id_prefix="bulk-",
        )
    assert seen == [(1, 3), (2, 3), (3, 3)]
    entries = sandbox.journal.for_route(LOGINS_ROUTE)
    assert {e.headers["user-ip"] for e in entries} == {"198.51.100.9"}
    assert all(e.headers["x-request-id"].startswith("bulk-") for e in entries)


async def test_closing_the_client_mid_stream_is_an_error(make_client: ClientFactory) -> None:
    """A stream cut short by the client closing raises instead of ending silently."""
    fino = make_client()
    async with fino:
        ids = await _users(fino, 1)
        stream = fino.banking.iter_logins(ids * 100, concurrency=2)
        await stream.__anext__()
    with pytest.raises(ClientClosedError):
        await _drain(stream)


async def _drain(stream: ResultStream[list[Login]]) -> None:
    async with stream:
        async for _ in stream:
            pass
