"""The token holder: single-flight authentication, refresh and background renewal.

Invariants:

- at most one ``POST /auth`` or ``POST /auth/refresh`` is in flight per client,
  whatever the concurrency (one ``anyio.Lock`` guards every renewal, and whoever
  gets it second finds the work done);
- a call waits for a renewal only when the token it would use has expired: the
  background task renews a margin ahead of expiry while calls go on;
- an expired or rejected refresh token falls back to name and secret.

Expiry is measured on an injectable monotonic clock, so tests can expire tokens
without sleeping.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable

import anyio
import anyio.abc

from ._exceptions import AuthenticationError, FinoError
from ._models.auth import TokenPair

__all__ = ["TokenManager"]

logger = logging.getLogger("finoos_async")

Clock = Callable[[], float]

# A token this close to expiry is treated as expired: it could lapse on the wire.
_EXPIRY_SKEW = 1.0
# Back-off bounds for the background renewal when the server cannot be reached.
_RENEW_RETRY_MIN = 1.0
_RENEW_RETRY_MAX = 30.0


class TokenManager:
    """Holds the current tokens and renews them; never shows them in a repr."""

    def __init__(
        self,
        *,
        authenticate: Callable[[], Awaitable[TokenPair]],
        refresh: Callable[[str], Awaitable[TokenPair]],
        clock: Clock,
        refresh_margin: float,
    ) -> None:
        self._authenticate = authenticate
        self._refresh = refresh
        self._clock = clock
        self._refresh_margin = refresh_margin
        self._lock = anyio.Lock()
        self._first_token = anyio.Event()
        self._access: str | None = None
        self._access_expires = -math.inf
        self._access_lifetime = 0.0
        self._refresh_token: str | None = None
        self._refresh_expires = -math.inf

    def __repr__(self) -> str:
        state = "unauthenticated" if self._access is None else "access=***, refresh=***"
        return f"<TokenManager {state}>"

    def _access_valid(self) -> bool:
        return self._access is not None and self._clock() < self._access_expires - _EXPIRY_SKEW

    async def access_token(self) -> str:
        """A valid access token, authenticating or refreshing first only if needed."""
        if not self._access_valid():
            async with self._lock:
                if not self._access_valid():
                    await self._renew_locked()
        assert self._access is not None  # set by _renew_locked or it raised
        return self._access

    async def reauthenticate(self, rejected: str) -> str:
        """Replace a token the server rejected with 401 (once, however many calls saw it)."""
        async with self._lock:
            if self._access == rejected or not self._access_valid():
                # A revoked access token may mean a revoked session: start from the secret.
                await self._store(self._authenticate)
        assert self._access is not None
        return self._access

    async def _renew_locked(self) -> None:
        refresh_token = self._refresh_token
        if refresh_token is not None and self._clock() < self._refresh_expires - _EXPIRY_SKEW:
            try:
                await self._store(lambda: self._refresh(refresh_token))
            except AuthenticationError:
                logger.debug("refresh token rejected; authenticating with name and secret")
            else:
                return
        await self._store(self._authenticate)

    async def _store(self, obtain: Callable[[], Awaitable[TokenPair]]) -> None:
        # Lifetimes count from before the request left: never later than the server's.
        issued = self._clock()
        pair = await obtain()
        self._access = pair.access_token
        self._access_lifetime = float(pair.expires_in)
        self._access_expires = issued + self._access_lifetime
        self._refresh_token = pair.refresh_token
        self._refresh_expires = issued + float(pair.refresh_expires_in)
        self._first_token.set()

    def _renew_at(self) -> float:
        margin = min(self._refresh_margin, self._access_lifetime / 2)
        return self._access_expires - margin

    async def run_renewal(
        self, *, task_status: anyio.abc.TaskStatus[None] = anyio.TASK_STATUS_IGNORED
    ) -> None:
        """Renew the tokens ahead of expiry until cancelled (the client's background task).

        Waits for the first call to authenticate, then renews ``refresh_margin``
        seconds before the access token expires. A failure (network, server,
        revoked credentials) is logged and retried with capped back-off; calls
        keep using the current token while it is valid.
        """
        task_status.started()
        await self._first_token.wait()
        retry_in = _RENEW_RETRY_MIN
        while True:
            delay = self._renew_at() - self._clock()
            if delay > 0:
                await anyio.sleep(delay)
                continue  # the token may have been renewed meanwhile: re-read its expiry
            try:
                async with self._lock:
                    if self._clock() >= self._renew_at():
                        await self._renew_locked()
            except FinoError as exc:
                logger.warning(
                    "background token renewal failed (%s); retrying in %.0fs",
                    type(exc).__name__,
                    retry_in,
                )
                await anyio.sleep(retry_in)
                retry_in = min(retry_in * 2, _RENEW_RETRY_MAX)
            else:
                retry_in = _RENEW_RETRY_MIN
