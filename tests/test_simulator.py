"""The simulator answers like the recorded real server, and its SDK clients work end to end.

Each fixture test sends the recorded request (same body, same identifying headers) to a
simulator scripted to produce the same content, and compares the structure of the answers:
status, content-type, the shape of the event sequence, the keys of every event, and the SSE
framing. Ids, dates and token counts differ by nature.
"""

from __future__ import annotations

import json
import re
import threading
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Set, Tuple

import httpx
import pytest

from letta_client import ConflictError, LettaStreamError, NotFoundError, UnprocessableEntityError
from letta_client.testing import (
    DEFAULT_AGENT_ID,
    Delay,
    Disconnect,
    Error,
    Hold,
    Reply,
    Simulator,
    Think,
    ToolCall,
)
from letta_client.types import ApprovalRequestMessage, AssistantMessage, ReasoningMessage, ToolReturnMessage

Fixture = Callable[[str], Dict[str, Any]]
Frame = Tuple[Optional[str], Any]

_FRAME = re.compile(r"^(?:event: [a-z_]+\n)?data: [^\n]+$")
_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")
CLIENT_TOOL = "client_get_weather"


# -- helpers ---------------------------------------------------------------------------------


def _identity_headers(record: Dict[str, Any]) -> Dict[str, str]:
    keep = ("user-agent", "x-stainless-package-version")
    return {key: value for key, value in record["request"]["headers"] if key.lower() in keep}


def _path(record: Dict[str, Any], agent_id: Optional[str]) -> str:
    url = httpx.URL(record["request"]["url"])
    path = url.raw_path.decode()
    if agent_id is not None:
        path = re.sub(r"agent-[0-9a-f-]{36}", agent_id, path)
    return path


def _http(sim: Simulator) -> httpx.Client:
    return httpx.Client(transport=sim.transport(), base_url="http://sim", headers={"User-Agent": "letta-client/1.0.0"})


def replay(sim: Simulator, record: Dict[str, Any], *, agent_id: Optional[str] = None, **changes: Any) -> httpx.Response:
    """Send the fixture's request to the simulator (the agent id in the path swapped for ours)."""
    request = record["request"]
    body = changes.get("json", request.get("json"))
    path = changes.get("path") or _path(record, agent_id)
    with _http(sim) as http:
        content = json.dumps(body).encode() if body is not None else b""
        headers = {**_identity_headers(record), "content-type": "application/json"}
        response = http.request(request["method"], path, content=content, headers=headers)
        return response


def frames(text: str) -> List[Frame]:
    """Parse an SSE body strictly: ``data:`` lines, optional ``event:``, blank-line separators."""
    assert text.endswith("\n\n"), "every frame ends with a blank line"
    assert "\r" not in text
    parsed: List[Frame] = []
    for block in text[:-2].split("\n\n"):
        assert _FRAME.match(block), f"bad frame {block!r}"
        event = block.split("\n")[0][len("event: ") :] if block.startswith("event: ") else None
        data = block.split("data: ", 1)[1]
        parsed.append((event, data if data == "[DONE]" else json.loads(data)))
    return parsed


def shape(events: Sequence[Frame]) -> List[str]:
    """The sequence of event types, runs of the same type collapsed (token counts vary)."""
    names: List[str] = []
    for event, data in events:
        name = "[DONE]" if data == "[DONE]" else f"{event + ':' if event else ''}{data['message_type']}"
        if not names or names[-1] != name:
            names.append(name)
    return names


def keys_by_type(events: Sequence[Frame]) -> Dict[str, Set[Tuple[str, ...]]]:
    """For each event type, the key sets seen (and those of nested tool-call objects)."""
    result: Dict[str, Set[Tuple[str, ...]]] = {}
    for _, data in events:
        if isinstance(data, dict):
            kind = data["message_type"]
            result.setdefault(kind, set()).add(tuple(sorted(data)))
            for nested in ("tool_call", "tool_calls"):
                value = data.get(nested)
                if isinstance(value, dict):
                    result.setdefault(f"{kind}.{nested}", set()).add(tuple(sorted(value)))
    return result


def assert_same_stream(ours: httpx.Response, record: Dict[str, Any]) -> List[Frame]:
    assert ours.status_code == record["status"]
    assert ours.headers["content-type"] == _content_type(record)
    expected, actual = frames(record["body_text"]), frames(ours.text)
    assert shape(actual) == shape(expected)
    assert keys_by_type(actual) == keys_by_type(expected)
    for _, data in actual:
        if isinstance(data, dict) and "date" in data:
            assert _DATE.match(data["date"])
    return actual


def assert_same_json(ours: httpx.Response, record: Dict[str, Any]) -> Any:
    assert ours.status_code == record["status"]
    assert ours.headers["content-type"] == _content_type(record)
    expected, actual = record["body_json"], ours.json()
    assert _structure(actual) == _structure(expected)
    return actual


def _structure(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _structure(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_structure(item) for item in value[:1]]
    return type(value).__name__


def _content_type(record: Dict[str, Any]) -> str:
    return next(value for key, value in record["headers"] if key.lower() == "content-type")


def client_tools(record: Dict[str, Any]) -> List[Dict[str, Any]]:
    return record["request"]["json"]["client_tools"]


def start_pending_call(sim: Simulator, fixture: Fixture, agent: str) -> None:
    """Bring ``agent`` to the recorded state: a client-tool call waiting for its result."""
    sim.script(agent, [ToolCall(CLIENT_TOOL, {"location": "Paris"}, tool_call_id="call_fake_000001"), Reply("ok")])
    assert replay(sim, fixture("h_client_tool_call"), agent_id=agent).status_code == 200


@pytest.fixture
def sim() -> Simulator:
    return Simulator()


@pytest.fixture
def agent(sim: Simulator) -> str:
    return sim.create_agent("fixture-agent")


# -- the recorded transcripts ------------------------------------------------------------------


def test_step_stream_matches_recording(sim: Simulator, agent: str, fixture: Fixture) -> None:
    sim.script(agent, [Reply("echo: hello from b")])
    events = assert_same_stream(replay(sim, fixture("b_step_stream"), agent_id=agent), fixture("b_step_stream"))
    ping, message = events[0][1], events[1][1]
    assert ping["run_id"] == message["run_id"] and ping["run_id"].startswith("run-")
    assert message["content"] == "echo: hello from b"


def test_step_stream_with_reasoning_shares_the_id_and_counts_otids(
    sim: Simulator, agent: str, fixture: Fixture
) -> None:
    sim.script(agent, [Think("Thinking about: THINK in b"), Reply("echo: THINK in b")])
    record = fixture("b_step_stream_think")
    events = assert_same_stream(replay(sim, record, agent_id=agent), record)
    reasoning, answer = events[1][1], events[2][1]
    assert reasoning["id"] == answer["id"]
    assert reasoning["otid"][:-2] == answer["otid"][:-2] and reasoning["otid"] != answer["otid"]
    assert reasoning["id"].split("-", 1)[1][:-2] == reasoning["otid"][:-2]


def test_token_stream_deltas_share_id_and_otid(sim: Simulator, agent: str, fixture: Fixture) -> None:
    sim.script(agent, [Reply("echo: hello from c")])
    record = fixture("c_token_stream")
    events = assert_same_stream(replay(sim, record, agent_id=agent), record)
    deltas = [data for _, data in events if isinstance(data, dict) and data["message_type"] == "assistant_message"]
    expected = [data for _, data in frames(record["body_text"]) if isinstance(data, dict)][1:-2]
    assert "".join(d["content"] for d in deltas) == "".join(d["content"] for d in expected)
    assert len(deltas) > 1
    assert len({(d["id"], d["otid"]) for d in deltas}) == 1


def test_client_tool_call_streams_approval_deltas_with_null_keys(sim: Simulator, agent: str, fixture: Fixture) -> None:
    sim.script(agent, [ToolCall(CLIENT_TOOL, {"location": "Paris"}, tool_call_id="call_fake_000001")])
    record = fixture("h_client_tool_call")
    events = assert_same_stream(replay(sim, record, agent_id=agent), record)
    deltas = [
        data for _, data in events if isinstance(data, dict) and data["message_type"] == "approval_request_message"
    ]
    assert deltas[0]["tool_calls"] == {"name": CLIENT_TOOL, "arguments": None, "tool_call_id": "call_fake_000001"}
    assert "".join(d["tool_call"]["arguments"] or "" for d in deltas) == '{"location":"Paris"}'
    assert all(d["otid"] == d["id"] for d in deltas)
    assert events[-3][1] == {"message_type": "stop_reason", "stop_reason": "requires_approval"}


def test_client_tool_call_without_streaming_lists_the_calls(sim: Simulator, agent: str, fixture: Fixture) -> None:
    sim.script(agent, [ToolCall(CLIENT_TOOL, {"location": "Paris"})])
    record = fixture("h_client_tool_call_nonstream")
    body = assert_same_json(replay(sim, record, agent_id=agent), record)
    message = body["messages"][0]
    assert isinstance(message["tool_calls"], list) and message["tool_call"] == message["tool_calls"][0]


def test_client_tool_return_resumes_the_turn(sim: Simulator, agent: str, fixture: Fixture) -> None:
    start_pending_call(sim, fixture, agent)
    record = fixture("h_client_tool_return")
    assert_same_stream(replay(sim, record, agent_id=agent), record)  # token mode: the return is not echoed
    history = sim.history(agent)
    assert [m["message_type"] for m in history[-2:]] == ["tool_return_message", "assistant_message"]
    assert history[-2]["tool_return"] == "Sunny, 21C"


def test_tool_return_via_approval_without_streaming(sim: Simulator, agent: str, fixture: Fixture) -> None:
    sim.script(agent, [ToolCall(CLIENT_TOOL, {"location": "Paris"}, tool_call_id="call_fake_000002")])
    assert replay(sim, fixture("h_client_tool_call_nonstream"), agent_id=agent).status_code == 200
    record = fixture("h_client_tool_return_via_approval")
    body = assert_same_json(replay(sim, record, agent_id=agent), record)
    assert [m["message_type"] for m in body["messages"]] == ["tool_return_message", "assistant_message"]


def test_pending_approval_blocks_a_plain_message(sim: Simulator, agent: str, fixture: Fixture) -> None:
    start_pending_call(sim, fixture, agent)
    record = fixture("h_pending_send_blocked")
    body = assert_same_json(replay(sim, record, agent_id=agent), record)
    assert body["detail"]["code"] == "PENDING_APPROVAL"
    assert body["detail"]["message"] == record["body_json"]["detail"]["message"]
    pending = [m for m in sim.history(agent) if m["message_type"] == "approval_request_message"][-1]
    assert body["detail"]["pending_request_id"] == pending["id"]


def test_pending_approval_inside_a_stream_is_an_internal_error(sim: Simulator, agent: str, fixture: Fixture) -> None:
    start_pending_call(sim, fixture, agent)
    record = fixture("h_pending_send_blocked")
    streaming_body = {**record["request"]["json"], "streaming": True}
    events = frames(replay(sim, record, agent_id=agent, json=streaming_body).text)
    assert shape(events) == ["ping", "stop_reason", "error:error_message", "[DONE]"]
    assert events[1][1]["stop_reason"] == "error"
    assert events[2][1]["error_type"] == "internal_error"
    assert events[2][1]["message"].startswith("CONFLICT: Cannot send a new message: The agent is waiting for approval")


def test_llm_failure_while_streaming(sim: Simulator, agent: str, fixture: Fixture) -> None:
    record = fixture("i_fail_llm_step_stream")
    recorded_error = frames(record["body_text"])[2][1]
    sim.script(agent, [Error("llm_error", recorded_error["message"], recorded_error["detail"])])
    events = assert_same_stream(replay(sim, record, agent_id=agent), record)
    assert events[2][1]["run_id"] == events[0][1]["run_id"]
    assert {k: v for k, v in events[2][1].items() if k != "run_id"} == {
        k: v for k, v in recorded_error.items() if k != "run_id"
    }


def test_llm_failure_without_streaming(sim: Simulator, agent: str, fixture: Fixture) -> None:
    record = fixture("i_fail_llm_nonstream")
    recorded = record["body_json"]["error"]
    sim.script(agent, [Error("llm_error", recorded["message"], recorded["detail"])])
    assert assert_same_json(replay(sim, record, agent_id=agent), record) == record["body_json"]


def test_failure_after_the_first_message_ends_without_done(sim: Simulator, agent: str) -> None:
    sim.script(agent, [Reply("partial"), Error("internal_error")])
    with _http(sim) as http:
        response = http.post(f"/v1/agents/{agent}/messages", json={"input": "x", "streaming": True})
    assert shape(frames(response.text)) == ["ping", "assistant_message", "stop_reason", "error:error_message"]


@pytest.mark.parametrize(
    "name",
    [
        "i_unknown_agent",
        "i_unknown_agent_stream",
        "i_malformed_agent_id",
        "i_stream_default_ua",
        "i_empty_messages",
        "i_stream_opts_without_streaming",
        "i_invalid_body",
        "i_malformed_json",
        "i_list_messages_unknown_agent",
        "i_list_messages_bad_order",
        "i_unknown_agent_get",
        "f_resume_get_405",
    ],
)
def test_errors_match_recording(sim: Simulator, fixture: Fixture, name: str) -> None:
    record = fixture(name)
    body = assert_same_json(replay(sim, record), record)
    if isinstance(record["body_json"].get("detail"), str) and "trace_id" not in record["body_json"]:
        assert body == record["body_json"]
    if name in ("i_malformed_agent_id", "i_list_messages_bad_order", "i_invalid_body", "i_malformed_json"):
        assert body == record["body_json"]  # the repr() detail, character for character


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({"User-Agent": "letta-client/1.4.2"}, True),
        ({"User-Agent": "@letta-ai/letta-client/1.0.0"}, True),
        ({"User-Agent": "python-httpx/0.28.1", "X-Stainless-Package-Version": "1.0.0"}, True),
        ({"User-Agent": "letta-client/2.0.0"}, False),
        ({"User-Agent": "curl/8.0"}, False),
    ],
)
def test_streaming_gate(sim: Simulator, headers: Dict[str, str], allowed: bool) -> None:
    with _http(sim) as http:
        response = http.post(
            f"/v1/agents/{DEFAULT_AGENT_ID}/messages", json={"input": "x", "streaming": True}, headers=headers
        )
    assert response.status_code == (200 if allowed else 422)


def test_legacy_stream_endpoint_is_not_gated(sim: Simulator, fixture: Fixture) -> None:
    record = fixture("e_legacy_stream_default_ua")
    sim.script(DEFAULT_AGENT_ID, [Reply("echo: legacy with httpx UA (e)")])
    assert_same_stream(replay(sim, record, agent_id=DEFAULT_AGENT_ID), record)


def test_neither_messages_nor_input_is_a_repr_422(sim: Simulator) -> None:
    with _http(sim) as http:
        response = http.post(f"/v1/agents/{DEFAULT_AGENT_ID}/messages", json={})
    assert response.status_code == 422
    body = response.json()
    assert body["trace_id"] == "" and body["detail"].startswith("[{'type': 'value_error'")


# -- background runs and replay ------------------------------------------------------------------


def _read_until_dropped(response: httpx.Response) -> Tuple[str, bool]:
    chunks: List[bytes] = []
    try:
        for chunk in response.iter_raw():
            chunks.append(chunk)
    except httpx.RemoteProtocolError:
        return b"".join(chunks).decode(), True
    return b"".join(chunks).decode(), False


def test_background_stream_then_resume(sim: Simulator, agent: str, fixture: Fixture) -> None:
    words = " ".join(f"w{n:03d}" for n in range(1, 201)) + " "
    sim.script(agent, [Reply(words), Disconnect(after_events=6)])
    partial = fixture("f_background_stream_partial")
    request = partial["request"]
    with _http(sim) as http:
        with http.stream("POST", _path(partial, agent), json=request["json"], headers=_identity_headers(partial)) as r:
            assert r.status_code == 200 and r.headers["content-type"] == _content_type(partial)
            text, dropped = _read_until_dropped(r)
    assert dropped
    first = frames(text)
    assert shape(first) == shape(frames(partial["body_text"]))
    assert [data["seq_id"] for _, data in first] == [1, 2, 3, 4, 5, 6]
    assert keys_by_type(first) == keys_by_type(frames(partial["body_text"]))
    run_id = first[0][1]["run_id"]

    resume = fixture("f_resume_stream")
    replayed = replay(sim, resume, path=f"/v1/runs/{run_id}/stream")
    events = assert_same_stream(replayed, resume)
    recorded = frames(resume["body_text"])
    assert [d.get("seq_id") for _, d in events if isinstance(d, dict)] == [
        d.get("seq_id") for _, d in recorded if isinstance(d, dict)
    ]
    assert [d["content"] for _, d in events if isinstance(d, dict) and "content" in d][-1] == "w200 "

    from_start = fixture("f_resume_stream_from_start")
    again = frames(replay(sim, from_start, path=f"/v1/runs/{run_id}/stream").text)
    assert again[:6] == first and again[6:] == events  # the stored frames, byte for byte
    assert sim.run(run_id)["status"] == "completed"


def test_resume_of_a_foreground_run_is_refused(sim: Simulator, fixture: Fixture) -> None:
    with _http(sim) as http:
        answer = http.post(f"/v1/agents/{DEFAULT_AGENT_ID}/messages", json={"input": "x"}).json()
    run_id = answer["messages"][0]["run_id"]
    record = fixture("f_resume_foreground_run")
    assert assert_same_json(replay(sim, record, path=f"/v1/runs/{run_id}/stream"), record) == record["body_json"]
    no_body = fixture("f_resume_stream_no_body")
    assert assert_same_json(replay(sim, no_body, path=f"/v1/runs/{run_id}/stream"), no_body) == no_body["body_json"]


def test_background_error_is_terminal_without_done(sim: Simulator) -> None:
    sim.script(DEFAULT_AGENT_ID, [Error("llm_rate_limit")])
    with _http(sim) as http:
        body = {"input": "x", "streaming": True, "background": True}
        events = frames(http.post(f"/v1/agents/{DEFAULT_AGENT_ID}/messages", json=body).text)
    assert shape(events) == ["ping", "stop_reason", "error:error_message"]
    assert events[2][1]["seq_id"] == 3 and "seq_id" not in events[1][1]


def test_run_json_and_run_messages(sim: Simulator, fixture: Fixture) -> None:
    client = sim.client()
    stream = client.agents.messages.send(DEFAULT_AGENT_ID, input="hi", streaming=True)
    stream.until_done()
    assert stream.run_id is not None
    with _http(sim) as http:
        run = http.get(f"/v1/runs/{stream.run_id}")
        messages = http.get(f"/v1/runs/{stream.run_id}/messages").json()
    assert_same_json(run, {**fixture("g_poll_run_last"), "body_json": {**run.json()}})
    assert set(run.json()) == set(fixture("g_poll_run_last")["body_json"])
    assert run.json()["status"] == "completed" and run.json()["stop_reason"] == "end_turn"
    assert [m["message_type"] for m in messages] == ["user_message", "reasoning_message", "assistant_message"]


def test_run_messages_page_like_the_server(sim: Simulator) -> None:
    """As Letta 0.16.8 does (measured live): oldest first by default, ``after`` skips every message
    of that id (a reasoning and an assistant message share one), ``order`` and ``limit`` apply.
    The official SDK pages with ``after=<last id>`` until a page comes back empty."""
    client = sim.client()
    response = client.agents.messages.send(DEFAULT_AGENT_ID, input="hi")
    run_id = response.messages[0].run_id
    with _http(sim) as http:

        def page(**query: Any) -> List[str]:
            return [m["message_type"] for m in http.get(f"/v1/runs/{run_id}/messages", params=query).json()]

        first = http.get(f"/v1/runs/{run_id}/messages").json()
        assert page(after=first[-1]["id"]) == []
        assert page(after=first[0]["id"]) == ["reasoning_message", "assistant_message"]
        assert page(order="desc") == ["assistant_message", "reasoning_message", "user_message"]
        assert page(limit=1) == ["user_message"]


# -- history, agents, cancel ---------------------------------------------------------------------


def test_history_is_chronological_and_pages_with_cursors(sim: Simulator) -> None:
    client = sim.client()
    agent = sim.create_agent()
    for text in ("one", "two", "three"):
        sim.script(agent, [Reply(f"echo: {text}")])
        client.agents.messages.send(agent, input=text)
    with _http(sim) as http:
        newest = http.get(f"/v1/agents/{agent}/messages", params={"limit": 3, "order": "desc"}).json()
        oldest = http.get(f"/v1/agents/{agent}/messages", params={"limit": 3, "order": "asc"}).json()
        before = http.get(f"/v1/agents/{agent}/messages", params={"limit": 2, "before": newest[0]["id"]}).json()
        after = http.get(f"/v1/agents/{agent}/messages", params={"after": newest[-1]["id"], "order": "asc"}).json()
        unknown = http.get(f"/v1/agents/{agent}/messages", params={"before": "message-nope"})
    assert [m.get("content") for m in newest] == ["echo: two", "three", "echo: three"]  # oldest first
    assert oldest[0]["message_type"] == "system_message" and oldest[1]["content"] == "one"
    assert [m.get("content") for m in before] == ["echo: one", "two"]
    assert after == []
    assert unknown.status_code == 404


def test_create_and_get_agent(sim: Simulator, fixture: Fixture) -> None:
    with _http(sim) as http:
        created = http.post("/v1/agents/", json={"name": "mine"}).json()
        fetched = http.get(f"/v1/agents/{created['id']}").json()
    assert re.match(r"^agent-[0-9a-f-]{36}$", created["id"]) and fetched["name"] == "mine"
    assert DEFAULT_AGENT_ID == Simulator().default_agent_id


def test_cancel_stops_a_held_stream(sim: Simulator) -> None:
    release = threading.Event()
    sim.script(DEFAULT_AGENT_ID, [Reply("first"), Hold(release), Reply("never sent")])
    client = sim.client()
    stream = client.agents.messages.send(DEFAULT_AGENT_ID, input="x", streaming=True, yield_pings=False)
    events = iter(stream)
    seen = [next(events)]
    assert isinstance(seen[0], AssistantMessage) and seen[0].text == "first"
    assert stream.run_id is not None
    with _http(sim) as http:
        answer = http.post(f"/v1/agents/{DEFAULT_AGENT_ID}/messages/cancel", json={}).json()
    assert answer == {stream.run_id: "cancelled"}
    seen.extend(events)
    assert stream.cancelled and not any(isinstance(e, AssistantMessage) and e.text == "never sent" for e in seen)
    assert sim.run(stream.run_id)["status"] == "cancelled"


def test_cancel_without_runs_is_a_conflict(sim: Simulator) -> None:
    agent = sim.create_agent()
    with _http(sim) as http:
        response = http.post(f"/v1/agents/{agent}/messages/cancel")
    assert response.status_code == 409 and response.json()["detail"].startswith("CONFLICT: No active runs")


def test_api_key_is_required_when_set() -> None:
    sim = Simulator(api_key="secret")
    assert sim.client().agents.messages.send(DEFAULT_AGENT_ID, input="x").text == "echo: x"
    with _http(sim) as http:
        refused = http.post(f"/v1/agents/{DEFAULT_AGENT_ID}/messages", json={"input": "x"})
    assert refused.status_code == 401 and refused.json() == {"detail": "Unauthorized"}


# -- through the SDK -------------------------------------------------------------------------------


def test_default_agent_echoes_and_checks_the_weather(sim: Simulator) -> None:
    client = sim.client()
    echo = client.agents.messages.send(DEFAULT_AGENT_ID, input="hello")
    assert [m.message_type for m in echo.messages] == ["reasoning_message", "assistant_message"]
    assert echo.text == "echo: hello"
    weather = client.agents.messages.send(DEFAULT_AGENT_ID, input="What's the weather in Paris?")
    kinds = [m.message_type for m in weather.messages]
    assert kinds == ["reasoning_message", "tool_call_message", "tool_return_message", "assistant_message"]
    assert "Paris" in weather.text and weather.usage.step_count == 2


def test_client_tool_round_trip_through_the_sdk(sim: Simulator) -> None:
    client = sim.client()
    tools = [{"name": "lookup_order", "parameters": {"type": "object", "properties": {"id": {"type": "string"}}}}]
    stream = client.agents.messages.send(
        DEFAULT_AGENT_ID, input="please lookup_order 42", streaming=True, stream_tokens=True, client_tools=tools
    )
    final = stream.get_final_response()
    request = final.messages[-1]
    assert isinstance(request, ApprovalRequestMessage) and final.stop_reason.stop_reason == "requires_approval"
    call = request.calls[0]
    assert call.name == "lookup_order" and call.tool_call_id is not None
    with pytest.raises(ConflictError) as blocked:
        client.agents.messages.send(DEFAULT_AGENT_ID, input="hello?")
    assert blocked.value.code == "PENDING_APPROVAL"
    result = client.agents.messages.send(
        DEFAULT_AGENT_ID,
        messages=[
            {
                "type": "tool_return",
                "tool_returns": [
                    {"type": "tool", "tool_call_id": call.tool_call_id, "status": "success", "tool_return": "shipped"}
                ],
            }
        ],
        client_tools=tools,
    )
    assert isinstance(result.messages[0], ToolReturnMessage)
    assert result.text == "The lookup_order tool returned: shipped"


def test_scripted_parallel_server_tools_share_one_message(sim: Simulator) -> None:
    sim.script(DEFAULT_AGENT_ID, [ToolCall("a", {"x": 1}, result="A"), ToolCall("b", result="B"), Reply("done")])
    response = sim.client().agents.messages.send(DEFAULT_AGENT_ID, input="go")
    call, returns = response.messages[0], response.messages[1]
    assert call.message_type == "tool_call_message" and [c.name for c in call.calls] == ["a", "b"]
    assert isinstance(returns, ToolReturnMessage) and [r.tool_return for r in returns.returns] == ["A", "B"]


def test_stream_errors_reach_the_sdk(sim: Simulator) -> None:
    sim.script(DEFAULT_AGENT_ID, [Think("hmm"), Error("llm_rate_limit")])
    stream = sim.client().agents.messages.send(DEFAULT_AGENT_ID, input="x", streaming=True)
    with pytest.raises(LettaStreamError) as failed:
        for _ in stream:
            pass
    assert failed.value.error_type == "llm_rate_limit"


def test_sdk_errors_for_unknown_and_malformed_agents(sim: Simulator) -> None:
    client = sim.client()
    with pytest.raises(NotFoundError):
        client.agents.messages.send("agent-00000000-0000-4000-8000-000000000000", input="x")
    with pytest.raises(UnprocessableEntityError) as malformed:
        client.agents.messages.send("not-an-agent", input="x")
    assert malformed.value.trace_id == ""


def test_body_streams_one_frame_per_chunk(sim: Simulator) -> None:
    sim.script(DEFAULT_AGENT_ID, [Think("a b"), Reply("c d e")])
    with _http(sim) as http:
        body = {"input": "x", "streaming": True, "stream_tokens": True}
        with http.stream("POST", f"/v1/agents/{DEFAULT_AGENT_ID}/messages", json=body) as response:
            chunks = list(response.iter_raw())
    assert all(chunk.endswith(b"\n\n") and chunk.count(b"\n\n") == 1 for chunk in chunks)
    assert len(chunks) == 1 + 2 + 3 + 3  # ping, reasoning deltas, text deltas, stop/usage/done


async def test_async_client_streams_tokens(sim: Simulator) -> None:
    sim.script(DEFAULT_AGENT_ID, [Think("let me see"), Delay(0.01), Reply("async works")])
    async with sim.async_client() as client:
        stream = await client.agents.messages.send(DEFAULT_AGENT_ID, input="x", streaming=True, stream_tokens=True)
        kinds = [event.message_type async for event in stream]
        assert kinds == ["ping"] + ["reasoning_message"] * 3 + ["assistant_message"] * 2 + [
            "stop_reason",
            "usage_statistics",
        ]
        final = await client.agents.messages.send(DEFAULT_AGENT_ID, input="again")
    assert final.text == "echo: again"


async def test_async_disconnect_surfaces_as_a_connection_error(sim: Simulator) -> None:
    from letta_client import APIConnectionError

    sim.script(DEFAULT_AGENT_ID, [Reply("one two three"), Disconnect(after_events=2)])
    async with sim.async_client() as client:
        stream = await client.agents.messages.send(DEFAULT_AGENT_ID, input="x", streaming=True, stream_tokens=True)
        seen: List[str] = []
        with pytest.raises(APIConnectionError) as dropped:
            async for event in stream:
                if isinstance(event, AssistantMessage):
                    seen.append(event.text)
    assert seen == ["one "] and dropped.value.run_id == stream.run_id


def test_loopback_server_streams_and_drops(sim: Simulator) -> None:
    from letta_client import APIConnectionError, Letta

    with sim.serve() as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        client = Letta(base_url=base_url, max_retries=0)
        stream = client.agents.messages.send(DEFAULT_AGENT_ID, input="hi there", streaming=True, stream_tokens=True)
        texts = [e.text for e in stream if isinstance(e, AssistantMessage)]
        assert "".join(texts) == "echo: hi there" and len(texts) == 3
        sim.script(DEFAULT_AGENT_ID, [Reply("a b c d"), Disconnect(after_events=3)])
        broken = client.agents.messages.send(DEFAULT_AGENT_ID, input="x", streaming=True, stream_tokens=True)
        with pytest.raises(APIConnectionError):
            for _ in broken:
                pass
        client.close()


def test_requests_are_recorded(sim: Simulator) -> None:
    sim.client().agents.messages.send(DEFAULT_AGENT_ID, input="x")
    request = sim.requests[-1]
    assert request.method == "POST" and request.path.endswith("/messages")
    assert request.headers["user-agent"].startswith("letta-client/1.")
    assert request.json()["input"] == "x"


def _reasoning_texts(events: Iterator[Any]) -> List[str]:
    return [e.reasoning for e in events if isinstance(e, ReasoningMessage)]


def test_include_return_message_types_filters_messages(sim: Simulator) -> None:
    response = sim.client().agents.messages.send(
        DEFAULT_AGENT_ID, input="hello", include_return_message_types=["assistant_message"]
    )
    assert [m.message_type for m in response.messages] == ["assistant_message"]
    stream = sim.client().agents.messages.send(
        DEFAULT_AGENT_ID, input="hello", streaming=True, include_return_message_types=["reasoning_message"]
    )
    assert _reasoning_texts(iter(stream)) == ["The user said: hello"]
