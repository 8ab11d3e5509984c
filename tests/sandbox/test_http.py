"""Cross-cutting HTTP behaviour: request ids, API versions, errors, routing."""

from __future__ import annotations

import uuid

import pytest

from finoos_async.sandbox import Fault, Sandbox

from .conftest import Api, Connect

pytestmark = pytest.mark.anyio


async def test_request_id_is_echoed(api: Api) -> None:
    """A client's X-Request-ID comes back on the response."""
    response = await api.get("/settings", headers={"X-Request-ID": "trace-123"})
    assert response.headers["x-request-id"] == "trace-123"


async def test_request_id_is_generated(api: Api) -> None:
    """Without an X-Request-ID the sandbox answers a fresh UUID4 on every response."""
    first = (await api.get("/settings")).headers["x-request-id"]
    second = (await api.get("/settings")).headers["x-request-id"]
    assert uuid.UUID(first).version == 4
    assert first != second


async def test_api_version_defaults_to_the_account(connect: Connect) -> None:
    """Every response carries the account's API version."""
    async with connect(Sandbox(api_version="2020-01-01")) as api:
        response = await api.http.post("/auth", json={})
    assert response.headers["api-version"] == "2020-01-01"


async def test_api_version_override(api: Api) -> None:
    """A request's API-Version header overrides the version on its response."""
    response = await api.get("/settings", headers={"API-Version": "2021-02-28"})
    assert response.status_code == 200
    assert response.headers["api-version"] == "2021-02-28"
    assert response.json()["apiVersion"] == "2020-06-16"


@pytest.mark.parametrize(
    "version", ["2020-02-30", "2020-13-01", "20200616", "latest", "", "2020-6-16"]
)
async def test_malformed_api_version_is_400(api: Api, version: str) -> None:
    """An API-Version that is not a real YYYY-MM-DD date is a 400 that still has both headers."""
    response = await api.get("/settings", headers={"API-Version": version, "X-Request-ID": "r-1"})
    assert response.status_code == 400
    assert response.json()["type"] == "bad_request"
    assert response.headers["api-version"] == "2020-06-16"
    assert response.headers["x-request-id"] == "r-1"


def test_sandbox_rejects_a_malformed_account_version() -> None:
    """The account's own API version must be a date too."""
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        Sandbox(api_version="2020-6-16")


async def test_settings(connect: Connect) -> None:
    """Get Settings answers the account's version and scopes."""
    async with connect(Sandbox(api_version="2020-06-16", scopes=("banking",))) as api:
        await api.login()
        response = await api.get("/settings")
    assert response.json() == {"apiVersion": "2020-06-16", "scopes": ["banking"]}


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v2/users", "/", "/api/v1/users/x/y/z"])
async def test_unknown_paths_are_404(api: Api, path: str) -> None:
    """A path outside the route table is a 404 not_found."""
    response = await api.get(path)
    assert response.status_code == 404
    assert response.json()["type"] == "not_found"
    assert "x-request-id" in response.headers


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("GET", "/auth", "POST"),
        ("PUT", "/users/abc", "DELETE, GET"),
        ("DELETE", "/users/abc/banking/logins", "GET, POST"),
        ("POST", "/settings", "GET"),
    ],
)
async def test_wrong_method_is_405(api: Api, method: str, path: str, allow: str) -> None:
    """A known path with the wrong method is a 405 listing the allowed methods."""
    response = await api.request(method, path)
    assert response.status_code == 405
    assert response.json() == {"type": "method_not_allowed", "message": "Method Not Allowed"}
    assert response.headers["allow"] == allow


ERRORS = [
    (400, "bad_request"),
    (401, "unauthorized"),
    (403, "forbidden"),
    (404, "not_found"),
    (405, "method_not_allowed"),
    (429, "too_many_requests"),
    (500, "internal_server_error"),
    (502, "bad_gateway"),
    (503, "service_unavailable"),
    (504, "gateway_timeout"),
]


@pytest.mark.parametrize(("status", "kind"), ERRORS, ids=[str(s) for s, _ in ERRORS])
async def test_every_error_has_the_documented_body_and_headers(
    connect: Connect, status: int, kind: str
) -> None:
    """Each error status answers JSON {"type", "message"} with X-Request-ID and API-Version."""
    sandbox = Sandbox(scopes=())
    async with connect(sandbox) as api:
        await api.login()
        user = await api.create_user()
        if status >= 429:
            sandbox.faults.add(Fault(route="GET /settings", kind="status", status=status))
        request = {
            400: ("POST", "/users", {"json": {"type": "robot"}}),
            401: ("GET", "/settings", {"headers": {"Authorization": "nope"}}),
            403: ("GET", f"/users/{user}/banking/logins", {}),
            404: ("GET", "/users/000000000000000000000000", {}),
            405: ("PATCH", "/settings", {}),
        }.get(status, ("GET", "/settings", {}))
        method, path, options = request
        headers = {"X-Request-ID": "err-1", **options.pop("headers", {})}
        response = await api.request(method, path, headers=headers, **options)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-request-id"] == "err-1"
    assert response.headers["api-version"] == "2020-06-16"
    body = response.json()
    assert set(body) == {"type", "message"}
    assert body["type"] == kind
    assert body["message"]
    if status == 403:
        assert body["message"] == "Forbidden. No access to this resource"
