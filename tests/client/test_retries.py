"""What is retried, how often, with which request id, and within which deadline."""

from __future__ import annotations

import socket

import anyio
import pytest

from finoos_async import (
    APIConnectionError,
    APITimeoutError,
    AsyncFino,
    InternalServerError,
    RateLimitError,
)
from finoos_async.sandbox import Fault, Sandbox

from ._helpers import ClientFactory, seed_logins

pytestmark = pytest.mark.anyio

_URLS = {
    "redirect_url": "https://app.example/ok",
    "error_url": "https://app.example/error",
    "exit_url": "https://app.example/exit",
}


async def test_retries_carry_the_same_request_id(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """Two 503s then success: three attempts in the journal, all with one X-Request-ID."""
    sandbox.faults.add(Fault(route="GET /settings", kind="status", status=503, times=2))
    async with make_client() as fino:
        raw = await fino.with_raw_response.settings.get()
    entries = sandbox.journal.for_route("GET /settings")
    assert [e.status for e in entries] == [503, 503, 200]
    assert len({e.headers["x-request-id"] for e in entries}) == 1
    assert entries[0].headers["x-request-id"] == raw.request_id
    assert raw.attempts == 3


async def test_retries_stop_at_max_retries(make_client: ClientFactory, sandbox: Sandbox) -> None:
    """With max_retries=2 a failing safe call is attempted exactly three times."""
    sandbox.faults.add(Fault(route="GET /settings", kind="status", status=502))
    async with make_client(max_retries=2) as fino:
        with pytest.raises(InternalServerError) as caught:
            await fino.settings.get()
    assert caught.value.attempts == 3
    assert sandbox.journal.count("GET /settings") == 3


async def test_per_call_max_retries_overrides_the_client(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """max_retries=0 on the call means one attempt, whatever the client says."""
    sandbox.faults.add(Fault(route="GET /settings", kind="status", status=500))
    async with make_client(max_retries=5) as fino:
        with pytest.raises(InternalServerError):
            await fino.settings.get(max_retries=0)
    assert sandbox.journal.count("GET /settings") == 1


async def test_create_user_is_sent_once_under_503(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """Create User is never repeated on a 5xx: it may have created the user."""
    sandbox.faults.add(Fault(route="POST /users", kind="status", status=503))
    async with make_client(max_retries=3) as fino:
        with pytest.raises(InternalServerError) as caught:
            await fino.users.create(type="person")
    assert caught.value.attempts == 1
    assert sandbox.journal.count("POST /users") == 1


async def test_connect_is_sent_once_under_500(make_client: ClientFactory, sandbox: Sandbox) -> None:
    """Connect creates a session, so a 5xx is not retried either."""
    sandbox.faults.add(
        Fault(route="POST /users/{userID}/banking/connect", kind="status", status=500)
    )
    async with make_client() as fino:
        user = await fino.users.create(type="person")
        with pytest.raises(InternalServerError):
            await fino.banking.connect(user.id, recurring=False, user_ip="::1", **_URLS)
    assert sandbox.journal.count("POST /users/{userID}/banking/connect") == 1


async def test_create_user_is_retried_on_429(make_client: ClientFactory, sandbox: Sandbox) -> None:
    """A 429 means refused without acting, so even Create User is retried; one user results."""
    sandbox.faults.add(
        Fault(route="POST /users", kind="status", status=429, retry_after=0, times=1)
    )
    async with make_client() as fino:
        raw = await fino.with_raw_response.users.create(type="person")
    assert raw.attempts == 2
    assert [e.status for e in sandbox.journal.for_route("POST /users")] == [429, 200]


async def test_create_user_lost_response_says_outcome_unknown(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """A connection lost after Create User arrived raises request_sent=True and is not repeated."""
    sandbox.faults.add(Fault(route="POST /users", kind="disconnect", after=True))
    async with make_client() as fino:
        with pytest.raises(APIConnectionError) as caught:
            await fino.users.create(type="person", request_id="maybe-created")
    error = caught.value
    assert error.request_sent is True
    assert "outcome is unknown" in str(error)
    assert error.request_id == "maybe-created"
    assert sandbox.journal.count("POST /users") == 1


async def test_safe_call_is_retried_after_a_dropped_connection(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """A GET whose connection drops is simply attempted again."""
    sandbox.faults.add(Fault(route="GET /settings", kind="disconnect", times=1))
    async with make_client() as fino:
        raw = await fino.with_raw_response.settings.get()
    assert raw.status_code == 200
    assert [e.status for e in sandbox.journal.for_route("GET /settings")] == [None, 200]
    # aiohttp itself re-sends an idempotent request once on a dropped keep-alive
    # connection, so the SDK may count one attempt or two.
    assert raw.attempts in (1, 2)


async def test_set_logins_is_retried_because_it_replaces(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """Set Logins replaces the logins, so a 503 on it is retried."""
    route = "POST /users/{userID}/banking/logins"
    sandbox.faults.add(Fault(route=route, kind="status", status=503, times=1))
    async with make_client() as fino:
        user = await fino.users.create(type="person")
        raw = await fino.with_raw_response.banking.set_logins(user.id, seed_logins())
    assert raw.attempts == 2
    assert [e.status for e in sandbox.journal.for_route(route)] == [503, 200]


async def test_retry_after_beyond_the_cap_is_raised_not_waited(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """A Retry-After of 120 s with a 60 s cap raises RateLimitError at once."""
    sandbox.faults.add(Fault(route="GET /settings", kind="status", status=429, retry_after=120))
    async with make_client() as fino:
        with anyio.fail_after(5):
            with pytest.raises(RateLimitError) as caught:
                await fino.settings.get()
    assert caught.value.retry_after == 120
    assert caught.value.attempts == 1


async def test_retry_after_is_waited_out(make_client: ClientFactory, sandbox: Sandbox) -> None:
    """A Retry-After of 1 s is honoured before the next attempt."""
    sandbox.faults.add(
        Fault(route="GET /settings", kind="status", status=429, retry_after=1, times=1)
    )
    async with make_client() as fino:
        await fino.users.create(type="person")  # authenticate first
        started = anyio.current_time()
        await fino.settings.get()
        waited = anyio.current_time() - started
    assert waited >= 0.9


async def test_deadline_bounds_a_slow_call(make_client: ClientFactory, sandbox: Sandbox) -> None:
    """A call that cannot finish within its deadline raises APITimeoutError at the deadline."""
    sandbox.faults.add(Fault(route="GET /settings", kind="latency", seconds=3))
    async with make_client() as fino:
        await fino.users.create(type="person")  # authenticate first
        started = anyio.current_time()
        with pytest.raises(APITimeoutError) as caught:
            await fino.settings.get(deadline=0.3)
        elapsed = anyio.current_time() - started
    assert elapsed < 2.5
    assert caught.value.request_sent is True
    assert "deadline" in str(caught.value)


async def test_deadline_bounds_retries(make_client: ClientFactory, sandbox: Sandbox) -> None:
    """However many retries are allowed, the deadline ends the call."""
    sandbox.faults.add(Fault(route="GET /settings", kind="status", status=503, retry_after=0.2))
    async with make_client(max_retries=1000, deadline=1.0) as fino:
        with anyio.fail_after(5), pytest.raises((InternalServerError, APITimeoutError)):
            await fino.settings.get()
    assert sandbox.journal.count("GET /settings") < 10


async def test_attempt_timeout_is_retried_on_safe_calls(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """A read timeout on a GET is retried, then raised as APITimeoutError with request_sent."""
    sandbox.faults.add(Fault(route="GET /settings", kind="latency", seconds=1.5))
    async with make_client(max_retries=1) as fino:
        await fino.users.create(type="person")
        with pytest.raises(APITimeoutError) as caught:
            await fino.settings.get(timeout=0.2)
    assert caught.value.attempts == 2
    assert caught.value.request_sent is True


async def test_sequential_short_timeouts_do_not_leak(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """A short timeout on one call does not shorten the next call's timeout."""
    fault = sandbox.faults.add(Fault(route="GET /settings", kind="latency", seconds=0.5))
    async with make_client(max_retries=0) as fino:
        await fino.users.create(type="person")
        with pytest.raises(APITimeoutError):
            await fino.settings.get(timeout=0.1)
        await fino.settings.get(timeout=5)
    assert sandbox.faults.fired(fault) == 2


async def test_refused_connection_is_retried_and_never_sent(anyio_backend: str) -> None:
    """A refused connection proves nothing was sent: retried, then request_sent=False."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    fino = AsyncFino(
        name="n",
        secret="s",
        base_url=f"http://127.0.0.1:{port}/api/v1",
        backoff_initial=0.01,
        max_retries=2,
    )
    async with fino:
        with pytest.raises(APIConnectionError) as caught:
            await fino.users.create(type="person")
    assert caught.value.request_sent is False
    assert caught.value.attempts == 3
