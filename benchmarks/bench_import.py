"""Import time: ``import finoos_async`` vs ``import httpx`` alone, in fresh interpreters.

Each import runs in a new process many times, interleaved; the median minus the
median of an empty interpreter is the import's own cost.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _report import write_report

RUNS = 30
STATEMENTS = {"python": "pass", "httpx": "import httpx", "finoos_async": "import finoos_async"}


def run() -> list[dict[str, object]]:
    """Median wall time of each statement in a fresh interpreter, interleaved."""
    samples: dict[str, list[float]] = {name: [] for name in STATEMENTS}
    for _ in range(RUNS):
        for name, statement in STATEMENTS.items():
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", statement], check=True)
            samples[name].append(time.perf_counter() - started)
    median = {name: statistics.median(values) for name, values in samples.items()}
    httpx_ms = (median["httpx"] - median["python"]) * 1000
    ours_ms = (median["finoos_async"] - median["python"]) * 1000
    return [
        {
            "runs": RUNS,
            "interpreter start ms": round(median["python"] * 1000, 1),
            "import httpx ms": round(httpx_ms, 1),
            "import finoos_async ms": round(ours_ms, 1),
            "finoos_async / httpx": round(ours_ms / httpx_ms, 2),
        }
    ]


def main() -> None:
    """Run and report."""
    rows = run()
    print(rows[0])
    write_report("import", "Import time (lower is better)", rows)


if __name__ == "__main__":
    main()
