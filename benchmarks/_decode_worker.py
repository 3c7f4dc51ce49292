"""One measurement of stream decoding, in its own process: ``ours``, ``floor`` or ``official``.

    python benchmarks/_decode_worker.py IMPL MODE BODY_PATH REPEAT READS

Run by ``stream_decode.py``; prints one JSON line: events decoded and the best time of REPEAT,
in CPU seconds of this process (``time.process_time``): the decode is single-threaded, and on a
shared machine CPU time stays far steadier than wall time.
MODE is ``sync`` or ``async``; READS is ``event`` (one HTTP chunk per SSE frame, as a server
flushing each event sends them) or a read size in bytes (frames split across reads).

``floor`` is the least any decoder can do: the body's bytes split on ``\\n\\n``, ``data: ``
stripped, and one pydantic ``validate_json`` per event with the model its ``message_type``
names, taken from the ``letta_client`` of the interpreter running this file (the official
SDK's models when run in its venv). ``official`` also runs in that venv, so this file imports
nothing from the benchmarks package.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import typing
from typing import Any, Callable, Dict, List, Tuple

import httpx

AGENT = "agent-00000000-0000-4000-8000-000000000000"
URL = "http://bench/v1/agents/x/messages"
HEADERS = {"content-type": "text/event-stream"}


def transport(chunks: List[bytes], is_async: bool) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        if is_async:

            async def body() -> Any:
                for chunk in chunks:
                    yield chunk

            return httpx.Response(200, headers=HEADERS, content=body())
        return httpx.Response(200, headers=HEADERS, content=iter(chunks))

    return httpx.MockTransport(handler)


def literal_values(annotation: Any) -> List[str]:
    """The strings of a ``Literal[...]`` annotation, looking inside ``Optional``."""
    if typing.get_origin(annotation) is typing.Literal:
        return [v for v in typing.get_args(annotation) if isinstance(v, str)]
    return [v for arg in typing.get_args(annotation) for v in literal_values(arg)]


def floor_validators() -> Dict[bytes, Callable[[bytes], Any]]:
    """``message_type`` → the ``validate_json`` of its model, for every member of the stream union."""
    try:  # the official SDK
        from letta_client.types.agents.letta_streaming_response import LettaStreamingResponse
    except ImportError:  # this SDK
        from letta_client.types import LettaStreamingResponse  # type: ignore[no-redef]
    union: Any = LettaStreamingResponse
    while typing.get_origin(union) is not typing.Union:
        union = typing.get_args(union)[0]  # unwrap Annotated
    validators: Dict[bytes, Callable[[bytes], Any]] = {}
    for member in typing.get_args(union):
        model = typing.get_args(member)[0] if typing.get_origin(member) is typing.Annotated else member
        model.model_rebuild()
        for value in literal_values(model.model_fields["message_type"].annotation):
            validators[value.encode()] = model.__pydantic_validator__.validate_json
    return validators


KEY = b'"message_type":"'


def floor_events(blocks: List[bytes], validators: Dict[bytes, Callable[[bytes], Any]]) -> int:
    n = 0
    for block in blocks:
        data = block[6:]
        if data != b"[DONE]":
            start = data.find(KEY) + len(KEY)
            validators[data[start : data.find(b'"', start)]](data)
            n += 1
    return n


def sync_runner(impl: str, chunks: List[bytes]) -> Callable[[], int]:
    http = httpx.Client(transport=transport(chunks, False))
    if impl == "floor":
        validators = floor_validators()

        def run_floor() -> int:
            n = 0
            buffer = b""
            with http.stream("POST", URL, json={}) as response:
                for chunk in response.iter_bytes():
                    *blocks, buffer = (buffer + chunk).split(b"\n\n")
                    n += floor_events(blocks, validators)
            return n

        return run_floor
    from letta_client import Letta

    client: Any = Letta(base_url="http://bench", api_key="k", http_client=http)
    messages = [{"role": "user", "content": "hi"}]

    def run() -> int:
        n = 0
        if impl == "official":
            stream = client.agents.messages.create(AGENT, messages=messages, streaming=True)
        else:
            stream = client.agents.messages.send(AGENT, messages=messages, streaming=True, yield_pings=True)
        for _ in stream:
            n += 1
        return n

    return run


def async_runner(impl: str, chunks: List[bytes]) -> Callable[[], Any]:
    http = httpx.AsyncClient(transport=transport(chunks, True))
    if impl == "floor":
        validators = floor_validators()

        async def run_floor() -> int:
            n = 0
            buffer = b""
            async with http.stream("POST", URL, json={}) as response:
                async for chunk in response.aiter_bytes():
                    *blocks, buffer = (buffer + chunk).split(b"\n\n")
                    n += floor_events(blocks, validators)
            return n

        return run_floor
    from letta_client import AsyncLetta

    client: Any = AsyncLetta(base_url="http://bench", api_key="k", http_client=http)
    messages = [{"role": "user", "content": "hi"}]

    async def run() -> int:
        n = 0
        if impl == "official":
            stream = await client.agents.messages.create(AGENT, messages=messages, streaming=True)
        else:
            stream = await client.agents.messages.send(AGENT, messages=messages, streaming=True, yield_pings=True)
        async for _ in stream:
            n += 1
        return n

    return run


def split_reads(body: bytes, reads: str) -> List[bytes]:
    if reads == "event":
        return [frame + b"\n\n" for frame in body.split(b"\n\n") if frame]
    size = int(reads)
    return [body[i : i + size] for i in range(0, len(body), size)]


def best_of(impl: str, mode: str, chunks: List[bytes], repeat: int) -> Tuple[float, int]:
    """The least CPU time of ``repeat`` passes (after one warm-up: imports, validators,
    first-use paths) and the events one pass delivered."""
    best = float("inf")
    events = 0
    if mode == "sync":
        run = sync_runner(impl, chunks)
        run()
        for _ in range(repeat):
            start = time.process_time()
            events = run()
            best = min(best, time.process_time() - start)
        return best, events
    arun = async_runner(impl, chunks)

    async def loop() -> None:
        nonlocal best, events
        await arun()
        for _ in range(repeat):
            start = time.process_time()
            events = await arun()
            best = min(best, time.process_time() - start)

    asyncio.run(loop())
    return best, events


def main() -> None:
    impl, mode, path, repeat, reads = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
    with open(path, "rb") as file:
        chunks = split_reads(file.read(), reads)
    best, events = best_of(impl, mode, chunks, repeat)
    print(json.dumps({"impl": impl, "mode": mode, "reads": reads, "events": events, "seconds": best}))


if __name__ == "__main__":
    main()
