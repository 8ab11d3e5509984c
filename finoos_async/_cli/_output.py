"""Terminal output for the ``finoos`` command: a progress bar and tables, no dependencies."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from decimal import Decimal

__all__ = ["ProgressBar", "money", "table"]


class ProgressBar:
    """A one-line progress bar on stderr; silent when stderr is not a terminal."""

    def __init__(self, label: str, width: int = 30) -> None:
        self.label = label
        self.width = width
        self._live = sys.stderr.isatty()

    def __call__(self, done: int, total: int | None) -> None:
        """Show ``done`` of ``total``."""
        total = total or done
        if self._live:
            filled = self.width * done // max(total, 1)
            bar = "#" * filled + "-" * (self.width - filled)
            end = "\n" if done >= total else ""
            print(f"\r{self.label} [{bar}] {done}/{total}", end=end, file=sys.stderr, flush=True)


def money(amount: Decimal | None, currency: str | None) -> str:
    """An exact amount with its currency (``2004.41 EUR``); ``-`` when absent."""
    if amount is None:
        return "-"
    return f"{amount} {currency or ''}".rstrip()


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain text table with aligned columns."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)
