"""Many concurrent async streams from one process: ``ours`` or ``official``.

    python benchmarks/_concurrency_worker.py IMPL BASE_URL STREAMS

Opens STREAMS streams at once (one connection each) against the loopback server, reads them
all to the end, and prints one JSON line: events, seconds, events/s. Imports nothing from
the benchmarks package, so the official SDK's venv can run it.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

import httpx

AGENT = "agent-00000000-0000-4000-8000-000000000000"


async def main() -> None:
    impl, base_url, streams = sys.argv[1], sys.argv[2], int(sys.argv[3])
    from letta_client import AsyncLetta

    limits = httpx.Limits(max_connections=streams, max_keepalive_connections=streams)
    http = httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(120.0))
    client = AsyncLetta(base_url=base_url, api_key="k", http_client=http)
    messages: Any = [{"role": "user", "content": "hi"}]

    async def one() -> int:
        if impl == "official":
            stream: Any = await client.agents.messages.create(AGENT, messages=messages, streaming=True)
        else:
            stream = await client.agents.messages.send(AGENT, messages=messages, streaming=True)
        n = 0
        async for _ in stream:
            n += 1
        return n

    await one()  # warm up: imports, validators
    start = time.perf_counter()
    counts = await asyncio.gather(*(one() for _ in range(streams)))
    seconds = time.perf_counter() - start
    await http.aclose()
    events = sum(counts)
    print(json.dumps({"impl": impl, "events": events, "seconds": seconds, "events_per_s": events / seconds}))


if __name__ == "__main__":
    asyncio.run(main())
