"""The middleware chain, request ids, User-IP and API-Version, and request_context."""

from __future__ import annotations

import logging

import anyio
import httpx
import pytest

from finoos_async import CallNext, InvalidInputError, request_context
from finoos_async.sandbox import Fault, Sandbox

from ._helpers import ClientFactory

pytestmark = pytest.mark.anyio


async def test_middleware_sees_every_attempt_with_final_headers(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """User middleware runs per attempt, after the SDK set its headers."""
    seen: list[tuple[str, str | None, bool]] = []

    async def record(request: httpx.Request, call_next: CallNext) -> httpx.Response:
        seen.append(
            (
                request.url.path,
                request.headers.get("X-Request-ID"),
                "Authorization" in request.headers,
            )
        )
        return await call_next(request)

    sandbox.faults.add(Fault(route="GET /settings", kind="status", status=503, times=1))
    async with make_client(middleware=[record]) as fino:
        await fino.settings.get(request_id="mw-1")
    assert seen[0][0].endswith("/auth")
    assert seen[0][2] is False  # /auth carries no token
    assert seen[1:] == [("/api/v1/settings", "mw-1", True)] * 2


async def test_middleware_may_change_request_and_response(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """A middleware can add a header to the request and read or replace the response."""
    order: list[str] = []

    async def outer(request: httpx.Request, call_next: CallNext) -> httpx.Response:
        order.append("outer")
        request.headers["X-Tenant"] = "acme"
        return await call_next(request)

    async def inner(request: httpx.Request, call_next: CallNext) -> httpx.Response:
        order.append("inner")
        response = await call_next(request)
        response.headers["X-Seen"] = "yes"
        return response

    async with make_client(middleware=[outer, inner]) as fino:
        raw = await fino.with_raw_response.settings.get()
    assert order[-2:] == ["outer", "inner"]
    assert raw.headers["X-Seen"] == "yes"
    assert sandbox.journal[-1].headers["x-tenant"] == "acme"


async def test_each_call_gets_a_fresh_uuid_request_id(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """Without a given id, every call sends a different UUID4 X-Request-ID."""
    async with make_client() as fino:
        await fino.settings.get()
        await fino.settings.get()
    ids = [e.headers["x-request-id"] for e in sandbox.journal.for_route("GET /settings")]
    assert len(set(ids)) == 2
    assert all(len(i) == 36 and i[14] == "4" for i in ids)


async def test_request_context_sets_user_ip_id_prefix_and_version(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """request_context applies to calls in the block and in tasks started inside it."""
    async with make_client() as fino:
        user = await fino.users.create(type="person")
        with request_context(user_ip="198.51.100.4", request_id_prefix="job-7-"):
            async with anyio.create_task_group() as tg:
                tg.start_soon(fino.banking.get_logins, user.id)
            with request_context(user_ip="2001:db8::1", api_version="2020-06-16"):
                await fino.banking.get_logins(user.id)
            await fino.banking.get_logins(user.id, user_ip="192.0.2.1")
        await fino.banking.get_logins(user.id)
    entries = sandbox.journal.for_route("GET /users/{userID}/banking/logins")
    assert [e.headers.get("user-ip") for e in entries] == [
        "198.51.100.4",
        "2001:db8::1",
        "192.0.2.1",
        None,
    ]
    assert all(e.headers["x-request-id"].startswith("job-7-") for e in entries[:3])
    assert not entries[3].headers["x-request-id"].startswith("job-7-")
    assert entries[1].headers["api-version"] == "2020-06-16"
    assert "api-version" not in entries[0].headers


async def test_user_ip_is_sent_on_banking_calls_only(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """A context User-IP goes on banking routes, not on users or settings routes."""
    async with make_client() as fino:
        with request_context(user_ip="198.51.100.4"):
            await fino.settings.get()
    assert "user-ip" not in sandbox.journal.for_route("GET /settings")[0].headers


async def test_connect_requires_a_user_ip(make_client: ClientFactory, sandbox: Sandbox) -> None:
    """Connect without any user_ip is refused before sending; with the context it works."""
    urls = {
        "redirect_url": "https://a.example/ok",
        "error_url": "https://a.example/e",
        "exit_url": "https://a.example/x",
    }
    async with make_client() as fino:
        user = await fino.users.create(type="person")
        with pytest.raises(InvalidInputError, match="user_ip"):
            await fino.banking.connect(user.id, recurring=True, **urls)
        with request_context(user_ip="203.0.113.7"):
            await fino.banking.connect(user.id, recurring=True, **urls)
    connects = sandbox.journal.for_route("POST /users/{userID}/banking/connect")
    assert [e.headers["user-ip"] for e in connects] == ["203.0.113.7"]


async def test_pinned_api_version_is_sent_and_mismatch_warns_once(
    make_client: ClientFactory, caplog: pytest.LogCaptureFixture, sandbox: Sandbox
) -> None:
    """A pinned version goes on every call; a server answering another one logs one warning."""

    async def downgrade(request: httpx.Request, call_next: CallNext) -> httpx.Response:
        response = await call_next(request)
        response.headers["API-Version"] = "2020-01-01"
        return response

    caplog.set_level(logging.WARNING, logger="finoos_async")
    async with make_client(api_version="2020-06-16", middleware=[downgrade]) as fino:
        await fino.settings.get()
        await fino.settings.get()
        assert fino.server_api_version == "2020-01-01"
    assert all(e.headers["api-version"] == "2020-06-16" for e in sandbox.journal)
    async with make_client(api_version="2019-01-01") as fino:
        await fino.settings.get()
        await fino.settings.get()
    warnings = [r for r in caplog.records if "API-Version" in r.getMessage()]
    assert len(warnings) == 1


async def test_server_api_version_is_recorded(make_client: ClientFactory) -> None:
    """The client records the API-Version the server answered with."""
    async with make_client() as fino:
        assert fino.server_api_version is None
        await fino.settings.get()
        assert fino.server_api_version == "2020-06-16"
