"""Every error the SDK raises, in one tree.

```
FinoError
├── ClientClosedError          the client is not open (never entered, or closed)
├── InvalidInputError          bad input, refused before anything was sent (also ValueError)
├── DecodeError                a body that is not JSON, or not the expected shape
├── APIConnectionError         no usable HTTP response (request_sent says if it may have arrived)
│   └── APITimeoutError        an attempt timed out, or the call's deadline ran out
└── APIStatusError             the server answered with a non-2xx status
    ├── BadRequestError        400
    ├── AuthenticationError    401
    ├── PermissionDeniedError  403
    ├── NotFoundError          404
    ├── ConflictError          409
    ├── RateLimitError         429 (retry_after)
    └── InternalServerError    5xx
```

Foreign exceptions (httpx, cattrs, json) are translated into this tree at one
boundary each, always chained with ``raise ... from exc``.
"""

from __future__ import annotations

import httpx

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConflictError",
    "DecodeError",
    "FinoError",
    "InternalServerError",
    "InvalidInputError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "status_error_class",
]


class FinoError(Exception):
    """Base class of every error raised by ``finoos_async``.

    Attributes:
        message: A human-readable description.
        request_id: The ``X-Request-ID`` of the call, when a request was prepared.
        attempts: How many HTTP attempts the call made before failing (0 when none).
    """

    message: str
    request_id: str | None
    attempts: int

    def __init__(self, message: str, *, request_id: str | None = None, attempts: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.request_id = request_id
        self.attempts = attempts

    def __str__(self) -> str:
        if self.request_id:
            return f"{self.message} (request id {self.request_id})"
        return self.message


class ClientClosedError(FinoError):
    """The client was used outside its ``async with`` block, or entered twice."""


class InvalidInputError(FinoError, ValueError):
    """An argument was refused before anything was sent to the server."""


class DecodeError(FinoError):
    """The response body was not JSON, or not the shape the SDK expected.

    Attributes:
        status_code: The HTTP status of the response.
        snippet: The start of the body (at most 200 characters), for diagnosis.
    """

    status_code: int | None
    snippet: str

    def __init__(
        self,
        message: str,
        *,
        request_id: str | None = None,
        attempts: int = 0,
        status_code: int | None = None,
        snippet: str = "",
    ) -> None:
        super().__init__(message, request_id=request_id, attempts=attempts)
        self.status_code = status_code
        self.snippet = snippet


class APIConnectionError(FinoError):
    """No usable response arrived: the connection failed, broke or timed out.

    Attributes:
        request_sent: ``True`` when the request may have reached the server, so
            the outcome of a non-repeatable call (Create User, Connect) is
            unknown and must be checked before trying again. ``False`` when the
            failure proves it never arrived (a refused connection).
    """

    request_sent: bool

    def __init__(
        self,
        message: str,
        *,
        request_id: str | None = None,
        attempts: int = 0,
        request_sent: bool = False,
    ) -> None:
        super().__init__(message, request_id=request_id, attempts=attempts)
        self.request_sent = request_sent


class APITimeoutError(APIConnectionError):
    """An attempt timed out, or the whole call ran past its ``deadline``."""


class APIStatusError(FinoError):
    """The server answered with a non-2xx status.

    Attributes:
        status_code: The HTTP status code.
        type: The ``type`` field of the error body (e.g. ``"forbidden"``), if any.
        response: The ``httpx.Response`` (its body already read).
    """

    status_code: int
    type: str | None
    response: httpx.Response

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        type: str | None = None,
        request_id: str | None = None,
        attempts: int = 0,
    ) -> None:
        super().__init__(message, request_id=request_id, attempts=attempts)
        self.response = response
        self.status_code = response.status_code
        self.type = type

    def __str__(self) -> str:
        kind = f" {self.type}" if self.type else ""
        return f"{self.status_code}{kind}: {super().__str__()}"


class BadRequestError(APIStatusError):
    """400: the server found the request invalid."""


class AuthenticationError(APIStatusError):
    """401: wrong credentials, or a token the server no longer accepts."""


class PermissionDeniedError(APIStatusError):
    """403: the account or the user lacks the scope for this route."""


class NotFoundError(APIStatusError):
    """404: the resource (for example the user) does not exist."""


class ConflictError(APIStatusError):
    """409: the request conflicts with an earlier one."""


class RateLimitError(APIStatusError):
    """429: too many requests.

    Attributes:
        retry_after: Seconds the server asked us to wait (``Retry-After``), if given.
    """

    retry_after: float | None

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        type: str | None = None,
        request_id: str | None = None,
        attempts: int = 0,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(
            message, response=response, type=type, request_id=request_id, attempts=attempts
        )
        self.retry_after = retry_after


class InternalServerError(APIStatusError):
    """5xx: the server failed."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """Return the ``APIStatusError`` subclass for an HTTP status code."""
    if status_code >= 500:
        return InternalServerError
    return _BY_STATUS.get(status_code, APIStatusError)
