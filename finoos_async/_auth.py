"""The token holder: single-flight authentication, refresh and background renewal.

Invariants:

- every ``POST /auth`` and ``POST /auth/refresh`` is made by one background task,
  one at a time, so at most one is in flight per client whatever the concurrency;
- a call waits for a renewal only when the token it would use has expired (or was
  rejected): the background task renews a margin ahead of expiry while calls go on;
- a renewal belongs to no call: a caller that gives up (its deadline, a cancel)
  stops waiting, and the renewal goes on for everyone else waiting on it, instead
  of being abandoned half-way and started again by the next caller;
- an expired or rejected refresh token falls back to name and secret.

Expiry is measured on an injectable monotonic clock, so tests can expire tokens
without sleeping.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable
from types import TracebackType

import anyio
import anyio.abc

from ._exceptions import AuthenticationError, ClientClosedError, FinoError
from ._models.auth import TokenPair

__all__ = ["TokenManager"]

logger = logging.getLogger("finoos_async")

Clock = Callable[[], float]

# A token this close to expiry is treated as expired: it could lapse on the wire.
_EXPIRY_SKEW = 1.0
# Back-off bounds for the background renewal when the server cannot be reached.
_RENEW_RETRY_MIN = 1.0
_RENEW_RETRY_MAX = 30.0


class _Renewal:
    """One renewal that callers wait on; the background task carries it out."""

    def __init__(self, *, authenticate: bool) -> None:
        #: Start from name and secret (a token was rejected), not from the refresh token.
        self.authenticate = authenticate
        self.done = anyio.Event()
        self.error: FinoError | None = None
        self._traceback: TracebackType | None = None

    def fail(self, error: FinoError) -> None:
        self.error, self._traceback = error, error.__traceback__

    async def outcome(self) -> None:
        """Wait for the renewal; raise its error, if it failed."""
        await self.done.wait()
        if self.error is not None:
            # Every waiter raises the one error; as asyncio's futures do, each starts
            # from the original traceback rather than the frames of the waiters before.
            raise self.error.with_traceback(self._traceback)


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
        # The renewal under way, the one asked for next, and how callers wake the renewer.
        self._running: _Renewal | None = None
        self._next: _Renewal | None = None
        self._wake = anyio.Event()
        self._closed = False
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
        """A valid access token, waiting for a renewal first only if needed."""
        if not self._access_valid():
            await self._renewal(authenticate=False).outcome()
        return self._current()

    async def reauthenticate(self, rejected: str) -> str:
        """Replace a token the server rejected with 401 (once, however many calls saw it)."""
        if self._access == rejected or not self._access_valid():
            # A revoked access token may mean a revoked session: start from the secret.
            await self._renewal(authenticate=self._access == rejected).outcome()
        return self._current()

    def _current(self) -> str:
        if self._access is None:  # the renewer stopped before a first token came
            raise ClientClosedError("the client closed while waiting for a token")
        return self._access

    def _renewal(self, *, authenticate: bool) -> _Renewal:
        """The renewal to wait on: the one under way if it serves, else the next one."""
        if self._closed:
            raise ClientClosedError("the client is closed")
        running = self._running
        if running is not None and (running.authenticate or not authenticate):
            return running
        if self._next is None:
            self._next = _Renewal(authenticate=authenticate)
            self._wake.set()
        # A refresh would not replace a rejected token: the next renewal starts from
        # the secret if any of its waiters needs that.
        self._next.authenticate |= authenticate
        return self._next

    async def _renew(self, renewal: _Renewal) -> None:
        refresh_token = self._refresh_token
        if (
            not renewal.authenticate
            and refresh_token is not None
            and self._clock() < self._refresh_expires - _EXPIRY_SKEW
        ):
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

    def _renew_at(self) -> float:
        if self._access is None:
            return math.inf  # nothing to renew ahead of time before the first token
        margin = min(self._refresh_margin, self._access_lifetime / 2)
        return self._access_expires - margin

    async def run_renewal(
        self, *, task_status: anyio.abc.TaskStatus[None] = anyio.TASK_STATUS_IGNORED
    ) -> None:
        """Carry out every renewal until cancelled (the client's background task).

        Renews when a call asks (for the first token, or for one that expired or
        was rejected) and, once there is a token, ``refresh_margin`` seconds before
        it expires. A failure goes to the calls waiting on that renewal; a renewal
        ahead of expiry that fails is logged and retried with capped back-off,
        while calls keep using the current token.
        """
        task_status.started()
        retry_at = -math.inf
        retry_in = _RENEW_RETRY_MIN
        try:
            while True:
                due = max(self._renew_at(), retry_at)
                if self._next is None and self._clock() < due:
                    with anyio.move_on_after(due - self._clock()):
                        await self._wake.wait()
                    self._wake = anyio.Event()
                    continue  # woken by a call, or due: look again
                renewal = self._running = self._next or _Renewal(authenticate=False)
                self._next = None
                try:
                    await self._renew(renewal)
                except FinoError as exc:
                    renewal.fail(exc)
                    if self._access_valid():
                        logger.warning(
                            "background token renewal failed (%s); retrying in %.0fs",
                            type(exc).__name__,
                            retry_in,
                        )
                    retry_at = self._clock() + retry_in
                    retry_in = min(retry_in * 2, _RENEW_RETRY_MAX)
                else:
                    retry_at = -math.inf
                    retry_in = _RENEW_RETRY_MIN
                finally:
                    self._running = None
                    renewal.done.set()
        finally:
            # Whoever still waits (the client is closing) must not wait forever.
            self._closed = True
            if self._next is not None:
                self._next.done.set()
