"""Client-side tools against the real server: the runner answers the agent's tool calls."""

from __future__ import annotations

import asyncio
import base64

import pytest

from letta_client import AsyncLetta, ConflictError, Letta, tool
from letta_client.tools import PendingApprovalError, image


@tool
def client_get_weather(location: str) -> str:
    """Get the weather for a location (executed by the client)."""
    return f"Sunny, 21C in {location}"


def test_run_tools_round_trip(live_url, agent_id):
    with Letta(base_url=live_url, timeout=120) as client:
        result = client.agents.messages.run_tools(
            agent_id, tools=[client_get_weather], input='[tool:client_get_weather {"location": "Paris"}] weather?'
        )
    assert result.rounds == 2
    assert result.stop_reason is not None and result.stop_reason.stop_reason == "end_turn"
    assert "Sunny, 21C in Paris" in result.text
    kinds = [m.message_type for m in result.messages]
    assert kinds.index("approval_request_message") < kinds.index("assistant_message")


def test_run_tools_streaming_token_mode(live_url, agent_id):
    with Letta(base_url=live_url, timeout=120) as client:
        runner = client.agents.messages.run_tools(
            agent_id,
            tools=[client_get_weather],
            input='[tool:client_get_weather {"location": "Oslo"}] weather?',
            streaming=True,
            stream_tokens=True,
        )
        kinds = [event.message_type for event in runner]
        final = runner.get_final_response()
    assert "approval_request_message" in kinds and "assistant_message" in kinds
    assert kinds.count("stop_reason") == 2  # requires_approval, then end_turn
    assert final.stop_reason is not None and final.stop_reason.stop_reason == "end_turn"
    assert "Sunny, 21C in Oslo" in final.text


@pytest.mark.real_sockets
def test_async_run_tools_with_a_failing_tool(live_url, agent_id):
    @tool
    def client_flaky(location: str) -> str:
        """Always fails."""
        raise RuntimeError("sensor offline")

    async def main() -> str:
        async with AsyncLetta(base_url=live_url, timeout=120) as client:
            result = await client.agents.messages.run_tools(
                agent_id, tools=[client_flaky], input='[tool:client_flaky {"location": "Rome"}] try it'
            )
            assert result.stop_reason is not None and result.stop_reason.stop_reason == "end_turn"
            return result.text

    text = asyncio.run(main())
    assert "sensor offline" in text


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201e2d3a4ec0000000049454e44ae426082"
)


def test_a_tool_returning_an_image_part_is_accepted(live_url, agent_id):
    @tool
    def client_snapshot(what: str) -> list:
        """Take a picture (executed by the client)."""
        return [f"a red dot ({what})", image(PNG)]

    with Letta(base_url=live_url, timeout=120) as client:
        result = client.agents.messages.run_tools(
            agent_id, tools=[client_snapshot], input='[tool:client_snapshot {"what": "dot"}] take a picture'
        )
    assert result.stop_reason.stop_reason == "end_turn"
    [tool_return] = [m for m in result.messages if m.message_type == "tool_return_message"]
    [returned] = tool_return.returns
    parts = returned.tool_return
    assert isinstance(parts, list) and [part.type for part in parts] == ["text", "image"]
    assert parts[1].source.data == base64.b64encode(PNG).decode()  # the server kept the image part
    assert "a red dot (dot)" in result.text  # the model got the text (0.16.8 tells it "[Image omitted]")


def _assert_stuck(client, agent_id):
    with pytest.raises(ConflictError) as refused:
        client.agents.messages.send(agent_id, input="are you there?")
    assert refused.value.code == "PENDING_APPROVAL"


def test_an_approval_left_by_a_client_that_went_away_is_repaired(live_url, agent_id):
    with Letta(base_url=live_url, timeout=120) as client:
        asked = client.agents.messages.send(
            agent_id, input="[tool:client_get_weather] weather?", client_tools=[client_get_weather.to_param()]
        )
        assert asked.stop_reason.stop_reason == "requires_approval"  # ... and nobody answers
        _assert_stuck(client, agent_id)

        repaired = client.agents.messages.resolve_pending_approvals(agent_id, deny_reason="the client went away")
        assert repaired.rounds >= 1
        [denial] = repaired.answers[0]["approvals"]
        assert denial["approve"] is False and denial["reason"] == "the client went away"

        after = client.agents.messages.send(agent_id, input="hello again")
        assert after.stop_reason.stop_reason == "end_turn" and "hello again" in after.text
        assert client.agents.messages.resolve_pending_approvals(agent_id).rounds == 0  # nothing left


@pytest.mark.real_sockets
def test_an_approval_left_by_a_cancelled_run_is_repaired_by_the_async_client(live_url, agent_id):
    async def main() -> None:
        async with AsyncLetta(base_url=live_url, timeout=120) as client:
            stream = await client.agents.messages.send(
                agent_id,
                input="[tool:client_get_weather] [slow=2] weather?",
                client_tools=[client_get_weather.to_param()],
                streaming=True,
                background=True,
                yield_pings=True,
            )
            async for event in stream:
                if event.message_type == "ping":  # the run has started; the model is still thinking
                    await client.agents.messages.cancel(agent_id, run_ids=[event.run_id])
            assert stream.stop_reason is not None and stream.stop_reason.stop_reason == "cancelled"
            # the cancelled run still recorded the model's tool call, and the agent is stuck on it
            with pytest.raises(ConflictError):
                await client.agents.messages.send(agent_id, input="are you there?")

            repaired = await client.agents.messages.resolve_pending_approvals(agent_id)
            assert repaired.rounds >= 1
            after = await client.agents.messages.send(agent_id, input="hello again")
            assert after.stop_reason.stop_reason == "end_turn"

    asyncio.run(main())


def test_the_runner_denies_a_foreign_pending_call_when_told_to(live_url, agent_id):
    with Letta(base_url=live_url, timeout=120) as client:
        client.agents.messages.send(
            agent_id, input="[tool:client_get_weather] weather?", client_tools=[client_get_weather.to_param()]
        )
        with pytest.raises(PendingApprovalError):
            client.agents.messages.run_tools(agent_id, tools=[], input="plain question")
        result = client.agents.messages.run_tools(agent_id, tools=[], input="plain question", resolve_pending="deny")
    assert result.stop_reason.stop_reason == "end_turn"
    assert "plain question" in result.text


def test_run_tools_in_a_conversation_and_repair_it(live_url, agent_id):
    with Letta(base_url=live_url, timeout=120) as client:
        conversation = client.conversations.create(agent_id=agent_id).id
        result = client.conversations.messages.run_tools(
            conversation, tools=[client_get_weather], input='[tool:client_get_weather {"location": "Lima"}] weather?'
        )
        assert result.rounds == 2 and "Sunny, 21C in Lima" in result.text

        asked = client.conversations.messages.send(
            conversation,
            input="[tool:client_get_weather] again?",
            client_tools=[client_get_weather.to_param()],
            streaming=False,
        )
        assert asked.stop_reason.stop_reason == "requires_approval"  # ... and nobody answers
        repaired = client.conversations.messages.resolve_pending_approvals(conversation)
        assert repaired.rounds >= 1
        after = client.conversations.messages.run_tools(conversation, tools=[], input="hello again")
        assert after.stop_reason.stop_reason == "end_turn" and "hello again" in after.text
