"""How a stream ends (normally, cancelled, with an error, broken off) and how it is closed.

Every scenario runs through ``client.agents.messages.send(..., streaming=True)`` over
httpx.MockTransport, synchronously and asynchronously (``mode``)."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Tuple, Union

import httpx
import pytest

from _stream_helpers import (
    AGENT_ID,
    RUN_ID,
    USAGE,
    ChunkStream,
    async_client,
    body_handler,
    dumped,
    fixture_body,
    frame,
    message,
    ping,
    sse,
    stop,
    sync_client,
    wire_payloads,
)
from letta_client import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    IncompleteStreamError,
    LettaError,
    LettaStreamError,
)
from letta_client.types.messages import AssistantMessage, LettaPing, LettaStopReason, UnknownMessage

Body = Union[bytes, List[bytes], ChunkStream]
Outcome = Tuple[List[Any], Optional[BaseException], Any]

HELLO = message("assistant_message", 1, content="Hello")
THOUGHT = message("reasoning_message", 2, reasoning="thinking", source="reasoner_model", signature=None)
PENDING_MESSAGE = (
    "CONFLICT: Cannot send a new message: The agent is waiting for approval on a tool call. "
    "Please approve or deny the tool call before sending a new message."
)


def error_message(error_type: str, text: str, detail: Optional[str] = None) -> Dict[str, Any]:
    return {
        "message_type": "error_message",
        "run_id": RUN_ID,
        "error_type": error_type,
        "message": text,
        "detail": detail,
        "seq_id": None,
    }


async def consume(mode: str, body: Body, *, yield_pings: bool = False) -> Outcome:
    """Iterate a stream to its end; return what was yielded, what was raised, and the stream."""
    events: List[Any] = []
    if mode == "sync":
        stream: Any = sync_client(body_handler(body)).agents.messages.send(
            AGENT_ID, input="hi", streaming=True, yield_pings=yield_pings
        )
        try:
            for event in stream:
                events.append(event)
        except Exception as error:
            return events, error, stream
    else:
        stream = await async_client(body_handler(body)).agents.messages.send(
            AGENT_ID, input="hi", streaming=True, yield_pings=yield_pings
        )
        try:
            async for event in stream:
                events.append(event)
        except Exception as error:
            return events, error, stream
    return events, None, stream


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# --- normal ends ----------------------------------------------------------------------------


async def test_done_ends_the_stream(mode: str) -> None:
    events, error, stream = await consume(mode, sse(ping(), HELLO, stop(), USAGE, "[DONE]", HELLO))
    assert error is None
    assert [dumped(e) for e in events] == [HELLO, stop(), USAGE]  # nothing after [DONE]
    assert stream.finished and not stream.cancelled and stream.response.is_closed
    assert stream.usage.completion_tokens == 3


async def test_stop_reason_then_eof_without_done_is_a_normal_end(mode: str) -> None:
    events, error, stream = await consume(mode, sse(HELLO, stop("max_steps")))
    assert error is None
    assert [e.message_type for e in events] == ["assistant_message", "stop_reason"]
    assert stream.stop_reason.stop_reason == "max_steps" and stream.finished and stream.response.is_closed


async def test_event_cancelled_ends_the_stream_as_cancelled(mode: str) -> None:
    body = sse(ping(), HELLO, frame({"message": "Run was cancelled"}, event="cancelled"))
    events, error, stream = await consume(mode, body)
    assert error is None
    assert [dumped(e) for e in events] == [HELLO]
    assert stream.cancelled and stream.finished
    assert stream.stop_reason.stop_reason == "cancelled"
    assert stream.response.is_closed


async def test_spaced_cancelled_stop_reason_then_eof(mode: str) -> None:
    body = sse(HELLO, json.dumps({"message_type": "stop_reason", "stop_reason": "cancelled"}))
    assert b'"message_type": "stop_reason"' in body
    events, error, stream = await consume(mode, body)
    assert error is None
    assert isinstance(events[-1], LettaStopReason) and events[-1].stop_reason == "cancelled"
    assert stream.cancelled and stream.finished and stream.response.is_closed


async def test_unknown_stop_reason_value_is_kept(mode: str) -> None:
    events, error, stream = await consume(mode, sse(HELLO, stop("brand_new_reason"), "[DONE]"))
    assert error is None
    assert events[-1].stop_reason == "brand_new_reason"
    assert stream.stop_reason.stop_reason == "brand_new_reason" and not stream.cancelled


async def test_unknown_message_type_is_kept_whole(mode: str) -> None:
    novel = {"message_type": "hologram_message", "id": "message-x", "beam": {"color": "blue"}, "run_id": RUN_ID}
    events, error, _ = await consume(mode, sse(novel, HELLO, stop(), "[DONE]"))
    assert error is None
    assert isinstance(events[0], UnknownMessage)
    assert events[0].message_type == "hologram_message"
    assert dumped(events[0]) == novel and events[0].model_extra["beam"] == {"color": "blue"}
    assert isinstance(events[1], AssistantMessage)


async def test_old_server_markers_and_comments_are_skipped(mode: str) -> None:
    body = sse(b": hello\n\n", HELLO, "[DONE_GEN]", b": x\ndata: [DONE_STEP]\n\n", stop(), "[DONE]")
    events, error, _ = await consume(mode, body)
    assert error is None
    assert [dumped(e) for e in events] == [HELLO, stop()]


async def test_pings_hidden_by_default_but_tracked(mode: str) -> None:
    body = sse(ping(seq_id=1), message("assistant_message", 1, content="a", seq_id=2), ping(seq_id=3), stop(), "[DONE]")
    events, error, stream = await consume(mode, body)
    assert error is None
    assert [e.message_type for e in events] == ["assistant_message", "stop_reason"]
    assert stream.run_id == RUN_ID and stream.last_seq_id == 3


async def test_pings_yielded_on_request(mode: str) -> None:
    body = sse(ping(seq_id=1), HELLO, ping(seq_id=5), stop(), "[DONE]")
    events, error, stream = await consume(mode, body, yield_pings=True)
    assert error is None
    assert [type(e) for e in events] == [LettaPing, AssistantMessage, LettaPing, LettaStopReason]
    assert events[2].seq_id == 5 and stream.last_seq_id == 5 and stream.run_id == RUN_ID


async def test_run_id_from_first_message_when_pings_are_off(mode: str) -> None:
    _, _, stream = await consume(mode, sse(HELLO, stop(), "[DONE]"))
    assert stream.run_id == RUN_ID and stream.last_seq_id is None


# --- errors inside the stream (spec 3.5) ------------------------------------------------------


@pytest.mark.parametrize("done_after", [True, False], ids=["with-DONE", "EOF"])
async def test_error_message_after_stop_reason(mode: str, done_after: bool) -> None:
    error_frame = frame(error_message("llm_rate_limit", "Rate limit exceeded.", "429 from provider"), event="error")
    body = sse(ping(), THOUGHT, stop("llm_api_error"), error_frame, *(["[DONE]"] if done_after else []))
    events, error, stream = await consume(mode, body)
    assert [dumped(e) for e in events] == [THOUGHT, stop("llm_api_error")]
    assert isinstance(error, LettaStreamError)
    assert error.error_type == "llm_rate_limit"
    assert error.message == "llm_rate_limit: Rate limit exceeded. (429 from provider)"
    assert error.detail == "429 from provider"
    assert error.run_id == RUN_ID
    assert error.stop_reason is not None and error.stop_reason.stop_reason == "llm_api_error"
    assert error.error is not None and error.error.message == "Rate limit exceeded."
    assert not error.is_pending_approval
    assert stream.response.is_closed


async def test_mid_stream_internal_error_then_eof(mode: str) -> None:
    error_frame = frame(error_message("internal_error", "An error occurred during agent execution."), event="error")
    events, error, _ = await consume(mode, sse(ping(), HELLO, stop("error"), error_frame))
    assert [dumped(e) for e in events] == [HELLO, stop("error")]
    assert isinstance(error, LettaStreamError)
    assert error.error_type == "internal_error" and error.detail is None
    assert error.stop_reason is not None and error.stop_reason.stop_reason == "error"


async def test_generic_wrapper_error(mode: str) -> None:
    wrapper = frame({"error": "Task group is closed", "code": "INTERNAL_SERVER_ERROR"}, event="error")
    events, error, stream = await consume(mode, sse(ping(), HELLO, wrapper))
    assert [dumped(e) for e in events] == [HELLO]
    assert isinstance(error, LettaStreamError)
    assert error.error_type == "INTERNAL_SERVER_ERROR" and error.code == "INTERNAL_SERVER_ERROR"
    assert "Task group is closed" in error.message
    assert error.run_id == RUN_ID and error.stop_reason is None and error.error is None
    assert error.body == {"error": "Task group is closed", "code": "INTERNAL_SERVER_ERROR"}
    assert stream.response.is_closed


async def test_old_server_error_without_message_type(mode: str) -> None:
    events, error, _ = await consume(mode, sse(HELLO, {"error": "stream decoder encountered an error"}, "[DONE]"))
    assert [dumped(e) for e in events] == [HELLO]
    assert isinstance(error, LettaStreamError)
    assert error.message == "stream decoder encountered an error"
    assert error.run_id == RUN_ID


async def test_pending_approval_error(mode: str) -> None:
    error_frame = frame(error_message("internal_error", PENDING_MESSAGE, PENDING_MESSAGE), event="error")
    events, error, _ = await consume(mode, sse(ping(), stop("error"), error_frame, "[DONE]"))
    assert [e.message_type for e in events] == ["stop_reason"]
    assert isinstance(error, LettaStreamError)
    assert error.is_pending_approval
    assert error.error_type == "internal_error" and error.detail == PENDING_MESSAGE
    assert error.run_id == RUN_ID and error.stop_reason is not None and error.stop_reason.stop_reason == "error"


@pytest.mark.parametrize(
    "data",
    ["{not json", '{"message_type":"assistant_message","id":"m"}', "42", '"text"', "null"],
    ids=["invalid-json", "missing-fields", "number", "string", "null"],
)
async def test_invalid_data_raises_validation_error_with_raw(mode: str, data: str) -> None:
    events, error, stream = await consume(mode, sse(HELLO, b"data: " + data.encode() + b"\n\n", stop()))
    assert [dumped(e) for e in events] == [HELLO]
    assert isinstance(error, APIResponseValidationError)
    assert error.raw == data
    assert error.request is not None
    assert stream.response.is_closed


# --- broken connections -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (httpx.ReadError("connection reset"), APIConnectionError),
        (httpx.RemoteProtocolError("peer closed connection without sending complete message body"), APIConnectionError),
        (httpx.ReadTimeout("timed out"), APITimeoutError),
    ],
    ids=["ReadError", "RemoteProtocolError", "ReadTimeout"],
)
async def test_disconnect_mid_stream(mode: str, raised: Exception, expected: type) -> None:
    raised = type(raised)(str(raised))  # a fresh one: not named after the other mode's request
    body = ChunkStream([sse(ping(seq_id=1)), sse(message("assistant_message", 1, content="par", seq_id=2))], raised)
    events, error, stream = await consume(mode, body)
    assert [e.content for e in events] == ["par"]
    assert type(error) is expected
    assert not isinstance(error, httpx.HTTPError)
    assert error.run_id == RUN_ID and error.last_seq_id == 2
    assert RUN_ID in str(error)
    assert error.__cause__ is raised
    assert raised.request is stream.response.request  # as httpx's own readers set it
    assert stream.response.is_closed


async def test_disconnect_after_stop_reason_is_a_normal_end(mode: str) -> None:
    events, error, stream = await consume(mode, ChunkStream([sse(HELLO, stop())], httpx.ReadError("reset")))
    assert error is None and stream.finished
    assert [e.message_type for e in events] == ["assistant_message", "stop_reason"]


async def test_truncated_stream_is_incomplete(mode: str) -> None:
    events, error, stream = await consume(mode, sse(ping(seq_id=4), HELLO) + b'data: {"message_ty')
    assert [dumped(e) for e in events] == [HELLO]
    assert isinstance(error, IncompleteStreamError)
    assert error.run_id == RUN_ID and RUN_ID in str(error) and error.last_seq_id == 4
    assert not stream.finished and stream.response.is_closed


async def test_empty_body_is_incomplete(mode: str) -> None:
    events, error, _ = await consume(mode, b"")
    assert events == [] and isinstance(error, IncompleteStreamError) and error.run_id is None


# --- closing ----------------------------------------------------------------------------------


def test_break_leaves_the_stream_open_and_the_next_loop_goes_on() -> None:
    """As with the official SDK: leaving a loop (or ``next(iter(stream))``) neither closes the stream
    nor loses an event; the next loop goes on from the next event, and the end closes it."""
    body = ChunkStream([sse(HELLO), sse(THOUGHT, stop(), "[DONE]")])
    stream = sync_client(body_handler(body)).agents.messages.send(AGENT_ID, input="hi", streaming=True)
    for event in stream:
        assert isinstance(event, AssistantMessage)
        break
    assert not stream.response.is_closed
    first_of_the_rest = next(iter(stream))  # a temporary iterator, dropped at once
    assert dumped(first_of_the_rest) == THOUGHT
    assert [event.message_type for event in stream] == ["stop_reason"]
    assert stream.response.is_closed and body.closed
    assert stream.get_final_response().stop_reason.stop_reason == "end_turn"


async def test_async_break_leaves_the_stream_open_and_the_next_loop_goes_on() -> None:
    body = ChunkStream([sse(HELLO), sse(THOUGHT, stop(), "[DONE]")])
    stream = await async_client(body_handler(body)).agents.messages.send(AGENT_ID, input="hi", streaming=True)
    async for event in stream:
        assert isinstance(event, AssistantMessage)
        break
    assert [event.message_type async for event in stream] == ["reasoning_message", "stop_reason"]
    assert stream.response.is_closed and body.closed


def test_reading_a_stream_closed_before_its_end_raises() -> None:
    body = ChunkStream([sse(HELLO), sse(THOUGHT, stop(), "[DONE]")])
    stream = sync_client(body_handler(body)).agents.messages.send(AGENT_ID, input="hi", streaming=True)
    assert isinstance(next(stream), AssistantMessage)
    stream.close()
    assert stream.response.is_closed and body.closed and body.served == 1
    with pytest.raises(LettaError, match="closed before it finished"):
        next(stream)
    with pytest.raises(LettaError, match="closed before it finished"):
        stream.get_final_response()


def test_with_stream_closes_the_response() -> None:
    body = ChunkStream([sse(HELLO), sse(stop(), "[DONE]")])
    with sync_client(body_handler(body)).agents.messages.send(AGENT_ID, input="hi", streaming=True) as stream:
        assert isinstance(next(stream), AssistantMessage)
        assert not stream.response.is_closed
    assert stream.response.is_closed and body.closed


async def test_async_with_stream_closes_the_response() -> None:
    body = ChunkStream([sse(HELLO), sse(stop(), "[DONE]")])
    client = async_client(body_handler(body))
    async with await client.agents.messages.send(AGENT_ID, input="hi", streaming=True) as stream:
        assert isinstance(await stream.__anext__(), AssistantMessage)
        assert not stream.response.is_closed
    assert stream.response.is_closed and body.closed


async def test_async_get_final_response_and_text_stream() -> None:
    body = sse(ping(), THOUGHT, HELLO, stop(), USAGE, "[DONE]")
    client = async_client(body_handler(body))
    stream = await client.agents.messages.send(AGENT_ID, input="hi", streaming=True)
    final = await stream.get_final_response()
    assert [dumped(m) for m in final.messages] == [THOUGHT, HELLO]
    assert final.stop_reason.stop_reason == "end_turn" and final.usage.prompt_tokens == 5
    stream = await client.agents.messages.send(AGENT_ID, input="hi", streaming=True)
    assert [text async for text in stream.text_stream] == ["Hello"]
    assert stream.response.is_closed


def test_sync_get_final_response_and_text_stream() -> None:
    client = sync_client(body_handler(sse(ping(), THOUGHT, HELLO, stop(), USAGE, "[DONE]")))
    final = client.agents.messages.send(AGENT_ID, input="hi", streaming=True).get_final_response()
    assert [dumped(m) for m in final.messages] == [THOUGHT, HELLO]
    assert list(client.agents.messages.send(AGENT_ID, input="hi", streaming=True).text_stream) == ["Hello"]


async def test_recorded_bodies_arriving_in_small_chunks(mode: str) -> None:
    body = fixture_body("c_token_stream_long.sse")
    chunks = [body[i : i + 7] for i in range(0, len(body), 7)]
    events, error, stream = await consume(mode, ChunkStream(chunks))
    assert error is None and stream.finished
    assert [dumped(e) for e in events] == [p for p in wire_payloads(body) if p["message_type"] != "ping"]


# --- reading the transport's stream ---------------------------------------------------------


def test_reads_skip_httpx_timing_wrapper_and_closing_still_times_the_response() -> None:
    """The stream reads the transport's byte stream inside httpx's ``BoundSyncStream`` (one
    generator less per read); closing goes through the wrapper, so ``response.elapsed`` is set."""
    from letta_client._streaming import _transport_stream

    stream = sync_client(body_handler(sse(HELLO, stop(), "[DONE]"))).agents.messages.send(
        AGENT_ID, input="hi", streaming=True
    )
    wrapper = stream.response.stream
    assert type(wrapper).__name__ == "BoundSyncStream"
    assert _transport_stream(wrapper) is not wrapper
    assert [type(event) for event in stream] == [AssistantMessage, LettaStopReason]
    assert stream.response.is_closed and stream.response.elapsed.total_seconds() >= 0


async def test_async_reads_skip_httpx_timing_wrapper_and_closing_still_times_the_response() -> None:
    from letta_client._streaming import _transport_stream

    stream = await async_client(body_handler(sse(HELLO, stop(), "[DONE]"))).agents.messages.send(
        AGENT_ID, input="hi", streaming=True
    )
    wrapper = stream.response.stream
    assert type(wrapper).__name__ == "BoundAsyncStream"
    assert _transport_stream(wrapper) is not wrapper
    assert [type(event) async for event in stream] == [AssistantMessage, LettaStopReason]
    assert stream.response.is_closed and stream.response.elapsed.total_seconds() >= 0


def test_any_other_byte_stream_is_read_as_it_is() -> None:
    from letta_client._streaming import _transport_stream

    class Wrapper(httpx.SyncByteStream):  # has a ``_stream`` too, but is not httpx's timing wrapper
        def __init__(self) -> None:
            self._stream = httpx.ByteStream(b"")

    wrapper = Wrapper()
    assert _transport_stream(wrapper) is wrapper
