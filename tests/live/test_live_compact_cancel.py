"""Compaction and conversation cancel against the real server, sync and async: the three core
endpoints the rest of the live suite does not call directly."""

from __future__ import annotations

from typing import Dict, Union

import pytest

from _both import close, resolve
from letta_client import AsyncLetta, BadRequestError, ConflictError, Letta

AnyClient = Union[Letta, AsyncLetta]


@pytest.fixture
def client(live_url):
    c = Letta(base_url=live_url, timeout=120)
    yield c
    c.close()


@pytest.fixture
async def async_client(live_url):
    c = AsyncLetta(base_url=live_url, timeout=120)
    yield c
    await c.close()


async def test_agent_history_compaction(any_client: AnyClient, agent_id: str) -> None:
    for n in range(3):
        await resolve(any_client.agents.messages.send(agent_id, input=f"compact me {n}"))
    # the default settings keep the recent turns: too few messages here to reduce (the server's 400)
    with pytest.raises(BadRequestError, match="Summarization failed"):
        await resolve(any_client.agents.messages.compact(agent_id))
    result = await resolve(any_client.agents.messages.compact(agent_id, compaction_settings={"mode": "all"}))
    assert result.num_messages_before > result.num_messages_after
    assert "compact me 2" in result.summary  # the scripted model echoes the transcript it summarises


async def test_conversation_compaction_and_cancel(any_client: AnyClient, agent_id: str) -> None:
    conversation = await resolve(any_client.conversations.create(agent_id=agent_id))
    for n in range(2):
        await resolve(any_client.conversations.messages.send(conversation.id, input=f"talk {n}", streaming=False))
    result = await resolve(
        any_client.conversations.messages.compact(conversation.id, compaction_settings={"mode": "all"})
    )
    assert result.num_messages_before > result.num_messages_after and "talk 0" in result.summary
    with pytest.raises(ConflictError, match="No active runs"):  # nothing runs: the server's 409
        await resolve(any_client.conversations.cancel(conversation.id))
    # a turn the scripted model answers only after 30 s: it runs when the stream's headers arrive
    stream = await resolve(any_client.conversations.messages.send(conversation.id, input="slow [slow=30]"))
    try:
        cancelled: Dict[str, str] = await resolve(any_client.conversations.cancel(conversation.id))
        assert list(cancelled.values()) == ["cancelled"] and all(run.startswith("run-") for run in cancelled)
    finally:
        await close(stream)
