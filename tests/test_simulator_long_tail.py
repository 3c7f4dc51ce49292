"""The long tail through the SDK on the simulator, as a user's offline tests would touch it:
core memory, the tool registry and attach, archival memory, steps and message search, in both
modes."""

from __future__ import annotations

from typing import Any, AsyncIterator, Union

import pytest

from _both import collect, resolve
from letta_client import AsyncLetta, Letta, NotFoundError
from letta_client.testing import Simulator

SOURCE = '''def roll_dice(sides: int) -> int:
    """Roll a die.

    Args:
        sides: how many sides the die has
    """
    return 4
'''


@pytest.fixture(params=["sync", "async"])
async def sim_client(request: pytest.FixtureRequest) -> AsyncIterator[Union[Letta, AsyncLetta]]:
    sim = Simulator()
    if request.param == "sync":
        with sim.client() as client:
            yield client
    else:
        async with sim.async_client() as client:
            yield client


async def agent_of(client: Any) -> str:
    agent = await resolve(client.agents.create(name="long-tail", model="openai/gpt-4o-mini"))
    return str(agent.id)


async def test_core_memory_blocks(sim_client: Any) -> None:
    agent_id = await agent_of(sim_client)
    labels = [block.label for block in await collect(sim_client.agents.blocks.list(agent_id))]
    assert sorted(labels) == ["human", "persona"]
    await resolve(sim_client.agents.blocks.update("human", agent_id=agent_id, value="Likes tea."))
    block = await resolve(sim_client.agents.blocks.retrieve("human", agent_id=agent_id))
    assert block.value == "Likes tea."
    shared = await resolve(sim_client.blocks.create(label="notes", value="shared"))
    await resolve(sim_client.agents.blocks.attach(shared.id, agent_id=agent_id))
    assert [a.id for a in await collect(sim_client.blocks.agents.list(shared.id))] == [agent_id]
    with pytest.raises(NotFoundError):
        await resolve(sim_client.agents.blocks.retrieve("nope", agent_id=agent_id))


async def test_a_tool_upserted_from_source_and_attached(sim_client: Any) -> None:
    agent_id = await agent_of(sim_client)
    tool = await resolve(sim_client.tools.upsert(source_code=SOURCE))
    assert tool.name == "roll_dice" and tool.id.startswith("tool-")
    await resolve(sim_client.agents.tools.attach(tool.id, agent_id=agent_id))
    assert "roll_dice" in [t.name for t in await collect(sim_client.agents.tools.list(agent_id))]
    await resolve(sim_client.agents.tools.detach(tool.id, agent_id=agent_id))
    assert "roll_dice" not in [t.name for t in await collect(sim_client.agents.tools.list(agent_id))]


async def test_archival_memory_insert_and_search(sim_client: Any) -> None:
    agent_id = await agent_of(sim_client)
    [passage] = await resolve(sim_client.agents.passages.create(agent_id, text="The sky is blue."))
    found = await resolve(sim_client.agents.passages.search(agent_id, query="sky"))
    assert [r.id for r in found.results] == [passage.id] and found.count == 1
    await resolve(sim_client.agents.passages.delete(passage.id, agent_id=agent_id))
    assert (await resolve(sim_client.agents.passages.search(agent_id, query="sky"))).count == 0


async def test_steps_and_message_search(sim_client: Any) -> None:
    agent_id = await agent_of(sim_client)
    response = await resolve(sim_client.agents.messages.send(agent_id, input="find me later"))
    step_id = response.messages[-1].step_id
    step = await resolve(sim_client.steps.retrieve(step_id))
    assert step.id == step_id and step.agent_id == agent_id
    assert {m.id for m in await collect(sim_client.steps.messages.list(step_id))} >= {response.messages[-1].id}
    hits = await resolve(sim_client.messages.search(query="find me later"))
    assert "user_message" in [hit.message_type for hit in hits]  # the echo and its reasoning match too
    assert all("find me later" in (getattr(hit, "content", None) or hit.reasoning) for hit in hits)
