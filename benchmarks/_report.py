"""Writes benchmark results as a markdown table (and a PNG chart when matplotlib is there)."""

from __future__ import annotations

import platform
import sys
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


def write_report(
    name: str,
    title: str,
    rows: list[dict[str, Any]],
    chart: str | None = None,
    labels: tuple[str, ...] = (),
) -> Path:
    """Write ``results/<name>.md`` (and ``<name>.png`` of column ``chart``); return the .md path."""
    RESULTS.mkdir(exist_ok=True)
    columns = list(rows[0])
    lines = [
        f"# {title}",
        "",
        f"Python {sys.version.split()[0]} on {platform.machine()}, {platform.system()}; "
        "one run, ratios measured side by side.",
        "",
        "| " + " | ".join(columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    lines += ["| " + " | ".join(str(row[c]) for c in columns) + " |" for row in rows]
    path = RESULTS / f"{name}.md"
    path.write_text("\n".join(lines) + "\n")
    if chart is not None:
        _chart(RESULTS / f"{name}.png", title, rows, labels or (columns[0],), chart)
    return path


def _chart(
    path: Path, title: str, rows: list[dict[str, Any]], labels: tuple[str, ...], value: str
) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not installed: no chart", file=sys.stderr)
        return
    figure, axes = plt.subplots(figsize=(max(6, len(rows) * 0.9), 3.2))
    names = ["\n".join(str(r[c]) for c in labels) for r in rows]
    axes.bar(names, [r[value] for r in rows], color="#2f6db5")
    axes.set_title(title)
    axes.set_xlabel(" / ".join(labels))
    axes.set_ylabel(value)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
