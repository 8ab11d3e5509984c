"""Server failures become typed errors carrying status, type, message and request id."""

from __future__ import annotations

import httpx
import pytest

from finoos_async import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    CallNext,
    DecodeError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
)
from finoos_async.sandbox import Fault, Sandbox

from ._helpers import ClientFactory

pytestmark = pytest.mark.anyio


async def test_400_is_bad_request_error(make_client: ClientFactory) -> None:
    """A body the server refuses raises BadRequestError with its type and message."""
    async with make_client() as fino:
        with pytest.raises(BadRequestError) as caught:
            await fino.request("POST", "/users", json={"type": "robot"}, request_id="bad-1")
    error = caught.value
    assert (error.status_code, error.type, error.request_id) == (400, "bad_request", "bad-1")
    assert error.message
    assert "bad-1" in str(error)


async def test_401_is_authentication_error(make_client: ClientFactory) -> None:
    """Wrong credentials raise AuthenticationError."""
    async with make_client(name="intruder") as fino:
        with pytest.raises(AuthenticationError) as caught:
            await fino.settings.get()
    assert caught.value.status_code == 401


@pytest.mark.parametrize("sandbox_options", [{"scopes": ()}])
async def test_403_is_permission_denied_error(make_client: ClientFactory) -> None:
    """A route outside the account's scopes raises PermissionDeniedError."""
    async with make_client() as fino:
        user = await fino.users.create(type="person")
        with pytest.raises(PermissionDeniedError) as caught:
            await fino.banking.get_logins(user.id, request_id="scope-1")
    assert caught.value.type == "forbidden"
    assert caught.value.request_id == "scope-1"


async def test_404_is_not_found_error(make_client: ClientFactory) -> None:
    """An unknown user raises NotFoundError."""
    async with make_client() as fino:
        with pytest.raises(NotFoundError) as caught:
            await fino.banking.get_logins("0" * 24)
    assert caught.value.status_code == 404
    assert caught.value.request_id


async def test_429_is_rate_limit_error_with_retry_after(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """A 429 left after the retries raises RateLimitError with retry_after."""
    sandbox.faults.add(Fault(route="GET /settings", kind="status", status=429, retry_after=0))
    async with make_client(max_retries=1) as fino:
        with pytest.raises(RateLimitError) as caught:
            await fino.settings.get()
    assert caught.value.retry_after == 0
    assert caught.value.attempts == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_5xx_is_internal_server_error(
    make_client: ClientFactory, sandbox: Sandbox, status: int
) -> None:
    """Every 5xx raises InternalServerError with the status."""
    sandbox.faults.add(Fault(route="GET /settings", kind="status", status=status))
    async with make_client(max_retries=0) as fino:
        with pytest.raises(InternalServerError) as caught:
            await fino.settings.get(request_id=f"down-{status}")
    assert caught.value.status_code == status
    assert caught.value.request_id == f"down-{status}"
    assert isinstance(caught.value, APIStatusError)


async def test_malformed_json_is_decode_error(make_client: ClientFactory, sandbox: Sandbox) -> None:
    """A 200 whose body is not JSON raises DecodeError with the request id and a snippet."""
    sandbox.faults.add(Fault(route="GET /settings", kind="malformed_json"))
    async with make_client() as fino:
        with pytest.raises(DecodeError) as caught:
            await fino.settings.get(request_id="garbled")
    assert caught.value.request_id == "garbled"
    assert caught.value.snippet
    assert caught.value.status_code == 200


async def test_truncated_json_is_decode_error(make_client: ClientFactory, sandbox: Sandbox) -> None:
    """A 200 whose JSON is cut short raises DecodeError, never a half-built model."""
    sandbox.faults.add(Fault(route="GET /settings", kind="truncated_json"))
    async with make_client() as fino:
        with pytest.raises(DecodeError):
            await fino.settings.get()


async def test_wrong_shape_is_decode_error_with_path(make_client: ClientFactory) -> None:
    """A body of the wrong shape raises DecodeError naming the offending field's path."""

    async def corrupt(request: httpx.Request, call_next: CallNext) -> httpx.Response:
        response = await call_next(request)
        if request.method == "GET" and request.url.path.endswith("/logins"):
            body = b'{"logins": [{"id": "L1", "accounts": [{"id": "A1", "balance": "12.50"}]}]}'
            return httpx.Response(200, content=body, headers=response.headers)
        return response

    async with make_client(middleware=[corrupt]) as fino:
        user = await fino.users.create(type="person")
        with pytest.raises(DecodeError) as caught:
            await fino.banking.get_logins(user.id)
    assert "$.logins[0].accounts[0].balance" in str(caught.value)
    assert caught.value.request_id


async def test_errors_inside_the_block_are_not_wrapped(make_client: ClientFactory) -> None:
    """An error raised inside ``async with`` reaches the caller as itself, not in a group."""
    with pytest.raises(NotFoundError):
        async with make_client() as fino:
            await fino.users.get("0" * 24)
    with pytest.raises(KeyError):
        async with make_client() as fino:
            raise KeyError("mine")
