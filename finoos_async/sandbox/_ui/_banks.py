"""The test banks the sandbox's Banking UI offers, each with one behaviour to test.

Every bank accepts the vendor's documented test credentials (``dummy`` / ``654321``);
they differ in what happens next. The bank codes are made up, in the vendor's
``1002000x`` range, so they never name a real bank.
"""

from __future__ import annotations

import attrs

__all__ = ["BANKS", "TEST_PASSWORD", "TEST_USERNAME", "TestBank", "bank_by_code", "find_banks"]

#: The documented test credentials (Step 4a of the vendor's quickstart).
TEST_USERNAME = "dummy"
TEST_PASSWORD = "654321"  # noqa: S105 - the vendor's published test credential


@attrs.frozen
class TestBank:
    """A bank the sandbox's Banking UI can connect.

    Attributes:
        name: The name the UI shows and the login's ``bank.name``.
        code: The 8-digit German bank code (``bankCode``); IBANs are built on it.
        bic: Its BIC.
        behaviour: One line for the bank list, saying what the bank does.
        tans: How many TANs the bank asks for after a successful login.
        fails_at_login: Whether every login attempt ends the flow at ``errorURL``.
    """

    # pytest would otherwise try to collect this class wherever a test imports it.
    __test__ = False

    name: str
    code: str
    bic: str
    behaviour: str
    tans: int = 1
    fails_at_login: bool = False

    @property
    def spaced_code(self) -> str:
        """The bank code as Germans write it: ``100 200 00``."""
        return f"{self.code[:3]} {self.code[3:6]} {self.code[6:]}"


BANKS = (
    # The vendor's documented test bank; its BIC is the one the seed's samples carry.
    TestBank("fino Bank", "10020000", "SUBSDE71", "Logs in and asks for one TAN."),
    TestBank("Sandbox Sparkasse", "10020001", "SBXSDE21XXX", "Logs in and asks for one TAN."),
    TestBank("Double TAN Bank", "10020002", "DTANDE21XXX", "Asks for two TANs in a row.", tans=2),
    TestBank(
        "Broken Bank",
        "10020003",
        "BRKNDE21XXX",
        "Always fails at login: the flow ends at the error URL.",
        fails_at_login=True,
    ),
)
"""Every test bank, in the order the bank list shows them."""

_BY_CODE = {bank.code: bank for bank in BANKS}


def bank_by_code(code: str) -> TestBank | None:
    """The test bank with this bank code, or ``None``."""
    return _BY_CODE.get(code)


def find_banks(query: str) -> list[TestBank]:
    """The banks whose name or bank code contains ``query`` (case and spaces ignored).

    An empty query finds every bank.

    Example::

        >>> [bank.name for bank in find_banks("100 200 00")]
        ['fino Bank']
    """
    needle = query.casefold().strip()
    digits = needle.replace(" ", "")
    found = []
    for bank in BANKS:
        if needle in bank.name.casefold() or (digits.isdigit() and digits in bank.code):
            found.append(bank)
    return found
