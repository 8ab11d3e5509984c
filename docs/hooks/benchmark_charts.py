"""MkDocs hook: publish the benchmark charts straight from ``benchmarks/results/``.

The tables are included with ``pymdownx.snippets`` from the same directory, so a
``nox -s bench`` run updates tables and charts together; nothing is copied by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

RESULTS = Path(__file__).resolve().parents[2] / "benchmarks" / "results"


def on_files(files: Files, config: Any) -> Files:
    """Add each ``benchmarks/results/*.png`` to the site as ``assets/benchmarks/<name>``."""
    for chart in sorted(RESULTS.glob("*.png")):
        files.append(
            File.generated(config, f"assets/benchmarks/{chart.name}", abs_src_path=str(chart))
        )
    return files
