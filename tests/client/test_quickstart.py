"""The README's quickstart, end to end against the sandbox."""

from __future__ import annotations

from decimal import Decimal

import pytest

from finoos_async import AccountType, ConnectSession, Interval, NotFoundError, UserType, _json
from finoos_async.sandbox import Sandbox

from ._helpers import ClientFactory, seed_body, seed_logins

pytestmark = pytest.mark.anyio


async def test_quickstart_end_to_end(make_client: ClientFactory, sandbox: Sandbox) -> None:
    """Create a user, connect, set the seed's logins, read them back exactly, then clean up."""
    async with make_client() as fino:
        user = await fino.users.create(type="person")
        assert user.id

        session = await fino.banking.connect(
            user.id,
            redirect_url="https://app.example/ok",
            error_url="https://app.example/error",
            exit_url="https://app.example/exit",
            recurring=True,
            user_ip="203.0.113.7",
        )
        assert isinstance(session, ConnectSession)
        assert session.redirect_url.startswith("http")

        stored = await fino.banking.set_logins(user.id, seed_logins())
        assert stored is not None

        logins = await fino.banking.get_logins(user.id)
        account = logins[0].accounts[0]
        assert account.balance == Decimal("2004.41")
        assert str(account.balance) == "2004.41"
        assert account.type is AccountType.GIRO
        assert account.standing_orders[0].interval is Interval.MONTHLY
        assert account.transactions[0].amount == Decimal("24.99")
        assert account.transactions[0].booking_date.tzinfo is not None  # type: ignore[union-attr]
        assert account.securities[0].exchange_rate == Decimal("1.23")

        # What the SDK decoded, encoded again, is the seed's Step 5 body.
        expected = _json.loads(seed_body("get_logins"))
        assert {"logins": fino._encode(logins)} == expected

        settings = await fino.settings.get()
        assert settings.api_version == "2020-06-16"
        assert "banking" in settings.scopes

        await fino.users.add_scope(user.id, "banking")
        fetched = await fino.users.get(user.id)
        assert fetched.type is UserType.PERSON
        assert "banking" in fetched.scopes

        await fino.users.delete(user.id)
        with pytest.raises(NotFoundError):
            await fino.users.get(user.id)

    # One authentication served the whole session.
    assert sandbox.journal.count("POST /auth") == 1


async def test_raw_response_exposes_headers_and_parses(make_client: ClientFactory) -> None:
    """with_raw_response gives status, headers, request id, API version and attempts."""
    async with make_client() as fino:
        user = await fino.users.create(type="company")
        raw = await fino.with_raw_response.banking.get_logins(user.id, request_id="trace-42")
        assert raw.status_code == 200
        assert raw.request_id == "trace-42"
        assert raw.headers["X-Request-ID"] == "trace-42"
        assert raw.api_version == "2020-06-16"
        assert raw.attempts == 1
        assert raw.parse() == []


async def test_request_escape_hatch_uses_the_same_pipeline(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """fino.request reaches any route authenticated, traced and error-mapped."""
    async with make_client() as fino:
        response = await fino.request("GET", "/settings", request_id="escape-1")
        assert response.json()["apiVersion"] == "2020-06-16"
        with pytest.raises(NotFoundError) as caught:
            await fino.request("GET", "/users/nope")
    entry = sandbox.journal.for_route("GET /settings")[0]
    assert entry.headers["x-request-id"] == "escape-1"
    assert entry.headers["authorization"] == "***"
    assert caught.value.request_id is not None
