"""Many concurrent async streams from one process: ``ours`` or ``official``.

    python benchmarks/_concurrency_worker.py IMPL BASE_URL STREAMS

IMPL is ``ours`` or ``official``, with ``+aiohttp`` for the SDK's ``DefaultAioHttpClient``, or
``httpx``: no SDK, httpx's client reading each stream's bytes from its transport and counting
its frames (the most any SDK over httpx's default transport can reach).

Opens STREAMS streams at once (one connection each) against the loopback server, reads them
all to the end, and prints one JSON line: events, wall and CPU seconds, events per second of
each (the client is CPU-bound; on a shared machine its CPU time is the steadier figure). Imports nothing from
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
    name = impl
    from letta_client import AsyncLetta

    limits = httpx.Limits(max_connections=streams, max_keepalive_connections=streams)
    if impl.endswith("+aiohttp"):  # the ``aiohttp`` extra (both SDKs name its client the same)
        from letta_client import DefaultAioHttpClient

        impl = impl[: -len("+aiohttp")]
        http: httpx.AsyncClient = DefaultAioHttpClient(limits=limits, timeout=httpx.Timeout(120.0))
    else:
        http = httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(120.0))
    client = AsyncLetta(base_url=base_url, api_key="k", http_client=http)
    messages: Any = [{"role": "user", "content": "hi"}]
    url = f"{base_url}/v1/agents/{AGENT}/messages"

    async def one() -> int:
        if impl == "httpx":  # frames counted by their blank lines; the SDKs deliver every frame but [DONE]
            frames, last = -1, b""
            async with http.stream("POST", url, json={"messages": messages, "streaming": True}) as response:
                async for chunk in response.stream:  # type: ignore[union-attr]
                    frames += chunk.count(b"\n\n") + (last[-1:] == b"\n" and chunk[:1] == b"\n")
                    last = chunk
            return frames
        if impl == "official":
            stream: Any = await client.agents.messages.create(AGENT, messages=messages, streaming=True)
        else:
            stream = await client.agents.messages.send(AGENT, messages=messages, streaming=True)
        n = 0
        async for _ in stream:
            n += 1
        return n

    await one()  # warm up: imports, validators
    start, cpu_start = time.perf_counter(), time.process_time()
    counts = await asyncio.gather(*(one() for _ in range(streams)))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    await http.aclose()
    events = sum(counts)
    result = {"impl": name, "events": events, "seconds": seconds, "cpu_seconds": cpu}
    print(json.dumps({**result, "events_per_s": events / seconds, "events_per_cpu_s": events / cpu}))


if __name__ == "__main__":
    asyncio.run(main())
