"""Event latency over real loopback TCP: server write → client yield.

    python -m benchmarks.latency [--events 1000] [--pause-ms 2] [--rounds 5]

A server process on 127.0.0.1 writes one SSE frame every ``--pause-ms`` ms, each carrying
``time.time_ns()`` taken just before its write; the client (this process) subtracts it from
``time.time_ns()`` when the SDK yields the event: sync, async over httpx's transport, async over
``DefaultAioHttpClient``. Two floors read the same stream without the SDK: a blocking socket (for
the sync client) and an ``asyncio`` stream (for the async ones: the event loop's own wakeup).
Every kind runs once per round, rounds interleaved, so a burst of load hits them alike.

Goal: p99 ≤ 2 ms. On a shared machine the other processes' time slices dominate that figure (a
bare socket misses 2 ms at p99 at a load average of 4 on 2 cores), so the goal is judged with the
client and the server at real-time priority when the OS allows it (root or ``CAP_SYS_NICE``): then
what is measured is the code path. The last row shows the same run at normal priority.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import time
from typing import Any, Callable, Dict, List, Optional
from urllib.parse import urlsplit

import httpx

from letta_client import AsyncLetta, DefaultAioHttpClient, Letta

from ._server_process import sse_server
from ._table import Row, percentile

AGENT = "agent-00000000-0000-4000-8000-000000000000"
MESSAGES: Any = [{"role": "user", "content": "hi"}]
TIMESTAMP = re.compile(rb'"content":"(\d+)"')
REQUEST = b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n"


def sync_delays(base_url: str) -> List[float]:
    delays: List[float] = []
    with Letta(base_url=base_url, api_key="k") as client:
        for event in client.agents.messages.send(AGENT, messages=MESSAGES, streaming=True):
            if event.message_type == "assistant_message":
                delays.append((time.time_ns() - int(event.text)) / 1e6)
    return delays


async def async_delays(base_url: str, http: Optional[httpx.AsyncClient] = None) -> List[float]:
    delays: List[float] = []
    async with AsyncLetta(base_url=base_url, api_key="k", http_client=http) as client:
        async for event in await client.agents.messages.send(AGENT, messages=MESSAGES, streaming=True):
            if event.message_type == "assistant_message":
                delays.append((time.time_ns() - int(event.text)) / 1e6)
    if http is not None:
        await http.aclose()
    return delays


def _timestamps(buffer: bytes, delays: List[float]) -> bytes:
    """Record the delay of every timestamp in ``buffer``; the rest (a partial frame) is returned."""
    now, last = time.time_ns(), 0
    for match in TIMESTAMP.finditer(buffer):
        delays.append((now - int(match.group(1))) / 1e6)
        last = match.end()
    return buffer[last:]


def socket_delays(base_url: str) -> List[float]:
    """A bare blocking socket reading the same stream: the machine's own scheduling noise."""
    url = urlsplit(base_url)
    delays: List[float] = []
    with socket.create_connection((url.hostname, url.port)) as sock:
        sock.sendall(REQUEST)
        buffer = b""
        while b"[DONE]" not in buffer:
            buffer = _timestamps(buffer + sock.recv(65536), delays)
    return delays


async def asyncio_delays(base_url: str) -> List[float]:
    """An ``asyncio`` stream reading the same stream: the event loop's own wakeup, without the SDK."""
    url = urlsplit(base_url)
    delays: List[float] = []
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    writer.write(REQUEST)
    buffer = b""
    while b"[DONE]" not in buffer:
        buffer = _timestamps(buffer + await reader.read(65536), delays)
    writer.close()
    return delays


KINDS: Dict[str, Callable[[str], List[float]]] = {
    "raw socket": socket_delays,
    "raw asyncio": lambda url: asyncio.run(asyncio_delays(url)),
    "sync": sync_delays,
    "async": lambda url: asyncio.run(async_delays(url)),
    "async, DefaultAioHttpClient": lambda url: asyncio.run(async_delays(url, DefaultAioHttpClient())),
}


def measure(events: int, pause_ms: float, rounds: int) -> Dict[str, List[float]]:
    """Every kind's delays (ms), ``rounds`` interleaved rounds of ``events // rounds`` events."""
    per_round = max(1, events // rounds)
    delays: Dict[str, List[float]] = {kind: [] for kind in KINDS}
    with sse_server("paced", per_round, pause_ms) as base_url:
        for _ in range(rounds):
            for kind, read in KINDS.items():
                got = read(base_url)
                assert len(got) == per_round, (kind, len(got))
                delays[kind] += got
    return delays


def realtime(on: bool) -> bool:
    """Put this process (and the server it starts next) at real-time priority, or back; False
    when the OS refuses."""
    try:
        if on:
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))
        else:
            os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
    except (AttributeError, OSError):
        return False
    return True


def _p(values: List[float]) -> str:
    return f"p50 {percentile(values, 0.5):.3f} / p99 {percentile(values, 0.99):.3f}"


def rows(events: int, pause_ms: float, rounds: int = 5) -> List[Row]:
    prioritised = realtime(True)
    try:
        judged = measure(events, pause_ms, rounds)
    finally:
        if prioritised:
            realtime(False)
    normal = measure(events, pause_ms, rounds) if prioritised else judged
    where = "real-time priority" if prioritised else "normal priority"
    result: List[Row] = []
    for kind, floor in (
        ("sync", "raw socket"),
        ("async", "raw asyncio"),
        ("async, DefaultAioHttpClient", "raw asyncio"),
    ):
        p99 = percentile(judged[kind], 0.99)
        result.append(
            Row(
                f"event latency, {kind}, write→yield (ms, {rounds}x{events // rounds} events, {where})",
                _p(judged[kind]),
                f"{floor} {_p(judged[floor])}",
                f"p99 {p99:.3f} ms",
                "p99 ≤ 2 ms",
                p99 <= 2.0,
            )
        )
    if prioritised:
        p99s = " / ".join(
            f"{percentile(normal[kind], 0.99):.2f}" for kind in ("sync", "async", "async, DefaultAioHttpClient")
        )
        floors = " / ".join(f"{percentile(normal[kind], 0.99):.2f}" for kind in ("raw socket", "raw asyncio"))
        result.append(
            Row(
                "event latency at normal priority, p99 sync / async / async aiohttp (ms)",
                p99s,
                f"raw socket / raw asyncio p99 {floors}",
                "— (the machine's load)",
                "—",
                None,
            )
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--pause-ms", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    for row in rows(args.events, args.pause_ms, args.rounds):
        print(" | ".join(row.cells()))


if __name__ == "__main__":
    main()
