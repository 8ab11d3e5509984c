"""Bank logins and everything inside them, as Set Logins and Get Logins carry them.

Every money-like value (amounts, balances, credit lines, limits, prices,
quantities, exchange rates) is a ``Decimal`` equal to the JSON text.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from .._wire import wire_name
from ._common import StrEnum, extra_field

__all__ = [
    "Account",
    "AccountType",
    "Bank",
    "Code",
    "ConnectSession",
    "CounterPart",
    "Interval",
    "Login",
    "Logo",
    "Security",
    "StandingOrder",
    "Tag",
    "Transaction",
]


class AccountType(StrEnum):
    """Known account types. A type the SDK does not know arrives as a plain ``str``."""

    GIRO = "GIRO"
    SAVINGS = "SAVINGS"
    CREDIT_CARD = "CREDIT_CARD"
    DEPOSIT = "DEPOSIT"
    LOAN = "LOAN"
    SECURITIES = "SECURITIES"


class Interval(StrEnum):
    """Known standing-order intervals; an unknown one arrives as a plain ``str``."""

    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"
    QUARTERLY = "QUARTERLY"
    HALF_YEARLY = "HALF_YEARLY"
    YEARLY = "YEARLY"


@attrs.frozen(kw_only=True)
class Logo:
    """A bank's logo.

    Attributes:
        url: Where the logo is served.
        type: Its media type.
        extra: Fields this SDK version does not model, kept as received.
    """

    url: str | None = None
    type: str | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class Bank:
    """The bank a login belongs to.

    Attributes:
        name: The bank's name.
        bic: Its BIC.
        bank_code: Its national bank code (``bankCode``).
        logo: Its logo.
        extra: Fields this SDK version does not model, kept as received.
    """

    name: str | None = None
    bic: str | None = None
    bank_code: str | None = None
    logo: Logo | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class CounterPart:
    """The other side of a transaction.

    Attributes:
        name: Name of the payer or payee.
        iban: Their IBAN.
        bic: Their BIC.
        creditor_id: SEPA creditor id (``creditorId``).
        extra: Fields this SDK version does not model, kept as received.
    """

    name: str | None = None
    iban: str | None = None
    bic: str | None = None
    creditor_id: str | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class Tag:
    """A label on a transaction.

    Attributes:
        name: The tag.
        source: Who set it (sent on Set Logins; Get Logins does not echo it).
        extra: Fields this SDK version does not model, kept as received.
    """

    name: str | None = None
    source: str | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class Code:
    """A bank code attached to a transaction.

    Attributes:
        type: What kind of code (e.g. ``"transactionCode"``).
        value: The code.
        extra: Fields this SDK version does not model, kept as received.
    """

    type: str | None = None
    value: str | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class Transaction:
    """One booked or pending transaction.

    Attributes:
        id: The transaction id.
        account_id: The owning account's id (``accountID``).
        amount: Exact amount; negative for debits.
        currency: ISO 4217 code.
        booked: Whether the bank has booked it.
        booking_date: When it was booked (aware).
        value_date: Its value date (aware).
        purpose: The remittance text.
        mref: SEPA mandate reference.
        counter_part: The other side (``counterPart``).
        tags: Labels.
        codes: Bank codes.
        extra: Fields this SDK version does not model, kept as received.
    """

    id: str
    account_id: str | None = attrs.field(default=None, metadata=wire_name("accountID"))
    amount: Decimal | None = None
    currency: str | None = None
    booked: bool | None = None
    booking_date: datetime | None = None
    value_date: datetime | None = None
    purpose: str | None = None
    mref: str | None = None
    counter_part: CounterPart | None = None
    tags: tuple[Tag, ...] = ()
    codes: tuple[Code, ...] = ()
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class StandingOrder:
    """A recurring transfer.

    Attributes:
        id: The standing order id (Get Logins may answer it empty).
        account_id: The account it is drawn on (``accountID``).
        amount: Exact amount per execution.
        currency: ISO 4217 code.
        purpose: The remittance text.
        interval: ``Interval.MONTHLY`` and so on, or a newer value as ``str``.
        execution_day: Day of the interval it runs on.
        creation_date: When it was set up (aware).
        first_execution_date: First run (aware).
        last_execution_date: Last run (aware).
        extra: Fields this SDK version does not model, kept as received.
    """

    id: str
    account_id: str | None = attrs.field(default=None, metadata=wire_name("accountID"))
    amount: Decimal | None = None
    currency: str | None = None
    purpose: str | None = None
    interval: Interval | str | None = None
    execution_day: int | None = None
    creation_date: datetime | None = None
    first_execution_date: datetime | None = None
    last_execution_date: datetime | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class Security:
    """A holding in a securities account.

    Attributes:
        id: The security position id.
        account_id: The owning account's id (``accountID``).
        isin: Its ISIN.
        name: Its name.
        market: Where it trades.
        quantity: Exact number of units.
        amount: Exact value of the position.
        currency: Currency of ``amount``.
        price_amount: Exact current unit price.
        price_currency: Currency of ``price_amount``.
        purchase_price_amount: Exact unit purchase price.
        purchase_price_currency: Currency of ``purchase_price_amount``.
        exchange_rate: Exact exchange rate applied.
        extra: Fields this SDK version does not model, kept as received.
    """

    id: str
    account_id: str | None = attrs.field(default=None, metadata=wire_name("accountID"))
    isin: str | None = None
    name: str | None = None
    market: str | None = None
    quantity: Decimal | None = None
    amount: Decimal | None = None
    currency: str | None = None
    price_amount: Decimal | None = None
    price_currency: str | None = None
    purchase_price_amount: Decimal | None = None
    purchase_price_currency: str | None = None
    exchange_rate: Decimal | None = None
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class Account:
    """A bank account with its transactions, standing orders and securities.

    Attributes:
        id: The account id.
        iban: Its IBAN.
        number: The national account number.
        name: The bank's name for the account.
        owner: The account holder.
        type: ``AccountType.GIRO`` and so on, or a newer value as ``str``.
        balance: Exact balance.
        credit_line: Exact overdraft limit (``creditLine``).
        monthly_spending_limit: Exact limit (``monthlySpendingLimit``).
        currency: ISO 4217 code.
        transactions: Its transactions.
        standing_orders: Its standing orders (``standingOrders``).
        securities: Its securities.
        extra: Fields this SDK version does not model, kept as received.
    """

    id: str
    iban: str | None = None
    number: str | None = None
    name: str | None = None
    owner: str | None = None
    type: AccountType | str | None = None
    balance: Decimal | None = None
    credit_line: Decimal | None = None
    monthly_spending_limit: Decimal | None = None
    currency: str | None = None
    transactions: tuple[Transaction, ...] = ()
    standing_orders: tuple[StandingOrder, ...] = ()
    securities: tuple[Security, ...] = ()
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class Login:
    """One bank login of a user: the bank and the accounts reached through it.

    Attributes:
        id: The login id.
        bank: The bank.
        accounts: The accounts.
        extra: Fields this SDK version does not model, kept as received.
    """

    id: str
    bank: Bank | None = None
    accounts: tuple[Account, ...] = ()
    extra: Mapping[str, Any] = extra_field()


@attrs.frozen(kw_only=True)
class ConnectSession:
    """A Banking UI session: send the end user to ``redirect_url``.

    Attributes:
        redirect_url: The hosted Banking UI address (``redirectURL``).
        extra: Fields this SDK version does not model, kept as received.
    """

    redirect_url: str = attrs.field(metadata=wire_name("redirectURL"))
    extra: Mapping[str, Any] = extra_field()
