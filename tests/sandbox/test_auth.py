"""Authenticate, refresh, token expiry on the sandbox's clock, and revocation."""

from __future__ import annotations

from typing import Any

import pytest

from finoos_async.sandbox import FakeClock, Sandbox

from .conftest import Api, Connect

pytestmark = pytest.mark.anyio


async def _refresh(api: Api, refresh_token: str | None, **overrides: Any) -> Any:
    body = {"name": api.sandbox.name, "secret": api.sandbox.secret, "refreshToken": refresh_token}
    body.update(overrides)
    return await api.http.post("/auth/refresh", json=body)


async def test_authenticate_returns_the_documented_shape(connect: Connect) -> None:
    """Authenticate answers both tokens and their lifetimes as whole seconds."""
    async with connect(Sandbox()) as api:
        tokens = await api.login()
    assert set(tokens) == {"accessToken", "refreshToken", "expiresIn", "refreshExpiresIn"}
    assert tokens["expiresIn"] == 300
    assert tokens["refreshExpiresIn"] == 1800
    assert type(tokens["expiresIn"]) is int
    assert len(tokens["accessToken"]) >= 43
    assert tokens["accessToken"] != tokens["refreshToken"]


async def test_fractional_lifetimes_are_sent_as_numbers(connect: Connect) -> None:
    """A lifetime that is not a whole number of seconds is sent as it is."""
    async with connect(Sandbox(access_token_ttl=0.5, refresh_token_ttl=90.0)) as api:
        tokens = await api.login()
    assert tokens["expiresIn"] == 0.5
    assert tokens["refreshExpiresIn"] == 90


async def test_custom_credentials(connect: Connect) -> None:
    """A sandbox built with its own name and secret accepts exactly those."""
    sandbox = Sandbox(name="acme", secret="s3cret")
    async with connect(sandbox) as api:
        assert (await api.login())["accessToken"]
        wrong = await api.http.post("/auth", json={"name": "sandbox", "secret": "sandbox-secret"})
    assert wrong.status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {"name": "sandbox", "secret": "wrong"},
        {"name": "wrong", "secret": "sandbox-secret"},
        {"name": "sandbox"},
        {"secret": "sandbox-secret"},
        {},
        {"name": "sandbox", "secret": 1},
    ],
    ids=["wrong secret", "wrong name", "no secret", "no name", "empty", "secret not a string"],
)
async def test_wrong_credentials_are_401(connect: Connect, body: dict[str, Any]) -> None:
    """Authenticate with wrong or missing credentials answers 401 unauthorized."""
    async with connect(Sandbox()) as api:
        response = await api.http.post("/auth", json=body)
    assert response.status_code == 401
    assert response.json()["type"] == "unauthorized"


async def test_malformed_auth_body_is_400(connect: Connect) -> None:
    """Authenticate with a body that is not JSON answers 400."""
    async with connect(Sandbox()) as api:
        response = await api.http.post("/auth", content=b"name=sandbox")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "not-a-token"}, {"Authorization": ""}],
    ids=["missing", "unknown", "empty"],
)
async def test_calls_without_a_valid_token_are_401(
    connect: Connect, headers: dict[str, str]
) -> None:
    """A non-auth route without a live access token answers 401."""
    async with connect(Sandbox()) as api:
        response = await api.http.get("/settings", headers=headers)
    assert response.status_code == 401
    assert response.json()["type"] == "unauthorized"


async def test_bearer_prefix_is_not_accepted(api: Api) -> None:
    """The token goes raw in Authorization; a "Bearer " prefix makes it unknown."""
    response = await api.get("/settings", headers={"Authorization": f"Bearer {api.token}"})
    assert response.status_code == 401


async def test_access_token_expires_on_the_clock(api: Api, clock: FakeClock) -> None:
    """An access token works until its lifetime has passed on the sandbox's clock."""
    clock.advance(299.9)
    assert (await api.get("/settings")).status_code == 200
    clock.advance(0.1)
    assert (await api.get("/settings")).status_code == 401


async def test_refresh_rotates_both_tokens(api: Api, clock: FakeClock) -> None:
    """Refresh answers a new access and refresh token, and the new access token works."""
    old_access, old_refresh = api.token, api.refresh_token
    clock.advance(301)
    response = await _refresh(api, old_refresh)
    assert response.status_code == 200
    tokens = response.json()
    assert tokens["expiresIn"] == 300
    assert {tokens["accessToken"], tokens["refreshToken"]}.isdisjoint({old_access, old_refresh})
    api.token = tokens["accessToken"]
    assert (await api.get("/settings")).status_code == 200


async def test_old_access_token_lives_until_its_own_expiry(api: Api, clock: FakeClock) -> None:
    """Refreshing does not revoke the access token issued with the spent refresh token."""
    await _refresh(api, api.refresh_token)
    assert (await api.get("/settings")).status_code == 200
    clock.advance(300)
    assert (await api.get("/settings")).status_code == 401


async def test_spent_refresh_token_is_401(api: Api) -> None:
    """A refresh token works exactly once."""
    assert (await _refresh(api, api.refresh_token)).status_code == 200
    again = await _refresh(api, api.refresh_token)
    assert again.status_code == 401
    assert again.json()["type"] == "unauthorized"


async def test_expired_refresh_token_is_401_and_reauth_works(api: Api, clock: FakeClock) -> None:
    """After the refresh token's lifetime only authenticating again gets new tokens."""
    clock.advance(1800)
    assert (await _refresh(api, api.refresh_token)).status_code == 401
    await api.login()
    assert (await api.get("/settings")).status_code == 200


@pytest.mark.parametrize(
    "overrides",
    [{"secret": "wrong"}, {"name": "wrong"}, {"refreshToken": "unknown"}, {"refreshToken": None}],
    ids=["wrong secret", "wrong name", "unknown token", "no token"],
)
async def test_refresh_with_bad_credentials_or_token_is_401(
    api: Api, overrides: dict[str, Any]
) -> None:
    """Refresh needs the account's credentials and a live refresh token."""
    response = await _refresh(api, api.refresh_token, **overrides)
    assert response.status_code == 401


async def test_failed_refresh_with_wrong_secret_does_not_spend_the_token(api: Api) -> None:
    """A refresh rejected for its credentials leaves the refresh token usable."""
    assert (await _refresh(api, api.refresh_token, secret="wrong")).status_code == 401
    assert (await _refresh(api, api.refresh_token)).status_code == 200


async def test_revoke_access_tokens(api: Api) -> None:
    """revoke_access_tokens() makes every live access token answer 401."""
    other = await api.http.post("/auth", json={"name": "sandbox", "secret": "sandbox-secret"})
    api.sandbox.revoke_access_tokens()
    assert (await api.get("/settings")).status_code == 401
    other_token = other.json()["accessToken"]
    assert (await api.get("/settings", headers={"Authorization": other_token})).status_code == 401
    assert (await _refresh(api, api.refresh_token)).status_code == 200
