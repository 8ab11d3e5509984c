"""Per-block call settings, carried by a context variable.

A web backend knows the end user's IP once per incoming request, deep below the
code that calls finoOS. ``request_context`` sets it (and a request id or prefix,
and an API version) for every call made inside the block, including calls made
by tasks started inside it, which copy the context when they start.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

import attrs

from ._validation import check_header_value, check_ip

__all__ = ["CallContext", "current_context", "request_context"]


@attrs.frozen
class CallContext:
    """The settings in force for calls made here; ``None`` means not set."""

    user_ip: str | None = None
    request_id: str | None = None
    request_id_prefix: str | None = None
    api_version: str | None = None


_EMPTY = CallContext()
_current: contextvars.ContextVar[CallContext] = contextvars.ContextVar(
    "finoos_async_call_context", default=_EMPTY
)


def current_context() -> CallContext:
    """The settings of the innermost ``request_context`` block, merged with outer ones."""
    return _current.get()


@contextlib.contextmanager
def request_context(
    *,
    user_ip: str | None = None,
    request_id: str | None = None,
    request_id_prefix: str | None = None,
    api_version: str | None = None,
) -> Iterator[CallContext]:
    """Set call options for every finoOS call made inside the block.

    The innermost block wins for each setting it gives; settings it leaves out
    keep the outer block's value. Arguments given to a call win over all of them.
    Values are checked at once, so a bad IP fails where it is set, not later::

        @app.middleware("http")
        async def finoos_user_ip(request, call_next):
            with finoos_async.request_context(user_ip=request.client.host):
                return await call_next(request)

    Args:
        user_ip: The end user's IP address, sent as ``User-IP`` on banking calls.
        request_id: An ``X-Request-ID`` for calls in the block (all share it).
        request_id_prefix: A prefix for the fresh request id of each call.
        api_version: An ``API-Version`` to pin for calls in the block.

    Raises:
        InvalidInputError: A value is not a valid IP address or header value.
    """
    if user_ip is not None:
        check_ip(user_ip)
    for name, value in (
        ("request_id", request_id),
        ("request_id_prefix", request_id_prefix),
        ("api_version", api_version),
    ):
        if value is not None:
            check_header_value(name, value)
    outer = _current.get()
    merged = CallContext(
        user_ip=user_ip if user_ip is not None else outer.user_ip,
        request_id=request_id if request_id is not None else outer.request_id,
        request_id_prefix=(
            request_id_prefix if request_id_prefix is not None else outer.request_id_prefix
        ),
        api_version=api_version if api_version is not None else outer.api_version,
    )
    token = _current.set(merged)
    try:
        yield merged
    finally:
        _current.reset(token)
