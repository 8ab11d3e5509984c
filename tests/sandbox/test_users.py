"""Users: create, get, delete, scopes, and the scope checks on banking routes."""

from __future__ import annotations

import re
from typing import Any

import pytest

from finoos_async.sandbox import Sandbox

from .conftest import Api, Connect

pytestmark = pytest.mark.anyio

CONNECT_BODY = {
    "redirectURL": "https://app.example/ok",
    "errorURL": "https://app.example/error",
    "exitURL": "https://app.example/exit",
    "recurring": True,
}


@pytest.mark.parametrize("user_type", ["person", "company"])
async def test_create_and_get_user(api: Api, user_type: str) -> None:
    """Create User answers a 24-hex id; Get User shows its type and the account's scopes."""
    user = await api.create_user(user_type)
    assert re.fullmatch(r"[0-9a-f]{24}", user)
    response = await api.get(f"/users/{user}")
    assert response.status_code == 200
    assert response.json() == {
        "id": user,
        "type": user_type,
        "scopes": ["banking", "companies", "documentshipment"],
    }


async def test_user_ids_are_unique(api: Api) -> None:
    """Every created user gets a new id."""
    ids = {await api.create_user() for _ in range(5)}
    assert len(ids) == 5


@pytest.mark.parametrize(
    "body",
    [b'{"type": "robot"}', b"{}", b'{"type": null}', b'["person"]', b'"person"', b"{", b""],
    ids=["other type", "no type", "null type", "array", "string", "malformed", "empty"],
)
async def test_create_user_rejects_bad_bodies(api: Api, body: bytes) -> None:
    """Create User needs {"type": "person"|"company"}; anything else is a 400."""
    response = await api.post("/users", content=body)
    assert response.status_code == 400
    assert response.json()["type"] == "bad_request"


async def test_unknown_user_is_404(api: Api) -> None:
    """A user id that was never created is a 404 on every per-user route."""
    response = await api.get("/users/5f22c402b6968c000128edb6")
    assert response.status_code == 404
    assert response.json()["type"] == "not_found"


async def test_delete_user_then_every_user_route_is_404(api: Api) -> None:
    """Delete User answers an empty 204; afterwards every per-user route is a 404."""
    user = await api.create_user()
    deleted = await api.delete(f"/users/{user}")
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert "content-type" not in deleted.headers
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", f"/users/{user}", {}),
        ("DELETE", f"/users/{user}", {}),
        ("POST", f"/users/{user}/scopes", {"json": {"name": "banking"}}),
        ("GET", f"/users/{user}/banking/logins", {}),
        ("POST", f"/users/{user}/banking/logins", {"json": {"logins": []}}),
        ("POST", f"/users/{user}/banking/connect", {"json": CONNECT_BODY}),
    ]
    for method, path, options in calls:
        response = await api.request(method, path, headers={"User-IP": "127.0.0.1"}, **options)
        assert response.status_code == 404, (method, path)


async def test_add_scope(api: Api) -> None:
    """Add Scope To User answers 204 and the user holds the scope once."""
    user = await api.create_user()
    api.sandbox._state.users[user].scopes = []  # start from a user without scopes
    for _ in range(2):
        response = await api.post(f"/users/{user}/scopes", json={"name": "banking"})
        assert response.status_code == 204
        assert response.content == b""
    assert (await api.get(f"/users/{user}")).json()["scopes"] == ["banking"]


@pytest.mark.parametrize(
    "body",
    [b'{"scope": "banking"}', b'{"name": ""}', b'{"name": 1}', b"[]", b"{"],
    ids=["old field name", "empty name", "name not a string", "array", "malformed"],
)
async def test_add_scope_rejects_bad_bodies(api: Api, body: bytes) -> None:
    """Add Scope To User needs {"name": "<scope>"}; anything else is a 400."""
    user = await api.create_user()
    response = await api.post(f"/users/{user}/scopes", content=body)
    assert response.status_code == 400


async def test_add_scope_the_account_lacks_is_403(api: Api) -> None:
    """A user can only be given a scope the account holds."""
    user = await api.create_user()
    response = await api.post(f"/users/{user}/scopes", json={"name": "insurance"})
    assert response.status_code == 403
    assert response.json() == {
        "type": "forbidden",
        "message": "Forbidden. No access to this resource",
    }


async def test_banking_routes_need_the_account_scope(connect: Connect) -> None:
    """Without "banking" on the account every banking route is a 403; user routes still work."""
    async with connect(Sandbox(scopes=("companies",))) as api:
        await api.login()
        user = await api.create_user()
        assert (await api.get(f"/users/{user}")).json()["scopes"] == ["companies"]
        for method, route in [("GET", "logins"), ("POST", "logins"), ("POST", "connect")]:
            response = await api.request(method, f"/users/{user}/banking/{route}", json={})
            assert response.status_code == 403
            assert response.json()["type"] == "forbidden"


async def test_banking_routes_need_the_user_scope(api: Api) -> None:
    """A user without "banking" gets 403 on banking routes until the scope is added."""
    user = await api.create_user()
    api.sandbox._state.users[user].scopes.remove("banking")
    assert (await api.get(f"/users/{user}/banking/logins")).status_code == 403
    await api.post(f"/users/{user}/scopes", json={"name": "banking"})
    assert (await api.get(f"/users/{user}/banking/logins")).status_code == 200
