"""Client-side tools against the real server: the runner answers the agent's tool calls."""

from __future__ import annotations

import asyncio

from letta_client import AsyncLetta, Letta, tool


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
