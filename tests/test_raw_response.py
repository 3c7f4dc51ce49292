"""``with_raw_response`` and ``with_streaming_response``: the official ``APIResponse`` surface,
nothing sent twice, and the body left unread until the caller reads it."""

from __future__ import annotations

import datetime
from typing import Any, Callable, Dict, List

import httpx
import pytest
import respx

from letta_client import APIResponse, APIStatusError, AsyncLetta, Letta, LettaResponse, Stream
from letta_client._response import AsyncAPIResponse

AGENT = "agent-5ba4b586-d7d6-4b37-a667-324e6e61b07a"
PATH = f"/v1/agents/{AGENT}/messages"
OK_BODY: Dict[str, Any] = {"messages": [], "stop_reason": {"stop_reason": "end_turn"}, "usage": {}}


def _ok(**headers: str) -> httpx.Response:
    return httpx.Response(200, json=OK_BODY, headers=headers)


def test_raw_response_has_the_official_attributes(client: Letta, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(PATH).mock(return_value=_ok(**{"X-Request-Id": "req-1"}))
    raw = client.agents.messages.with_raw_response.create(agent_id=AGENT, input="hi")

    assert isinstance(raw, APIResponse)
    assert (raw.status_code, raw.headers["x-request-id"], raw.method) == (200, "req-1", "POST")
    assert raw.url.path == PATH and raw.http_request.url.path == PATH
    assert raw.is_closed  # a non-streaming body is read at once
    assert raw.http_version == "HTTP/1.1"
    assert isinstance(raw.elapsed, datetime.timedelta)
    assert raw.retries_taken == 0
    assert raw.read() == raw.http_response.content
    assert raw.json() == OK_BODY and '"end_turn"' in raw.text()
    assert b"".join(raw.iter_bytes()) == raw.http_response.content
    assert raw.parse(to=dict) == OK_BODY
    parsed = raw.parse()
    assert isinstance(parsed, LettaResponse) and parsed.stop_reason.stop_reason == "end_turn"
    assert raw.parse() is parsed
    assert route.call_count == 1  # parse() builds the result from the same response


def test_raw_response_counts_retries(client: Letta, mock_api: respx.MockRouter, sleeps: List[float]) -> None:
    run = {"id": "run-1", "status": "completed"}
    mock_api.get("/v1/runs/run-1").mock(side_effect=[httpx.Response(503), httpx.Response(200, json=run)])
    raw = client.runs.with_raw_response.retrieve("run-1")
    assert raw.retries_taken == 1 and len(sleeps) == 1
    assert raw.parse().id == "run-1"


def test_raw_response_raises_on_error_status(client: Letta, mock_api: respx.MockRouter) -> None:
    mock_api.post(PATH).mock(return_value=httpx.Response(404, json={"detail": "Agent not found"}))
    with pytest.raises(APIStatusError) as caught:
        client.agents.messages.with_raw_response.create(AGENT, input="hi")
    assert caught.value.status_code == 404


def test_raw_streaming_call_parses_to_a_stream(
    client: Letta, mock_api: respx.MockRouter, fixture_response: Callable[[str], httpx.Response]
) -> None:
    route = mock_api.post(PATH).mock(return_value=fixture_response("b_step_stream"))
    raw = client.agents.messages.with_raw_response.create(AGENT, input="hi", streaming=True)
    assert not raw.is_closed  # the stream is the caller's to read
    stream = raw.parse()
    assert isinstance(stream, Stream)
    with stream:
        kinds = [event.message_type for event in stream]
    assert "assistant_message" in kinds and raw.is_closed
    assert route.call_count == 1
    assert route.calls.last.request.headers["accept"] == "text/event-stream"


def test_streaming_response_leaves_the_body_unread(
    client: Letta, mock_api: respx.MockRouter, fixture_response: Callable[[str], httpx.Response]
) -> None:
    mock_api.post(PATH).mock(return_value=fixture_response("b_step_stream"))
    with client.agents.messages.with_streaming_response.create(agent_id=AGENT, input="hi", streaming=True) as response:
        assert not response.is_closed
        lines = [line for line in response.iter_lines() if line.startswith("data: ")]
    assert lines and response.is_closed


def test_streaming_response_of_a_json_call(client: Letta, mock_api: respx.MockRouter) -> None:
    mock_api.post(PATH).mock(return_value=_ok())
    with client.agents.messages.with_streaming_response.create(AGENT, input="hi") as response:
        assert not response.is_closed
        assert isinstance(response.parse(), LettaResponse)
    assert response.is_closed


def test_raw_list_parses_to_a_page(client: Letta, mock_api: respx.MockRouter) -> None:
    route = mock_api.get(PATH).mock(side_effect=[httpx.Response(200, json=[]), httpx.Response(200, json=[])])
    raw = client.agents.messages.with_raw_response.list(AGENT, limit=5)
    assert raw.json() == [] and list(raw.parse()) == []
    assert route.call_count == 1


async def test_async_raw_response(async_client: AsyncLetta, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(PATH).mock(return_value=_ok())
    raw = await async_client.agents.messages.with_raw_response.create(agent_id=AGENT, input="hi")
    assert isinstance(raw, AsyncAPIResponse) and raw.is_closed and raw.retries_taken == 0
    assert await raw.json() == OK_BODY and await raw.parse(to=dict) == OK_BODY
    assert (await raw.parse()).stop_reason.stop_reason == "end_turn"
    assert route.call_count == 1


async def test_async_streaming_response(
    async_client: AsyncLetta, mock_api: respx.MockRouter, fixture_response: Callable[[str], httpx.Response]
) -> None:
    mock_api.post(PATH).mock(return_value=fixture_response("b_step_stream"))
    async with async_client.agents.messages.with_streaming_response.create(
        agent_id=AGENT, input="hi", streaming=True
    ) as response:
        assert not response.is_closed
        stream = await response.parse()
        kinds = [event.message_type async for event in stream]
    assert "assistant_message" in kinds and response.is_closed


async def test_async_raw_list_parses_to_the_first_page(async_client: AsyncLetta, mock_api: respx.MockRouter) -> None:
    route = mock_api.get(PATH).mock(return_value=httpx.Response(200, json=[]))
    raw = await async_client.agents.messages.with_raw_response.list(AGENT)
    page = await raw.parse()
    assert page.items == [] and route.call_count == 1
