"""Event latency over real loopback TCP: server write → client yield.

    python -m benchmarks.latency [--events 500] [--pause-ms 2]

A server process on 127.0.0.1 writes one SSE frame every ``--pause-ms`` ms, each carrying
``time.time_ns()`` taken just before its write; the client (this process, sync and async)
subtracts it from ``time.time_ns()`` when the SDK yields the event. Goal: p99 ≤ 2 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import socket
import time
from typing import Any, List
from urllib.parse import urlsplit

from letta_client import AsyncLetta, Letta

from ._server_process import sse_server
from ._table import Row, percentile

AGENT = "agent-00000000-0000-4000-8000-000000000000"
MESSAGES: Any = [{"role": "user", "content": "hi"}]


def sync_delays(base_url: str) -> List[float]:
    delays: List[float] = []
    with Letta(base_url=base_url, api_key="k") as client:
        for event in client.agents.messages.send(AGENT, messages=MESSAGES, streaming=True):
            if event.message_type == "assistant_message":
                delays.append((time.time_ns() - int(event.text)) / 1e6)
    return delays


async def async_delays(base_url: str) -> List[float]:
    delays: List[float] = []
    async with AsyncLetta(base_url=base_url, api_key="k") as client:
        async for event in await client.agents.messages.send(AGENT, messages=MESSAGES, streaming=True):
            if event.message_type == "assistant_message":
                delays.append((time.time_ns() - int(event.text)) / 1e6)
    return delays


TIMESTAMP = re.compile(rb'"content":"(\d+)"')


def floor_delays(base_url: str) -> List[float]:
    """A bare socket reading the same stream: the machine's own scheduling noise."""
    url = urlsplit(base_url)
    delays: List[float] = []
    with socket.create_connection((url.hostname, url.port)) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n")
        buffer = b""
        while b"[DONE]" not in buffer:
            buffer += sock.recv(65536)
            now = time.time_ns()
            last = 0
            for match in TIMESTAMP.finditer(buffer):
                delays.append((now - int(match.group(1))) / 1e6)
                last = match.end()
            buffer = buffer[last:]
    return delays


def rows(events: int, pause_ms: float) -> List[Row]:
    result: List[Row] = []
    with sse_server("paced", events, pause_ms) as base_url:
        floor = floor_delays(base_url)
        f50, f99 = percentile(floor, 0.5), percentile(floor, 0.99)
        for mode, delays in (("sync", sync_delays(base_url)), ("async", asyncio.run(async_delays(base_url)))):
            assert len(delays) == events, len(delays)
            p50, p99 = percentile(delays, 0.5), percentile(delays, 0.99)
            result.append(
                Row(
                    f"event latency, {mode}, write→yield (ms, {events} events)",
                    f"p50 {p50:.3f} / p99 {p99:.3f}",
                    f"raw socket p50 {f50:.3f} / p99 {f99:.3f}",
                    f"p99 {p99:.3f} ms",
                    "p99 ≤ 2 ms",
                    p99 <= 2.0,
                )
            )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--pause-ms", type=float, default=2.0)
    args = parser.parse_args()
    for row in rows(args.events, args.pause_ms):
        print(" | ".join(row.cells()))


if __name__ == "__main__":
    main()
