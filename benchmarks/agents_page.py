"""A large list answer, typed to the leaves: 50 agents with their blocks and tools (1.1 MB).

    python -m benchmarks.agents_page [--rounds 30]

``client.agents.list(limit=50, include=["agent.blocks", "agent.tools", "agent.tags"])`` on a
recorded Letta 0.16.8 answer, then every id, block label and tool name read; ours and the
official SDK each in its own process, and the ``pydantic_core.from_json`` floor in ours. Goals:
at least 5x faster than the official, at most 4x the floor. Record the answer anew with
``scripts/record_agents_page.py``.
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

WORKER = str(Path(__file__).with_name("_agents_page_worker.py"))


def per_call(python: str, impl: str, rounds: int) -> float:
    out = subprocess.run([python, WORKER, impl, str(rounds)], check=True, capture_output=True, text=True)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["ms_per_call"])


def rows(rounds: int) -> List[Row]:
    floor = per_call(sys.executable, "floor", rounds)
    ours = per_call(sys.executable, "ours", rounds)
    theirs = per_call(official_python(), "official", rounds)
    name = "agents.list, 50 agents with blocks and tools, parsed and read (ms/call)"
    return [
        Row(
            name,
            f"{ours:.1f}",
            f"official {theirs:.1f}",
            f"{theirs / ours:.1f}x faster",
            "≥ 5x faster",
            theirs / ours >= 5,
        ),
        Row(
            name,
            f"{ours:.1f}",
            f"from_json floor {floor:.1f}",
            f"{ours / floor:.1f}x floor",
            "≤ 4x floor",
            ours / floor <= 4,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    for row in rows(args.rounds):
        print(" | ".join(row.cells()))


if __name__ == "__main__":
    main()
