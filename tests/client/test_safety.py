"""Bad input is refused before sending; secrets never leak into logs, reprs or errors."""

from __future__ import annotations

import logging

import pytest

from finoos_async import (
    AsyncFino,
    AuthenticationError,
    DecodeError,
    FinoError,
    InvalidInputError,
)
from finoos_async.sandbox import Fault, Sandbox

from ._helpers import ClientFactory

pytestmark = pytest.mark.anyio

_URLS = {
    "redirect_url": "https://a.example/ok",
    "error_url": "https://a.example/e",
    "exit_url": "https://a.example/x",
}


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda f: f.users.create(type="robot"), "person"),
        (lambda f: f.users.get(""), "user_id"),
        (lambda f: f.users.get(".."), "user_id"),
        (lambda f: f.users.add_scope("u", ""), "scope"),
        (lambda f: f.banking.get_logins("u", user_ip="not-an-ip"), "user_ip"),
        (lambda f: f.banking.connect("u", recurring=True, user_ip="1.2.3.4.5", **_URLS), "user_ip"),
        (
            lambda f: f.banking.connect(
                "u", recurring=True, user_ip="1.2.3.4", **{**_URLS, "redirect_url": "/ok"}
            ),
            "redirect_url",
        ),
        (lambda f: f.banking.connect("u", recurring="yes", user_ip="1.2.3.4", **_URLS), "bool"),
        (lambda f: f.banking.set_logins("u", ["not a login"]), "Login"),
        (lambda f: f.settings.get(request_id="a\r\nX-Evil: 1"), "control"),
        (lambda f: f.settings.get(extra_headers={"X-A": "b\nc"}), "control"),
        (lambda f: f.settings.get(api_version="2020-06-16\r\nX-Evil: 1"), "control"),
        (lambda f: f.banking.get_logins("u", user_ip="1.2.3.4\r\nX-Evil: 1"), "user_ip"),
        (lambda f: f.request("GET", "/settings\r\nX-Evil: 1"), "control"),
        (lambda f: f.request("GET", "https://evil.example/steal"), "path"),
        (lambda f: f.settings.get(max_retries=-1), "max_retries"),
        (lambda f: f.settings.get(deadline=0), "deadline"),
    ],
)
async def test_bad_input_is_refused_before_sending(
    make_client: ClientFactory, sandbox: Sandbox, call: object, match: str
) -> None:
    """Each bad argument raises InvalidInputError (a ValueError) and nothing is sent."""
    async with make_client() as fino:
        with pytest.raises(InvalidInputError, match=match) as caught:
            await call(fino)  # type: ignore[operator]
    assert isinstance(caught.value, ValueError)
    assert len(sandbox.journal) == 0


async def test_unknown_call_option_is_a_type_error(make_client: ClientFactory) -> None:
    """A misspelt option fails loudly instead of being ignored."""
    async with make_client() as fino:
        with pytest.raises(TypeError, match="user_ip"):
            await fino.settings.get(user_ip="1.2.3.4")  # type: ignore[call-arg]


async def test_path_parameters_stay_one_segment(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """A user id like ``../auth`` is percent-encoded and cannot reach another route."""
    async with make_client() as fino:
        with pytest.raises(FinoError):
            await fino.users.get("../auth")
        with pytest.raises(FinoError):
            await fino.banking.get_logins("a/b?c#d")
    paths = [e.path for e in sandbox.journal if e.route != "POST /auth"]
    assert paths == ["/api/v1/users/..%2Fauth", "/api/v1/users/a%2Fb%3Fc%23d/banking/logins"]


def test_missing_credentials_fail_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without name and secret (arguments or environment) construction fails clearly."""
    monkeypatch.delenv("FINOOS_NAME", raising=False)
    monkeypatch.delenv("FINOOS_SECRET", raising=False)
    with pytest.raises(InvalidInputError, match="FINOOS_NAME"):
        AsyncFino()


def test_credentials_and_base_url_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """FINOOS_NAME, FINOOS_SECRET and FINOOS_BASE_URL are the fallbacks."""
    monkeypatch.setenv("FINOOS_NAME", "env-name")
    monkeypatch.setenv("FINOOS_SECRET", "env-secret")
    monkeypatch.setenv("FINOOS_BASE_URL", "http://127.0.0.1:9/api/v1/")
    client = AsyncFino()
    assert client.base_url == "http://127.0.0.1:9/api/v1"
    assert "env-name" in repr(client)


@pytest.mark.parametrize(
    "url",
    ["http://os.fino.cloud/api/v1", "ftp://localhost/api", "not a url", "http://10.0.0.1/api/v1"],
)
def test_base_url_must_be_https_unless_loopback(url: str) -> None:
    """Plain http is refused for any host but a loopback one."""
    with pytest.raises(InvalidInputError):
        AsyncFino(name="n", secret="s", base_url=url)


@pytest.mark.parametrize(
    "url",
    [
        "https://os.fino.cloud/api/v1",
        "http://localhost:8080/api/v1",
        "http://127.0.0.2/api/v1",
        "http://[::1]:1/api/v1",
        "http://sandbox.localhost/api/v1",
    ],
)
def test_https_and_loopback_base_urls_are_accepted(url: str) -> None:
    """https anywhere, http on loopback."""
    assert AsyncFino(name="n", secret="s", base_url=url).base_url == url


async def test_secrets_never_reach_logs_reprs_or_errors(
    make_client: ClientFactory,
    sandbox: Sandbox,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """At DEBUG, across auth, refresh and errors, no secret or token is logged or shown."""
    caplog.set_level(logging.DEBUG)
    tokens: list[str] = []

    async def spy(request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        if request.url.path.endswith(("/auth", "/auth/refresh")):
            body = response.json()
            tokens.extend([body["accessToken"], body["refreshToken"]])
        return response

    async with make_client(middleware=[spy]) as fino:
        await fino.settings.get()
        sandbox.revoke_access_tokens()
        await fino.settings.get()
        shown = [repr(fino), str(fino._tokens), repr(fino._tokens)]
    async with make_client(secret="wrong-secret-value") as fino:
        with pytest.raises(AuthenticationError) as caught:
            await fino.settings.get()
        shown += [str(caught.value), repr(caught.value), repr(fino)]

    out = capsys.readouterr()
    everything = "\n".join(
        [caplog.text, out.out, out.err, *shown, *(repr(e) for e in sandbox.journal)]
    )
    assert len(tokens) == 4
    for secret in [sandbox.secret, "wrong-secret-value", *tokens]:
        assert secret not in everything
    assert "GET /settings" in caplog.text  # the DEBUG lines are there, just redacted


async def test_a_broken_token_response_is_not_quoted(
    make_client: ClientFactory, sandbox: Sandbox
) -> None:
    """A DecodeError on a truncated token response withholds the body, which holds tokens."""
    sandbox.faults.add(Fault(route="POST /auth", kind="truncated_json", after=True))
    async with make_client(max_retries=0) as fino:
        with pytest.raises(DecodeError) as caught:
            await fino.settings.get()
    assert "accessToken" not in caught.value.snippet
    assert "withheld" in caught.value.snippet
