"""Per-call overhead of a non-streaming send returning a 100-message ``LettaResponse``.

    python -m benchmarks.send_overhead [--calls 300]

Both SDKs call ``agents.messages`` (``send`` / the official ``create``) against the same
``httpx.MockTransport`` answer, each in its own process; best of 5 rounds. Goal: ≥ 3x faster.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import List

from ._official import official_python
from ._table import Row

WORKER = str(Path(__file__).with_name("_send_worker.py"))


def per_call(python: str, impl: str, calls: int) -> float:
    out = subprocess.run([python, WORKER, impl, str(calls)], check=True, capture_output=True, text=True)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["us_per_call"])


def rows(calls: int) -> List[Row]:
    ours = per_call(sys.executable, "ours", calls)
    theirs = per_call(official_python(), "official", calls)
    ratio = theirs / ours
    return [
        Row(
            "send, 100-message response (µs/call)",
            f"{ours:,.0f}",
            f"official {theirs:,.0f}",
            f"{ratio:.1f}x faster",
            "≥ 3x faster",
            ratio >= 3.0,
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    for row in rows(args.calls):
        print(" | ".join(row.cells()))


if __name__ == "__main__":
    main()
