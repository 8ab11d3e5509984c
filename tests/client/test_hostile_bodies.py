"""Whatever the server sends, decoding ends in data or a DecodeError, never anything else."""

from __future__ import annotations

import httpx
import pytest

from finoos_async import CallNext, DecodeError, FinoError

from ._helpers import ClientFactory

pytestmark = pytest.mark.anyio

HOSTILE = {
    "deeply nested arrays": b"[" * 100_000,
    "deeply nested objects": b'{"logins":' + b'{"a":' * 50_000 + b"1" + b"}" * 50_000 + b"}",
    "not UTF-8": b"\xff\xfe\xfd",
    "NaN": b'{"logins": [{"id": "L", "accounts": [{"id": "A", "balance": NaN}]}]}',
    "huge integer": b'{"logins": [{"id": "L", "accounts": [{"id": "A", "balance": '
    + b"9" * 5000
    + b"}]}]}",
    "logins not a list": b'{"logins": {"id": "L"}}',
    "login not an object": b'{"logins": ["L"]}',
    "null id": b'{"logins": [{"id": null}]}',
    "empty body": b"",
    "bool as money": b'{"logins": [{"id": "L", "accounts": [{"id": "A", "balance": true}]}]}',
    "date garbage": b'{"logins": [{"id": "L", "accounts": [{"id": "A", "transactions": '
    b'[{"id": "T", "bookingDate": "yesterday"}]}]}]}',
}


@pytest.mark.parametrize("body", list(HOSTILE.values()), ids=list(HOSTILE))
async def test_hostile_logins_bodies_raise_decode_error(
    make_client: ClientFactory, body: bytes
) -> None:
    """A malformed, hostile or absurd Get Logins body raises DecodeError with the request id."""

    async def replace_body(request: httpx.Request, call_next: CallNext) -> httpx.Response:
        response = await call_next(request)
        if request.method == "GET" and request.url.path.endswith("/logins"):
            return httpx.Response(200, content=body, headers=response.headers)
        return response

    async with make_client(middleware=[replace_body]) as fino:
        user = await fino.users.create(type="person")
        with pytest.raises(FinoError) as caught:
            await fino.banking.get_logins(user.id)
    assert isinstance(caught.value, DecodeError)
    assert caught.value.request_id


async def test_hostile_error_bodies_still_map_to_status_errors(
    make_client: ClientFactory,
) -> None:
    """A 500 whose body is nested thousands deep is still an InternalServerError."""

    async def break_errors(request: httpx.Request, call_next: CallNext) -> httpx.Response:
        await call_next(request)
        if request.url.path.endswith("/settings"):
            return httpx.Response(500, content=b"[" * 100_000)
        return httpx.Response(
            200,
            json={
                "accessToken": "a",
                "refreshToken": "r",
                "expiresIn": 300,
                "refreshExpiresIn": 1800,
            },
        )

    async with make_client(middleware=[break_errors], max_retries=0) as fino:
        with pytest.raises(FinoError) as caught:
            await fino.settings.get()
    assert type(caught.value).__name__ == "InternalServerError"
