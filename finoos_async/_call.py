"""How a resource describes one operation to the client, and what comes back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import httpx

__all__ = ["Call", "Outcome"]


@attrs.frozen
class Call:
    """One logical operation.

    Attributes:
        method: HTTP method.
        path: Route below ``base_url``, ids already percent-encoded.
        json: Body to send as JSON, when ``has_body``.
        has_body: Whether there is a body (``json`` may legitimately be ``None``).
        params: Query parameters.
        repeatable: Whether sending it twice is harmless (decides what is retried).
        authenticated: Whether it carries the access token (everything but ``/auth*``).
        banking: Whether ``user_ip`` applies (banking routes).
        requires_user_ip: Whether the call is refused without a ``user_ip``.
    """

    method: str
    path: str
    json: Any = None
    has_body: bool = False
    params: Mapping[str, str] | None = None
    repeatable: bool = True
    authenticated: bool = True
    banking: bool = False
    requires_user_ip: bool = False


@attrs.frozen
class Outcome:
    """A successful call's final response, its request id and how many attempts it took."""

    response: httpx.Response
    attempts: int
    request_id: str
