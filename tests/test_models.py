"""Decoding every message type, from recorded server responses and hand-written JSON, and
re-serialising each message to exactly the JSON the server sent."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List

import pytest
from pydantic import TypeAdapter

from letta_client.types import (
    ApprovalRequestMessage,
    ApprovalResponseMessage,
    ApprovalReturn,
    AssistantMessage,
    Base64Image,
    EventMessage,
    HiddenReasoningMessage,
    ImageContent,
    LettaImage,
    LettaMessageUnion,
    LettaResponse,
    OmittedReasoningContent,
    ReasoningContent,
    ReasoningMessage,
    RedactedReasoningContent,
    SummarizedReasoningContent,
    SummaryMessage,
    SystemMessage,
    TextContent,
    ToolCall,
    ToolCallContent,
    ToolCallMessage,
    ToolReturn,
    ToolReturnContent,
    ToolReturnMessage,
    UnknownContent,
    UnknownMessage,
    UrlImage,
    UserMessage,
)

MESSAGES = TypeAdapter(List[LettaMessageUnion])
ONE = TypeAdapter(LettaMessageUnion)

RESPONSES = {
    "a_nonstream": [AssistantMessage],
    "a_nonstream_think": [ReasoningMessage, AssistantMessage],
    "h_client_tool_call_nonstream": [ApprovalRequestMessage],
    "h_client_tool_return_via_approval": [ToolReturnMessage, AssistantMessage],
}
LISTS = {
    "g_run_messages": [UserMessage, AssistantMessage],
    "i_list_messages_asc": [SystemMessage, UserMessage, AssistantMessage],
    "i_list_messages_desc": [AssistantMessage, UserMessage, AssistantMessage],
    "i_list_messages_limit3": [AssistantMessage, UserMessage, AssistantMessage],
    "i_list_messages_before": [UserMessage, AssistantMessage, UserMessage],
    "i_list_messages_after": [],
}


def _dump(model: Any) -> Any:
    return model.model_dump(mode="json", exclude_unset=True)


# --- recorded responses -----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_recorded_responses_decode_and_round_trip(name: str, fixture: Callable[[str], Dict[str, Any]]) -> None:
    record = fixture(name)
    response = LettaResponse.model_validate_json(record["body_text"])

    assert [type(m) for m in response.messages] == RESPONSES[name]
    for message, wire in zip(response.messages, record["body_json"]["messages"]):
        assert _dump(message) == wire
        assert json.loads(message.model_dump_json(exclude_unset=True)) == wire
    assert _dump(response) == record["body_json"]
    assert response.usage.total_tokens == record["body_json"]["usage"]["total_tokens"]


@pytest.mark.parametrize("name", sorted(LISTS))
def test_recorded_lists_decode_and_round_trip(name: str, fixture: Callable[[str], Dict[str, Any]]) -> None:
    record = fixture(name)
    messages = MESSAGES.validate_json(record["body_text"])

    assert [type(m) for m in messages] == LISTS[name]
    assert [_dump(m) for m in messages] == record["body_json"]
    for message in messages:
        assert isinstance(message.date, datetime) and message.date.tzinfo is not None


def test_recorded_field_values(fixture: Callable[[str], Dict[str, Any]]) -> None:
    think = LettaResponse.model_validate_json(fixture("a_nonstream_think")["body_text"])
    reasoning, assistant = think.messages
    assert isinstance(reasoning, ReasoningMessage) and reasoning.source == "reasoner_model"
    assert reasoning.reasoning == "Thinking about: THINK then answer (a)"
    assert isinstance(assistant, AssistantMessage) and assistant.text == think.text == "echo: THINK then answer (a)"
    assert assistant.date == datetime(2026, 11, 22, 3, 36, 16, tzinfo=timezone.utc)
    assert think.stop_reason.stop_reason == "end_turn"

    pause = LettaResponse.model_validate_json(fixture("h_client_tool_call_nonstream")["body_text"])
    (request,) = pause.messages
    assert isinstance(request, ApprovalRequestMessage)
    assert pause.stop_reason.stop_reason == "requires_approval"
    assert request.calls == [
        ToolCall(name="client_get_weather", arguments='{"location":"Paris"}', tool_call_id="call_fake_000002")
    ]

    after = LettaResponse.model_validate_json(fixture("h_client_tool_return_via_approval")["body_text"])
    tool_return = after.messages[0]
    assert isinstance(tool_return, ToolReturnMessage)
    assert [(r.tool_call_id, r.status, r.tool_return) for r in tool_return.returns] == [
        ("call_fake_000002", "success", "Rainy, 12C")
    ]


# --- hand-written messages --------------------------------------------------------------------

BASE: Dict[str, Any] = {
    "id": "message-00000000-0000-4000-8000-000000000001",
    "date": "2026-11-22T02:53:49+00:00",
    "name": None,
    "otid": "00000000-0000-4000-8000-000000000080",
    "sender_id": None,
    "step_id": "step-1",
    "is_err": None,
    "seq_id": None,
    "run_id": "run-1",
}
IMAGE_PARTS = [
    {"type": "text", "text": "look", "signature": None},
    {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}},
    {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBO", "detail": None}},
    {
        "type": "image",
        "source": {"type": "letta", "file_id": "file-1", "media_type": None, "data": None, "detail": "auto"},
    },
]
OTHER_PARTS = [
    {"type": "tool_call", "id": "call_1", "name": "f", "input": {"a": [1, {"b": None}]}, "signature": None},
    {"type": "tool_return", "tool_call_id": "call_1", "content": "ok", "is_error": False},
    {"type": "reasoning", "is_native": True, "reasoning": "hmm", "signature": "sig"},
    {"type": "redacted_reasoning", "data": "opaque"},
    {"type": "omitted_reasoning", "signature": None},
    {"type": "summarized_reasoning", "id": "rs_1", "summary": [{"index": 0, "text": "s"}], "encrypted_content": None},
    {"type": "hologram", "payload": {"x": 1}},
]
HAND_WRITTEN: Dict[str, Any] = {
    "system": ({**BASE, "message_type": "system_message", "content": "You are helpful."}, SystemMessage),
    "user-image": ({**BASE, "message_type": "user_message", "content": IMAGE_PARTS}, UserMessage),
    "user-all-parts": ({**BASE, "message_type": "user_message", "content": IMAGE_PARTS + OTHER_PARTS}, UserMessage),
    "assistant-parts": (
        {**BASE, "message_type": "assistant_message", "content": [{"type": "text", "text": "a", "signature": None}]},
        AssistantMessage,
    ),
    "hidden-redacted": (
        {**BASE, "message_type": "hidden_reasoning_message", "state": "redacted", "hidden_reasoning": "opaque=="},
        HiddenReasoningMessage,
    ),
    "hidden-omitted": (
        {**BASE, "message_type": "hidden_reasoning_message", "state": "omitted", "hidden_reasoning": None},
        HiddenReasoningMessage,
    ),
    "tool-call": (
        {
            **BASE,
            "message_type": "tool_call_message",
            "tool_call": {"name": "f", "arguments": "{}", "tool_call_id": "call_1"},
            "tool_calls": [
                {"name": "f", "arguments": "{}", "tool_call_id": "call_1"},
                {"name": "g", "arguments": '{"x":1}', "tool_call_id": "call_2"},
            ],
        },
        ToolCallMessage,
    ),
    "tool-call-delta": (
        {
            **BASE,
            "message_type": "tool_call_message",
            "tool_call": {"arguments": '{"x'},
            "tool_calls": {"arguments": '{"x'},
        },
        ToolCallMessage,
    ),
    "approval-request-null-keys": (
        {
            **BASE,
            "message_type": "approval_request_message",
            "tool_call": {"name": "f", "arguments": None, "tool_call_id": "call_1"},
            "tool_calls": {"name": "f", "arguments": None, "tool_call_id": "call_1"},
        },
        ApprovalRequestMessage,
    ),
    "tool-return-parts": (
        {
            **BASE,
            "message_type": "tool_return_message",
            "tool_return": "a picture",
            "status": "success",
            "tool_call_id": "call_1",
            "stdout": ["printed"],
            "stderr": None,
            "tool_returns": [
                {
                    "type": "tool",
                    "tool_call_id": "call_1",
                    "status": "success",
                    "tool_return": IMAGE_PARTS[:2],
                    "stdout": ["printed"],
                    "stderr": None,
                },
                {"type": "tool", "tool_call_id": "call_2", "status": "error", "tool_return": "boom"},
            ],
        },
        ToolReturnMessage,
    ),
    "approval-response": (
        {
            **BASE,
            "is_err": True,
            "message_type": "approval_response_message",
            "approvals": [
                {"type": "approval", "tool_call_id": "call_1", "approve": False, "reason": "not now"},
                {"type": "tool", "tool_call_id": "call_2", "status": "success", "tool_return": "done"},
            ],
            "approve": False,
            "approval_request_id": "message-2",
            "reason": "not now",
        },
        ApprovalResponseMessage,
    ),
    "summary": (
        {
            **BASE,
            "message_type": "summary_message",
            "summary": "We talked about the weather.",
            "compaction_stats": {
                "trigger": "context_window",
                "context_tokens_before": 120000,
                "context_tokens_after": None,
                "context_window": 128000,
                "messages_count_before": 80,
                "messages_count_after": 4,
            },
        },
        SummaryMessage,
    ),
    "event": (
        {
            **BASE,
            "id": "5b0e2bb8-62b4-4f3c-9a43-0e8d2bd54a51",
            "otid": None,
            "message_type": "event_message",
            "event_type": "compaction",
            "event_data": {"trigger": "context_window", "context_token_estimate": 130000, "context_window": 128000},
        },
        EventMessage,
    ),
    "unknown-type": (
        {**BASE, "message_type": "telepathy_message", "thought": {"deep": [1, 2]}, "intensity": 0.5},
        UnknownMessage,
    ),
    "unknown-field": (
        {**BASE, "seq_id": 12, "message_type": "assistant_message", "content": "hi", "mood": "happy"},
        AssistantMessage,
    ),
    "unknown-enum-values": (
        {**BASE, "message_type": "reasoning_message", "reasoning": "r", "source": "dreaming", "signature": None},
        ReasoningMessage,
    ),
}


@pytest.mark.parametrize("case", sorted(HAND_WRITTEN))
def test_hand_written_messages_decode_and_round_trip(case: str) -> None:
    wire, cls = HAND_WRITTEN[case]
    message = ONE.validate_python(wire)
    assert type(message) is cls
    assert _dump(message) == wire
    assert type(ONE.validate_json(json.dumps(wire))) is cls
    assert _dump(ONE.validate_json(json.dumps(wire))) == wire


def test_content_parts_decode_to_their_types() -> None:
    message = ONE.validate_python(HAND_WRITTEN["user-all-parts"][0])
    assert isinstance(message, UserMessage) and isinstance(message.content, list)
    assert [type(part) for part in message.content] == [
        TextContent,
        ImageContent,
        ImageContent,
        ImageContent,
        ToolCallContent,
        ToolReturnContent,
        ReasoningContent,
        RedactedReasoningContent,
        OmittedReasoningContent,
        SummarizedReasoningContent,
        UnknownContent,
    ]
    sources = [part.source for part in message.content if isinstance(part, ImageContent)]
    assert [type(s) for s in sources] == [UrlImage, Base64Image, LettaImage]
    unknown = message.content[-1]
    assert isinstance(unknown, UnknownContent) and unknown.type == "hologram"
    assert unknown.model_extra == {"payload": {"x": 1}}


def test_tool_call_shapes() -> None:
    whole = ONE.validate_python(HAND_WRITTEN["tool-call"][0])
    assert isinstance(whole, ToolCallMessage)
    assert [c.tool_call_id for c in whole.calls] == ["call_1", "call_2"]
    delta = ONE.validate_python(HAND_WRITTEN["tool-call-delta"][0])
    assert isinstance(delta, ToolCallMessage)
    assert [(c.name, c.arguments) for c in delta.calls] == [(None, '{"x')]
    only_first = ONE.validate_python(
        {
            **BASE,
            "message_type": "tool_call_message",
            "tool_call": {"name": "f", "arguments": "{}", "tool_call_id": "c"},
        }
    )
    assert isinstance(only_first, ToolCallMessage) and [c.name for c in only_first.calls] == ["f"]


def test_approval_response_members() -> None:
    message = ONE.validate_python(HAND_WRITTEN["approval-response"][0])
    assert isinstance(message, ApprovalResponseMessage) and message.approvals is not None
    assert [type(a) for a in message.approvals] == [ApprovalReturn, ToolReturn]
    assert message.is_err is True


def test_unknown_message_type_keeps_its_data() -> None:
    message = ONE.validate_python(HAND_WRITTEN["unknown-type"][0])
    assert isinstance(message, UnknownMessage)
    assert message.message_type == "telepathy_message"
    assert message.id == BASE["id"]
    assert message.model_extra is not None
    assert message.model_extra["thought"] == {"deep": [1, 2]} and message.model_extra["intensity"] == 0.5
    assert message.model_extra["date"] == BASE["date"]


def test_unknown_field_is_kept_in_model_extra() -> None:
    message = ONE.validate_python(HAND_WRITTEN["unknown-field"][0])
    assert isinstance(message, AssistantMessage)
    assert message.model_extra == {"mood": "happy"}
    assert message.seq_id == 12


def test_unknown_stop_reason_and_extra_response_fields() -> None:
    wire = {
        "messages": [{"message_type": "brand_new", "id": "x"}],
        "stop_reason": {"message_type": "stop_reason", "stop_reason": "out_of_coffee"},
        "usage": {"message_type": "usage_statistics", "completion_tokens": 1, "new_counter": 3},
        "logprobs": {"content": [{"token": "a", "logprob": -0.1}]},
        "turns": [{"role": "assistant", "output_ids": [1, 2], "output_token_logprobs": [[-0.1]], "content": "a"}],
        "server_build": "abc",
    }
    response = LettaResponse.model_validate(wire)
    assert response.stop_reason.stop_reason == "out_of_coffee"
    assert response.usage.model_extra == {"new_counter": 3}
    assert response.usage.prompt_tokens == 0 and response.usage.cached_input_tokens is None
    assert response.model_extra == {"server_build": "abc"}
    assert response.turns is not None and response.turns[0].output_ids == [1, 2]
    assert isinstance(response.messages[0], UnknownMessage)
    assert _dump(response) == wire
    assert response.text == ""


@pytest.mark.parametrize(
    ("wire", "cls", "content"),
    [
        ({**BASE, "message_type": "system_message", "message": "old system"}, SystemMessage, "old system"),
        ({**BASE, "message_type": "user_message", "message": "old user"}, UserMessage, "old user"),
        (
            {**BASE, "message_type": "assistant_message", "assistant_message": "old reply"},
            AssistantMessage,
            "old reply",
        ),
    ],
    ids=["system", "user", "assistant"],
)
def test_old_server_fields_decode_into_content(wire: Dict[str, Any], cls: type, content: str) -> None:
    message = ONE.validate_python(wire)
    assert type(message) is cls
    assert message.content == content  # type: ignore[union-attr]
    assert "message" not in (message.model_extra or {}) and "assistant_message" not in (message.model_extra or {})


def test_old_tool_return_without_tool_returns() -> None:
    wire = {**BASE, "message_type": "tool_return_message", "tool_return": "42", "status": "error", "tool_call_id": "c"}
    message = ONE.validate_python(wire)
    assert isinstance(message, ToolReturnMessage)
    assert [(r.tool_call_id, r.status, r.tool_return) for r in message.returns] == [("c", "error", "42")]
    assert _dump(message) == wire


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2026-11-22T02:53:49+00:00", datetime(2026, 11, 22, 2, 53, 49, tzinfo=timezone.utc)),
        ("2026-11-22T02:53:49Z", datetime(2026, 11, 22, 2, 53, 49, tzinfo=timezone.utc)),
        ("2026-11-22T02:53:49.123456+00:00", datetime(2026, 11, 22, 2, 53, 49, 123456, tzinfo=timezone.utc)),
    ],
)
def test_date_forms(date: str, expected: datetime) -> None:
    message = ONE.validate_python({**BASE, "date": date, "message_type": "assistant_message", "content": "x"})
    assert message.date == expected  # type: ignore[union-attr]
    assert _dump(message)["date"] == expected.isoformat()
    assert _dump(message)["date"].endswith("+00:00")


@pytest.mark.parametrize(
    "wire",
    [
        {**BASE, "message_type": "assistant_message"},
        {**BASE, "message_type": "tool_return_message", "tool_return": "x"},
        {"message_type": "system_message", "content": "no id or date"},
    ],
    ids=["no-content", "tool-return-missing-fields", "no-base-fields"],
)
def test_invalid_known_messages_are_rejected(wire: Dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        ONE.validate_python(wire)
