"""``agents.messages.reset`` / ``compact`` and the official ``streaming=`` argument of ``stream()``."""

from __future__ import annotations

import json
import warnings
from typing import Callable

import httpx
import respx

from letta_client import AsyncLetta, Letta
from letta_client.types import AgentState
from letta_client.types.conversations import CompactionResponse

AGENT = "agent-5ba4b586-d7d6-4b37-a667-324e6e61b07a"


def test_reset_patches_reset_messages(client: Letta, mock_api: respx.MockRouter) -> None:
    route = mock_api.patch(f"/v1/agents/{AGENT}/reset-messages").mock(
        return_value=httpx.Response(200, json={"id": AGENT, "name": "a", "future_field": 1})
    )
    agent = client.agents.messages.reset(agent_id=AGENT, add_default_initial_messages=False)
    assert isinstance(agent, AgentState) and agent.id == AGENT
    assert json.loads(route.calls.last.request.content) == {"add_default_initial_messages": False}
    mock_api.patch(f"/v1/agents/{AGENT}/reset-messages").mock(return_value=httpx.Response(200, json=None))
    assert client.agents.messages.reset(AGENT) is None


def test_compact_posts_summarize(client: Letta, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(f"/v1/agents/{AGENT}/summarize").mock(
        return_value=httpx.Response(200, json={"summary": "s", "num_messages_before": 9, "num_messages_after": 3})
    )
    result = client.agents.messages.compact(AGENT, compaction_settings={"mode": "sliding_window"})
    assert isinstance(result, CompactionResponse) and result.num_messages_after == 3
    assert json.loads(route.calls.last.request.content) == {"compaction_settings": {"mode": "sliding_window"}}


def test_stream_accepts_streaming(
    client: Letta, mock_api: respx.MockRouter, fixture_response: Callable[[str], httpx.Response]
) -> None:
    route = mock_api.post(f"/v1/agents/{AGENT}/messages/stream").mock(
        return_value=fixture_response("e_legacy_stream_steps")
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with client.agents.messages.stream(agent_id=AGENT, input="hi", streaming=True) as stream:
            assert list(stream)
    assert json.loads(route.calls.last.request.content)["streaming"] is True


async def test_async_reset_and_compact(async_client: AsyncLetta, mock_api: respx.MockRouter) -> None:
    mock_api.patch(f"/v1/agents/{AGENT}/reset-messages").mock(return_value=httpx.Response(200, json={"id": AGENT}))
    mock_api.post(f"/v1/agents/{AGENT}/summarize").mock(
        return_value=httpx.Response(200, json={"summary": "s", "num_messages_before": 2, "num_messages_after": 1})
    )
    agent = await async_client.agents.messages.reset(agent_id=AGENT)
    assert agent is not None and agent.id == AGENT
    assert (await async_client.agents.messages.compact(AGENT)).summary == "s"
