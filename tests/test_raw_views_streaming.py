"""``with_streaming_response`` + ``parse()`` of a streaming call gives the same ``Stream`` as the
plain call: each event as soon as its frame is complete (not after the whole body was read), and
every failure as the SDK's own exception (``APIConnectionError`` with ``partial_response``, a
background stream resuming), never a raw httpx error. Loopback servers, no sleeps: the server
holds the turn on an ``Event`` that the test sets only after the first events arrived."""

from __future__ import annotations

import threading
from typing import Any, AsyncIterator, List, Tuple

import httpx
import pytest

from _both import resolve
from _faults import LoopbackServer as RawServer
from _faults import Reply as RawReply
from _faults import Request as RawRequest
from letta_client import APIConnectionError, AsyncLetta, Letta, LettaResponse
from letta_client.testing import Disconnect, Hold, Reply, Simulator

MODES = ["sync", "async"]
HOLD_LIMIT = 10.0  # how long the server would hold the turn if the test never let it go on


def client_for(mode: str, base_url: str) -> Any:
    if mode == "sync":
        return Letta(base_url=base_url, timeout=30, max_retries=0)
    return AsyncLetta(base_url=base_url, timeout=30, max_retries=0)


async def events_of(stream: Any) -> AsyncIterator[Any]:
    if hasattr(stream, "__aiter__"):
        async for event in stream:
            yield event
    else:
        for event in stream:
            yield event


class StreamedSend:
    """``<resource>.with_streaming_response.send(...)`` as one async context manager for both modes."""

    def __init__(self, mode: str, resource: Any, *args: Any, **kwargs: Any) -> None:
        self._manager = resource.with_streaming_response.send(*args, **kwargs)
        self._async = mode == "async"

    async def __aenter__(self) -> Any:
        if self._async:
            return await self._manager.__aenter__()
        return self._manager.__enter__()

    async def __aexit__(self, *exc: Any) -> None:
        if self._async:
            await self._manager.__aexit__(*exc)
        else:
            self._manager.__exit__(*exc)


def _send(endpoint: str, client: Any, sim: Simulator, conversation: str) -> Tuple[Any, List[Any]]:
    """The messages resource of ``endpoint`` and the positional arguments of its ``send``."""
    if endpoint == "agents":
        return client.agents.messages, [sim.default_agent_id]
    return client.conversations.messages, [conversation]


@pytest.mark.real_sockets
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", ["agents", "conversations"])
async def test_parse_yields_each_event_while_the_turn_still_runs(mode: str, endpoint: str) -> None:
    sim = Simulator()
    conversation = sim.create_conversation(sim.default_agent_id)
    gate = threading.Event()
    sim.script(sim.default_agent_id, [Reply("first"), Hold(gate, timeout=HOLD_LIMIT), Reply("second")])
    texts: List[str] = []
    with sim.serve() as base_url:
        client = client_for(mode, base_url)
        try:
            resource, args = _send(endpoint, client, sim, conversation)
            async with StreamedSend(mode, resource, *args, input="hi", streaming=True) as response:
                stream = await resolve(response.parse())
                async for event in events_of(stream):
                    if event.message_type != "assistant_message":
                        continue
                    texts.append(event.content)
                    if len(texts) == 1:
                        assert not gate.is_set() and not response.is_closed, (
                            "the first event arrived while the server still held the turn"
                        )
                        gate.set()
        finally:
            gate.set()
            await resolve(client.close())
    assert texts == ["first", "second"]


@pytest.mark.real_sockets
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", ["agents", "conversations"])
async def test_a_cut_stream_raises_the_sdks_error_with_what_arrived(mode: str, endpoint: str) -> None:
    sim = Simulator()
    conversation = sim.create_conversation(sim.default_agent_id)
    sim.script(sim.default_agent_id, [Reply("first"), Disconnect(2), Reply("never")])
    seen: List[str] = []
    with sim.serve() as base_url:
        client = client_for(mode, base_url)
        try:
            resource, args = _send(endpoint, client, sim, conversation)
            extra = {"background": False} if endpoint == "conversations" else {}  # a plain send does not recover
            with pytest.raises(APIConnectionError) as caught:
                async with StreamedSend(mode, resource, *args, input="hi", streaming=True, **extra) as response:
                    stream = await resolve(response.parse())
                    async for event in events_of(stream):
                        seen.append(event.message_type)
        finally:
            await resolve(client.close())
    error = caught.value
    assert isinstance(error.__cause__, httpx.HTTPError)
    assert "assistant_message" in seen, "the events before the cut were delivered"
    assert error.partial_response is not None and error.partial_response.text == "first"


@pytest.mark.real_sockets
@pytest.mark.parametrize("mode", MODES)
async def test_a_background_stream_through_the_view_resumes_after_a_cut(mode: str) -> None:
    sim = Simulator()
    sim.script(sim.default_agent_id, [Reply("first"), Disconnect(2), Reply("second")])
    texts: List[str] = []
    with sim.serve() as base_url:
        client = client_for(mode, base_url)
        try:
            async with StreamedSend(
                mode, client.agents.messages, sim.default_agent_id, input="hi", streaming=True, background=True
            ) as response:
                stream = await resolve(response.parse())
                async for event in events_of(stream):
                    if event.message_type == "assistant_message":
                        texts.append(event.content)
                assert stream.reconnects == 1
        finally:
            await resolve(client.close())
    assert texts == ["first", "second"]


_HEAD = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 400\r\n\r\n"


@pytest.mark.real_sockets
@pytest.mark.parametrize("mode", MODES)
async def test_a_json_answer_cut_while_parse_reads_it_is_a_connection_error(mode: str) -> None:
    """A call that is not a stream: ``parse()`` reads the body it left unread, and a cut there is
    the SDK's ``APIConnectionError``, as in a plain call."""

    def handler(request: RawRequest) -> RawReply:
        return RawReply(raw=_HEAD + b'{"messages": [')

    with RawServer(handler) as server:
        client = client_for(mode, server.base_url)
        try:
            with pytest.raises(APIConnectionError) as caught:
                async with StreamedSend(mode, client.agents.messages, "agent-1", input="hi") as response:
                    await resolve(response.parse())
        finally:
            await resolve(client.close())
    assert isinstance(caught.value.__cause__, httpx.HTTPError)


@pytest.mark.parametrize("mode", MODES)
async def test_a_json_answer_is_still_parsed_through_the_view(mode: str) -> None:
    sim = Simulator()
    client: Any = sim.client() if mode == "sync" else sim.async_client()
    try:
        async with StreamedSend(mode, client.agents.messages, sim.default_agent_id, input="json") as response:
            answer = await resolve(response.parse())
    finally:
        await resolve(client.close())
    assert isinstance(answer, LettaResponse) and answer.text == "echo: json"


@pytest.mark.real_sockets
@pytest.mark.parametrize("mode", MODES)
async def test_leaving_the_view_closes_the_stream_it_parsed_after_a_resume(mode: str) -> None:
    sim = Simulator()
    sim.script(sim.default_agent_id, [Reply("first"), Disconnect(2), Reply("second"), Reply("third")])
    with sim.serve() as base_url:
        client = client_for(mode, base_url)
        try:
            async with StreamedSend(
                mode, client.agents.messages, sim.default_agent_id, input="hi", streaming=True, background=True
            ) as response:
                stream = await resolve(response.parse())
                async for event in events_of(stream):
                    if event.message_type == "assistant_message" and event.content == "second":
                        break
                assert stream.reconnects == 1 and stream.response is not response.http_response
                assert not stream.response.is_closed
            assert stream.response.is_closed, "leaving the block closed the response the stream resumed on"
        finally:
            await resolve(client.close())
