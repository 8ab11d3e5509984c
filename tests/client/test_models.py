"""Money stays exact, datetimes stay aware, and nothing the server sent is lost."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from finoos_async import Account, AsyncFino, DecodeError, Login, Transaction, _json
from finoos_async._converter import format_datetime, make_converter
from finoos_async.sandbox import Sandbox

from ._helpers import ClientFactory

pytestmark = pytest.mark.anyio

# Digits a float would mangle, integers of money fields, exponents, and new fields.
_TRICKY = (
    b'{"logins":[{"id":"L1","brandNew":{"nested":[1,2.50]},'
    b'"bank":{"name":"B","bankCode":"1","logo":{"url":"","type":""},"tier":"gold"},'
    b'"accounts":[{"id":"A1","type":"CRYPTO_WALLET","balance":0.30000000000000004,'
    b'"creditLine":0,"monthlySpendingLimit":1E+3,"currency":"EUR","iban":"X",'
    b'"transactions":[{"id":"T1","accountID":"A1","amount":-1234567890123.45,'
    b'"bookingDate":"2024-02-29T23:59:59Z","riskScore":0.10,"tags":[],"codes":[]}],'
    b'"standingOrders":[{"id":"","accountID":"A1","amount":19.90,"interval":"FORTNIGHTLY"}],'
    b'"securities":[{"id":"S1","accountID":"A1","quantity":0.000001,"exchangeRate":1.2300}]}]}]}'
)


async def test_round_trip_keeps_decimals_and_unknown_fields(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """set_logins(get_logins()) sends back every digit and every field the server gave."""
    async with make_client() as fino:
        user = await fino.users.create(type="person")
        path = f"/users/{user.id}/banking/logins"
        await fino.request("POST", path, json=_json.loads(_TRICKY), repeatable=True)
        served = sandbox.journal[-1]

        logins = await fino.banking.get_logins(user.id)
        account = logins[0].accounts[0]
        assert account.balance == Decimal("0.30000000000000004")
        assert account.monthly_spending_limit == Decimal("1E+3")
        assert account.transactions[0].amount == Decimal("-1234567890123.45")
        assert account.type == "CRYPTO_WALLET"
        assert account.standing_orders[0].interval == "FORTNIGHTLY"
        assert logins[0].extra == {"brandNew": {"nested": [1, Decimal("2.50")]}}
        assert account.transactions[0].extra == {"riskScore": Decimal("0.10")}

        await fino.banking.set_logins(user.id, logins)
        sent_back = sandbox.journal[-1]
    assert sent_back.route == "POST /users/{userID}/banking/logins"
    # Compared as exact JSON values: every number keeps its digits.
    assert _json.loads(sent_back.body) == _json.loads(served.body)
    assert b"0.30000000000000004" in sent_back.body
    assert b"1E+3" in sent_back.body
    assert b"1.2300" in sent_back.body


def test_datetimes_are_aware_and_written_back_with_z() -> None:
    """A ``Z`` timestamp decodes to an aware UTC datetime and encodes back identically."""
    converter = make_converter()
    tx = converter.structure(
        {
            "id": "T",
            "bookingDate": "2020-05-26T17:11:22Z",
            "valueDate": "2020-05-26T19:11:22+02:00",
        },
        Transaction,
    )
    assert tx.booking_date == datetime(2020, 5, 26, 17, 11, 22, tzinfo=timezone.utc)
    assert tx.value_date is not None
    assert tx.value_date.utcoffset() == timedelta(hours=2)
    out = converter.unstructure(tx)
    assert out["bookingDate"] == "2020-05-26T17:11:22Z"
    assert out["valueDate"] == "2020-05-26T19:11:22+02:00"
    with pytest.raises(ValueError, match="naive"):
        format_datetime(datetime(2020, 1, 1))


def test_money_refuses_floats_and_strings() -> None:
    """A float (digits already lost) or a string where money belongs fails to decode."""
    converter = make_converter()
    for bad in (1.5, "1.5", True):
        with pytest.raises(Exception):  # noqa: B017,PT011 - cattrs wraps it in its own group
            converter.structure({"id": "A", "balance": bad}, Account)


def test_models_built_by_hand_encode_exactly() -> None:
    """A Login built in code is sent with its Decimal digits and without unset fields."""
    login = Login(id="L", accounts=(Account(id="A", balance=Decimal("10.10")),))
    payload = make_converter().unstructure(login)
    encoded = _json.dumps(payload)
    assert b'"balance":10.10' in encoded
    assert _json.loads(encoded) == {
        "id": "L",
        "accounts": [
            {
                "id": "A",
                "balance": Decimal("10.10"),
                "transactions": [],
                "standingOrders": [],
                "securities": [],
            }
        ],
    }


async def test_strict_mode_raises_on_unknown_fields(make_client: ClientFactory) -> None:
    """With strict=True an unknown field is a DecodeError naming it."""
    async with make_client(strict=True) as fino:
        user = await fino.users.create(type="person")
        await fino.request(
            "POST",
            f"/users/{user.id}/banking/logins",
            json=_json.loads(_TRICKY),
            repeatable=True,
        )
        with pytest.raises(DecodeError) as caught:
            await fino.banking.get_logins(user.id)
    assert "brandNew" in str(caught.value)


async def test_strict_mode_raises_on_unknown_enum_values(make_client: ClientFactory) -> None:
    """With strict=True an account type the SDK does not know is a DecodeError."""
    account = {"id": "A", "type": "CRYPTO_WALLET"}
    body = {"logins": [{"id": "L", "bank": {"name": "B"}, "accounts": [account]}]}
    async with make_client(strict=True) as fino:
        user = await fino.users.create(type="person")
        await fino.request("POST", f"/users/{user.id}/banking/logins", json=body, repeatable=True)
        with pytest.raises(DecodeError) as caught:
            await fino.banking.get_logins(user.id)
    assert "$.logins[0].accounts[0].type" in str(caught.value)


def test_strict_is_off_by_default() -> None:
    """The default client keeps unknown values instead of raising."""
    client = AsyncFino(name="n", secret="s")
    account = client._decoder.structure({"id": "A", "type": "NEW", "x": 1}, Account)
    assert (account.type, account.extra) == ("NEW", {"x": 1})


def test_decoded_models_equal_models_built_by_their_constructors() -> None:
    """Decoding fills every field, ``extra`` included, exactly as ``__init__`` would."""
    for strict in (False, True):
        body = _TRICKY if not strict else _TRICKY.replace(b'"riskScore":0.10,', b"")
        data = _json.loads(body)["logins"][0]["accounts"][0]["transactions"][0]
        decoded = make_converter(strict=strict).structure(data, Transaction)
        built = Transaction(
            id="T1",
            account_id="A1",
            amount=Decimal("-1234567890123.45"),
            booking_date=datetime(2024, 2, 29, 23, 59, 59, tzinfo=timezone.utc),
            **({} if strict else {"extra": {"riskScore": Decimal("0.10")}}),
        )
        assert decoded == built
        assert repr(decoded) == repr(built)
        with pytest.raises(AttributeError):
            decoded.id = "changed"  # type: ignore[misc]


def test_models_with_validators_or_init_hooks_are_decoded_through_init() -> None:
    """A model class whose ``__init__`` does more than set slots is still called."""
    import attrs

    seen: list[str] = []

    @attrs.frozen(kw_only=True)
    class Checked:
        name: str = attrs.field(validator=attrs.validators.min_len(1))

        def __attrs_post_init__(self) -> None:
            seen.append(self.name)

    converter = make_converter()
    assert converter.structure({"name": "ok"}, Checked) == Checked(name="ok")
    assert seen == ["ok", "ok"]
    with pytest.raises(ValueError, match="Length of 'name'"):
        converter.structure({"name": ""}, Checked)
