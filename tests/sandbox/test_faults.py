"""Fault injection: each kind, each schedule, after=True, and the fault table."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import anyio
import httpx
import pytest

from finoos_async.sandbox import Fault, Sandbox

from .conftest import Api, Connect

pytestmark = pytest.mark.anyio

DROPPED = (httpx.RemoteProtocolError, httpx.ReadError)


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
async def test_status_fault(api: Api, status: int) -> None:
    """A status fault answers its status with the error body and leaves state alone."""
    fault = api.sandbox.faults.add(Fault(route="POST /users", kind="status", status=status))
    response = await api.post("/users", json={"type": "person"})
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert set(response.json()) == {"type", "message"}
    assert "retry-after" not in response.headers
    assert api.sandbox._state.users == {}
    assert api.sandbox.faults.fired(fault) == 1


@pytest.mark.parametrize(("seconds", "header"), [(2, "2"), (0.5, "0.5"), (0, "0")])
async def test_status_fault_retry_after(api: Api, seconds: float, header: str) -> None:
    """retry_after is sent as the Retry-After header in seconds."""
    api.sandbox.faults.add(
        Fault(route="GET /settings", kind="status", status=429, retry_after=seconds)
    )
    response = await api.get("/settings")
    assert response.status_code == 429
    assert response.headers["retry-after"] == header
    assert response.json()["type"] == "too_many_requests"


async def test_latency_fault(api: Api) -> None:
    """A latency fault delays the response, which is then served normally."""
    api.sandbox.faults.add(Fault(route="GET /settings", kind="latency", seconds=0.2))
    started = time.monotonic()
    response = await api.get("/settings")
    assert time.monotonic() - started >= 0.2
    assert response.status_code == 200
    assert response.json()["apiVersion"] == "2020-06-16"


async def test_malformed_json_fault(api: Api) -> None:
    """A malformed_json fault answers 200 with a body that does not parse as JSON."""
    api.sandbox.faults.add(Fault(route="GET /settings", kind="malformed_json"))
    response = await api.get("/settings")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        response.json()


@pytest.mark.parametrize("after", [False, True])
async def test_truncated_json_fault(api: Api, after: bool) -> None:
    """A truncated_json fault answers 200 with half a JSON body and a matching Content-Length."""
    user = await api.create_user()
    await api.post(f"/users/{user}/banking/logins", json={"logins": []})
    route = "GET /users/{userID}/banking/logins"
    api.sandbox.faults.add(Fault(route=route, kind="truncated_json", after=after))
    response = await api.get(f"/users/{user}/banking/logins")
    assert response.status_code == 200
    assert int(response.headers["content-length"]) == len(response.content) > 0
    with pytest.raises(json.JSONDecodeError):
        response.json()
    if after:
        assert b'{"logins":[]}'.startswith(response.content)


async def test_disconnect_fault(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    """A disconnect fault drops the connection: no response, and nothing logged by the server."""
    fault = api.sandbox.faults.add(Fault(route="GET /settings", kind="disconnect", times=1))
    with caplog.at_level(logging.INFO, logger="uvicorn"):
        with pytest.raises(DROPPED):
            await api.get("/settings")
        assert (await api.get("/settings")).status_code == 200
    assert api.sandbox.faults.fired(fault) == 1
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_latency_does_not_hold_up_other_requests(api: Api) -> None:
    """A slow request is journaled on arrival and other requests are answered meanwhile."""
    api.sandbox.faults.add(Fault(route="POST /users", kind="latency", seconds=0.3, times=1))
    statuses: list[int] = []

    async def slow() -> None:
        statuses.append((await api.post("/users", json={"type": "person"})).status_code)

    async with anyio.create_task_group() as tg:
        tg.start_soon(slow)
        await anyio.sleep(0.1)
        assert api.sandbox.journal[-1].route == "POST /users"
        assert api.sandbox.journal[-1].status is None
        assert (await api.get("/settings")).status_code == 200
        assert statuses == []
    assert statuses == [200]
    assert api.sandbox.journal.for_route("POST /users")[0].status == 200


async def test_revoke_token_fault(api: Api) -> None:
    """A revoke_token fault revokes the request's access token, so it and later calls get 401."""
    api.sandbox.faults.add(Fault(route="GET /settings", kind="revoke_token", times=1))
    assert (await api.get("/settings")).status_code == 401
    assert (await api.get("/settings")).status_code == 401
    await api.login()
    assert (await api.get("/settings")).status_code == 200


async def _statuses(api: Api, count: int, path: str = "/settings") -> list[int]:
    return [(await api.get(path)).status_code for _ in range(count)]


async def test_times_schedule(api: Api) -> None:
    """times=N fires on the first N matching requests and then stops."""
    fault = api.sandbox.faults.add(Fault(route="GET /settings", kind="status", status=503, times=2))
    assert await _statuses(api, 4) == [503, 503, 200, 200]
    assert api.sandbox.faults.fired(fault) == 2
    assert api.sandbox.faults.matched(fault) == 4


async def test_on_schedule(api: Api) -> None:
    """on=(...) fires on exactly those matching requests, counted from 1."""
    api.sandbox.faults.add(Fault(route="GET /settings", kind="status", status=500, on=(2, 4)))
    assert await _statuses(api, 5) == [200, 500, 200, 500, 200]


async def test_schedule_counts_only_matching_requests(api: Api) -> None:
    """Requests to other routes do not advance a fault's count."""
    api.sandbox.faults.add(Fault(route="GET /settings", kind="status", status=500, on=(2,)))
    assert (await api.get("/settings")).status_code == 200
    await api.create_user()
    assert (await api.get("/settings")).status_code == 500


async def _rate_run(connect: Connect, seed: int) -> list[int]:
    sandbox = Sandbox(
        seed=seed, faults=[Fault(route="GET /settings", kind="status", status=503, rate=0.5)]
    )
    async with connect(sandbox) as api:
        await api.login()
        return await _statuses(api, 30)


async def test_rate_schedule_repeats_with_the_seed(connect: Connect) -> None:
    """rate= draws from the sandbox's seed: the same seed fails the same requests."""
    first, second = await _rate_run(connect, 7), await _rate_run(connect, 7)
    assert first == second
    assert 0 < first.count(503) < 30
    assert await _rate_run(connect, 8) != first


@pytest.mark.parametrize(("rate", "expected"), [(0.0, 200), (1.0, 503)])
async def test_rate_extremes(api: Api, rate: float, expected: int) -> None:
    """rate=0 never fires and rate=1 always does."""
    api.sandbox.faults.add(Fault(route="GET /settings", kind="status", status=503, rate=rate))
    assert await _statuses(api, 5) == [expected] * 5


async def test_adding_a_fault_does_not_shift_anothers_draws(connect: Connect) -> None:
    """Each fault draws from its own generator, so a fault added later leaves earlier ones be."""

    async def run(extra: bool) -> list[int]:
        faults = [Fault(route="GET /settings", kind="status", status=503, rate=0.5)]
        if extra:
            faults.append(Fault(route="POST /users", kind="latency", rate=0.5))
        async with connect(Sandbox(seed=3, faults=faults)) as api:
            await api.login()
            statuses = []
            for _ in range(20):
                await api.create_user()
                statuses.append((await api.get("/settings")).status_code)
            return statuses

    assert await run(False) == await run(True)


async def test_after_status_creates_the_user(api: Api) -> None:
    """With after=True the request takes effect and only the answer is replaced."""
    api.sandbox.faults.add(Fault(route="POST /users", kind="status", status=503, after=True))
    response = await api.post("/users", json={"type": "company"})
    assert response.status_code == 503
    [user] = api.sandbox._state.users.values()
    assert user.type == "company"


async def test_after_disconnect_creates_the_user(api: Api) -> None:
    """A disconnect after handling leaves the user created though no answer arrived."""
    api.sandbox.faults.add(Fault(route="POST /users", kind="disconnect", after=True, times=1))
    with pytest.raises(DROPPED):
        await api.post("/users", json={"type": "person"})
    assert len(api.sandbox._state.users) == 1
    [entry] = api.sandbox.journal.for_route("POST /users")
    assert entry.status is None


async def test_before_disconnect_does_not_create_the_user(api: Api) -> None:
    """A disconnect before handling changes nothing."""
    api.sandbox.faults.add(Fault(route="POST /users", kind="disconnect", times=1))
    with pytest.raises(DROPPED):
        await api.post("/users", json={"type": "person"})
    assert api.sandbox._state.users == {}


async def test_after_malformed_json_stores_the_logins(api: Api) -> None:
    """After=True with malformed_json stores the logins and garbles the answer."""
    user = await api.create_user()
    route = "POST /users/{userID}/banking/logins"
    api.sandbox.faults.add(Fault(route=route, kind="malformed_json", after=True, times=1))
    login = {"id": "l", "bank": {}, "accounts": []}
    sent = await api.post(f"/users/{user}/banking/logins", json={"logins": [login]})
    with pytest.raises(json.JSONDecodeError):
        sent.json()
    assert (await api.get(f"/users/{user}/banking/logins")).json() == {"logins": [login]}


@pytest.mark.parametrize("kind", ["malformed_json", "truncated_json"])
async def test_after_garbling_keeps_a_refusal_a_refusal(api: Api, kind: str) -> None:
    """A garbled answer to a refused request keeps its status: it must not look done.

    Found by the chaos suite: a 404 garbled into a 200 told the client that logins
    it never stored were stored.
    """
    route = "POST /users/{userID}/banking/logins"
    api.sandbox.faults.add(Fault(route=route, kind=kind, after=True, times=1))
    sent = await api.post("/users/no-such-user/banking/logins", json={"logins": []})
    assert sent.status_code == 404


async def test_wildcard_route_matches_everything(api: Api) -> None:
    """route="*" applies to every request, whatever its route."""
    api.sandbox.faults.add(Fault(route="*", kind="status", status=502))
    assert (await api.get("/settings")).status_code == 502
    assert (await api.post("/users", json={"type": "person"})).status_code == 502
    assert (await api.get("/nowhere")).status_code == 502


async def test_first_firing_fault_wins(api: Api) -> None:
    """Faults are consulted in order; a later fault does not see a request an earlier one took."""
    first = api.sandbox.faults.add(Fault(route="*", kind="status", status=500, times=1))
    second = api.sandbox.faults.add(Fault(route="GET /settings", kind="status", status=503))
    assert await _statuses(api, 2) == [500, 503]
    assert api.sandbox.faults.fired(first) == 1
    assert api.sandbox.faults.matched(second) == 1


async def test_faults_can_be_removed_and_cleared(api: Api) -> None:
    """Removing or clearing faults stops them; their counts stay readable."""
    faults = api.sandbox.faults
    fault = faults.add(Fault(route="GET /settings", kind="status", status=503))
    assert (await api.get("/settings")).status_code == 503
    faults.remove(fault)
    assert fault not in faults
    assert (await api.get("/settings")).status_code == 200
    assert faults.fired(fault) == 1
    faults.add(Fault(route="GET /settings", kind="status", status=503))
    faults.clear()
    assert list(faults) == []
    assert (await api.get("/settings")).status_code == 200
    with pytest.raises(ValueError, match="not in list"):
        faults.remove(fault)


async def test_initial_faults(connect: Connect) -> None:
    """Faults passed to the constructor are active from the first request."""
    fault = Fault(route="POST /auth", kind="status", status=503, times=1)
    sandbox = Sandbox(faults=[fault])
    assert list(sandbox.faults) == [fault]
    async with connect(sandbox) as api:
        first = await api.http.post("/auth", json={"name": "sandbox", "secret": "sandbox-secret"})
        assert first.status_code == 503
        await api.login()
    assert sandbox.faults.fired(fault) == 1


BAD_FAULTS: dict[str, dict[str, Any]] = {
    "unknown kind": {"kind": "explode"},
    "status without status": {"kind": "status"},
    "status not allowed": {"kind": "status", "status": 404},
    "status on another kind": {"kind": "latency", "status": 503},
    "retry_after without status": {"kind": "disconnect", "retry_after": 1},
    "negative retry_after": {"kind": "status", "status": 429, "retry_after": -1},
    "negative latency": {"kind": "latency", "seconds": -1},
    "seconds on another kind": {"kind": "disconnect", "seconds": 1},
    "after on latency": {"kind": "latency", "seconds": 1, "after": True},
    "after on revoke_token": {"kind": "revoke_token", "after": True},
    "negative times": {"kind": "disconnect", "times": -1},
    "on from zero": {"kind": "disconnect", "on": (0,)},
    "rate above one": {"kind": "disconnect", "rate": 1.5},
    "route without method": {"kind": "disconnect", "route": "/users"},
}


@pytest.mark.parametrize("fields", BAD_FAULTS.values(), ids=BAD_FAULTS.keys())
def test_fault_rejects_nonsense(fields: dict[str, Any]) -> None:
    """A Fault that could never do what it says is refused when it is built."""
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        Fault(**{"route": "POST /users", **fields})


def test_fault_table_rejects_unknown_routes() -> None:
    """A fault for a route the sandbox does not serve would never fire, so it is refused."""
    sandbox = Sandbox()
    with pytest.raises(ValueError, match="no route"):
        sandbox.faults.add(Fault(route="GET /user", kind="disconnect"))


def test_a_fault_is_added_once() -> None:
    """Adding the same Fault object twice is refused; equal-looking faults are distinct."""
    sandbox = Sandbox()
    fault = sandbox.faults.add(Fault(route="POST /users", kind="disconnect"))
    with pytest.raises(ValueError, match="already added"):
        sandbox.faults.add(fault)
    twin = sandbox.faults.add(Fault(route="POST /users", kind="disconnect"))
    assert twin != fault
    assert len(sandbox.faults) == 2


async def test_latency_beyond_the_read_timeout_times_out(api: Api) -> None:
    """A response slower than the client's read timeout raises ReadTimeout, also in-process."""
    api.sandbox.faults.add(Fault(route="GET /settings", kind="latency", seconds=0.5, times=1))
    with pytest.raises(httpx.ReadTimeout):
        await api.get("/settings", timeout=httpx.Timeout(5.0, read=0.1))
    assert (await api.get("/settings")).status_code == 200
