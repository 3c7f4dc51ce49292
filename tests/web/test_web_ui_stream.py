"""The AI SDK UI message stream encoder and the transcript restore, without Node: the parts each
Letta event becomes, the framing, resume, determinism, and what an error part may say."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from letta_client.types.messages import LettaMessageUnion, LettaStreamingResponse
from letta_client.web._event_ids import EventId
from letta_client.web._framer import Framer, Problem
from letta_client.web._sse import STREAM_HEADERS
from letta_client.web.ui_message_stream import (
    AI_SDK_MAJOR,
    UI_MESSAGE_STREAM_HEADERS,
    UIMessageStreamEncoder,
    approval_id,
    parse_chat_request,
    ui_messages,
)

EVENTS: TypeAdapter[LettaStreamingResponse] = TypeAdapter(LettaStreamingResponse)
MESSAGES: TypeAdapter[LettaMessageUnion] = TypeAdapter(LettaMessageUnion)
RUN = "run-11111111-1111-4111-8111-111111111111"
RUN2 = "run-22222222-2222-4222-8222-222222222222"
CONV = "conv-33333333-3333-4333-8333-333333333333"
DATE = "2026-12-05T10:00:00+00:00"


def message(
    kind: str,
    *,
    id: str = "message-a",
    otid: Optional[str] = "o-1",
    step: Optional[str] = "step-1",
    run: str = RUN,
    seq: Optional[int] = None,
    **fields: Any,
) -> Dict[str, Any]:
    return {
        "id": id,
        "date": DATE,
        "message_type": kind,
        "otid": otid,
        "step_id": step,
        "run_id": run,
        "seq_id": seq,
        **fields,
    }


def text(content: str, **kw: Any) -> Dict[str, Any]:
    return message("assistant_message", content=content, **kw)


def reasoning(content: str, **kw: Any) -> Dict[str, Any]:
    return message("reasoning_message", reasoning=content, source="reasoner_model", **kw)


def calls(kind: str, deltas: Any, **kw: Any) -> Dict[str, Any]:
    first = deltas[0] if isinstance(deltas, list) else deltas
    return message(kind, tool_call=first, tool_calls=deltas, **kw)


def returns(*items: Dict[str, Any], **kw: Any) -> Dict[str, Any]:
    full = [{"type": "tool", "stdout": None, "stderr": None, **item} for item in items]
    first = full[0]
    return message(
        "tool_return_message",
        tool_return=first["tool_return"],
        status=first["status"],
        tool_call_id=first["tool_call_id"],
        tool_returns=full,
        **kw,
    )


STOP = {"message_type": "stop_reason", "stop_reason": "end_turn"}
USAGE = {
    "message_type": "usage_statistics",
    "completion_tokens": 5,
    "prompt_tokens": 100,
    "total_tokens": 105,
    "step_count": 1,
}


def parts(
    events: Sequence[Dict[str, Any]],
    problem: Optional[Problem] = None,
    encoder: Optional[UIMessageStreamEncoder] = None,
) -> List[Dict[str, Any]]:
    encoder = encoder or UIMessageStreamEncoder()
    frames = [frame for event in events for frame in encoder.event(EVENTS.validate_python(event))]
    frames += encoder.end(problem)
    assert frames[-1] == (None, "[DONE]")
    assert all(name is None for name, _ in frames)
    return [json.loads(data) for _, data in frames[:-1]]


def types(out: List[Dict[str, Any]]) -> List[str]:
    return [part["type"] for part in out]


def test_the_headers_mark_an_unbuffered_v1_ui_message_stream() -> None:
    assert AI_SDK_MAJOR == 7
    assert UI_MESSAGE_STREAM_HEADERS == {**STREAM_HEADERS, "x-vercel-ai-ui-message-stream": "v1"}


def test_a_step_mode_reply_is_one_step_with_one_text_and_a_finish_carrying_run_stop_reason_and_usage() -> None:
    out = parts([text("Hello there."), STOP, USAGE])
    assert out == [
        {"type": "start", "messageId": RUN, "messageMetadata": {"runId": RUN}},
        {"type": "start-step"},
        {"type": "text-start", "id": "o-1"},
        {"type": "text-delta", "id": "o-1", "delta": "Hello there."},
        {"type": "text-end", "id": "o-1"},
        {"type": "finish-step"},
        {
            "type": "finish",
            "finishReason": "stop",
            "messageMetadata": {
                "runId": RUN,
                "stopReason": "end_turn",
                "usage": {"inputTokens": 100, "outputTokens": 5, "totalTokens": 105, "stepCount": 1},
            },
        },
    ]


def test_token_chunks_of_one_part_make_one_block_and_a_new_otid_a_new_one() -> None:
    out = parts(
        [
            reasoning("Think", otid="o-0"),
            reasoning("ing.", otid="o-0"),
            text("Hel", otid="o-1"),
            text("lo", otid="o-1"),
            STOP,
        ]
    )
    assert types(out)[1:-2] == [
        "start-step",
        "reasoning-start",
        "reasoning-delta",
        "reasoning-delta",
        "reasoning-end",
        "text-start",
        "text-delta",
        "text-delta",
        "text-end",
    ]
    assert {p["id"] for p in out if p["type"].startswith("reasoning")} == {"o-0"}
    assert "".join(p["delta"] for p in out if p["type"] == "text-delta") == "Hello"


def test_each_letta_step_is_an_ai_sdk_step() -> None:
    out = parts([text("a", step="step-1", otid="o-1"), text("b", step="step-2", otid="o-2"), STOP])
    assert types(out)[1:-1] == [
        "start-step",
        "text-start",
        "text-delta",
        "text-end",
        "finish-step",
        "start-step",
        "text-start",
        "text-delta",
        "text-end",
        "finish-step",
    ]


def test_hidden_reasoning_is_an_empty_reasoning_part_that_says_why() -> None:
    out = parts([message("hidden_reasoning_message", state="omitted", hidden_reasoning=None), STOP])
    start = next(p for p in out if p["type"] == "reasoning-start")
    assert start["providerMetadata"] == {"letta": {"hiddenReasoning": "omitted"}}
    assert "reasoning-delta" not in types(out)


def test_whole_parallel_tool_calls_then_their_returns() -> None:
    whole = [
        {"name": "get_weather", "arguments": '{"city": "Oslo"}', "tool_call_id": "c1"},
        {"name": "get_weather", "arguments": "not json", "tool_call_id": "c2"},
        {"name": "noop", "arguments": "", "tool_call_id": "c3"},
    ]
    out = parts(
        [
            calls("tool_call_message", whole),
            returns(
                {"tool_call_id": "c1", "status": "success", "tool_return": "sunny"},
                {"tool_call_id": "c2", "status": "error", "tool_return": "bad input"},
                {"tool_call_id": "c3", "status": "success", "tool_return": [{"type": "text", "text": "ok"}]},
                id="message-r",
                otid="o-r",
            ),
            STOP,
        ]
    )
    available = [p for p in out if p["type"] == "tool-input-available"]
    assert [(p["toolCallId"], p["toolName"], p["input"]) for p in available] == [
        ("c1", "get_weather", {"city": "Oslo"}),
        ("c2", "get_weather", "not json"),
        ("c3", "noop", {}),
    ]
    outputs = [p for p in out if p["type"].startswith("tool-output")]
    assert outputs == [
        {"type": "tool-output-available", "toolCallId": "c1", "output": "sunny"},
        {"type": "tool-output-error", "toolCallId": "c2", "errorText": "bad input"},
        {"type": "tool-output-available", "toolCallId": "c3", "output": [{"type": "text", "text": "ok"}]},
    ]
    assert "tool-approval-request" not in types(out)


def test_token_mode_tool_deltas_stream_the_arguments_per_call() -> None:
    out = parts(
        [
            # OpenAI style: the name once; Anthropic style: the name on every delta; a delta
            # without an id goes to the call before it; arguments before the name wait for it
            calls("tool_call_message", {"arguments": '{"a"', "tool_call_id": "c1"}),
            calls("tool_call_message", {"name": "first", "tool_call_id": "c1"}),
            calls("tool_call_message", {"arguments": ": 1}"}),
            calls("tool_call_message", {"name": "second", "tool_call_id": "c2"}),
            calls("tool_call_message", {"name": "second", "arguments": "{}", "tool_call_id": "c2"}),
            STOP,
        ]
    )
    assert [
        (p["type"], p.get("toolName") or p.get("inputTextDelta")) for p in out if p["type"].startswith("tool-")
    ] == [
        ("tool-input-start", "first"),
        ("tool-input-delta", '{"a"'),
        ("tool-input-delta", ": 1}"),
        ("tool-input-start", "second"),
        ("tool-input-delta", "{}"),
        ("tool-input-available", "first"),
        ("tool-input-available", "second"),
    ]
    assert [p["input"] for p in out if p["type"] == "tool-input-available"] == [{"a": 1}, {}]


def test_an_approval_request_asks_for_approval_of_each_call() -> None:
    deltas = [{"name": "pick_color", "arguments": '{"hint": "warm"}', "tool_call_id": "c1"}]
    out = parts(
        [
            calls("approval_request_message", deltas, otid="message-x", id="message-x"),
            {"message_type": "stop_reason", "stop_reason": "requires_approval"},
        ]
    )
    assert out[-4:] == [
        {"type": "tool-input-available", "toolCallId": "c1", "toolName": "pick_color", "input": {"hint": "warm"}},
        {"type": "tool-approval-request", "approvalId": approval_id("c1"), "toolCallId": "c1"},
        {"type": "finish-step"},
        {
            "type": "finish",
            "finishReason": "tool-calls",
            "messageMetadata": {"runId": RUN, "stopReason": "requires_approval"},
        },
    ]


def test_the_answers_of_a_continuation_settle_at_the_start_and_their_echoes_are_skipped() -> None:
    answers = [
        {"type": "tool", "tool_call_id": "c1", "tool_return": "blue", "status": "success"},
        {"type": "approval", "tool_call_id": "c2", "approve": False, "reason": "no"},
        {"type": "approval", "tool_call_id": "c3", "approve": True, "reason": None},
    ]
    encoder = UIMessageStreamEncoder(message_id=RUN, answers=answers)
    echo = returns(
        {"tool_call_id": "c1", "status": "success", "tool_return": "blue"},
        {"tool_call_id": "c2", "status": "error", "tool_return": "Error: request to call tool denied. User reason: no"},
        {"tool_call_id": "c3", "status": "success", "tool_return": "ran"},
        run=RUN2,
        step="step-0",
    )
    out = parts([echo, text("done", run=RUN2, step="step-9"), STOP], encoder=encoder)
    assert out[:5] == [
        {"type": "start", "messageId": RUN, "messageMetadata": {"runId": RUN2}},
        {"type": "tool-output-available", "toolCallId": "c1", "output": "blue"},
        {"type": "tool-output-denied", "toolCallId": "c2"},
        {"type": "tool-output-available", "toolCallId": "c3", "output": "ran"},  # approved: it ran
        {"type": "start-step"},  # the answers' returns belong to the step that asked
    ]
    assert types(out).count("start-step") == 1


def test_a_tool_return_for_a_call_this_stream_never_showed_gets_a_part_first() -> None:
    out = parts([returns({"tool_call_id": "c9", "status": "success", "tool_return": "x"}, name="lookup"), STOP])
    assert [p["type"] for p in out if p["type"].startswith("tool-")] == [
        "tool-input-start",
        "tool-input-available",
        "tool-output-available",
    ]
    assert next(p for p in out if p["type"] == "tool-input-available")["toolName"] == "lookup"


def test_an_error_event_says_the_servers_message_in_one_line_never_its_detail() -> None:
    error = {
        "message_type": "error_message",
        "run_id": RUN,
        "error_type": "llm_error",
        "message": "An error occurred\nwith the LLM request.",
        "detail": "Traceback (most recent call last): api_key=sk-secret",
    }
    out = parts(
        [text("part"), {"message_type": "stop_reason", "stop_reason": "llm_api_error"}, error],
        Problem("error", "The run failed."),
    )
    errors = [p for p in out if p["type"] == "error"]
    assert errors == [{"type": "error", "errorText": "An error occurred with the LLM request."}]  # one, not two
    assert out[-1]["finishReason"] == "error"
    assert "sk-secret" not in json.dumps(out) and "Traceback" not in json.dumps(out)


def test_an_error_event_without_a_message_names_its_type() -> None:
    error = {"message_type": "error_message", "run_id": RUN, "error_type": "internal_error", "message": " "}
    assert [p for p in parts([error]) if p["type"] == "error"] == [
        {"type": "error", "errorText": "The agent run failed (internal_error)."}
    ]


@pytest.mark.parametrize(
    ("problem", "stop_reason", "expected"),
    [
        (None, "cancelled", ["message-metadata", "abort"]),
        (Problem("cancelled", "Stopped by the user."), None, ["message-metadata", "abort"]),
        (Problem("error", "The relay lost the server."), None, ["error", "finish"]),
        (Problem("interrupted", "The stream was cut."), None, ["error", "finish"]),
    ],
)
def test_how_a_stream_ends(problem: Optional[Problem], stop_reason: Optional[str], expected: List[str]) -> None:
    events: List[Dict[str, Any]] = [text("Hello", seq=2)]
    if stop_reason is not None:
        events.append({"message_type": "stop_reason", "stop_reason": stop_reason})
    out = parts(events, problem)
    assert types(out)[-len(expected) :] == expected
    assert types(out)[-len(expected) - 2 :][:2] == ["text-end", "finish-step"]
    last = out[-1]
    if last["type"] == "abort":
        assert last["reason"] == (problem.text if problem else "cancelled")
        assert out[-2]["messageMetadata"]["runId"] == RUN
    elif problem is not None:
        assert out[-2] == {"type": "error", "errorText": problem.text}
        assert last["finishReason"] == ("interrupted" if problem.kind == "interrupted" else "error")


@pytest.mark.parametrize(
    ("stop_reason", "finish_reason"),
    [
        ("end_turn", "stop"),
        ("max_tokens_exceeded", "length"),
        ("max_steps", "other"),
        ("invalid_tool_call", "error"),
        ("a_new_reason", "other"),
    ],
)
def test_letta_stop_reasons_as_finish_reasons(stop_reason: str, finish_reason: str) -> None:
    assert (
        parts([text("x"), {"message_type": "stop_reason", "stop_reason": stop_reason}])[-1]["finishReason"]
        == finish_reason
    )


def test_a_stream_with_nothing_in_it_still_starts_and_finishes() -> None:
    assert parts([]) == [{"type": "start"}, {"type": "finish", "finishReason": "other", "messageMetadata": {}}]


def test_a_message_type_the_browser_has_no_part_for_is_kept_as_a_data_part() -> None:
    newer = message("telepathy_message", id="message-t", otid=None, seq=7, thought={"deep": True})
    summary = message("summary_message", id="message-s", otid="o-s", summary="Earlier: hello.")
    out = parts([newer, summary, STOP])
    data = [p for p in out if p["type"].startswith("data-")]
    assert data[0]["type"] == "data-letta-telepathy_message"
    assert data[0]["id"] == "message-t"
    assert data[0]["data"]["thought"] == {"deep": True} and "seq_id" not in data[0]["data"]
    assert data[1]["type"] == "data-letta-summary_message" and data[1]["data"]["summary"] == "Earlier: hello."


def test_an_odd_message_type_cannot_make_an_odd_part_type() -> None:
    out = parts([message("we ird/type\n", id="message-q")])
    assert [p["type"] for p in out if p["type"].startswith("data-")] == ["data-letta-we_ird_type_"]


RUN_EVENTS: List[Dict[str, Any]] = [
    {"id": "ping-1", "date": DATE, "message_type": "ping", "run_id": RUN, "seq_id": 1},
    reasoning("Hm", otid="o-0", seq=2),
    reasoning("m.", otid="o-0", seq=3),
    text("Hel", otid="o-1", seq=4),
    text("lo", otid="o-1", seq=5),
    STOP,
    USAGE,
]


def _stream(after: Optional[EventId] = None) -> bytes:
    framer = Framer(UIMessageStreamEncoder(), after=after)
    return b"".join(framer.event(EVENTS.validate_python(event)) for event in RUN_EVENTS) + framer.end(None)


def test_the_same_events_give_the_same_bytes() -> None:
    assert _stream() == _stream()


def _frames(body: bytes) -> List[str]:
    return [chunk for chunk in body.decode().split("\n\n") if chunk]


def test_frames_carry_the_run_and_seq_ids_and_pings_become_comments() -> None:
    frames = _frames(_stream())
    assert frames[0] == ": ping"
    ids = [line[4:] for frame in frames for line in frame.splitlines() if line.startswith("id: ")]
    assert ids[:4] == [f"{RUN}:2", f"{RUN}:2.1", f"{RUN}:2.2", f"{RUN}:2.3"]
    assert ids[-1].startswith(f"{RUN}:5.")
    assert frames[-1].endswith("data: [DONE]")
    assert all(len([line for line in frame.splitlines() if line.startswith("data: ")]) == 1 for frame in frames[1:])


@pytest.mark.parametrize("cut", range(1, 13))
def test_a_resume_after_any_frame_sends_exactly_the_rest(cut: int) -> None:
    frames = [frame for frame in _frames(_stream()) if frame != ": ping"]
    last_seen = next(line[4:] for line in frames[cut - 1].splitlines() if line.startswith("id: "))
    resumed = [frame for frame in _frames(_stream(EventId.parse(last_seen))) if frame != ": ping"]
    assert resumed == frames[cut:]


def test_for_request_and_for_run_build_the_same_encoder_for_a_continuation() -> None:
    body = {
        "id": CONV,
        "trigger": "submit-message",
        "messages": [
            {
                "id": RUN,
                "role": "assistant",
                "parts": [
                    {"type": "step-start"},
                    {
                        "type": "tool-pick",
                        "toolCallId": "c1",
                        "state": "approval-responded",
                        "approval": {"id": approval_id("c1"), "approved": False, "reason": "no"},
                    },
                ],
            }
        ],
    }
    outgoing = parse_chat_request(body, max_messages=10, max_message_chars=100)
    history = [
        MESSAGES.validate_python(m)
        for m in [
            message("user_message", id="message-u", content="go", run=RUN),
            calls(
                "approval_request_message",
                [{"name": "pick", "arguments": "{}", "tool_call_id": "c1"}],
                id="message-x",
                otid="message-x",
            ),
            message(
                "approval_response_message",
                id="message-r",
                otid=None,
                step=None,
                run=RUN2,
                approvals=outgoing.messages[0]["approvals"],
            ),
        ]
    ]
    events = [text("ok", run=RUN2, step="step-2", seq=2), STOP]
    by_request = parts(events, encoder=UIMessageStreamEncoder.for_request(outgoing))
    by_history = parts(events, encoder=UIMessageStreamEncoder.for_run(history, RUN2))
    assert by_request == by_history
    assert by_request[0]["messageId"] == RUN and by_request[1] == {"type": "tool-output-denied", "toolCallId": "c1"}
    assert parts(events, encoder=UIMessageStreamEncoder.for_run(history, RUN))[0]["messageId"] == RUN2  # not its run


def _history(*items: Dict[str, Any]) -> List[LettaMessageUnion]:
    return [MESSAGES.validate_python(item) for item in items]


def test_the_restore_skips_system_messages_and_keeps_user_text_and_images() -> None:
    restored = ui_messages(
        _history(
            message("system_message", id="message-s", content="You are secret instructions.", run=None, step=None),  # type: ignore[arg-type]
            message(
                "user_message",
                id="message-u",
                content=[
                    {"type": "text", "text": "look"},
                    {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}},
                    {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AAAA"}},
                ],
            ),
        )
    )
    assert restored == [
        {
            "id": "message-u",
            "role": "user",
            "parts": [
                {"type": "text", "text": "look"},
                {"type": "file", "mediaType": "image/*", "url": "https://example.com/a.png"},
                {"type": "file", "mediaType": "image/png", "url": "data:image/png;base64,AAAA"},
            ],
        }
    ]
    assert "secret" not in json.dumps(restored)


def test_the_restore_makes_one_assistant_message_per_turn_with_the_answers_the_browser_gave() -> None:
    restored = ui_messages(
        _history(
            message("user_message", id="message-u", content="pick", step="step-1"),
            calls(
                "approval_request_message",
                [{"name": "pick", "arguments": "{}", "tool_call_id": "c1"}],
                id="message-x",
                otid="message-x",
            ),
            message(
                "approval_response_message",
                id="message-r",
                otid=None,
                step=None,
                run=RUN2,
                approvals=[{"type": "approval", "tool_call_id": "c1", "approve": False, "reason": "no"}],
            ),
            returns(
                {"tool_call_id": "c1", "status": "error", "tool_return": "denied"}, run=RUN2, id="message-t", otid="o-t"
            ),
            text("fine", run=RUN2, step="step-2", otid="o-2", id="message-b"),
            message(
                "user_message",
                id="message-v",
                content="again",
                run="run-33333333-3333-4333-8333-333333333333",
                step="step-3",
            ),
            text(
                "once more", run="run-33333333-3333-4333-8333-333333333333", step="step-3", otid="o-3", id="message-c"
            ),
        )
    )
    assert [(m["role"], m["id"]) for m in restored] == [
        ("user", "message-u"),
        ("assistant", RUN),
        ("user", "message-v"),
        ("assistant", "run-33333333-3333-4333-8333-333333333333"),
    ]
    turn = restored[1]
    assert turn["metadata"] == {"runId": RUN2}
    assert turn["parts"] == [
        {"type": "step-start"},
        {
            "type": "tool-pick",
            "toolCallId": "c1",
            "state": "output-denied",
            "input": {},
            "approval": {"id": approval_id("c1"), "approved": False, "reason": "no"},
        },
        {"type": "step-start"},
        {"type": "text", "text": "fine", "state": "done"},
    ]


def test_the_restore_of_a_history_cut_mid_turn_does_not_fail() -> None:
    restored = ui_messages(
        _history(
            message(
                "approval_response_message",
                id="message-r",
                otid=None,
                step=None,
                run=RUN2,
                approvals=[{"type": "tool", "tool_call_id": "c1", "status": "success", "tool_return": "x"}],
            ),
            returns({"tool_call_id": "c1", "status": "success", "tool_return": "x"}, run=RUN2),
            text("after", run=RUN2, step="step-2"),
        )
    )
    assert [p["type"] for p in restored[0]["parts"]] == ["step-start", "text"]
    assert restored[0]["id"] == RUN2


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                text("a", otid="o-1"),
                text("b", otid="o-2", step="step-2"),
                reasoning("r", otid="o-0"),
                calls("tool_call_message", {"name": "t", "arguments": "{", "tool_call_id": "c1"}, otid="o-5"),
                calls("approval_request_message", {"name": "u", "arguments": "}", "tool_call_id": "c2"}, otid="o-6"),
                returns({"tool_call_id": "c1", "status": "success", "tool_return": "ok"}, otid="o-7"),
                message("event_message", event_type="compaction", event_data={}),
                STOP,
                USAGE,
                {"message_type": "error_message", "run_id": RUN, "error_type": "x", "message": "boom"},
            ]
        ),
        max_size=12,
    ),
    st.sampled_from([None, Problem("error", "e"), Problem("cancelled", "c"), Problem("interrupted", "i")]),
)
def test_any_sequence_of_events_gives_well_formed_frames_that_open_before_they_close(
    events: List[Dict[str, Any]], problem: Optional[Problem]
) -> None:
    out = parts(events, problem)
    assert out[0]["type"] == "start" and out[-1]["type"] in ("finish", "abort")
    open_blocks: set[str] = set()
    steps = 0
    for part in out:
        kind = part["type"]
        if kind.endswith("-start") and kind.split("-")[0] in ("text", "reasoning"):
            open_blocks.add(part["id"])
        elif kind.endswith("-delta") and kind.split("-")[0] in ("text", "reasoning"):
            assert part["id"] in open_blocks
        elif kind.endswith("-end"):
            open_blocks.remove(part["id"])
        elif kind == "start-step":
            steps += 1
            assert steps == 1
        elif kind == "finish-step":
            steps -= 1
    assert not open_blocks and steps == 0


def test_a_continuation_the_server_refuses_shows_none_of_the_answers() -> None:
    encoder = UIMessageStreamEncoder(
        message_id=RUN, answers=[{"type": "approval", "tool_call_id": "c1", "approve": False}]
    )
    refusal = {
        "message_type": "error_message",
        "run_id": RUN2,
        "error_type": "internal_error",
        "message": "Invalid tool call IDs.",
    }
    out = parts([{"message_type": "stop_reason", "stop_reason": "error"}, refusal], encoder=encoder)
    assert types(out) == ["start", "error", "finish"]
    assert out[0] == {"type": "start", "messageId": RUN, "messageMetadata": {"runId": RUN2}}


def test_a_system_message_never_reaches_the_browser() -> None:
    out = parts([message("system_message", content="secret instructions"), text("hi"), STOP])
    assert "secret" not in json.dumps(out)
    assert types(out)[:3] == ["start", "start-step", "text-start"]


CONTINUED = _history(
    message("user_message", id="message-u", content="pick two"),
    reasoning("Ask.", otid="o-0"),
    calls(
        "approval_request_message",
        [
            {"name": "pick", "arguments": "{}", "tool_call_id": "c1"},
            {"name": "size", "arguments": "{}", "tool_call_id": "c2"},
        ],
        id="message-x",
        otid="message-x",
    ),
    message(
        "approval_response_message",
        id="message-r",
        otid=None,
        step=None,
        run=RUN2,
        approvals=[
            {"type": "approval", "tool_call_id": "c1", "approve": False, "reason": "no"},
            {"type": "tool", "tool_call_id": "c2", "status": "success", "tool_return": "large"},
        ],
    ),
)
CONTINUATION_EVENTS = [
    {"id": "ping-2", "date": DATE, "message_type": "ping", "run_id": RUN2, "seq_id": 1},
    text("ok", run=RUN2, step="step-2", otid="o-2", seq=2),
    STOP,
]


def _continuation(after: Optional[EventId] = None) -> List[str]:
    framer = Framer(UIMessageStreamEncoder.for_run(CONTINUED, RUN2), after=after)
    body = b"".join(framer.event(EVENTS.validate_python(e)) for e in CONTINUATION_EVENTS) + framer.end(None)
    return [frame for frame in _frames(body) if frame != ": ping"]


def test_a_replayed_continuation_first_rebuilds_the_turn_as_the_browser_showed_it() -> None:
    frames = _continuation()
    prelude = [
        json.loads(f.split("data: ", 1)[1]) for f in frames if f.split("\n")[0].split(":")[-1].split(".")[0] == "0"
    ]
    assert prelude[0] == {"type": "start", "messageId": RUN}
    assert types(prelude)[1:] == [
        "start-step",
        "reasoning-start",
        "reasoning-delta",
        "reasoning-end",
        "tool-input-start",
        "tool-input-delta",
        "tool-input-start",
        "tool-input-delta",
        "tool-input-available",
        "tool-approval-request",  # c1: answered with a denial, so it was asked
        "tool-input-available",  # c2: answered with the client tool's output, so no request shows
        "finish-step",
        "tool-approval-response",
    ]
    assert prelude[-1] == {
        "type": "tool-approval-response",
        "approvalId": approval_id("c1"),
        "approved": False,
        "reason": "no",
    }
    assert frames[len(prelude)].startswith(f"id: {RUN2}:2\n")  # the run's own frames keep their ids


def test_a_resume_inside_the_prelude_gets_the_rest_and_one_past_it_none_of_it() -> None:
    whole = _continuation()
    assert _continuation(EventId(RUN2, 0, 3)) == whole[4:]
    assert (
        _continuation(EventId(RUN2, 2, 0))
        == whole[whole.index(next(f for f in whole if f.startswith(f"id: {RUN2}:2\n"))) + 1 :]
    )


def test_a_send_has_no_prelude_the_browser_has_the_turn_already() -> None:
    assert UIMessageStreamEncoder(message_id=RUN, answers=[]).prelude() == []
    assert UIMessageStreamEncoder.for_run(CONTINUED, RUN).prelude() == []  # not a continuation
