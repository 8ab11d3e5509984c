"""An httpx transport that runs the sandbox in the caller's own event loop."""

from __future__ import annotations

from urllib.parse import unquote

import anyio
import httpx

from ._disconnect import Disconnect
from ._http import ASGIApp, Message, Scope

__all__ = ["SandboxTransport"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


class SandboxTransport(httpx.AsyncBaseTransport):
    """Serve requests by calling the sandbox directly: no sockets, any anyio backend.

    A ``"disconnect"`` fault surfaces as ``httpx.RemoteProtocolError``, as it does
    from httpx's own transport when a server closes the connection without answering;
    a response slower than the request's read timeout as ``httpx.ReadTimeout``.
    """

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        url = request.url
        raw_path, _, query = url.raw_path.partition(b"?")
        scope: Scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": request.method,
            "scheme": url.scheme,
            "path": unquote(raw_path.decode("ascii")),
            "raw_path": raw_path,
            "query_string": query,
            "root_path": "",
            "headers": [(name.lower(), value) for name, value in request.headers.raw],
            "client": ("127.0.0.1", 0),
            "server": (url.host, url.port or _DEFAULT_PORTS.get(url.scheme, 80)),
        }
        request_sent = False
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def receive() -> Message:
            nonlocal request_sent
            if request_sent:
                # As on a socket: nothing more arrives until the client goes away,
                # which in-process means the caller cancelling this request.
                await anyio.sleep_forever()
                return {"type": "http.disconnect"}
            request_sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        # httpx's read timeout is enforced by its network layer, which this transport
        # bypasses: apply it to the whole wait, so a slow sandbox times out as on a socket.
        read_timeout = request.extensions.get("timeout", {}).get("read")
        try:
            with anyio.move_on_after(read_timeout) as waiting:
                await self._app(scope, receive, send)
        except Disconnect:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from None
        if waiting.cancelled_caught:
            raise httpx.ReadTimeout("The sandbox did not answer in time.", request=request)
        return httpx.Response(
            status, headers=headers, stream=httpx.ByteStream(b"".join(chunks)), request=request
        )
