"""Many calls at once, in bounded memory, slowing down when the API says so.

``ResultStream`` runs one fetch per id with at most ``limit`` calls in flight
and at most ``concurrency`` finished results waiting for the consumer, so an
input of 100,000 ids costs memory for a few hundred, not for all of them.

The number of calls in flight adapts to rate limits: every 429 that an attempt
meets halves it (once per round of calls, not once per 429), and a full round
of successes raises it by one again, back up to ``concurrency``: additive
increase, multiplicative decrease.

The workers run in the client's own task group (it outlives any one loop), under
a cancel scope the stream owns. The stream is a plain async iterator, not an
async generator, so leaving the ``async for`` early (``break``, an exception)
cancels what is still in flight at once, with nothing to await and no
"async generator was garbage collected" warnings on trio.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sized
from typing import Any, Generic, TypeVar

import anyio
import anyio.abc

from ._exceptions import ClientClosedError, FinoError, InvalidInputError

__all__ = ["AdaptiveLimit", "Progress", "ResultStream", "note_rate_limited"]

T = TypeVar("T")

#: ``(done, total)`` after each result; ``total`` is ``None`` for an input without ``len()``.
Progress = Callable[[int, "int | None"], object]

_on_rate_limited: contextvars.ContextVar[Callable[[], None] | None] = contextvars.ContextVar(
    "finoos_async_on_rate_limited", default=None
)


def note_rate_limited() -> None:
    """Tell the bulk operation running this call, if any, that an attempt met a 429."""
    callback = _on_rate_limited.get()
    if callback is not None:
        callback()


class AdaptiveLimit:
    """An AIMD bound on calls in flight, between 1 and ``maximum``."""

    def __init__(self, maximum: int) -> None:
        self.maximum = maximum
        self._limiter = anyio.CapacityLimiter(maximum)
        self.round = 0
        self._successes = 0

    @property
    def current(self) -> int:
        """How many calls may be in flight now."""
        return int(self._limiter.total_tokens)

    async def __aenter__(self) -> int:
        """Wait for a slot; returns the round the call starts in."""
        # Each awaited anyio primitive is a trip through the event loop; a bulk job
        # takes that trip only when it really has to wait.
        try:
            self._limiter.acquire_nowait()
        except anyio.WouldBlock:
            await self._limiter.acquire()
        return self.round

    async def __aexit__(self, *exc_info: object) -> None:
        self._limiter.release()

    def rate_limited(self, started_round: int) -> None:
        """Halve the limit, unless a call of the same round already did."""
        if started_round == self.round:
            self.round += 1
            self._successes = 0
            self._limiter.total_tokens = max(1, self.current // 2)

    def succeeded(self) -> None:
        """Count a success; a full round of them raises the limit by one."""
        self._successes += 1
        if self._successes >= self.current and self.current < self.maximum:
            self._successes = 0
            self._limiter.total_tokens = self.current + 1


class _Pump(Generic[T]):
    """Runs the fetches and feeds the stream; holds no reference back to the stream.

    A fixed crew of ``concurrency`` workers pulls ids from one shared iterator
    (a task per worker, not per id: spawning a task per id cost ~50 us each);
    the adaptive limit decides how many of them may be in a call at once.
    """

    def __init__(
        self, fetch: Callable[[str], Awaitable[T]], ids: Iterable[str], concurrency: int
    ) -> None:
        self.fetch = fetch
        self.ids: Iterator[str | None] = iter(ids)
        self.workers = concurrency
        self.limit = AdaptiveLimit(concurrency)
        self.send, self.receive = anyio.create_memory_object_stream[tuple[str, Any]](concurrency)
        self.scope = anyio.CancelScope()
        self.started = False
        self.finished = False
        self.error: Exception | None = None

    def close(self) -> None:
        # Synchronous on purpose: it also runs from ResultStream.__del__.
        self.scope.cancel()
        self.receive.close()
        if not self.started:
            self.send.close()

    async def work(self) -> None:
        limit = self.limit
        call_round = [0]  # the round this worker's current call started in

        def rate_limited() -> None:
            limit.rate_limited(call_round[0])

        _on_rate_limited.set(rate_limited)  # this task's own copy of the context
        while True:
            async with limit as started_round:
                item_id = next(self.ids, None)
                if item_id is None:
                    return
                call_round[0] = started_round
                try:
                    result: Any = await self.fetch(item_id)
                except FinoError as exc:
                    result = exc
                else:
                    limit.succeeded()
            try:
                try:
                    self.send.send_nowait((item_id, result))
                except anyio.WouldBlock:
                    await self.send.send((item_id, result))
            except anyio.BrokenResourceError:  # the consumer left
                return

    async def run(self) -> None:
        with self.scope, self.send:
            try:
                async with anyio.create_task_group() as task_group:
                    for _ in range(self.workers):
                        task_group.start_soon(self.work)
            except Exception as exc:  # a bug or a bad id: hand it to the consumer
                self.error = exc
            else:
                self.finished = True


class ResultStream(Generic[T]):
    """The async iterator ``iter_logins`` returns: ``(id, result or FinoError)`` pairs.

    Iterate it once with ``async for``. Leaving the loop early cancels the calls
    still in flight; ``await stream.aclose()`` (or ``async with stream:``) does
    the same explicitly, for code that must not rely on garbage collection.
    """

    def __init__(
        self,
        fetch: Callable[[str], Awaitable[T]],
        ids: Iterable[str],
        *,
        concurrency: int,
        spawner: anyio.abc.TaskGroup,
        progress: Progress | None = None,
    ) -> None:
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise InvalidInputError(f"concurrency must be an int >= 1, got {concurrency!r}")
        if isinstance(ids, (str, bytes)):
            raise InvalidInputError("ids must be an iterable of ids, not a single string")
        self._pump = _Pump(fetch, ids, concurrency)
        self._total = len(ids) if isinstance(ids, Sized) else None
        self._spawner = spawner
        self._progress = progress
        self._done = 0

    def __repr__(self) -> str:
        return f"<ResultStream done={self._done} total={self._total}>"

    def __aiter__(self) -> ResultStream[T]:
        return self

    async def __anext__(self) -> tuple[str, T | FinoError]:
        pump = self._pump
        if not pump.started:
            pump.started = True
            self._spawner.start_soon(pump.run)
        try:
            try:
                item = pump.receive.receive_nowait()
            except anyio.WouldBlock:
                item = await pump.receive.receive()
        except anyio.EndOfStream:
            pump.receive.close()
            if pump.error is not None:
                raise pump.error from None
            if not pump.finished:
                raise ClientClosedError(
                    "the client closed before every result was fetched"
                ) from None
            raise StopAsyncIteration from None
        except anyio.ClosedResourceError:
            raise StopAsyncIteration from None
        self._done += 1
        if self._progress is not None:
            self._progress(self._done, self._total)
        return item

    async def aclose(self) -> None:
        """Stop: cancel the calls in flight and drop results not yet taken."""
        self._pump.close()

    async def __aenter__(self) -> ResultStream[T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._pump.close()

    def __del__(self) -> None:
        # A loop left with ``break`` drops the last reference to the stream at once
        # (the pump does not point back at it), so this cancels what is in flight.
        with contextlib.suppress(Exception):
            self._pump.close()
