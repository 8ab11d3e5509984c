"""Bulk fetching: the SDK's iter_logins (typed models) vs plain httpx and plain aiohttp (JSON only).

The sandbox runs under uvicorn in its own process, pinned to one core; each client
variant runs in a fresh process pinned to the other, so CPU time and peak RSS are
its own. Every variant fetches the same users and must return the same data
(checked by a checksum over login, account and transaction ids) before its numbers
count. Results are ratios within this one run.

    python benchmarks/bench_bulk.py [--users 2000] [--concurrency 10 100] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _report import write_report

VARIANTS = ("sdk-fast", "sdk-httpx", "httpx", "aiohttp")
HERE = Path(__file__)


def _pin(core: int) -> None:
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {core})


def _checksum(logins: list[Any]) -> str:
    digest = hashlib.sha256()
    for login in logins:
        digest.update(str(login["id"]).encode())
        for account in login["accounts"]:
            digest.update(str(account["id"]).encode())
            for tx in account["transactions"]:
                digest.update(f"{tx['id']}:{tx['amount']}".encode())
    return digest.hexdigest()


def _model_checksum(logins: list[Any]) -> str:
    as_json = [
        {
            "id": login.id,
            "accounts": [
                {
                    "id": account.id,
                    "transactions": [
                        {"id": tx.id, "amount": tx.amount} for tx in account.transactions
                    ],
                }
                for account in login.accounts
            ],
        }
        for login in logins
    ]
    return _checksum(as_json)


async def _run_variant(
    variant: str, base_url: str, name: str, secret: str, ids: list[str], concurrency: int
) -> dict[str, str]:
    """Fetch every user's logins; return user id -> checksum."""
    results: dict[str, str] = {}
    if variant.startswith("sdk"):
        from finoos_async import AsyncFino, FinoError

        fast = variant == "sdk-fast"
        async with AsyncFino(
            name=name, secret=secret, base_url=base_url, fast=fast, max_retries=0
        ) as fino:
            await fino.settings.get()  # authenticate outside the timed part
            started = time.perf_counter()
            cpu = time.process_time()
            async for user_id, logins in fino.banking.iter_logins(ids, concurrency=concurrency):
                if isinstance(logins, FinoError):
                    raise logins
                results[user_id] = _model_checksum(logins)
            _record(started, cpu)
        return results

    token = await _token(base_url, name, secret)
    headers = {"Authorization": token}
    limit = asyncio.Semaphore(concurrency)
    if variant == "httpx":
        import httpx

        async with httpx.AsyncClient(headers=headers) as http:

            async def fetch_httpx(user_id: str) -> None:
                async with limit:
                    response = await http.get(f"{base_url}/users/{user_id}/banking/logins")
                    response.raise_for_status()
                    results[user_id] = _checksum(response.json()["logins"])

            await _timed(fetch_httpx, ids)
        return results

    import aiohttp

    async with aiohttp.ClientSession(headers=headers) as session:

        async def fetch_aiohttp(user_id: str) -> None:
            async with limit, session.get(f"{base_url}/users/{user_id}/banking/logins") as response:
                response.raise_for_status()
                results[user_id] = _checksum((await response.json())["logins"])

        await _timed(fetch_aiohttp, ids)
    return results


_timing: dict[str, float] = {}


def _record(started: float, cpu: float) -> None:
    _timing["wall"] = time.perf_counter() - started
    _timing["cpu"] = time.process_time() - cpu


async def _timed(fetch: Any, ids: list[str]) -> None:
    started = time.perf_counter()
    cpu = time.process_time()
    await asyncio.gather(*(fetch(user_id) for user_id in ids))
    _record(started, cpu)


async def _token(base_url: str, name: str, secret: str) -> str:
    import httpx

    async with httpx.AsyncClient() as http:
        response = await http.post(f"{base_url}/auth", json={"name": name, "secret": secret})
        response.raise_for_status()
        return str(response.json()["accessToken"])


def _peak_rss_kb() -> int:
    # ru_maxrss survives exec on Linux (it would report the parent's peak); the
    # process's own high-water mark is VmHWM.
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(args: argparse.Namespace) -> None:
    """Run one variant in this process and print its numbers as JSON."""
    _pin(1)
    ids = json.loads(Path(args.ids).read_text())
    results = asyncio.run(
        _run_variant(
            args.variant, args.base_url, args.name, args.secret, ids, args.variant_concurrency
        )
    )
    peak_kb = _peak_rss_kb()
    digest = hashlib.sha256(json.dumps(results, sort_keys=True).encode()).hexdigest()
    print(
        json.dumps(
            {
                "requests": len(ids),
                "wall": _timing["wall"],
                "cpu": _timing["cpu"],
                "peak_rss_mb": round(peak_kb / 1024, 1),
                "checksum": digest,
            }
        )
    )


def _start_server() -> tuple[subprocess.Popen[str], dict[str, str]]:
    command = [
        sys.executable,
        "-c",
        "import os, sys; os.sched_setaffinity(0, {0}) if (os.cpu_count() or 1) > 1 else None;"
        "from finoos_async.sandbox._cli import main; sys.exit(main(sys.argv[1:]))",
        "--port",
        "0",
        "--access-ttl",
        "3600",
    ]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    env = {}
    while len(env) < 3:
        line = server.stdout.readline()
        if not line:
            raise RuntimeError("the sandbox exited before printing its address")
        key, _, value = line.strip().partition("=")
        env[key] = value
    return server, env


async def _setup_users(env: dict[str, str], count: int) -> list[str]:
    """Create ``count`` users, each with the seed's logins padded to ~9 KB (20 transactions)."""
    from finoos_async import AsyncFino, Login, _json
    from finoos_async._decoder import Decoder

    seed = json.loads((HERE.parent.parent / "tests/fixtures/seed_set_logins.json").read_text())
    account = seed["logins"][0]["accounts"][0]
    template = account["transactions"][0]
    account["transactions"] = [
        {**template, "id": f"tx-{n}", "amount": float(f"{n}.{n % 100:02d}")} for n in range(20)
    ]
    logins = Decoder().structure(_json.loads(json.dumps(seed))["logins"], list[Login])
    async with AsyncFino(
        name=env["FINOOS_NAME"], secret=env["FINOOS_SECRET"], base_url=env["FINOOS_BASE_URL"]
    ) as fino:
        ids = [(await fino.users.create(type="person")).id for _ in range(count)]
        await fino.banking.get_logins_many([], concurrency=1)

        async def fill(user_id: str) -> None:
            await fino.banking.set_logins(user_id, logins)

        import anyio

        async with anyio.create_task_group() as tg:
            for user_id in ids:
                tg.start_soon(fill, user_id)
        size = len((await fino.request("GET", f"/users/{ids[0]}/banking/logins")).content)
        print(f"set up {count} users, logins body {size / 1024:.1f} KB", file=sys.stderr)
    return ids


def _run_child(
    variant: str, concurrency: int, ids_file: Path, env: dict[str, str]
) -> dict[str, Any]:
    output = subprocess.run(
        [
            sys.executable,
            str(HERE),
            "--child",
            "--variant",
            variant,
            "--variant-concurrency",
            str(concurrency),
            "--ids",
            str(ids_file),
            "--base-url",
            env["FINOOS_BASE_URL"],
            "--name",
            env["FINOOS_NAME"],
            "--secret",
            env["FINOOS_SECRET"],
        ],
        capture_output=True,
        text=True,
    )
    if output.returncode != 0:
        raise RuntimeError(f"{variant} failed:\n{output.stderr}")
    result: dict[str, Any] = json.loads(output.stdout.strip().splitlines()[-1])
    return result


def parent(args: argparse.Namespace) -> None:
    """Start the server, set up users, run every variant in its own process, report."""
    server, env = _start_server()
    try:
        ids = asyncio.run(_setup_users(env, args.users))
        ids_file = HERE.parent / "results" / "bulk_ids.tmp"
        ids_file.parent.mkdir(exist_ok=True)
        ids_file.write_text(json.dumps(ids))
        rows = []
        for concurrency in args.concurrency:
            measured: dict[str, dict[str, Any]] = {}
            # Rounds interleave the variants; each keeps its fastest round, so a burst
            # of noise on this shared machine penalises no variant more than another.
            for _ in range(args.rounds):
                for variant in VARIANTS:
                    result = _run_child(variant, concurrency, ids_file, env)
                    best = measured.get(variant)
                    if best is not None and best["checksum"] != result["checksum"]:
                        raise AssertionError(f"{variant} returned different data between rounds")
                    if best is None or result["wall"] < best["wall"]:
                        measured[variant] = result
            checksums = {m["checksum"] for m in measured.values()}
            assert len(checksums) == 1, f"variants disagree on the data: {measured}"
            for variant, m in measured.items():
                rows.append(
                    {
                        "concurrency": concurrency,
                        "client": variant,
                        "req/s": round(m["requests"] / m["wall"]),
                        "client CPU ms/req": round(m["cpu"] * 1000 / m["requests"], 3),
                        "peak RSS MB": m["peak_rss_mb"],
                        "vs plain httpx": round(measured["httpx"]["wall"] / m["wall"], 2),
                        "vs plain aiohttp": round(measured["aiohttp"]["wall"] / m["wall"], 2),
                    }
                )
        ids_file.unlink()
    finally:
        server.terminate()
        server.wait(timeout=10)
    for row in rows:
        print(row)
    write_report(
        "bulk",
        "Bulk Get Logins throughput (req/s, higher is better)",
        rows,
        chart="req/s",
        labels=("concurrency", "client"),
    )


def main() -> None:
    """Entry point: the parent by default, one variant with --child."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--variant-concurrency", type=int)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; best kept")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--variant", choices=VARIANTS)
    parser.add_argument("--ids")
    parser.add_argument("--base-url")
    parser.add_argument("--name")
    parser.add_argument("--secret")
    args = parser.parse_args()
    if args.child:
        child(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
