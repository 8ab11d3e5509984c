"""Fault injection: what can go wrong, on which route, and when.

Faults are consulted in the order they were added. The first one whose route matches
and whose schedule says "now" fires; faults after it do not see that request.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Collection, Iterable, Iterator
from typing import Literal, get_args

import attrs

__all__ = ["AFTER_KINDS", "ANY_ROUTE", "Fault", "FaultKind", "FaultTable"]

FaultKind = Literal[
    "status", "latency", "malformed_json", "truncated_json", "disconnect", "revoke_token"
]
ANY_ROUTE = "*"
AFTER_KINDS = frozenset({"status", "malformed_json", "truncated_json", "disconnect"})
_KINDS = frozenset(get_args(FaultKind))
_STATUSES = frozenset({429, 500, 502, 503, 504})


def _request_numbers(numbers: Iterable[int]) -> tuple[int, ...]:
    return tuple(numbers)


def _check(fault: Fault) -> None:
    if fault.kind not in _KINDS:
        raise ValueError(f"unknown fault kind {fault.kind!r}; expected one of {sorted(_KINDS)}")
    if fault.route != ANY_ROUTE and len(fault.route.split(" ")) != 2:
        raise ValueError(f"route must be '*' or 'METHOD /template', got {fault.route!r}")
    if (fault.kind == "status") != (fault.status is not None):
        raise ValueError("status= is required for kind='status' and only allowed there")
    if fault.status is not None and fault.status not in _STATUSES:
        raise ValueError(f"status must be one of {sorted(_STATUSES)}, got {fault.status}")
    if fault.retry_after is not None and (fault.kind != "status" or fault.retry_after < 0):
        raise ValueError("retry_after= is a non-negative number of seconds for kind='status'")
    if fault.seconds < 0 or (fault.seconds and fault.kind != "latency"):
        raise ValueError("seconds= is a non-negative delay for kind='latency'")
    if fault.after and fault.kind not in AFTER_KINDS:
        raise ValueError(f"after=True only makes sense for {sorted(AFTER_KINDS)}")
    if fault.times is not None and fault.times < 0:
        raise ValueError("times= must not be negative")
    if any(n < 1 for n in fault.on):
        raise ValueError("on= counts matching requests from 1")
    if fault.rate is not None and not 0.0 <= fault.rate <= 1.0:
        raise ValueError("rate= is a probability between 0 and 1")


# Identity equality: two equal-looking faults added twice are two faults, each
# with its own counters, and remove() takes out exactly the one it is given.
@attrs.frozen(kw_only=True, eq=False)
class Fault:
    """Something that goes wrong on matching requests.

    Without ``times``, ``on`` or ``rate`` the fault fires on every matching request;
    with several, all must agree.

    Example::

        sandbox.faults.add(Fault(route="POST /users", kind="status", status=503, times=1))
        sandbox.faults.add(Fault(route="*", kind="latency", seconds=0.05, rate=0.1))
        sandbox.faults.add(Fault(route="POST /users", kind="disconnect", after=True))

    Attributes:
        route: ``"METHOD /template"`` as in the route table, e.g.
            ``"GET /users/{userID}/banking/logins"``, or ``"*"`` for every request.
        kind: ``"status"`` answers ``status`` with an error body; ``"latency"`` waits
            ``seconds`` and then serves normally; ``"malformed_json"`` answers 200 with
            a body that is not JSON; ``"truncated_json"`` answers 200 with the first half
            of a JSON body (with ``after``, both keep the real response's status, so a
            refused request never looks done); ``"disconnect"`` drops the connection
            without a response; ``"revoke_token"`` revokes the request's access token
            first, so it gets 401.
        status: For ``"status"``: 429, 500, 502, 503 or 504.
        retry_after: For ``"status"``: seconds sent as ``Retry-After``.
        seconds: For ``"latency"``: the delay.
        times: Fire at most this many times.
        on: Fire on these matching requests, counted from 1.
        rate: Fire with this probability, drawn from a generator seeded by the
            sandbox's ``seed`` so a run repeats exactly.
        after: Handle the request for real first (state changes happen), then replace
            the response; for ``"status"``, ``"malformed_json"``, ``"truncated_json"``
            and ``"disconnect"``.
    """

    route: str
    kind: FaultKind
    status: int | None = None
    retry_after: float | None = None
    seconds: float = 0.0
    times: int | None = None
    on: tuple[int, ...] = attrs.field(default=(), converter=_request_numbers)
    rate: float | None = None
    after: bool = False

    def __attrs_post_init__(self) -> None:
        _check(self)


@attrs.define
class _Counters:
    random: random.Random
    matched: int = 0
    fired: int = 0


class FaultTable:
    """The sandbox's live faults; safe to change from a test while the sandbox serves.

    Example::

        fault = sandbox.faults.add(Fault(route="POST /auth/refresh", kind="status", status=500))
        ...
        assert sandbox.faults.fired(fault) == 1
        sandbox.faults.remove(fault)
    """

    def __init__(self, *, seed: int, routes: Collection[str], faults: Iterable[Fault] = ()) -> None:
        self._seed = seed
        self._routes = frozenset(routes)
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        # Kept after a fault is removed so a test can still ask how often it fired.
        self._counters: dict[Fault, _Counters] = {}
        for fault in faults:
            self.add(fault)

    def add(self, fault: Fault) -> Fault:
        """Add ``fault`` after the existing ones and return it."""
        if fault.route != ANY_ROUTE and fault.route not in self._routes:
            raise ValueError(f"no route {fault.route!r}; known routes: {sorted(self._routes)}")
        with self._lock:
            if fault in self._counters:
                raise ValueError(f"{fault!r} was already added; create a new Fault")
            # One generator per fault, seeded by its position, so adding a fault never
            # changes when the others fire.
            generator = random.Random(f"{self._seed}/{len(self._counters)}")
            self._counters[fault] = _Counters(generator)
            self._faults.append(fault)
        return fault

    def remove(self, fault: Fault) -> None:
        """Remove ``fault``; raises ``ValueError`` if it is not in the table."""
        with self._lock:
            self._faults.remove(fault)

    def clear(self) -> None:
        """Remove every fault."""
        with self._lock:
            self._faults.clear()

    def fired(self, fault: Fault) -> int:
        """How many requests ``fault`` has fired on (0 for a fault never added)."""
        counters = self._counters.get(fault)
        return counters.fired if counters else 0

    def matched(self, fault: Fault) -> int:
        """How many requests ``fault`` has considered (its route matched)."""
        counters = self._counters.get(fault)
        return counters.matched if counters else 0

    def __iter__(self) -> Iterator[Fault]:
        with self._lock:
            return iter(list(self._faults))

    def __len__(self) -> int:
        return len(self._faults)

    def __contains__(self, fault: object) -> bool:
        return fault in self._faults

    def __repr__(self) -> str:
        return f"<FaultTable faults={len(self._faults)}>"

    def _pick(self, route: str | None) -> Fault | None:
        if not self._faults:  # the common case under benchmarks: no lock, no work
            return None
        with self._lock:
            for fault in self._faults:
                if fault.route != ANY_ROUTE and fault.route != route:
                    continue
                counters = self._counters[fault]
                counters.matched += 1
                if _fires(fault, counters):
                    counters.fired += 1
                    return fault
        return None


def _fires(fault: Fault, counters: _Counters) -> bool:
    # Draw on every matching request, whatever else decides, so the n-th matching
    # request always sees the same draw.
    lucky = fault.rate is None or counters.random.random() < fault.rate
    if fault.times is not None and counters.fired >= fault.times:
        return False
    if fault.on and counters.matched not in fault.on:
        return False
    return lucky
