"""``AsyncFino``: owns the HTTP client, the background token renewal and the pipeline.

One call is: resolve its options once (request id, API version, User-IP,
timeout, deadline), then attempt it until it succeeds or the retry policy says
stop. Each attempt gets a valid token, builds the request and runs it through
the middleware chain to the transport. All of it runs inside the call's
deadline, so nothing outlives it.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import logging
import os
import random
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

import anyio
import anyio.abc
import attrs
import httpx

from . import _json
from ._auth import TokenManager
from ._bulk import note_rate_limited
from ._call import Call, Outcome
from ._context import current_context
from ._decoder import Decoder, ShapeError, decode_error
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ClientClosedError,
    DecodeError,
    FinoError,
    InvalidInputError,
    RateLimitError,
    status_error_class,
)
from ._middleware import (
    CALL_EXTENSION,
    ApiVersionMiddleware,
    CallHeaders,
    Middleware,
    compose,
    request_id_middleware,
    user_ip_middleware,
)
from ._models.auth import TokenPair
from ._options import BANKING_OPTION_NAMES, CALL_OPTION_NAMES, CallOptions, TimeoutTypes
from ._resources.banking import Banking
from ._resources.raw import WithRawResponse
from ._resources.settings import SettingsResource
from ._resources.users import Users
from ._retry import RetryPolicy, classify, parse_retry_after, request_may_have_arrived
from ._transport import fast_transport, own_http_client
from ._validation import check_header_value, check_ip, is_loopback_host

if TYPE_CHECKING:
    from ._resources.companies import Companies
    from ._resources.documents import Documents

__all__ = ["PRODUCTION_BASE_URL", "TEST_BASE_URL", "AsyncFino"]

logger = logging.getLogger("finoos_async")

T = TypeVar("T")

#: The production API.
PRODUCTION_BASE_URL = "https://os.fino.cloud/api/v1"
#: The vendor's test environment.
TEST_BASE_URL = "https://os.test.fino.cloud/api/v1"

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_REFRESH_MARGIN = 30.0


class _State(enum.Enum):
    UNOPENED = 1
    OPENED = 2
    CLOSED = 3


@attrs.frozen
class _Resolved:
    headers: CallHeaders
    extra_headers: Mapping[str, str]
    timeout: TimeoutTypes
    deadline: float | None
    max_retries: int


@attrs.define
class _Progress:
    attempts: int = 0
    maybe_sent: bool = False


class AsyncFino:
    """The finoOS v1 client. Use it as an async context manager::

        async with AsyncFino(name="…", secret="…") as fino:
            user = await fino.users.create(type="person")
            logins = await fino.banking.get_logins(user.id)

    Entering it starts the background token renewal; leaving it stops the task
    and closes the HTTP client it created. A client is entered once: using it
    before, or after, raises ``ClientClosedError``.

    Args:
        name: Your finoOS name; defaults to ``$FINOOS_NAME``.
        secret: Your finoOS secret; defaults to ``$FINOOS_SECRET``. Never logged or shown.
        base_url: ``PRODUCTION_BASE_URL``, ``TEST_BASE_URL``, a sandbox URL, or
            ``$FINOOS_BASE_URL``; production when none is given. Must be https
            unless the host is a loopback one.
        api_version: Pin the ``API-Version`` header (``YYYY-MM-DD``) on every call.
        timeout: Per-attempt timeout in seconds, or an ``httpx.Timeout``.
        deadline: Default bound in seconds on a whole call (retries and waits included).
        max_retries: Retries after the first attempt, where retrying is safe.
        max_retry_after: Longest ``Retry-After`` waited out; longer ones raise.
        backoff_initial: Upper bound in seconds of the first back-off (full jitter,
            doubling per retry).
        backoff_max: Cap in seconds on any back-off.
        middleware: Callables ``async (request, call_next) -> response``, outermost first.
        http_client: Your own ``httpx.AsyncClient``; you open and close it.
        transport: An httpx transport for the client we create (for example the
            sandbox's in-process ``Sandbox.transport()``).
        fast: Run on the ``httpx-aiohttp`` transport (the ``fast`` extra), several
            times the requests per second of httpx's own (see
            ``benchmarks/results/bulk.md``). ``None`` (default): when installed and
            entered on asyncio; ``True``: insist (error on trio or when missing);
            ``False``: never. Ignored with ``http_client``/``transport``.
        refresh_margin: Seconds before access-token expiry to renew it in the background.
        strict: Raise ``DecodeError`` on unknown fields or enum values instead of keeping them.
        clock: A monotonic clock in seconds for token expiry; for tests.

    Raises:
        InvalidInputError: Missing credentials or a bad option.
    """

    def __init__(
        self,
        *,
        name: str | None = None,
        secret: str | None = None,
        base_url: str | None = None,
        api_version: str | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        deadline: float | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_retry_after: float = 60.0,
        backoff_initial: float = 0.5,
        backoff_max: float = 8.0,
        middleware: Sequence[Middleware] = (),
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        fast: bool | None = None,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        strict: bool = False,
        clock: Callable[[], float] | None = None,
    ) -> None:
        name = name if name is not None else os.environ.get("FINOOS_NAME")
        secret = secret if secret is not None else os.environ.get("FINOOS_SECRET")
        if not name or not secret:
            raise InvalidInputError(
                "finoOS credentials are missing: pass name= and secret= "
                "or set FINOOS_NAME and FINOOS_SECRET"
            )
        if http_client is not None and transport is not None:
            raise InvalidInputError("pass either http_client or transport, not both")
        if fast and (http_client is not None or transport is not None):
            raise InvalidInputError("fast=True chooses the transport: drop http_client/transport")
        if api_version is not None:
            check_header_value("api_version", api_version)
        _check_retries(max_retries)
        _check_non_negative("max_retry_after", max_retry_after)
        _check_non_negative("backoff_initial", backoff_initial)
        _check_non_negative("backoff_max", backoff_max)
        _check_non_negative("refresh_margin", refresh_margin)
        if deadline is not None:
            _check_positive("deadline", deadline)

        self._name = name
        self._secret = secret
        self.base_url = _check_base_url(
            base_url or os.environ.get("FINOOS_BASE_URL") or PRODUCTION_BASE_URL
        )
        self.api_version = api_version
        self._timeout = timeout
        self._deadline = deadline
        self._retry = RetryPolicy(
            max_retries=max_retries,
            max_retry_after=max_retry_after,
            backoff_initial=backoff_initial,
            backoff_max=backoff_max,
        )
        self._refresh_margin = refresh_margin
        self._clock = clock or time.monotonic
        self._decoder = Decoder(strict=strict)
        self._owns_http = http_client is None
        self._transport = transport
        self._fast = fast
        # Our own client is made on entering, when we know whether we run on asyncio.
        self._http: httpx.AsyncClient | None = http_client
        self._api_version_mw = ApiVersionMiddleware()
        self._handler = compose(
            [request_id_middleware, self._api_version_mw, user_ip_middleware, *middleware],
            self._send,
        )
        self._state = _State.UNOPENED
        self._lifespan: contextlib.AbstractAsyncContextManager[AsyncFino] | None = None
        self._tokens: TokenManager | None = None
        self._task_group: anyio.abc.TaskGroup | None = None
        self._in_flight: set[anyio.CancelScope] = set()

        self.users = Users(self)
        """Create, get and delete users, and grant them scopes."""
        self.banking = Banking(self)
        """Connect bank logins and read or replace them."""
        self.settings = SettingsResource(self)
        """The account's settings."""
        self.with_raw_response = WithRawResponse(self)
        """The same methods, returning a ``RawResponse`` with status, headers and attempts."""

    def __repr__(self) -> str:
        state = self._state.name.lower()
        return f"<AsyncFino base_url={self.base_url!r} name={self._name!r} secret=*** {state}>"

    @functools.cached_property
    def companies(self) -> Companies:
        """Search companies and their logos, many queries at once (provisional)."""
        from ._resources.companies import Companies  # loaded on first use, like its models

        return Companies(self)

    @functools.cached_property
    def documents(self) -> Documents:
        """Send PDFs by fax or letter and follow their shipments (provisional)."""
        from ._resources.documents import Documents  # loaded on first use, like its models

        return Documents(self)

    @property
    def server_api_version(self) -> str | None:
        """The ``API-Version`` the server last answered with (``None`` before any call)."""
        return self._api_version_mw.server_version

    # -- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> AsyncFino:
        if self._state is _State.OPENED:
            raise ClientClosedError("AsyncFino is already open; it cannot be entered twice")
        if self._state is _State.CLOSED:
            raise ClientClosedError("AsyncFino is closed; create a new client to reconnect")
        lifespan = self._run()
        client = await lifespan.__aenter__()
        self._lifespan = lifespan
        return client

    async def __aexit__(self, *exc_info: Any) -> bool | None:
        lifespan, self._lifespan = self._lifespan, None
        assert lifespan is not None, "__aexit__ without __aenter__"
        return await lifespan.__aexit__(*exc_info)

    @contextlib.asynccontextmanager
    async def _run(self) -> AsyncIterator[AsyncFino]:
        if self._owns_http:
            transport = self._transport or fast_transport(self._fast)
            self._http = own_http_client(transport, self._timeout)
            logger.debug("HTTP transport: %s", type(transport).__name__ if transport else "httpx")
        self._state = _State.OPENED
        self._tokens = TokenManager(
            authenticate=self._authenticate,
            refresh=self._refresh,
            clock=self._clock,
            refresh_margin=self._refresh_margin,
        )
        raised: BaseException | None = None
        try:
            async with anyio.create_task_group() as task_group:
                await task_group.start(self._tokens.run_renewal)
                self._task_group = task_group
                try:
                    yield self
                except anyio.get_cancelled_exc_class():
                    raise
                except BaseException as exc:
                    # Re-raised below, outside the task group, so the caller's own error
                    # reaches them as itself rather than wrapped in an ExceptionGroup.
                    raised = exc
                finally:
                    task_group.cancel_scope.cancel()
            if raised is not None:
                raise raised
        finally:
            self._state = _State.CLOSED
            self._task_group = None
            for in_flight in list(self._in_flight):
                in_flight.cancel()
            if self._owns_http and self._http is not None:
                with anyio.CancelScope(shield=True):
                    await self._http.aclose()

    async def _send(self, request: httpx.Request) -> httpx.Response:
        assert self._http is not None  # checked by _execute before any request
        return await self._http.send(request)

    def _background(self) -> anyio.abc.TaskGroup:
        """The client's task group, for work that outlives one call (bulk fetching)."""
        self._check_open()
        assert self._task_group is not None
        return self._task_group

    def _check_open(self) -> TokenManager:
        if self._state is _State.UNOPENED:
            raise ClientClosedError(
                "AsyncFino is not open; use it as `async with AsyncFino(...) as fino:`"
            )
        if self._state is _State.CLOSED or self._tokens is None:
            raise ClientClosedError("AsyncFino is closed; create a new client to reconnect")
        return self._tokens

    # -- escape hatch ------------------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str] | None = None,
        repeatable: bool | None = None,
        user_ip: str | None = None,
        **options: Any,
    ) -> httpx.Response:
        """Call any finoOS route through the same pipeline as the typed methods.

        Authentication, middleware, retries, deadlines and errors behave exactly
        as for typed methods. ``path`` is relative to ``base_url`` and is sent
        as given: percent-encode ids yourself.

        Args:
            method: The HTTP method.
            path: The route, for example ``"/users/abc/banking/logins"``.
            json: A body to send as JSON (``Decimal`` stays exact).
            params: Query parameters.
            repeatable: Whether repeating the call is harmless; by default GET,
                HEAD, OPTIONS, PUT and DELETE are, POST and PATCH are not.
            user_ip: The end user's IP, sent as ``User-IP``.
            **options: ``CallOptions``.

        Returns:
            The successful ``httpx.Response`` (body read).
        """
        method = method.upper()
        if not path.startswith("/"):
            raise InvalidInputError(f"path must start with '/', got {path!r}")
        check_header_value("path", path)
        if repeatable is None:
            repeatable = method in {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}
        if user_ip is not None:
            options["user_ip"] = user_ip
        call = Call(
            method=method,
            path=path,
            json=json,
            has_body=json is not None,
            params=params,
            repeatable=repeatable,
            banking=user_ip is not None,
        )
        outcome = await self._execute(call, cast(CallOptions, options))
        return outcome.response

    # -- the pipeline -------------------------------------------------------------------------

    async def _execute(self, call: Call, options: Mapping[str, Any]) -> Outcome:
        """Run one logical call: every attempt, inside its deadline."""
        tokens = self._check_open()
        resolved = self._resolve(call, options)
        progress = _Progress()
        # Leaving ``async with`` cancels this scope, so no call outlives the client.
        with anyio.CancelScope() as closing:
            self._in_flight.add(closing)
            try:
                if resolved.deadline is None:
                    return await self._attempt_until_done(call, resolved, tokens, progress)
                with anyio.move_on_after(resolved.deadline):
                    return await self._attempt_until_done(call, resolved, tokens, progress)
                raise APITimeoutError(
                    f"{call.method} {call.path} did not complete within its deadline of "
                    f"{resolved.deadline:g}s",
                    request_id=resolved.headers.request_id,
                    attempts=progress.attempts,
                    request_sent=progress.maybe_sent,
                )
            finally:
                self._in_flight.discard(closing)
        raise ClientClosedError(
            f"{call.method} {call.path} was cancelled: the client closed while it was in flight",
            request_id=resolved.headers.request_id,
            attempts=progress.attempts,
        )

    def _resolve(self, call: Call, options: Mapping[str, Any]) -> _Resolved:
        allowed = BANKING_OPTION_NAMES if call.banking else CALL_OPTION_NAMES
        unknown = set(options) - allowed
        if unknown:
            raise TypeError(f"unexpected call option(s): {', '.join(sorted(unknown))}")
        context = current_context()

        request_id = options.get("request_id") or context.request_id
        if request_id is None:
            request_id = f"{context.request_id_prefix or ''}{_uuid4()}"
        check_header_value("request_id", request_id)
        api_version = options.get("api_version") or context.api_version or self.api_version
        if api_version is not None:
            check_header_value("api_version", api_version)
        user_ip = None
        if call.banking:
            user_ip = options.get("user_ip") or context.user_ip
            if user_ip is not None:
                check_ip(user_ip)
            elif call.requires_user_ip:
                raise InvalidInputError(
                    f"{call.method} {call.path} needs the end user's IP: pass user_ip= "
                    "or set it with finoos_async.request_context(user_ip=...)"
                )

        extra_headers = dict(options.get("extra_headers") or {})
        for header, value in extra_headers.items():
            check_header_value("extra_headers name", header)
            check_header_value(f"extra_headers[{header!r}]", value)

        max_retries = options.get("max_retries", self._retry.max_retries)
        _check_retries(max_retries)
        deadline = options.get("deadline", self._deadline)
        if deadline is not None:
            _check_positive("deadline", deadline)
        return _Resolved(
            headers=CallHeaders(request_id=request_id, api_version=api_version, user_ip=user_ip),
            extra_headers=extra_headers,
            timeout=options.get("timeout", self._timeout),
            deadline=deadline,
            max_retries=max_retries,
        )

    def _build(self, call: Call, resolved: _Resolved, token: str | None) -> httpx.Request:
        headers = dict(resolved.extra_headers)
        content = None
        if call.has_body:
            headers["Content-Type"] = "application/json"
            content = _json.dumps(call.json)
        if token is not None:
            headers["Authorization"] = token
        assert self._http is not None
        return self._http.build_request(
            call.method,
            self.base_url + call.path,
            content=content,
            params=call.params,
            headers=headers,
            timeout=resolved.timeout,
            extensions={CALL_EXTENSION: resolved.headers},
        )

    async def _attempt_until_done(
        self, call: Call, resolved: _Resolved, tokens: TokenManager, progress: _Progress
    ) -> Outcome:
        retries = 0
        replayed_after_401 = False
        request_id = resolved.headers.request_id
        while True:
            token = await tokens.access_token() if call.authenticated else None
            request = self._build(call, resolved, token)
            progress.attempts += 1
            started = time.perf_counter()
            sent_before = progress.maybe_sent
            # Cancelled mid-attempt (the deadline), we cannot know how far it got.
            progress.maybe_sent = True
            try:
                response = await self._handler(request)
            except httpx.TransportError as exc:
                progress.maybe_sent = sent_before or request_may_have_arrived(exc)
                self._log_attempt(call, type(exc).__name__, started, request_id, progress)
                lost = _connection_error(call, exc, request_id, progress)
                if retries < resolved.max_retries and self._retry.retries_error(
                    exc, repeatable=call.repeatable
                ):
                    retries += 1
                    await self._back_off(retries, None, lost)
                    continue
                raise lost from exc

            self._log_attempt(call, response.status_code, started, request_id, progress)
            if response.is_success:
                return Outcome(response=response, attempts=progress.attempts, request_id=request_id)
            if response.status_code == 401 and token is not None and not replayed_after_401:
                # A revoked token: renew it once (shared with every call that saw it) and replay.
                replayed_after_401 = True
                await tokens.reauthenticate(token)
                continue
            if response.status_code == 429:
                note_rate_limited()
            error = _status_error(response, request_id, progress.attempts)
            if retries < resolved.max_retries and self._retry.retries_status(
                response.status_code, repeatable=call.repeatable
            ):
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                if retry_after is not None and retry_after > self._retry.max_retry_after:
                    raise error
                retries += 1
                await self._back_off(retries, retry_after, error)
                continue
            raise error

    async def _back_off(
        self, retry_number: int, retry_after: float | None, error: FinoError
    ) -> None:
        wait = self._retry.wait(retry_number, retry_after)
        remaining = anyio.current_effective_deadline() - anyio.current_time()
        if wait >= remaining:
            # The deadline would end the wait anyway: the last error says more than a timeout.
            raise error
        logger.debug("retrying in %.2fs (request id %s)", wait, error.request_id)
        await anyio.sleep(wait)

    def _log_attempt(
        self, call: Call, outcome: int | str, started: float, request_id: str, progress: _Progress
    ) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %s in %.1fms (request id %s, attempt %d)",
                call.method,
                call.path,
                outcome,
                (time.perf_counter() - started) * 1000,
                request_id,
                progress.attempts,
            )

    # -- decoding -----------------------------------------------------------------------------

    def _decode(self, outcome: Outcome, cls: Any, *, key: str | None = None) -> Any:
        """Decode a successful response body into ``cls`` (under ``key`` if given)."""
        data = _parse_json(outcome)
        path = "$"
        if key is not None:
            if not isinstance(data, dict) or key not in data:
                raise decode_error(f"response has no {key!r} field", outcome)
            data = data[key]
            path = f"$.{key}"
        try:
            return self._decoder.structure(data, cls, path=path)
        except ShapeError as exc:
            raise decode_error(f"unexpected response shape: {exc}", outcome) from exc

    def _encode(self, value: Any) -> Any:
        """Turn models into JSON-ready data (``Decimal`` stays exact, unknown fields kept)."""
        return self._decoder.unstructure(value)

    # -- authentication -----------------------------------------------------------------------

    def _decode_tokens(self, outcome: Outcome) -> TokenPair:
        try:
            return cast(TokenPair, self._decode(outcome, TokenPair))
        except DecodeError as exc:
            # The body of a token response holds tokens, even when it is malformed.
            exc.snippet = "<withheld: authentication response>"
            raise

    async def _authenticate(self) -> TokenPair:
        call = Call(
            "POST",
            "/auth",
            json={"name": self._name, "secret": self._secret},
            has_body=True,
            authenticated=False,
        )
        return self._decode_tokens(await self._execute(call, {}))

    async def _refresh(self, refresh_token: str) -> TokenPair:
        call = Call(
            "POST",
            "/auth/refresh",
            json={"name": self._name, "secret": self._secret, "refreshToken": refresh_token},
            has_body=True,
            authenticated=False,
        )
        return self._decode_tokens(await self._execute(call, {}))


_UUID4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)


def _uuid4() -> str:
    """A random (version 4) UUID string for X-Request-ID.

    Request ids need uniqueness, not secrecy: ``random`` (reseeded in forked
    children) does it in a fifth of ``uuid.uuid4()``'s time, which shows per call.
    """
    hexits = f"{random.getrandbits(128) & _UUID4_CLEAR | _UUID4_SET:032x}"
    return f"{hexits[:8]}-{hexits[8:12]}-{hexits[12:16]}-{hexits[16:20]}-{hexits[20:]}"


def _parse_json(outcome: Outcome) -> Any:
    try:
        return _json.loads(outcome.response.content)
    except ValueError as exc:
        raise decode_error("response body is not valid JSON", outcome) from exc


def _status_error(response: httpx.Response, request_id: str, attempts: int) -> APIStatusError:
    kind: str | None = None
    message: str | None = None
    with contextlib.suppress(ValueError):
        body = _json.loads(response.content)
        if isinstance(body, dict):
            kind = body.get("type") if isinstance(body.get("type"), str) else None
            message = body.get("message") if isinstance(body.get("message"), str) else None
    if not message:
        message = response.reason_phrase or f"HTTP {response.status_code}"
    status_class = status_error_class(response.status_code)
    request_id = response.headers.get("X-Request-ID", request_id)
    if status_class is RateLimitError:
        return RateLimitError(
            message,
            response=response,
            type=kind,
            request_id=request_id,
            attempts=attempts,
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
        )
    return status_class(
        message, response=response, type=kind, request_id=request_id, attempts=attempts
    )


def _connection_error(
    call: Call, exc: httpx.TransportError, request_id: str, progress: _Progress
) -> APIConnectionError:
    failure = classify(exc)
    what = "timed out" if failure.timed_out else "failed"
    message = f"{call.method} {call.path} {what}: {type(exc).__name__}"
    if failure.may_have_arrived and not call.repeatable:
        message += "; the request may have reached the server, so its outcome is unknown"
    cls = APITimeoutError if failure.timed_out else APIConnectionError
    return cls(
        message,
        request_id=request_id,
        attempts=progress.attempts,
        request_sent=failure.may_have_arrived,
    )


def _check_base_url(url: str) -> str:
    parsed = httpx.URL(url)
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InvalidInputError(f"base_url must be an absolute http(s) URL, got {url!r}")
    if parsed.scheme == "http" and not is_loopback_host(parsed.host):
        raise InvalidInputError(
            f"base_url must use https (plain http only for loopback hosts), got {url!r}"
        )
    return url.rstrip("/")


def _check_retries(value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInputError(f"max_retries must be an int >= 0, got {value!r}")


def _check_non_negative(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise InvalidInputError(f"{name} must be a number >= 0, got {value!r}")


def _check_positive(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise InvalidInputError(f"{name} must be a number > 0, got {value!r}")
