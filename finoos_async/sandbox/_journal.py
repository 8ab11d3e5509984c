"""The record of every request the sandbox received, with secrets masked."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any, overload

import attrs

from .._json import dumps, loads

__all__ = ["MASK", "Journal", "JournalEntry", "mask_auth_body"]

MASK = "***"
_MASKED_BODY_FIELDS = ("secret", "refreshToken")


@attrs.frozen(kw_only=True)
class JournalEntry:
    """One request as the sandbox received it, and what it answered.

    Attributes:
        method: The HTTP method, e.g. ``"POST"``.
        path: The path as received, still percent-encoded and without the query,
            e.g. ``"/api/v1/users/abc/banking/logins"``.
        route: The route template it matched, e.g. ``"GET /users/{userID}/banking/logins"``,
            or ``None`` when no route matched (404 and 405).
        headers: Request headers with lower-cased names; ``authorization`` is ``"***"``.
        body: The request body; on ``/auth`` and ``/auth/refresh`` the ``secret`` and
            ``refreshToken`` values are ``"***"``.
        status: The status answered; ``None`` while the request is still being handled
            or when the connection was dropped without a response.
        request_id: The ``X-Request-ID`` answered.
    """

    method: str
    path: str
    route: str | None
    headers: dict[str, str]
    body: bytes
    status: int | None
    request_id: str

    def json(self) -> Any:
        """Parse :attr:`body` as JSON (non-integers as ``Decimal``)."""
        return loads(self.body)


class _Slot:
    # A request is journaled on arrival and completed later; the slot keeps its place.
    __slots__ = ("entry",)

    def __init__(self, entry: JournalEntry) -> None:
        self.entry = entry


class Journal:
    """Every request received, in arrival order; reads like a list of :class:`JournalEntry`.

    Example::

        assert sandbox.journal.count("POST /users") == 1
        [refresh] = sandbox.journal.for_route("POST /auth/refresh")
        assert refresh.json()["refreshToken"] == "***"
    """

    def __init__(self) -> None:
        self._slots: list[_Slot] = []
        self._lock = threading.Lock()

    def _begin(self, entry: JournalEntry) -> _Slot:
        slot = _Slot(entry)
        with self._lock:
            self._slots.append(slot)
        return slot

    def _finish(self, slot: _Slot, status: int | None) -> None:
        slot.entry = attrs.evolve(slot.entry, status=status)

    def entries(self) -> list[JournalEntry]:
        """Return a snapshot of all entries."""
        with self._lock:
            return [slot.entry for slot in self._slots]

    def clear(self) -> None:
        """Forget every entry recorded so far."""
        with self._lock:
            self._slots.clear()

    def for_route(self, route: str) -> list[JournalEntry]:
        """Return the entries whose route template is ``route``, e.g. ``"POST /auth/refresh"``."""
        return [entry for entry in self.entries() if entry.route == route]

    def count(self, route: str) -> int:
        """Return how many requests matched ``route``, e.g. ``"POST /users"``."""
        return len(self.for_route(route))

    def __len__(self) -> int:
        return len(self._slots)

    def __iter__(self) -> Iterator[JournalEntry]:
        return iter(self.entries())

    @overload
    def __getitem__(self, index: int) -> JournalEntry: ...
    @overload
    def __getitem__(self, index: slice) -> list[JournalEntry]: ...
    def __getitem__(self, index: int | slice) -> JournalEntry | list[JournalEntry]:
        with self._lock:
            if isinstance(index, slice):
                return [slot.entry for slot in self._slots[index]]
            return self._slots[index].entry

    def __repr__(self) -> str:
        return f"<Journal entries={len(self._slots)}>"


def mask_auth_body(body: bytes) -> bytes:
    """Return an ``/auth*`` request body with its ``secret`` and ``refreshToken`` masked.

    A non-empty body that is not a JSON object is masked whole: it cannot be parsed
    to find the fields, and it may still hold a secret.
    """
    if not body:
        return body
    try:
        payload = loads(body)
    except (ValueError, RecursionError):
        return MASK.encode()
    if not isinstance(payload, dict):
        return MASK.encode()
    for field in _MASKED_BODY_FIELDS:
        if field in payload:
            payload[field] = MASK
    return dumps(payload)
