"""Stream decode + parse throughput: this SDK vs the official SDK vs a bare floor.

    python -m benchmarks.stream_decode [--events 20000] [--repeat 5]

The same 20,000-event token-mode body (reasoning, tool-call and assistant deltas, tool returns)
is served through ``httpx.MockTransport`` in 4 KiB reads, and each implementation decodes it in
a fresh process (best of ``--repeat``):

* ours:     ``Letta.agents.messages.send(..., streaming=True)`` — full typed events and state;
* floor:    httpx-sse ``iter_sse`` + one pydantic ``validate_json`` per event, nothing else;
* official: the official ``letta-client`` (in its own venv), ``messages.create(..., streaming=True)``.

Goals: ours ≥ 5× official, ours ≥ 0.8× floor.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from ._bodies import mixed_events, sse_body
from ._official import official_python

WORKER = str(Path(__file__).with_name("_decode_worker.py"))


def measure(python: str, impl: str, mode: str, body_path: str, repeat: int) -> float:
    out = subprocess.run(
        [python, WORKER, impl, mode, body_path, str(repeat)], check=True, capture_output=True, text=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return float(result["events"]) / float(result["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    official = official_python()
    with tempfile.TemporaryDirectory() as tmp:
        body_path = str(Path(tmp) / "body.sse")
        Path(body_path).write_bytes(sse_body(mixed_events(args.events)))
        print(f"stream decode: {args.events} events, best of {args.repeat}, 4 KiB reads, MockTransport")
        print(
            f"{'mode':<6} {'ours ev/s':>12} {'floor ev/s':>12} {'official ev/s':>14} {'vs official':>12} {'vs floor':>9}"
        )
        for mode in ("sync", "async"):
            ours = measure(sys.executable, "ours", mode, body_path, args.repeat)
            floor = measure(sys.executable, "floor", mode, body_path, args.repeat)
            theirs = measure(official, "official", mode, body_path, args.repeat)
            print(
                f"{mode:<6} {ours:>12,.0f} {floor:>12,.0f} {theirs:>14,.0f} {ours / theirs:>11.1f}x {ours / floor:>8.2f}x"
            )
        print("goals: >= 5.0x official, >= 0.80x floor")


if __name__ == "__main__":
    main()
