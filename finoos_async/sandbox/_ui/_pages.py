"""The Banking UI's screens as HTML: plain forms, inline CSS, no script, no external asset.

Each function returns a whole page. Every value they echo goes through
:func:`~._html.render`, which escapes it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import attrs

from ._banks import TEST_PASSWORD, TEST_USERNAME, TestBank
from ._html import Markup, join, render

__all__ = [
    "Screen",
    "app_host",
    "bank_list_page",
    "ended_page",
    "login_page",
    "tan_page",
    "unknown_session_page",
]

_STEPS = ("Bank", "Login", "TAN")

_STYLE = """
*{box-sizing:border-box}
body{margin:0;background:#eef1f5;color:#1c2430;
 font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:30rem;margin:2.5rem auto;background:#fff;border-radius:12px;
 box-shadow:0 2px 12px rgba(20,30,50,.12);overflow:hidden}
header{display:flex;align-items:center;justify-content:space-between;
 padding:.8rem 1.2rem;background:#14324f;color:#fff}
.brand{font-weight:700;letter-spacing:.02em}
.brand small{font-weight:400;opacity:.75;margin-left:.35rem}
.content{padding:1.2rem 1.4rem 1.4rem}
h1{font-size:1.35rem;margin:.2rem 0 .6rem}
p{margin:.5rem 0}
.muted{color:#5b6776;font-size:.9rem}
ol.steps{display:flex;gap:.4rem;list-style:none;margin:0;padding:.6rem 1.4rem;
 background:#f6f8fb;border-bottom:1px solid #e3e8ef;font-size:.85rem;color:#7a8594}
ol.steps li.current{color:#14324f;font-weight:700}
ol.steps li+li::before{content:"\\203A";margin-right:.4rem;color:#b3bcc8}
label{display:block;font-weight:600;margin:.8rem 0 .25rem}
input{width:100%;padding:.55rem .65rem;font:inherit;border:1px solid #b9c3cf;border-radius:6px}
input:focus{outline:2px solid #2f7dd1;border-color:#2f7dd1}
button{font:inherit;cursor:pointer;border-radius:6px}
.primary{margin-top:1rem;width:100%;padding:.65rem;border:0;background:#2f7dd1;color:#fff;
 font-weight:600}
.exit{background:transparent;border:1px solid rgba(255,255,255,.6);color:#fff;
 padding:.25rem .8rem;font-size:.9rem}
.search{display:flex;gap:.5rem;align-items:center}
.search button{padding:.55rem .9rem;border:1px solid #2f7dd1;background:#fff;color:#2f7dd1}
ul.banks{list-style:none;margin:1rem 0 0;padding:0}
ul.banks li{margin:.5rem 0}
ul.banks button{width:100%;text-align:left;padding:.7rem .9rem;background:#fff;
 border:1px solid #d5dce5}
ul.banks button:hover{border-color:#2f7dd1;background:#f4f8fd}
ul.banks b{display:block}
ul.banks span{display:block;font-size:.85rem;color:#5b6776}
.error{background:#fdecec;border:1px solid #f3b7b7;color:#8a1c1c;padding:.6rem .8rem;
 border-radius:6px}
.tan{font:700 2rem/1.2 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
 letter-spacing:.3rem;text-align:center;background:#f6f8fb;border:1px dashed #b9c3cf;
 border-radius:8px;padding:.6rem;margin:.8rem 0}
.hint{background:#fff8e1;border:1px solid #f0dc9c;padding:.5rem .8rem;border-radius:6px;
 font-size:.9rem}
a.button{display:block;text-align:center;margin-top:1rem;padding:.65rem;border-radius:6px;
 background:#2f7dd1;color:#fff;text-decoration:none;font-weight:600}
footer{padding:.7rem 1.4rem;border-top:1px solid #e3e8ef;font-size:.8rem;color:#7a8594}
"""

_LAYOUT = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
$refresh<title>$title · finoOS Sandbox Banking UI</title>
<style>$style</style>
</head>
<body>
<main>
<header><span class="brand">finoOS<small>Sandbox Banking UI</small></span>$exit</header>
$steps<div class="content">
$body
</div>
<footer>$footer</footer>
</main>
</body>
</html>
"""

_EXIT = """<form method="post" action="$action"><button class="exit" type="submit" \
id="exit">Exit</button></form>"""


@attrs.frozen
class Screen:
    """What every screen of a live session shows around its own content.

    Attributes:
        base: The session's UI path, ``…/ui/connect/{id}``; forms post below it.
        app_host: The host of the app the user came from and returns to.
        minutes_left: Whole minutes until the session expires (rounded up).
        recurring: Whether the app asked for a connection it may refresh later.
    """

    base: str
    app_host: str
    minutes_left: int
    recurring: bool


def app_host(url: str) -> str:
    """The host part of one of the session's URLs, to name the app to the user."""
    return urlsplit(url).hostname or url


def _page(
    title: str,
    body: Markup,
    *,
    screen: Screen | None = None,
    step: int | None = None,
    refresh_to: str | None = None,
) -> bytes:
    if screen is not None:
        exit_control = render(_EXIT, action=f"{screen.base}/exit")
        minutes = "minute" if screen.minutes_left == 1 else "minutes"
        footer = render(
            "Sandbox: no real bank is contacted. Connecting for <b>$host</b>; "
            "this session expires in $left $minutes.",
            host=screen.app_host,
            left=screen.minutes_left,
            minutes=minutes,
        )
    else:
        exit_control = Markup("")
        footer = Markup("Sandbox: no real bank is contacted.")
    steps = Markup("")
    if step is not None:
        items = [
            render('<li class="current" aria-current="step">$name</li>', name=name)
            if index == step
            else render("<li>$name</li>", name=name)
            for index, name in enumerate(_STEPS)
        ]
        steps = render('<ol class="steps">$items</ol>\n', items=join(items))
    refresh = Markup("")
    if refresh_to is not None:
        refresh = render('<meta http-equiv="refresh" content="10; url=$url">\n', url=refresh_to)
    return render(
        _LAYOUT,
        title=title,
        style=Markup(_STYLE),
        exit=exit_control,
        steps=steps,
        body=body,
        footer=footer,
        refresh=refresh,
    ).encode("utf-8")


def bank_list_page(screen: Screen, query: str, banks: list[TestBank]) -> bytes:
    """Step 1: search by name or bank code, then pick one of the matching banks."""
    if banks:
        items = [
            render(
                '<li><form method="post" action="$action">'
                '<input type="hidden" name="bank" value="$code">'
                '<button type="submit" data-bank="$code"><b>$name</b>'
                "<span>Bank code $spaced · BIC $bic</span><span>$behaviour</span>"
                "</button></form></li>",
                action=f"{screen.base}/bank",
                code=bank.code,
                name=bank.name,
                spaced=bank.spaced_code,
                bic=bank.bic,
                behaviour=bank.behaviour,
            )
            for bank in banks
        ]
        results = render('<ul class="banks">$items</ul>', items=join(items))
    else:
        results = render(
            '<p class="error" id="no-match">No test bank matches “$query”.</p>', query=query
        )
    recurring = (
        Markup('<p class="muted">The app asked to refresh this connection later.</p>')
        if screen.recurring
        else Markup("")
    )
    body = render(
        """<h1>Choose your bank</h1>
<p class="muted">Connect a bank login for <b>$host</b>.</p>$recurring
<form class="search" method="get" action="$action" role="search">
<input id="q" name="q" value="$query" aria-label="Bank name or bank code"
 placeholder="Bank name or bank code, e.g. 10020000">
<button type="submit">Search</button>
</form>
$results""",
        host=screen.app_host,
        recurring=recurring,
        action=screen.base,
        query=query,
        results=results,
    )
    return _page("Choose your bank", body, screen=screen, step=0)


def login_page(screen: Screen, bank: TestBank, error: str | None) -> bytes:
    """Step 2: the bank's username and password, with the previous attempt's error."""
    body = render(
        """<h1>Log in to $name</h1>
<p class="muted">Bank code $spaced · <a href="$base">choose another bank</a></p>
$error<form method="post" action="$action">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="off" required autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="off" required>
<button class="primary" type="submit">Log in</button>
</form>
<p class="hint">Sandbox test credentials: username <code>$username</code>,
password <code>$password</code>.</p>""",
        name=bank.name,
        spaced=bank.spaced_code,
        base=screen.base,
        error=_error(error),
        action=f"{screen.base}/login",
        username=TEST_USERNAME,
        password=TEST_PASSWORD,
    )
    return _page(f"Log in to {bank.name}", body, screen=screen, step=1)


def tan_page(
    screen: Screen, bank: TestBank, tan: str, number: int, count: int, error: str | None
) -> bytes:
    """Step 3: the TAN, shown on screen as the vendor's test bank does, and its form."""
    which = f" ({number} of {count})" if count > 1 else ""
    body = render(
        """<h1>Confirm with a TAN$which</h1>
<p>$name sent a TAN to your device. In the sandbox it is shown here:</p>
<p class="tan" id="tan">$tan</p>
$error<form method="post" action="$action">
<label for="tan-input">TAN</label>
<input id="tan-input" name="tan" inputmode="numeric" autocomplete="one-time-code" required
 autofocus>
<button class="primary" type="submit">Confirm</button>
</form>""",
        which=which,
        name=bank.name,
        tan=tan,
        error=_error(error),
        action=f"{screen.base}/tan",
    )
    return _page("Confirm with a TAN", body, screen=screen, step=2)


def ended_page(title: str, message: str, error_url: str) -> bytes:
    """A session that can no longer be used; the link (and a 10 s refresh) go to errorURL."""
    body = render(
        """<h1>$title</h1>
<p>$message</p>
<p class="muted">You will be taken back to <b>$host</b> in a few seconds.</p>
<a class="button" id="continue" href="$url">Back to $host</a>""",
        title=title,
        message=message,
        host=app_host(error_url),
        url=error_url,
    )
    return _page(title, body, refresh_to=error_url)


def unknown_session_page() -> bytes:
    """A session id the sandbox never issued, or whose user was deleted."""
    body = Markup(
        "<h1>Unknown connect session</h1>"
        "<p>This link does not belong to a connect session of this sandbox. Ask the app "
        "for a new one.</p>"
    )
    return _page("Unknown connect session", body)


def _error(message: str | None) -> Markup:
    if message is None:
        return Markup("")
    return render('<p class="error" role="alert" id="error">$message</p>\n', message=message)
