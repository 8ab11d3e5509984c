"""How the fuzz tests run: example counts, the per-example time limit, the decode under test.

``FINOOS_FUZZ_EXAMPLES`` sets the examples per property (``nox -s fuzz``: 5000). Without
it, as in CI, each property runs 200 derandomized examples: the same inputs on every run,
so a red CI always means the change under review, never a new draw. The full-size run is
random, to explore new ground each time; a failure prints its minimal example and a
``@reproduce_failure`` blob. No example database is written: the work tree stays clean.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
from hypothesis import HealthCheck, settings

from finoos_async import AsyncFino, Login, _json
from finoos_async._call import Outcome

__all__ = [
    "CLIENT_SECRET",
    "FUZZ",
    "TIME_LIMIT",
    "Hang",
    "decode_logins",
    "encode_logins",
    "time_limit",
]

_FULL = "FINOOS_FUZZ_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("FINOOS_FUZZ_EXAMPLES", "200"))

#: The settings of every fuzz property.
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # hypothesis' deadline is flaky on a shared CPU; time_limit() judges hangs
    derandomize=not _FULL,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Seconds one decode may take. Real ones take milliseconds: this only catches hangs.
TIME_LIMIT = 2.0

CLIENT_SECRET = "fuzz-client-secret-4c1d"
_BASE_URL = "https://os.test.fino.cloud/api/v1"


class Hang(BaseException):
    """A decode ran past the time limit (a BaseException, so no ``except Exception`` hides it)."""


@contextlib.contextmanager
def time_limit(seconds: float = TIME_LIMIT) -> Iterator[None]:
    """Fail the example if the block takes ``seconds`` or more; interrupt it if it hangs."""
    armed = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    previous: Any = None
    if armed:

        def interrupt(signum: int, frame: Any) -> None:
            raise Hang(f"still running after {seconds} s")

        previous = signal.signal(signal.SIGALRM, interrupt)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.perf_counter()
    try:
        yield
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"took {elapsed:.2f} s (limit {seconds} s)"


# Never entered: decoding needs no connection. One lenient client, one strict.
_clients = {
    strict: AsyncFino(name="fuzz", secret=CLIENT_SECRET, base_url=_BASE_URL, strict=strict)
    for strict in (False, True)
}


def decode_logins(
    body: bytes, *, request_id: str = "fuzz-request", strict: bool = False
) -> list[Login]:
    """Decode a 200 Get Logins response with ``body`` exactly as ``get_logins`` does."""
    response = httpx.Response(200, content=body, headers={"X-Request-ID": request_id})
    outcome = Outcome(response=response, attempts=1, request_id=request_id)
    return _clients[strict].banking._parse_logins(outcome)


def encode_logins(logins: list[Login]) -> bytes:
    """The body ``set_logins`` sends for ``logins``."""
    return _json.dumps({"logins": _clients[False]._encode(logins)})
