"""``letta_client.web.agui``: the AG-UI events of a Letta run, the transcript, and the reading of a
browser's ``RunAgentInput``. (The real client reads them in ``test_web_conformance_agui.py``.)"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from letta_client.types.messages import LettaMessageUnion, LettaStreamingResponse
from letta_client.web._agui_projection import MessageFold
from letta_client.web._event_ids import EventId
from letta_client.web._framer import Framer, Problem
from letta_client.web._inbound import BadRequest
from letta_client.web.agui import AGUIEncoder, agui_messages, parse_run_input

RUN = "run-11111111-1111-4111-8111-111111111111"
CONV = "conv-22222222-2222-4222-8222-222222222222"
STEP = "step-1"
_EVENT: Any = TypeAdapter(LettaStreamingResponse)
_MESSAGES: Any = TypeAdapter(List[LettaMessageUnion])


def msg(kind: str, number: int = 1, **fields: Any) -> Dict[str, Any]:
    payload: Dict[str, Any] = {
        "id": f"message-{number:08d}-0000-4000-8000-000000000000",
        "date": "2026-11-22T03:36:18+00:00",
        "message_type": kind,
        "otid": None,
        "step_id": STEP,
        "seq_id": None,
        "run_id": RUN,
    }
    payload.update(fields)
    return payload


def events(*payloads: Dict[str, Any]) -> List[LettaStreamingResponse]:
    return [_EVENT.validate_python(p) for p in payloads]


def encode(
    payloads: Sequence[Dict[str, Any]], problem: Optional[Problem] = None, **options: Any
) -> List[Dict[str, Any]]:
    encoder = AGUIEncoder(CONV, "r1", **options)
    frames = [frame for event in events(*payloads) for frame in encoder.event(event)] + encoder.end(problem)
    assert all(name is None for name, _ in frames)
    return [json.loads(data) for _, data in frames]


def types(out: List[Dict[str, Any]]) -> List[str]:
    return [event["type"] for event in out]


def fold(out: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    messages = MessageFold()
    messages.apply(out)
    return messages.messages


STOP = {"message_type": "stop_reason", "stop_reason": "end_turn"}


def test_a_token_streamed_answer_is_one_text_message_of_its_step() -> None:
    out = encode(
        [
            msg("reasoning_message", reasoning="Let me ", otid="a"),
            msg("reasoning_message", reasoning="think.", otid="a"),
            msg("assistant_message", content="Hello ", otid="b"),
            msg("assistant_message", content="world", otid="b"),
            STOP,
        ]
    )
    assert types(out) == [
        "RUN_STARTED",
        "STEP_STARTED",
        "REASONING_START",
        "REASONING_MESSAGE_START",
        "REASONING_MESSAGE_CONTENT",
        "REASONING_MESSAGE_CONTENT",
        "REASONING_MESSAGE_END",
        "REASONING_END",
        "TEXT_MESSAGE_START",
        "TEXT_MESSAGE_CONTENT",
        "TEXT_MESSAGE_CONTENT",
        "TEXT_MESSAGE_END",
        "STEP_FINISHED",
        "RUN_FINISHED",
    ]
    assert out[0] == {"type": "RUN_STARTED", "threadId": CONV, "runId": "r1", "protocolVersion": "1.0"}
    assert out[-1] == {
        "type": "RUN_FINISHED",
        "threadId": CONV,
        "runId": "r1",
        "outcome": {"type": "success"},
        "metadata": {"letta": {"stopReason": "end_turn"}},
    }
    assert fold(out) == [
        {"id": "step-1:reasoning", "role": "reasoning", "content": "Let me think."},
        {"id": "step-1:assistant", "role": "assistant", "content": "Hello world"},
    ]


def test_the_same_events_give_the_same_bytes() -> None:
    payloads = [msg("assistant_message", content="hi"), STOP, {"message_type": "usage_statistics", "total_tokens": 3}]

    def run() -> bytes:
        framer = Framer(AGUIEncoder(CONV, "r1"))
        return b"".join(framer.event(e) for e in events(*payloads)) + framer.end(None)

    assert run() == run()


def test_a_message_without_a_step_is_keyed_by_its_own_id() -> None:
    out = encode([msg("assistant_message", 7, content="hi", step_id=None), STOP])
    assert fold(out) == [
        {"id": "message-00000007-0000-4000-8000-000000000000:assistant", "role": "assistant", "content": "hi"}
    ]
    assert "STEP_STARTED" not in types(out)


def test_tool_calls_hang_on_their_steps_message_and_results_follow_it() -> None:
    delta = {"name": "get_weather", "arguments": '{"city":', "tool_call_id": "call-1"}
    out = encode(
        [
            msg("assistant_message", content="Let me check."),
            msg("tool_call_message", tool_call=delta, tool_calls=delta),
            msg("tool_call_message", tool_call={"arguments": '"Paris"}'}, tool_calls={"arguments": '"Paris"}'}),
            msg(
                "tool_return_message",
                2,
                tool_return="sunny",
                status="success",
                tool_call_id="call-1",
                tool_returns=[
                    {"tool_call_id": "call-1", "status": "success", "tool_return": "sunny"},
                    {"tool_call_id": "call-9", "status": "error", "tool_return": "boom"},
                ],
            ),
            msg("assistant_message", 3, content="Sunny.", step_id="step-2"),
            STOP,
        ]
    )
    assert [e for e in out if e["type"].startswith("TOOL_CALL")] == [
        {
            "type": "TOOL_CALL_START",
            "toolCallId": "call-1",
            "toolCallName": "get_weather",
            "parentMessageId": "step-1:assistant",
        },
        {"type": "TOOL_CALL_ARGS", "toolCallId": "call-1", "delta": '{"city":'},
        {
            "type": "TOOL_CALL_ARGS",
            "toolCallId": "call-1",
            "delta": '"Paris"}',
        },  # a delta without an id: the last call's
        {"type": "TOOL_CALL_END", "toolCallId": "call-1"},
        {
            "type": "TOOL_CALL_RESULT",
            "messageId": "call-1:result",
            "toolCallId": "call-1",
            "content": "sunny",
            "metadata": {"letta": {"status": "success"}},
        },
        {
            "type": "TOOL_CALL_RESULT",
            "messageId": "call-9:result",
            "toolCallId": "call-9",
            "content": "boom",
            "metadata": {"letta": {"status": "error"}},
        },
    ]
    assert [m["id"] for m in fold(out)] == ["step-1:assistant", "call-1:result", "call-9:result", "step-2:assistant"]
    assert fold(out)[0]["toolCalls"] == [
        {"id": "call-1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'}}
    ]


def test_a_call_that_was_closed_is_not_opened_again_and_a_delta_with_no_call_is_dropped() -> None:
    call = {"name": "f", "arguments": "{}", "tool_call_id": "c1"}
    out = encode(
        [
            msg("tool_call_message", tool_call={"arguments": "lost"}, tool_calls={"arguments": "lost"}),
            msg("tool_call_message", tool_call=call, tool_calls=[call]),
            msg("assistant_message", content="x"),
            msg("tool_call_message", tool_call=call, tool_calls=[call]),
            STOP,
        ]
    )
    assert sum(e["type"] == "TOOL_CALL_START" for e in out) == 1
    assert not any(e.get("delta") == "lost" for e in out)


def test_the_approval_steps_reasoning_has_one_id_in_the_stream_and_in_the_history() -> None:
    """Letta streams it under the LLM call's id, and stores it under the approval request's."""
    call = {"name": "pick", "arguments": "{}", "tool_call_id": "c1"}
    streamed = encode(
        [
            msg("reasoning_message", 2, reasoning="hmm"),
            msg("approval_request_message", 1, tool_call=call, tool_calls=call),
            {"message_type": "stop_reason", "stop_reason": "requires_approval"},
        ]
    )
    stored = _MESSAGES.validate_python(
        [
            msg("user_message", 9, content="go", step_id=STEP),
            msg("reasoning_message", 1, reasoning="hmm"),
            msg("approval_request_message", 1, tool_call=call, tool_calls=[call]),
        ]
    )
    assert agui_messages(stored)[1:] == fold(streamed)
    assert streamed[-1]["outcome"] == {
        "type": "interrupt",
        "interrupts": [
            {
                "id": "c1",
                "reason": "tool_approval",
                "toolCallId": "c1",
                "message": "The agent wants to run the tool pick.",
                "responseSchema": streamed[-1]["outcome"]["interrupts"][0]["responseSchema"],
            }
        ],
    }
    assert streamed[-1]["outcome"]["interrupts"][0]["responseSchema"]["type"] == "object"


def test_requires_approval_with_nothing_waiting_finishes_as_a_success() -> None:
    out = encode([{"message_type": "stop_reason", "stop_reason": "requires_approval"}])
    assert out[-1]["outcome"] == {"type": "success"}


@pytest.mark.parametrize("stream_tokens", [True, False])
def test_the_answers_a_run_was_sent_are_shown_once_whether_or_not_letta_streams_them(stream_tokens: bool) -> None:
    sent = [
        {
            "type": "approval",
            "approvals": [
                {"type": "tool", "tool_call_id": "c1", "status": "success", "tool_return": "blue"},
                {"type": "approval", "tool_call_id": "c2", "approve": False, "reason": "no"},
                {"type": "approval", "tool_call_id": "c3", "approve": True},
            ],
        }
    ]
    streamed_returns = msg(
        "tool_return_message",
        4,
        tool_return="blue",
        status="success",
        tool_call_id="c1",
        tool_returns=[
            {"tool_call_id": "c1", "status": "success", "tool_return": "blue"},
            {
                "tool_call_id": "c2",
                "status": "error",
                "tool_return": "Error: request to call tool denied. User reason: no",
            },
        ],
    )
    approved = msg("tool_return_message", 5, tool_return="ran", status="success", tool_call_id="c3")
    payloads = ([streamed_returns] if not stream_tokens else []) + [
        approved,
        msg("assistant_message", 6, content="ok", step_id="step-9"),
        STOP,
    ]
    results = [e for e in encode(payloads, sent=sent) if e["type"] == "TOOL_CALL_RESULT"]
    assert sorted((r["toolCallId"], r["content"], r["metadata"]["letta"]["status"]) for r in results) == [
        ("c1", "blue", "success"),
        ("c2", "Error: request to call tool denied. User reason: no", "error"),
        ("c3", "ran", "success"),
    ]


def test_answers_are_not_shown_for_a_run_that_failed() -> None:
    sent = [
        {
            "type": "approval",
            "approvals": [{"type": "tool", "tool_call_id": "c1", "status": "success", "tool_return": "x"}],
        }
    ]
    assert "TOOL_CALL_RESULT" not in types(encode([{"message_type": "stop_reason", "stop_reason": "error"}], sent=sent))


def test_unknown_and_other_letta_messages_are_custom_events_and_the_system_prompt_never_leaves() -> None:
    out = encode(
        [
            msg("system_message", content="SECRET INSTRUCTIONS"),
            msg("future_message", shiny=True),
            msg("hidden_reasoning_message", state="redacted", hidden_reasoning="xx"),
            STOP,
        ]
    )
    assert "SECRET" not in json.dumps(out)
    custom = [e for e in out if e["type"] == "CUSTOM"]
    assert [e["name"] for e in custom] == ["letta.future_message", "letta.hidden_reasoning_message"]
    assert custom[0]["value"]["shiny"] is True
    assert fold(out) == []


def test_a_streamed_user_message_is_a_user_text_message() -> None:
    out = encode([msg("user_message", 3, content="summary of before"), STOP])
    assert fold(out) == [
        {"id": "message-00000003-0000-4000-8000-000000000000", "role": "user", "content": "summary of before"}
    ]


def test_usage_goes_on_run_finished() -> None:
    usage = {
        "message_type": "usage_statistics",
        "completion_tokens": 5,
        "prompt_tokens": 800,
        "total_tokens": 805,
        "reasoning_tokens": None,
        "cached_input_tokens": 10,
    }
    out = encode([STOP, usage])
    assert out[-1]["usage"] == [{"inputTokens": 800, "outputTokens": 5, "totalTokens": 805, "cachedInputTokens": 10}]


def test_a_server_error_is_run_error_in_safe_words_never_its_detail() -> None:
    error = {
        "message_type": "error_message",
        "run_id": RUN,
        "error_type": "llm_rate_limit",
        "message": "Rate limit exceeded for LLM model provider.",
        "detail": "Traceback SECRET",
    }
    out = encode(
        [
            msg("assistant_message", content="par"),
            {"message_type": "stop_reason", "stop_reason": "llm_api_error"},
            error,
        ]
    )
    assert out[-1] == {
        "type": "RUN_ERROR",
        "message": "Rate limit exceeded for LLM model provider.",
        "code": "llm_rate_limit",
    }
    assert types(out)[-3:] == ["TEXT_MESSAGE_END", "STEP_FINISHED", "RUN_ERROR"]
    internal = {**error, "error_type": "internal_error", "message": "KeyError: 'sk-SECRET' at line 3"}
    out = encode([internal])
    assert out[-1] == {
        "type": "RUN_ERROR",
        "message": "The agent's turn failed on the server.",
        "code": "internal_error",
    }
    assert "SECRET" not in json.dumps(out)


@pytest.mark.parametrize(
    ("stop", "code"),
    [("llm_api_error", "llm_api_error"), ("max_tokens_exceeded", "max_tokens_exceeded"), ("error", "error")],
)
def test_a_failed_stop_without_an_error_message_is_run_error(stop: str, code: str) -> None:
    out = encode([{"message_type": "stop_reason", "stop_reason": stop}])
    assert out[-1]["type"] == "RUN_ERROR" and out[-1]["code"] == code and out[-1]["message"]


@pytest.mark.parametrize("stop", ["max_steps", "tool_rule", "no_tool_call", "a_future_reason"])
def test_other_stops_finish_the_run(stop: str) -> None:
    assert encode([{"message_type": "stop_reason", "stop_reason": stop}])[-1]["outcome"] == {"type": "success"}


def test_cancellation_by_letta_or_by_the_relay_is_the_cancelled_outcome() -> None:
    by_letta = encode(
        [msg("assistant_message", content="x"), {"message_type": "stop_reason", "stop_reason": "cancelled"}]
    )
    assert by_letta[-1]["outcome"] == {"type": "cancelled"}
    by_relay = encode([msg("assistant_message", content="x")], Problem("cancelled", "Stopped."))
    assert by_relay[-1]["outcome"] == {"type": "cancelled"}


def test_a_relay_problem_is_run_error_with_its_text() -> None:
    out = encode([msg("assistant_message", content="x")], Problem("interrupted", "The connection was lost."))
    assert out[-1] == {"type": "RUN_ERROR", "message": "The connection was lost.", "code": "interrupted"}
    assert types(out).index("TEXT_MESSAGE_END") < types(out).index("RUN_ERROR")


def test_a_run_with_no_events_still_starts_and_finishes() -> None:
    assert types(encode([])) == ["RUN_STARTED", "RUN_FINISHED"]


def test_every_frame_is_one_data_line() -> None:
    framer = Framer(AGUIEncoder(CONV, "r1"))
    body = b"".join(
        framer.event(e) for e in events(msg("assistant_message", content="a\nb\r\nc\u2028", seq_id=2), STOP)
    )
    body += framer.end(None)
    for block in body.decode().split("\n\n")[:-1]:
        lines = block.split("\n")
        assert lines[0].startswith("id: ") and len(lines) == 2 and lines[1].startswith("data: ")


_STREAM = [
    msg("reasoning_message", reasoning="a", seq_id=2),
    msg("reasoning_message", reasoning="b", seq_id=3),
    msg("assistant_message", content="c", seq_id=4),
    msg("assistant_message", content="d", seq_id=5, step_id="step-2"),
    STOP,
]


@given(st.integers(min_value=0, max_value=40))
def test_a_resumed_stream_continues_exactly_after_the_last_event_the_browser_has(cut: int) -> None:
    framer = Framer(AGUIEncoder(CONV, "r1"))
    whole = b"".join(framer.event(e) for e in events(*_STREAM)) + framer.end(None)
    blocks = [b + b"\n\n" for b in whole.split(b"\n\n")[:-1]]
    cut = min(cut, len(blocks) - 1)
    last = EventId.parse(blocks[cut].split(b"\n")[0][4:].decode())
    resumed = Framer(AGUIEncoder(CONV, "r1"), after=last)
    rest = b"".join(resumed.event(e) for e in events(*_STREAM)) + resumed.end(None)
    assert b"".join(blocks[: cut + 1]) + rest == whole


# -- the transcript -------------------------------------------------------------------------------


def test_the_transcript_keeps_user_images_and_leaves_out_system_and_approval_answers() -> None:
    history = _MESSAGES.validate_python(
        [
            msg("system_message", 1, content="instructions", step_id=None),
            msg(
                "user_message",
                2,
                content=[
                    {"type": "text", "text": "what is this?"},
                    {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AAAA"}},
                ],
            ),
            msg("assistant_message", 3, content=[{"type": "text", "text": "A "}, {"type": "text", "text": "dot."}]),
            msg("approval_response_message", 4, approvals=[], step_id=None),
        ]
    )
    assert agui_messages(history) == [
        {
            "id": "message-00000002-0000-4000-8000-000000000000",
            "role": "user",
            "content": [
                {"type": "text", "text": "what is this?"},
                {"type": "image", "source": {"type": "data", "value": "AAAA", "mimeType": "image/png"}},
            ],
        },
        {"id": "step-1:assistant", "role": "assistant", "content": "A dot."},
    ]


# -- RunAgentInput ---------------------------------------------------------------------------------


def body(*messages: Dict[str, Any], **fields: Any) -> Dict[str, Any]:
    return {"threadId": CONV, "runId": "run-a", "messages": list(messages), **fields}


def user(text: Any = "hello", id: str = "m1") -> Dict[str, Any]:
    return {"id": id, "role": "user", "content": text}


def parse(data: object, max_messages: int = 50, max_chars: int = 1000) -> Any:
    return parse_run_input(data, max_messages=max_messages, max_message_chars=max_chars)


def refused(data: object, status: int = 400, **limits: int) -> str:
    with pytest.raises(BadRequest) as caught:
        parse(data, **limits)
    assert caught.value.status == status
    assert "\n" not in caught.value.reason
    return caught.value.reason


def test_only_the_newest_user_message_is_sent() -> None:
    run = parse(body(user("old", "m0"), {"id": "a", "role": "assistant", "content": "hi"}, user("new", "m2")))
    assert run.outgoing.conversation_id == CONV
    assert run.outgoing.key == "m2"
    assert run.outgoing.messages == [{"type": "message", "role": "user", "content": "new"}]
    assert run.run_id == "run-a" and run.client_tools == []


def test_text_and_image_parts_are_sent_as_letta_content() -> None:
    parts = [
        {"type": "text", "text": "see"},
        {"type": "image", "source": {"type": "data", "value": "QUJD", "mimeType": "image/png"}},
    ]
    assert parse(body(user(parts))).outgoing.messages[0]["content"] == [
        {"type": "text", "text": "see"},
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "QUJD"}},
    ]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ([{"type": "image", "source": {"type": "url", "value": "http://169.254.169.254/x"}}], "URL"),
        ([{"type": "audio", "source": {"type": "data", "value": "x", "mimeType": "audio/wav"}}], "audio"),
        ([{"type": "image", "source": {"type": "data", "value": "x", "mimeType": "text/html"}}], "image mimeType"),
        ("   ", "empty"),
        ([], "empty"),
        (7, "expected a list"),
    ],
)
def test_content_letta_cannot_take_is_refused(content: Any, words: str) -> None:
    assert words in refused(body(user(content)))


@pytest.mark.parametrize("thread", [None, 5, "conv-../x", "conv-%2F", f"{CONV}/../runs", "agent-1"])
def test_a_thread_id_that_is_not_a_conversation_id_is_refused(thread: Any) -> None:
    assert refused({**body(user()), "threadId": thread}).startswith("threadId:")


def test_limits_are_413() -> None:
    refused(body(*[user(id=str(i)) for i in range(6)]), 413, max_messages=5)
    refused(body(user("x" * 11)), 413, max_chars=10)
    refused(body(user([{"type": "text", "text": "x" * 6}, {"type": "text", "text": "x" * 6}])), 413, max_chars=10)
    refused(body(user(), tools=[{"name": f"t{i}", "description": ""} for i in range(65)]), 413)
    refused(
        body(user(), resume=[{"interruptId": str(i), "status": "cancelled"} for i in range(6)]), 413, max_messages=5
    )


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        "x",
        {"threadId": CONV, "messages": [user()]},
        body(user(), runId=""),
        {"threadId": CONV, "runId": "r"},
        body(),
        body({"id": "a", "role": "assistant", "content": "hi"}),
        body(user(id="")),
        body("not an object"),  # type: ignore[arg-type]
    ],
)
def test_malformed_input_is_a_400(data: Any) -> None:
    refused(data)


def test_frontend_tools_become_client_tools() -> None:
    tool = {"name": "pick_color", "description": "Pick.", "parameters": {"type": "object"}}
    assert parse(body(user(), tools=[tool, {"name": "x", "description": ""}])).client_tools == [
        tool,
        {"name": "x", "description": ""},
    ]
    for bad in [{"name": "a b", "description": ""}, {"name": "x"}, {"name": "x", "description": "", "parameters": []}]:
        refused(body(user(), tools=[bad]))
    refused(body(user(), tools=[{"name": "x", "description": ""}] * 2))


def approvals(run: Any) -> List[Dict[str, Any]]:
    assert run.outgoing.messages[0]["type"] == "approval"
    result: List[Dict[str, Any]] = run.outgoing.messages[0]["approvals"]
    return result


@pytest.mark.parametrize(
    ("entry", "answer"),
    [
        ({"status": "resolved"}, {"type": "approval", "tool_call_id": "c1", "approve": True}),
        ({"status": "resolved", "payload": True}, {"type": "approval", "tool_call_id": "c1", "approve": True}),
        (
            {"status": "resolved", "payload": {"approved": True}},
            {"type": "approval", "tool_call_id": "c1", "approve": True},
        ),
        ({"status": "resolved", "payload": False}, {"type": "approval", "tool_call_id": "c1", "approve": False}),
        ({"status": "cancelled"}, {"type": "approval", "tool_call_id": "c1", "approve": False}),
        (
            {"status": "resolved", "payload": {"approved": False, "reason": "not now"}},
            {"type": "approval", "tool_call_id": "c1", "approve": False, "reason": "not now"},
        ),
        (
            {"status": "resolved", "payload": {"result": "blue"}},
            {"type": "tool", "tool_call_id": "c1", "status": "success", "tool_return": "blue"},
        ),
        (
            {"status": "resolved", "payload": {"result": {"n": 1}, "status": "error"}},
            {"type": "tool", "tool_call_id": "c1", "status": "error", "tool_return": '{"n": 1}'},
        ),
    ],
)
def test_resume_answers_become_one_approval_message(entry: Dict[str, Any], answer: Dict[str, Any]) -> None:
    assert approvals(parse(body(user(), resume=[{"interruptId": "c1", **entry}]))) == [answer]


@pytest.mark.parametrize(
    "entry",
    [
        {"status": "done"},
        {"interruptId": "", "status": "resolved"},
        {"status": "resolved", "payload": "yes"},
        {"status": "resolved", "payload": {}},
        {"status": "resolved", "payload": {"approved": "yes"}},
        {"status": "resolved", "payload": {"approved": False, "reason": 3}},
        {"status": "resolved", "payload": {"result": "x", "status": "meh"}},
    ],
)
def test_a_malformed_answer_is_a_400(entry: Dict[str, Any]) -> None:
    refused(body(resume=[{"interruptId": "c1", **entry}]))


def test_two_answers_to_one_interrupt_are_refused_and_the_key_does_not_depend_on_order() -> None:
    refused(body(resume=[{"interruptId": "c1", "status": "cancelled"}] * 2))
    one = parse(
        body(resume=[{"interruptId": "c1", "status": "cancelled"}, {"interruptId": "c2", "status": "resolved"}])
    )
    two = parse(
        body(resume=[{"interruptId": "c2", "status": "resolved"}, {"interruptId": "c1", "status": "cancelled"}])
    )
    assert one.outgoing.key == two.outgoing.key and one.outgoing.key.startswith("resume-")


def test_a_new_user_message_with_the_answers_is_sent_after_them() -> None:
    """Letta takes an approval and a message in one send: the user typed instead of answering."""
    run = parse(
        body(
            user("old", "m0"),
            {"id": "a", "role": "assistant"},
            user("never mind", "m2"),
            resume=[{"interruptId": "c1", "status": "cancelled"}],
        )
    )
    assert run.outgoing.messages == [
        {"type": "approval", "approvals": [{"type": "approval", "tool_call_id": "c1", "approve": False}]},
        {"type": "message", "role": "user", "content": "never mind"},
    ]
    refused(body(user("x" * 11), resume=[{"interruptId": "c1", "status": "cancelled"}]), 413, max_chars=10)


def tool_message(call: str, content: Any, id: Optional[str] = None, **fields: Any) -> Dict[str, Any]:
    return {"id": id or f"{call}:client", "role": "tool", "toolCallId": call, "content": content, **fields}


def test_trailing_tool_messages_are_the_client_tools_results() -> None:
    run = parse(
        body(
            user(),
            {"id": "a", "role": "assistant", "toolCalls": []},
            tool_message("c1", "blue"),
            tool_message("c2", [{"type": "text", "text": "bo"}, {"type": "text", "text": "om"}], error="failed"),
            tool_message("c3", "", error="no output"),
        )
    )
    assert run.outgoing.key == "c3:client"
    assert approvals(run) == [
        {"type": "tool", "tool_call_id": "c1", "status": "success", "tool_return": "blue"},
        {"type": "tool", "tool_call_id": "c2", "status": "error", "tool_return": "boom"},
        {"type": "tool", "tool_call_id": "c3", "status": "error", "tool_return": "no output"},
    ]
    refused(body(tool_message("c1", [{"type": "image", "source": {}}])))
    refused(body(tool_message("c1", "x" * 11)), 413, max_chars=10)


def test_a_resume_without_a_payload_takes_the_frontend_tools_result() -> None:
    run = parse(
        body(
            tool_message("c1", "green"),
            tool_message("c3", "extra"),
            resume=[{"interruptId": "c1", "status": "resolved"}, {"interruptId": "c2", "status": "resolved"}],
        )
    )
    assert approvals(run) == [
        {"type": "tool", "tool_call_id": "c1", "status": "success", "tool_return": "green"},
        {"type": "approval", "tool_call_id": "c2", "approve": True},
        {"type": "tool", "tool_call_id": "c3", "status": "success", "tool_return": "extra"},
    ]


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
_KEYS = st.sampled_from(
    [
        "threadId",
        "runId",
        "messages",
        "resume",
        "tools",
        "id",
        "role",
        "content",
        "toolCallId",
        "interruptId",
        "status",
        "payload",
        "result",
        "approved",
        "reason",
        "type",
        "text",
        "source",
        "name",
        "description",
        "parameters",
        "error",
        "mimeType",
        "value",
    ]
)
_SHAPED = st.recursive(
    st.none()
    | st.booleans()
    | st.sampled_from([CONV, "user", "tool", "resolved", "cancelled", "text", "image", "data"])
    | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        _JSON,
        _SHAPED,
        st.fixed_dictionaries(
            {"threadId": st.just(CONV), "runId": st.just("r")},
            optional={"messages": _SHAPED, "resume": _SHAPED, "tools": _SHAPED},
        ),
    )
)
def test_any_json_is_read_or_refused_with_a_bad_request(data: object) -> None:
    try:
        run = parse(data)
    except BadRequest as error:
        assert error.status in (400, 413) and error.reason and "\n" not in error.reason
    else:
        assert run.outgoing.conversation_id == CONV and 1 <= len(run.outgoing.messages) <= 2
