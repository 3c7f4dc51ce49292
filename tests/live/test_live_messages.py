"""The SDK against a real Letta server and the scripted model (see fake_llm.py for the triggers)."""

from __future__ import annotations

import httpx
import pytest

from letta_client import (
    APIStatusError,
    AsyncLetta,
    ConflictError,
    Letta,
    LettaStreamError,
    NotFoundError,
    UnprocessableEntityError,
)

WEATHER_TOOL = {
    "name": "client_get_weather",
    "description": "Get the weather for a location (executed by the client).",
    "parameters": {
        "type": "object",
        "properties": {"location": {"type": "string", "description": "City name"}},
        "required": ["location"],
    },
}
UNKNOWN_AGENT = "agent-00000000-0000-4000-8000-000000000000"


@pytest.fixture
def client(live_url):
    c = Letta(base_url=live_url, timeout=120)
    yield c
    c.close()


def llm_requests(llm_url, marker: str) -> int | None:
    if not llm_url:
        return None
    return httpx.get(f"{llm_url}/_stats", params={"contains": marker}, trust_env=False).json()["matching"]


def types_of(messages) -> list[str]:
    return [m.message_type for m in messages]


def test_send_messages(client, agent_id):
    resp = client.agents.messages.send(agent_id, messages=[{"role": "user", "content": "hi there"}])
    assert types_of(resp.messages) == ["assistant_message"]
    assert resp.messages[0].content == "Echo: hi there"
    assert resp.text == "Echo: hi there"
    assert resp.stop_reason.stop_reason == "end_turn"
    assert resp.usage.total_tokens > 0
    assert resp.usage.step_count == 1


def test_send_input_with_reasoning(client, agent_id):
    resp = client.agents.messages.send(agent_id, input="[think] why")
    assert types_of(resp.messages) == ["reasoning_message", "assistant_message"]
    assert resp.messages[0].reasoning == "Thinking about: why"
    assert resp.messages[1].content == "Echo: why"


def test_step_stream(client, agent_id):
    stream = client.agents.messages.send(agent_id, input="[think] streamed", streaming=True)
    events = list(stream)
    assert types_of(events) == ["ping", "reasoning_message", "assistant_message", "stop_reason", "usage_statistics"]
    assert stream.run_id and stream.run_id.startswith("run-")
    assert stream.stop_reason is not None and stream.stop_reason.stop_reason == "end_turn"
    final = stream.get_final_response()
    assert final.text == "Echo: streamed"


def test_token_stream_text_and_final_response(client, agent_id):
    stream = client.agents.messages.send(
        agent_id, input="[chunks=6] token by token", streaming=True, stream_tokens=True
    )
    pieces = list(stream.text_stream)
    assert len(pieces) == 6
    assert "".join(pieces) == "Echo: token by token"
    final = stream.get_final_response()
    assert final.text == "Echo: token by token"
    assert final.stop_reason.stop_reason == "end_turn"


def test_unknown_agent_is_not_found(client):
    with pytest.raises(NotFoundError) as info:
        client.agents.messages.send(UNKNOWN_AGENT, input="hello?")
    assert info.value.status_code == 404


def test_empty_messages_is_unprocessable(client, agent_id):
    with pytest.raises(UnprocessableEntityError) as info:
        client.agents.messages.send(agent_id, messages=[])
    assert info.value.status_code == 422


def test_model_failure_is_not_replayed_by_the_sdk(client, agent_id, llm_url, unique):
    with pytest.raises(APIStatusError) as info:
        client.agents.messages.send(agent_id, input=f"[fail] {unique}")
    assert info.value.status_code == 500
    assert info.value.error_type == "llm_error"
    # Letta's own client tries the model 3 times; the SDK must not resend the turn on top of that
    assert llm_requests(llm_url, unique) in (None, 3)


def test_model_failure_while_streaming(client, agent_id):
    stream = client.agents.messages.send(agent_id, input="[fail] in a stream", streaming=True)
    with pytest.raises(LettaStreamError) as info:
        stream.until_done()
    assert info.value.stop_reason is not None
    assert info.value.stop_reason.stop_reason == "llm_api_error"


def test_client_tool_approval_conflict_and_return(client, agent_id):
    resp = client.agents.messages.send(
        agent_id, input='[tool:client_get_weather {"location":"Oslo"}] weather?', client_tools=[WEATHER_TOOL]
    )
    assert resp.stop_reason.stop_reason == "requires_approval"
    request = resp.messages[-1]
    assert request.message_type == "approval_request_message"
    call = request.tool_calls[0]
    assert call.name == "client_get_weather"

    with pytest.raises(ConflictError) as info:
        client.agents.messages.send(agent_id, input="not now")
    assert info.value.status_code == 409
    assert info.value.code == "PENDING_APPROVAL"
    assert info.value.pending_request_id == request.id

    stream = client.agents.messages.send(
        agent_id,
        messages=[
            {
                "type": "tool_return",
                "tool_returns": [
                    {"type": "tool", "tool_call_id": call.tool_call_id, "tool_return": "Snow, -3C", "status": "success"}
                ],
            }
        ],
        client_tools=[WEATHER_TOOL],
        streaming=True,
    )
    final = stream.get_final_response()
    assert final.stop_reason.stop_reason == "end_turn"
    assert final.text == "Tool said: Snow, -3C"


@pytest.mark.real_sockets
async def test_async_send_and_stream(live_url, agent_id):
    async with AsyncLetta(base_url=live_url, timeout=120) as client:
        resp = await client.agents.messages.send(agent_id, input="async hello")
        assert resp.text == "Echo: async hello"
        stream = await client.agents.messages.send(
            agent_id, input="[chunks=3] async stream", streaming=True, stream_tokens=True
        )
        pieces = [event.content async for event in stream if event.message_type == "assistant_message"]
        assert "".join(pieces) == "Echo: async stream"
        assert len(pieces) == 3
