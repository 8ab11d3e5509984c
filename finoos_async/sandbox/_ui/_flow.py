"""The Banking UI's routes: choose a bank, log in, confirm TANs, end at one of three URLs.

All state lives server-side in the :class:`~.._state.ConnectSession` named by the id
in the URL; the pages are plain forms that post and get a 303 back (POST/redirect/
GET), so a reload never repeats a step. The flow may only ever leave the sandbox for
the three URLs given at connect time: every redirect goes through :func:`_leave` with
one of the session's own URLs, or stays below the session's own path.

The pipeline runs each handler under the state lock, and a session is checked on
every request: unknown (404 page), already used or expired (410 page that leads to
``errorURL``).
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable
from urllib.parse import parse_qs, quote

from ..._json import dumps, loads
from .._handlers import API_PREFIX
from .._http import Headers, Request, Response
from .._logins import store_logins
from .._router import Handler, Route
from .._state import ConnectSession, State
from . import _pages
from ._banks import TEST_PASSWORD, TEST_USERNAME, TestBank, bank_by_code, find_banks
from ._generate import generate_login

__all__ = ["MAX_ATTEMPTS", "UI_ROUTES"]

#: Wrong answers allowed at one step (credentials, then each TAN) before the flow
#: ends at ``errorURL``.
MAX_ATTEMPTS = 3

_HTML_HEADERS: Headers = [
    (b"content-type", b"text/html; charset=utf-8"),
    (b"cache-control", b"no-store"),
    # No script, no external asset, no framing: the pages need none of it.
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    # The session id is in the URL: the app's pages must not see it as a Referer.
    (b"referrer-policy", b"no-referrer"),
]
# What a URL may keep unencoded in a Location header: RFC 3986's reserved and
# unreserved characters and "%"; anything else (spaces, non-ASCII, CR/LF) is encoded.
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~"

SessionHandler = Callable[[State, Request, ConnectSession], Response]


def _html(status: int, body: bytes) -> Response:
    return Response(status, body, list(_HTML_HEADERS))


def _see_other(location: str) -> Response:
    return Response(
        303,
        b"",
        [
            (b"location", quote(location, safe=_URL_SAFE).encode("ascii")),
            (b"cache-control", b"no-store"),
            (b"referrer-policy", b"no-referrer"),
        ],
    )


def _base(session: ConnectSession) -> str:
    return f"{API_PREFIX}/ui/connect/{session.id}"


def _leave(session: ConnectSession, outcome: str) -> Response:
    """End the flow for good and send the browser to the session's URL for ``outcome``."""
    session.progress.outcome = outcome
    url = {
        "redirect": session.redirect_url,
        "error": session.error_url,
        "exit": session.exit_url,
    }[outcome]
    return _see_other(url)


def _screen(state: State, session: ConnectSession) -> _pages.Screen:
    seconds_left = max(0.0, session.expires_at - state.clock())
    return _pages.Screen(
        base=_base(session),
        app_host=_pages.app_host(session.redirect_url),
        minutes_left=max(1, math.ceil(seconds_left / 60)),
        recurring=session.recurring,
    )


def _form(request: Request) -> dict[str, str]:
    """The first value of each field of an ``application/x-www-form-urlencoded`` body."""
    fields = parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}


def _live_session(step: str | None) -> Callable[[SessionHandler], Handler]:
    """Wrap a handler so it only ever sees a known, unused, unexpired session.

    With a ``step``, a session that is at another step is redirected there first,
    so what the step needs (a bank; a TAN) is there when the handler runs.
    """

    def wrap(handler: SessionHandler) -> Handler:
        def checked(state: State, request: Request) -> Response:
            return _checked(state, request, step, handler)

        return checked

    return wrap


def _checked(state: State, request: Request, step: str | None, handler: SessionHandler) -> Response:
    """Run ``handler`` if the session is known, unused, unexpired and at ``step``."""
    session = state.sessions.get(request.params["sessionID"])
    if session is None:
        return _html(404, _pages.unknown_session_page())
    if session.progress.outcome is not None:
        page = _pages.ended_page(
            "This session was already used",
            "A connect session works once. Ask the app to start a new one.",
            session.error_url,
        )
        return _html(410, page)
    if state.clock() >= session.expires_at:
        page = _pages.ended_page(
            "This session has expired",
            "Connect sessions must be finished within "
            f"{_duration(state.connect_session_ttl)}. Ask the app to start a new one.",
            session.error_url,
        )
        return _html(410, page)
    redirect = None if step is None else _misplaced(session, step)
    return redirect if redirect is not None else handler(state, request, session)


def _duration(seconds: float) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = int(seconds // 60)
        return f"{minutes} minute" + ("" if minutes == 1 else "s")
    return f"{seconds:g} seconds"


def _chosen_bank(session: ConnectSession) -> TestBank:
    """The bank chosen: there is one at the login and TAN steps."""
    bank = bank_by_code(session.progress.bank_code or "")
    if bank is None:  # choose_bank stores the codes of known banks only
        raise RuntimeError(f"session {session.id} is past the bank list without a bank")
    return bank


def _expected_tan(session: ConnectSession) -> str:
    """The TAN on screen: there is one at the TAN step."""
    tan = session.progress.tan
    if tan is None:  # submit_login sets one before it leads to the TAN step
        raise RuntimeError(f"session {session.id} is at the TAN step without a TAN")
    return tan


def _misplaced(session: ConnectSession, step: str) -> Response | None:
    """A redirect to the step the session is really at, if that is not ``step``."""
    progress = session.progress
    if progress.tan is not None:
        actual = "tan"
    elif progress.bank_code is not None:
        actual = "login"
    else:
        actual = "bank"
    # Once the bank's login succeeded, the bank can no longer be changed.
    if step == actual or (step == "bank" and actual == "login"):
        return None
    return _see_other(_base(session) + ("" if actual == "bank" else f"/{actual}"))


def _attempts_left(session: ConnectSession) -> int:
    return MAX_ATTEMPTS - session.progress.failures


def _wrong(what: str, session: ConnectSession) -> str:
    left = _attempts_left(session)
    return f"{what} {left} attempt{'' if left == 1 else 's'} left."


@_live_session("bank")
def show_banks(state: State, request: Request, session: ConnectSession) -> Response:
    fields = parse_qs(request.query, keep_blank_values=True)
    query = fields.get("q", [""])[0]
    page = _pages.bank_list_page(_screen(state, session), query, find_banks(query))
    return _html(200, page)


@_live_session("bank")
def choose_bank(state: State, request: Request, session: ConnectSession) -> Response:
    bank = bank_by_code(_form(request).get("bank", ""))
    if bank is None:  # a hand-made post: show the list again
        return _see_other(_base(session))
    session.progress.bank_code = bank.code
    return _see_other(f"{_base(session)}/login")


@_live_session("login")
def show_login(state: State, request: Request, session: ConnectSession) -> Response:
    bank = _chosen_bank(session)
    error = None
    if session.progress.failures:
        error = _wrong("The username or password is wrong.", session)
    return _html(200, _pages.login_page(_screen(state, session), bank, error))


@_live_session("login")
def submit_login(state: State, request: Request, session: ConnectSession) -> Response:
    bank = _chosen_bank(session)
    if bank.fails_at_login:
        return _leave(session, "error")
    form = _form(request)
    progress = session.progress
    if (form.get("username"), form.get("password")) != (TEST_USERNAME, TEST_PASSWORD):
        progress.failures += 1
        if progress.failures >= MAX_ATTEMPTS:
            return _leave(session, "error")
        return _see_other(f"{_base(session)}/login")
    progress.failures = 0
    progress.tans_left = bank.tans
    progress.tan = _new_tan()
    return _see_other(f"{_base(session)}/tan")


@_live_session("tan")
def show_tan(state: State, request: Request, session: ConnectSession) -> Response:
    bank, tan = _chosen_bank(session), _expected_tan(session)
    error = _wrong("The TAN is wrong.", session) if session.progress.failures else None
    number = bank.tans - session.progress.tans_left + 1
    page = _pages.tan_page(_screen(state, session), bank, tan, number, bank.tans, error)
    return _html(200, page)


@_live_session("tan")
def submit_tan(state: State, request: Request, session: ConnectSession) -> Response:
    bank, tan = _chosen_bank(session), _expected_tan(session)
    progress = session.progress
    if _form(request).get("tan", "").strip() != tan:
        progress.failures += 1
        if progress.failures >= MAX_ATTEMPTS:
            return _leave(session, "error")
        return _see_other(f"{_base(session)}/tan")
    progress.failures = 0
    progress.tans_left -= 1
    if progress.tans_left > 0:
        progress.tan = _new_tan()
        return _see_other(f"{_base(session)}/tan")
    _add_login(state, session, bank)
    return _leave(session, "redirect")


@_live_session(None)
def exit_flow(state: State, request: Request, session: ConnectSession) -> Response:
    return _leave(session, "exit")


def _new_tan() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def _add_login(state: State, session: ConnectSession, bank: TestBank) -> None:
    """Append a generated login at ``bank`` to the user's stored logins."""
    user = state.users[session.user_id]  # deleting a user deletes its sessions
    now = state.wall_time(state.clock())
    generated = store_logins({"logins": [generate_login(bank, seed=session.id, now=now)]})
    stored = loads(user.logins)
    user.logins = dumps({"logins": [*stored["logins"], *generated]})


UI_ROUTES = (
    Route("GET", "/ui/connect/{sessionID}", show_banks, auth=False),
    Route("POST", "/ui/connect/{sessionID}/bank", choose_bank, auth=False),
    Route("GET", "/ui/connect/{sessionID}/login", show_login, auth=False),
    Route("POST", "/ui/connect/{sessionID}/login", submit_login, auth=False),
    Route("GET", "/ui/connect/{sessionID}/tan", show_tan, auth=False),
    Route("POST", "/ui/connect/{sessionID}/tan", submit_tan, auth=False),
    Route("POST", "/ui/connect/{sessionID}/exit", exit_flow, auth=False),
)
"""The Banking UI's pages, below :data:`~.._handlers.API_PREFIX`; no access token needed."""
