"""What may be repeated, and how long to wait before repeating it.

Two questions decide a retry. *Did the request possibly reach the server?* A
refused connection proves it did not, and a 429 says the server refused it
without acting, so both are retried for every operation. *Is the operation safe
to repeat?* GET, DELETE, authentication, refresh and Set Logins (it replaces)
are; then broken or timed-out responses and 500/502/503/504 are retried too.
Create User and Connect create something: once their request may have arrived
they are never sent again, and the error says the outcome is unknown.
"""

from __future__ import annotations

import random
import time

import attrs
import httpx

__all__ = [
    "RETRYABLE_STATUSES",
    "Failure",
    "RetryPolicy",
    "classify",
    "parse_retry_after",
    "request_may_have_arrived",
]

#: Statuses retried on operations that are safe to repeat (429 on every operation).
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})

# Failures before a single byte of the request could have left this process.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@attrs.frozen
class Failure:
    """What a transport failure tells us.

    Attributes:
        may_have_arrived: The server may have received the request.
        timed_out: The failure was a timeout (rather than a refusal or a break).
    """

    may_have_arrived: bool
    timed_out: bool


def classify(exc: httpx.TransportError) -> Failure:
    """Classify a transport failure by what it proves, whichever transport raised it.

    httpx's own transport raises precise classes. The httpx-aiohttp transport maps
    every ``aiohttp.ClientConnectionError`` to ``httpx.ConnectTimeout``, including
    a server that dropped the connection *after* receiving the request; read as
    httpx says, that would retry a Create User that may have succeeded. So when
    the cause is an aiohttp error, the cause decides.
    """
    cause = exc.__cause__
    if cause is not None and type(cause).__module__.partition(".")[0] == "aiohttp":
        return _classify_aiohttp(cause)
    return Failure(
        may_have_arrived=not isinstance(exc, _NEVER_SENT),
        timed_out=isinstance(exc, httpx.TimeoutException),
    )


def _classify_aiohttp(cause: BaseException) -> Failure:
    import aiohttp  # present: it raised ``cause``

    # Connecting failed or timed out: nothing was sent. Anything else (disconnects,
    # resets, read timeouts, broken payloads) may come after the request arrived.
    never_sent = isinstance(cause, (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError))
    return Failure(
        may_have_arrived=not never_sent,
        timed_out=isinstance(cause, aiohttp.ServerTimeoutError),
    )


def request_may_have_arrived(exc: httpx.TransportError) -> bool:
    """Whether the server may have received the request that failed with ``exc``."""
    return classify(exc).may_have_arrived


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How many times to retry and how long to wait in between.

    Attributes:
        max_retries: Retries after the first attempt (so ``2`` means up to 3 attempts).
        backoff_initial: Upper bound of the first wait, in seconds.
        backoff_max: Cap on any computed wait, in seconds.
        max_retry_after: A ``Retry-After`` longer than this is not waited out;
            the ``RateLimitError`` is raised instead, carrying ``retry_after``.
    """

    max_retries: int = 2
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    max_retry_after: float = 60.0

    def retries_status(self, status_code: int, *, repeatable: bool) -> bool:
        """Whether a response with this status is worth another attempt."""
        if status_code == 429:
            return True
        return repeatable and status_code in RETRYABLE_STATUSES

    def retries_error(self, exc: httpx.TransportError, *, repeatable: bool) -> bool:
        """Whether a transport failure is worth another attempt."""
        if isinstance(exc, (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.ProxyError)):
            return False  # our own configuration or request is wrong; repeating cannot help
        return repeatable or not request_may_have_arrived(exc)

    def wait(self, retry_number: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry_number`` (1-based).

        Full jitter (a uniform draw below a capped exponential) spreads a crowd
        of clients that failed together; a server's ``Retry-After`` wins.
        """
        if retry_after is not None:
            return retry_after
        ceiling = min(self.backoff_max, self.backoff_initial * 2 ** (retry_number - 1))
        return random.uniform(0, ceiling)


def parse_retry_after(value: str | None) -> float | None:
    """Read ``Retry-After`` as seconds: a number of seconds or an HTTP date."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        import email.utils  # rare, and the email package is slow to import

        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - time.time()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)
