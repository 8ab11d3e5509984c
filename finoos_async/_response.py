"""The raw response of a call, for when the headers matter as much as the body."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import httpx

__all__ = ["RawResponse"]

T = TypeVar("T")


class RawResponse(Generic[T]):
    """A call's HTTP response, with the typed result one ``parse()`` away.

    Returned by ``fino.with_raw_response.<area>.<method>(...)``::

        raw = await fino.with_raw_response.banking.get_logins(user_id)
        print(raw.status_code, raw.request_id, raw.api_version, raw.attempts)
        logins = raw.parse()

    Attributes:
        http_response: The ``httpx.Response`` of the final attempt (body read).
        attempts: How many HTTP attempts the call made.
    """

    __slots__ = ("_parse", "attempts", "http_response")

    def __init__(
        self, http_response: httpx.Response, *, attempts: int, parse: Callable[[], T]
    ) -> None:
        self.http_response = http_response
        self.attempts = attempts
        self._parse = parse

    def __repr__(self) -> str:
        return (
            f"<RawResponse [{self.status_code}] request_id={self.request_id!r} "
            f"attempts={self.attempts}>"
        )

    @property
    def status_code(self) -> int:
        """The HTTP status code."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers."""
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The ``X-Request-ID`` the server answered with."""
        value: str | None = self.http_response.headers.get("X-Request-ID")
        return value

    @property
    def api_version(self) -> str | None:
        """The ``API-Version`` the server answered with."""
        value: str | None = self.http_response.headers.get("API-Version")
        return value

    def parse(self) -> T:
        """Decode the body into the method's usual result.

        Raises:
            DecodeError: The body is not JSON or not the expected shape.
        """
        return self._parse()
