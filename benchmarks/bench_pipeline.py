"""Pipeline overhead: one call through the SDK vs one plain httpx request, in-process.

Both go through the same ``httpx.MockTransport`` answering a small JSON body, so
the difference is the SDK's own work per call: options, request id, token,
middleware, error mapping, decoding into a model. Microseconds per call.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from _report import write_report

from finoos_async import AsyncFino, Settings

CALLS = 2000
SETTINGS = json.dumps({"apiVersion": "2020-06-16", "scopes": ["banking"]}).encode()
TOKENS = json.dumps(
    {"accessToken": "a", "refreshToken": "r", "expiresIn": 300, "refreshExpiresIn": 1800}
).encode()


def handler(request: httpx.Request) -> httpx.Response:
    """Answer /auth with tokens and anything else with the settings body."""
    body = TOKENS if request.url.path.endswith("/auth") else SETTINGS
    return httpx.Response(
        200,
        content=body,
        headers={"Content-Type": "application/json", "X-Request-ID": "r", "API-Version": "v"},
    )


async def plain(calls: int) -> float:
    """Seconds for ``calls`` plain httpx GETs with fixed headers, JSON decoded."""
    headers = {"Authorization": "a", "X-Request-ID": "fixed"}
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        started = time.perf_counter()
        for _ in range(calls):
            response = await http.get("http://127.0.0.1/api/v1/settings", headers=headers)
            response.raise_for_status()
            data = response.json()
        elapsed = time.perf_counter() - started
    assert data["apiVersion"] == "2020-06-16"
    return elapsed


async def sdk(calls: int) -> float:
    """Seconds for ``calls`` SDK ``settings.get()`` calls, decoded into ``Settings``."""
    fino = AsyncFino(
        name="n",
        secret="s",
        base_url="http://127.0.0.1/api/v1",
        transport=httpx.MockTransport(handler),
    )
    async with fino:
        await fino.settings.get()
        started = time.perf_counter()
        for _ in range(calls):
            settings = await fino.settings.get()
        elapsed = time.perf_counter() - started
    assert isinstance(settings, Settings)
    assert settings.api_version == "2020-06-16"
    return elapsed


def run() -> list[dict[str, object]]:
    """Best of fifteen rounds of each, interleaved (the minimum resists noise)."""
    best = {"plain httpx": float("inf"), "finoos_async": float("inf")}
    for _ in range(15):
        for name, bench in (("plain httpx", plain), ("finoos_async", sdk)):
            gc.collect()
            best[name] = min(best[name], asyncio.run(bench(CALLS)))
    per_call = {name: seconds / CALLS * 1e6 for name, seconds in best.items()}
    return [
        {
            "calls": CALLS,
            "plain httpx µs/call": round(per_call["plain httpx"], 1),
            "finoos_async µs/call": round(per_call["finoos_async"], 1),
            "overhead µs/call": round(per_call["finoos_async"] - per_call["plain httpx"], 1),
        }
    ]


def main() -> None:
    """Run and report."""
    rows = run()
    print(rows[0])
    write_report("pipeline", "Pipeline overhead per call (in-process transport)", rows)


if __name__ == "__main__":
    main()
