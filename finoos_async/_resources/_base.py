"""What every resource shares: its client, and whether it answers raw responses."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from .._response import RawResponse

if TYPE_CHECKING:
    from .._call import Call, Outcome
    from .._client import AsyncFino

__all__ = ["Resource"]

T = TypeVar("T")


class Resource:
    """Base of the method groups (``fino.users``, ``fino.banking``, ...)."""

    def __init__(self, client: AsyncFino, *, raw: bool = False) -> None:
        self._client = client
        self._raw = raw

    def __repr__(self) -> str:
        return f"<{type(self).__name__}{' (raw)' if self._raw else ''}>"

    async def _call(
        self, call: Call, options: Mapping[str, Any], parse: Callable[[Outcome], T]
    ) -> T:
        outcome = await self._client._execute(call, options)
        if self._raw:
            # The raw view's signatures say RawResponse[T]; see _resources/raw.py.
            raw = RawResponse(
                outcome.response, attempts=outcome.attempts, parse=lambda: parse(outcome)
            )
            return cast(T, raw)
        return parse(outcome)
