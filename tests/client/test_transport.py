"""Choosing the HTTP transport: the aiohttp one on asyncio when installed, httpx's elsewhere."""

from __future__ import annotations

import logging

import pytest

from finoos_async import AsyncFino, InvalidInputError
from finoos_async.sandbox import Sandbox

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("fast", [None, True, False])
async def test_transport_follows_fast_and_the_event_loop(
    anyio_backend: str, fast: bool | None, caplog: pytest.LogCaptureFixture
) -> None:
    """Auto picks aiohttp on asyncio and httpx on trio; True insists; False opts out."""
    caplog.set_level(logging.DEBUG, logger="finoos_async")
    sandbox = Sandbox()
    with sandbox.serve_in_thread() as base_url:
        fino = AsyncFino(name=sandbox.name, secret=sandbox.secret, base_url=base_url, fast=fast)
        if fast and anyio_backend == "trio":
            with pytest.raises(InvalidInputError, match="asyncio"):
                async with fino:
                    pass
            return
        async with fino:
            await fino.settings.get()
    expected = "AiohttpTransport" if anyio_backend == "asyncio" and fast is not False else "httpx"
    assert f"HTTP transport: {expected}" in caplog.text


def test_fast_conflicts_with_a_given_transport() -> None:
    """fast=True together with a transport or client of one's own is refused."""
    with pytest.raises(InvalidInputError, match="fast"):
        AsyncFino(name="n", secret="s", fast=True, transport=Sandbox().transport())
