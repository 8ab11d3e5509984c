"""The :class:`Sandbox`: a stateful fake finoOS server as an ASGI application."""

from __future__ import annotations

import datetime
import re
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import anyio
import httpx

from ._clock import Clock
from ._disconnect import drop_connection
from ._faults import Fault, FaultTable
from ._handlers import API_PREFIX, ROUTES
from ._http import HTTPError, Receive, Request, Response, Scope, Send, error_response
from ._journal import MASK, Journal, JournalEntry, mask_auth_body
from ._router import Route, Router
from ._state import CONNECT_SESSION_TTL, State
from ._ui import UI_ROUTES

__all__ = ["DEFAULT_API_VERSION", "DEFAULT_NAME", "DEFAULT_SCOPES", "DEFAULT_SECRET", "Sandbox"]

DEFAULT_NAME = "sandbox"
DEFAULT_SECRET = "sandbox-secret"  # noqa: S105 - the sandbox's published test credential
DEFAULT_API_VERSION = "2020-06-16"
DEFAULT_SCOPES = ("banking", "companies", "documentshipment")

_IN_PROCESS_ORIGIN = "http://sandbox.localhost"
_AUTH_PATHS = frozenset({f"{API_PREFIX}/auth", f"{API_PREFIX}/auth/refresh"})
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_FORBIDDEN = "Forbidden. No access to this resource"
_MALFORMED_BODY = b"<html><body><h1>Bad Gateway</h1></body></html>"
_TRUNCATION_FILLER = b'{"type":"truncated","message":"This body was cut in half on purpose."}'
_DROP = Response(0)  # marks "answer nothing": the connection is dropped
_GONE = Response(0)  # marks "answer nothing": the client already left


def _is_date(value: str) -> bool:
    if not _DATE.fullmatch(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


class Sandbox:
    """A faithful, stateful fake of the finoOS v1 API, usable in-process or on a socket.

    The instance is the ASGI application. Serve it in-process with :meth:`transport`,
    on a loopback port with :meth:`serve_in_thread`, or from a shell with
    ``python -m finoos_async.sandbox``.

    Example::

        sandbox = Sandbox(clock=FakeClock())
        async with httpx.AsyncClient(
            transport=sandbox.transport(), base_url=sandbox.base_url
        ) as http:
            tokens = (await http.post("/auth", json={
                "name": sandbox.name, "secret": sandbox.secret,
            })).json()

    Choices where the documentation is silent:

    - Refresh spends the refresh token it is given and issues a new pair; the access
      token issued with the spent refresh token keeps working until its own expiry.
    - Checks run in this order: faults, API-Version (400), route (404/405), access
      token (401), account scope (403), user exists (404), user scope (403), body (400).
    - Set Logins replaces the user's logins; ``null`` counts as an absent field.
    - Provisional routes: Search Companies searches a small made-up directory and
      Search Logos derives logo URLs on the sandbox's origin; a document shipment is
      ``queued`` until 60 s of ``clock`` have passed, then ``sent`` (never ``failed``).
    - A connect session's ``redirectURL`` opens a Banking UI served by the sandbox
      (test bank "fino Bank", ``10020000``, ``dummy`` / ``654321``, the TAN on screen);
      it works once, for ``connect_session_ttl`` seconds of ``clock``.

    Args:
        name: The account name to authenticate with.
        secret: The account secret. Never shown in reprs or the journal.
        access_token_ttl: Seconds an access token lives (``expiresIn``).
        refresh_token_ttl: Seconds a refresh token lives (``refreshExpiresIn``).
        clock: Any ``() -> float`` in seconds; token expiry reads it. Default
            :func:`time.monotonic`; pass a :class:`FakeClock` to test expiry.
        api_version: The account's API version, a ``YYYY-MM-DD`` date.
        scopes: The scopes the account holds; new users get them all.
        faults: Faults active from the start (see :attr:`faults`).
        seed: Seeds the faults' ``rate`` draws, so a run repeats exactly.
        connect_session_ttl: Seconds of ``clock`` a connect session's Banking UI can be
            used for (default 600, ten minutes).
    """

    def __init__(
        self,
        *,
        name: str = DEFAULT_NAME,
        secret: str = DEFAULT_SECRET,
        access_token_ttl: float = 300.0,
        refresh_token_ttl: float = 1800.0,
        clock: Clock = time.monotonic,
        api_version: str = DEFAULT_API_VERSION,
        scopes: Iterable[str] = DEFAULT_SCOPES,
        faults: Iterable[Fault] = (),
        seed: int = 0,
        connect_session_ttl: float = CONNECT_SESSION_TTL,
    ) -> None:
        if access_token_ttl <= 0 or refresh_token_ttl <= 0:
            raise ValueError("token lifetimes must be positive")
        if connect_session_ttl <= 0:
            raise ValueError("connect_session_ttl must be positive")
        if not _is_date(api_version):
            raise ValueError(f"api_version must be a YYYY-MM-DD date, got {api_version!r}")
        self._state = State(
            name=name,
            secret=secret,
            clock=clock,
            access_ttl=access_token_ttl,
            refresh_ttl=refresh_token_ttl,
            api_version=api_version,
            scopes=tuple(scopes),
            connect_session_ttl=connect_session_ttl,
        )
        self._router = Router((*ROUTES, *UI_ROUTES), prefix=API_PREFIX)
        self._faults = FaultTable(
            seed=seed, routes=[route.key for route in self._router.routes], faults=faults
        )
        self._journal = Journal()

    @property
    def name(self) -> str:
        """The account name."""
        return self._state.name

    @property
    def secret(self) -> str:
        """The account secret."""
        return self._state.secret

    @property
    def api_version(self) -> str:
        """The account's API version."""
        return self._state.api_version

    @property
    def scopes(self) -> tuple[str, ...]:
        """The scopes the account holds."""
        return self._state.scopes

    @property
    def clock(self) -> Clock:
        """The clock token expiry reads."""
        return self._state.clock

    @property
    def base_url(self) -> str:
        """The base URL for in-process use with :meth:`transport`."""
        return _IN_PROCESS_ORIGIN + API_PREFIX

    @property
    def app(self) -> Sandbox:
        """The ASGI application: the sandbox itself."""
        return self

    @property
    def faults(self) -> FaultTable:
        """The live fault table; add and remove faults at any time."""
        return self._faults

    @property
    def journal(self) -> Journal:
        """Every request received, in arrival order."""
        return self._journal

    def revoke_access_tokens(self) -> None:
        """Revoke every live access token; refresh tokens keep working."""
        with self._state.lock:
            self._state.revoke_access_tokens()

    def transport(self) -> httpx.AsyncBaseTransport:
        """Return an httpx transport that serves this sandbox in-process (asyncio or trio)."""
        from ._transport import SandboxTransport

        return SandboxTransport(self)

    @contextmanager
    def serve_in_thread(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Serve on a real socket from a background thread; yield the base URL.

        Needs the ``sandbox`` extra (uvicorn). ``port=0`` picks a free port. The
        server stops, and its thread ends, when the block exits.

        Example::

            with sandbox.serve_in_thread() as base_url:
                ...  # base_url == "http://127.0.0.1:<port>/api/v1"
        """
        from ._server import serve_in_thread

        with serve_in_thread(self, host=host, port=port) as origin:
            yield origin + API_PREFIX

    def __repr__(self) -> str:
        return (
            f"Sandbox(name={self.name!r}, api_version={self.api_version!r}, "
            f"scopes={self.scopes!r}, faults={len(self._faults)})"
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _serve_lifespan(receive, send)
            return
        if scope["type"] != "http":
            raise RuntimeError(f"the sandbox only speaks HTTP, not {scope['type']!r}")

        body = await _read_body(receive)
        headers: dict[str, str] = {}
        for raw_name, raw_value in scope["headers"]:
            name = raw_name.decode("latin-1")
            if name not in headers:  # the first of repeated headers wins
                headers[name] = raw_value.decode("latin-1")
        request_id = headers.get("x-request-id") or str(uuid.uuid4())
        method = scope["method"]
        raw_path = scope.get("raw_path")
        # Route on the path as sent: decoding first would turn an encoded "/" inside
        # a user id into a segment boundary.
        path = raw_path.decode("latin-1") if raw_path else scope["path"]
        match = self._router.match(method, path)
        route = match.route
        route_key = route.key if route else None

        slot = self._journal._begin(
            JournalEntry(
                method=method,
                path=path,
                route=route_key,
                headers=_masked_headers(headers),
                body=mask_auth_body(body) if path in _AUTH_PATHS else body,
                status=None,
                request_id=request_id,
            )
        )
        api_version = self._state.api_version
        fault = self._faults._pick(route_key)
        response: Response | None = None
        if fault is not None and not fault.after:
            response = await self._fault_before(fault, headers, receive)
        if response is None:
            override = headers.get("api-version")
            if override is not None and not _is_date(override):
                response = error_response(400, "Bad Request. API-Version must be a YYYY-MM-DD date")
            elif route is None:
                response = _unrouted(match.allowed)
            else:
                if override is not None:
                    api_version = override
                response = self._handle(route, match.params, headers, body, scope)
            if fault is not None and fault.after:
                response = _fault_response(fault, response)

        if response is _GONE:
            self._journal._finish(slot, None)
            return
        if response is _DROP:
            self._journal._finish(slot, None)
            await drop_connection(receive)
            return
        self._journal._finish(slot, response.status)
        response.headers.append((b"x-request-id", request_id.encode("latin-1")))
        response.headers.append((b"api-version", api_version.encode("latin-1")))
        if response.status != 204:
            response.headers.append((b"content-length", str(len(response.body)).encode()))
        await send(
            {"type": "http.response.start", "status": response.status, "headers": response.headers}
        )
        await send({"type": "http.response.body", "body": response.body})

    async def _fault_before(
        self, fault: Fault, headers: dict[str, str], receive: Receive
    ) -> Response | None:
        if fault.kind == "latency":
            # With the body read, receive() only returns once the client has gone: a
            # client that gave up leaves no task behind to slow the server's shutdown.
            with anyio.move_on_after(fault.seconds):
                await receive()
                return _GONE
            return None
        if fault.kind == "revoke_token":
            token = headers.get("authorization")
            if token is not None:
                with self._state.lock:
                    self._state.revoke_access_token(token)
            return None
        return _fault_response(fault, None)

    def _handle(
        self,
        route: Route,
        params: dict[str, str],
        headers: dict[str, str],
        body: bytes,
        scope: Scope,
    ) -> Response:
        state = self._state
        request = Request(
            headers=headers,
            body=body,
            params=params,
            origin=_origin(scope, headers),
            query=scope.get("query_string", b"").decode("latin-1"),
        )
        try:
            with state.lock:
                if route.auth and not state.access_token_valid(headers.get("authorization", "")):
                    raise HTTPError(401, "Unauthorized. Invalid or expired access token")
                if route.scope is not None and route.scope not in state.scopes:
                    raise HTTPError(403, _FORBIDDEN)
                user_id = params.get("userID")
                if user_id is not None:
                    request.user = state.users.get(user_id)
                    if request.user is None:
                        raise HTTPError(404, "Not Found. No user with this id")
                    if route.scope is not None and route.scope not in request.user.scopes:
                        raise HTTPError(403, _FORBIDDEN)
                return route.handler(state, request)
        except HTTPError as exc:
            return error_response(exc.status, exc.message, exc.headers)


def _fault_response(fault: Fault, real: Response | None) -> Response:
    if fault.kind == "disconnect":
        return _DROP
    if fault.kind == "status":
        assert fault.status is not None  # guaranteed by Fault's checks
        headers = []
        if fault.retry_after is not None:
            retry_after = fault.retry_after
            text = str(int(retry_after)) if float(retry_after).is_integer() else str(retry_after)
            headers.append((b"retry-after", text.encode()))
        return error_response(fault.status, _FAULT_MESSAGES[fault.status], headers)
    # A garbled body keeps the real status: a 401 or 404 whose body is mangled on the
    # way must not reach the client as a 200 that claims the work was done.
    # (A 204 cannot carry a body, so it becomes the 200 it stands for.)
    status = real.status if real is not None and real.status != 204 else 200
    if fault.kind == "malformed_json":
        return Response(status, _MALFORMED_BODY, [(b"content-type", b"application/json")])
    # truncated_json: half of the real body when there is one, else of a stand-in.
    whole = real.body if real is not None and real.body else _TRUNCATION_FILLER
    return Response(status, whole[: len(whole) // 2], [(b"content-type", b"application/json")])


_FAULT_MESSAGES = {
    429: "Too Many Requests. Rate limit exceeded",
    500: "Internal Server Error. Something went wrong",
    502: "Bad Gateway. An upstream service failed",
    503: "Service Unavailable. Try again later",
    504: "Gateway Timeout. An upstream service did not answer in time",
}


def _unrouted(allowed: tuple[str, ...]) -> Response:
    if not allowed:
        return error_response(404, "Not Found. No such resource")
    return error_response(
        405, "Method Not Allowed", [(b"allow", ", ".join(allowed).encode("latin-1"))]
    )


async def _read_body(receive: Receive) -> bytes:
    message = await receive()
    body: bytes = message.get("body", b"")
    if not message.get("more_body", False):
        return body
    chunks = [body]
    while message.get("more_body", False):
        message = await receive()
        chunks.append(message.get("body", b""))
    return b"".join(chunks)


def _masked_headers(headers: dict[str, str]) -> dict[str, str]:
    if "authorization" not in headers:
        return headers
    return {**headers, "authorization": MASK}


def _origin(scope: Scope, headers: dict[str, str]) -> str:
    scheme = scope.get("scheme", "http")
    host = headers.get("host")
    if not host:
        server = scope.get("server")
        if not server:
            return _IN_PROCESS_ORIGIN
        host = f"{server[0]}:{server[1]}"
    return f"{scheme}://{host}"


async def _serve_lifespan(receive: Receive, send: Send) -> None:
    # Nothing to start or stop; answering keeps servers from warning about it.
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
