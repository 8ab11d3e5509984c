"""Import time: ``import finoos_async`` vs ``import httpx`` alone, in fresh interpreters.

Each import runs in a new interpreter many times, interleaved. Its cost is what
``python -X importtime`` reports for the top-level module (everything it imports,
cumulatively): the import alone, without the interpreter's start-up or the
process spawn, whose noise on a shared machine is larger than the difference
measured. Both the median and the best run are reported; the ratio is of medians.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _report import write_report

RUNS = 40
MODULES = ("httpx", "finoos_async")


def import_us(module: str) -> int:
    """Microseconds ``import module`` took in a fresh interpreter, its imports included."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        check=True,
        capture_output=True,
        text=True,
    )
    for line in done.stderr.splitlines():
        # "import time: <self us> | <cumulative us> | <indented module name>"
        fields = [field.strip() for field in line.split("|")]
        if len(fields) == 3 and fields[2] == module:
            return int(fields[1])
    raise RuntimeError(f"no import time reported for {module}:\n{done.stderr[-2000:]}")


def run() -> list[dict[str, object]]:
    """Median and best import time of each module, interleaved; the ratio of medians."""
    samples: dict[str, list[int]] = {module: [] for module in MODULES}
    for _ in range(RUNS):
        for module in MODULES:
            samples[module].append(import_us(module))
    median = {module: statistics.median(values) / 1000 for module, values in samples.items()}
    best = {module: min(values) / 1000 for module, values in samples.items()}
    return [
        {
            "runs": RUNS,
            "import httpx ms (median, best)": f"{median['httpx']:.1f}, {best['httpx']:.1f}",
            "import finoos_async ms (median, best)": (
                f"{median['finoos_async']:.1f}, {best['finoos_async']:.1f}"
            ),
            "finoos_async / httpx": round(median["finoos_async"] / median["httpx"], 2),
        }
    ]


def main() -> None:
    """Run and report."""
    rows = run()
    print(rows[0])
    write_report("import", "Import time (lower is better)", rows)


if __name__ == "__main__":
    main()
