"""The request and response values the sandbox's handlers see, and its error bodies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .._json import dumps, loads

__all__ = [
    "ERROR_TYPES",
    "ASGIApp",
    "HTTPError",
    "Headers",
    "Message",
    "Receive",
    "Request",
    "Response",
    "Scope",
    "Send",
    "error_response",
    "json_response",
]

Headers = list[tuple[bytes, bytes]]
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ERROR_TYPES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    429: "too_many_requests",
    500: "internal_server_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}

_JSON = (b"content-type", b"application/json")


class HTTPError(Exception):
    """Raised by a handler to answer with a finoOS error body instead of a result."""

    def __init__(self, status: int, message: str, headers: Headers | None = None) -> None:
        super().__init__(status, message)
        self.status = status
        self.message = message
        self.headers = headers or []


class Response:
    """A complete response: status, headers (without the per-request ones) and body."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, body: bytes = b"", headers: Headers | None = None):
        self.status = status
        self.body = body
        self.headers = headers if headers is not None else []


def json_response(status: int, payload: Any) -> Response:
    """Build a JSON response; Decimals are written with their exact digits."""
    return Response(status, dumps(payload), [_JSON])


def error_response(status: int, message: str, headers: Headers | None = None) -> Response:
    """Build the documented ``{"type", "message"}`` error body for ``status``."""
    response = json_response(status, {"type": ERROR_TYPES[status], "message": message})
    if headers:
        response.headers.extend(headers)
    return response


class Request:
    """What a handler needs to know about one request.

    ``headers`` has lower-cased names; ``origin`` is ``scheme://host`` as the client
    addressed the server, so links the sandbox hands out work on any port; ``query``
    is the raw query string, still percent-encoded.
    """

    __slots__ = ("body", "headers", "origin", "params", "query", "user")

    def __init__(
        self,
        *,
        headers: dict[str, str],
        body: bytes,
        params: dict[str, str],
        origin: str,
        query: str = "",
    ) -> None:
        self.headers = headers
        self.body = body
        self.params = params
        self.origin = origin
        self.query = query
        # Set by the pipeline on per-user routes once the user is known to exist.
        self.user: Any = None

    def json_object(self) -> dict[str, Any]:
        """Parse the body as a JSON object, or raise a 400 ``HTTPError``."""
        try:
            payload = loads(self.body)
        except (ValueError, RecursionError):
            raise HTTPError(400, "Bad Request. The body is not valid JSON") from None
        if not isinstance(payload, dict):
            raise HTTPError(400, "Bad Request. The body must be a JSON object")
        return payload
