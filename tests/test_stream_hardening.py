"""Streams never end silently and never lose the answer.

* a cancelled ``__anext__`` leaves the stream readable (background: it resumes) or raises
  ``StreamInterruptedError`` next; it never looks finished;
* a stream dropped unread returns its pooled connection (sync at once, async on the loop);
* a ``200 application/json`` answer to a streaming call is delivered as the stream's events;
  a ``data:`` JSON array is an error, not skipped;
* every exception raised from a stream carries ``partial_response``, ``run_id`` and
  ``last_seq_id``; ``client.runs.response`` / ``runs.wait(..., response=True)`` rebuild the
  answer of a finished run.
"""

from __future__ import annotations

import asyncio
import gc
import json
from typing import Any, AsyncIterator, Callable, Dict, Iterator, List, Optional

import httpx
import pytest
import respx

from _async_http import async_http_client
from _faults import LoopbackServer, Reply, sse_frame
from _stream_helpers import (
    AGENT_ID,
    RUN_ID,
    USAGE,
    ChunkStream,
    async_client,
    body_handler,
    frame,
    message,
    ping,
    sse,
    stop,
    sync_client,
)
from letta_client import (
    APIConnectionError,
    APIResponseValidationError,
    AsyncLetta,
    IncompleteStreamError,
    Letta,
    LettaError,
    LettaStreamError,
    StreamInterruptedError,
)
from letta_client.types import AssistantMessage, LettaResponse

HELLO = message("assistant_message", 1, content="Hello")
WORLD = message("assistant_message", 2, content="World")


# --- async cancellation ----------------------------------------------------------------------


class GatedBody(httpx.AsyncByteStream):
    """Serves ``chunks``; at a ``None`` it waits for ``gate`` (``waiting`` says it got there)."""

    def __init__(self, chunks: List[Optional[bytes]]) -> None:
        self.chunks = chunks
        self.gate = asyncio.Event()
        self.waiting = asyncio.Event()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            if chunk is None:
                self.waiting.set()
                await self.gate.wait()
            else:
                yield chunk


def gated_client(bodies: Dict[str, GatedBody]) -> AsyncLetta:
    """A client whose responses are ``bodies[path]`` (consumed in order for a repeated path)."""

    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=bodies[request.url.path])

    http = httpx.AsyncClient(transport=httpx.MockTransport(handle))
    return AsyncLetta(base_url="http://letta.test", api_key="k", max_retries=0, http_client=http)


async def cancel_a_read(stream: Any, body: GatedBody) -> None:
    task = asyncio.ensure_future(stream.__anext__())
    await body.waiting.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_a_cancelled_read_of_a_foreground_stream_is_reported_not_an_end() -> None:
    body = GatedBody([sse(HELLO), None, sse(WORLD, stop(), "[DONE]")])
    client = gated_client({f"/v1/agents/{AGENT_ID}/messages": body})
    stream = await client.agents.messages.send(AGENT_ID, input="hi", streaming=True)
    assert (await stream.__anext__()).content == "Hello"
    await cancel_a_read(stream, body)
    assert not stream.finished
    with pytest.raises(StreamInterruptedError) as caught:
        await stream.__anext__()
    error = caught.value
    assert isinstance(error, APIConnectionError) and error.run_id == RUN_ID
    assert error.partial_response is not None
    assert [m.text for m in error.partial_response.messages if isinstance(m, AssistantMessage)] == ["Hello"]
    assert "cancelled" in str(error) and stream.response.is_closed
    await client.close()


async def test_wait_for_timing_out_then_reading_on_resumes_a_background_stream() -> None:
    first = GatedBody([sse(ping(seq_id=1), message("assistant_message", 1, content="a", seq_id=2)), None])
    rest = GatedBody([sse(message("assistant_message", 2, content="b", seq_id=3), stop(), "[DONE]")])
    client = gated_client({f"/v1/agents/{AGENT_ID}/messages": first, f"/v1/runs/{RUN_ID}/stream": rest})
    stream = await client.agents.messages.send(AGENT_ID, input="hi", streaming=True, background=True, yield_pings=False)
    assert (await stream.__anext__()).content == "a"
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(stream.__anext__(), 0.05)  # the body stays silent until the gate opens
    assert not stream.finished
    assert [e.content async for e in stream if isinstance(e, AssistantMessage)] == ["b"]
    assert stream.reconnects == 1 and stream.finished and stream.stop_reason is not None
    await client.close()


async def test_a_cancelled_async_for_leaves_the_stream_readable() -> None:
    first = GatedBody([sse(ping(seq_id=1), message("assistant_message", 1, content="a", seq_id=2)), None])
    rest = GatedBody([sse(message("assistant_message", 2, content="b", seq_id=3), stop(), "[DONE]")])
    client = gated_client({f"/v1/agents/{AGENT_ID}/messages": first, f"/v1/runs/{RUN_ID}/stream": rest})
    stream = await client.agents.messages.send(AGENT_ID, input="hi", streaming=True, background=True, yield_pings=False)
    seen: List[str] = []

    async def read() -> None:
        async for event in stream:
            seen.append(event.content)

    task = asyncio.ensure_future(read())
    await first.waiting.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    final = await stream.get_final_response()
    assert seen == ["a"] and [m.content for m in final.messages] == ["a", "b"]
    await client.close()


# --- dropped streams return their connection ---------------------------------------------------

FRAMES = [sse_frame(message("assistant_message", 1, content=f"w{i} ")) for i in range(20)]
FRAMES += [sse_frame(stop()), sse_frame("[DONE]")]
LIMITS = httpx.Limits(max_connections=1, max_keepalive_connections=1)
TIMEOUT = httpx.Timeout(5.0, pool=2.0)  # a leaked connection shows as a PoolTimeout
MESSAGES: Any = [{"role": "user", "content": "hi"}]


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(lambda request: Reply(frames=FRAMES)) as server:
        yield server


def test_dropped_unread_sync_streams_return_their_connection(server: LoopbackServer) -> None:
    http = httpx.Client(limits=LIMITS, timeout=TIMEOUT)
    client = Letta(base_url=server.base_url, api_key="k", max_retries=0, http_client=http)
    for _ in range(200):
        client.agents.messages.send(AGENT_ID, messages=MESSAGES, streaming=True)  # never read
    assert len(server.requests) == 200 and server.wait_idle()
    client.close()


@pytest.mark.real_sockets
async def test_dropped_unread_async_streams_return_their_connection(server: LoopbackServer) -> None:
    http = async_http_client(limits=LIMITS, timeout=TIMEOUT)
    client = AsyncLetta(base_url=server.base_url, api_key="k", max_retries=0, http_client=http)
    for _ in range(200):
        await client.agents.messages.send(AGENT_ID, messages=MESSAGES, streaming=True)  # never read
    assert len(server.requests) == 200
    await client.close()
    await http.aclose()


def test_an_async_stream_dropped_after_its_loop_warns() -> None:
    async def open_stream() -> Any:
        client = async_client(body_handler(sse(HELLO, stop(), "[DONE]")))
        return await client.agents.messages.send(AGENT_ID, input="hi", streaming=True)

    stream = asyncio.run(open_stream())
    with pytest.warns(ResourceWarning, match="dropped without being read"):
        del stream
        gc.collect()


# --- a JSON answer to a streaming call, and JSON arrays ----------------------------------------


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def read_all(mode: str, handler: Callable[[httpx.Request], httpx.Response]) -> Any:
    """(events, error, stream) of one streaming send answered by ``handler``."""
    events: List[Any] = []
    if mode == "sync":
        stream: Any = sync_client(handler).agents.messages.send(AGENT_ID, input="hi", streaming=True)
        try:
            events.extend(stream)
        except Exception as error:
            return events, error, stream
    else:
        stream = await async_client(handler).agents.messages.send(AGENT_ID, input="hi", streaming=True)
        try:
            async for event in stream:
                events.append(event)
        except Exception as error:
            return events, error, stream
    return events, None, stream


async def test_a_json_turn_answering_a_streaming_call_is_delivered(
    mode: str, fixture: Callable[[str], Dict[str, Any]]
) -> None:
    turn = fixture("a_nonstream")["body_json"]
    events, error, stream = await read_all(mode, lambda request: httpx.Response(200, json=turn))
    assert error is None and stream.finished
    assert [e.message_type for e in events] == [m["message_type"] for m in turn["messages"]] + [
        "stop_reason",
        "usage_statistics",
    ]
    assert events[0].id == turn["messages"][0]["id"] and stream.usage.total_tokens == turn["usage"]["total_tokens"]
    assert stream.stop_reason.stop_reason == "end_turn" and stream.response.is_closed


@pytest.mark.parametrize("body", [{"hello": "world"}, [1, 2], "text"], ids=["object", "array", "string"])
async def test_json_that_is_not_a_turn_is_a_precise_error(mode: str, body: Any) -> None:
    events, error, _ = await read_all(mode, lambda request: httpx.Response(200, json=body))
    assert events == [] and isinstance(error, APIResponseValidationError)
    assert "application/json" in str(error) and error.raw is not None and json.loads(error.raw) == body


async def test_a_data_json_array_is_an_error_not_skipped(mode: str) -> None:
    events, error, _ = await read_all(mode, body_handler(sse(HELLO, "[1, 2]", stop(), "[DONE]")))
    assert [e.content for e in events] == ["Hello"]
    assert isinstance(error, APIResponseValidationError) and error.raw == "[1, 2]"


# --- never lose the answer -----------------------------------------------------------------------


def texts(response: Optional[LettaResponse]) -> List[str]:
    assert response is not None
    return [m.text for m in response.messages if isinstance(m, AssistantMessage)]


async def test_an_error_frame_carries_the_partial_response(mode: str) -> None:
    error_frame = frame(
        {"message_type": "error_message", "run_id": RUN_ID, "error_type": "llm_error", "message": "x", "seq_id": None},
        event="error",
    )
    body = sse(HELLO, WORLD, stop("llm_api_error"), USAGE, error_frame)
    _, error, _ = await read_all(mode, body_handler(body))
    assert isinstance(error, LettaStreamError) and error.run_id == RUN_ID and error.last_seq_id is None
    assert texts(error.partial_response) == ["Hello", "World"]
    assert error.partial_response is not None and error.partial_response.stop_reason.stop_reason == "llm_api_error"
    assert error.partial_response.usage.prompt_tokens == 5


async def test_a_broken_or_incomplete_stream_carries_the_partial_response(mode: str) -> None:
    deltas = [message("assistant_message", 1, content=part, seq_id=None) for part in ("Hel", "lo")]
    _, error, _ = await read_all(mode, body_handler(ChunkStream([sse(*deltas)], httpx.ReadError("reset"))))
    assert isinstance(error, APIConnectionError) and texts(error.partial_response) == ["Hello"]  # merged
    assert error.partial_response is not None and error.partial_response.stop_reason.stop_reason == "incomplete"
    _, error, _ = await read_all(mode, body_handler(sse(ping(seq_id=4), HELLO)))
    assert isinstance(error, IncompleteStreamError) and texts(error.partial_response) == ["Hello"]
    assert error.last_seq_id == 4 and error.run_id == RUN_ID


RUN = "run-63b0e75b-89df-419d-87e6-d7a39f8da124"


class Runs:
    """``client.runs`` of either client behind awaitable calls."""

    def __init__(self, client: Any) -> None:
        self.client = client

    async def __call__(self, name: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.client.runs, name)(*args, **kwargs)
        return await result if isinstance(self.client, AsyncLetta) else result


@pytest.fixture
def runs(mode: str, make_client: Callable[..., Letta], make_async_client: Callable[..., AsyncLetta]) -> Runs:
    return Runs(make_client(api_key="k") if mode == "sync" else make_async_client(api_key="k"))


def mock_finished_run(mock_api: respx.MockRouter, fixture_response: Callable[[str], httpx.Response]) -> None:
    mock_api.get(f"/v1/runs/{RUN}/messages").mock(
        side_effect=[fixture_response("g_run_messages"), httpx.Response(200, json=[])]
    )
    mock_api.get(f"/v1/runs/{RUN}/usage").mock(return_value=fixture_response("g_run_usage"))


async def test_runs_response_rebuilds_the_answer_of_a_finished_run(
    runs: Runs, mock_api: respx.MockRouter, fixture_response: Callable[[str], httpx.Response]
) -> None:
    mock_finished_run(mock_api, fixture_response)
    mock_api.get(f"/v1/runs/{RUN}").mock(return_value=fixture_response("g_poll_run_last"))
    response = await runs("response", RUN)
    assert isinstance(response, LettaResponse)
    assert [m.message_type for m in response.messages] == ["assistant_message"]  # the input is left out
    assert response.stop_reason.stop_reason == "end_turn" and response.usage.total_tokens == 727


async def test_runs_wait_can_return_the_response(
    runs: Runs, mock_api: respx.MockRouter, sleeps: List[float], fixture_response: Callable[[str], httpx.Response]
) -> None:
    mock_finished_run(mock_api, fixture_response)
    mock_api.get(f"/v1/runs/{RUN}").mock(
        side_effect=[fixture_response("g_poll_run_first"), fixture_response("g_poll_run_last")]
    )
    response = await runs("wait", RUN, response=True)
    assert isinstance(response, LettaResponse) and response.text and len(sleeps) == 1


async def test_runs_response_of_a_running_run_is_an_error(
    runs: Runs, mock_api: respx.MockRouter, fixture_response: Callable[[str], httpx.Response]
) -> None:
    mock_api.get(f"/v1/runs/{RUN}").mock(return_value=fixture_response("g_poll_run_first"))
    with pytest.raises(LettaError, match="still 'created'"):
        await runs("response", RUN)
