"""Concurrency: 500 async streams at once from one process, aggregate events/s.

    python -m benchmarks.concurrency [--streams 500] [--events 200]

One loopback server process (raw asyncio, HTTP/1.1 chunked SSE, ``--events`` deltas per
stream); each SDK runs in its own client process against it, one after the other. The goal is
on events per CPU-second of the client process: the server shares the machine's two cores, and
on a busy machine the wall clock mostly measures the other processes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

from ._official import official_python
from ._server_process import sse_server
from ._table import Row

WORKER = str(Path(__file__).with_name("_concurrency_worker.py"))


def run(python: str, impl: str, base_url: str, streams: int) -> Dict[str, Any]:
    out = subprocess.run([python, WORKER, impl, base_url, str(streams)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def rows(streams: int, events: int, rounds: int = 1) -> List[Row]:
    """Ours and the official SDK, one after the other, ``rounds`` times (best of each)."""
    best: Dict[str, Dict[str, Any]] = {}
    with sse_server("bulk", events) as base_url:
        for _ in range(rounds):
            for impl, python in (("ours", sys.executable), ("official", official_python())):
                result = run(python, impl, base_url, streams)
                assert result["events"] == streams * (events + 1), result  # the deltas and the stop_reason
                if impl not in best or result["events_per_cpu_s"] > best[impl]["events_per_cpu_s"]:
                    best[impl] = result
    ours, theirs = best["ours"], best["official"]
    cpu_ratio = ours["events_per_cpu_s"] / theirs["events_per_cpu_s"]
    wall_ratio = ours["events_per_s"] / theirs["events_per_s"]
    name = f"{streams} concurrent async streams x {events} events"
    return [
        Row(
            f"{name} (events per client CPU-second)",
            f"{ours['events_per_cpu_s']:,.0f}",
            f"official {theirs['events_per_cpu_s']:,.0f}",
            f"{cpu_ratio:.1f}x official",
            "≥ 3x official",
            cpu_ratio >= 3.0,
        ),
        Row(
            f"{name} (events/s, wall clock)",
            f"{ours['events_per_s']:,.0f}",
            f"official {theirs['events_per_s']:,.0f}",
            f"{wall_ratio:.1f}x official",
            "— (the server shares the cores)",
            None,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--streams", type=int, default=500)
    parser.add_argument("--events", type=int, default=200)
    args = parser.parse_args()
    for row in rows(args.streams, args.events):
        print(" | ".join(row.cells()))


if __name__ == "__main__":
    main()
