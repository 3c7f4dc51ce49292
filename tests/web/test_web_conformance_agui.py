"""Our AG-UI output against the real clients: ``@ag-ui/client``'s ``HttpAgent`` runs whole
conversations against a loopback endpoint (``parse_run_input`` → the simulator → ``AGUIEncoder``),
every event is checked with ``@ag-ui/core``'s own ``EventSchemas``, and the messages the client
assembles must equal ``agui_messages`` of what the server's history holds: turn by turn and for
the whole thread. Recorded streams of the real server (``tests/fixtures/*.sse``) go through the
same reader. Skips without Node/npm (fails with ``CI=true``)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import httpx
import pytest
from _agui_harness import AGUIEndpoint, Served, Turn, check_thread, node_turns, normalized
from _web_node import NodeClients
from pydantic import TypeAdapter

from letta_client import Letta
from letta_client._exceptions import LettaStreamError
from letta_client.testing import Error, Hold, Reply, Simulator, Think, ToolCall
from letta_client.testing._script import Action
from letta_client.types.messages import LettaMessageUnion, LettaStreamingResponse
from letta_client.web._framer import Framer, Problem
from letta_client.web.agui import AGUIEncoder, agui_messages

FIXTURES = Path(__file__).parent.parent / "fixtures"

pytestmark = pytest.mark.real_clients  # Node and the real npm clients: once, on the main Python

PICK_COLOR = {
    "name": "pick_color",
    "description": "Ask the user for a color.",
    "parameters": {"type": "object", "properties": {"hint": {"type": "string"}}, "required": ["hint"]},
}
PICK_SIZE = {"name": "pick_size", "description": "Ask the user for a size.", "parameters": {"type": "object"}}


@dataclass
class Scenario:
    name: str
    turns: List[Turn]
    modes: Tuple[str, ...] = ("tokens", "steps")
    cancel_after: Optional[str] = None
    hold: Optional[threading.Event] = None


def _user(text: str, *script: Action, outcome: str = "success", tools: Sequence[Dict[str, Any]] = ()) -> Turn:
    return Turn(outcome=outcome, user=text, script=script, tools=tools)


def _answer(*answers: Dict[str, Any], outcome: str = "success") -> Turn:
    return Turn(outcome=outcome, answers=answers, tools=[PICK_COLOR, PICK_SIZE])


ASK_COLOR = (Think("I need a color."), ToolCall("pick_color", {"hint": "sky"}), Reply("Noted, thanks."))


def scenarios() -> List[Scenario]:
    release = threading.Event()
    tools = [PICK_COLOR, PICK_SIZE]
    return [
        Scenario("text", [_user("hi", Reply("Hello there, friend."))]),
        Scenario("reasoning", [_user("why?", Think("Let me think this through."), Reply("Because."))]),
        Scenario(
            "server tool",
            [_user("weather?", Think("Checking."), ToolCall("get_weather", {"city": "Paris"}), Reply("Sunny."))],
        ),
        Scenario(
            "parallel tools, one failing",
            [
                _user(
                    "two things",
                    ToolCall("get_weather", {"city": "Paris"}),
                    ToolCall("lookup", {"q": "x"}, result="boom", status="error"),
                    Reply("One of them failed."),
                )
            ],
        ),
        Scenario(
            "client tool result",
            [
                _user("color?", *ASK_COLOR, outcome="interrupt", tools=tools),
                _answer({"status": "resolved", "payload": {"result": "blue"}}),
            ],
        ),
        Scenario(
            "client tool denied",
            [
                _user("color?", *ASK_COLOR, outcome="interrupt", tools=tools),
                _answer({"status": "resolved", "payload": {"approved": False, "reason": "not now"}}),
            ],
        ),
        Scenario(
            "client tool cancelled",
            [_user("color?", *ASK_COLOR, outcome="interrupt", tools=tools), _answer({"status": "cancelled"})],
        ),
        Scenario(
            "client tool approved",  # the simulator streams an approval's result in step mode only
            [_user("color?", *ASK_COLOR, outcome="interrupt", tools=tools), _answer({"status": "resolved"})],
            modes=("steps",),
        ),
        Scenario(
            "frontend tool message",
            [
                _user("color?", *ASK_COLOR, outcome="interrupt", tools=tools),
                _answer({"status": "resolved", "tool": {"content": "green"}}),
            ],
        ),
        Scenario(
            "parallel client tools",
            [
                _user(
                    "both?",
                    ToolCall("pick_color", {"hint": "a"}),
                    ToolCall("pick_size", {}),
                    Reply("Got both."),
                    outcome="interrupt",
                    tools=tools,
                ),
                _answer(
                    {"status": "resolved", "payload": {"result": {"color": "red"}}},
                    {"status": "resolved", "payload": {"approved": False, "reason": "no"}},
                ),
            ],
        ),
        Scenario("error first", [_user("fail", Error("llm_error"), outcome="error")]),
        Scenario(
            "error after messages",
            [_user("fail late", Think("Hmm."), Reply("Partial"), Error("internal_error"), outcome="error")],
        ),
        Scenario(
            "cancelled",
            [_user("long one", Think("Starting."), Reply("Working"), Hold(release, timeout=30), outcome="cancelled")],
            cancel_after="assistant_message",
            hold=release,
        ),
        Scenario(
            "three turns",
            [
                _user("one", Reply("First.")),
                _user("two", Think("Again."), Reply("Second.")),
                _user("three", Reply("3")),
            ],
        ),
    ]


@dataclass
class Thread:
    scenario: Scenario
    mode: str
    conversation_id: str
    turns: List[Dict[str, Any]] = field(default_factory=lambda: [])


def _prepare(sim: Simulator, scenario: Scenario, mode: str, url: str) -> Tuple[Thread, Dict[str, Any]]:
    agent = sim.create_agent(f"{scenario.name} {mode}")
    conversation_id = sim.create_conversation(agent)
    for turn in scenario.turns:
        if turn.user is not None:
            sim.script(agent, list(turn.script))
    return Thread(scenario, mode, conversation_id), {
        "threadId": conversation_id,
        "url": url,
        "turns": node_turns(scenario.turns),
    }


def _check_thread(client: Letta, thread: Thread, read: Dict[str, Any], served: List[Served]) -> int:
    where = f"{thread.scenario.name} ({thread.mode})"
    return check_thread(client, thread.conversation_id, thread.scenario.turns, read, served, where)


def test_simulated_conversations_read_by_the_real_agui_client(node_clients: NodeClients) -> None:
    sim = Simulator()
    client = sim.client()
    endpoints = {"tokens": AGUIEndpoint(client, stream_tokens=True), "steps": AGUIEndpoint(client, stream_tokens=False)}
    threads: List[Thread] = []
    payload: List[Dict[str, Any]] = []
    turns = 0
    with endpoints["tokens"].serve() as token_url, endpoints["steps"].serve() as step_url:
        for scenario in scenarios():
            for mode in scenario.modes:
                thread, spec = _prepare(sim, scenario, mode, token_url if mode == "tokens" else step_url)
                if scenario.cancel_after is not None:
                    endpoints[mode].cancel_after[thread.conversation_id] = scenario.cancel_after
                threads.append(thread)
                payload.append(spec)
        read = node_clients.run("agui_read.mjs", {"threads": payload}, timeout=300)
    for thread, result in zip(threads, read["threads"]):
        turns += _check_thread(client, thread, result, endpoints[thread.mode].served)
    assert turns >= 30


def test_the_resume_answers_the_client_sends_become_letta_approvals(node_clients: NodeClients) -> None:
    """What ``HttpAgent`` itself sends for each kind of answer, read by ``parse_run_input``."""
    sim = Simulator()
    client = sim.client()
    endpoint = AGUIEndpoint(client, stream_tokens=True)
    scenario = Scenario(
        "answers",
        [
            _user(
                "both?",
                ToolCall("pick_color", {"hint": "a"}),
                ToolCall("pick_size", {}),
                Reply("ok"),
                outcome="interrupt",
                tools=[PICK_COLOR, PICK_SIZE],
            ),
            _answer({"status": "resolved", "payload": {"result": "red", "status": "error"}}, {"status": "cancelled"}),
        ],
    )
    with endpoint.serve() as url:
        thread, spec = _prepare(sim, scenario, "tokens", url)
        read = node_clients.run("agui_read.mjs", {"threads": [spec]})
    calls = [i["toolCallId"] for i in read["threads"][0]["turns"][0]["interrupts"]]
    first, second = endpoint.served
    assert first.run_input is not None and second.run_input is not None
    assert first.run_input.client_tools == [PICK_COLOR, PICK_SIZE]
    assert first.run_input.outgoing.messages == [{"type": "message", "role": "user", "content": "both?"}]
    assert first.run_input.outgoing.key == "browser-0"
    assert second.run_input.outgoing.messages == [
        {
            "type": "approval",
            "approvals": [
                {"type": "tool", "tool_call_id": calls[0], "status": "error", "tool_return": "red"},
                {"type": "approval", "tool_call_id": calls[1], "approve": False},
            ],
        }
    ]
    assert second.run_input.outgoing.key.startswith("resume-")
    _check_thread(client, thread, read["threads"][0], endpoint.served)


# -- recorded streams of the real server ----------------------------------------------------------

RECORDED = [
    ["b_step_stream.sse"],
    ["b_step_stream_think.sse"],
    ["c_token_stream.sse"],
    ["c_token_stream_long.sse"],
    ["f_resume_stream_from_start.sse"],
    ["i_fail_llm_step_stream.sse"],
    ["h_client_tool_call.sse", "h_client_tool_return.sse"],
]


def _replay(body: bytes, sent: Sequence[Dict[str, Any]] = ()) -> Tuple[bytes, List[LettaMessageUnion]]:
    """A recorded stream through the SDK (as the relay reads it) and the encoder; and the whole
    messages it holds (what the history holds of that run)."""
    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})
    )
    client = Letta(base_url="http://letta.test", http_client=httpx.Client(transport=transport))
    stream = client.agents.messages.send("agent-00000000-0000-4000-8000-000000000000", input="x", streaming=True)
    framer = Framer(AGUIEncoder("conv-00000000-0000-4000-8000-000000000000", "recorded", sent=sent))
    out = b""
    problem: Optional[Problem] = None
    try:
        for event in stream:
            out += framer.event(event)
        messages = list(stream.get_final_response().messages)
    except LettaStreamError as error:
        problem = Problem("error", f"The agent's turn failed ({error.error_type}).")
        messages = list(error.partial_response.messages)
    out += framer.end(problem)
    return out, messages


@pytest.mark.parametrize("names", RECORDED, ids=lambda names: "+".join(names))
def test_recorded_streams_read_by_the_real_agui_client(node_clients: NodeClients, names: List[str]) -> None:
    turns: List[Dict[str, Any]] = []
    expected: List[List[Dict[str, Any]]] = []
    for number, name in enumerate(names):
        body, messages = _replay((FIXTURES / name).read_bytes())
        turn: Dict[str, Any] = {"body": body.decode()}
        if number == 0:
            turn["user"] = {"id": "browser-0", "content": "x"}
        else:
            turn["answers"] = [{"status": "resolved", "payload": {"result": "sunny"}}]
        turns.append(turn)
        expected.append(agui_messages(messages))
    read = node_clients.run(
        "agui_read.mjs", {"threads": [{"threadId": "conv-00000000-0000-4000-8000-000000000000", "turns": turns}]}
    )
    result = read["threads"][0]
    assert result["warnings"] == []
    for got, want in zip(result["turns"], expected):
        assert got["invalid"] == [] and got["error"] is None
        assert got["newMessages"] == want


def recorded_conversation() -> Tuple[List[Dict[str, Any]], List[LettaMessageUnion]]:
    """The recorded live conversation (``fixtures/web/agui_live_conversation.json``): each turn's
    AG-UI stream (the real server's SSE through the SDK and the encoder, with the answers the
    turn sent), and the history the server held afterwards."""
    recorded = json.loads((FIXTURES / "web" / "agui_live_conversation.json").read_text())
    bodies: List[Dict[str, Any]] = []
    for turn in recorded["turns"]:
        body, _ = _replay(turn["sse"].encode(), sent=turn["request"])
        bodies.append({"body": body.decode(), "request": turn["request"]})
    history: List[LettaMessageUnion] = TypeAdapter(List[LettaMessageUnion]).validate_python(recorded["history"])
    return bodies, history


def test_a_recorded_live_conversation_read_by_the_real_agui_client(node_clients: NodeClients) -> None:
    """Approvals on the real server: the reasoning of a step that stopped for an approval is
    streamed under the LLM call's id and stored under the approval's; token mode streams no
    result for a client tool's output or a denial. The client still ends with the history."""
    bodies, history = recorded_conversation()
    turns: List[Dict[str, Any]] = []
    for number, turn in enumerate(bodies):
        spec: Dict[str, Any] = {"body": turn["body"]}
        first = turn["request"][0]
        if first.get("type") == "approval":
            answer = first["approvals"][0]
            if answer["type"] == "tool":
                spec["answers"] = [{"status": "resolved", "payload": {"result": answer["tool_return"]}}]
            else:
                payload = {
                    "approved": answer["approve"],
                    **({"reason": answer["reason"]} if "reason" in answer else {}),
                }
                spec["answers"] = [{"status": "resolved", "payload": payload}]
        else:
            spec["user"] = {"id": f"browser-{number}", "content": first["content"]}
        turns.append(spec)
    read = node_clients.run(
        "agui_read.mjs", {"threads": [{"threadId": "conv-00000000-0000-4000-8000-000000000000", "turns": turns}]}
    )
    result = read["threads"][0]
    assert result["warnings"] == []
    assert [t["outcome"] for t in result["turns"]] == ["interrupt", "success"] * 3 + ["success"]
    assert all(t["invalid"] == [] and t["error"] is None for t in result["turns"])
    assert normalized(result["messages"]) == normalized(agui_messages(history))


def _body(payloads: Sequence[Dict[str, Any]], problem: Optional[Problem] = None) -> str:
    framer = Framer(AGUIEncoder("conv-00000000-0000-4000-8000-000000000000", "canned"))
    adapter: Any = TypeAdapter(LettaStreamingResponse)
    out = b"".join(framer.event(adapter.validate_python(p)) for p in payloads) + framer.end(problem)
    return out.decode()


def _message(kind: str, **fields: Any) -> Dict[str, Any]:
    base = {"id": "message-00000001-0000-4000-8000-000000000000", "date": "2026-11-22T03:36:18+00:00"}
    return {**base, "message_type": kind, "step_id": "step-1", "run_id": RUN_ID, "seq_id": 2, **fields}


RUN_ID = "run-11111111-1111-4111-8111-111111111111"


def test_custom_usage_error_and_cancel_events_pass_the_real_client(node_clients: NodeClients) -> None:
    usage = {"message_type": "usage_statistics", "completion_tokens": 3, "prompt_tokens": 9, "total_tokens": 12}
    bodies = {
        "custom": _body(
            [
                _message("future_message", anything={"nested": [1, None]}),
                _message("hidden_reasoning_message", state="omitted", hidden_reasoning=None),
                _message("event_message", event_type="compaction", event_data={}),
                _message("user_message", content="a summary"),
                {"message_type": "stop_reason", "stop_reason": "end_turn"},
                usage,
            ]
        ),
        "error": _body(
            [
                _message("assistant_message", content="Par"),
                {"message_type": "stop_reason", "stop_reason": "llm_api_error"},
                {
                    "message_type": "error_message",
                    "run_id": RUN_ID,
                    "error_type": "llm_timeout",
                    "message": "Timed out.",
                },
            ]
        ),
        "failed stop": _body([{"message_type": "stop_reason", "stop_reason": "max_tokens_exceeded"}, usage]),
        "cancelled": _body([_message("assistant_message", content="Wor")], Problem("cancelled", "Stopped.")),
        "interrupted": _body([_message("reasoning_message", reasoning="hm")], Problem("interrupted", "Lost.")),
    }
    threads = [
        {
            "threadId": "conv-00000000-0000-4000-8000-000000000000",
            "turns": [{"user": {"id": "u", "content": "x"}, "body": b}],
        }
        for b in bodies.values()
    ]
    read = node_clients.run("agui_read.mjs", {"threads": threads})
    results = dict(zip(bodies, read["threads"]))
    for name, result in results.items():
        [turn] = result["turns"]
        assert result["warnings"] == [] and turn["invalid"] == [] and turn["error"] is None, name
    custom = results["custom"]["turns"][0]
    assert [e["name"] for e in custom["events"] if e["type"] == "CUSTOM"] == [
        "letta.future_message",
        "letta.hidden_reasoning_message",
        "letta.event_message",
    ]
    assert custom["outcome"] == "success"
    assert custom["newMessages"] == [
        {"id": "message-00000001-0000-4000-8000-000000000000", "role": "user", "content": "a summary"}
    ]
    assert custom["events"][-1]["usage"] == [{"inputTokens": 9, "outputTokens": 3, "totalTokens": 12}]
    assert results["error"]["turns"][0]["runError"] == {"message": "Timed out.", "code": "llm_timeout"}
    assert results["error"]["turns"][0]["newMessages"] == [
        {"id": "step-1:assistant", "role": "assistant", "content": "Par"}
    ]
    assert results["failed stop"]["turns"][0]["runError"]["code"] == "max_tokens_exceeded"
    assert results["cancelled"]["turns"][0]["outcome"] == "cancelled"
    assert results["interrupted"]["turns"][0]["runError"] == {"message": "Lost.", "code": "interrupted"}
