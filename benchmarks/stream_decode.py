"""Stream decode + parse throughput: this SDK vs the official SDK vs the bytes-split floor.

    python -m benchmarks.stream_decode [--events 20000] [--repeat 3] [--rounds 3]

The same token-mode body (reasoning, tool-call and assistant deltas, tool returns) is served
through ``httpx.MockTransport``, either as one HTTP chunk per event (a server flushing each
event; the headline figure) or in 4 KiB reads (frames split across reads). Each implementation
decodes it in a fresh process (``_decode_worker``; best of ``--repeat`` passes, CPU time):

* ours:     ``Letta.agents.messages.send(..., streaming=True)`` — typed events, replay tracking,
  accumulation for ``get_final_response``, every guarantee on;
* floor:    the body split on ``\\n\\n``, ``data: `` stripped, one pydantic ``validate_json`` per
  event with the official SDK's model for its ``message_type`` (run in the official SDK's venv:
  the same pydantic) — nothing else;
* official: the official ``letta-client`` (its own venv), ``messages.create(..., streaming=True)``.

The processes of one round run back to back and ``--rounds`` rounds are interleaved, so a busy
moment of a shared machine hits every implementation alike; each figure is the best round.
Goals (one chunk per event, sync and async): ours ≥ 1.0x floor and ≥ 5x official.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, Tuple

from ._bodies import mixed_events, sse_body
from ._official import official_python

WORKER = str(Path(__file__).with_name("_decode_worker.py"))
IMPLS = ("ours", "floor", "official")
MODES = ("sync", "async")
READS = ("event", "4096")

Key = Tuple[str, str, str]  # (impl, mode, reads)


def measure(python: str, impl: str, mode: str, body_path: str, repeat: int, reads: str) -> float:
    """Events per CPU second of one worker process."""
    out = subprocess.run(
        [python, WORKER, impl, mode, body_path, str(repeat), reads], check=True, capture_output=True, text=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return float(result["events"]) / float(result["seconds"])


def measure_all(events: int, repeat: int, rounds: int, reads: Tuple[str, ...] = READS) -> Dict[Key, float]:
    """Events/s of every implementation, mode and read size: the best of ``rounds`` interleaved rounds."""
    pythons = {"ours": sys.executable, "floor": official_python(), "official": official_python()}
    best: Dict[Key, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        body_path = str(Path(tmp) / "body.sse")
        Path(body_path).write_bytes(sse_body(mixed_events(events)))
        for _ in range(rounds):
            for read in reads:
                for mode in MODES:
                    for impl in IMPLS:
                        rate = measure(pythons[impl], impl, mode, body_path, repeat, read)
                        best[impl, mode, read] = max(best.get((impl, mode, read), 0.0), rate)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rates = measure_all(args.events, args.repeat, args.rounds)
    print(f"stream decode: {args.events} events, best of {args.rounds} rounds x {args.repeat} passes, CPU time")
    header = f"{'reads':<6} {'mode':<6} {'ours ev/s':>12} {'floor ev/s':>12} {'official ev/s':>14}"
    print(f"{header} {'vs official':>12} {'vs floor':>9}")
    for read in READS:
        for mode in MODES:
            ours, floor, theirs = (rates[impl, mode, read] for impl in IMPLS)
            print(
                f"{read:<6} {mode:<6} {ours:>12,.0f} {floor:>12,.0f} {theirs:>14,.0f}"
                f" {ours / theirs:>11.1f}x {ours / floor:>8.2f}x"
            )
    print("goals (one chunk per event): >= 1.0x floor, >= 5.0x official")


if __name__ == "__main__":
    main()
