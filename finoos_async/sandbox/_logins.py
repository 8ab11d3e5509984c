"""Set Logins: check the body's shape and store it the way finoOS does.

The seed documentation shows Step 4b's body coming back from Get Logins as Step 5's,
with these differences, reproduced here: transactions' and securities' ``accountID``
become the owning account's ``id``; a tag's ``source`` is dropped; the bank logo's
``url`` and ``type`` become ``""``; a standing order's ``id`` becomes ``""`` (its
``accountID`` is left as sent). Every other field, known or not, is kept as sent.

``null`` counts as absent for the checked fields: a client that writes unset optional
fields as ``null`` is not rejected for it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

__all__ = ["LoginsError", "store_logins"]

_MONEY_FIELDS = (
    "amount",
    "balance",
    "creditLine",
    "monthlySpendingLimit",
    "priceAmount",
    "purchasePriceAmount",
    "quantity",
    "exchangeRate",
)
_BANK_STRINGS = ("name", "bic", "bankCode")


class LoginsError(ValueError):
    """The Set Logins body does not have the documented shape; the message names where."""


def store_logins(payload: Any) -> list[dict[str, Any]]:
    """Validate a Set Logins body and return its logins as finoOS would store them.

    ``payload`` must be freshly parsed: it is rewritten in place. Raises
    :class:`LoginsError` with a JSON path such as ``$.logins[0].accounts[1].balance``.
    """
    if not isinstance(payload, dict):
        raise LoginsError("$ must be an object")
    logins = _list_of_objects(payload.get("logins"), "$.logins", required=True)
    for index, login in enumerate(logins):
        _store_login(login, f"$.logins[{index}]")
    return logins


def _store_login(login: dict[str, Any], path: str) -> None:
    if not isinstance(login.get("id"), str):
        raise LoginsError(f"{path}.id must be a string")
    bank = login.get("bank")
    if not isinstance(bank, dict):
        raise LoginsError(f"{path}.bank must be an object")
    for key in _BANK_STRINGS:
        _check_string(bank, key, f"{path}.bank")
    logo = bank.get("logo")
    if logo is not None:
        if not isinstance(logo, dict):
            raise LoginsError(f"{path}.bank.logo must be an object")
        logo["url"] = ""
        logo["type"] = ""
    accounts = _list_of_objects(login.get("accounts"), f"{path}.accounts", required=True)
    for index, account in enumerate(accounts):
        _store_account(account, f"{path}.accounts[{index}]")


def _store_account(account: dict[str, Any], path: str) -> None:
    _check_string(account, "id", path)
    _check_money(account, path)
    account_id = account.get("id") or ""

    transactions = _list_of_objects(account.get("transactions"), f"{path}.transactions")
    for index, transaction in enumerate(transactions):
        where = f"{path}.transactions[{index}]"
        _check_money(transaction, where)
        booked = transaction.get("booked")
        if booked is not None and not isinstance(booked, bool):
            raise LoginsError(f"{where}.booked must be a boolean")
        for tag in _list_of_objects(transaction.get("tags"), f"{where}.tags"):
            tag.pop("source", None)
        transaction["accountID"] = account_id

    orders = _list_of_objects(account.get("standingOrders"), f"{path}.standingOrders")
    for index, order in enumerate(orders):
        _check_money(order, f"{path}.standingOrders[{index}]")
        order["id"] = ""

    securities = _list_of_objects(account.get("securities"), f"{path}.securities")
    for index, security in enumerate(securities):
        _check_money(security, f"{path}.securities[{index}]")
        security["accountID"] = account_id


def _list_of_objects(value: Any, path: str, *, required: bool = False) -> list[dict[str, Any]]:
    if value is None and not required:
        return []
    if not isinstance(value, list):
        raise LoginsError(f"{path} must be a list")
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise LoginsError(f"{path}[{index}] must be an object")
    return value


def _check_money(obj: dict[str, Any], path: str) -> None:
    for key in _MONEY_FIELDS:
        value = obj.get(key)
        # bool is an int subclass, so test the exact type.
        if value is not None and type(value) not in (int, Decimal):
            raise LoginsError(f"{path}.{key} must be a number")


def _check_string(obj: dict[str, Any], key: str, path: str) -> None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise LoginsError(f"{path}.{key} must be a string")
