"""The Get Logins wire schema, written from the contract, and an oracle that judges bodies.

This is deliberately independent of the SDK's models: it is transcribed from the
Login tree in ``finoos-v1-contract.md``, so a decoder that accepts what the
contract does not (or refuses what it allows) disagrees with it and fails a test.

The rules it states are the SDK's documented ones: every field except ``id`` may be
absent or ``null``; a list that is absent or ``null`` is empty; money is a JSON number
(never a string, bool or float-as-string); datetimes are ISO 8601 strings; enum
fields take any string; unknown keys are allowed anywhere and kept.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal, DecimalException
from typing import Any

__all__ = [
    "ENUM_VALUES",
    "MODELS",
    "REQUIRED",
    "Kind",
    "conforms",
    "iso_datetime",
    "parse_json",
]

Kind = str | tuple[str, str]

# Field kinds: "str", "bool", "int", "money", "datetime", "enum", ("model", name),
# ("list", name). ``REQUIRED`` fields must be present and non-null.
MODELS: dict[str, dict[str, Kind]] = {
    "Login": {"id": "str", "bank": ("model", "Bank"), "accounts": ("list", "Account")},
    "Bank": {"name": "str", "bic": "str", "bankCode": "str", "logo": ("model", "Logo")},
    "Logo": {"url": "str", "type": "str"},
    "Account": {
        "id": "str",
        "iban": "str",
        "number": "str",
        "name": "str",
        "owner": "str",
        "type": "enum",
        "balance": "money",
        "creditLine": "money",
        "monthlySpendingLimit": "money",
        "currency": "str",
        "transactions": ("list", "Transaction"),
        "standingOrders": ("list", "StandingOrder"),
        "securities": ("list", "Security"),
    },
    "Transaction": {
        "id": "str",
        "accountID": "str",
        "amount": "money",
        "currency": "str",
        "booked": "bool",
        "bookingDate": "datetime",
        "valueDate": "datetime",
        "purpose": "str",
        "mref": "str",
        "counterPart": ("model", "CounterPart"),
        "tags": ("list", "Tag"),
        "codes": ("list", "Code"),
    },
    "CounterPart": {"name": "str", "iban": "str", "bic": "str", "creditorId": "str"},
    "Tag": {"name": "str", "source": "str"},
    "Code": {"type": "str", "value": "str"},
    "StandingOrder": {
        "id": "str",
        "accountID": "str",
        "amount": "money",
        "currency": "str",
        "purpose": "str",
        "interval": "enum",
        "executionDay": "int",
        "creationDate": "datetime",
        "firstExecutionDate": "datetime",
        "lastExecutionDate": "datetime",
    },
    "Security": {
        "id": "str",
        "accountID": "str",
        "isin": "str",
        "name": "str",
        "market": "str",
        "quantity": "money",
        "amount": "money",
        "currency": "str",
        "priceAmount": "money",
        "priceCurrency": "str",
        "purchasePriceAmount": "money",
        "purchasePriceCurrency": "str",
        "exchangeRate": "money",
    },
}
REQUIRED = {"Login": {"id"}, "Account": {"id"}, "Transaction": {"id"}}
REQUIRED.update({"StandingOrder": {"id"}, "Security": {"id"}})

#: Known values of the enum fields; the SDK accepts any other string too.
ENUM_VALUES = {
    "type": ("GIRO", "SAVINGS", "CREDIT_CARD", "DEPOSIT", "LOAN", "SECURITIES"),
    "interval": ("WEEKLY", "MONTHLY", "QUARTERLY", "HALF_YEARLY", "YEARLY"),
}


class _NotJSON(Exception):
    pass


def _reject_constant(name: str) -> Any:
    raise _NotJSON(name)


def parse_json(body: bytes) -> Any:
    """The body as JSON with exact numbers, or raise: what a correct decoder must read."""
    try:
        return json.loads(body, parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, RecursionError, DecimalException, _NotJSON) as exc:
        raise _NotJSON(type(exc).__name__) from exc


def iso_datetime(text: str) -> datetime | None:
    """``text`` as an aware datetime (``Z`` and a bare time mean UTC), or None if not ISO 8601."""
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _value_conforms(value: Any, kind: Kind) -> bool:
    if value is None:
        return True  # every non-required field may be null; lists then are empty
    if kind in ("str", "enum"):
        return type(value) is str
    if kind == "bool":
        return type(value) is bool
    if kind == "int":
        return type(value) is int
    if kind == "money":
        return type(value) in (int, Decimal)
    if kind == "datetime":
        return type(value) is str and iso_datetime(value) is not None
    shape, name = kind
    if shape == "model":
        return _model_conforms(value, name)
    return type(value) is list and all(_model_conforms(item, name) for item in value)


def _model_conforms(value: Any, name: str) -> bool:
    if type(value) is not dict:
        return False
    fields = MODELS[name]
    for key in REQUIRED.get(name, ()):
        if value.get(key) is None:
            return False
    return all(_value_conforms(value[key], kind) for key, kind in fields.items() if key in value)


def conforms(body: bytes) -> bool:
    """Whether ``body`` is a Get Logins body the contract allows (so it must decode)."""
    try:
        data = parse_json(body)
    except _NotJSON:
        return False
    if type(data) is not dict or "logins" not in data:
        return False
    logins = data["logins"]
    return type(logins) is list and all(_model_conforms(item, "Login") for item in logins)
