"""Memory: RSS growth over a long stream (default 1,000,000 events).

    python -m benchmarks.memory [--events 1000000]

Each case runs in a fresh process; the body is generated lazily (a MockTransport byte
iterator), so only the SDK's own memory shows. Growth = the highest VmRSS sampled every 10,000
events minus VmRSS after the first 1,000 events.

* ``pings``: keep-alive pings with ``yield_pings=True`` — nothing to accumulate. Goal ≤ 20 MB.
* ``deltas``: assistant token deltas sharing one otid, iterated only. The stream still keeps
  every fragment for ``get_final_response()`` (it has no switch to turn that off).
* ``deltas + final``: the same, then ``get_final_response()``; compared with the final text size.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from typing import Any, Dict, Iterator, List

import httpx

from ._bodies import RUN, _base
from ._server_process import ROOT
from ._table import Row

AGENT = "agent-00000000-0000-4000-8000-000000000000"
WORD = "word "
PER_CHUNK = 32


def vm_rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError("no VmRSS")


def frame(kind: str) -> bytes:
    if kind == "pings":
        payload: Dict[str, object] = _base("ping", "ping-1", None)  # type: ignore[arg-type]
    else:
        payload = _base("assistant_message", "message-" + RUN[4:], "otid-1", content=WORD)
    return f"data: {json.dumps(payload, separators=(',', ':'))}\n\n".encode()


def body(kind: str, events: int) -> Iterator[bytes]:
    block = frame(kind) * PER_CHUNK
    for _ in range(events // PER_CHUNK):
        yield block
    yield b'data: {"message_type":"stop_reason","stop_reason":"end_turn"}\n\ndata: [DONE]\n\n'


def worker(kind: str, events: int) -> Dict[str, Any]:
    from letta_client import Letta

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body(kind, events))

    client = Letta(
        base_url="http://bench", api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    messages: Any = [{"role": "user", "content": "hi"}]
    stream = client.agents.messages.send(AGENT, messages=messages, streaming=True, yield_pings=True)
    baseline = peak = 0.0
    count = 0
    for count, _ in enumerate(stream, 1):
        if count == 1000:
            baseline = peak = vm_rss_mb()
        elif count % 10_000 == 0:
            peak = max(peak, vm_rss_mb())
    text = 0
    if kind == "final":
        final = stream.get_final_response()
        text = sum(len(m.text) for m in final.messages if m.message_type == "assistant_message")  # type: ignore[union-attr]
        peak = max(peak, vm_rss_mb())
    return {"events": count, "growth_mb": peak - baseline, "text_mb": text / 1e6}


def run_case(kind: str, events: int) -> Dict[str, Any]:
    args = [sys.executable, "-m", "benchmarks.memory", "--worker", kind, "--events", str(events)]
    out = subprocess.run(args, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def rows(events: int) -> List[Row]:
    pings, deltas, final = (run_case(kind, events) for kind in ("pings", "deltas", "final"))
    n = f"{events:,}"
    return [
        Row(
            f"RSS growth, {n} pings (MB)",
            f"{pings['growth_mb']:.1f}",
            "—",
            f"{pings['growth_mb']:.1f} MB",
            "≤ 20 MB",
            pings["growth_mb"] <= 20.0,
        ),
        Row(
            f"RSS growth, {n} deltas, iterated only (MB)",
            f"{deltas['growth_mb']:.1f}",
            "—",
            f"{deltas['growth_mb'] / events * 1e6:.0f} B/event",
            "— (accumulates)",
            None,
        ),
        Row(
            f"RSS growth, {n} deltas + get_final_response (MB)",
            f"{final['growth_mb']:.1f}",
            f"final text {final['text_mb']:.1f} MB",
            f"{final['growth_mb'] / final['text_mb']:.1f}x text",
            "∝ final text",
            None,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--worker", choices=["pings", "deltas", "final"])
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.events)))
        return
    for row in rows(args.events):
        print(" | ".join(row.cells()))


if __name__ == "__main__":
    main()
