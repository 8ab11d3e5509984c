"""The sandbox's notion of time: any ``() -> float``, and a fake one tests can move."""

from __future__ import annotations

import threading
from collections.abc import Callable

__all__ = ["Clock", "FakeClock"]

Clock = Callable[[], float]
"""Seconds from an arbitrary origin, like :func:`time.monotonic`."""


class FakeClock:
    """A clock that only moves when told to, so token expiry can be tested without waiting.

    It is callable, so it can be passed wherever a ``() -> float`` clock is expected.

    Example::

        clock = FakeClock(start=1_000_000.0)
        sandbox = Sandbox(clock=clock)
        clock.advance(301)  # every access token issued before is now expired
    """

    __slots__ = ("_lock", "_now")

    def __init__(self, start: float = 0.0) -> None:
        self._now = float(start)
        # The sandbox may read the clock from its server thread while a test advances it.
        self._lock = threading.Lock()

    def now(self) -> float:
        """Return the current fake time in seconds."""
        return self._now

    def __call__(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        """Move the clock forward by ``seconds`` and return the new time.

        Raises ``ValueError`` for a negative step: a monotonic clock never goes back.
        """
        if seconds < 0:
            raise ValueError(f"a clock only moves forward; got {seconds!r} seconds")
        with self._lock:
            self._now += seconds
            return self._now

    def __repr__(self) -> str:
        return f"FakeClock(now={self._now!r})"
