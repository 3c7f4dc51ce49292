"""Concurrency: 500 async streams at once from one process, aggregate events/s.

    python -m benchmarks.concurrency [--streams 500] [--events 200]

One loopback server process (raw asyncio, HTTP/1.1 chunked SSE, ``--events`` deltas per
stream); each SDK runs in its own client process against it, one after the other.
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


def rows(streams: int, events: int) -> List[Row]:
    with sse_server("bulk", events) as base_url:
        ours = run(sys.executable, "ours", base_url, streams)
        theirs = run(official_python(), "official", base_url, streams)
    expected = streams * (events + 1)  # the deltas and the stop_reason
    assert ours["events"] == expected and theirs["events"] == expected, (ours, theirs, expected)
    ratio = ours["events_per_s"] / theirs["events_per_s"]
    return [
        Row(
            f"{streams} concurrent async streams x {events} events (events/s)",
            f"{ours['events_per_s']:,.0f}",
            f"official {theirs['events_per_s']:,.0f}",
            f"{ratio:.1f}x official",
            "— (report)",
            None,
        )
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
