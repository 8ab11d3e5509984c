"""Fixtures that run every sandbox test in-process and over a real loopback socket."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from finoos_async._json import loads
from finoos_async.sandbox import FakeClock, Sandbox
from finoos_async.sandbox._server import serve_in_thread

from .._live import SwitchApp

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture(scope="session")
def tls_context() -> ssl.SSLContext:
    """One TLS context for every socket-mode client: building one per client costs ~30 ms."""
    return ssl.create_default_context()


@pytest.fixture(scope="session")
def live_server() -> Iterator[tuple[SwitchApp, str]]:
    """A uvicorn server in a thread, serving whichever sandbox a test points it at."""
    switch = SwitchApp()
    with serve_in_thread(switch) as origin:
        yield switch, origin


class Api:
    """An httpx client on one sandbox that sends the access token once logged in."""

    def __init__(self, http: httpx.AsyncClient, sandbox: Sandbox, mode: str) -> None:
        self.http = http
        self.sandbox = sandbox
        self.mode = mode
        self.token: str | None = None
        self.refresh_token: str | None = None

    async def login(self) -> dict[str, Any]:
        response = await self.http.post(
            "/auth", json={"name": self.sandbox.name, "secret": self.sandbox.secret}
        )
        assert response.status_code == 200, response.text
        tokens: dict[str, Any] = response.json()
        self.token, self.refresh_token = tokens["accessToken"], tokens["refreshToken"]
        return tokens

    async def create_user(self, user_type: str = "person") -> str:
        response = await self.post("/users", json={"type": user_type})
        assert response.status_code == 200, response.text
        user_id: str = response.json()["id"]
        return user_id

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        if self.token is not None:
            headers.setdefault("Authorization", self.token)
        return await self.http.request(method, url, headers=headers, **kwargs)

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("POST", url, **kwargs)

    async def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("DELETE", url, **kwargs)


Connect = Callable[[Sandbox], AbstractAsyncContextManager[Api]]


@pytest.fixture(params=["in-process", "socket"])
def mode(request: pytest.FixtureRequest) -> str:
    """How the client reaches the sandbox: its own transport, or a loopback socket."""
    return str(request.param)


@pytest.fixture
def connect(mode: str, request: pytest.FixtureRequest) -> Iterator[Connect]:
    """Open an :class:`Api` on a sandbox the test built, served the ``mode`` way."""
    live: tuple[SwitchApp, str] | None = None
    if mode == "socket":
        live = request.getfixturevalue("live_server")
        tls = request.getfixturevalue("tls_context")

    @asynccontextmanager
    async def open_api(sandbox: Sandbox) -> AsyncIterator[Api]:
        if live is None:
            http = httpx.AsyncClient(transport=sandbox.transport(), base_url=sandbox.base_url)
        else:
            live[0].target = sandbox
            http = httpx.AsyncClient(base_url=live[1] + "/api/v1", verify=tls)
        async with http:
            yield Api(http, sandbox, mode)

    yield open_api
    if live is not None:
        live[0].target = None


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock for the default sandbox."""
    return FakeClock(start=1_000_000.0)


@pytest.fixture
def sandbox(clock: FakeClock) -> Sandbox:
    """A sandbox with default settings on a fake clock."""
    return Sandbox(clock=clock)


@pytest.fixture
async def api(connect: Connect, sandbox: Sandbox) -> AsyncIterator[Api]:
    """A logged-in client on the default sandbox."""
    async with connect(sandbox) as api:
        await api.login()
        yield api


@pytest.fixture
def set_logins_body() -> bytes:
    """The seed's Step 4b Set Logins body, byte for byte."""
    return (FIXTURES / "seed_set_logins.json").read_bytes()


@pytest.fixture
def get_logins_body() -> Any:
    """The seed's Step 5 Get Logins body, parsed with exact decimals."""
    return loads((FIXTURES / "seed_get_logins.json").read_bytes())
