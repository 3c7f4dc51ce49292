"""``parse_chat_request``: useChat's POST body as what one turn sends to Letta, and a one-line
``BadRequest`` for everything else."""

from __future__ import annotations

import json
from typing import Any, Dict, List

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from letta_client.web._inbound import BadRequest
from letta_client.web.ui_message_stream import UIMessageStreamEncoder, approval_id, parse_chat_request

CONV = "conv-33333333-3333-4333-8333-333333333333"
RUN = "run-11111111-1111-4111-8111-111111111111"
LIMITS = {"max_messages": 50, "max_message_chars": 1000}


def user(text: str = "hello", id: str = "msg-1", **extra: Any) -> Dict[str, Any]:
    return {"id": id, "role": "user", "parts": [{"type": "text", "text": text}], **extra}


def body(*messages: Dict[str, Any], **extra: Any) -> Dict[str, Any]:
    return {"id": CONV, "messages": list(messages), "trigger": "submit-message", "messageId": None, **extra}


def refused(value: object, **limits: int) -> BadRequest:
    with pytest.raises(BadRequest) as caught:
        parse_chat_request(value, **{**LIMITS, **limits})
    assert "\n" not in caught.value.reason and caught.value.reason
    return caught.value


def test_a_user_message_becomes_one_letta_user_message_keyed_by_its_id() -> None:
    outgoing = parse_chat_request(body(user("hi there")), **LIMITS)
    assert outgoing.conversation_id == CONV
    assert outgoing.key == "msg-1"
    assert outgoing.messages == [{"type": "message", "role": "user", "content": "hi there"}]
    assert UIMessageStreamEncoder.for_request(outgoing).end(None)[0][1].startswith('{"type":"start"}')


def test_only_the_last_message_is_sent_the_history_in_the_body_never() -> None:
    history = [user(f"old {i}", id=f"m{i}") for i in range(49)]
    outgoing = parse_chat_request(body(*history, user("new", id="m-new")), **LIMITS)
    assert outgoing.messages == [{"type": "message", "role": "user", "content": "new"}]
    assert outgoing.key == "m-new"


def test_text_parts_are_joined_and_other_parts_left_out() -> None:
    message = {
        "id": "m",
        "role": "user",
        "parts": [{"type": "text", "text": "a"}, {"type": "data-x", "data": 1}, {"type": "text", "text": "b"}],
    }
    assert parse_chat_request(body(message), **LIMITS).messages[0]["content"] == "a\nb"


@pytest.mark.parametrize(
    ("value", "status", "words"),
    [
        ([], 400, "object"),
        (body(user(), trigger="regenerate-message"), 400, "regenerate is not supported by Letta"),
        (body(user(), trigger="resume-stream"), 400, "trigger"),
        ({"id": CONV, "messages": [user()]}, 400, "trigger"),
        (body(user(), id="conv-../../agents"), 400, "conversation id"),
        (body(user(), id="conv-33333333-3333-4333-8333-333333333333%2F"), 400, "conversation id"),
        (body(user(), messageId=5), 400, "messageId"),
        (body(), 400, "empty"),
        ({"id": CONV, "trigger": "submit-message", "messages": {"0": user()}}, 400, "array"),
        (body("not a message"), 400, "object"),  # type: ignore[arg-type]
        (body({"id": "m", "role": "system", "parts": []}), 400, "role"),
        (body({"id": "m", "role": "user"}), 400, "parts"),
        (body(user(id="")), 400, "message id"),
        (body(user(id="line\nbreak")), 400, "message id"),
        (body(user("   ")), 400, "empty"),
        (
            body({"id": "m", "role": "user", "parts": [{"type": "file", "url": "data:,x", "mediaType": "text/plain"}]}),
            400,
            "file",
        ),
        (body({"id": "m", "role": "user", "parts": [{"type": "text"}]}), 400, "text"),
        (body({"id": "m", "role": "user", "parts": [{"text": "x"}]}), 400, "type"),
        (body(user("x" * 1001)), 413, "too long"),
    ],
)
def test_what_is_refused_and_how(value: object, status: int, words: str) -> None:
    error = refused(value)
    assert error.status == status and words in error.reason


def test_more_messages_than_the_cap_is_413_whatever_they_hold() -> None:
    error = refused(body(*[user(id=f"m{i}") for i in range(51)]))
    assert error.status == 413


def _assistant(*parts: Dict[str, Any], id: str = RUN) -> Dict[str, Any]:
    return {"id": id, "role": "assistant", "parts": list(parts)}


def _tool(call_id: str, state: str, **fields: Any) -> Dict[str, Any]:
    return {"type": "tool-pick", "toolCallId": call_id, "state": state, "input": {}, **fields}


def test_the_answers_in_the_last_step_become_one_approval_message() -> None:
    message = _assistant(
        {"type": "step-start"},
        _tool("old", "output-available", output="from an earlier step"),
        {"type": "step-start"},
        {"type": "reasoning", "text": "hm"},
        _tool("c1", "approval-responded", approval={"id": approval_id("c1"), "approved": True}),
        _tool("c2", "approval-responded", approval={"id": approval_id("c2"), "approved": False, "reason": "no"}),
        _tool("c3", "output-available", output={"color": "blue"}),
        _tool("c4", "output-error", errorText="closed"),
        _tool("c5", "input-available"),  # a server tool of the same step: not the browser's to answer
    )
    outgoing = parse_chat_request(body(user(), message), **LIMITS)
    assert outgoing.messages == [
        {
            "type": "approval",
            "approvals": [
                {"type": "approval", "tool_call_id": "c1", "approve": True, "reason": None},
                {"type": "approval", "tool_call_id": "c2", "approve": False, "reason": "no"},
                {
                    "type": "tool",
                    "tool_call_id": "c3",
                    "tool_return": json.dumps({"color": "blue"}),
                    "status": "success",
                },
                {"type": "tool", "tool_call_id": "c4", "tool_return": "closed", "status": "error"},
            ],
        }
    ]
    assert outgoing.key.startswith(f"{RUN}:approval:")
    again = parse_chat_request(body(user(), message), **LIMITS)
    other = parse_chat_request(body(user(), _assistant(_tool("c1", "output-available", output="x"))), **LIMITS)
    assert again.key == outgoing.key != other.key  # a retried POST is the same turn; other answers are not


@pytest.mark.parametrize(
    ("message", "status", "words"),
    [
        (_assistant(_tool("c1", "approval-requested")), 400, "answers no tool call"),
        (_assistant(_tool("c1", "approval-responded", approval={"id": "x"})), 400, "approved"),
        (_assistant(_tool("c1", "approval-responded", approval={"approved": True, "reason": 3})), 400, "reason"),
        (_assistant(_tool("c1", "approval-responded")), 400, "approval"),
        (_assistant(_tool("c1", "output-error")), 400, "errorText"),
        (_assistant({"type": "tool-x", "state": "output-available", "output": 1}), 400, "toolCallId"),
        (_assistant(_tool("c1", "output-available", output="y" * 1001)), 413, "too long"),
        (
            _assistant(_tool("c1", "approval-responded", approval={"approved": False, "reason": "r" * 1001})),
            413,
            "too long",
        ),
        (_assistant(_tool("c1", "output-available", output="x"), id="msg-browser-made"), 400, "run id"),
    ],
)
def test_what_is_refused_in_answers(message: Dict[str, Any], status: int, words: str) -> None:
    error = refused(body(message))
    assert error.status == status and words in error.reason


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=25,
)
PARTS = st.lists(
    st.fixed_dictionaries(
        {"type": st.sampled_from(["text", "step-start", "tool-x", "dynamic-tool", "file", "data-y"]) | JSON},
        optional={
            "text": JSON,
            "state": st.sampled_from(["approval-responded", "output-available", "output-error", "input-available"])
            | JSON,
            "toolCallId": st.text(max_size=5) | JSON,
            "approval": st.fixed_dictionaries({}, optional={"approved": st.booleans() | JSON, "reason": JSON}) | JSON,
            "output": JSON,
            "errorText": JSON,
        },
    ),
    max_size=5,
)
MESSAGES = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "id": st.sampled_from([RUN, "m1"]) | JSON,
            "role": st.sampled_from(["user", "assistant"]) | JSON,
            "parts": PARTS | JSON,
        },
    )
    | JSON,
    max_size=4,
)
BODIES = st.fixed_dictionaries(
    {},
    optional={
        "id": st.sampled_from([CONV, "conv-x"]) | JSON,
        "trigger": st.sampled_from(["submit-message", "regenerate-message"]) | JSON,
        "messages": MESSAGES | JSON,
        "messageId": JSON,
    },
)


@settings(max_examples=400, deadline=None)
@given(BODIES | JSON)
def test_any_json_is_either_a_turn_or_a_one_line_bad_request(value: Any) -> None:
    try:
        outgoing = parse_chat_request(value, max_messages=3, max_message_chars=50)
    except BadRequest as error:
        assert error.status in (400, 413) and error.reason and "\n" not in error.reason
        return
    assert outgoing.conversation_id == CONV
    assert len(outgoing.messages) == 1 and outgoing.messages[0]["type"] in ("message", "approval")
    assert outgoing.key


def test_the_answer_list_keeps_the_browsers_order() -> None:
    parts: List[Dict[str, Any]] = [_tool(f"c{i}", "output-available", output=str(i)) for i in range(5)]
    approvals = parse_chat_request(body(_assistant(*parts)), **LIMITS).messages[0]["approvals"]
    assert [a["tool_call_id"] for a in approvals] == [f"c{i}" for i in range(5)]
