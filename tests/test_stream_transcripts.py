"""Every recorded SSE body decodes through the client, event for event, back to its wire JSON."""

from __future__ import annotations

import json
from typing import Any, List

import pytest

from _stream_helpers import (
    AGENT_ID,
    SSE_FIXTURES,
    async_client,
    body_handler,
    dumped,
    fixture_body,
    sync_client,
    wire_payloads,
)
from letta_client import IncompleteStreamError, LettaStreamError
from letta_client._decode import decode_event
from letta_client._sse import SSEDecoder
from letta_client.types.messages import UnknownMessage

ERROR_FIXTURE = "i_fail_llm_step_stream.sse"
PARTIAL_FIXTURE = "f_background_stream_partial.sse"  # recorded from a client that disconnected on purpose
SUCCESS_FIXTURES = [name for name in SSE_FIXTURES if name not in (ERROR_FIXTURE, PARTIAL_FIXTURE)]


def test_every_fixture_is_covered() -> None:
    assert len(SUCCESS_FIXTURES) >= 10
    assert all((name in SSE_FIXTURES) for name in (ERROR_FIXTURE, PARTIAL_FIXTURE))


@pytest.mark.parametrize("name", SSE_FIXTURES)
def test_direct_decode_round_trips(name: str) -> None:
    body = fixture_body(name)
    decoder = SSEDecoder()
    frames = decoder.feed(body) + decoder.flush()
    events = [decode_event(data) for _, data in frames if not data.startswith(b"[")]
    assert not [e for e in events if isinstance(e, UnknownMessage)]
    assert [dumped(e) for e in events] == wire_payloads(body)
    assert all(e.message_type == payload["message_type"] for e, payload in zip(events, wire_payloads(body)))


@pytest.mark.parametrize("name", SUCCESS_FIXTURES)
def test_send_streams_every_event(name: str) -> None:
    body = fixture_body(name)
    requests: List[Any] = []
    client = sync_client(body_handler(body, requests))
    stream = client.agents.messages.send(AGENT_ID, input="hi", streaming=True, yield_pings=True)
    events = list(stream)
    assert not [e for e in events if isinstance(e, UnknownMessage)]
    assert [dumped(e) for e in events] == wire_payloads(body)
    assert stream.finished
    assert stream.response.is_closed
    assert stream.run_id is not None and stream.run_id.startswith("run-")
    assert stream.stop_reason is not None
    assert stream.stop_reason.stop_reason == wire_payloads(body)[-2]["stop_reason"]
    assert stream.usage is not None and dumped(stream.usage) == wire_payloads(body)[-1]
    sent = json.loads(requests[0].content)
    assert sent["streaming"] is True and requests[0].headers["accept"] == "text/event-stream"


@pytest.mark.parametrize("name", SUCCESS_FIXTURES)
async def test_async_send_streams_every_event(name: str) -> None:
    body = fixture_body(name)
    client = async_client(body_handler(body))
    stream = await client.agents.messages.send(AGENT_ID, input="hi", streaming=True, yield_pings=True)
    events = [event async for event in stream]
    assert [dumped(e) for e in events] == wire_payloads(body)
    assert stream.finished and stream.response.is_closed


def test_error_fixture_raises_after_ping_and_stop_reason() -> None:
    body = fixture_body(ERROR_FIXTURE)
    client = sync_client(body_handler(body))
    stream = client.agents.messages.send(AGENT_ID, input="hi", streaming=True, yield_pings=True)
    seen: List[Any] = []
    with pytest.raises(LettaStreamError) as caught:
        for event in stream:
            seen.append(event)
    payloads = wire_payloads(body)
    assert [dumped(e) for e in seen] == payloads[:2]
    assert [e.message_type for e in seen] == ["ping", "stop_reason"]
    error = caught.value
    assert error.error_type == "llm_error"
    assert error.run_id == payloads[2]["run_id"] == seen[0].run_id
    assert error.stop_reason is not None and error.stop_reason.stop_reason == "llm_api_error"
    assert error.detail == payloads[2]["detail"]
    assert error.error is not None and dumped(error.error) == payloads[2]
    assert "An error occurred with the LLM request." in str(error)
    assert not error.is_pending_approval
    assert stream.response.is_closed


async def test_async_error_fixture_raises_after_ping_and_stop_reason() -> None:
    client = async_client(body_handler(fixture_body(ERROR_FIXTURE)))
    stream = await client.agents.messages.send(AGENT_ID, input="hi", streaming=True)
    seen: List[Any] = []
    with pytest.raises(LettaStreamError) as caught:
        async for event in stream:
            seen.append(event)
    assert [e.message_type for e in seen] == ["ping", "stop_reason"]  # pings are yielded, as the official SDK does
    assert caught.value.error_type == "llm_error" and caught.value.run_id == stream.run_id


def test_partial_background_fixture_delivers_everything_then_reports_incomplete() -> None:
    body = fixture_body(PARTIAL_FIXTURE)
    client = sync_client(body_handler(body))
    stream = client.agents.messages.send(AGENT_ID, input="hi", streaming=True, yield_pings=True)
    seen: List[Any] = []
    with pytest.raises(IncompleteStreamError) as caught:
        for event in stream:
            seen.append(event)
    payloads = wire_payloads(body)
    assert [dumped(e) for e in seen] == payloads
    assert caught.value.run_id == payloads[-1]["run_id"]
    assert caught.value.last_seq_id == payloads[-1]["seq_id"] == 6
    assert payloads[-1]["run_id"] in str(caught.value)
