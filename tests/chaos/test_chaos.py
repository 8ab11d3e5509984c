"""Chaos: thousands of calls through one ``AsyncFino`` while the sandbox misbehaves.

The sandbox, on a real loopback socket, injects a seeded mix of faults: 429 with
Retry-After, 500/502/503 before and after the work was done, latency spikes (some
beyond the deadline), truncated and non-JSON bodies, dropped connections, revoked
tokens, and access tokens that expire every few seconds. Workers each own their
users, so what a user's logins must be is known at every step.

Checked from the client's results and the sandbox's journal:

- every call returns correct data or raises a ``FinoError``, never anything else;
- no write is duplicated: each Create User or Connect reached the server at most
  once beyond 401s and 429s (the refusals that prove nothing was done: the SDK
  replays after a revoked token and waits out a rate limit);
- every user the client was told about exists, holding the logins last set;
- a Set Logins that was retried leaves exactly the logins sent (it replaces);
- no call outlives its deadline;
- at most one auth or refresh call in flight at once;
- afterwards: no open connections, no leftover tasks, no warnings, and no
  secret, token, IBAN or end-user IP in any log line (logging at DEBUG).

``FINOOS_CHAOS_CALLS`` sets the size (CI runs a short version; ``nox -s chaos``
runs 20,000). The table it prints is quoted in the project's notes.
"""

from __future__ import annotations

import copy
import gc
import logging
import os
import random
import time
import warnings
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import anyio
import attrs
import httpx
import pytest

from finoos_async import AsyncFino, FinoError, Login, _json
from finoos_async._converter import make_converter
from finoos_async.sandbox import Fault, Sandbox

from .._live import Watched, established_to, live_tasks, port_of, serve

pytestmark = pytest.mark.anyio

T = TypeVar("T")
CallNext = Callable[[httpx.Request], Awaitable[httpx.Response]]

CALLS = int(os.environ.get("FINOOS_CHAOS_CALLS", "600"))
SEED = int(os.environ.get("FINOOS_CHAOS_SEED", "20261203"))
WORKERS = 24
DEADLINE = 1.0
# How late a deadline may fire on a loaded 2-core machine whose loop is also busy
# decoding; an overrun beyond it is a call that ignored its deadline.
DEADLINE_SLACK = 0.5
# A short run may end before a rare fault has fired or a token was due for renewal;
# it goes on past CALLS (up to this long) until the storm has included all of them.
MAX_SECONDS = 60.0
USER_IP = "203.0.113.7"
URLS = {
    "redirect_url": "https://app.example/done",
    "error_url": "https://app.example/error",
    "exit_url": "https://app.example/exit",
}
SEED_BODY = Path(__file__).parent.parent / "fixtures" / "seed_set_logins.json"

CREATE_USER = "POST /users"
CONNECT = "POST /users/{userID}/banking/connect"
SET_LOGINS = "POST /users/{userID}/banking/logins"
GET_LOGINS = "GET /users/{userID}/banking/logins"
WRITES = frozenset({CREATE_USER, CONNECT})
# Answers that prove the server did nothing: a write may be sent again after them.
REFUSED_UNDONE = frozenset({401, 429})
NO_LOGINS = -1


def chaos_faults() -> list[Fault]:
    """The fault mix; the first fault that fires on a request wins, so order matters."""
    return [
        Fault(route="*", kind="revoke_token", rate=0.001),
        Fault(route="*", kind="status", status=429, retry_after=0.02, rate=0.03),
        Fault(route="*", kind="status", status=500, rate=0.01),
        Fault(route="*", kind="status", status=502, rate=0.01),
        Fault(route="*", kind="status", status=503, rate=0.01),
        # The work is done, then the answer is lost: the client must not do it again.
        Fault(route=CREATE_USER, kind="status", status=503, after=True, rate=0.03),
        Fault(route=CONNECT, kind="disconnect", after=True, rate=0.03),
        # The same for Set Logins, which replaces, so the client may (and does) retry.
        Fault(route=SET_LOGINS, kind="status", status=502, after=True, rate=0.05),
        Fault(route=SET_LOGINS, kind="disconnect", after=True, rate=0.03),
        Fault(route=GET_LOGINS, kind="truncated_json", after=True, rate=0.02),
        Fault(route="*", kind="malformed_json", after=True, rate=0.005),
        Fault(route="*", kind="disconnect", rate=0.01),
        Fault(route="*", kind="latency", seconds=0.05, rate=0.03),
        Fault(route="*", kind="latency", seconds=DEADLINE * 1.5, rate=0.002),
        Fault(route="POST /auth/refresh", kind="status", status=500, rate=0.1),
    ]


def login_variants() -> list[list[Login]]:
    """Distinct sets of logins to set, built from the seed's Step 4b login."""
    [base] = _json.loads(SEED_BODY.read_bytes())["logins"]

    def login(suffix: str, balance: str) -> dict[str, Any]:
        data = copy.deepcopy(base)
        data["id"] = f"{base['id']}-{suffix}"
        data["accounts"][0]["balance"] = Decimal(balance)
        return data

    raw = [
        [login("a", "2004.41")],
        [login("b", "-17.30"), login("c", "1000000.01")],
        [login("d", "0.10")],
    ]
    converter = make_converter()
    return [converter.structure(logins, list[Login]) for logins in raw]


def ibans() -> set[str]:
    """The IBANs in the logins the run sends."""
    return {
        account.iban
        for logins in login_variants()
        for login in logins
        for account in login.accounts
        if account.iban
    }


async def expected_results(variants: list[list[Login]]) -> dict[int, list[Login]]:
    """What Get Logins answers after each variant is set, from a fault-free sandbox."""
    reference = Sandbox()
    async with AsyncFino(
        name=reference.name,
        secret=reference.secret,
        base_url=reference.base_url,
        transport=reference.transport(),
    ) as fino:
        user = await fino.users.create(type="person")
        expected = {NO_LOGINS: await fino.banking.get_logins(user.id, user_ip=USER_IP)}
        for index, logins in enumerate(variants):
            await fino.banking.set_logins(user.id, logins, user_ip=USER_IP)
            expected[index] = await fino.banking.get_logins(user.id, user_ip=USER_IP)
    assert len({repr(v) for v in expected.values()}) == len(expected), "variants must differ"
    return expected


class AttemptCounter:
    """Client middleware: attempts per request id, and auth calls in flight at once."""

    def __init__(self) -> None:
        self.attempts: Counter[str] = Counter()
        self.refreshes = 0
        self.auth_in_flight_max = 0
        self._auth_in_flight = 0

    async def __call__(
        self,
        request: httpx.Request,
        call_next: Callable[[httpx.Request], Awaitable[httpx.Response]],
    ) -> httpx.Response:
        self.attempts[request.headers["X-Request-ID"]] += 1
        if not request.url.path.endswith(("/auth", "/auth/refresh")):
            return await call_next(request)
        self.refreshes += request.url.path.endswith("/auth/refresh")
        self._auth_in_flight += 1
        self.auth_in_flight_max = max(self.auth_in_flight_max, self._auth_in_flight)
        try:
            return await call_next(request)
        finally:
            self._auth_in_flight -= 1


@attrs.define
class UserState:
    """What one user's logins may be: one variant, or several while an outcome is unknown."""

    possible: set[int] = attrs.Factory(lambda: {NO_LOGINS})


class _Failed:
    """A call that raised; ``call`` returns it in place of a result."""

    def __init__(self, error: Exception) -> None:
        self.error = error


@attrs.define
class Run:
    """The run's tally: every call made, how it ended, and every broken invariant."""

    complete: Callable[[], bool]
    started: float = attrs.Factory(time.perf_counter)
    calls: int = 0
    ok: Counter[str] = attrs.Factory(Counter)
    errors: Counter[str] = attrs.Factory(Counter)
    foreign: list[str] = attrs.Factory(list)
    wrong: list[str] = attrs.Factory(list)
    overdue: list[float] = attrs.Factory(list)
    slowest: float = 0.0
    retried_sets: int = 0
    write_ids: list[str] = attrs.Factory(list)

    def more(self) -> bool:
        if self.calls < CALLS:
            return True
        # Past CALLS only until the storm is complete, so every run proves what it
        # claims, however fast the machine and transport.
        return not self.complete() and time.perf_counter() - self.started < MAX_SECONDS

    async def call(self, op: str, pending: Awaitable[T]) -> T | _Failed:
        self.calls += 1
        started = time.perf_counter()
        try:
            result = await pending
        except FinoError as exc:
            self.errors[type(exc).__name__] += 1
            return _Failed(exc)
        except Exception as exc:  # the invariant under test: nothing else may escape
            self.foreign.append(f"{op}: {type(exc).__name__}: {exc}")
            return _Failed(exc)
        finally:
            elapsed = time.perf_counter() - started
            self.slowest = max(self.slowest, elapsed)
            if elapsed > DEADLINE + DEADLINE_SLACK:
                self.overdue.append(elapsed)
        self.ok[op] += 1
        return result


async def worker(
    fino: AsyncFino,
    run: Run,
    rng: random.Random,
    variants: list[list[Login]],
    expected: dict[int, list[Login]],
    users: dict[str, UserState],
) -> None:
    """Create a user, connect it, then set and read its logins a few times; repeat."""
    while run.more():
        request_id = f"chaos-create-{run.calls}"
        run.write_ids.append(request_id)
        user = await run.call(
            "create user", fino.users.create(type="person", request_id=request_id)
        )
        if isinstance(user, _Failed):
            continue
        state = users[user.id] = UserState()

        request_id = f"chaos-connect-{run.calls}"
        run.write_ids.append(request_id)
        session = await run.call(
            "connect",
            fino.banking.connect(
                user.id, **URLS, recurring=True, user_ip=USER_IP, request_id=request_id
            ),
        )
        if not isinstance(session, _Failed) and "/ui/connect/" not in session.redirect_url:
            run.wrong.append(f"connect answered {session.redirect_url!r}")

        for _ in range(3):
            if not run.more():
                return
            index = rng.randrange(len(variants))
            raw = await run.call(
                "set logins",
                fino.with_raw_response.banking.set_logins(
                    user.id, variants[index], user_ip=USER_IP
                ),
            )
            if isinstance(raw, _Failed):
                state.possible.add(index)  # it may or may not have been applied
            else:
                state.possible = {index}  # a success status means it was applied
                run.retried_sets += raw.attempts > 1
                stored = await run.call("read set logins answer", _async(raw.parse))
                if not isinstance(stored, _Failed) and stored not in (None, expected[index]):
                    run.wrong.append(f"set logins answered other logins for {user.id}")

            got = await run.call("get logins", fino.banking.get_logins(user.id, user_ip=USER_IP))
            if not isinstance(got, _Failed):
                matches = {k for k in state.possible if expected[k] == got}
                if not matches:
                    run.wrong.append(f"get logins for {user.id}: none of {state.possible}")
                else:
                    state.possible = matches

        fetched = await run.call("get user", fino.users.get(user.id))
        if not isinstance(fetched, _Failed) and fetched.id != user.id:
            run.wrong.append(f"get user {user.id} answered {fetched.id}")
        settings = await run.call("settings", fino.settings.get())
        if not isinstance(settings, _Failed) and "banking" not in settings.scopes:
            run.wrong.append(f"settings answered scopes {settings.scopes}")


async def _async(parse: Callable[[], T]) -> T:
    return parse()


class LogSpy(logging.Handler):
    """Keeps every log line, from every logger but the sandbox's own, as it was written."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith(("uvicorn", "finoos_async.sandbox")):
            self.lines.append(self.format(record))


@contextmanager
def debug_logs() -> Iterator[LogSpy]:
    """Log everything at DEBUG into a ``LogSpy`` for the duration."""
    root = logging.getLogger()
    spy = LogSpy()
    level = root.level
    root.addHandler(spy)
    root.setLevel(logging.DEBUG)
    try:
        yield spy
    finally:
        root.removeHandler(spy)
        root.setLevel(level)


@pytest.mark.parametrize("served", ["loopback", "loopback-fast"])
async def test_chaos(served: str, anyio_backend: str) -> None:
    """Thousands of calls under a seeded fault mix: nothing lost, duplicated or leaked."""
    variants = login_variants()
    expected = await expected_results(variants)
    faults = chaos_faults()
    # Access tokens live 1.5 s: renewed every 0.75 s in the background, and by calls
    # themselves when a failed renewal lets one lapse.
    sandbox = Sandbox(access_token_ttl=1.5, refresh_token_ttl=8.0, faults=faults, seed=SEED)
    watched = Watched(sandbox)
    counter = AttemptCounter()

    def storm_complete() -> bool:
        fired_all = all(sandbox.faults.fired(fault) for fault in faults)
        return fired_all and counter.refreshes > 0

    run = Run(storm_complete)
    users: dict[str, UserState] = {}
    rng = random.Random(SEED)
    tasks_before = live_tasks()
    started = time.perf_counter()

    with serve(watched) as base_url, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with debug_logs() as logs:
            async with AsyncFino(
                name=sandbox.name,
                secret=sandbox.secret,
                base_url=base_url,
                fast=served == "loopback-fast",
                deadline=DEADLINE,
                timeout=DEADLINE,
                max_retries=3,
                backoff_initial=0.01,
                backoff_max=0.05,
                middleware=[counter],
            ) as fino:
                async with anyio.create_task_group() as workers:
                    for _ in range(WORKERS):
                        workers.start_soon(worker, fino, run, rng, variants, expected, users)
                elapsed = time.perf_counter() - started

                # The storm is over: every user the client was told about must exist
                # and hold the logins it last set successfully.
                sandbox.faults.clear()
                final = await fino.banking.get_logins_many(
                    list(users), concurrency=20, user_ip=USER_IP
                )
        for user_id, result in final.items():
            if isinstance(result, FinoError):
                run.wrong.append(f"user {user_id} the client was told about: {result!r}")
            elif not any(expected[k] == result for k in users[user_id].possible):
                run.wrong.append(f"user {user_id} ends with logins never set")

        connections = established_to(port_of(base_url))
        for _ in range(20):  # the server side may take a moment to see the close
            if not connections:
                break
            await anyio.sleep(0.1)
            connections = established_to(port_of(base_url))
        leftover_tasks = live_tasks() - tasks_before
        gc.collect()
    caught_warnings = [str(w.message) for w in caught]

    journal = sandbox.journal.entries()
    reached = Counter(
        entry.request_id
        for entry in journal
        if entry.route in WRITES and entry.status not in REFUSED_UNDONE
    )
    duplicates = {rid: n for rid, n in reached.items() if n > 1}
    forbidden = watched.tokens | ibans() | {sandbox.secret, USER_IP}
    leaked_lines = [line for line in logs.lines if any(s in line for s in forbidden)]
    fired = Counter[str]()
    for fault in faults:
        fired[describe(fault)] += sandbox.faults.fired(fault)

    auth_calls = Counter(e.route for e in journal if e.route and "/auth" in e.route)
    print_table(
        transport=f"{served} ({anyio_backend})",
        run=run,
        elapsed=elapsed,
        fired=fired,
        retries=sum(n - 1 for n in counter.attempts.values()),
        auth_calls=auth_calls,
        auth_max=(counter.auth_in_flight_max, watched.auth_in_flight_max),
        users=len(users),
        duplicates=len(duplicates),
        leaks=(connections, len(leftover_tasks), len(caught_warnings)),
        log_lines=len(logs.lines),
        leaked_lines=len(leaked_lines),
    )

    assert run.calls >= CALLS
    assert run.foreign == []
    assert run.wrong == []
    assert duplicates == {}, [
        (e.request_id, e.status) for e in journal if e.request_id in duplicates
    ]
    assert run.overdue == [], f"calls outlived the {DEADLINE}s deadline: {run.overdue}"
    assert counter.auth_in_flight_max == 1
    assert connections == 0
    assert leftover_tasks == set()
    assert caught_warnings == []
    assert leaked_lines == []
    # The run must have been a storm, or it proves nothing.
    assert sum(fired.values()) > CALLS / 10
    assert all(fired.values()), f"faults that never fired: {fired}"
    assert run.retried_sets > 0
    assert auth_calls["POST /auth/refresh"] > 0, "no access token lived long enough to expire"
    assert sum(run.errors.values()) > 0


def describe(fault: Fault) -> str:
    """A fault's kind as the table shows it, e.g. ``503 (after the work)``."""
    if fault.kind == "status":
        name = f"{fault.status}" + (" with Retry-After" if fault.retry_after is not None else "")
    elif fault.kind == "latency":
        name = "latency spike past the deadline" if fault.seconds > DEADLINE else "latency 50 ms"
    else:
        name = fault.kind.replace("_", " ")
    return name + (" (after the work)" if fault.after else "")


def print_table(
    *,
    transport: str,
    run: Run,
    elapsed: float,
    fired: Counter[str],
    retries: int,
    auth_calls: Counter[str | None],
    auth_max: tuple[int, int],
    users: int,
    duplicates: int,
    leaks: tuple[int, int, int],
    log_lines: int,
    leaked_lines: int,
) -> None:
    """The run's figures as a markdown table, for the closing note."""
    rows = [
        ("transport", transport),
        ("calls", f"{run.calls} in {elapsed:.1f}s ({run.calls / elapsed:.0f}/s), {users} users"),
        ("succeeded", ", ".join(f"{op} {n}" for op, n in sorted(run.ok.items()))),
        (
            "faults injected",
            f"{sum(fired.values())}: "
            + ", ".join(f"{kind} {n}" for kind, n in fired.most_common()),
        ),
        ("attempts beyond the first", f"{retries} (retried Set Logins: {run.retried_sets})"),
        ("auth calls", ", ".join(f"{route} {n}" for route, n in sorted(auth_calls.items()))),
        ("auth in flight at once (client, server)", f"{auth_max[0]}, {auth_max[1]}"),
        ("typed errors", ", ".join(f"{cls} {n}" for cls, n in run.errors.most_common())),
        ("foreign exceptions", str(len(run.foreign))),
        ("wrong data", str(len(run.wrong))),
        ("duplicated writes", str(duplicates)),
        ("slowest call", f"{run.slowest:.2f}s (deadline {DEADLINE}s)"),
        ("open connections, leftover tasks, warnings", "{}, {}, {}".format(*leaks)),
        ("log lines at DEBUG / with a secret", f"{log_lines} / {leaked_lines}"),
    ]
    print("\n| chaos | |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
