"""The client's own ``httpx.AsyncClient``: which transport it runs on, and no cookies.

httpx's default transport (httpcore) spends most of a bulk job's CPU assigning
connections; over the ``httpx-aiohttp`` transport the same client does several
times the requests per second (``benchmarks/results/bulk.md``). aiohttp
runs on asyncio only, so it is used when the ``fast`` extra is installed *and*
the client is entered on asyncio; on trio the default transport serves.

The API authenticates by token, never by cookie, and one client serves many end
users: a cookie one response set must not ride along on another user's call. So
the client keeps none (nor does aiohttp's session under the fast transport), which
also spares every response httpx's cookie-jar work (a tenth of a bulk job's CPU on
the fast transport). A user's own ``http_client`` keeps its own cookie policy.
"""

from __future__ import annotations

from typing import Any

import httpx

from ._exceptions import InvalidInputError

__all__ = ["fast_transport", "own_http_client"]


class _NoCookies(httpx.Cookies):
    """A cookie jar that stays empty: ``Set-Cookie`` headers are ignored."""

    def extract_cookies(self, response: httpx.Response) -> None:
        pass


class _CookielessClient(httpx.AsyncClient):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._no_cookies = _NoCookies()

    @property
    def cookies(self) -> httpx.Cookies:
        return self._no_cookies

    @cookies.setter
    def cookies(self, cookies: object) -> None:
        raise TypeError("the SDK's own HTTP client keeps no cookies")


def own_http_client(
    transport: httpx.AsyncBaseTransport | None, timeout: float | httpx.Timeout | None
) -> httpx.AsyncClient:
    """The ``httpx.AsyncClient`` an ``AsyncFino`` creates (and closes) itself."""
    return _CookielessClient(transport=transport, timeout=timeout)


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
    import aiohttp

    # What the transport would build itself (verified TLS, its pool limits), but with a
    # cookie jar that keeps nothing: aiohttp's own jar would otherwise do what httpx's no
    # longer does, and send one end user's cookie on another user's call.
    ssl_context = httpx.create_ssl_context()

    def session() -> aiohttp.ClientSession:
        # Called on the first request, inside the running loop, as aiohttp requires.
        connector = aiohttp.TCPConnector(ssl=ssl_context, limit=100, keepalive_timeout=5.0)
        return aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())

    transport: httpx.AsyncBaseTransport = httpx_aiohttp.AiohttpTransport(client=session)
    return transport
