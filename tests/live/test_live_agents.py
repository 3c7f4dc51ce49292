"""``client.agents`` against the real server: create, retrieve, list by name, update, delete."""

from __future__ import annotations

import uuid

import pytest

from letta_client import AsyncLetta, Letta, NotFoundError
from letta_client.types import AgentState

MODEL = "openai-proxy/fake-gpt"  # the scripted model (tests/live/conftest.py)
EMBEDDING = "openai/text-embedding-3-small"


@pytest.fixture
def client(live_url):
    c = Letta(base_url=live_url, timeout=120)
    yield c
    c.close()


def test_agents_create_retrieve_list_update_delete(client):
    name = f"live-crud-{uuid.uuid4().hex[:12]}"
    agent = client.agents.create(
        name=name,
        model=MODEL,
        embedding=EMBEDDING,
        memory_blocks=[{"label": "human", "value": "A test harness."}, {"label": "persona", "value": "A test agent."}],
        tags=["live-crud"],
        metadata={"purpose": "crud"},
    )
    try:
        assert isinstance(agent, AgentState) and agent.id.startswith("agent-")
        assert (agent.name, agent.tags, agent.metadata) == (name, ["live-crud"], {"purpose": "crud"})
        assert {block.label for block in agent.blocks} >= {"human", "persona"}

        fetched = client.agents.retrieve(agent.id)
        assert (fetched.id, fetched.name, fetched.model) == (agent.id, name, MODEL)

        found = list(client.agents.list(name=name))
        assert [a.id for a in found] == [agent.id]
        assert list(client.agents.list(name=f"{name}-absent")) == []

        updated = client.agents.update(agent.id, description="changed by the live test", tags=["live-crud", "x"])
        assert updated.description == "changed by the live test" and sorted(updated.tags) == ["live-crud", "x"]
        assert client.agents.retrieve(agent.id).description == "changed by the live test"
    finally:
        client.agents.delete(agent.id)
    with pytest.raises(NotFoundError, match=agent.id):
        client.agents.retrieve(agent.id)
    assert list(client.agents.list(name=name)) == []


async def test_async_agents_create_list_and_delete(live_url):
    name = f"live-crud-async-{uuid.uuid4().hex[:12]}"
    async with AsyncLetta(base_url=live_url, timeout=120) as client:
        agent = await client.agents.create(name=name, model=MODEL, embedding=EMBEDDING)
        try:
            assert [a.id async for a in client.agents.list(name=name)] == [agent.id]
        finally:
            await client.agents.delete(agent.id)
        with pytest.raises(NotFoundError):
            await client.agents.retrieve(agent.id)
