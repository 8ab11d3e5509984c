"""TLS: certificates are verified by default, on both transports."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import httpx
import pytest
import trustme

from finoos_async import APIConnectionError, AsyncFino

pytestmark = pytest.mark.anyio

_TOKENS = json.dumps(
    {"accessToken": "a", "refreshToken": "r", "expiresIn": 300, "refreshExpiresIn": 1800}
).encode()
_SETTINGS = json.dumps({"apiVersion": "2020-06-16", "scopes": []}).encode()


class _Handler(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def _answer(self) -> None:
        self.requests.append(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = _TOKENS if self.path.endswith("/auth") else _SETTINGS
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    """A throwaway certificate authority that no system trusts."""
    return trustme.CA()


@pytest.fixture
def https_server(ca: trustme.CA) -> Iterator[tuple[str, list[str]]]:
    """An HTTPS server on loopback whose certificate only ``ca`` vouches for."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost", "127.0.0.1").configure_cert(context)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    _Handler.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://localhost:{server.server_address[1]}/api/v1", _Handler.requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


async def test_an_untrusted_certificate_is_refused(https_server: tuple[str, list[str]]) -> None:
    """An HTTPS server with a certificate from an unknown CA gets no request at all."""
    await _refused(https_server, fast=False)


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_the_fast_transport_refuses_it_too(https_server: tuple[str, list[str]]) -> None:
    """The aiohttp transport verifies certificates by default as well."""
    await _refused(https_server, fast=True)


async def _refused(https_server: tuple[str, list[str]], *, fast: bool) -> None:
    base_url, received = https_server
    async with AsyncFino(
        name="n", secret="s", base_url=base_url, fast=fast, backoff_initial=0.01
    ) as fino:
        with pytest.raises(APIConnectionError) as caught:
            await fino.settings.get()
    assert caught.value.request_sent is False
    assert received == []


async def test_verification_is_configured_on_your_own_client(
    https_server: tuple[str, list[str]], ca: trustme.CA
) -> None:
    """Trusting another CA (or switching verification off) is done on a client you pass in."""
    base_url, received = https_server
    context = ssl.create_default_context()
    ca.configure_trust(context)
    async with (
        httpx.AsyncClient(verify=context) as http,
        AsyncFino(name="n", secret="s", base_url=base_url, http_client=http) as fino,
    ):
        settings = await fino.settings.get()
    assert settings.api_version == "2020-06-16"
    assert received == ["/api/v1/auth", "/api/v1/settings"]
