"""The maximum event size on whole streams: a server that never ends an event gets a typed error,
not a client that buffers without bound (the decoder's own rules are in test_sse.py)."""

from __future__ import annotations

import tracemalloc
from typing import AsyncIterator, Iterator, List

import httpx
import pytest

from _stream_helpers import AGENT_ID, SSE_HEADERS, async_client, frame, message, sync_client
from letta_client import EventTooLargeError, Letta
from letta_client._sse import DEFAULT_MAX_EVENT_SIZE

READ = 65536


class EndlessEvent(httpx.SyncByteStream, httpx.AsyncByteStream):
    """One whole event, then the lines of an event that never ends (no blank line), made lazily:
    at most ``limit`` reads (a test that did not stop would fail, not hang)."""

    def __init__(self, limit: int) -> None:
        self.reads = 0
        self.limit = limit

    def __iter__(self) -> Iterator[bytes]:
        yield frame(message("assistant_message", 1, content="before"))
        line = b"data: " + b"x" * (READ - 7) + b"\n"
        while self.reads < self.limit:
            self.reads += 1
            yield line

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.__iter__():
            yield chunk


READS_PAST_THE_DEFAULT = DEFAULT_MAX_EVENT_SIZE // READ + 50


def test_a_stream_whose_event_never_ends_raises_at_the_default_limit_and_holds_no_more() -> None:
    body = EndlessEvent(READS_PAST_THE_DEFAULT)
    client = sync_client(lambda request: httpx.Response(200, headers=SSE_HEADERS, stream=body))
    stream = client.agents.messages.send(AGENT_ID, input="hi", streaming=True)
    seen: List[str] = []
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        with pytest.raises(EventTooLargeError) as raised:
            for event in stream:
                seen.append(event.message_type)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert seen == ["assistant_message"]  # what came before the huge event was delivered
    assert raised.value.limit == DEFAULT_MAX_EVENT_SIZE
    assert raised.value.request is not None
    assert body.reads < READS_PAST_THE_DEFAULT  # it stopped reading
    assert peak - base < DEFAULT_MAX_EVENT_SIZE + 8 * READ  # the kept event, never more
    assert stream.response.is_closed


async def test_an_async_stream_whose_event_never_ends_raises_at_the_default_limit() -> None:
    body = EndlessEvent(READS_PAST_THE_DEFAULT)
    client = async_client(lambda request: httpx.Response(200, headers=SSE_HEADERS, stream=body))
    stream = await client.agents.messages.send(AGENT_ID, input="hi", streaming=True)
    seen: List[str] = []
    with pytest.raises(EventTooLargeError) as raised:
        async for event in stream:
            seen.append(event.message_type)
    assert seen == ["assistant_message"]
    assert raised.value.limit == DEFAULT_MAX_EVENT_SIZE
    assert body.reads < READS_PAST_THE_DEFAULT
    assert stream.response.is_closed


def event_of(size: int) -> bytes:
    """A whole ``data:`` event whose lines take exactly ``size`` bytes."""
    payload = message("assistant_message", 1, content="")
    base = len(frame(payload)) - 2  # without the blank line
    return frame(message("assistant_message", 1, content="x" * (size - base)))


@pytest.mark.parametrize(("size", "passes"), [(2_000, True), (2_001, False)])
def test_the_client_sets_the_limit(size: int, passes: bool) -> None:
    body = event_of(size) + frame({"message_type": "stop_reason", "stop_reason": "end_turn"})
    client = sync_client(lambda request: httpx.Response(200, headers=SSE_HEADERS, content=body))
    for configured in (client.with_options(max_event_size=2_000), constructed_with_limit(client, 2_000)):
        stream = configured.agents.messages.send(AGENT_ID, input="hi", streaming=True)
        if passes:
            assert [e.message_type for e in stream] == ["assistant_message", "stop_reason"]
        else:
            with pytest.raises(EventTooLargeError) as raised:
                list(stream)
            assert raised.value.limit == 2_000 and raised.value.request is not None


def constructed_with_limit(client: Letta, limit: int) -> Letta:
    return Letta(
        base_url=str(client.base_url), api_key="test-key", http_client=client._http_client, max_event_size=limit
    )


async def test_the_async_client_sets_the_limit() -> None:
    body = event_of(2_001)
    client = async_client(lambda request: httpx.Response(200, headers=SSE_HEADERS, content=body))
    stream = await client.with_options(max_event_size=2_000).agents.messages.send(AGENT_ID, input="hi", streaming=True)
    with pytest.raises(EventTooLargeError):
        async for _ in stream:
            pass


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "16"])
def test_max_event_size_must_be_a_positive_int(bad: object) -> None:
    with pytest.raises(ValueError, match="max_event_size"):
        Letta(base_url="http://letta.test", max_event_size=bad)  # type: ignore[arg-type]
