"""What ``letta_client.otel`` costs: stream decoding with the instrumentation on against off, and
cold import with the ``otel`` extra installed but not used.

    python -m benchmarks.otel_overhead [--events 20000] [--repeat 3] [--rounds 5] [--runs 15]

* **decode** (goal: on ≥ 0.97x off): ``stream_decode``'s body (a token-mode turn, one HTTP chunk
  per event) read by ``_otel_worker.py`` in fresh processes, ``off`` and ``on`` interleaved in
  each round, CPU time, best of ``--repeat`` passes; the figure is the best round of each.
  ``on`` has every span sampled and recorded by the SDK, so a turn pays its span, the summary read
  at its end and its metrics.
* **cold import** (goal: unchanged within noise): ``import letta_client`` and ``from letta_client
  import Letta`` with the extra installed, against the same with ``opentelemetry`` made
  unimportable (as if the extra were absent), interleaved fresh interpreters, medians; and the
  ``opentelemetry`` modules each one loaded (must be none).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Tuple

from ._bodies import mixed_events, sse_body
from ._table import Row, markdown, median
from .cold_import import timed

WORKER = str(Path(__file__).with_name("_otel_worker.py"))
MODES = ("sync", "async")
BLOCKED = "import sys; sys.modules['opentelemetry'] = None; "
IMPORTS = {
    "start": "pass",
    "ours": "import letta_client",
    "ours, no opentelemetry": BLOCKED + "import letta_client",
    "client": "from letta_client import Letta",
    "client, no opentelemetry": BLOCKED + "from letta_client import Letta",
}


def decode(events: int, repeat: int, rounds: int) -> Dict[Tuple[str, str], float]:
    """Events per CPU second, best round, by (state, mode)."""
    best: Dict[Tuple[str, str], float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        body = Path(tmp) / "body.sse"
        body.write_bytes(sse_body(mixed_events(events)))
        for _ in range(rounds):
            for mode in MODES:
                for state in ("off", "on"):
                    out = subprocess.run(
                        [sys.executable, WORKER, state, mode, str(body), str(repeat)],
                        check=True,
                        capture_output=True,
                        text=True,
                    )
                    result = json.loads(out.stdout.strip().splitlines()[-1])
                    rate = float(result["events"]) / float(result["seconds"])
                    best[state, mode] = max(best.get((state, mode), 0.0), rate)
    return best


def cold_import(runs: int) -> Dict[str, float]:
    for code in IMPORTS.values():
        timed(sys.executable, code)
    samples: Dict[str, List[float]] = {name: [] for name in IMPORTS}
    for _ in range(runs):
        for name, code in IMPORTS.items():
            samples[name].append(timed(sys.executable, code))
    return {name: median(values) for name, values in samples.items()}


def loaded_opentelemetry() -> List[str]:
    code = (
        "import json, sys, letta_client; from letta_client import Letta; "
        "print(json.dumps([m for m in sys.modules if m.startswith('opentelemetry')]))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return [str(name) for name in json.loads(out.stdout.strip())]


def rows(events: int = 20_000, repeat: int = 3, rounds: int = 5, runs: int = 15) -> List[Row]:
    rates = decode(events, repeat, rounds)
    table: List[Row] = []
    for mode in MODES:
        on, off = rates["on", mode], rates["off", mode]
        ratio = on / off
        table.append(
            Row(
                f"stream decode, {mode}, otel instrumented vs not (events/s)",
                f"{on:,.0f}",
                f"not instrumented {off:,.0f}",
                f"{ratio:.3f}x",
                "≥ 0.97x",
                ratio >= 0.97,
            )
        )
    m = cold_import(runs)
    start = m["start"]
    loaded = loaded_opentelemetry()
    for name, label in (("ours", "import letta_client"), ("client", "from letta_client import Letta")):
        with_extra, without = m[name] - start, m[f"{name}, no opentelemetry"] - start
        table.append(
            Row(
                f"cold `{label}`, otel extra installed, not instrumented (ms, median of {runs})",
                f"{with_extra * 1e3:.1f}",
                f"opentelemetry unimportable {without * 1e3:.1f}",
                f"{(with_extra - without) * 1e3:+.1f} ms; opentelemetry modules loaded: {len(loaded)}",
                "unchanged within noise, none loaded",
                not loaded,
            )
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(markdown(rows(args.events, args.repeat, args.rounds, args.runs)))


if __name__ == "__main__":
    main()
