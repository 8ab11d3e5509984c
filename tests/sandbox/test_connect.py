"""Create Connect User Session: User-IP, URL and recurring checks, and the session kept."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Api
from .test_users import CONNECT_BODY

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("user_ip", ["203.0.113.7", "2001:db8::1", "::1"])
async def test_connect_returns_a_banking_ui_url(api: Api, user_ip: str) -> None:
    """A valid request answers a Banking UI URL on the sandbox's origin and keeps the session."""
    user = await api.create_user()
    response = await api.post(
        f"/users/{user}/banking/connect", json=CONNECT_BODY, headers={"User-IP": user_ip}
    )
    assert response.status_code == 200
    redirect = response.json()["redirectURL"]
    prefix = str(api.http.base_url).rstrip("/") + "/ui/connect/"
    assert redirect.startswith(prefix)
    session = api.sandbox._state.sessions[redirect.removeprefix(prefix)]
    assert session.user_id == user
    assert session.redirect_url == CONNECT_BODY["redirectURL"]
    assert session.error_url == CONNECT_BODY["errorURL"]
    assert session.exit_url == CONNECT_BODY["exitURL"]
    assert session.recurring is True


@pytest.mark.parametrize(
    "headers",
    [{}, {"User-IP": ""}, {"User-IP": "localhost"}, {"User-IP": "300.1.1.1"}, {"User-IP": "1.2.3"}],
    ids=["missing", "empty", "hostname", "out of range", "short"],
)
async def test_connect_needs_a_user_ip(api: Api, headers: dict[str, str]) -> None:
    """Without a User-IP that parses as an IP address the request is a 400."""
    user = await api.create_user()
    response = await api.post(f"/users/{user}/banking/connect", json=CONNECT_BODY, headers=headers)
    assert response.status_code == 400
    assert "User-IP" in response.json()["message"]


BAD_CONNECT = {
    "relative redirect": {"redirectURL": "/ok"},
    "ftp error url": {"errorURL": "ftp://app.example/error"},
    "no host": {"exitURL": "https://"},
    "not a url": {"redirectURL": "app.example/ok"},
    "url not a string": {"errorURL": 1},
    "url missing": {"exitURL": None},
    "bad port": {"redirectURL": "https://app.example:99999/ok"},
    "recurring as string": {"recurring": "true"},
    "recurring as number": {"recurring": 1},
    "recurring missing": {"recurring": None},
}


@pytest.mark.parametrize("change", BAD_CONNECT.values(), ids=BAD_CONNECT.keys())
async def test_connect_validates_the_body(api: Api, change: dict[str, Any]) -> None:
    """Each URL must be absolute http(s) with a host and recurring a boolean, else 400."""
    body = {**CONNECT_BODY, **change}
    body = {key: value for key, value in body.items() if value is not None}
    user = await api.create_user()
    response = await api.post(
        f"/users/{user}/banking/connect", json=body, headers={"User-IP": "127.0.0.1"}
    )
    assert response.status_code == 400
    assert response.json()["type"] == "bad_request"
    assert api.sandbox._state.sessions == {}


async def test_connect_with_malformed_json_is_400(api: Api) -> None:
    """A body that is not JSON is a 400."""
    user = await api.create_user()
    response = await api.post(
        f"/users/{user}/banking/connect", content=b"{", headers={"User-IP": "127.0.0.1"}
    )
    assert response.status_code == 400
