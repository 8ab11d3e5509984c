"""Get Logins decoding, fuzzed: valid bodies round-trip exactly, anything else is a DecodeError."""

from __future__ import annotations

import re
import traceback
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from finoos_async import DecodeError, Login

from ._bodies import SECRET, ValidBody, hostile_bodies, retyped_bodies, valid_bodies
from ._harness import CLIENT_SECRET, FUZZ, decode_logins, encode_logins, time_limit
from ._schema import MODELS, Kind, conforms, iso_datetime, parse_json

# How the SDK writes a datetime: seconds, at most six fraction digits, Z or ±HH:MM[:SS].
_SDK_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2}(:\d{2}(\.\d{6})?)?)"
)


def _exact(value: Any) -> Any:
    """``value`` with every JSON type and every digit of every number made visible to ``==``."""
    if isinstance(value, dict):
        return {key: _exact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_exact(item) for item in value]
    if type(value) in (int, Decimal):
        return _number(value)
    return (type(value).__name__, value)


def _number(value: int | Decimal) -> Any:
    """A JSON number's exact digits and exponent.

    ``-0`` is the exception: a JSON integer, it reads as the int ``0``; the SDK writes a
    ``Decimal('-0e0')`` as ``-0``, so only the sign of that zero cannot survive a reading.
    """
    number = Decimal(value)
    if number.is_zero() and number.as_tuple().exponent == 0:
        number = Decimal(0)
    return ("number", number.as_tuple())


def _canonical(value: Any, kind: Kind, read_datetime: Any) -> Any:
    """One field as the contract means it: null is absent, money is its exact digits."""
    if isinstance(kind, tuple):
        shape, name = kind
        if shape == "list":
            return [_canonical_model(item, name, read_datetime) for item in value or []]
        return _canonical_model(value, name, read_datetime)
    if kind == "money":
        return _number(value)
    if kind == "datetime":
        moment = read_datetime(value)
        assert moment.tzinfo is not None
        return ("datetime", moment, moment.utcoffset())
    return _exact(value)


def _canonical_model(value: dict[str, Any], name: str, read_datetime: Any) -> dict[str, Any]:
    fields = MODELS[name]
    canonical = {
        key: _canonical(value.get(key), kind, read_datetime)
        for key, kind in fields.items()
        if value.get(key) is not None or (isinstance(kind, tuple) and kind[0] == "list")
    }
    unknown = {("unknown", key): _exact(item) for key, item in value.items() if key not in fields}
    return {**canonical, **unknown}


def _read_sdk_datetime(text: str) -> datetime:
    assert _SDK_DATETIME.fullmatch(text), f"the SDK wrote a datetime the API cannot read: {text}"
    moment = iso_datetime(text)
    assert moment is not None
    return moment


def _check_models(value: Any) -> None:
    """Every datetime in the decoded models is aware, every amount a ``Decimal``."""
    if isinstance(value, (list, tuple)):
        for item in value:
            _check_models(item)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            item = getattr(value, field.name)
            if isinstance(item, datetime):
                assert item.utcoffset() is not None, f"{field.name} is naive"
            elif isinstance(item, float):
                raise AssertionError(f"{field.name} is a float")
            else:
                _check_models(item)


@FUZZ
@given(valid_bodies())
def test_valid_bodies_round_trip_exactly(valid: ValidBody) -> None:
    """A valid body decodes, and encodes back to the same logins: every digit, every instant."""
    with time_limit():
        logins = decode_logins(valid.body)
    _check_models(logins)
    sent = parse_json(encode_logins(logins))["logins"]
    received = parse_json(valid.body)["logins"]
    assert [_canonical_model(login, "Login", _read_sdk_datetime) for login in sent] == [
        _canonical_model(login, "Login", valid.datetimes.__getitem__) for login in received
    ]


def _assert_no_leak(error: BaseException) -> None:
    """Neither the message nor the chained traceback quotes a body value or a credential."""
    told = str(error) + repr(error) + "".join(traceback.format_exception(error))
    assert SECRET not in told
    assert CLIENT_SECRET not in told


@FUZZ
@given(hostile_bodies(), st.booleans())
def test_any_body_decodes_or_raises_decode_error(body: bytes, strict: bool) -> None:
    """Whatever the bytes, decoding returns logins or raises DecodeError, within the time limit.

    Leniently decoded, it succeeds exactly when the contract allows the body.
    """
    logins: list[Login] | None = None
    error: DecodeError | None = None
    try:
        with time_limit():
            logins = decode_logins(body, strict=strict)
    except DecodeError as caught:
        error = caught
    if error is not None:
        assert error.status_code == 200
        assert error.request_id == "fuzz-request"
        assert error.snippet == body[:200].decode("utf-8", errors="replace")
        _assert_no_leak(error)
    if not strict:
        assert (logins is not None) == conforms(body)
    if logins is not None:
        with time_limit():
            encode_logins(logins)


@FUZZ
@given(retyped_bodies())
def test_wrong_types_in_typed_fields_are_decode_errors_that_quote_nothing(body: bytes) -> None:
    """A string where money, a date or a flag belongs is a DecodeError, and its text stays out.

    The error's message and its chained causes name the field and the expected type,
    never the value: a traceback in a log must not carry an IBAN from the body.
    """
    try:
        with time_limit():
            decode_logins(body)
    except DecodeError as error:
        _assert_no_leak(error)
    else:
        assert conforms(body)
