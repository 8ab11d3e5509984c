"""Authentication: single-flight, refresh, fallback to the secret, revoked tokens."""

from __future__ import annotations

import anyio
import pytest

from finoos_async import AuthenticationError, FinoError, InternalServerError
from finoos_async.sandbox import FakeClock, Fault, Sandbox

from ._helpers import ClientFactory

pytestmark = pytest.mark.anyio


async def test_concurrent_first_calls_share_one_authentication(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """Fifty calls racing on a fresh client cause exactly one POST /auth."""
    async with make_client() as fino, anyio.create_task_group() as tg:
        for _ in range(50):
            tg.start_soon(fino.settings.get)
    assert sandbox.journal.count("POST /auth") == 1


async def test_thousand_calls_across_token_expiry_refresh_once(
    make_client: ClientFactory, sandbox: Sandbox, clock: FakeClock
) -> None:
    """1,000 concurrent calls spanning an access-token expiry make one refresh and all succeed."""
    failures: list[BaseException] = []
    done = 0

    async def call(fino: object) -> None:
        nonlocal done
        try:
            await fino.settings.get()  # type: ignore[attr-defined]
        except FinoError as exc:
            failures.append(exc)
        done += 1

    async with make_client() as fino:
        await fino.settings.get()  # authenticated before the crowd
        async with anyio.create_task_group() as tg:
            for index in range(1000):
                if index == 500:
                    clock.advance(301)  # the 300 s access token expires mid-crowd
                tg.start_soon(call, fino)
    assert failures == []
    assert done == 1000
    assert sandbox.journal.count("POST /auth/refresh") == 1
    assert sandbox.journal.count("POST /auth") == 1
    assert all(e.status == 200 for e in sandbox.journal.for_route("GET /settings"))


async def test_expired_refresh_token_falls_back_to_authenticate(
    make_client: ClientFactory, sandbox: Sandbox, clock: FakeClock
) -> None:
    """Past the refresh token's lifetime too, the client authenticates again with the secret."""
    async with make_client() as fino:
        await fino.settings.get()
        clock.advance(1801)
        await fino.settings.get()
    assert sandbox.journal.count("POST /auth") == 2
    assert sandbox.journal.count("POST /auth/refresh") == 0


async def test_failing_refresh_raises_after_its_retries(
    make_client: ClientFactory, sandbox: Sandbox, clock: FakeClock
) -> None:
    """A refresh the server keeps failing is retried like any safe call, then raised."""
    sandbox.faults.add(Fault(route="POST /auth/refresh", kind="status", status=500))
    async with make_client(max_retries=1) as fino:
        await fino.settings.get()
        clock.advance(301)
        with pytest.raises(InternalServerError) as caught:
            await fino.settings.get()
    assert caught.value.attempts == 2  # the refresh call's own attempts
    # The background renewal may have tried too, but never alongside the call's refresh.
    assert sandbox.journal.count("POST /auth/refresh") >= 2
    assert sandbox.journal.count("GET /settings") == 1


async def test_revoked_token_reauthenticates_once_and_replays(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """A 401 on a call leads to one POST /auth and one replay with the same request id."""
    async with make_client() as fino:
        await fino.settings.get()
        sandbox.revoke_access_tokens()
        sandbox.journal.clear()
        raw = await fino.with_raw_response.settings.get(request_id="replay-1")
    routes = [(e.route, e.status) for e in sandbox.journal]
    assert routes == [("GET /settings", 401), ("POST /auth", 200), ("GET /settings", 200)]
    settings_ids = {e.request_id for e in sandbox.journal.for_route("GET /settings")}
    assert settings_ids == {"replay-1"}
    assert raw.attempts == 2


async def test_second_401_raises_authentication_error(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """When the replay is rejected too, AuthenticationError is raised (no loop)."""
    sandbox.faults.add(Fault(route="GET /settings", kind="revoke_token"))
    async with make_client() as fino:
        with pytest.raises(AuthenticationError) as caught:
            await fino.settings.get()
    assert caught.value.status_code == 401
    assert caught.value.attempts == 2
    assert sandbox.journal.count("GET /settings") == 2
    assert sandbox.journal.count("POST /auth") == 2


async def test_wrong_credentials_raise_at_first_call(make_client: ClientFactory) -> None:
    """Wrong name or secret raise AuthenticationError on the first call, not a retry loop."""
    async with make_client(secret="wrong") as fino:
        with pytest.raises(AuthenticationError) as caught:
            await fino.settings.get()
    assert caught.value.type == "unauthorized"
    assert caught.value.request_id


async def test_concurrent_calls_with_wrong_credentials_share_one_refusal(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """Twenty first calls with a wrong secret all raise, after a single POST /auth."""
    errors: list[BaseException] = []

    async def call(fino: object) -> None:
        try:
            await fino.settings.get()  # type: ignore[attr-defined]
        except AuthenticationError as exc:
            errors.append(exc)

    async with make_client(secret="wrong") as fino, anyio.create_task_group() as tg:
        for _ in range(20):
            tg.start_soon(call, fino)
    assert len(errors) == 20
    assert sandbox.journal.count("POST /auth") == 1
    assert sandbox.journal.count("GET /settings") == 0


@pytest.mark.parametrize("sandbox_options", [{"access_token_ttl": 2.0}])
async def test_background_task_refreshes_before_expiry(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """With a real clock, the background task refreshes ahead of expiry while calls go on."""
    async with make_client(clock=None, refresh_margin=1.5) as fino:
        await fino.settings.get()
        with anyio.fail_after(5):
            while sandbox.journal.count("POST /auth/refresh") == 0:  # noqa: ASYNC110 - polled: the server may run in another thread
                await anyio.sleep(0.05)
        await fino.settings.get()
    assert sandbox.journal.count("POST /auth") == 1
    assert [e.status for e in sandbox.journal.for_route("GET /settings")] == [200, 200]


async def test_at_most_one_auth_call_in_flight(
    make_client: ClientFactory, sandbox: Sandbox, clock: FakeClock
) -> None:
    """Slow auth and refresh never overlap, however many calls wait on them."""
    sandbox.faults.add(Fault(route="POST /auth", kind="latency", seconds=0.05))
    sandbox.faults.add(Fault(route="POST /auth/refresh", kind="latency", seconds=0.05))
    async with make_client() as fino:
        async with anyio.create_task_group() as tg:
            for _ in range(20):
                tg.start_soon(fino.settings.get)
        clock.advance(301)
        async with anyio.create_task_group() as tg:
            for _ in range(20):
                tg.start_soon(fino.settings.get)
    assert sandbox.journal.count("POST /auth") == 1
    assert sandbox.journal.count("POST /auth/refresh") == 1


@pytest.mark.parametrize("sandbox_options", [{"access_token_ttl": 3.0}])
async def test_background_renewal_retries_after_a_network_failure(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """A refresh that fails in the background is tried again later; calls never notice."""
    sandbox.faults.add(Fault(route="POST /auth/refresh", kind="disconnect", times=2))
    async with make_client(clock=None, refresh_margin=2.0, max_retries=1) as fino:
        await fino.settings.get()
        with anyio.fail_after(6):
            while not any(  # noqa: ASYNC110 - polled: the server may run in another thread
                e.status == 200 for e in sandbox.journal.for_route("POST /auth/refresh")
            ):
                await anyio.sleep(0.05)
        await fino.settings.get()
    refreshes = [e.status for e in sandbox.journal.for_route("POST /auth/refresh")]
    assert refreshes[:2] == [None, None]  # two dropped connections
    assert 200 in refreshes
    assert sandbox.journal.count("POST /auth") == 1  # never fell back to the secret
    assert all(e.status == 200 for e in sandbox.journal.for_route("GET /settings"))
