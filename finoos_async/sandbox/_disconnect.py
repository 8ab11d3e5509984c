"""Dropping a connection without a response, in-process and on a real socket.

ASGI gives an application no way to abort its connection. On a real socket the
sandbox's uvicorn protocol puts the connection's asyncio transport in
:data:`current_transport` for the request's task, and the fault aborts it. In-process
(or under any other server) :class:`Disconnect` is raised instead: the in-process
transport turns it into ``httpx.RemoteProtocolError``; another server answers 500.
"""

from __future__ import annotations

import asyncio
from contextvars import ContextVar

from ._http import Receive

__all__ = ["Disconnect", "current_transport", "drop_connection"]

current_transport: ContextVar[asyncio.Transport | None] = ContextVar(
    "finoos_sandbox_transport", default=None
)


class Disconnect(Exception):
    """Raised through the ASGI app to ask the in-process transport to drop the request."""


async def drop_connection(receive: Receive) -> None:
    """Close the current connection abruptly, sending nothing."""
    transport = current_transport.get()
    if transport is None:
        raise Disconnect
    transport.abort()
    # Wait for uvicorn to see the connection lost: a request that returns before
    # that, with no response started, would be logged and answered with a 500.
    await receive()
