"""The request pipeline as an onion of middleware.

A middleware is any ``async (request, call_next) -> response`` callable. The
chain is composed once per client; every HTTP attempt (retries and the replay
after a re-authentication included) runs through all of it, so a middleware sees
each request with its final headers and may change the request or the response.

The SDK's own headers are set by middleware too, ahead of the user's: the
X-Request-ID, API-Version and User-IP values are decided once per call (so
every retry of a call carries the same request id) and travel with the request
in ``request.extensions``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

import attrs
import httpx

__all__ = [
    "CALL_EXTENSION",
    "ApiVersionMiddleware",
    "CallHeaders",
    "CallNext",
    "Middleware",
    "compose",
    "request_id_middleware",
    "user_ip_middleware",
]

logger = logging.getLogger("finoos_async")

CallNext = Callable[[httpx.Request], Awaitable[httpx.Response]]

#: Key in ``httpx.Request.extensions`` under which a call's ``CallHeaders`` travel.
CALL_EXTENSION = "finoos_async.call"


class Middleware(Protocol):
    """An ``async (request, call_next) -> response`` step of the pipeline.

    Example — time every attempt::

        async def timing(request: httpx.Request, call_next: CallNext) -> httpx.Response:
            started = time.perf_counter()
            response = await call_next(request)
            print(request.url.path, time.perf_counter() - started)
            return response

        AsyncFino(middleware=[timing])
    """

    def __call__(self, request: httpx.Request, call_next: CallNext, /) -> Awaitable[httpx.Response]:
        """Handle one attempt: pass ``request`` on with ``call_next`` and return the response."""
        ...


@attrs.frozen
class CallHeaders:
    """The SDK header values decided once for a call (not per attempt)."""

    request_id: str
    api_version: str | None
    user_ip: str | None


def _call_headers(request: httpx.Request) -> CallHeaders | None:
    value = request.extensions.get(CALL_EXTENSION)
    return value if isinstance(value, CallHeaders) else None


async def request_id_middleware(request: httpx.Request, call_next: CallNext) -> httpx.Response:
    """Send the call's ``X-Request-ID`` (the same on every attempt of the call)."""
    call = _call_headers(request)
    if call is not None:
        request.headers["X-Request-ID"] = call.request_id
    return await call_next(request)


async def user_ip_middleware(request: httpx.Request, call_next: CallNext) -> httpx.Response:
    """Send the end user's ``User-IP`` when the call has one (banking calls)."""
    call = _call_headers(request)
    if call is not None and call.user_ip is not None:
        request.headers["User-IP"] = call.user_ip
    return await call_next(request)


class ApiVersionMiddleware:
    """Pin ``API-Version`` when asked, record the server's, warn once on a mismatch."""

    def __init__(self) -> None:
        self.server_version: str | None = None
        self._warned: set[tuple[str, str]] = set()

    async def __call__(self, request: httpx.Request, call_next: CallNext) -> httpx.Response:
        call = _call_headers(request)
        pinned = call.api_version if call is not None else None
        if pinned is not None:
            request.headers["API-Version"] = pinned
        response = await call_next(request)
        served = response.headers.get("API-Version")
        if served is not None:
            self.server_version = served
            if pinned is not None and served != pinned and (pinned, served) not in self._warned:
                self._warned.add((pinned, served))
                logger.warning(
                    "finoOS answered with API-Version %s although %s was pinned", served, pinned
                )
        return response


def compose(middleware: Sequence[Middleware], send: CallNext) -> CallNext:
    """Wrap ``send`` in ``middleware``, the first one outermost."""
    handler = send
    for step in reversed(middleware):
        handler = _bind(step, handler)
    return handler


def _bind(step: Middleware, call_next: CallNext) -> CallNext:
    def handle(request: httpx.Request) -> Awaitable[httpx.Response]:
        return step(request, call_next)

    return handle
