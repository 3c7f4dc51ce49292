"""Token-mode deltas merge into the messages step mode sends whole (get_final_response)."""

from __future__ import annotations

import json
from typing import Any, Dict, List

import pytest

from _stream_helpers import (
    AGENT_ID,
    USAGE,
    async_client,
    body_handler,
    dumped,
    fixture_body,
    message,
    ping,
    sse,
    stop,
    sync_client,
    wire_payloads,
)
from letta_client._accumulate import MessageAccumulator
from letta_client.types.messages import ApprovalRequestMessage, AssistantMessage, ToolCall
from letta_client.types.response import LettaResponse

STEP_FIXTURES = ["b_step_stream.sse", "b_step_stream_think.sse", "d_pings_slow_step.sse", "e_legacy_stream_steps.sse"]
TOKEN_FIXTURES = [
    "c_token_stream.sse",
    "c_token_stream_long.sse",
    "e_legacy_stream_tokens.sse",
    "h_client_tool_return.sse",
]
NOT_MESSAGES = ("ping", "stop_reason", "usage_statistics")


def final_response(body: bytes) -> LettaResponse:
    client = sync_client(body_handler(body))
    return client.agents.messages.send(AGENT_ID, input="hi", streaming=True).get_final_response()


def without_dates(messages: List[Any]) -> List[Dict[str, Any]]:
    return [m.model_dump(mode="json", exclude={"date"}) for m in messages]


@pytest.mark.parametrize("name", TOKEN_FIXTURES)
def test_token_fixture_assistant_text_is_joined(name: str) -> None:
    body = fixture_body(name)
    chunks = [p for p in wire_payloads(body) if p["message_type"] == "assistant_message"]
    final = final_response(body)
    assert len(chunks) > 1
    assert len(final.messages) == 1
    merged = final.messages[0]
    assert isinstance(merged, AssistantMessage)
    assert merged.content == "".join(chunk["content"] for chunk in chunks)
    assert (merged.id, merged.otid, merged.run_id) == (chunks[0]["id"], chunks[0]["otid"], chunks[0]["run_id"])
    assert merged.date.isoformat() == chunks[0]["date"]  # the first chunk's date is kept
    assert final.stop_reason.stop_reason == "end_turn"
    assert dumped(final.usage) == wire_payloads(body)[-1]


def test_long_token_fixture_text() -> None:
    final = final_response(fixture_body("c_token_stream_long.sse"))
    text = final.messages[0].content
    assert isinstance(text, str)
    assert text.startswith("w001 w002 ") and text.split()[-1] == "w200"


def test_client_tool_call_approval_request_is_merged() -> None:
    body = fixture_body("h_client_tool_call.sse")
    final = final_response(body)
    assert len(final.messages) == 1
    approval = final.messages[0]
    assert isinstance(approval, ApprovalRequestMessage)
    expected = ToolCall(name="client_get_weather", arguments='{"location":"Paris"}', tool_call_id="call_fake_000001")
    assert approval.tool_calls == [expected]
    assert approval.tool_call == expected
    assert json.loads(expected.arguments) == {"location": "Paris"}
    first = wire_payloads(body)[1]
    assert (approval.id, approval.otid, approval.step_id) == (first["id"], first["otid"], first["step_id"])
    assert final.stop_reason.stop_reason == "requires_approval"


@pytest.mark.parametrize("name", STEP_FIXTURES)
def test_step_mode_messages_are_the_events(name: str) -> None:
    body = fixture_body(name)
    final = final_response(body)
    expected = [p for p in wire_payloads(body) if p["message_type"] not in NOT_MESSAGES]
    assert [dumped(m) for m in final.messages] == expected


# --- a synthetic turn: reasoning -> two parallel tool calls -> tool return -> assistant ----------

M, T, N = 10, 20, 30  # the three message ids (one per LLM call / tool execution)


def otid(index: int, part: int) -> str:
    return f"{index:08d}-0000-4000-8000-0000000000{part:02d}"


def chunk(kind: str, index: int, part: int, date_second: int, **fields: Any) -> Dict[str, Any]:
    return message(kind, index, otid=otid(index, part), date=f"2026-11-22T03:36:{date_second:02d}+00:00", **fields)


def call_delta(index: int, second: int, **delta: Any) -> Dict[str, Any]:
    return chunk("tool_call_message", M, 2, second, tool_call=delta, tool_calls=delta)


CALL_A = {"name": "get_weather", "arguments": '{"city":"Oslo"}', "tool_call_id": "call_a"}
CALL_B = {"name": "get_time", "arguments": '{"tz":"CET"}', "tool_call_id": "call_b"}
RETURNS = [
    {
        "type": "tool",
        "tool_call_id": "call_a",
        "status": "success",
        "tool_return": "4°C",
        "stdout": None,
        "stderr": None,
    },
    {
        "type": "tool",
        "tool_call_id": "call_b",
        "status": "success",
        "tool_return": "10:00",
        "stdout": None,
        "stderr": None,
    },
]
TOOL_RETURN = chunk(
    "tool_return_message", T, 0, 5, tool_return="4°C", status="success", tool_call_id="call_a", tool_returns=RETURNS
)
HIDDEN = chunk("hidden_reasoning_message", M, 0, 1, state="omitted", hidden_reasoning=None)

TOKEN_BODY = sse(
    ping(),
    HIDDEN,
    chunk("reasoning_message", M, 1, 1, reasoning="User wants", source="reasoner_model", signature=None),
    chunk("reasoning_message", M, 1, 2, reasoning=" weather and time.", source="reasoner_model", signature=None),
    chunk("reasoning_message", M, 1, 2, reasoning="", source="reasoner_model", signature="sig-1"),
    # Anthropic style: name and id on every delta, the first one without arguments
    call_delta(M, 2, name="get_weather", tool_call_id="call_a"),
    call_delta(M, 2, name="get_weather", tool_call_id="call_a", arguments='{"city":'),
    # OpenAI style: name on the first delta only; a delta without tool_call_id joins the last call
    call_delta(M, 3, name="get_time", arguments='{"tz"', tool_call_id="call_b"),
    call_delta(M, 3, name="get_weather", tool_call_id="call_a", arguments='"Oslo"}'),
    call_delta(M, 3, name=None, arguments=":", tool_call_id="call_b"),
    call_delta(M, 4, arguments='"CET"}'),
    TOOL_RETURN,
    chunk("assistant_message", N, 0, 6, content="It is 4°C"),
    chunk("assistant_message", N, 0, 7, content=" in Oslo"),
    chunk("assistant_message", N, 0, 7, content=" and 10:00 CET."),
    stop(),
    USAGE,
    "[DONE]",
)
STEP_MESSAGES = [
    HIDDEN,
    chunk(
        "reasoning_message",
        M,
        1,
        9,
        reasoning="User wants weather and time.",
        source="reasoner_model",
        signature="sig-1",
    ),
    chunk("tool_call_message", M, 2, 9, tool_call=CALL_A, tool_calls=[CALL_A, CALL_B]),
    TOOL_RETURN,
    chunk("assistant_message", N, 0, 9, content="It is 4°C in Oslo and 10:00 CET."),
]
STEP_BODY = sse(ping(), *STEP_MESSAGES, stop(), USAGE, "[DONE]")
FINAL_TEXT = "It is 4°C in Oslo and 10:00 CET."


def test_token_mode_merges_into_the_step_mode_messages() -> None:
    token = final_response(TOKEN_BODY)
    step = final_response(STEP_BODY)
    assert [m.message_type for m in token.messages] == [
        "hidden_reasoning_message",
        "reasoning_message",
        "tool_call_message",
        "tool_return_message",
        "assistant_message",
    ]
    assert without_dates(token.messages) == without_dates(step.messages)
    assert [dumped(m) for m in step.messages] == STEP_MESSAGES
    assert token.messages[2].tool_calls == [ToolCall(**CALL_A), ToolCall(**CALL_B)]
    assert token.messages[1].date.second == 1 and token.messages[4].date.second == 6  # first chunk's date
    assert token.stop_reason == step.stop_reason and token.usage == step.usage


async def test_async_token_mode_merges_the_same() -> None:
    client = async_client(body_handler(TOKEN_BODY))
    stream = await client.agents.messages.send(AGENT_ID, input="hi", streaming=True)
    final = await stream.get_final_response()
    assert without_dates(final.messages) == without_dates(final_response(STEP_BODY).messages)


@pytest.mark.parametrize(("body", "fragments"), [(TOKEN_BODY, 3), (STEP_BODY, 1)], ids=["token", "step"])
def test_text_stream_yields_the_assistant_text(body: bytes, fragments: int) -> None:
    client = sync_client(body_handler(body))
    texts = list(client.agents.messages.send(AGENT_ID, input="hi", streaming=True).text_stream)
    assert len(texts) == fragments and "".join(texts) == FINAL_TEXT


@pytest.mark.parametrize(("body", "fragments"), [(TOKEN_BODY, 3), (STEP_BODY, 1)], ids=["token", "step"])
async def test_async_text_stream_yields_the_assistant_text(body: bytes, fragments: int) -> None:
    client = async_client(body_handler(body))
    stream = await client.agents.messages.send(AGENT_ID, input="hi", streaming=True)
    texts = [text async for text in stream.text_stream]
    assert len(texts) == fragments and "".join(texts) == FINAL_TEXT


def test_same_id_different_otid_stays_apart() -> None:
    """reasoning -> text -> reasoning in one LLM call: same id, a new otid per part."""
    from letta_client._decode import decode_event

    accumulator = MessageAccumulator()
    parts = [
        chunk("reasoning_message", M, 0, 1, reasoning="a"),
        chunk("reasoning_message", M, 0, 1, reasoning="b"),
        chunk("assistant_message", M, 1, 1, content="c"),
        chunk("reasoning_message", M, 2, 1, reasoning="d"),
        chunk("reasoning_message", M, 2, 1, reasoning="e"),
    ]
    for payload in parts:
        raw = json.dumps(payload).encode()
        event = decode_event(raw)
        accumulator.add(type(event), event.__dict__, raw)
    merged = accumulator.messages()
    assert [getattr(m, "reasoning", None) or getattr(m, "content", None) for m in merged] == ["ab", "c", "de"]


def test_content_parts_are_joined_as_parts() -> None:
    from letta_client._decode import decode_event

    accumulator = MessageAccumulator()
    parts = [{"type": "text", "text": "there"}]
    for content in ("Hi ", parts):
        raw = json.dumps(chunk("assistant_message", N, 0, 1, content=content)).encode()
        event = decode_event(raw)
        accumulator.add(type(event), event.__dict__, raw)
    (merged,) = accumulator.messages()
    assert isinstance(merged, AssistantMessage) and merged.text == "Hi there"
