"""Fault injection over real loopback TCP: resets, stalls, 1-byte writes, truncation.

A ``FaultProxy`` sits between the client and a ``LoopbackServer``. Foreground streams must
deliver every complete event and then raise a typed error (never a raw httpx exception);
background streams resume through the same proxy and deliver every event exactly once.
"""

from __future__ import annotations

import random
from typing import Any, Callable, Iterator, List, Optional, Tuple

import httpx
import pytest

from _faults import Fault, FaultProxy, LoopbackServer, Reply, Request, sse_frame
from _stream_helpers import AGENT_ID, RUN_ID, message, stop
from letta_client import (
    APIConnectionError,
    APITimeoutError,
    AsyncLetta,
    IncompleteStreamError,
    Letta,
    LettaError,
)

EVENTS = 12
MESSAGES: Any = [{"role": "user", "content": "hi"}]


def delta(seq_id: int) -> bytes:
    return sse_frame(message("assistant_message", 1, content=f"w{seq_id} ", seq_id=seq_id))


FRAMES = [delta(i) for i in range(1, EVENTS + 1)]
TERMINAL = [sse_frame(stop()), sse_frame("[DONE]")]


def foreground(framing: str) -> Reply:
    return Reply(frames=FRAMES + TERMINAL, framing=framing)


def background_handler(request: Request) -> Reply:
    """Sends start a background run; ``/v1/runs/{id}/stream`` replays after ``starting_after``."""
    after = 0
    if request.target.startswith("/v1/runs/"):
        after = int(request.json()["starting_after"])
    return Reply(frames=[delta(i) for i in range(after + 1, EVENTS + 1)] + TERMINAL)


def read(open_stream: Callable[[], Any]) -> Tuple[List[int], Optional[BaseException]]:
    seen: List[int] = []
    try:
        for event in open_stream():
            if event.message_type == "assistant_message":
                seen.append(event.seq_id)
    except Exception as error:  # the test checks the type
        return seen, error
    return seen, None


def client_for(proxy: FaultProxy, read_timeout: float = 5.0) -> Letta:
    client = Letta(base_url=proxy.base_url, api_key="k", max_retries=0, timeout=httpx.Timeout(read_timeout, connect=5))
    client._transport.sleep = lambda seconds: None
    return client


def complete_frames(body_bytes: int) -> int:
    """How many of FRAMES end within the first ``body_bytes`` bytes of a close-framed body."""
    end = 0
    for count, frame in enumerate(FRAMES):
        end += len(frame)
        if end > body_bytes:
            return count
    return len(FRAMES)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(lambda request: foreground("close")) as server:
        yield server


HEAD = len(foreground("close").head())
BODY = sum(map(len, FRAMES))


@pytest.mark.parametrize("cut", sorted({0, 5, HEAD - 1, HEAD, *random.Random(1).sample(range(HEAD, HEAD + BODY), 12)}))
def test_truncated_stream_delivers_every_complete_event_then_raises(server: LoopbackServer, cut: int) -> None:
    with FaultProxy(server.port, [Fault("truncate", cut)]) as proxy:
        seen, error = read(lambda: client_for(proxy).agents.messages.send(AGENT_ID, messages=MESSAGES, streaming=True))
    if cut < HEAD:  # the response head never arrived
        assert seen == [] and type(error) is APIConnectionError
        return
    assert seen == list(range(1, complete_frames(cut - HEAD) + 1))
    assert isinstance(error, IncompleteStreamError)
    assert error.run_id == (RUN_ID if seen else None) and error.last_seq_id == (seen[-1] if seen else None)


@pytest.mark.parametrize("framing", ["close", "chunked"])
def test_one_byte_writes_deliver_everything(server: LoopbackServer, framing: str) -> None:
    server.handler = lambda request: foreground(framing)
    with FaultProxy(server.port, [Fault("split")]) as proxy:
        seen, error = read(lambda: client_for(proxy).agents.messages.send(AGENT_ID, messages=MESSAGES, streaming=True))
    assert error is None and seen == list(range(1, EVENTS + 1))


@pytest.mark.parametrize("offset", [0, len(FRAMES[0]), len(FRAMES[0]) + 7, BODY // 2, BODY - 1])
def test_stall_raises_timeout_after_every_delivered_event(server: LoopbackServer, offset: int) -> None:
    with FaultProxy(server.port, [Fault("stall", HEAD + offset)]) as proxy:
        seen, error = read(
            lambda: client_for(proxy, 0.2).agents.messages.send(AGENT_ID, messages=MESSAGES, streaming=True)
        )
    assert seen == list(range(1, complete_frames(offset) + 1))
    assert isinstance(error, APITimeoutError) and error.last_seq_id == (seen[-1] if seen else None)


@pytest.mark.parametrize("offset", [0, 40, 200, 700, 1500])
def test_reset_raises_connection_error_with_a_prefix_of_events(server: LoopbackServer, offset: int) -> None:
    server.handler = lambda request: foreground("chunked")
    with FaultProxy(server.port, [Fault("reset", HEAD + offset)]) as proxy:
        seen, error = read(lambda: client_for(proxy).agents.messages.send(AGENT_ID, messages=MESSAGES, streaming=True))
    assert seen == list(range(1, len(seen) + 1))
    assert isinstance(error, APIConnectionError) and not isinstance(error, httpx.HTTPError)


@pytest.mark.parametrize("offset", [3, 100, 900])
def test_truncated_chunked_body_is_a_connection_error(server: LoopbackServer, offset: int) -> None:
    server.handler = lambda request: foreground("chunked")
    with FaultProxy(server.port, [Fault("truncate", HEAD + offset)]) as proxy:
        seen, error = read(lambda: client_for(proxy).agents.messages.send(AGENT_ID, messages=MESSAGES, streaming=True))
    assert seen == list(range(1, len(seen) + 1)) and len(seen) < EVENTS
    assert isinstance(error, APIConnectionError)


@pytest.mark.real_sockets
async def test_async_stream_faults_are_typed(server: LoopbackServer) -> None:
    for fault, expected in (
        (Fault("truncate", HEAD + 300), IncompleteStreamError),
        (Fault("stall", HEAD + 300), APITimeoutError),
    ):
        with FaultProxy(server.port, [fault]) as proxy:
            client = AsyncLetta(
                base_url=proxy.base_url, api_key="k", max_retries=0, timeout=httpx.Timeout(0.2, connect=5)
            )
            seen: List[int] = []
            with pytest.raises(LettaError) as caught:
                async for event in await client.agents.messages.send(AGENT_ID, messages=MESSAGES, streaming=True):
                    if event.message_type == "assistant_message":
                        seen.append(event.seq_id)
            await client.close()
        assert type(caught.value) is expected
        assert seen == list(range(1, complete_frames(300) + 1))


CHUNKED_HEAD = len(Reply(frames=FRAMES).head())
FIRST_EVENT_END = CHUNKED_HEAD + len(b"%x\r\n%s\r\n" % (len(FRAMES[0]), FRAMES[0]))


def background_faults(rng: random.Random, count: int) -> List[Fault]:
    """Faults after the first event (it carries the run id; before it there is nothing to resume)."""
    kinds = ["truncate", "reset", "split"]
    return [Fault(rng.choice(kinds), rng.randrange(FIRST_EVENT_END, CHUNKED_HEAD + BODY)) for _ in range(count)]


def test_background_stream_broken_before_its_run_id_raises_resume_error() -> None:
    with LoopbackServer(background_handler) as server, FaultProxy(server.port, [Fault("truncate", 50)]) as proxy:
        client = client_for(proxy)
        seen, error = read(
            lambda: client.agents.messages.send(AGENT_ID, messages=MESSAGES, streaming=True, background=True)
        )
    assert seen == [] and isinstance(error, LettaError) and not isinstance(error, httpx.HTTPError)


@pytest.mark.parametrize("seed", range(8))
def test_background_stream_resumes_through_faults_exactly_once(seed: int) -> None:
    rng = random.Random(seed)
    with LoopbackServer(background_handler) as server, FaultProxy(server.port, background_faults(rng, 4)) as proxy:
        client = client_for(proxy)
        stream = client.agents.messages.send(AGENT_ID, messages=MESSAGES, streaming=True, background=True)
        seen, error = read(lambda: stream)
        assert error is None, repr(error)
        assert seen == list(range(1, EVENTS + 1))
        resumes = [r.json()["starting_after"] for r in server.requests if r.target.startswith("/v1/runs/")]
        assert resumes == sorted(resumes) and len(resumes) == stream.reconnects


@pytest.mark.real_sockets
async def test_async_background_stream_resumes_exactly_once() -> None:
    rng = random.Random(99)
    with LoopbackServer(background_handler) as server, FaultProxy(server.port, background_faults(rng, 3)) as proxy:
        client = AsyncLetta(base_url=proxy.base_url, api_key="k", max_retries=0)

        async def no_sleep(seconds: float) -> None:
            return None

        client._transport.sleep = no_sleep
        seen: List[int] = []
        async for event in await client.agents.messages.send(
            AGENT_ID, messages=MESSAGES, streaming=True, background=True
        ):
            if event.message_type == "assistant_message":
                seen.append(event.seq_id)
        await client.close()
    assert seen == list(range(1, EVENTS + 1))
