"""Serving an ASGI app with uvicorn on a real socket: in a thread, or in the foreground.

uvicorn is imported here only, so in-process use never needs it.
"""

from __future__ import annotations

import asyncio
import copy
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

from ._disconnect import current_transport
from ._http import ASGIApp

if TYPE_CHECKING:
    import uvicorn

__all__ = ["bind", "make_server", "origin_of", "serve_in_thread"]

_STARTUP_TIMEOUT = 10.0
_STOP_TIMEOUT = 5.0
_POLL = 0.005


def bind(host: str, port: int) -> socket.socket:
    """Bind a listening TCP socket, so the real port is known before serving starts."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # An explicit IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets
    # whose proto says TCP, and without it every keep-alive request waits ~40 ms for
    # a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except BaseException:
        sock.close()
        raise
    return sock


def origin_of(sock: socket.socket) -> str:
    """The ``http://host:port`` a bound socket serves."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@cache
def _protocol_class() -> type[asyncio.Protocol]:
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class TransportExposingH11Protocol(H11Protocol):
        # uvicorn creates each request's task from data_received, and a task copies
        # the context it is created in: setting the variable here hands the
        # connection's transport to exactly that request's handler.
        def data_received(self, data: bytes) -> None:
            current_transport.set(self.transport)
            super().data_received(data)

    return TransportExposingH11Protocol


@cache
def _quick_server_class() -> type[uvicorn.Server]:
    import uvicorn

    class QuickStoppingServer(uvicorn.Server):
        # Stock uvicorn polls for should_exit every 0.1 s and sleeps another 0.1 s while
        # shutting down; a test suite starting a server per test pays that every time.
        async def main_loop(self) -> None:
            counter = 0
            while not await self.on_tick(counter):
                counter += 1
                await asyncio.sleep(_POLL)

        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            for server in self.servers:
                server.close()
            state = self.server_state
            for connection in list(state.connections):
                connection.shutdown()  # closes idle keep-alive connections at once
            loop = asyncio.get_running_loop()
            deadline = loop.time() + (self.config.timeout_graceful_shutdown or 0)
            # Polling, because uvicorn signals neither "all connections closed" nor
            # "all requests done"; waiting for the connections lets their sockets
            # close before the loop does.
            while (state.connections or state.tasks) and loop.time() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(_POLL)
            for task in list(state.tasks):
                task.cancel()
            for server in self.servers:
                await server.wait_closed()

    return QuickStoppingServer


def make_server(
    app: ASGIApp, *, quiet: bool, access_log: bool = False, quick_stop: bool = False
) -> uvicorn.Server:
    """Build a uvicorn server for ``app`` that a disconnect fault can abort connections on.

    ``quiet`` leaves the process's logging alone, as a library inside a test suite
    should. Otherwise uvicorn logs to stderr only, the access log included: stdout is
    kept for the lines a parent process reads, and a parent that stops reading a pipe
    must not stall the server once the pipe fills. ``quick_stop`` notices
    ``should_exit`` within milliseconds instead of uvicorn's tenth of a second.
    """
    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    options: dict[str, Any] = {"access_log": access_log and not quiet}
    if quiet:
        options["log_config"] = None
    else:
        log_config = copy.deepcopy(LOGGING_CONFIG)
        log_config["handlers"]["access"]["stream"] = "ext://sys.stderr"
        options["log_config"] = log_config
    config = uvicorn.Config(
        app,
        loop="asyncio",
        http=_protocol_class(),
        ws="none",
        lifespan="off",
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=1,
        **options,
    )
    return (_quick_server_class() if quick_stop else uvicorn.Server)(config)


@contextmanager
def serve_in_thread(app: ASGIApp, *, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``app`` from a daemon thread with its own event loop; yield its origin.

    uvicorn installs no signal handlers outside the main thread. On exit the server
    is asked to stop and the thread joined; a server that will not stop raises.
    """
    sock = bind(host, port)
    origin = origin_of(sock)
    try:
        server = make_server(app, quiet=True, quick_stop=True)
    except BaseException:
        sock.close()
        raise
    failure: list[BaseException] = []

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # reported to the caller's thread below
            failure.append(exc)
        finally:
            sock.close()

    thread = threading.Thread(target=run, name=f"finoos-sandbox {origin}", daemon=True)
    thread.start()
    deadline = time.monotonic() + _STARTUP_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            thread.join(_STOP_TIMEOUT)
            raise RuntimeError(f"the sandbox server did not start on {origin}") from (
                failure[0] if failure else None
            )
        time.sleep(0.002)
    try:
        yield origin
    except BaseException:
        _stop(server, thread, origin)
        raise
    _stop(server, thread, origin)
    if failure:
        raise RuntimeError(f"the sandbox server on {origin} failed") from failure[0]


def _stop(server: uvicorn.Server, thread: threading.Thread, origin: str) -> None:
    server.should_exit = True
    thread.join(_STOP_TIMEOUT)
    if thread.is_alive():
        server.force_exit = True
        thread.join(_STOP_TIMEOUT)
    if thread.is_alive():
        raise RuntimeError(f"the sandbox server on {origin} did not stop")
