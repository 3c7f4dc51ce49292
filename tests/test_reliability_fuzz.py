"""Fuzzing: whatever bytes a server sends, only documented exceptions (``LettaError``) escape.

Covers the SSE decoder, ``decode_event`` and whole streams (sync and async, MockTransport):
invalid UTF-8, huge lines, deeply nested JSON, wrong types in known fields.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _stream_helpers import AGENT_ID, ChunkStream, async_client, body_handler, message, sync_client
from letta_client import LettaError
from letta_client._decode import decode_event
from letta_client._exceptions import APIResponseValidationError
from letta_client._sse import SSEDecoder

MESSAGES: Any = [{"role": "user", "content": "hi"}]
KINDS = [
    "assistant_message",
    "reasoning_message",
    "hidden_reasoning_message",
    "tool_call_message",
    "tool_return_message",
    "approval_request_message",
    "approval_response_message",
    "user_message",
    "system_message",
    "ping",
    "stop_reason",
    "usage_statistics",
    "error_message",
    "event_message",
    "summary_message",
    "mystery",
]
FIELDS = [
    "content",
    "reasoning",
    "tool_call",
    "tool_calls",
    "tool_return",
    "status",
    "stop_reason",
    "seq_id",
    "run_id",
    "otid",
    "id",
    "date",
    "message_type",
    "error_type",
    "message",
    "completion_tokens",
    "signature",
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@st.composite
def hostile_payloads(draw: Any) -> str:
    """JSON objects that name a known type but carry wrong types, or malformed text."""
    choice = draw(st.integers(0, 4))
    if choice == 0:
        payload: Dict[str, Any] = message(draw(st.sampled_from(KINDS)))
        for field in draw(st.lists(st.sampled_from(FIELDS), max_size=4)):
            payload[field] = draw(json_values)
        return json.dumps(payload)
    if choice == 1:
        depth = draw(st.integers(100, 20_000))
        return '{"message_type":"assistant_message","content":' + "[" * depth + "]" * depth + "}"
    if choice == 2:
        return '{"message_type":"' + draw(st.sampled_from(KINDS)) + '"' + draw(st.text(max_size=30))
    if choice == 3:
        return draw(st.text(max_size=60))
    return json.dumps(draw(json_values))


def split(body: bytes, size: int) -> List[bytes]:
    return [body[i : i + size] for i in range(0, len(body), size)]


def frames_from(payloads: List[str]) -> bytes:
    return b"".join(b"data: " + p.encode("utf-8", "surrogatepass") + b"\n\n" for p in payloads)


@settings(deadline=None)
@given(st.lists(st.binary(max_size=200), max_size=20))
def test_sse_decoder_never_raises(chunks: List[bytes]) -> None:
    decoder = SSEDecoder()
    events = [event for chunk in chunks for event in decoder.feed(chunk)] + decoder.flush()
    assert all(isinstance(name, str) and isinstance(data, bytes) for name, data in events)


def test_sse_decoder_handles_a_huge_line() -> None:
    decoder = SSEDecoder()
    line = b"data: " + b"x" * 5_000_000
    events = [e for i in range(0, len(line), 65536) for e in decoder.feed(line[i : i + 65536])]
    events += decoder.feed(b"\n\n")
    assert events == [("message", b"x" * 5_000_000)]


@settings(deadline=None, max_examples=300)
@given(hostile_payloads())
def test_decode_event_raises_only_validation_errors(data: str) -> None:
    raw = data.encode("utf-8", "surrogatepass")
    try:
        event = decode_event(raw)
    except APIResponseValidationError as error:
        assert error.raw == raw.decode("utf-8", "replace")
    else:
        assert isinstance(event.message_type, str)


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(hostile_payloads(), max_size=6),
    st.binary(max_size=100),
    st.integers(1, 64),
)
def test_a_whole_stream_raises_only_letta_errors(payloads: List[str], garbage: bytes, read_size: int) -> None:
    body = frames_from(payloads) + garbage
    client = sync_client(body_handler(split(body, read_size)))
    try:
        with client.agents.messages.send(AGENT_ID, messages=MESSAGES, streaming=True, yield_pings=True) as stream:
            events = list(stream)
            final = stream.get_final_response()
        assert len(final.messages) <= len(events)
    except LettaError as error:
        assert str(error)


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(hostile_payloads(), max_size=6), st.binary(max_size=60))
async def test_an_async_stream_raises_only_letta_errors(payloads: List[str], garbage: bytes) -> None:
    client = async_client(body_handler(ChunkStream(split(frames_from(payloads) + garbage, 7))))
    try:
        stream = await client.agents.messages.send(AGENT_ID, messages=MESSAGES, streaming=True)
        async for _ in stream:
            pass
    except LettaError as error:
        assert str(error)


@settings(deadline=None, max_examples=80)
@given(st.binary(max_size=300), st.sampled_from([200, 400, 422, 500]))
def test_non_streaming_send_with_an_arbitrary_body_raises_only_letta_errors(body: bytes, status: int) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers={"content-type": "application/json"}, content=body)

    client = sync_client(handler)
    try:
        response = client.agents.messages.send(AGENT_ID, messages=MESSAGES)
    except LettaError as error:
        assert str(error)
    else:
        assert status == 200 and isinstance(response.messages, list)
