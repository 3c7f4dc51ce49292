"""``letta_client.otel`` against the real server (0.16.8): the spans and metrics of real turns.

Each test installs its own providers (the SDK's in-memory exporter and reader) and uninstruments
after. A conversation send is cut mid-stream by the loopback ``Breaker`` to show the resume.
"""

from __future__ import annotations

import asyncio
import gc
from typing import Iterator

import httpx
import pytest

pytest.importorskip("opentelemetry.sdk", reason="opentelemetry-sdk is not installed (pip install -e '.[dev]')")

from _request_faults import Breaker, Fault

from _otel import Traced, attributes, events, parent_id, tracing
from letta_client import AsyncLetta, Letta, NotFoundError, tool

SEND = r"^POST /v1/conversations/[^/ ]+/messages"
METRIC_KEYS = {"gen_ai.operation.name", "gen_ai.provider.name", "server.address", "server.port"}


@pytest.fixture
def traced() -> Iterator[Traced]:
    yield from tracing()


@pytest.fixture
def breaker(live_url: str) -> Iterator[Breaker]:
    with Breaker(live_url) as proxy:
        yield proxy


def _server(url: str) -> dict:
    parsed = httpx.URL(url)
    return {"server.address": parsed.host, "server.port": parsed.port}


def test_a_conversation_turn_cut_mid_stream_shows_its_resume(
    traced: Traced, live_url: str, agent_id: str, breaker: Breaker
) -> None:
    breaker.add(SEND, Fault("cut", after=1500))
    with Letta(base_url=breaker.base_url, timeout=120) as client:
        conversation = client.conversations.create(agent_id=agent_id)
        stream = client.conversations.messages.send(conversation.id, input="[chunks=30] traced", stream_tokens=True)
        got = list(stream)
    assert breaker.applied == ["cut"] and stream.reconnects == 1
    usage = got[-1]
    span = traced.one()
    found = attributes(span)
    assert span.kind.name == "CLIENT" and span.status.status_code.name == "UNSET"
    assert {key: found[key] for key in found if key.startswith(("gen_ai.operation", "gen_ai.provider", "server."))} == {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.provider.name": "letta",
        **_server(breaker.base_url),
    }
    assert found["gen_ai.conversation.id"] == conversation.id
    assert (found["letta.resumes"], found["letta.resends"], found["letta.turn.end"]) == (1, 0, "finished")
    assert found["gen_ai.response.finish_reasons"] == ["end_turn"]
    assert found["gen_ai.usage.input_tokens"] == usage.prompt_tokens
    assert found["gen_ai.usage.output_tokens"] == usage.completion_tokens
    assert found["letta.run.ids"] == [stream.run_id] and found["letta.seq_id.last"] == stream.last_seq_id
    assert found["letta.step.ids"] and all(step.startswith("step-") for step in found["letta.step.ids"])
    [(name, event)] = events(span)
    assert name == "letta.resume" and event["letta.run.id"] == stream.run_id
    assert event["error.type"] == "APIConnectionError"
    metrics = traced.metrics()
    [(duration, count, _)] = metrics["gen_ai.client.operation.duration"]
    assert set(duration) == METRIC_KEYS and count == 1
    assert len(metrics["gen_ai.client.operation.time_to_first_chunk"]) == 1


@tool
async def live_weather(location: str) -> str:
    """Get the weather for a location (async, run by the client)."""
    await asyncio.sleep(0)
    return f"Sunny, 21C in {location}"


@pytest.mark.real_sockets
async def test_a_tool_run_with_two_rounds_and_an_async_tool(traced: Traced, live_url: str, agent_id: str) -> None:
    async with AsyncLetta(base_url=live_url, timeout=120) as client:
        result = await client.agents.messages.run_tools(
            agent_id, tools=[live_weather], input='[tool:live_weather {"location": "Paris"}] weather?'
        )
    assert result.rounds == 2
    spans = traced.spans()
    [run] = [s for s in spans if s.name.startswith("invoke_agent") and attributes(s)["letta.operation"] == "run_tools"]
    rounds = [s for s in spans if s.name.startswith("invoke_agent") and attributes(s)["letta.operation"] == "round"]
    [executed] = [s for s in spans if s.name == "execute_tool live_weather"]
    assert len(rounds) == 2 and all(parent_id(s) == run.context.span_id for s in [*rounds, executed])
    found = attributes(run)
    assert found["letta.rounds"] == 2 and found["gen_ai.agent.id"] == agent_id
    assert found["gen_ai.usage.input_tokens"] == result.usage.prompt_tokens
    assert found["gen_ai.response.finish_reasons"] == ["end_turn"]
    tool_attributes = attributes(executed)
    assert tool_attributes["gen_ai.tool.name"] == "live_weather" and tool_attributes["gen_ai.tool.type"] == "function"
    approval = next(m for m in result.messages if m.message_type == "approval_request_message")
    assert tool_attributes["gen_ai.tool.call.id"] == approval.calls[0].tool_call_id
    assert executed.status.status_code.name == "UNSET"


def test_a_non_streaming_agents_send(traced: Traced, live_url: str, agent_id: str) -> None:
    with Letta(base_url=live_url, timeout=120) as client:
        response = client.agents.messages.send(agent_id, input="hello, traced")
    found = attributes(traced.one())
    assert found["gen_ai.agent.id"] == agent_id and found["letta.streaming"] is False
    assert found["gen_ai.usage.input_tokens"] == response.usage.prompt_tokens
    assert found["gen_ai.usage.output_tokens"] == response.usage.completion_tokens
    assert found["letta.run.ids"] == sorted({m.run_id for m in response.messages if m.run_id})
    assert found["letta.step.ids"] == sorted({m.step_id for m in response.messages if m.step_id})
    tokens = {p[0]["gen_ai.token.type"]: p[2] for p in traced.metrics()["gen_ai.client.token.usage"]}
    assert tokens == {"input": response.usage.prompt_tokens, "output": response.usage.completion_tokens}


def test_a_turn_that_ends_in_an_error(traced: Traced, live_url: str) -> None:
    with Letta(base_url=live_url, timeout=120) as client, pytest.raises(NotFoundError):
        client.agents.messages.send("agent-00000000-0000-4000-8000-00000000dead", input="anyone?")
    span = traced.one()
    found = attributes(span)
    assert span.status.status_code.name == "ERROR"
    assert found["error.type"] == "NotFoundError" and found["http.response.status_code"] == 404
    [(duration, _, _)] = traced.metrics()["gen_ai.client.operation.duration"]
    assert duration["error.type"] == "NotFoundError"


def test_a_cancelled_turn(traced: Traced, live_url: str, agent_id: str) -> None:
    with Letta(base_url=live_url, timeout=120) as client:
        conversation = client.conversations.create(agent_id=agent_id)
        stream = client.conversations.messages.send(conversation.id, input="slow [slow=30]")
        try:
            assert list(client.conversations.cancel(conversation.id).values()) == ["cancelled"]
        finally:
            stream.close()
        del stream
    gc.collect()
    span = traced.one()
    found = attributes(span)
    assert found["letta.turn.end"] in ("closed", "finished") and span.status.status_code.name == "UNSET"
