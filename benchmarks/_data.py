"""Benchmark inputs built from the seed's sample: logins bodies of any size."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

SEED = Path(__file__).parent.parent / "tests" / "fixtures" / "seed_get_logins.json"


def logins_body(transactions: int) -> bytes:
    """A Get Logins body with ``transactions`` varied transactions (exact decimal amounts)."""
    base: dict[str, Any] = json.loads(SEED.read_text())
    account = base["logins"][0]["accounts"][0]
    template = account["transactions"][0]
    items = []
    for index in range(transactions):
        item = copy.deepcopy(template)
        item["id"] = f"tx-{index:06d}"
        item["purpose"] = f"Invoice {index}"
        # About a year of bookings: dates repeat the way real statements do.
        day = index % 365
        item["bookingDate"] = (
            f"2020-{1 + day // 31 % 12:02d}-{1 + day % 28:02d}T09:{index % 60:02d}:00Z"
        )
        item["valueDate"] = item["bookingDate"]
        items.append(item)
    account["transactions"] = items
    text = json.dumps(base, separators=(",", ":"))
    # Varied amounts written as exact decimal text (cents, negatives, integers).
    for index in range(transactions):
        cents = (index * 7919) % 1_000_000
        amount = f"-{cents // 100}.{cents % 100:02d}" if index % 3 else str(cents // 100)
        text = text.replace('"amount":24.99', f'"amount":{amount}', 1)
    return text.encode()
