"""Timeouts that bound what they say they bound (issue 22).

* ``runs.wait(run_id, timeout=...)`` ends within its timeout even when a poll hangs: each poll
  gets only the time left of the wait (before, a hanging poll took the client's 60 s).
* A streaming send retried after a ``503`` must get its answer within the time left of its total
  timeout (before, the later attempt had the whole timeout again); the stream's idle timeout is
  not cut by that.
* A ``200 application/json`` answer to a streaming call is held to ``max_event_size``, and the
  error comes as soon as the limit is passed, not after the whole body.

The loopback tests block the server on a ``threading.Event`` released at teardown; nothing sleeps.
The margins only absorb a loaded machine: without the fixes the calls took 60 s and 3.8 s.
"""

from __future__ import annotations

import threading
import time
from typing import Any, AsyncIterator, Dict, Iterator, List, Optional, Union

import httpx
import pytest

from _both import resolve
from _faults import LoopbackServer, Reply, Request, sse_frame
from letta_client import APITimeoutError, AsyncLetta, EventTooLargeError, Letta

RUN = "run-1"
AGENT = "agent-1"
MARGIN = 1.0  # seconds a busy machine may add to a bound


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Set at teardown: lets the server's stalled answers go."""
    event = threading.Event()
    yield event
    event.set()


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def close(client: Union[Letta, AsyncLetta]) -> None:
    await resolve(client.close())


def loopback_client(mode: str, base_url: str, **options: Any) -> Union[Letta, AsyncLetta]:
    return (Letta if mode == "sync" else AsyncLetta)(base_url=base_url, **options)


# -- runs.wait -------------------------------------------------------------------------------------


@pytest.mark.real_sockets
async def test_wait_ends_within_its_timeout_when_the_poll_hangs(mode: str, release: threading.Event) -> None:
    with LoopbackServer(lambda request: Reply(stall=release)) as server:
        client = loopback_client(mode, server.base_url)  # the client's own timeout: 60 s
        started = time.monotonic()
        try:
            with pytest.raises(APITimeoutError) as caught:
                await resolve(client.runs.wait(RUN, timeout=0.5))
        finally:
            elapsed = time.monotonic() - started
            await close(client)
    assert elapsed < 0.5 + MARGIN
    assert caught.value.run_id == RUN
    assert "0.5 s wait" in str(caught.value) and "no poll answered" in str(caught.value)


@pytest.mark.real_sockets
async def test_a_later_poll_gets_only_the_time_left(mode: str, release: threading.Event) -> None:
    polls: List[float] = []

    def handler(request: Request) -> Reply:
        polls.append(time.monotonic())
        if len(polls) == 1:
            return Reply.json(200, {"id": RUN, "status": "running"})
        return Reply(stall=release)

    with LoopbackServer(handler) as server:
        client = loopback_client(mode, server.base_url)
        started = time.monotonic()
        try:
            with pytest.raises(APITimeoutError) as caught:
                await resolve(client.runs.wait(RUN, timeout=1.5, poll_interval=0.2))
        finally:
            elapsed = time.monotonic() - started
            await close(client)
    assert len(polls) == 2 and elapsed < 1.5 + MARGIN
    assert "still 'running'" in str(caught.value) and caught.value.run_id == RUN


@pytest.mark.real_sockets
async def test_reading_the_response_of_a_wait_stays_within_its_timeout(mode: str, release: threading.Event) -> None:
    def handler(request: Request) -> Reply:
        if request.target.startswith(f"/v1/runs/{RUN}/messages"):
            return Reply(stall=release)
        return Reply.json(200, {"id": RUN, "status": "completed"})

    with LoopbackServer(handler) as server:
        client = loopback_client(mode, server.base_url)
        started = time.monotonic()
        try:
            with pytest.raises(APITimeoutError) as caught:
                await resolve(client.runs.wait(RUN, timeout=0.8, response=True))
        finally:
            elapsed = time.monotonic() - started
            await close(client)
    assert elapsed < 0.8 + MARGIN
    assert "is 'completed', but its response could not be read" in str(caught.value)


async def test_a_wait_with_time_to_spare_leaves_the_clients_timeout_alone(mode: str) -> None:
    seen: List[Dict[str, Optional[float]]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.extensions["timeout"]))
        return httpx.Response(200, json={"id": RUN, "status": "completed"})

    client = mock_client(mode, handler, timeout=httpx.Timeout(20.0, connect=3.0))
    try:
        assert (await resolve(client.runs.wait(RUN, timeout=600))).status == "completed"
        assert (await resolve(client.runs.wait(RUN, timeout=10))).status == "completed"
    finally:
        await close(client)
    assert seen[0] == {"connect": 3.0, "read": 20.0, "write": 20.0, "pool": 20.0}
    assert seen[1]["connect"] == 3.0 and 9.0 < (seen[1]["read"] or 0) <= 10.0  # cut to what is left of 10 s


# -- a streaming send's later attempts -------------------------------------------------------------


@pytest.mark.real_sockets
async def test_a_retried_streaming_send_gets_only_the_time_left(mode: str, release: threading.Event) -> None:
    attempts: List[float] = []

    def handler(request: Request) -> Reply:
        attempts.append(time.monotonic())
        if len(attempts) == 1:  # refused before any work: retried after the server's 1.8 s
            return Reply.json(503, {"detail": "busy"}, {"retry-after-ms": "1800"})
        return Reply(stall=release)

    with LoopbackServer(handler) as server:
        client = loopback_client(mode, server.base_url, timeout=2.0)
        started = time.monotonic()
        try:
            with pytest.raises(APITimeoutError):
                await resolve(client.agents.messages.send(AGENT, input="hi", streaming=True))
        finally:
            elapsed = time.monotonic() - started
            await close(client)
    assert len(attempts) == 2
    assert elapsed < 2.0 + MARGIN  # it was 1.8 s + a whole 2 s for the second attempt


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.now += seconds


def test_the_retry_cut_leaves_the_streams_idle_timeout() -> None:
    """The sync driver cuts the attempt's read and write timeouts while the answer's head is
    awaited, then puts them back: httpx's transport reads them again for the body."""
    clock = FakeClock()
    heads: List[Dict[str, Optional[float]]] = []
    bodies: List[Dict[str, Optional[float]]] = []

    def body(request: httpx.Request) -> Iterator[bytes]:
        bodies.append(dict(request.extensions["timeout"]))
        yield sse_frame({"message_type": "stop_reason", "stop_reason": "end_turn"})
        yield sse_frame("[DONE]")

    def handler(request: httpx.Request) -> httpx.Response:
        heads.append(dict(request.extensions["timeout"]))
        if len(heads) == 1:
            return httpx.Response(503, headers={"retry-after": "1.5"}, json={"detail": "busy"})
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body(request))

    client = Letta(base_url="http://letta.test", timeout=2.0, http_client=httpx.Client(transport=Transport(handler)))
    client._transport.clock = clock  # pyright: ignore[reportPrivateUsage]
    client._transport.sleep = clock.sleep  # pyright: ignore[reportPrivateUsage]
    try:
        stream = client.agents.messages.send(AGENT, input="hi", streaming=True)
        assert [event.message_type for event in stream] == ["stop_reason"]
    finally:
        client.close()
    assert heads[0]["read"] == 2.0 and heads[1]["read"] == pytest.approx(0.5)  # the head: the time left
    assert bodies == [{"connect": 2.0, "read": 2.0, "write": 2.0, "pool": 2.0}]  # the body: the idle timeout


class Transport(httpx.BaseTransport):
    """Answers from ``handler`` with the body read lazily, as a network transport does."""

    def __init__(self, handler: Any) -> None:
        self.handler = handler

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.handler(request)  # type: ignore[no-any-return]


# -- a JSON answer to a streaming call -------------------------------------------------------------

CHUNK = 64 * 1024
LIMIT = 256 * 1024


def huge_json(pulled: List[int], mode: str) -> Union[Iterator[bytes], AsyncIterator[bytes]]:
    """24 MiB of a JSON turn, 64 KiB at a time, counting what was pulled."""

    def chunks() -> Iterator[bytes]:
        yield b'{"messages": [], "pad": "'
        for _ in range(24 * 1024 * 1024 // CHUNK):
            pulled.append(CHUNK)
            yield b"x" * CHUNK
        yield b'"}'

    async def async_chunks() -> AsyncIterator[bytes]:
        for chunk in chunks():
            yield chunk

    return chunks() if mode == "sync" else async_chunks()


def mock_client(mode: str, handler: Any, **options: Any) -> Union[Letta, AsyncLetta]:
    if mode == "sync":
        return Letta(
            base_url="http://letta.test", http_client=httpx.Client(transport=httpx.MockTransport(handler)), **options
        )
    http_client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return AsyncLetta(base_url="http://letta.test", http_client=http_client, **options)


async def test_a_json_answer_to_a_stream_is_held_to_max_event_size(mode: str) -> None:
    pulled: List[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "application/json"}, content=huge_json(pulled, mode))

    client = mock_client(mode, handler, max_event_size=LIMIT)
    try:
        stream = await resolve(client.agents.messages.send(AGENT, input="hi", streaming=True))
        with pytest.raises(EventTooLargeError) as caught:
            if isinstance(stream, AsyncIterator):
                async for _ in stream:
                    pass
            else:
                for _ in stream:
                    pass
    finally:
        await close(client)
    assert caught.value.limit == LIMIT and LIMIT < caught.value.size <= LIMIT + CHUNK + 32
    assert sum(pulled) <= LIMIT + CHUNK  # raised at the limit, not after the 24 MiB
    assert caught.value.request is not None


async def test_a_json_answer_within_the_limit_is_still_a_turn(mode: str) -> None:
    turn = {
        "messages": [
            {
                "message_type": "assistant_message",
                "id": "message-1",
                "date": "2025-01-01T00:00:00Z",
                "content": "ok",
            }
        ],
        "stop_reason": {"stop_reason": "end_turn"},
    }
    client = mock_client(mode, lambda request: httpx.Response(200, json=turn), max_event_size=LIMIT)
    try:
        stream = await resolve(client.agents.messages.send(AGENT, input="hi", streaming=True))
        final = await resolve(stream.get_final_response())
    finally:
        await close(client)
    assert [message.content for message in final.messages] == ["ok"]  # type: ignore[union-attr]
