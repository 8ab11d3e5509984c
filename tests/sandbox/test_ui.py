"""The Banking UI a connect session opens: every flow, escaping, expiry, the three URLs."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import httpx
import pytest

from finoos_async import AsyncFino
from finoos_async._json import loads
from finoos_async.sandbox import FakeClock, Sandbox
from finoos_async.sandbox._logins import store_logins
from finoos_async.sandbox._ui import BANKS, MAX_ATTEMPTS
from finoos_async.sandbox._ui._banks import find_banks
from finoos_async.sandbox._ui._check_digits import (
    creditor_id,
    german_iban,
    iban_is_valid,
    isin_is_valid,
)
from finoos_async.sandbox._ui._generate import HISTORY_DAYS, generate_login
from finoos_async.sandbox._ui._html import Markup, render

from .conftest import Api, Connect
from .test_users import CONNECT_BODY

pytestmark = pytest.mark.anyio

FINO_BANK, SPARKASSE, DOUBLE_TAN, BROKEN = (bank.code for bank in BANKS)
_TAN = re.compile(r'id="tan">(\d{6})<')


class Flow:
    """A browser stand-in: follows the UI's own redirects and checks every one leaves
    the sandbox only for one of the session's three URLs."""

    def __init__(self, api: Api, ui_url: str, urls: dict[str, str]) -> None:
        self.http = api.http
        self.url = httpx.URL(ui_url)
        self.urls = urls
        self.locations: list[str] = []

    async def get(self, path: str = "", **params: str) -> httpx.Response:
        # No Authorization header: the Banking UI is for the end user's browser.
        return await self.http.get(str(self.url) + path, params=params)

    async def post(self, path: str, **form: str) -> httpx.Response:
        response = await self.http.post(str(self.url) + path, data=form)
        if response.status_code == 303:
            self._check(response.headers["location"])
        return response

    async def submit(self, path: str, **form: str) -> httpx.Response:
        """Post a form and follow the redirect if it stays inside the UI."""
        response = await self.post(path, **form)
        assert response.status_code == 303, response.text
        location = response.headers["location"]
        if location in self.urls.values():
            return response
        page = await self.http.get(self.url.join(location))
        assert page.status_code == 200, page.text
        return page

    def _check(self, location: str) -> None:
        self.locations.append(location)
        inside = location == self.url.path or location.startswith(self.url.path + "/")
        assert inside or location in self.urls.values(), location

    async def log_in(self, bank: str = FINO_BANK) -> httpx.Response:
        await self.submit("/bank", bank=bank)
        return await self.submit("/login", username="dummy", password="654321")

    async def confirm_tan(self, page: httpx.Response) -> httpx.Response:
        return await self.submit("/tan", tan=tan_on(page))


def tan_on(page: httpx.Response) -> str:
    found = _TAN.search(page.text)
    assert found is not None, page.text
    return found.group(1)


async def start(api: Api, **urls: str) -> tuple[str, Flow]:
    """Create a user and a connect session; return the user id and a Flow on its UI."""
    user = await api.create_user()
    body = {**CONNECT_BODY, **urls}
    response = await api.post(
        f"/users/{user}/banking/connect", json=body, headers={"User-IP": "203.0.113.7"}
    )
    assert response.status_code == 200, response.text
    three = {key: str(body[key]) for key in ("redirectURL", "errorURL", "exitURL")}
    return user, Flow(api, response.json()["redirectURL"], three)


async def stored_logins(api: Api, user: str) -> list[dict[str, Any]]:
    response = await api.get(f"/users/{user}/banking/logins")
    assert response.status_code == 200
    logins: list[dict[str, Any]] = loads(response.content)["logins"]
    return logins


async def test_first_screen_is_a_bank_list_without_a_token(api: Api) -> None:
    """The redirectURL serves an HTML bank list to a browser that holds no access token."""
    _, flow = await start(api)
    page = await flow.get()
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "Choose your bank" in page.text
    for bank in BANKS:
        assert bank.name in page.text
    assert 'id="exit"' in page.text


async def test_pages_load_nothing_from_elsewhere(api: Api) -> None:
    """No screen has a script, an external asset, or a link outside the sandbox."""
    _, flow = await start(api)
    pages = [await flow.get()]
    pages.append(await flow.submit("/bank", bank=DOUBLE_TAN))
    pages.append(await flow.submit("/login", username="dummy", password="654321"))
    for page in pages:
        assert "<script" not in page.text.lower()
        assert not re.search(r"""(src|href|action)=["']?(https?:)?//""", page.text), page.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", [bank.name for bank in BANKS]),
        ("fino", ["fino Bank"]),
        ("FINO BANK", ["fino Bank"]),
        ("10020000", ["fino Bank"]),
        ("100 200 02", ["Double TAN Bank"]),
        ("1002000", [bank.name for bank in BANKS]),
        ("nowhere", []),
    ],
)
def test_bank_search_matches_name_or_code(query: str, expected: list[str]) -> None:
    """The search finds banks by a part of the name (any case) or of the bank code."""
    assert [bank.name for bank in find_banks(query)] == expected


async def test_search_results_page(api: Api) -> None:
    """Searching lists only the matches; no match says so and echoes the query."""
    _, flow = await start(api)
    page = await flow.get(q="10020000")
    assert "fino Bank" in page.text
    assert "Broken Bank" not in page.text
    page = await flow.get(q="Volksbank")
    assert "No test bank matches “Volksbank”" in page.text


async def test_search_query_is_escaped(api: Api) -> None:
    """A search query with markup comes back as text, in the field and in the message."""
    _, flow = await start(api)
    hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    page = await flow.get(q=hostile)
    assert page.status_code == 200
    assert "<script>" not in page.text
    assert "<img" not in page.text
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_render_escapes_everything_but_markup() -> None:
    """The template helper escapes plain values and inserts Markup unchanged."""
    assert render("<p>$a$b</p>", a="<b>'", b=Markup("<i>ok</i>")) == (
        "<p>&lt;b&gt;&#x27;<i>ok</i></p>"
    )


async def test_fino_bank_connects_and_lands_on_redirect_url(api: Api) -> None:
    """Bank, credentials, the TAN shown on screen: the browser lands on redirectURL."""
    user, flow = await start(api)
    tan_page = await flow.log_in()
    assert "Confirm with a TAN" in tan_page.text
    done = await flow.confirm_tan(tan_page)
    assert done.headers["location"] == CONNECT_BODY["redirectURL"]

    logins = await stored_logins(api, user)
    assert len(logins) == 1
    assert logins[0]["bank"] == {
        "name": "fino Bank",
        "bic": "SUBSDE71",
        "bankCode": "10020000",
        "logo": {"url": "", "type": ""},
    }
    assert [account["type"] for account in logins[0]["accounts"]] == [
        "GIRO",
        "SAVINGS",
        "SECURITIES",
    ]


async def test_sdk_reads_the_connected_login(sandbox: Sandbox, connect: Connect) -> None:
    """After the flow the SDK's get_logins parses the generated login, amounts as Decimal."""
    async with connect(sandbox) as api:
        await api.login()
        user, flow = await start(api)
        await flow.confirm_tan(await flow.log_in(SPARKASSE))
    async with AsyncFino(
        name=sandbox.name,
        secret=sandbox.secret,
        base_url=sandbox.base_url,
        transport=sandbox.transport(),
    ) as fino:
        logins = await fino.banking.get_logins(user)
    (login,) = logins
    assert login.bank is not None
    assert login.bank.bank_code == SPARKASSE
    giro, _savings, depot = login.accounts
    assert isinstance(giro.balance, Decimal)
    assert giro.transactions
    assert giro.standing_orders
    assert depot.securities
    assert all(t.booking_date is not None for t in giro.transactions)


async def test_wrong_password_shows_an_error_and_allows_retry(api: Api) -> None:
    """A wrong password shows the error and the attempts left; the right one then works."""
    user, flow = await start(api)
    await flow.submit("/bank", bank=FINO_BANK)
    page = await flow.submit("/login", username="dummy", password="123456")
    assert "The username or password is wrong. 2 attempts left." in page.text
    page = await flow.submit("/login", username="dummy", password="654321")
    done = await flow.confirm_tan(page)
    assert done.headers["location"] == CONNECT_BODY["redirectURL"]
    assert len(await stored_logins(api, user)) == 1


async def test_three_wrong_passwords_end_at_error_url(api: Api) -> None:
    """The third wrong password ends the flow at errorURL and connects nothing."""
    user, flow = await start(api)
    await flow.submit("/bank", bank=FINO_BANK)
    for _ in range(MAX_ATTEMPTS - 1):
        await flow.submit("/login", username="nobody", password="wrong")
    last = await flow.post("/login", username="nobody", password="wrong")
    assert last.status_code == 303
    assert last.headers["location"] == CONNECT_BODY["errorURL"]
    assert await stored_logins(api, user) == []


async def test_broken_bank_ends_at_error_url(api: Api) -> None:
    """The bank that always fails at login sends the browser to errorURL at once."""
    user, flow = await start(api)
    await flow.submit("/bank", bank=BROKEN)
    response = await flow.post("/login", username="dummy", password="654321")
    assert response.headers["location"] == CONNECT_BODY["errorURL"]
    assert await stored_logins(api, user) == []


async def test_double_tan_bank_asks_for_two_tans(api: Api) -> None:
    """The double-TAN bank shows a second, new TAN before connecting."""
    user, flow = await start(api)
    first = await flow.log_in(DOUBLE_TAN)
    assert "(1 of 2)" in first.text
    second = await flow.confirm_tan(first)
    assert "(2 of 2)" in second.text
    assert await stored_logins(api, user) == []
    done = await flow.confirm_tan(second)
    assert done.headers["location"] == CONNECT_BODY["redirectURL"]
    assert len(await stored_logins(api, user)) == 1


async def test_wrong_tan_retry_then_three_end_at_error_url(api: Api) -> None:
    """A wrong TAN shows an error; the third wrong TAN ends the flow at errorURL."""
    user, flow = await start(api)
    page = await flow.log_in()
    page = await flow.submit("/tan", tan="000000" if tan_on(page) != "000000" else "111111")
    assert "The TAN is wrong. 2 attempts left." in page.text
    wrong = "000000" if tan_on(page) != "000000" else "111111"
    await flow.submit("/tan", tan=wrong)
    last = await flow.post("/tan", tan=wrong)
    assert last.headers["location"] == CONNECT_BODY["errorURL"]
    assert await stored_logins(api, user) == []


async def test_reloading_the_tan_screen_keeps_the_tan(api: Api) -> None:
    """The TAN screen is a GET: reloading it shows the same TAN, and it still works."""
    _, flow = await start(api)
    page = await flow.log_in()
    again = await flow.get("/tan")
    assert tan_on(again) == tan_on(page)
    done = await flow.confirm_tan(again)
    assert done.headers["location"] == CONNECT_BODY["redirectURL"]


@pytest.mark.parametrize("stage", ["bank", "login", "tan"])
async def test_exit_from_every_screen_ends_at_exit_url(api: Api, stage: str) -> None:
    """Each screen has the exit control, and it ends the flow at exitURL."""
    user, flow = await start(api)
    page = await flow.get()
    if stage != "bank":
        page = await flow.submit("/bank", bank=FINO_BANK)
    if stage == "tan":
        page = await flow.submit("/login", username="dummy", password="654321")
    assert f'action="{flow.url.path}/exit"' in page.text
    response = await flow.post("/exit")
    assert response.status_code == 303
    assert response.headers["location"] == CONNECT_BODY["exitURL"]
    assert await stored_logins(api, user) == []


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/login", ""), ("/tan", "")],
    ids=["login before a bank", "tan before login"],
)
async def test_screens_out_of_order_send_back(api: Api, path: str, expected: str) -> None:
    """Opening a later screen too early redirects to the step the session is at."""
    _, flow = await start(api)
    response = await flow.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == flow.url.path + expected


async def test_unknown_bank_code_leads_back_to_the_list(api: Api) -> None:
    """A posted bank code no test bank has chooses nothing and shows the list again."""
    _, flow = await start(api)
    response = await flow.post("/bank", bank="99999999")
    assert response.headers["location"] == flow.url.path
    assert (await flow.get("/login")).headers["location"] == flow.url.path


async def test_bank_cannot_change_after_login(api: Api) -> None:
    """Once the bank's login succeeded, the bank list and a bank post lead to the TAN."""
    _, flow = await start(api)
    await flow.log_in()
    assert (await flow.get()).headers["location"] == flow.url.path + "/tan"
    response = await flow.post("/bank", bank=BROKEN)
    assert response.headers["location"] == flow.url.path + "/tan"


async def test_used_session_shows_a_page_leading_to_error_url(api: Api) -> None:
    """After the flow ended, every screen says so (410) and links to errorURL only."""
    user, flow = await start(api)
    await flow.confirm_tan(await flow.log_in())
    for response in (
        await flow.get(),
        await flow.get("/tan"),
        await flow.post("/exit"),
        await flow.post("/login", username="dummy", password="654321"),
    ):
        assert response.status_code == 410
        assert "This session was already used" in response.text
        assert f'href="{CONNECT_BODY["errorURL"]}"' in response.text
        assert 'id="exit"' not in response.text
    assert len(await stored_logins(api, user)) == 1


async def test_exited_session_cannot_be_used_again(api: Api) -> None:
    """A session left through exit is used up too."""
    _, flow = await start(api)
    await flow.post("/exit")
    assert (await flow.get()).status_code == 410


async def test_session_expires_on_the_sandbox_clock(api: Api, clock: FakeClock) -> None:
    """Ten minutes of sandbox clock after connect, the session shows the expired page."""
    user, flow = await start(api)
    page = await flow.submit("/bank", bank=FINO_BANK)
    clock.advance(599)
    assert "expires in 1 minute." in (await flow.get("/login")).text
    clock.advance(1)
    for response in (
        await flow.get("/login"),
        await flow.post("/login", username="dummy", password="654321"),
    ):
        assert response.status_code == 410
        assert "This session has expired" in response.text
        assert "within 10 minutes" in response.text
        assert f'href="{CONNECT_BODY["errorURL"]}"' in response.text
        assert f'content="10; url={CONNECT_BODY["errorURL"]}"' in response.text
    assert page.status_code == 200
    await api.login()  # the access token expired on the way (300 s)
    assert await stored_logins(api, user) == []


async def test_session_lifetime_is_configurable(connect: Connect, clock: FakeClock) -> None:
    """connect_session_ttl sets the lifetime in seconds of the sandbox clock."""
    async with connect(Sandbox(clock=clock, connect_session_ttl=30)) as api:
        await api.login()
        _, flow = await start(api)
        clock.advance(29)
        assert (await flow.get()).status_code == 200
        clock.advance(1)
        assert "within 30 seconds" in (await flow.get()).text


@pytest.mark.parametrize("ttl", [0, -1])
def test_session_lifetime_must_be_positive(ttl: float) -> None:
    """A lifetime that is not positive is refused."""
    with pytest.raises(ValueError, match="connect_session_ttl"):
        Sandbox(connect_session_ttl=ttl)


async def test_unknown_session_is_a_404_page(api: Api) -> None:
    """A made-up session id answers a plain page, with nowhere to redirect."""
    response = await api.http.get("/ui/connect/no-such-session")
    assert response.status_code == 404
    assert "Unknown connect session" in response.text
    assert "href=" not in response.text
    response = await api.http.post("/ui/connect/no-such-session/exit")
    assert response.status_code == 404


async def test_deleting_the_user_ends_its_sessions(api: Api) -> None:
    """A session whose user was deleted is unknown."""
    user, flow = await start(api)
    assert (await api.delete(f"/users/{user}")).status_code == 204
    assert (await flow.get()).status_code == 404


HOSTILE_URLS = {
    "redirectURL": 'https://app.example/ok?next="><script>alert(1)</script>',
    "errorURL": "https://app.example/error?a=1&b=<b>x</b>&c='q'",
    "exitURL": "https://app.example/exit path/ü",
}


async def test_urls_are_escaped_in_pages_and_encoded_in_redirects(
    api: Api, clock: FakeClock
) -> None:
    """Markup in the three URLs never reaches a page as markup, nor a header raw."""
    _, flow = await start(api, **HOSTILE_URLS)
    page = await flow.get()
    assert "<script>" not in page.text

    exit_response = await api.http.post(str(flow.url) + "/exit")
    assert exit_response.headers["location"] == "https://app.example/exit%20path/%C3%BC"

    _, flow = await start(api, **HOSTILE_URLS)
    clock.advance(600)
    await api.login()  # the access token expired with the session
    page = await flow.get()
    assert "<b>x</b>" not in page.text
    escaped = "https://app.example/error?a=1&amp;b=&lt;b&gt;x&lt;/b&gt;&amp;c=&#x27;q&#x27;"
    assert f'href="{escaped}"' in page.text

    _, flow = await start(api, **HOSTILE_URLS)
    await flow.http.post(str(flow.url) + "/bank", data={"bank": FINO_BANK})
    page = await flow.http.post(
        str(flow.url) + "/login", data={"username": "dummy", "password": "654321"}
    )
    page = await flow.http.get(flow.url.join(page.headers["location"]))
    done = await flow.http.post(str(flow.url) + "/tan", data={"tan": tan_on(page)})
    assert done.headers["location"] == (
        "https://app.example/ok?next=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"
    )


async def test_posted_urls_are_ignored(api: Api) -> None:
    """Only the session's own URLs are redirect targets: posted ones change nothing."""
    evil = "https://evil.example/steal"
    _, flow = await start(api)
    await flow.post("/bank", bank=FINO_BANK, redirectURL=evil, next=evil)
    wrong = {"username": "x", "password": "y", "errorURL": evil, "redirect": evil}
    for _ in range(MAX_ATTEMPTS):
        response = await flow.post("/login", **wrong)
    assert response.headers["location"] == CONNECT_BODY["errorURL"]
    _, flow = await start(api)
    response = await flow.post("/exit", exitURL=evil, url=evil)
    assert response.headers["location"] == CONNECT_BODY["exitURL"]
    assert all(evil not in location for location in flow.locations)


async def test_connecting_appends_to_the_users_logins(api: Api, set_logins_body: bytes) -> None:
    """Logins set before stay first and unchanged; each connected login is added after."""
    user, flow = await start(api)
    assert (await api.post(f"/users/{user}/banking/logins", content=set_logins_body)).is_success
    before = await stored_logins(api, user)
    await flow.confirm_tan(await flow.log_in())

    response = await api.post(
        f"/users/{user}/banking/connect", json=CONNECT_BODY, headers={"User-IP": "127.0.0.1"}
    )
    second = Flow(api, response.json()["redirectURL"], flow.urls)
    await second.confirm_tan(await second.confirm_tan(await second.log_in(DOUBLE_TAN)))
    logins = await stored_logins(api, user)
    assert logins[:1] == before
    assert [login["bank"]["bankCode"] for login in logins[1:]] == [FINO_BANK, DOUBLE_TAN]
    assert logins[1]["id"] != logins[2]["id"]


async def test_ui_routes_are_journaled(api: Api) -> None:
    """The UI's requests show in the journal under their route templates."""
    _, flow = await start(api)
    await flow.get()
    await flow.post("/exit")
    assert api.sandbox.journal.count("GET /ui/connect/{sessionID}") == 1
    assert api.sandbox.journal.count("POST /ui/connect/{sessionID}/exit") == 1


# The generated data, checked directly.

NOW = datetime(2026, 5, 20, 14, 30, tzinfo=timezone.utc)


def _generated(seed: str = "session-1") -> dict[str, Any]:
    return generate_login(BANKS[0], seed=seed, now=NOW)


def test_generated_login_is_deterministic() -> None:
    """The same seed and time give the same login; another seed gives another."""
    assert _generated() == _generated()
    assert _generated("session-2") != _generated()
    assert _generated("session-2")["id"] != _generated()["id"]


def test_generated_login_passes_set_logins_validation() -> None:
    """The generated login is in the Set Logins shape the sandbox accepts and stores."""
    (stored,) = store_logins({"logins": [_generated()]})
    assert stored["bank"]["bankCode"] == FINO_BANK


def test_generated_identifiers_pass_their_checks() -> None:
    """Account and counterpart IBANs pass mod-97, creditor ids too, ISINs pass Luhn."""
    login = _generated()
    for account in login["accounts"]:
        assert iban_is_valid(account["iban"]), account["iban"]
        assert account["iban"][4:12] == FINO_BANK
        assert account["iban"].endswith(account["number"])
        for transaction in account["transactions"]:
            counterpart = transaction["counterPart"]
            if counterpart["iban"]:
                assert iban_is_valid(counterpart["iban"]), counterpart
            creditor = counterpart["creditorId"]
            if creditor:
                assert creditor == creditor_id(creditor[7:]), creditor
        for security in account["securities"]:
            assert isin_is_valid(security["isin"]), security["isin"]


def test_generated_accounts_are_realistic() -> None:
    """Three months of German transactions, a monthly rent order, a depot with positions."""
    giro, savings, depot = _generated()["accounts"]
    assert (giro["type"], savings["type"], depot["type"]) == ("GIRO", "SAVINGS", "SECURITIES")

    dates = [datetime.fromisoformat(t["valueDate"][:10]).date() for t in giro["transactions"]]
    assert min(dates) >= NOW.date() - timedelta(days=HISTORY_DAYS)
    assert max(dates) <= NOW.date()
    assert (max(dates) - min(dates)).days >= 80
    purposes = " ".join(t["purpose"] for t in giro["transactions"])
    for word in ("Miete", "LOHN/GEHALT", "Abschlag Strom", "Debitkarte"):
        assert word in purposes
    assert any(t["amount"] > 0 for t in giro["transactions"])
    assert any(t["mref"] for t in giro["transactions"] if "mref" in t)
    assert not any(t["booked"] for t in giro["transactions"] if t["valueDate"] >= "2026-05-19")

    (order,) = giro["standingOrders"]
    assert order["interval"] == "MONTHLY"
    rents = [t for t in giro["transactions"] if t["purpose"].startswith("Miete ")]
    assert rents
    assert all(t["amount"] == -order["amount"] for t in rents)

    assert depot["securities"]
    assert depot["balance"] == sum(s["amount"] for s in depot["securities"])
    for security in depot["securities"]:
        price = security["priceAmount"] / security["exchangeRate"]
        assert abs(security["quantity"] * price - security["amount"]) < Decimal("0.01")
    assert not giro["securities"]
    assert not savings["securities"]


def test_german_iban_known_value() -> None:
    """The IBAN of bank code 10020000 and account 7791587578 is DE65… (checked by hand)."""
    assert german_iban("10020000", "7791587578") == "DE65100200007791587578"
    assert not iban_is_valid("DE64100200007791587578")
