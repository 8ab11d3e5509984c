"""``finoos demo``: the quickstart, end to end, with a readable summary.

Without ``FINOOS_BASE_URL`` / ``FINOOS_NAME`` / ``FINOOS_SECRET`` it runs on an
embedded in-process sandbox, so it needs nothing but this package.
"""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from importlib import resources
from typing import Any, TypeVar

import anyio

from .. import _json
from .._client import AsyncFino
from .._exceptions import FinoError
from .._models.banking import Login
from .._response import RawResponse
from ._output import ProgressBar, money, table

__all__ = ["run_demo"]

T = TypeVar("T")

# Documentation addresses (RFC 5737 and RFC 2606): nothing real is contacted.
_END_USER_IP = "203.0.113.7"
_APP = "https://yourapp.example"


def _seed_logins(fino: AsyncFino) -> list[Login]:
    raw = resources.files("finoos_async._demo").joinpath("seed_logins.json").read_bytes()
    logins: list[Login] = fino._decoder.structure(_json.loads(raw)["logins"], list[Login])
    return logins


def _client() -> tuple[AsyncFino, str]:
    if os.environ.get("FINOOS_BASE_URL") and os.environ.get("FINOOS_NAME"):
        return AsyncFino(), os.environ["FINOOS_BASE_URL"]
    from ..sandbox import Sandbox

    sandbox = Sandbox()
    client = AsyncFino(
        name=sandbox.name,
        secret=sandbox.secret,
        base_url=sandbox.base_url,
        transport=sandbox.transport(),
    )
    return client, "the embedded sandbox (in-process)"


async def _step(label: str, call: Callable[[], Awaitable[RawResponse[T]]]) -> T:
    started = time.perf_counter()
    raw = await call()
    elapsed = (time.perf_counter() - started) * 1000
    print(f"  ok  {label:<28} {elapsed:7.1f} ms  request id {raw.request_id}")
    return raw.parse()


async def run_demo(users: int, concurrency: int) -> int:
    """Run the quickstart and a bulk fetch; print what happened. Returns the exit status."""
    client, where = _client()
    print(f"finoOS demo on {where}\n")
    started = time.perf_counter()
    async with client as fino:
        raw = fino.with_raw_response
        settings = await _step("authenticate + settings", raw.settings.get)
        print(f"      API version {settings.api_version}, scopes {', '.join(settings.scopes)}")
        user = await _step("create user", lambda: raw.users.create(type="person"))
        session = await _step(
            "open a Banking UI session",
            lambda: raw.banking.connect(
                user.id,
                redirect_url=f"{_APP}/ok",
                error_url=f"{_APP}/error",
                exit_url=f"{_APP}/exit",
                recurring=True,
                user_ip=_END_USER_IP,
            ),
        )
        print(f"      send the end user to {session.redirect_url}")
        seed = _seed_logins(fino)
        await _step("set the sample logins", lambda: raw.banking.set_logins(user.id, seed))
        logins = await _step("get them back", lambda: raw.banking.get_logins(user.id))
        _print_logins(logins)

        if users > 0:
            await _bulk(fino, seed, users, concurrency)
    print(f"\nDone in {time.perf_counter() - started:.2f} s.")
    return 0


def _print_logins(logins: list[Login]) -> None:
    rows = []
    for login in logins:
        for account in login.accounts:
            first = account.transactions[0] if account.transactions else None
            rows.append(
                [
                    login.bank.name if login.bank and login.bank.name else "-",
                    account.iban or account.id,
                    str(account.type or "-"),
                    money(account.balance, account.currency),
                    str(len(account.transactions)),
                    money(first.amount, first.currency) if first else "-",
                ]
            )
    print()
    print(table(["bank", "account", "type", "balance", "transactions", "first amount"], rows))
    print()


async def _bulk(fino: AsyncFino, seed: list[Login], users: int, concurrency: int) -> None:
    print(f"Bulk: {users} users, {concurrency} calls in flight")
    prepare = ProgressBar("  preparing users")
    ids: list[str] = []
    limiter = anyio.CapacityLimiter(concurrency)

    async def make_user() -> None:
        async with limiter:
            user = await fino.users.create(type="person")
            await fino.banking.set_logins(user.id, seed)
            ids.append(user.id)
            prepare(len(ids), users)

    async with anyio.create_task_group() as task_group:
        for _ in range(users):
            task_group.start_soon(make_user)

    started = time.perf_counter()
    results: dict[str, Any] = await fino.banking.get_logins_many(
        ids,
        concurrency=concurrency,
        progress=ProgressBar("  fetching logins"),
        request_id_prefix="demo-bulk-",
    )
    elapsed = time.perf_counter() - started
    fetched = [r for r in results.values() if not isinstance(r, FinoError)]
    failed = len(results) - len(fetched)
    transactions = sum(len(a.transactions) for ls in fetched for lg in ls for a in lg.accounts)
    balances = sum(
        (a.balance for ls in fetched for lg in ls for a in lg.accounts if a.balance is not None),
        Decimal(0),
    )
    print(
        f"  fetched {len(fetched)} users ({failed} failed) in {elapsed:.2f} s "
        f"= {len(results) / elapsed:.0f} users/s; {transactions} transactions; "
        f"balances total {balances} (exact)"
    )
