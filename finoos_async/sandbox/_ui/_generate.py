"""Realistic, deterministic bank data for a login connected through the Banking UI.

:func:`generate_login` answers one login in the wire shape of Get Logins: a current
account (Girokonto) with three months of German transactions and a standing order
for the rent, a savings account (Tagesgeld), and a securities account (Depot). The
same seed and the same ``now`` always give the same login, so a test can compare
against a second call; a different seed (every session has its own) gives other
names, amounts and ids.

IBANs are built on the bank's code and pass the mod-97 check; counterparts' IBANs,
creditor identifiers and ISINs are valid too. Each account's balance is its opening
balance plus its transactions; a position's value is its quantity times its price.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

from ._banks import TestBank
from ._check_digits import creditor_id, german_iban

__all__ = ["HISTORY_DAYS", "generate_login"]

#: How far back the generated transactions reach.
HISTORY_DAYS = 92

_CENT = Decimal("0.01")
_OWNERS = (
    "Torben Mais",
    "Anna Schmidt",
    "Jonas Becker",
    "Lena Hoffmann",
    "Emre Demir",
    "Sophie Wagner",
    "Lukas Schäfer",
    "Marie Neumann",
)
_EMPLOYERS = (
    "Muster Logistik GmbH",
    "Nordlicht Software AG",
    "Bäckerei Kröger GmbH & Co. KG",
    "Stadtwerke Musterstadt GmbH",
)
_LANDLORDS = ("Hausverwaltung Becker GmbH", "Wohnungsbau Mitte eG", "Karin und Peter Lorenz")
# (name, purpose prefix, tag, typical amount in euros, spread in euros)
_CARD_SHOPS = (
    ("REWE Markt GmbH", "REWE SAGT DANKE", "groceries", 38, 30),
    ("EDEKA Zentrale AG", "EDEKA CENTER", "groceries", 32, 25),
    ("ALDI SUED", "ALDI SUED SAGT DANKE", "groceries", 24, 18),
    ("Lidl Dienstleistung GmbH", "LIDL DIENSTL", "groceries", 21, 15),
    ("dm-drogerie markt GmbH", "DM FIL.", "drugstore", 17, 12),
    ("Rossmann GmbH", "ROSSMANN", "drugstore", 14, 9),
    ("DB Fernverkehr AG", "DB VERTRIEB GMBH", "travel", 59, 40),
    ("Aral AG", "ARAL STATION", "fuel", 62, 20),
    ("Bäckerei Schmidt", "BAECKEREI SCHMIDT", "food", 7, 4),
    ("Apotheke am Markt", "APOTHEKE AM MARKT", "health", 19, 14),
)
# (creditor, purpose template, tag, typical amount in euros, day of month)
_DIRECT_DEBITS = (
    ("Stadtwerke Musterstadt GmbH", "Abschlag Strom Vertragskonto {ref}", "utilities", 74, 15),
    ("Telekom Deutschland GmbH", "Mobilfunk Rechnung {month} Kd-Nr. {ref}", "phone", 29, 20),
    ("Fitnessstudio Aktiv GmbH", "Mitgliedsbeitrag {month} Vertrag {ref}", "sports", 34, 3),
)
# (ISIN, name, market, price, currency, whole shares only)
_SECURITIES = (
    ("IE00B4L5Y983", "iShares Core MSCI World UCITS ETF", "XETRA", "98.40", "EUR", False),
    ("DE0005557508", "Deutsche Telekom AG", "XETRA", "27.85", "EUR", True),
    ("DE0007164600", "SAP SE", "XETRA", "231.10", "EUR", True),
    ("DE0007236101", "Siemens AG", "XETRA", "184.62", "EUR", True),
    ("US0378331005", "Apple Inc.", "NASDAQ", "212.49", "USD", True),
)
_EUR_USD = Decimal("1.0842")
# German business transaction codes (GVC) as banks send them.
_GVC_SALARY = "153"
_GVC_STANDING_ORDER = "117"
_GVC_DIRECT_DEBIT = "105"
_GVC_CARD = "106"
_GVC_TRANSFER_IN = "166"
_GVC_TRANSFER_OUT = "116"
_GVC_INTEREST = "805"


def generate_login(bank: TestBank, *, seed: str, now: datetime) -> dict[str, Any]:
    """One login at ``bank`` in Get Logins' wire shape, the same for the same arguments.

    Money is ``Decimal`` (or ``int``), dates are ``YYYY-MM-DDTHH:MM:SSZ`` strings.
    Transactions reach back :data:`HISTORY_DAYS` days from ``now`` (aware), newest
    first; the last two days' are not yet booked.
    """
    rng = random.Random(f"{bank.code}:{seed}")
    today = now.astimezone(timezone.utc).date()
    owner = rng.choice(_OWNERS)
    giro_id, savings_id, depot_id = (_account_id(rng) for _ in range(3))
    giro_iban, savings_iban, depot_iban = (
        german_iban(bank.code, _account_number(rng)) for _ in range(3)
    )
    saving_rate = _money(rng.choice((50, 100, 150, 200)))

    rent = _money(rng.randrange(650, 1250))
    landlord = rng.choice(_LANDLORDS)
    landlord_iban = _counterpart_iban(rng)
    flat = rng.choice(("2. OG links", "EG rechts", "3. OG Mitte", "1. OG"))
    first_rent = date(today.year - rng.randrange(1, 6), rng.randrange(1, 13), 1)
    standing_order = {
        "id": _hex_id(rng),
        "accountID": giro_id,
        "creationDate": _timestamp(first_rent - timedelta(days=rng.randrange(5, 30))),
        "firstExecutionDate": _timestamp(first_rent),
        "lastExecutionDate": _timestamp(today.replace(day=1)),
        "executionDay": 1,
        "interval": "MONTHLY",
        "amount": rent,
        "currency": "EUR",
        "purpose": f"Miete Whg. {flat}",
    }

    giro = _transactions_giro(
        rng,
        today,
        own=(owner, savings_iban, bank.bic),
        saving_rate=saving_rate,
        rent=rent,
        landlord=(landlord, landlord_iban, flat),
    )
    savings = _transactions_savings(
        rng, today, own=(owner, giro_iban, bank.bic), saving_rate=saving_rate
    )
    securities = _securities(rng)
    giro_opening = _money(rng.randrange(400, 2500), rng.randrange(100))
    savings_opening = _money(rng.randrange(2000, 15000))

    return {
        "id": _hex_id(rng),
        "bank": {
            "name": bank.name,
            "bic": bank.bic,
            "bankCode": bank.code,
            "logo": {"url": "", "type": ""},
        },
        "accounts": [
            _account(
                giro_id,
                giro_iban,
                name="Girokonto",
                owner=owner,
                account_type="GIRO",
                balance=giro_opening + sum(t["amount"] for t in giro),
                credit_line=rng.choice((0, 500, 1000, 2000)),
                spending_limit=6000,
                transactions=giro,
                standing_orders=[standing_order],
            ),
            _account(
                savings_id,
                savings_iban,
                name="Tagesgeld",
                owner=owner,
                account_type="SAVINGS",
                balance=savings_opening + sum(t["amount"] for t in savings),
                transactions=savings,
            ),
            _account(
                depot_id,
                depot_iban,
                name="Depot",
                owner=owner,
                account_type="SECURITIES",
                balance=sum((s["amount"] for s in securities), Decimal("0.00")),
                securities=[{**s, "accountID": depot_id} for s in securities],
            ),
        ],
    }


def _account(
    account_id: str,
    iban: str,
    *,
    name: str,
    owner: str,
    account_type: str,
    balance: Decimal,
    credit_line: int = 0,
    spending_limit: int = 0,
    transactions: list[dict[str, Any]] | None = None,
    standing_orders: list[dict[str, Any]] | None = None,
    securities: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    for transaction in transactions or ():
        transaction["accountID"] = account_id
    return {
        "iban": iban,
        "id": account_id,
        # The account number is the IBAN's last ten digits, as German IBANs are built.
        "number": iban[-10:].lstrip("0"),
        "name": name,
        "owner": owner,
        "type": account_type,
        "balance": balance,
        "creditLine": credit_line,
        "monthlySpendingLimit": spending_limit,
        "currency": "EUR",
        "transactions": transactions or [],
        "standingOrders": standing_orders or [],
        "securities": securities or [],
    }


def _transactions_giro(
    rng: random.Random,
    today: date,
    *,
    own: tuple[str, str, str],
    saving_rate: Decimal,
    rent: Decimal,
    landlord: tuple[str, str, str],
) -> list[dict[str, Any]]:
    """Salary, rent, direct debits, savings, card payments and the odd transfer in."""
    start = today - timedelta(days=HISTORY_DAYS)
    employer = rng.choice(_EMPLOYERS)
    employer_iban = _counterpart_iban(rng)
    salary = _money(rng.randrange(2600, 4300), rng.randrange(100))
    landlord_name, landlord_iban, flat = landlord
    debits = [
        (name, purpose, tag, amount, debit_day, _digits(rng, 10), _digits(rng, 11))
        for name, purpose, tag, amount, debit_day in _DIRECT_DEBITS
    ]
    out: list[dict[str, Any]] = []

    for month_start in _month_starts(start, today):
        month = month_start.strftime("%m/%Y")
        out.append(
            _transaction(
                rng,
                month_start,
                -rent,
                f"Miete {month} Whg. {flat}",
                (landlord_name, landlord_iban, "GENODEF1S04", None),
                tag="rent",
                code=_GVC_STANDING_ORDER,
            )
        )
        for name, purpose, tag, amount, debit_day, ref, creditor in debits:
            variation = Decimal(rng.randrange(-300, 300)) / 100
            out.append(
                _transaction(
                    rng,
                    month_start.replace(day=debit_day),
                    -(_money(amount) + variation).quantize(_CENT),
                    purpose.format(ref=ref, month=month_start.strftime("%Y-%m")),
                    (name, _counterpart_iban(rng), "COBADEFFXXX", creditor_id(creditor)),
                    tag=tag,
                    code=_GVC_DIRECT_DEBIT,
                    mref=f"MREF{ref}",
                )
            )
        out.append(
            _transaction(
                rng,
                month_start.replace(day=3),
                -saving_rate,
                "Umbuchung Sparrate Tagesgeld",
                (*own, None),
                tag="savings",
                code=_GVC_TRANSFER_OUT,
            )
        )
        payday = month_start.replace(day=27)
        out.append(
            _transaction(
                rng,
                payday,
                salary,
                f"LOHN/GEHALT {month} PERS.-NR. {rng.randrange(1000, 9999)}",
                (employer, employer_iban, "DEUTDEFFXXX", None),
                tag="salary",
                code=_GVC_SALARY,
            )
        )

    day = start
    while day <= today:
        # Two card payments on an average day, fewer on Sundays, when most shops close.
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3) if day.weekday() < 6 else (0, 0, 1))):
            name, prefix, tag, typical, spread = rng.choice(_CARD_SHOPS)
            cents = max(149, typical * 100 + rng.randrange(-spread * 100, spread * 100))
            paid_at = time(rng.randrange(8, 21), rng.randrange(60))
            out.append(
                _transaction(
                    rng,
                    day,
                    -_money(cents // 100, cents % 100),
                    f"{prefix}//{day:%d.%m.} {paid_at:%H:%M} Debitkarte Nr. {rng.randrange(1, 9)}",
                    (name, _counterpart_iban(rng), "INGDDEFFXXX", None),
                    tag=tag,
                    code=_GVC_CARD,
                    at=paid_at,
                )
            )
        if rng.random() < 0.05:
            out.append(
                _transaction(
                    rng,
                    day,
                    _money(rng.randrange(10, 60)),
                    rng.choice(("Danke fürs Essen", "Geschenk für Oma", "Anteil Urlaub")),
                    (rng.choice(_OWNERS), _counterpart_iban(rng), "BYLADEM1001", None),
                    tag="transfer",
                    code=_GVC_TRANSFER_IN,
                )
            )
        day += timedelta(days=1)
    return _in_window_newest_first(out, start, today)


def _transactions_savings(
    rng: random.Random, today: date, *, own: tuple[str, str, str], saving_rate: Decimal
) -> list[dict[str, Any]]:
    """The monthly saving rate from the Girokonto and the quarter's interest."""
    start = today - timedelta(days=HISTORY_DAYS)
    out = [
        _transaction(
            rng,
            month_start.replace(day=3),
            saving_rate,
            "Umbuchung Sparrate Tagesgeld",
            (*own, None),
            tag="savings",
            code=_GVC_TRANSFER_IN,
        )
        for month_start in _month_starts(start, today)
    ]
    quarter_end = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - timedelta(days=1)
    out.append(
        _transaction(
            rng,
            quarter_end,
            _money(rng.randrange(5, 40), rng.randrange(100)),
            f"Zinsgutschrift {quarter_end:%m/%Y}",
            (None, None, None, None),
            tag="interest",
            code=_GVC_INTEREST,
        )
    )
    return _in_window_newest_first(out, start, today)


def _securities(rng: random.Random) -> list[dict[str, Any]]:
    chosen = rng.sample(_SECURITIES, rng.randrange(2, 4))
    positions = []
    for isin, name, market, price_text, currency, whole in chosen:
        price = Decimal(price_text) * (1 + Decimal(rng.randrange(-80, 80)) / 1000)
        price = price.quantize(_CENT)
        purchase = (price * (1 + Decimal(rng.randrange(-250, 150)) / 1000)).quantize(_CENT)
        if whole:
            quantity = Decimal(rng.randrange(3, 60))
        else:  # a savings plan buys fractional units
            quantity = Decimal(rng.randrange(5000, 90000)) / 1000
        rate = _EUR_USD if currency == "USD" else Decimal(1)
        positions.append(
            {
                "id": _hex_id(rng),
                "isin": isin,
                "name": name,
                "market": market,
                "quantity": quantity,
                "amount": (quantity * price / rate).quantize(_CENT),
                "currency": "EUR",
                "priceAmount": price,
                "priceCurrency": currency,
                "purchasePriceAmount": purchase,
                "purchasePriceCurrency": currency,
                "exchangeRate": rate,
            }
        )
    return positions


def _transaction(
    rng: random.Random,
    day: date,
    amount: Decimal,
    purpose: str,
    counterpart: tuple[str | None, str | None, str | None, str | None],
    *,
    tag: str,
    code: str,
    mref: str | None = None,
    at: time | None = None,
) -> dict[str, Any]:
    name, iban, bic, creditor = counterpart
    if at is None:
        at = time(rng.randrange(6, 22), rng.randrange(60))
    moment = datetime.combine(day, at)
    transaction: dict[str, Any] = {
        "id": _hex_id(rng),
        "accountID": "",  # set by _account, which knows the id
        "bookingDate": _timestamp(moment),
        "valueDate": _timestamp(day),
        "currency": "EUR",
        "purpose": purpose,
        "booked": True,
        "amount": amount,
        "counterPart": {"bic": bic, "iban": iban, "creditorId": creditor, "name": name},
        "tags": [{"name": tag}],
        "codes": [{"value": code, "type": "transactionCode"}],
    }
    if mref is not None:
        transaction["mref"] = mref
    return transaction


def _in_window_newest_first(
    transactions: list[dict[str, Any]], start: date, today: date
) -> list[dict[str, Any]]:
    """Drop what falls before ``start`` or after ``today``; mark the last two days pending."""
    first, last = _timestamp(start), _timestamp(today)
    kept = [t for t in transactions if first <= t["valueDate"] <= last]
    kept.sort(key=lambda t: (t["bookingDate"], t["id"]), reverse=True)
    pending_from = _timestamp(today - timedelta(days=1))
    for transaction in kept:
        # A bank books card payments a day or two later; until then they are pending.
        if transaction["valueDate"] >= pending_from:
            transaction["booked"] = False
    return kept


def _month_starts(start: date, end: date) -> list[date]:
    """The first day of every month that overlaps ``[start, end]``."""
    first = start.replace(day=1)
    months = []
    while first <= end:
        months.append(first)
        first = _next_month(first)
    return months


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _timestamp(moment: date | datetime) -> str:
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time())
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _money(euros: int, cents: int = 0) -> Decimal:
    return Decimal(f"{euros}.{cents:02d}")


def _hex_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def _account_id(rng: random.Random) -> str:
    # The shape of the ids in the vendor's samples: "A38253.f837c3ab353".
    return f"A{rng.randrange(10000, 99999)}.{rng.getrandbits(44):011x}"


def _account_number(rng: random.Random) -> str:
    return str(rng.randrange(10**9, 10**10))


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(count))


def _counterpart_iban(rng: random.Random) -> str:
    return german_iban(f"{rng.randrange(10000000, 89999999)}", _account_number(rng))
