"""Which HTTP transport the client's own ``httpx.AsyncClient`` runs on.

httpx's default transport (httpcore) spends most of a bulk job's CPU assigning
connections; over the ``httpx-aiohttp`` transport the same client does several
times the requests per second (``benchmarks/results/bulk.md``). aiohttp
runs on asyncio only, so it is used when the ``fast`` extra is installed *and*
the client is entered on asyncio; on trio the default transport serves.
"""

from __future__ import annotations

import httpx

from ._exceptions import InvalidInputError

__all__ = ["fast_transport"]


def _on_asyncio() -> bool:
    import asyncio  # not at module level: trio users need not pay for it

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def fast_transport(fast: bool | None) -> httpx.AsyncBaseTransport | None:
    """The aiohttp transport when ``fast`` asks for it and it can run here, else ``None``.

    ``fast=None`` (auto) uses it when it is installed and the loop is asyncio;
    ``fast=True`` insists and raises ``InvalidInputError`` when it cannot;
    ``fast=False`` never uses it.
    """
    if fast is False:
        return None
    try:
        import httpx_aiohttp
    except ImportError:
        if fast:
            raise InvalidInputError(
                "fast=True needs the optional extra: pip install 'finoos_async[fast]'"
            ) from None
        return None
    if not _on_asyncio():
        if fast:
            raise InvalidInputError("fast=True needs asyncio: aiohttp does not run on trio")
        return None
    transport: httpx.AsyncBaseTransport = httpx_aiohttp.AiohttpTransport()
    return transport
