"""The connect flow end to end in headless Chromium: the app's redirect dance, for real."""

from __future__ import annotations

from finoos_async import AsyncFino
from finoos_async._models.banking import Login
from finoos_async.sandbox._ui._check_digits import iban_is_valid

from .conftest import BankingUI, Served

FINO_BANK = "10020000"


def _logins(served: Served, user_id: str) -> list[Login]:
    async def work(fino: AsyncFino) -> list[Login]:
        return await fino.banking.get_logins(user_id)

    return served.run(work)


def test_fino_bank_connects_and_the_sdk_reads_the_login(ui: BankingUI, served: Served) -> None:
    """Search fino Bank, log in with dummy/654321, type the TAN shown: the app gets the login."""
    user_id, url = served.connect_session()
    ui.open(url)
    ui.search(FINO_BANK)
    assert ui.page.locator("ul.banks button").count() == 1
    ui.choose(FINO_BANK)
    ui.log_in("dummy", "654321")
    ui.confirm(ui.shown_tan())
    assert ui.page.url == served.app_urls["redirect_url"]

    (login,) = _logins(served, user_id)
    assert login.bank is not None
    assert (login.bank.name, login.bank.bank_code) == ("fino Bank", FINO_BANK)
    giro, savings, depot = login.accounts
    assert all(account.iban and iban_is_valid(account.iban) for account in login.accounts)
    assert len(giro.transactions) > 50
    assert giro.standing_orders
    assert savings.transactions
    assert depot.securities


def test_wrong_password_then_success(ui: BankingUI, served: Served) -> None:
    """A wrong password shows an error on the login screen; the right one then connects."""
    user_id, url = served.connect_session()
    ui.open(url)
    ui.choose(FINO_BANK)
    ui.log_in("dummy", "000000")
    assert "wrong" in ui.error()
    assert "2 attempts left" in ui.error()
    ui.log_in("dummy", "654321")
    ui.confirm(ui.shown_tan())
    assert ui.page.url == served.app_urls["redirect_url"]
    assert len(_logins(served, user_id)) == 1


def test_three_wrong_passwords_end_at_error_url(ui: BankingUI, served: Served) -> None:
    """The third wrong password sends the browser to the app's errorURL."""
    user_id, url = served.connect_session()
    ui.open(url)
    ui.choose(FINO_BANK)
    for password in ("1", "2", "3"):
        ui.log_in("dummy", password)
    assert ui.page.url == served.app_urls["error_url"]
    assert _logins(served, user_id) == []


def test_exit_ends_at_exit_url(ui: BankingUI, served: Served) -> None:
    """The exit control on the login screen sends the browser to the app's exitURL."""
    user_id, url = served.connect_session()
    ui.open(url)
    ui.choose(FINO_BANK)
    ui.exit()
    assert ui.page.url == served.app_urls["exit_url"]
    assert _logins(served, user_id) == []


def test_expired_session_ends_at_error_url(ui: BankingUI, served: Served) -> None:
    """Ten minutes later the session shows the expired page, which leads to errorURL."""
    _, url = served.connect_session()
    ui.open(url)
    ui.choose(FINO_BANK)
    served.clock.advance(600)
    ui.reload()
    assert "This session has expired" in ui.page.locator("h1").inner_text()
    ui.back_to_app()
    assert ui.page.url == served.app_urls["error_url"]


def test_double_tan_bank_asks_twice(ui: BankingUI, served: Served) -> None:
    """The double-TAN test bank shows a second TAN before the app gets the login."""
    user_id, url = served.connect_session()
    ui.open(url)
    ui.search("double")
    ui.choose("10020002")
    ui.log_in("dummy", "654321")
    first = ui.shown_tan()
    ui.confirm(first)
    assert "(2 of 2)" in ui.page.locator("h1").inner_text()
    ui.confirm(ui.shown_tan())
    assert ui.page.url == served.app_urls["redirect_url"]
    assert len(_logins(served, user_id)) == 1
