"""Cold ``import letta_client`` in fresh processes, against the floor ``import httpx, pydantic``.

    python -m benchmarks.cold_import [--runs 15]

Each figure is the median over ``--runs`` fresh interpreters of the wall time of
``python -c "<import>"`` minus the median of ``python -c "pass"`` (interpreter start).
The runs are interleaved so that a noisy moment hits every variant alike.
Goal: ours ≤ 1.2x the floor. The official SDK (its own venv) is reported for comparison.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from typing import Dict, List

from ._official import official_python
from ._table import Row, median

VARIANTS = {
    "start": (None, "pass"),
    "floor": (None, "import httpx, pydantic"),
    "ours": (None, "import letta_client"),
    "ours + client": (None, "from letta_client import Letta"),
    "official start": ("official", "pass"),
    "official": ("official", "import letta_client"),
}


def timed(python: str, code: str) -> float:
    start = time.perf_counter()
    subprocess.run([python, "-c", code], check=True)
    return time.perf_counter() - start


def measure(runs: int) -> Dict[str, float]:
    pythons = {None: sys.executable, "official": official_python()}
    for python, code in VARIANTS.values():  # warm the OS file cache and .pyc files first
        timed(pythons[python], code)
    samples: Dict[str, List[float]] = {name: [] for name in VARIANTS}
    for _ in range(runs):
        for name, (python, code) in VARIANTS.items():
            samples[name].append(timed(pythons[python], code))
    return {name: median(values) for name, values in samples.items()}


def rows(runs: int) -> List[Row]:
    m = measure(runs)
    ours, floor = m["ours"] - m["start"], m["floor"] - m["start"]
    official = m["official"] - m["official start"]
    ratio = ours / floor
    return [
        Row(
            f"cold import (ms, median of {runs})",
            f"{ours * 1e3:.1f}",
            f"floor {floor * 1e3:.1f}",
            f"{ratio:.2f}x floor",
            "≤ 1.2x floor",
            ratio <= 1.2,
        ),
        Row(
            "cold `from letta_client import Letta` (ms)",
            f"{(m['ours + client'] - m['start']) * 1e3:.1f}",
            f"floor {floor * 1e3:.1f}",
            f"{(m['ours + client'] - m['start']) / floor:.2f}x floor",
            "— (imports httpx, pydantic)",
            None,
        ),
        Row(
            "cold import, official SDK (ms)",
            f"{ours * 1e3:.1f}",
            f"official {official * 1e3:.1f}",
            f"{official / ours:.1f}x faster",
            "—",
            None,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    for row in rows(args.runs):
        print(" | ".join(row.cells()))


if __name__ == "__main__":
    main()
