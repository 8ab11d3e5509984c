"""Decode speed: the SDK's decoder vs json.loads vs pydantic v2, on Get Logins bodies.

Every variant decodes the same bytes; each is checked to produce the same amounts
before anything is timed. Results are ratios within this one run.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _data import logins_body
from _report import write_report

from finoos_async import Login, _json
from finoos_async._decoder import Decoder


def pydantic_models() -> Any:
    """Equivalent pydantic v2 models: Decimal money, aware datetimes, extra fields kept."""
    from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

    class M(BaseModel):
        model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    class Logo(M):
        url: str | None = None
        type: str | None = None

    class Bank(M):
        name: str | None = None
        bic: str | None = None
        bank_code: str | None = Field(None, alias="bankCode")
        logo: Logo | None = None

    class CounterPart(M):
        name: str | None = None
        iban: str | None = None
        bic: str | None = None
        creditor_id: str | None = Field(None, alias="creditorId")

    class Tag(M):
        name: str | None = None
        source: str | None = None

    class Code(M):
        type: str | None = None
        value: str | None = None

    class Transaction(M):
        id: str
        account_id: str | None = Field(None, alias="accountID")
        amount: Decimal | None = None
        currency: str | None = None
        booked: bool | None = None
        booking_date: AwareDatetime | None = Field(None, alias="bookingDate")
        value_date: AwareDatetime | None = Field(None, alias="valueDate")
        purpose: str | None = None
        mref: str | None = None
        counter_part: CounterPart | None = Field(None, alias="counterPart")
        tags: tuple[Tag, ...] = ()
        codes: tuple[Code, ...] = ()

    class StandingOrder(M):
        id: str
        account_id: str | None = Field(None, alias="accountID")
        amount: Decimal | None = None
        currency: str | None = None
        purpose: str | None = None
        interval: str | None = None
        execution_day: int | None = Field(None, alias="executionDay")
        creation_date: datetime | None = Field(None, alias="creationDate")
        first_execution_date: datetime | None = Field(None, alias="firstExecutionDate")
        last_execution_date: datetime | None = Field(None, alias="lastExecutionDate")

    class Security(M):
        id: str
        account_id: str | None = Field(None, alias="accountID")
        isin: str | None = None
        name: str | None = None
        market: str | None = None
        quantity: Decimal | None = None
        amount: Decimal | None = None
        currency: str | None = None
        price_amount: Decimal | None = Field(None, alias="priceAmount")
        price_currency: str | None = Field(None, alias="priceCurrency")
        purchase_price_amount: Decimal | None = Field(None, alias="purchasePriceAmount")
        purchase_price_currency: str | None = Field(None, alias="purchasePriceCurrency")
        exchange_rate: Decimal | None = Field(None, alias="exchangeRate")

    class Account(M):
        id: str
        iban: str | None = None
        number: str | None = None
        name: str | None = None
        owner: str | None = None
        type: str | None = None
        balance: Decimal | None = None
        credit_line: Decimal | None = Field(None, alias="creditLine")
        monthly_spending_limit: Decimal | None = Field(None, alias="monthlySpendingLimit")
        currency: str | None = None
        transactions: tuple[Transaction, ...] = ()
        standing_orders: tuple[StandingOrder, ...] = Field((), alias="standingOrders")
        securities: tuple[Security, ...] = ()

    class PLogin(M):
        id: str
        bank: Bank | None = None
        accounts: tuple[Account, ...] = ()

    class Logins(M):
        logins: list[PLogin]

    return Logins


def best_of(func: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs, in seconds (GC paused while timing, one warm-up)."""
    func()  # warm-up: caches, and the heap grown to its working size
    times = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            started = time.perf_counter()
            func()
            times.append(time.perf_counter() - started)
        finally:
            gc.enable()
    return min(times)


def run() -> list[dict[str, Any]]:
    """Time every decoder on 200 and 10,000 transactions; return one row per size."""
    decoder = Decoder()
    pydantic_logins = pydantic_models()
    rows = []
    for size, repeat in ((200, 50), (10_000, 11)):
        body = logins_body(size)

        def sdk(body: bytes = body) -> list[Login]:
            return decoder.structure(_json.loads(body)["logins"], list[Login])  # type: ignore[no-any-return]

        def plain(body: bytes = body) -> Any:
            return json.loads(body)

        def pydantic(body: bytes = body) -> Any:
            return pydantic_logins.model_validate_json(body)

        ours = [t.amount for t in sdk()[0].accounts[0].transactions]
        theirs = [t.amount for t in pydantic().logins[0].accounts[0].transactions]
        assert ours == theirs, "the SDK and pydantic disagree on the amounts"
        assert all(type(a) is Decimal for a in ours)
        assert [str(a) for a in ours[:3]] == [
            json.dumps(t["amount"]) for t in plain()["logins"][0]["accounts"][0]["transactions"][:3]
        ]

        timings = {
            "json.loads": best_of(plain, repeat),
            "finoos_async": best_of(sdk, repeat),
            "pydantic v2": best_of(pydantic, repeat),
        }
        base = timings["json.loads"]
        rows.append(
            {
                "transactions": size,
                "body KB": round(len(body) / 1024),
                **{f"{name} ms": round(value * 1000, 2) for name, value in timings.items()},
                "SDK / json.loads": round(timings["finoos_async"] / base, 2),
                "pydantic / json.loads": round(timings["pydantic v2"] / base, 2),
                "SDK / pydantic": round(timings["finoos_async"] / timings["pydantic v2"], 2),
            }
        )
    return rows


def main() -> None:
    """Run and report."""
    rows = run()
    for row in rows:
        print(row)
    write_report(
        "decode", "Decode time vs pydantic v2 (lower is better)", rows, chart="SDK / pydantic"
    )


if __name__ == "__main__":
    main()
