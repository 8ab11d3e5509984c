"""Set Logins and Get Logins: validation, the seed's transformations, exact numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from finoos_async._json import dumps, loads

from .conftest import Api

pytestmark = pytest.mark.anyio


def _login(**account_fields: Any) -> dict[str, Any]:
    account = {"id": "acc-1", "balance": 1, **account_fields}
    return {"id": "login-1", "bank": {"name": "fino Bank"}, "accounts": [account]}


async def test_seed_round_trip_returns_step_5(
    api: Api, set_logins_body: bytes, get_logins_body: Any
) -> None:
    """Step 4b's body sent without Content-Type comes back from Get Logins as Step 5's."""
    user = await api.create_user()
    sent = await api.post(f"/users/{user}/banking/logins", content=set_logins_body)
    assert "content-type" not in sent.request.headers
    assert sent.status_code == 200
    assert loads(sent.content) == get_logins_body

    got = await api.get(f"/users/{user}/banking/logins")
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/json"
    assert loads(got.content) == get_logins_body


async def test_numbers_keep_their_exact_digits(api: Api, set_logins_body: bytes) -> None:
    """Amounts come back with the digits they were sent with, not via a binary float."""
    user = await api.create_user()
    await api.post(f"/users/{user}/banking/logins", content=set_logins_body)
    text = (await api.get(f"/users/{user}/banking/logins")).text
    assert '"balance":2004.41' in text
    assert '"creditLine":0' in text
    assert '"monthlySpendingLimit":6000' in text
    assert '"exchangeRate":1.23' in text


async def test_new_user_has_no_logins(api: Api) -> None:
    """Get Logins for a fresh user answers an empty list."""
    user = await api.create_user()
    response = await api.get(f"/users/{user}/banking/logins")
    assert response.status_code == 200
    assert response.json() == {"logins": []}


async def test_set_logins_replaces_the_stored_logins(api: Api) -> None:
    """A second Set Logins replaces the first rather than appending to it."""
    user = await api.create_user()
    await api.post(f"/users/{user}/banking/logins", json={"logins": [_login()]})
    second = _login()
    second["id"] = "login-2"
    await api.post(f"/users/{user}/banking/logins", json={"logins": [second]})
    got = (await api.get(f"/users/{user}/banking/logins")).json()
    assert [login["id"] for login in got["logins"]] == ["login-2"]


async def test_logins_are_kept_per_user(api: Api) -> None:
    """One user's logins are not visible to another user."""
    alice, bob = await api.create_user(), await api.create_user()
    await api.post(f"/users/{alice}/banking/logins", json={"logins": [_login()]})
    assert (await api.get(f"/users/{bob}/banking/logins")).json() == {"logins": []}


async def test_unknown_fields_are_kept_everywhere(api: Api) -> None:
    """Fields the sandbox does not know are stored and echoed unchanged at every level."""
    login = {
        "id": "login-1",
        "futureLoginField": {"nested": [1, Decimal("2.50")]},
        "bank": {"name": "fino Bank", "logo": {"url": "x", "type": "y", "size": 3}, "x": None},
        "accounts": [
            {
                "id": "acc-1",
                "futureAccountField": "kept",
                "transactions": [
                    {
                        "accountID": "other",
                        "amount": Decimal("-0.10"),
                        "tags": [{"name": "salary", "source": "user", "weight": 2}],
                        "futureTransactionField": True,
                    }
                ],
                "standingOrders": [{"id": "so-1", "accountID": "other", "x": 1}],
                "securities": [{"accountID": "other", "quantity": Decimal("0.001"), "y": []}],
            }
        ],
        "futureTopLevelList": [],
    }
    user = await api.create_user()
    response = await api.post(f"/users/{user}/banking/logins", content=dumps({"logins": [login]}))
    assert response.status_code == 200
    [stored] = loads((await api.get(f"/users/{user}/banking/logins")).content)["logins"]
    assert stored["futureLoginField"] == {"nested": [1, Decimal("2.50")]}
    assert stored["futureTopLevelList"] == []
    assert stored["bank"] == {
        "name": "fino Bank",
        "logo": {"url": "", "type": "", "size": 3},
        "x": None,
    }
    [account] = stored["accounts"]
    assert account["futureAccountField"] == "kept"
    [transaction] = account["transactions"]
    assert transaction == {
        "accountID": "acc-1",
        "amount": Decimal("-0.10"),
        "tags": [{"name": "salary", "weight": 2}],
        "futureTransactionField": True,
    }
    assert account["standingOrders"] == [{"id": "", "accountID": "other", "x": 1}]
    assert account["securities"] == [{"accountID": "acc-1", "quantity": Decimal("0.001"), "y": []}]


async def test_null_counts_as_absent(api: Api) -> None:
    """Optional checked fields sent as null are accepted and kept as null."""
    login = _login(creditLine=None, transactions=[{"amount": None, "booked": None}])
    user = await api.create_user()
    response = await api.post(f"/users/{user}/banking/logins", json={"logins": [login]})
    assert response.status_code == 200
    [account] = response.json()["logins"][0]["accounts"]
    assert account["creditLine"] is None


BAD_BODIES = {
    "malformed JSON": b'{"logins": [',
    "empty body": b"",
    "not JSON at all": b"logins=1",
    "array": b"[]",
    "no logins": b"{}",
    "logins not a list": b'{"logins": {}}',
    "login not an object": b'{"logins": ["x"]}',
    "login without id": b'{"logins": [{"bank": {}, "accounts": []}]}',
    "login id not a string": b'{"logins": [{"id": 1, "bank": {}, "accounts": []}]}',
    "bank missing": b'{"logins": [{"id": "l", "accounts": []}]}',
    "bank not an object": b'{"logins": [{"id": "l", "bank": "x", "accounts": []}]}',
    "bank name not a string": b'{"logins": [{"id": "l", "bank": {"name": 1}, "accounts": []}]}',
    "bank code not a string": b'{"logins": [{"id": "l", "bank": {"bankCode": 7}, "accounts": []}]}',
    "logo not an object": b'{"logins": [{"id": "l", "bank": {"logo": "u"}, "accounts": []}]}',
    "accounts missing": b'{"logins": [{"id": "l", "bank": {}}]}',
    "account not an object": b'{"logins": [{"id": "l", "bank": {}, "accounts": [1]}]}',
}


def _bad_account(**fields: Any) -> bytes:
    return dumps({"logins": [{"id": "l", "bank": {}, "accounts": [fields]}]})


BAD_BODIES.update(
    {
        "balance as string": _bad_account(balance="2004.41"),
        "balance as bool": _bad_account(balance=True),
        "credit line as string": _bad_account(creditLine="0"),
        "spending limit as list": _bad_account(monthlySpendingLimit=[1]),
        "transactions not a list": _bad_account(transactions={}),
        "transaction not an object": _bad_account(transactions=["t"]),
        "transaction amount as string": _bad_account(transactions=[{"amount": "1"}]),
        "booked as string": _bad_account(transactions=[{"booked": "true"}]),
        "booked as number": _bad_account(transactions=[{"booked": 1}]),
        "tags not a list": _bad_account(transactions=[{"tags": "salary"}]),
        "standing orders not a list": _bad_account(standingOrders="x"),
        "standing order amount as bool": _bad_account(standingOrders=[{"amount": False}]),
        "securities not a list": _bad_account(securities=1),
        "security price as string": _bad_account(securities=[{"priceAmount": "1"}]),
        "security purchase price as string": _bad_account(
            securities=[{"purchasePriceAmount": "1"}]
        ),
        "security quantity as string": _bad_account(securities=[{"quantity": "4"}]),
        "security exchange rate as bool": _bad_account(securities=[{"exchangeRate": True}]),
    }
)


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
async def test_bad_set_logins_is_400_and_changes_nothing(
    api: Api, set_logins_body: bytes, get_logins_body: Any, body: bytes
) -> None:
    """A malformed or wrongly shaped body is a 400 and the stored logins stay as they were."""
    user = await api.create_user()
    await api.post(f"/users/{user}/banking/logins", content=set_logins_body)
    response = await api.post(f"/users/{user}/banking/logins", content=body)
    assert response.status_code == 400
    assert response.json()["type"] == "bad_request"
    got = await api.get(f"/users/{user}/banking/logins")
    assert loads(got.content) == get_logins_body


async def test_shape_errors_name_the_offending_field(api: Api) -> None:
    """The 400 message points at the wrong field with a JSON path."""
    user = await api.create_user()
    response = await api.post(
        f"/users/{user}/banking/logins", content=_bad_account(transactions=[{"amount": "1"}])
    )
    assert "$.logins[0].accounts[0].transactions[0].amount" in response.json()["message"]
