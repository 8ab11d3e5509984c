"""The SDK's own HTTP client keeps no cookies, on either transport."""

from __future__ import annotations

import pytest

from finoos_async import AsyncFino
from finoos_async.sandbox import Sandbox
from finoos_async.sandbox._http import ASGIApp, Message, Receive, Scope, Send
from finoos_async.sandbox._server import serve_in_thread

pytestmark = pytest.mark.anyio


def setting_a_cookie(app: ASGIApp) -> ASGIApp:
    """``app``, with every response setting a session cookie, as a misbehaving proxy might."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookie = (b"set-cookie", b"session=end-user-a; Path=/")
                message = {**message, "headers": [*message.get("headers", []), cookie]}
            await send(message)

        await app(scope, receive, send_with_cookie)

    return wrapped


@pytest.mark.parametrize("served", ["loopback", "loopback-fast"])
async def test_a_cookie_one_response_sets_is_never_sent(served: str, anyio_backend: str) -> None:
    """One client serves many end users: a cookie set by a response rides on no later call."""
    sandbox = Sandbox()
    with serve_in_thread(setting_a_cookie(sandbox)) as origin:
        async with AsyncFino(
            name=sandbox.name,
            secret=sandbox.secret,
            # A host name, not an IP: aiohttp's jar ignores cookies from IP addresses.
            base_url=origin.replace("127.0.0.1", "localhost") + "/api/v1",
            fast=served == "loopback-fast",
        ) as fino:
            user = await fino.users.create(type="person")
            await fino.users.get(user.id)
            await fino.settings.get()

    entries = sandbox.journal.entries()
    assert len(entries) == 4  # authenticate, then three calls after cookies were set
    assert [e.headers.get("cookie") for e in entries] == [None] * 4
