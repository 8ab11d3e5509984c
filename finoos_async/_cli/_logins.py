"""``finoos logins USER_ID``: one user's logins as a table or as exact JSON."""

from __future__ import annotations

import os
import sys

from .. import _json
from .._client import AsyncFino
from .._exceptions import InvalidInputError
from ._output import money, table

__all__ = ["print_logins"]


async def print_logins(user_id: str, as_json: bool) -> int:
    """Print the user's logins; JSON keeps every amount's exact digits."""
    if not os.environ.get("FINOOS_BASE_URL"):
        raise InvalidInputError(
            "set FINOOS_BASE_URL, FINOOS_NAME and FINOOS_SECRET (for example from "
            "`finoos sandbox --port 0`)"
        )
    async with AsyncFino() as fino:
        logins = await fino.banking.get_logins(user_id)
        if as_json:
            sys.stdout.write(_json.dumps({"logins": fino._encode(logins)}, indent=2).decode())
            sys.stdout.write("\n")
            return 0
    rows = [
        [
            login.bank.name if login.bank and login.bank.name else "-",
            account.iban or account.number or account.id,
            str(account.type or "-"),
            money(account.balance, account.currency),
            str(len(account.transactions)),
        ]
        for login in logins
        for account in login.accounts
    ]
    if not rows:
        print(f"user {user_id} has no bank logins")
        return 0
    print(table(["bank", "account", "type", "balance", "transactions"], rows))
    return 0
