"""Smoke tests of the live infrastructure (real Letta + scripted model), with plain httpx only."""

from __future__ import annotations

import json

import httpx

SDK_UA = {"User-Agent": "letta-client/1.0.0"}

WEATHER_TOOL = {
    "name": "client_get_weather",
    "description": "Get the weather for a location (executed by the client).",
    "parameters": {
        "type": "object",
        "properties": {"location": {"type": "string", "description": "City name"}},
        "required": ["location"],
    },
}


def sse_frames(text: str) -> list[tuple[str | None, str]]:
    """(event name, data) per frame."""
    frames = []
    for block in text.split("\n\n"):
        event, data = None, []
        for line in block.splitlines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip())
        if data:
            frames.append((event, "\n".join(data)))
    return frames


def send(http: httpx.Client, agent_id: str, text: str, **extra) -> httpx.Response:
    body = {"messages": [{"role": "user", "content": text}], **extra}
    return http.post(f"/v1/agents/{agent_id}/messages", json=body)


def of_type(messages: list[dict], message_type: str) -> list[dict]:
    return [m for m in messages if m["message_type"] == message_type]


def test_health(http):
    r = http.get("/v1/health/")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_fake_models_are_listed(http):
    r = http.get("/v1/models/")
    assert r.status_code == 200
    assert "openai-proxy/fake-gpt" in {m.get("handle") for m in r.json()}


def test_agent_created(http, agent_id):
    r = http.get(f"/v1/agents/{agent_id}")
    assert r.status_code == 200
    agent = r.json()
    assert agent["id"] == agent_id
    assert agent["agent_type"] == "letta_v1_agent"


def test_send_nonstream_echo(http, agent_id):
    r = send(http, agent_id, "hello smoke")
    assert r.status_code == 200, r.text
    body = r.json()
    assert r.headers["content-type"].startswith("application/json")
    assert set(body) >= {"messages", "stop_reason", "usage"}
    assert [m["content"] for m in of_type(body["messages"], "assistant_message")] == ["Echo: hello smoke"]
    assert body["stop_reason"] == {"message_type": "stop_reason", "stop_reason": "end_turn"}
    assert body["usage"]["message_type"] == "usage_statistics"
    assert body["usage"]["total_tokens"] > 0
    assert body["usage"]["step_count"] == 1


def test_think_gives_reasoning(http, agent_id):
    r = send(http, agent_id, "[think] ponder this")
    assert r.status_code == 200, r.text
    types = [m["message_type"] for m in r.json()["messages"]]
    assert types == ["reasoning_message", "assistant_message"]
    reasoning = r.json()["messages"][0]
    assert reasoning["reasoning"] == "Thinking about: ponder this"


def test_model_failure_is_500_with_error_object(http, agent_id, llm_url, unique):
    r = send(http, agent_id, f"[fail] {unique}")
    assert r.status_code == 500
    err = r.json()["error"]
    assert err["type"] == "llm_error"
    assert "message" in err
    if llm_url:  # Letta's OpenAI client tries 3 times in all
        stats = httpx.get(f"{llm_url}/_stats", params={"contains": unique}, trust_env=False).json()
        assert stats["matching"] == 3


def test_fail_once_then_retry_succeeds(http, agent_id, llm_url, unique):
    r = send(http, agent_id, f"[fail=1] {unique}")
    assert r.status_code == 200, r.text
    assert of_type(r.json()["messages"], "assistant_message")[0]["content"] == f"Echo: {unique}"
    if llm_url:
        stats = httpx.get(f"{llm_url}/_stats", params={"contains": unique}, trust_env=False).json()
        assert stats["matching"] == 2


def test_streaming_accepted_for_sdk_user_agent(http, agent_id):
    r = http.post(
        f"/v1/agents/{agent_id}/messages",
        json={"messages": [{"role": "user", "content": "stream me"}], "streaming": True},
        headers=SDK_UA,
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/event-stream")
    frames = sse_frames(r.text)
    assert frames[-1] == (None, "[DONE]")
    events = [json.loads(d) for _, d in frames[:-1]]
    assert events[0]["message_type"] == "ping" and events[0]["run_id"].startswith("run-")
    assert [e["message_type"] for e in events[1:]] == ["assistant_message", "stop_reason", "usage_statistics"]
    assert events[1]["content"] == "Echo: stream me"


def test_token_streaming_chunks(http, agent_id):
    r = http.post(
        f"/v1/agents/{agent_id}/messages",
        json={
            "messages": [{"role": "user", "content": "[chunks=4] tokens please"}],
            "streaming": True,
            "stream_tokens": True,
        },
        headers=SDK_UA,
    )
    assert r.status_code == 200, r.text
    frames = sse_frames(r.text)
    assert frames[-1] == (None, "[DONE]")
    events = [json.loads(d) for _, d in frames[:-1]]
    deltas = [e["content"] for e in events if e["message_type"] == "assistant_message"]
    assert len(deltas) == 4
    assert "".join(deltas) == "Echo: tokens please"


def test_streaming_refused_for_foreign_user_agent(http, agent_id):
    r = http.post(
        f"/v1/agents/{agent_id}/messages",
        json={"messages": [{"role": "user", "content": "x"}], "streaming": True},
        headers={"User-Agent": "python-httpx/x"},
    )
    assert r.status_code == 422
    assert r.json()["detail"] == "streaming=true is only supported for SDK v1.0+ clients."


def test_client_tool_requires_approval_then_conflict_then_return(http, agent_id):
    r = send(http, agent_id, '[tool:client_get_weather {"location":"Paris"}] weather?', client_tools=[WEATHER_TOOL])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["stop_reason"]["stop_reason"] == "requires_approval"
    (request,) = of_type(body["messages"], "approval_request_message")
    assert request["tool_call"]["name"] == "client_get_weather"
    assert json.loads(request["tool_call"]["arguments"]) == {"location": "Paris"}
    call_id = request["tool_call"]["tool_call_id"]

    blocked = send(http, agent_id, "a plain message while the approval is pending")
    assert blocked.status_code == 409
    detail = blocked.json()["detail"]
    assert detail["code"] == "PENDING_APPROVAL"
    assert detail["pending_request_id"] == request["id"]

    r = http.post(
        f"/v1/agents/{agent_id}/messages",
        json={
            "messages": [
                {
                    "type": "tool_return",
                    "tool_returns": [
                        {"type": "tool", "tool_call_id": call_id, "tool_return": "Sunny, 21C", "status": "success"}
                    ],
                }
            ],
            "client_tools": [WEATHER_TOOL],
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["stop_reason"]["stop_reason"] == "end_turn"
    assert of_type(body["messages"], "assistant_message")[-1]["content"] == "Tool said: Sunny, 21C"


def test_server_tool_roundtrip(http, agent_id):
    # memory_insert runs inside Letta; its result comes back to the model as a `tool` message
    r = send(http, agent_id, '[tool:memory_insert {"label":"human","new_string":"likes tea","insert_line":-1}] note it')
    assert r.status_code == 200, r.text
    msgs = r.json()["messages"]
    assert [m["message_type"] for m in msgs] == ["tool_call_message", "tool_return_message", "assistant_message"]
    assert msgs[0]["tool_call"]["name"] == "memory_insert"
    assert msgs[1]["status"] == "success"
    assert msgs[2]["content"].startswith("Tool said: ")
    human = http.get(f"/v1/agents/{agent_id}/core-memory/blocks/human").json()
    assert human["value"].endswith("likes tea")
    assert r.json()["usage"]["step_count"] == 2


def test_parallel_client_tools(http, make_agent):
    # parallel tool calls are off by default; Letta then keeps only the first call
    agent_id = make_agent(model_settings={"provider_type": "openai", "parallel_tool_calls": True})
    other = {**WEATHER_TOOL, "name": "client_get_time", "description": "Get the time (client)."}
    r = send(http, agent_id, "[parallel:client_get_weather,client_get_time] both", client_tools=[WEATHER_TOOL, other])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["stop_reason"]["stop_reason"] == "requires_approval"
    (request,) = of_type(body["messages"], "approval_request_message")
    assert [c["name"] for c in request["tool_calls"]] == ["client_get_weather", "client_get_time"]


def test_archival_memory_uses_fake_embeddings(http, agent_id):
    r = http.post(f"/v1/agents/{agent_id}/archival-memory", json={"text": "The fake model lives on 127.0.0.1."})
    assert r.status_code == 200, r.text
    r = http.get(f"/v1/agents/{agent_id}/archival-memory/search", params={"query": "where does it live"})
    assert r.status_code == 200, r.text
    assert [x["content"] for x in r.json()["results"]] == ["The fake model lives on 127.0.0.1."]


def test_background_stream_resumes_through_redis(http, agent_id):
    r = http.post(
        f"/v1/agents/{agent_id}/messages",
        json={
            "messages": [{"role": "user", "content": "[chunks=5] in the background"}],
            "streaming": True,
            "stream_tokens": True,
            "background": True,
        },
        headers=SDK_UA,
    )
    assert r.status_code == 200, r.text
    events = [json.loads(d) for _, d in sse_frames(r.text) if d != "[DONE]"]
    run_id = events[0]["run_id"]
    assert events[0]["seq_id"] == 1
    replay = http.post(f"/v1/runs/{run_id}/stream", json={"starting_after": 2}, headers=SDK_UA)
    assert replay.status_code == 200, replay.text
    frames = sse_frames(replay.text)
    assert frames[-1] == (None, "[DONE]")
    seqs = [json.loads(d).get("seq_id") for _, d in frames[:-1]]
    assert next(s for s in seqs if s is not None) == 3
    deltas = [json.loads(d)["content"] for _, d in frames[:-1] if '"assistant_message"' in d]
    assert len(deltas) == 4  # 5 chunks, the first one skipped
