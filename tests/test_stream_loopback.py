"""No buffering: each event is yielded before the server writes the next one.

A real HTTP/1.1 server on 127.0.0.1 writes one chunked SSE frame, then blocks until the test
has received that event. A client that buffered would deadlock; the timeouts make that a fast
failure instead of a hang."""

from __future__ import annotations

import http.server
import threading
import time
from typing import Any, Dict, Iterator, List, Tuple

import pytest

from _stream_helpers import AGENT_ID, USAGE, frame, message, ping, stop
from letta_client import AsyncLetta, Letta

WAIT = 5.0  # seconds the server waits for the client to confirm an event
MAX_DELAY = 0.5  # write -> yield, per event

FRAMES = [
    frame(ping()),
    *(frame(message("assistant_message", 1, content=f"w{i} ")) for i in range(5)),
    frame(stop()),
    frame(USAGE),
]


class Pacer:
    """The server writes frame i, then waits until the client calls ``received(i)``."""

    def __init__(self) -> None:
        self.confirmed = [threading.Event() for _ in FRAMES]
        self.written_at: List[float] = [0.0] * len(FRAMES)
        self.received_at: List[float] = [0.0] * len(FRAMES)
        self.failures: List[str] = []

    def received(self, index: int) -> None:
        self.received_at[index] = time.perf_counter()
        self.confirmed[index].set()

    def delays(self) -> List[float]:
        return [r - w for w, r in zip(self.written_at, self.received_at)]


def make_handler(pacer: Pacer) -> Any:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            for index, data in enumerate(FRAMES):
                pacer.written_at[index] = time.perf_counter()
                self._chunk(data)
                if not pacer.confirmed[index].wait(WAIT):
                    pacer.failures.append(f"event {index} was not yielded within {WAIT} s of being written")
                    return  # the connection closes: the client fails instead of hanging
            self._chunk(frame("[DONE]"))
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

        def _chunk(self, data: bytes) -> None:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def server() -> Iterator[Tuple[str, Pacer]]:
    pacer = Pacer()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(pacer))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", pacer
    finally:
        for event in pacer.confirmed:
            event.set()  # release a handler still waiting
        httpd.shutdown()
        httpd.server_close()
        thread.join(WAIT)


def check(pacer: Pacer, kinds: List[str]) -> Dict[str, float]:
    assert pacer.failures == []
    assert kinds == ["ping"] + ["assistant_message"] * 5 + ["stop_reason", "usage_statistics"]
    delays = pacer.delays()
    assert all(0 <= d < MAX_DELAY for d in delays), delays
    return {"max": max(delays), "mean": sum(delays) / len(delays)}


def test_sync_stream_yields_each_event_before_the_next_is_written(server: Tuple[str, Pacer]) -> None:
    base_url, pacer = server
    kinds: List[str] = []
    with Letta(base_url=base_url, api_key="k", timeout=WAIT, max_retries=0) as client:
        stream = client.agents.messages.send(AGENT_ID, input="hi", streaming=True, yield_pings=True)
        for index, event in enumerate(stream):
            pacer.received(index)
            kinds.append(event.message_type)
        assert stream.finished and stream.response.is_closed
    check(pacer, kinds)


@pytest.mark.real_sockets
async def test_async_stream_yields_each_event_before_the_next_is_written(server: Tuple[str, Pacer]) -> None:
    base_url, pacer = server
    kinds: List[str] = []
    async with AsyncLetta(base_url=base_url, api_key="k", timeout=WAIT, max_retries=0) as client:
        stream = await client.agents.messages.send(AGENT_ID, input="hi", streaming=True, yield_pings=True)
        index = 0
        async for event in stream:
            pacer.received(index)
            kinds.append(event.message_type)
            index += 1
        assert stream.finished and stream.response.is_closed
    check(pacer, kinds)
