"""The retry policy's arithmetic: Retry-After forms and the backoff bounds."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest

from finoos_async._retry import RetryPolicy, parse_retry_after, request_may_have_arrived


def test_retry_after_in_seconds_and_as_http_date() -> None:
    """Retry-After is read as seconds or as an HTTP date; nonsense is ignored."""
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("0.5") == 0.5
    in_30s = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 28 <= (parse_retry_after(in_30s) or 0) <= 31
    past = email.utils.formatdate(time.time() - 30, usegmt=True)
    assert parse_retry_after(past) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_backoff_is_jittered_below_a_capped_exponential() -> None:
    """Each wait lies in [0, min(cap, initial * 2**(n-1))]; Retry-After wins."""
    policy = RetryPolicy(backoff_initial=0.5, backoff_max=2.0)
    for retry in range(1, 8):
        ceiling = min(2.0, 0.5 * 2 ** (retry - 1))
        waits = [policy.wait(retry) for _ in range(200)]
        assert all(0 <= w <= ceiling for w in waits)
        assert max(waits) > ceiling / 2  # jittered, not always zero
    assert policy.wait(3, retry_after=12.0) == 12.0


@pytest.mark.parametrize(
    ("exc", "arrived"),
    [
        (httpx.ConnectError("refused"), False),
        (httpx.ConnectTimeout("slow connect"), False),
        (httpx.PoolTimeout("pool"), False),
        (httpx.ReadTimeout("slow"), True),
        (httpx.ReadError("reset"), True),
        (httpx.RemoteProtocolError("cut"), True),
        (httpx.WriteError("broken pipe"), True),
    ],
)
def test_which_failures_prove_nothing_was_sent(exc: httpx.TransportError, arrived: bool) -> None:
    """Only connect and pool failures prove the request never reached the server."""
    assert request_may_have_arrived(exc) is arrived


def test_unsafe_calls_retry_only_what_never_arrived() -> None:
    """A non-repeatable call is retried on 429 and refused connections, nothing else."""
    policy = RetryPolicy()
    assert policy.retries_status(429, repeatable=False)
    assert not policy.retries_status(503, repeatable=False)
    assert policy.retries_status(503, repeatable=True)
    assert not policy.retries_status(404, repeatable=True)
    assert policy.retries_error(httpx.ConnectError("x"), repeatable=False)
    assert not policy.retries_error(httpx.ReadTimeout("x"), repeatable=False)
    assert policy.retries_error(httpx.ReadTimeout("x"), repeatable=True)
