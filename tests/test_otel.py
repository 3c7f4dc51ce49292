"""``letta_client.otel``: every span and metric of a turn, attribute by attribute, on the simulator.

Each test installs its own TracerProvider / MeterProvider (the SDK's in-memory exporter and
reader, ``tests/_otel.py``) and uninstruments after.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
from typing import Any, Dict, Iterator, List

import httpx
import pytest

from _conversation_faults import Fault, Faulty
from _otel import Traced, attributes, events, parent_id, tracing
from letta_client import (
    AsyncLetta,
    Letta,
    LettaStreamError,
    _observe,  # pyright: ignore[reportPrivateUsage]
)
from letta_client.resources.messages import Messages
from letta_client.testing import Simulator
from letta_client.testing._script import Error, Hold, Reply, ToolCall
from letta_client.tools import tool

BASE = "http://letta.simulator"
MODES = ["sync", "async"]
SERVER = {"server.address": "letta.simulator", "server.port": 80}
METRIC = {"gen_ai.operation.name": "invoke_agent", "gen_ai.provider.name": "letta", **SERVER}


@pytest.fixture
def traced() -> Iterator[Traced]:
    yield from tracing()


@pytest.fixture
def sim() -> Simulator:
    return Simulator()


def _clients(transport: Any) -> tuple[Letta, AsyncLetta]:
    sync = Letta(base_url=BASE, http_client=httpx.Client(transport=transport))
    sync._transport.sleep = lambda seconds: None  # pyright: ignore[reportPrivateUsage]
    client = AsyncLetta(base_url=BASE, http_client=httpx.AsyncClient(transport=transport))

    async def no_sleep(seconds: float) -> None:
        pass

    client._transport.sleep = no_sleep  # pyright: ignore[reportPrivateUsage]
    return sync, client


def _consume(mode: str, transport: Any, send: str, owner: str, **params: Any) -> List[Any]:
    """``{agents,conversations}.messages.send`` streamed and read to the end, in ``mode``."""
    sync, client = _clients(transport)
    if mode == "sync":
        resource = sync.agents.messages if send == "agent" else sync.conversations.messages
        return list(resource.send(owner, streaming=True, **params))

    async def run() -> List[Any]:
        resource = client.agents.messages if send == "agent" else client.conversations.messages
        stream = await resource.send(owner, streaming=True, **params)
        return [event async for event in stream]

    return asyncio.run(run())


def _usage(events_: List[Any]) -> Any:
    return next(e for e in events_ if e.message_type == "usage_statistics")


def _usage_attributes(usage: Any) -> Dict[str, Any]:
    """The span's usage attributes: the optional counts only when the server sent them."""
    found = {
        "gen_ai.usage.input_tokens": usage.prompt_tokens,
        "gen_ai.usage.output_tokens": usage.completion_tokens,
        "gen_ai.usage.cache_read.input_tokens": usage.cached_input_tokens,
        "gen_ai.usage.cache_creation.input_tokens": usage.cache_write_tokens,
        "letta.usage.reasoning_tokens": usage.reasoning_tokens,
        "letta.usage.step_count": usage.step_count,
    }
    return {key: value for key, value in found.items() if value is not None}


# -- a streamed conversation turn that survives a reset --------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_a_conversation_turn_cut_mid_stream_resumes_and_its_span_ends_once(
    traced: Traced, sim: Simulator, mode: str
) -> None:
    conv = sim.create_conversation(sim.default_agent_id)
    transport = Faulty(sim, [Fault("cut", after=700)])
    got = _consume(mode, transport, "conversation", conv, input="hello there", stream_tokens=True)
    usage = _usage(got)
    run_id = next(e.run_id for e in got if getattr(e, "run_id", None))
    seq_ids = [e.seq_id for e in got if getattr(e, "seq_id", None) is not None]
    span = traced.one()
    assert span.name == "invoke_agent" and span.kind.name == "CLIENT" and span.status.status_code.name == "UNSET"
    found = attributes(span)
    step_ids = found.pop("letta.step.ids")
    assert len(step_ids) == 1 and step_ids[0].startswith("step-")
    assert found == {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.provider.name": "letta",
        "gen_ai.conversation.id": conv,
        **SERVER,
        "letta.operation": "send",
        "letta.streaming": True,
        "letta.turn.end": "finished",
        "letta.resumes": 1,
        "letta.resends": 0,
        "gen_ai.response.finish_reasons": ["end_turn"],
        "letta.stop_reason": "end_turn",
        **_usage_attributes(usage),
        "letta.run.ids": [run_id],
        "letta.seq_id.last": max(seq_ids),
    }
    [(name, event)] = events(span)
    assert name == "letta.resume"
    assert event["letta.attempt"] == 1 and event["letta.run.id"] == run_id
    assert event["error.type"] == "APIConnectionError" and "fault injector" in event["letta.reason"]
    assert isinstance(event["letta.seq_id.last"], int) and event["letta.seq_id.last"] < max(seq_ids)
    metrics = traced.metrics()
    assert [(p[0], p[1]) for p in metrics["gen_ai.client.operation.duration"]] == [(METRIC, 1)]
    assert metrics["gen_ai.client.operation.duration"][0][2] >= 0
    assert sorted((p[0]["gen_ai.token.type"], p[1], p[2]) for p in metrics["gen_ai.client.token.usage"]) == [
        ("input", 1, usage.prompt_tokens),
        ("output", 1, usage.completion_tokens),
    ]
    [(ttfc_attributes, count, ttfc)] = metrics["gen_ai.client.operation.time_to_first_chunk"]
    assert ttfc_attributes == METRIC and count == 1 and 0 <= ttfc <= metrics["gen_ai.client.operation.duration"][0][2]


@pytest.mark.parametrize("mode", MODES)
def test_a_send_lost_before_any_byte_is_re_sent_and_said_so(traced: Traced, sim: Simulator, mode: str) -> None:
    conv = sim.create_conversation(sim.default_agent_id)
    got = _consume(mode, Faulty(sim, [Fault("lost")]), "conversation", conv, input="hi")
    assert got[-1].message_type == "usage_statistics"
    span = traced.one()
    found = attributes(span)
    assert (found["letta.resends"], found["letta.resumes"], found["letta.turn.end"]) == (1, 0, "finished")
    [(name, event)] = events(span)
    assert name == "letta.resend" and event["letta.attempt"] == 1 and "letta.run.id" not in event
    assert event["error.type"] == "APIConnectionError"


# -- the transport's retries --------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_a_retried_send_shows_the_retry_with_its_reason(traced: Traced, sim: Simulator, mode: str) -> None:
    sync, client = _clients(Faulty(sim, [Fault("status", status=503)]))
    if mode == "sync":
        sync.agents.messages.send(sim.default_agent_id, input="hi")
    else:
        asyncio.run(client.agents.messages.send(sim.default_agent_id, input="hi"))
    span = traced.one()
    [(name, event)] = events(span)
    assert name == "letta.retry"
    assert event == {
        "letta.attempt": 1,
        "letta.retry.wait_s": event["letta.retry.wait_s"],
        "letta.reason": "status 503",
        "http.request.method": "POST",
        "url.path": f"/v1/agents/{sim.default_agent_id}/messages",
    }
    assert attributes(span)["letta.retries"] == 1
    assert _observe.observers, "instrumented: the transport has an observer"


# -- a non-streaming agents send ----------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_a_non_streaming_agents_send(traced: Traced, sim: Simulator, mode: str) -> None:
    agent = sim.default_agent_id
    traced.instrument(agent_names={agent: "helper"})
    if mode == "sync":
        response = sim.client().agents.messages.send(agent, input="hi", override_model="openai/gpt-4o-mini")
    else:
        response = asyncio.run(
            sim.async_client().agents.messages.send(agent, input="hi", override_model="openai/gpt-4o-mini")
        )
    span = traced.one()
    assert span.name == "invoke_agent helper" and span.parent is None
    usage = response.usage
    assert attributes(span) == {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.provider.name": "letta",
        "gen_ai.agent.id": agent,
        "gen_ai.agent.name": "helper",
        "gen_ai.request.model": "openai/gpt-4o-mini",
        **SERVER,
        "letta.operation": "send",
        "letta.streaming": False,
        "letta.turn.end": "finished",
        "letta.resumes": 0,
        "letta.resends": 0,
        "gen_ai.response.finish_reasons": ["end_turn"],
        "letta.stop_reason": "end_turn",
        **_usage_attributes(usage),
        "letta.run.ids": sorted({m.run_id for m in response.messages if m.run_id}),
        "letta.step.ids": sorted({m.step_id for m in response.messages if m.step_id}),
    }
    assert events(span) == []
    metrics = traced.metrics()
    model = {**METRIC, "gen_ai.request.model": "openai/gpt-4o-mini"}
    assert [(p[0], p[1]) for p in metrics["gen_ai.client.operation.duration"]] == [(model, 1)]
    tokens = {p[0]["gen_ai.token.type"]: (p[0], p[2]) for p in metrics["gen_ai.client.token.usage"]}
    assert tokens == {
        "input": ({**model, "gen_ai.token.type": "input"}, usage.prompt_tokens),
        "output": ({**model, "gen_ai.token.type": "output"}, usage.completion_tokens),
    }
    assert "gen_ai.client.operation.time_to_first_chunk" not in metrics


# -- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_a_turn_that_ends_in_an_error(traced: Traced, sim: Simulator, mode: str) -> None:
    agent = sim.default_agent_id
    sim.script(agent, [Reply("starting"), Error("llm_error", message="the model is down")])
    with pytest.raises(LettaStreamError) as caught:
        _consume(mode, sim.transport() if mode == "sync" else sim.async_transport(), "agent", agent, input="hi")
    span = traced.one()
    assert span.status.status_code.name == "ERROR" and "the model is down" in (span.status.description or "")
    found = attributes(span)
    assert found["error.type"] == "LettaStreamError" and found["letta.turn.end"] == "error"
    assert found["letta.run.ids"] == [caught.value.run_id]
    [(attrs, count, _)] = traced.metrics()["gen_ai.client.operation.duration"]
    assert attrs == {**METRIC, "error.type": "LettaStreamError"} and count == 1


def test_a_refused_non_streaming_send_carries_the_status_and_the_servers_trace_id(traced: Traced) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(422, json={"detail": "bad", "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"})

    client = Letta(base_url=BASE, http_client=httpx.Client(transport=httpx.MockTransport(refuse)))
    with pytest.raises(Exception) as caught:
        client.agents.messages.send("agent-00000000-0000-4000-8000-000000000001", input="hi")
    span = traced.one()
    found = attributes(span)
    assert found["error.type"] == type(caught.value).__qualname__ == "UnprocessableEntityError"
    assert found["http.response.status_code"] == 422
    assert found["letta.server.trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert span.status.status_code.name == "ERROR"


# -- a cancelled turn -------------------------------------------------------------------------------


def test_a_turn_cancelled_on_the_server_ends_with_that_reason_and_no_error(traced: Traced, sim: Simulator) -> None:
    release = threading.Event()
    sim.script(sim.default_agent_id, [Hold(release, timeout=30), Reply("never")])
    conv = sim.create_conversation(sim.default_agent_id)
    client = sim.client()
    stream = client.conversations.messages.send(conv, input="long")
    next(stream)
    client.conversations.cancel(conv)
    list(stream)
    release.set()
    assert stream.cancelled
    span = traced.one()
    found = attributes(span)
    assert span.status.status_code.name == "UNSET" and "error.type" not in found
    assert found["gen_ai.response.finish_reasons"] == ["cancelled"] and found["letta.turn.end"] == "finished"


def test_an_asyncio_cancelled_turn_ends_its_span_once_as_cancelled(traced: Traced, sim: Simulator) -> None:
    release = threading.Event()
    sim.script(sim.default_agent_id, [Reply("first"), Hold(release, timeout=30), Reply("never")])

    async def run() -> None:
        client = sim.async_client()
        stream = await client.agents.messages.send(sim.default_agent_id, input="hi", streaming=True)
        reached = asyncio.Event()

        async def read(events: Any) -> None:
            async for event in events:
                if event.message_type == "assistant_message":
                    reached.set()

        task = asyncio.ensure_future(read(stream))
        await reached.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        del stream, task
        release.set()
        await client.close()

    asyncio.run(run())
    span = traced.one()
    assert span.status.status_code.name == "ERROR"
    assert attributes(span)["error.type"] == "CancelledError" and attributes(span)["letta.turn.end"] == "error"


def test_a_client_closed_mid_turn_ends_the_span_once(traced: Traced, sim: Simulator) -> None:
    release = threading.Event()
    sim.script(sim.default_agent_id, [Reply("first"), Hold(release, timeout=30), Reply("second")])
    client = sim.client()
    stream = client.agents.messages.send(sim.default_agent_id, input="hi", streaming=True)
    next(stream)
    client.close()
    release.set()
    try:
        list(stream)
    except Exception:
        pass
    del stream
    assert len(traced.spans("invoke_agent")) == 1


# -- the tool runner ----------------------------------------------------------------------------


@tool
async def lookup(city: str) -> str:
    """Look the weather up (async)."""
    await asyncio.sleep(0)
    return f"sunny in {city}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("streaming", [False, True])
def test_a_tool_run_with_two_rounds_and_an_async_tool(
    traced: Traced, sim: Simulator, mode: str, streaming: bool
) -> None:
    agent = sim.default_agent_id
    sim.script(agent, [ToolCall("lookup", {"city": "Paris"}, tool_call_id="call-1"), Reply("It is sunny.")])
    if mode == "sync":
        with sim.client() as client:
            runner = client.agents.messages.run_tools(agent, tools=[lookup], input="weather?", streaming=streaming)
            result = runner if not streaming else (list(runner), runner.get_final_response())[1]  # type: ignore[union-attr]
    else:

        async def run() -> Any:
            async with sim.async_client() as client:
                runner = await client.agents.messages.run_tools(
                    agent, tools=[lookup], input="weather?", streaming=streaming
                )
                if not streaming:
                    return runner
                async for _ in runner:  # type: ignore[union-attr]
                    pass
                return await runner.get_final_response()  # type: ignore[union-attr]

        result = asyncio.run(run())
    assert result.rounds == 2
    spans = traced.spans()
    [run_span] = [s for s in spans if s.name == "invoke_agent" and attributes(s)["letta.operation"] == "run_tools"]
    rounds = [s for s in spans if s.name == "invoke_agent" and attributes(s)["letta.operation"] == "round"]
    [tool_span] = [s for s in spans if s.name.startswith("execute_tool")]
    assert len(spans) == 4 and len(rounds) == 2
    assert run_span.parent is None
    assert all(parent_id(s) == run_span.context.span_id for s in [*rounds, tool_span])
    assert run_span.start_time <= min(s.start_time for s in rounds) and run_span.end_time >= max(
        s.end_time for s in rounds
    )
    usage = result.usage
    found = attributes(run_span)
    assert found["letta.rounds"] == 2 and found["letta.turn.end"] == "finished"
    assert (
        found["gen_ai.usage.input_tokens"]
        == usage.prompt_tokens
        == sum(attributes(s)["gen_ai.usage.input_tokens"] for s in rounds)
    )
    assert found["gen_ai.response.finish_reasons"] == ["end_turn"] and found["gen_ai.agent.id"] == agent
    assert sorted(found["letta.run.ids"]) == sorted(r for s in rounds for r in attributes(s)["letta.run.ids"])
    assert len(found["letta.run.ids"]) == 2  # a run per round
    assert [attributes(s)["letta.stop_reason"] for s in sorted(rounds, key=lambda s: s.start_time)] == [
        "requires_approval",
        "end_turn",
    ]
    assert tool_span.name == "execute_tool lookup" and tool_span.kind.name == "INTERNAL"
    assert attributes(tool_span) == {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": "lookup",
        "gen_ai.tool.call.id": "call-1",
        "gen_ai.tool.type": "function",
        "gen_ai.tool.description": "Look the weather up (async).",
        "letta.tool.kind": "client_tool",
    }
    first, second = sorted(rounds, key=lambda s: s.start_time)
    assert first.end_time <= tool_span.start_time and tool_span.end_time <= second.start_time
    # metrics are the rounds' (the run's span adds them up): two operations
    assert [p[1] for p in traced.metrics()["gen_ai.client.operation.duration"]] == [2]


def test_a_tool_that_raises_and_an_answered_approval(traced: Traced, sim: Simulator) -> None:
    agent = sim.default_agent_id

    @tool
    def broken(city: str) -> str:
        """Always fails."""
        raise RuntimeError("no weather today")

    declared = {"name": "server_side", "description": "needs approval", "parameters": {"type": "object"}}
    sim.script(
        agent,
        [
            ToolCall("broken", {"city": "Oslo"}, tool_call_id="call-a"),
            ToolCall("server_side", {}, tool_call_id="call-b"),
            Reply("done"),
        ],
    )
    result = sim.client().agents.messages.run_tools(
        agent, tools=[broken, declared], input="go", on_approval=lambda call: False
    )
    assert result.rounds == 2
    tools = {s.name: s for s in traced.spans("execute_tool")}
    assert set(tools) == {"execute_tool broken", "execute_tool server_side"}
    failed = tools["execute_tool broken"]
    assert failed.status.status_code.name == "ERROR" and attributes(failed)["error.type"] == "RuntimeError"
    approval = attributes(tools["execute_tool server_side"])
    assert approval["letta.tool.kind"] == "approval" and approval["letta.approval.decision"] == "deny"


# -- content capture ------------------------------------------------------------------------------


def test_content_is_off_by_default_and_on_when_asked(traced: Traced, sim: Simulator, monkeypatch: Any) -> None:
    client = sim.client()
    client.agents.messages.send(sim.default_agent_id, input="what is 2+2?")
    assert not any(
        key.startswith("gen_ai.input") or key.startswith("gen_ai.output") for key in attributes(traced.one())
    )
    traced.clear()
    monkeypatch.setenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "SPAN_ONLY")
    traced.instrument()
    response = client.agents.messages.send(sim.default_agent_id, input="what is 2+2?")
    found = attributes(traced.one())
    assert json.loads(found["gen_ai.input.messages"]) == [
        {"role": "user", "parts": [{"type": "text", "content": "what is 2+2?"}]}
    ]
    [output] = json.loads(found["gen_ai.output.messages"])
    assert output["role"] == "assistant" and output["finish_reason"] == "end_turn"
    assert {"type": "text", "content": response.text} in output["parts"]
    traced.clear()
    traced.instrument(capture_content=False)  # the argument wins over the variable
    client.agents.messages.send(sim.default_agent_id, input="again")
    assert "gen_ai.input.messages" not in attributes(traced.one())


# -- raw views, uninstrument, import cost, entry point -------------------------------------------


def test_a_raw_send_is_one_span_made_by_parse(traced: Traced, sim: Simulator) -> None:
    raw = sim.client().agents.messages.with_raw_response.send(sim.default_agent_id, input="hi")
    assert traced.spans() == []  # capturing the response is not the turn
    raw.parse()
    assert attributes(traced.one())["letta.turn.end"] == "finished"


def _in_otel(function: Any) -> bool:
    """Whether the function's code is the instrumentation's (``functools.wraps`` copies the rest)."""
    return "otel" in function.__code__.co_filename


def test_uninstrument_puts_every_original_back(traced: Traced, sim: Simulator) -> None:
    from letta_client._stream_core import StreamCore
    from letta_client._streaming import AsyncStream, Stream
    from letta_client.tools import _runner  # pyright: ignore[reportPrivateUsage]
    from letta_client.tools._flow import Plan

    wrapped = [
        Messages.send,
        Messages.create,
        Stream.close,
        AsyncStream.aclose,
        StreamCore.raised,
        _runner._drive,
        Plan.answer,
    ]
    assert all(_in_otel(function) for function in wrapped)
    assert Messages.__dict__["send"] is not Messages.__dict__["create"]  # one wrapper each
    traced.instrumentor.uninstrument()
    assert _observe.observers == []
    assert Messages.__dict__["send"] is Messages.__dict__["create"]  # ``create = send`` again
    originals = [Messages.send, Stream.close, AsyncStream.aclose, StreamCore.raised, _runner._drive, Plan.answer]
    assert not any(_in_otel(function) for function in originals)
    assert AsyncStream.__dict__["aclose"] is AsyncStream.__dict__["close"]
    sim.client().agents.messages.send(sim.default_agent_id, input="hi")
    assert traced.spans() == []


def test_importing_letta_client_imports_no_opentelemetry() -> None:
    code = (
        "import sys, letta_client; from letta_client import Letta; "
        "print(sorted(m for m in sys.modules if m.startswith('opentelemetry') or m == 'letta_client.otel'))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"


def test_the_entry_point_loads_the_instrumentor() -> None:
    from importlib.metadata import entry_points

    from letta_client.otel import LettaInstrumentor

    if sys.version_info >= (3, 10):
        group: Any = entry_points(group="opentelemetry_instrumentor")
    else:  # 3.9: a dict of groups
        group = entry_points().get("opentelemetry_instrumentor", [])
    found: Dict[str, Any] = {ep.name: ep for ep in group}
    assert found["letta_client"].load() is LettaInstrumentor
    assert LettaInstrumentor() is LettaInstrumentor()  # one instance per process, as BaseInstrumentor
    assert list(LettaInstrumentor().instrumentation_dependencies()) == ["letta-client-typed >= 1.0"]
