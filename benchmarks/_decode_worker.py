"""One measurement of stream decoding, in its own process: ``ours``, ``floor`` or ``official``.

Run by ``stream_decode.py``; prints one JSON line: events decoded and the best time.
``official`` runs in a separate venv where the official SDK is installed (it is also named
``letta_client``), so this file imports nothing from the benchmarks package.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any, Callable

import httpx

AGENT = "agent-00000000-0000-4000-8000-000000000000"


def transport(chunks: list[bytes], is_async: bool) -> httpx.BaseTransport | httpx.AsyncBaseTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        if is_async:

            async def body() -> Any:
                for chunk in chunks:
                    yield chunk

            return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=iter(chunks))

    return httpx.MockTransport(handler)


def sync_runner(impl: str, chunks: list[bytes]) -> Callable[[], int]:
    http = httpx.Client(transport=transport(chunks, False))  # type: ignore[arg-type]
    if impl == "floor":
        from httpx_sse import EventSource
        from pydantic import TypeAdapter

        from letta_client.types import LettaStreamingResponse

        adapter: TypeAdapter[Any] = TypeAdapter(LettaStreamingResponse)

        def run() -> int:
            n = 0
            with http.stream("POST", "http://bench/v1/agents/x/messages", json={}) as response:
                for sse in EventSource(response).iter_sse():
                    if sse.data != "[DONE]":
                        adapter.validate_json(sse.data)
                        n += 1
            return n

        return run
    from letta_client import Letta

    client = Letta(base_url="http://bench", api_key="k", http_client=http)
    messages = [{"role": "user", "content": "hi"}]

    def run() -> int:
        n = 0
        if impl == "official":
            stream: Any = client.agents.messages.create(AGENT, messages=messages, streaming=True)  # type: ignore[call-overload]
        else:
            stream = client.agents.messages.send(AGENT, messages=messages, streaming=True, yield_pings=True)  # type: ignore[arg-type]
        for _ in stream:
            n += 1
        return n

    return run


def async_runner(impl: str, chunks: list[bytes]) -> Callable[[], Any]:
    http = httpx.AsyncClient(transport=transport(chunks, True))  # type: ignore[arg-type]
    if impl == "floor":
        from httpx_sse import EventSource
        from pydantic import TypeAdapter

        from letta_client.types import LettaStreamingResponse

        adapter: TypeAdapter[Any] = TypeAdapter(LettaStreamingResponse)

        async def run() -> int:
            n = 0
            async with http.stream("POST", "http://bench/v1/agents/x/messages", json={}) as response:
                async for sse in EventSource(response).aiter_sse():
                    if sse.data != "[DONE]":
                        adapter.validate_json(sse.data)
                        n += 1
            return n

        return run
    from letta_client import AsyncLetta

    client = AsyncLetta(base_url="http://bench", api_key="k", http_client=http)
    messages = [{"role": "user", "content": "hi"}]

    async def run() -> int:
        n = 0
        if impl == "official":
            stream: Any = await client.agents.messages.create(AGENT, messages=messages, streaming=True)  # type: ignore[call-overload]
        else:
            stream = await client.agents.messages.send(AGENT, messages=messages, streaming=True, yield_pings=True)  # type: ignore[arg-type]
        async for _ in stream:
            n += 1
        return n

    return run


def main() -> None:
    impl, mode, path, repeat = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    body = open(path, "rb").read()
    chunks = [body[i : i + 4096] for i in range(0, len(body), 4096)]
    best = float("inf")
    events = 0
    if mode == "sync":
        run = sync_runner(impl, chunks)
        for _ in range(repeat):
            start = time.perf_counter()
            events = run()
            best = min(best, time.perf_counter() - start)
    else:
        arun = async_runner(impl, chunks)

        async def loop() -> None:
            nonlocal best, events
            for _ in range(repeat):
                start = time.perf_counter()
                events = await arun()
                best = min(best, time.perf_counter() - start)

        asyncio.run(loop())
    print(json.dumps({"impl": impl, "mode": mode, "events": events, "seconds": best}))


if __name__ == "__main__":
    main()
