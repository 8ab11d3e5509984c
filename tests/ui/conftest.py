"""Headless Chromium (Debian's /usr/bin/chromium) driving the sandbox's Banking UI.

No browser is downloaded: Playwright only drives the system Chromium. Without it the
tests skip, saying why, unless ``FINOOS_REQUIRE_CHROMIUM`` is set (``.ci/run`` sets it,
after installing Chromium), which makes them fail instead. One loopback server serves each
test's fresh sandbox, another stands in for the app whose three URLs the flow ends
at, so nothing leaves the machine.

Every screen a test passes through is photographed; when a test fails, the photos
and one of the final state are written to ``test-artifacts/ui/<test>/``. With
``FINOOS_DOCS_SCREENSHOTS=1`` the screens the docs show are (re)written to
``docs/images/connect-flow/`` as well.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
import attrs
import pytest

from finoos_async import AsyncFino
from finoos_async.sandbox import FakeClock, Sandbox
from finoos_async.sandbox._http import Receive, Scope, Send
from finoos_async.sandbox._server import serve_in_thread

from .._live import SwitchApp

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

CHROMIUM = Path(os.environ.get("FINOOS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: The app's three pages, below the app server's origin.
APP_PATHS = {
    "redirect_url": "/connected",
    "error_url": "/connect-error",
    "exit_url": "/connect-exit",
}
_APP_PAGE = b"<!doctype html><title>The app</title><h1>Back in the app</h1>"
ROOT = Path(__file__).resolve().parent.parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "ui"
DOCS_IMAGES = ROOT / "docs" / "images" / "connect-flow"
#: The screens docs/connect-flow.md shows, by the names the tests photograph them under.
DOCS_SCREENS = frozenset(
    {"1-bank-list", "2-search", "3-login", "4-login-error", "5-tan", "6-expired"}
)

T = TypeVar("T")
_FAILED = pytest.StashKey[bool]()
# The first test to reach a docs screen photographs it for the docs; later ones
# (a second TAN, another bank's search) would show a less typical version.
_DOCS_WRITTEN: set[str] = set()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember whether a test failed, so its fixture can save the screenshots."""
    report = yield
    if report.failed:
        item.stash[_FAILED] = True
    return report


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, for one test module; skips when it is absent.

    Module scope, not session: while Playwright's sync API is open, this thread counts
    as running an event loop, and every later test's ``asyncio.run`` would refuse.
    """
    if not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)"
        if os.environ.get("FINOOS_REQUIRE_CHROMIUM"):
            pytest.fail(reason)
        pytest.skip(reason)
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the dev extra")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


async def _app(scope: Scope, receive: Receive, send: Send) -> None:
    # The app the user comes from: every page just says the browser is back.
    if scope["type"] != "http":
        return
    headers = [(b"content-type", b"text/html; charset=utf-8")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": _APP_PAGE})


@pytest.fixture(scope="session")
def _server() -> Iterator[tuple[SwitchApp, str]]:
    switch = SwitchApp()
    with serve_in_thread(switch) as origin:
        yield switch, origin


@pytest.fixture(scope="session")
def app_urls() -> Iterator[dict[str, str]]:
    """The three URLs a connect session is given, on a loopback stand-in for the app."""
    with serve_in_thread(_app) as origin:
        # Named "localhost", as a developer's app would be, for the pages to show.
        origin = origin.replace("127.0.0.1", "localhost")
        yield {name: origin + path for name, path in APP_PATHS.items()}


@attrs.define
class Served:
    """The test's sandbox on a loopback port, its clock, and SDK helpers for it."""

    sandbox: Sandbox
    clock: FakeClock
    base_url: str
    app_urls: dict[str, str]

    def run(self, work: Callable[[AsyncFino], Coroutine[Any, Any, T]]) -> T:
        """Run ``work`` with an SDK client on this sandbox, from a thread of its own.

        Playwright's sync API keeps an event loop running in this thread, so the SDK
        gets another thread for its own.
        """

        async def main() -> T:
            async with AsyncFino(
                name=self.sandbox.name, secret=self.sandbox.secret, base_url=self.base_url
            ) as fino:
                return await work(fino)

        with ThreadPoolExecutor(1) as pool:
            return pool.submit(anyio.run, main).result()

    def connect_session(self) -> tuple[str, str]:
        """Create a user and a connect session with the SDK; return the user id and UI URL."""

        async def work(fino: AsyncFino) -> tuple[str, str]:
            user = await fino.users.create(type="person")
            session = await fino.banking.connect(
                user.id,
                redirect_url=self.app_urls["redirect_url"],
                error_url=self.app_urls["error_url"],
                exit_url=self.app_urls["exit_url"],
                recurring=True,
                user_ip="127.0.0.1",
            )
            return user.id, session.redirect_url

        return self.run(work)


@pytest.fixture
def served(_server: tuple[SwitchApp, str], app_urls: dict[str, str]) -> Iterator[Served]:
    """A fresh sandbox on a fake clock, served on the session's loopback port."""
    switch, origin = _server
    clock = FakeClock(start=1_000_000.0)
    sandbox = Sandbox(clock=clock)
    switch.target = sandbox
    yield Served(sandbox, clock, origin + "/api/v1", app_urls)
    switch.target = None


class BankingUI:
    """The Banking UI in one browser page, driven the way a person would use it.

    Every action waits for the page it leads to and photographs it, named after the
    screen it shows (``3-login``, ``5-tan``, …).
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self.shots: list[tuple[str, bytes]] = []

    def open(self, url: str) -> None:
        """Open a connect session's URL, as the app's redirect would."""
        self.page.goto(url)
        self._snap()

    def search(self, query: str) -> None:
        """Search the bank list by name or bank code."""
        self.page.get_by_label("Bank name or bank code").fill(query)
        self._submit(self.page.get_by_role("button", name="Search"))

    def choose(self, bank_code: str) -> None:
        """Pick a bank from the list."""
        self._submit(self.page.locator(f'button[data-bank="{bank_code}"]'))

    def log_in(self, username: str, password: str) -> None:
        """Fill in the bank's login form and send it."""
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self._submit(self.page.get_by_role("button", name="Log in"))

    def shown_tan(self) -> str:
        """The TAN the sandbox shows on the TAN screen."""
        return self.page.locator("#tan").inner_text().strip()

    def confirm(self, tan: str) -> None:
        """Type a TAN and confirm it."""
        self.page.get_by_label("TAN").fill(tan)
        self._submit(self.page.get_by_role("button", name="Confirm"))

    def exit(self) -> None:
        """Use the exit control in the header."""
        self._submit(self.page.get_by_role("button", name="Exit"))

    def reload(self) -> None:
        """Reload the current screen."""
        self.page.reload()
        self._snap()

    def back_to_app(self) -> None:
        """Follow the ended page's link back to the app."""
        self._submit(self.page.get_by_role("link", name=re.compile("^Back to")))

    def error(self) -> str:
        """The error message the screen shows."""
        return self.page.locator("#error").inner_text()

    def _submit(self, control: Locator) -> None:
        with self.page.expect_navigation():
            control.click()
        self._snap()

    def _snap(self) -> None:
        shot = self.page.screenshot(full_page=True)
        name = self._screen_name()
        self.shots.append((name, shot))
        wanted = name in DOCS_SCREENS and name not in _DOCS_WRITTEN
        if wanted and os.environ.get("FINOOS_DOCS_SCREENSHOTS"):
            _DOCS_WRITTEN.add(name)
            DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
            (DOCS_IMAGES / f"{name}.png").write_bytes(shot)

    def _screen_name(self) -> str:
        url = self.page.url
        if "/api/v1/ui/" not in url:
            return "app-" + url.rsplit("/", 1)[-1]
        heading = self.page.locator("h1").first.inner_text()
        if "expired" in heading:
            return "6-expired"
        if "already used" in heading:
            return "used"
        has_error = self.page.locator("#error").count() > 0
        path = url.split("?", 1)[0]
        if path.endswith("/login"):
            return "4-login-error" if has_error else "3-login"
        if path.endswith("/tan"):
            return "5-tan-error" if has_error else "5-tan"
        return "2-search" if "?q=" in url else "1-bank-list"

    def save(self, folder: Path) -> None:
        """Write every photo, and one of the page's final state, to ``folder``."""
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for index, (name, shot) in enumerate(self.shots, 1):
            (folder / f"{index:02d}-{name}.png").write_bytes(shot)
        try:
            self.page.screenshot(path=str(folder / "final.png"), full_page=True)
        except Exception as exc:  # the page may be what broke; keep the rest
            (folder / "final-error.txt").write_text(repr(exc), encoding="utf-8")


@pytest.fixture
def ui(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BankingUI]:
    """A fresh browser page; when the test fails, its screens are saved under
    ``test-artifacts/ui/<test>/``."""
    context = browser.new_context(viewport={"width": 720, "height": 560})
    context.set_default_timeout(5_000)
    driver = BankingUI(context.new_page())
    yield driver
    if request.node.stash.get(_FAILED, False):
        driver.save(ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name))
    context.close()
