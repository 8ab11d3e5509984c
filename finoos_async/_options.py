"""Per-call options, accepted as keyword arguments by every method."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

import httpx

__all__ = ["BankingCallOptions", "CallOptions", "TimeoutTypes"]

TimeoutTypes = float | httpx.Timeout | None


class CallOptions(TypedDict, total=False):
    """Keyword-only options every method takes; each overrides the client's setting.

    Attributes:
        request_id: The ``X-Request-ID`` to send (the same on every retry of the call).
        api_version: An ``API-Version`` to pin for this call.
        timeout: Per-attempt timeout in seconds (or an ``httpx.Timeout``; ``None`` for none).
        deadline: Seconds the whole call may take: token wait, attempts and back-off.
        max_retries: Retries allowed for this call.
        extra_headers: More headers to send (values with CR/LF are refused).
    """

    request_id: str
    api_version: str
    timeout: TimeoutTypes
    deadline: float | None
    max_retries: int
    extra_headers: Mapping[str, str]


class BankingCallOptions(CallOptions, total=False):
    """``CallOptions`` plus the end user's IP, sent as ``User-IP`` (PSD2).

    Attributes:
        user_ip: The end user's IPv4 or IPv6 address.
    """

    user_ip: str


CALL_OPTION_NAMES = frozenset(CallOptions.__annotations__)
BANKING_OPTION_NAMES = frozenset(BankingCallOptions.__annotations__) | CALL_OPTION_NAMES
