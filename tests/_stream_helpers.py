"""Shared helpers for the streaming tests: recorded bodies, mock clients, breakable byte streams."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, AsyncIterator, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Union

import httpx

from letta_client import AsyncLetta, Letta

FIXTURES = Path(__file__).parent / "fixtures"
SSE_FIXTURES = sorted(path.name for path in FIXTURES.glob("*.sse"))
AGENT_ID = "agent-00000000-0000-4000-8000-000000000000"
RUN_ID = "run-11111111-1111-4111-8111-111111111111"
BASE_URL = "http://letta.test"
SSE_HEADERS = {"content-type": "text/event-stream; charset=utf-8"}


def fixture_body(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def frame(payload: Union[Dict[str, Any], str], event: Optional[str] = None) -> bytes:
    """One SSE frame: compact JSON (as the server writes it) or a literal data string."""
    data = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {data}\n\n".encode()


def sse(*frames: Union[Dict[str, Any], str, bytes]) -> bytes:
    return b"".join(f if isinstance(f, bytes) else frame(f) for f in frames)


def message(kind: str, index: int = 0, **fields: Any) -> Dict[str, Any]:
    """A message payload with every base field present, as the server sends it."""
    payload: Dict[str, Any] = {
        "id": f"message-{index:08d}-0000-4000-8000-000000000000",
        "date": "2026-11-22T03:36:18+00:00",
        "name": None,
        "message_type": kind,
        "otid": f"{index:08d}-0000-4000-8000-000000000000",
        "sender_id": None,
        "step_id": "step-1",
        "is_err": None,
        "seq_id": None,
        "run_id": RUN_ID,
    }
    payload.update(fields)
    return payload


def ping(seq_id: Optional[int] = None) -> Dict[str, Any]:
    return message("ping", 99, id=f"ping-{seq_id}", otid=None, step_id=None, seq_id=seq_id)


def stop(reason: str = "end_turn") -> Dict[str, Any]:
    return {"message_type": "stop_reason", "stop_reason": reason}


USAGE: Dict[str, Any] = {"message_type": "usage_statistics", "completion_tokens": 3, "prompt_tokens": 5}


class ChunkStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body served chunk by chunk, optionally breaking off with ``error`` at the end.

    ``closed`` records that httpx closed the body (the response was closed)."""

    def __init__(self, chunks: Iterable[bytes], error: Optional[Exception] = None) -> None:
        self.chunks = list(chunks)
        self.error = error
        self.served = 0
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.served += 1
            yield chunk
        if self.error is not None:
            raise self.error

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.__iter__():
            yield chunk

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def body_handler(
    chunks: Union[bytes, Sequence[bytes], ChunkStream], requests: Optional[List[httpx.Request]] = None
) -> Callable[[httpx.Request], httpx.Response]:
    """A MockTransport handler answering every request with this SSE body."""

    def handle(request: httpx.Request) -> httpx.Response:
        if requests is not None:
            requests.append(request)
        stream = chunks
        if isinstance(stream, bytes):
            stream = ChunkStream([stream])
        elif not isinstance(stream, ChunkStream):
            stream = ChunkStream(stream)
        return httpx.Response(200, headers=SSE_HEADERS, stream=stream)

    return handle


def sync_client(handler: Callable[[httpx.Request], httpx.Response]) -> Letta:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return Letta(base_url=BASE_URL, api_key="test-key", max_retries=0, http_client=http)


def async_client(handler: Callable[[httpx.Request], httpx.Response]) -> AsyncLetta:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return AsyncLetta(base_url=BASE_URL, api_key="test-key", max_retries=0, http_client=http)


def wire_payloads(body: bytes) -> List[Dict[str, Any]]:
    """The JSON objects of the body's ``data:`` lines (markers left out), parsed independently
    of the SDK: the expected events."""
    payloads: List[Dict[str, Any]] = []
    for line in body.decode().replace("\r\n", "\n").split("\n"):
        if line.startswith("data: ") and not line.startswith("data: ["):
            payloads.append(json.loads(line[6:]))
    return payloads


def dumped(event: Any) -> Dict[str, Any]:
    result: Dict[str, Any] = event.model_dump(mode="json", exclude_unset=True)
    return result
