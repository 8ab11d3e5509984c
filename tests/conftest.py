"""Shared test configuration: every async test runs on asyncio and on trio."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["asyncio", "trio"], scope="session")
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Run each ``@pytest.mark.anyio`` test once per anyio backend."""
    return str(request.param)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Drop the trio runs of the aiohttp transport: aiohttp runs on asyncio only."""
    kept, dropped = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        fast_on_trio = (
            params is not None
            and params.params.get("anyio_backend") == "trio"
            and params.params.get("served") == "loopback-fast"
        )
        (dropped if fast_on_trio else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
