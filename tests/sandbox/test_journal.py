"""The journal: what it records, in what order, and what it masks."""

from __future__ import annotations

import httpx
import pytest

from finoos_async.sandbox import Fault, JournalEntry, Sandbox

from .conftest import Api, Connect

pytestmark = pytest.mark.anyio


async def test_entries_record_each_request_in_order(api: Api) -> None:
    """Every request is journaled once, in arrival order, with its route, status and id."""
    api.sandbox.journal.clear()
    user = await api.create_user()
    got = await api.get(f"/users/{user}/banking/logins", headers={"X-Request-ID": "abc"})
    await api.get("/nowhere")
    entries = list(api.sandbox.journal)
    assert [(e.method, e.route, e.status) for e in entries] == [
        ("POST", "POST /users", 200),
        ("GET", "GET /users/{userID}/banking/logins", 200),
        ("GET", None, 404),
    ]
    assert entries[1].path == f"/api/v1/users/{user}/banking/logins"
    assert entries[1].request_id == "abc" == got.headers["x-request-id"]
    assert entries[0].json() == {"type": "person"}
    assert entries[0].headers["content-type"] == "application/json"


async def test_generated_request_id_is_journaled(api: Api) -> None:
    """The journal holds the X-Request-ID the sandbox generated and answered."""
    response = await api.get("/settings")
    assert api.sandbox.journal[-1].request_id == response.headers["x-request-id"]


async def test_post_is_recorded_once(api: Api) -> None:
    """One POST is one journal entry, also when a fault answers it."""
    api.sandbox.faults.add(Fault(route="POST /users", kind="status", status=503, times=1))
    await api.post("/users", json={"type": "person"})
    await api.post("/users", json={"type": "person"})
    assert api.sandbox.journal.count("POST /users") == 2
    assert [e.status for e in api.sandbox.journal.for_route("POST /users")] == [503, 200]


async def test_authorization_is_masked(api: Api) -> None:
    """The Authorization header is recorded as "***"."""
    await api.get("/settings")
    entry = api.sandbox.journal[-1]
    assert entry.headers["authorization"] == "***"
    assert api.token is not None
    assert api.token not in repr(entry)


async def test_auth_bodies_are_masked(api: Api) -> None:
    """Secrets and refresh tokens in /auth and /auth/refresh bodies are recorded as "***"."""
    body = {"name": "sandbox", "secret": "sandbox-secret", "refreshToken": api.refresh_token}
    await api.http.post("/auth/refresh", json=body)
    [auth] = api.sandbox.journal.for_route("POST /auth")
    [refresh] = api.sandbox.journal.for_route("POST /auth/refresh")
    assert auth.json() == {"name": "sandbox", "secret": "***"}
    assert refresh.json() == {"name": "sandbox", "secret": "***", "refreshToken": "***"}
    text = repr(list(api.sandbox.journal))
    assert "sandbox-secret" not in text
    assert api.refresh_token is not None
    assert api.refresh_token not in text


async def test_unparsable_auth_body_is_masked_whole(api: Api) -> None:
    """An /auth body that is not a JSON object cannot be searched, so it is masked whole."""
    await api.http.post("/auth", content=b'{"name": "sandbox", "secret": "sandbox-secret"')
    assert api.sandbox.journal[-1].body == b"***"
    assert api.sandbox.journal[-1].status == 400


async def test_journal_clear(api: Api) -> None:
    """clear() forgets everything recorded so far; later requests are recorded again."""
    api.sandbox.journal.clear()
    assert len(api.sandbox.journal) == 0
    await api.get("/settings")
    assert len(api.sandbox.journal) == 1
    assert api.sandbox.journal[:] == [api.sandbox.journal[0]]


async def test_dropped_requests_have_no_status(connect: Connect) -> None:
    """A request whose connection was dropped is journaled with status None."""
    sandbox = Sandbox(faults=[Fault(route="POST /auth", kind="disconnect", times=1)])
    async with connect(sandbox) as api:
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            await api.login()
    [entry] = sandbox.journal
    assert isinstance(entry, JournalEntry)
    assert entry.status is None


def test_secret_is_not_in_the_sandbox_repr() -> None:
    """The sandbox's repr shows who it is, never its secret."""
    sandbox = Sandbox(secret="hunter2-very-secret")
    assert "hunter2-very-secret" not in repr(sandbox)
    assert "name='sandbox'" in repr(sandbox)


async def test_paths_are_journaled_and_routed_as_sent(api: Api) -> None:
    """The journal keeps the percent-encoded path, and an encoded "/" stays inside its segment."""
    response = await api.get("/users/..%2Fsettings")
    assert response.status_code == 404
    entry = api.sandbox.journal[-1]
    assert entry.path == "/api/v1/users/..%2Fsettings"
    assert entry.route == "GET /users/{userID}"
