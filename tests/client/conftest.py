"""Client fixtures: a fresh sandbox per test, reached in-process and over loopback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
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


@pytest.fixture(params=["in-process", "loopback"])
def served(
    request: pytest.FixtureRequest, sandbox: Sandbox
) -> Iterator[tuple[str, httpx.AsyncBaseTransport | None]]:
    """The sandbox's base URL and, in-process, its transport; over loopback, a real socket."""
    if request.param == "in-process":
        yield sandbox.base_url, sandbox.transport()
    else:
        with sandbox.serve_in_thread() as base_url:
            yield base_url, None


@pytest.fixture
def make_client(
    sandbox: Sandbox, served: tuple[str, httpx.AsyncBaseTransport | None], clock: FakeClock
) -> ClientFactory:
    """Build an ``AsyncFino`` wired to this test's sandbox; keyword arguments override."""
    base_url, transport = served

    def make(**overrides: Any) -> AsyncFino:
        options: dict[str, Any] = {
            "name": sandbox.name,
            "secret": sandbox.secret,
            "base_url": base_url,
            "clock": clock,
            "backoff_initial": 0.01,
            "backoff_max": 0.05,
        }
        if transport is not None:
            options["transport"] = transport
        options.update(overrides)
        return AsyncFino(**options)

    return make
