"""Static checks of the public types (pyright strict; this file is type-checked, never run).

Every call sits in a function that nothing calls. An ignore comment that stops being needed is
itself reported (by pyright here, and by ``mypy --strict``, which also checks this file), so the
"is a type error" checks below cannot silently pass."""

# pyright: reportUnnecessaryTypeIgnoreComment=true

from __future__ import annotations

from typing_extensions import assert_type

from letta_client import AsyncLetta, Letta
from letta_client._streaming import AsyncStream, Stream
from letta_client.tools import AsyncToolRunnerStream, ToolRunnerStream, ToolRunResult, tool
from letta_client.types.messages import (
    AssistantMessage,
    LettaPing,
    LettaStopReason,
    LettaStreamingResponse,
    ReasoningMessage,
    ToolCallMessage,
)
from letta_client.types.response import LettaResponse


def sync_send(client: Letta, agent_id: str) -> None:
    assert_type(client.agents.messages.send(agent_id, input="x"), LettaResponse)
    assert_type(client.agents.messages.send(agent_id, input="x", streaming=False), LettaResponse)
    assert_type(client.agents.messages.create(agent_id, input="x"), LettaResponse)
    stream = client.agents.messages.send(agent_id, input="x", streaming=True, stream_tokens=True)
    assert_type(stream, Stream[LettaStreamingResponse])
    assert_type(client.agents.messages.create(agent_id, input="x", streaming=True), Stream[LettaStreamingResponse])
    assert_type(stream.get_final_response(), LettaResponse)
    for text in stream.text_stream:
        assert_type(text, str)


def sync_narrowing(client: Letta, agent_id: str) -> None:
    with client.agents.messages.send(agent_id, input="x", streaming=True, yield_pings=True) as stream:
        for event in stream:
            assert_type(event, LettaStreamingResponse)
            if event.message_type == "assistant_message":
                assert_type(event, AssistantMessage)
                assert_type(event.text, str)
            elif event.message_type == "reasoning_message":
                assert_type(event, ReasoningMessage)
            elif event.message_type == "tool_call_message":
                assert_type(event, ToolCallMessage)
            elif event.message_type == "ping":
                assert_type(event, LettaPing)
            elif event.message_type == "stop_reason":
                assert_type(event, LettaStopReason)


async def async_send(client: AsyncLetta, agent_id: str) -> None:
    assert_type(await client.agents.messages.send(agent_id, input="x"), LettaResponse)
    assert_type(await client.agents.messages.create(agent_id, input="x"), LettaResponse)
    stream = await client.agents.messages.send(agent_id, input="x", streaming=True)
    assert_type(stream, AsyncStream[LettaStreamingResponse])
    assert_type(
        await client.agents.messages.create(agent_id, input="x", streaming=True), AsyncStream[LettaStreamingResponse]
    )
    assert_type(await stream.get_final_response(), LettaResponse)
    async with stream:
        async for event in stream:
            if event.message_type == "assistant_message":
                assert_type(event, AssistantMessage)
    async for text in stream.text_stream:
        assert_type(text, str)


def streaming_options_need_streaming(client: Letta, agent_id: str) -> None:
    # stream_tokens / include_pings apply only to streams: without streaming=True they do not type-check.
    client.agents.messages.send(agent_id, input="x", stream_tokens=True)  # type: ignore[call-overload]
    client.agents.messages.send(agent_id, input="x", include_pings=False)  # type: ignore[call-overload]


async def async_streaming_options_need_streaming(client: AsyncLetta, agent_id: str) -> None:
    await client.agents.messages.send(agent_id, input="x", stream_tokens=True)  # type: ignore[call-overload]


def conversation_send(client: Letta, conversation_id: str) -> None:
    assert_type(client.conversations.messages.send(conversation_id, input="x"), Stream[LettaStreamingResponse])
    assert_type(client.conversations.messages.create(conversation_id, input="x"), Stream[LettaStreamingResponse])
    assert_type(client.conversations.messages.send(conversation_id, input="x", streaming=False), LettaResponse)
    assert_type(
        client.conversations.messages.stream(conversation_id, run_id="run-x", starting_after=3),
        Stream[LettaStreamingResponse],
    )


async def async_conversation_send(client: AsyncLetta, conversation_id: str) -> None:
    stream = await client.conversations.messages.send("default", agent_id="agent-x", input="x")
    assert_type(stream, AsyncStream[LettaStreamingResponse])
    assert_type(await client.conversations.messages.send(conversation_id, input="x", streaming=False), LettaResponse)


@tool
def typed_tool(city: str) -> str:
    return city


def tool_runs(client: Letta, agent_id: str, conversation_id: str) -> None:
    assert_type(client.agents.messages.run_tools(agent_id, tools=[typed_tool], input="x"), ToolRunResult)
    runner = client.agents.messages.run_tools(agent_id, tools=[typed_tool], input="x", streaming=True)
    assert_type(runner, ToolRunnerStream)
    assert_type(runner.get_final_response(), ToolRunResult)
    assert_type(client.agents.messages.resolve_pending_approvals(agent_id, deny_reason="gone"), ToolRunResult)
    assert_type(client.conversations.messages.run_tools(conversation_id, tools=[typed_tool], input="x"), ToolRunResult)
    assert_type(client.conversations.messages.resolve_pending_approvals(conversation_id), ToolRunResult)
    assert_type(typed_tool("Paris"), str)  # the decorated function keeps its signature
    bad = "sometimes"
    client.agents.messages.run_tools(agent_id, tools=[typed_tool], input="x", resolve_pending=bad)  # type: ignore[call-overload]


async def async_tool_runs(client: AsyncLetta, agent_id: str, conversation_id: str) -> None:
    assert_type(await client.agents.messages.run_tools(agent_id, tools=[typed_tool], input="x"), ToolRunResult)
    runner = await client.agents.messages.run_tools(agent_id, tools=[typed_tool], input="x", streaming=True)
    assert_type(runner, AsyncToolRunnerStream)
    assert_type(await client.agents.messages.resolve_pending_approvals(agent_id), ToolRunResult)
    result = await client.conversations.messages.run_tools(conversation_id, tools=[typed_tool], input="x")
    assert_type(result, ToolRunResult)
