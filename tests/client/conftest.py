"""Client fixtures: a fresh sandbox per test, reached in-process and over loopback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from finoos_async import AsyncFino
from finoos_async.sandbox import FakeClock, Sandbox

from ._helpers import ClientFactory


@pytest.fixture
def clock() -> FakeClock:
    """One fake clock shared by the sandbox and the client, so tests expire tokens at will."""
    return FakeClock()


@pytest.fixture
def sandbox_options() -> dict[str, Any]:
    """Extra ``Sandbox`` arguments; a test overrides this with ``parametrize``."""
    return {}


@pytest.fixture
def sandbox(clock: FakeClock, sandbox_options: dict[str, Any]) -> Sandbox:
    """A fresh sandbox for each test."""
    return Sandbox(clock=clock, **sandbox_options)


@pytest.fixture(params=["in-process", "loopback", "loopback-fast"])
def served(
    request: pytest.FixtureRequest, sandbox: Sandbox
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Where the client meets the sandbox, and the client options that choose the transport.

    In-process through the sandbox's ASGI transport; over a real loopback socket
    with httpx's own transport; and (asyncio only) over the socket with the
    httpx-aiohttp fast transport, so every behaviour is proven on both.
    """
    if request.param == "in-process":
        yield sandbox.base_url, {"transport": sandbox.transport()}
        return
    fast = request.param == "loopback-fast"  # trio runs of it are deselected in tests/conftest.py
    with sandbox.serve_in_thread() as base_url:
        yield base_url, {"fast": fast}


@pytest.fixture
def make_client(
    sandbox: Sandbox, served: tuple[str, dict[str, Any]], clock: FakeClock
) -> ClientFactory:
    """Build an ``AsyncFino`` wired to this test's sandbox; keyword arguments override."""
    base_url, wiring = served

    def make(**overrides: Any) -> AsyncFino:
        options: dict[str, Any] = {
            "name": sandbox.name,
            "secret": sandbox.secret,
            "base_url": base_url,
            "clock": clock,
            "backoff_initial": 0.01,
            "backoff_max": 0.05,
        }
        options.update(wiring)
        options.update(overrides)
        return AsyncFino(**options)

    return make
