"""What ``letta_client.web`` costs: each browser encoding's time per event on top of the SDK's own
decode, and one process relaying 200 concurrent browser streams.

    python -m benchmarks.web_relay [--events 20000] [--streams 200] [--per-stream 200] [--rounds 2]

* **per event** (goal: p99 ≤ 1 ms added): a token-mode turn of ``--events`` numbered events (the
  benchmarks' mixed body: reasoning, tool-call and assistant deltas, tool returns) decoded by
  ``Letta`` from a ``MockTransport``; the decode's time per event is the reference, and each
  encoding's ``Framer.event`` is timed event by event on the same decoded events (p50 / p99 / max).
* **relay** (goal: ≥ 0.5x the SDK's own decode): ``_web_relay_worker.py`` (uvicorn + Starlette, one
  process) relays ``--streams`` concurrent browser streams, each one agent stream of
  ``--per-stream`` events from the loopback SSE server re-encoded as the AI SDK UI message stream;
  the browsers are httpx clients in this process. The figure is Letta events relayed per CPU-second
  of the relay process, against ``_concurrency_worker.py``'s ``ours``: the same streams decoded by
  ``AsyncLetta`` in one process, events per CPU-second. Best of ``--rounds``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import httpx

from ._bodies import mixed_events, sse_body
from ._server_process import ROOT, sse_server
from ._table import Row, markdown
from ._web_relay_worker import encoder

WORKER = str(Path(__file__).with_name("_web_relay_worker.py"))
DECODER = str(Path(__file__).with_name("_concurrency_worker.py"))
FORMATS = {"ui": "AI SDK UI message stream", "agui": "AG-UI", "letta": "plain Letta SSE"}


def numbered_body(events: int) -> Tuple[bytes, int]:
    body = mixed_events(events)
    for seq, event in enumerate(body, start=1):
        if "id" in event:
            event["seq_id"] = seq
    return sse_body(body), len(body)


def decode_all(body: bytes) -> Tuple[List[Any], float]:
    """The decoded events and the decode's CPU seconds (best of 3)."""
    from letta_client import Letta

    frames = [frame + b"\n\n" for frame in body.split(b"\n\n") if frame]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"content-type": "text/event-stream"}, stream=httpx.ByteStream(b"".join(frames))
        )

    client = Letta(
        base_url="http://letta.test", api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    best, events = float("inf"), []
    for _ in range(3):
        start = time.process_time()
        events = list(
            client.agents.messages.send("agent-00000000-0000-4000-8000-000000000000", input="hi", streaming=True)
        )
        best = min(best, time.process_time() - start)
    return events, best


def per_event(events: List[Any], fmt: str) -> List[float]:
    """Seconds ``Framer.event`` took for each event (the best of 3 passes, event by event)."""
    from letta_client.web import Framer

    best: List[float] = [float("inf")] * len(events)
    clock = time.perf_counter
    for _ in range(3):
        framer = Framer(encoder(fmt))
        for i, event in enumerate(events):
            start = clock()
            framer.event(event)
            best[i] = min(best[i], clock() - start)
    return best


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@contextlib.contextmanager
def relay_process(upstream: str, fmt: str) -> Iterator[str]:
    process = subprocess.Popen([sys.executable, WORKER, upstream, fmt], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield f"http://127.0.0.1:{int(process.stdout.readline())}"
    finally:
        process.terminate()
        process.wait(10)


async def browsers(base_url: str, streams: int) -> Tuple[int, float]:
    """(frames received, relay CPU seconds) for ``streams`` concurrent browser streams."""
    limits = httpx.Limits(max_connections=streams, max_keepalive_connections=streams)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=300) as http:

        async def one() -> int:
            async with http.stream("GET", "/relay") as response:
                return sum([chunk.count(b"\n\n") async for chunk in response.aiter_bytes()])

        await one()  # warm up the relay: imports, validators, connections
        before = (await http.get("/cpu")).json()["cpu"]
        frames = sum(await asyncio.gather(*(one() for _ in range(streams))))
        after = (await http.get("/cpu")).json()["cpu"]
    return frames, after - before


def relay(streams: int, per_stream: int, rounds: int) -> Dict[str, float]:
    best = {"relay": 0.0, "decode": 0.0}
    with sse_server("bulk", per_stream) as upstream:
        for _ in range(rounds):
            out = subprocess.run(
                [sys.executable, DECODER, "ours", upstream, str(streams)], check=True, capture_output=True, text=True
            )
            decoded = json.loads(out.stdout.strip().splitlines()[-1])
            best["decode"] = max(best["decode"], float(decoded["events_per_cpu_s"]))
            with relay_process(upstream, "ui") as base_url:
                frames, cpu = asyncio.run(browsers(base_url, streams))
            assert frames > streams * per_stream, frames
            best["relay"] = max(best["relay"], streams * (per_stream + 1) / cpu)
    return best


def rows(events: int = 20_000, streams: int = 200, per_stream: int = 200, rounds: int = 2) -> List[Row]:
    body, _count = numbered_body(events)
    decoded, decode_seconds = decode_all(body)
    decode_us = decode_seconds / len(decoded) * 1e6
    table: List[Row] = []
    for fmt, label in FORMATS.items():
        times = per_event(decoded, fmt)
        p50, p99, worst = (percentile(times, 0.5) * 1e6, percentile(times, 0.99) * 1e6, max(times) * 1e6)
        mean = statistics.fmean(times) * 1e6
        table.append(
            Row(
                f"{label}: added per event, on the SDK's decode ({len(decoded):,} events; µs)",
                f"p50 {p50:.1f} / p99 {p99:.1f} / max {worst:.0f}",
                f"decode alone {decode_us:.1f} µs/event",
                f"p99 {p99 / 1e3:.3f} ms; decode + encode {decode_us / (decode_us + mean):.2f}x decode's rate",
                "p99 ≤ 1 ms",
                p99 <= 1000,
            )
        )
    rates = relay(streams, per_stream, rounds)
    ratio = rates["relay"] / rates["decode"]
    table.append(
        Row(
            f"{streams} concurrent browser streams x {per_stream} events relayed as the UI message stream by one process (events per CPU-second)",
            f"{rates['relay']:,.0f}",
            f"the SDK's decode of the same streams {rates['decode']:,.0f}",
            f"{ratio:.2f}x decode",
            "≥ 0.5x decode",
            ratio >= 0.5,
        )
    )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--per-stream", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(markdown(rows(args.events, args.streams, args.per_stream, args.rounds)))


if __name__ == "__main__":
    main()
