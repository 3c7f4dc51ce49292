"""``client.agents``: create, retrieve, list (auto-paginating, filtered), update, delete, and the
``AgentState`` model that keeps what it does not know."""

from __future__ import annotations

import json
from typing import Callable, Dict

import httpx
import pytest
import respx

from letta_client import Letta, NotFoundError
from letta_client.testing import Simulator
from letta_client.types import AgentState


def test_agent_state_decodes_a_real_agent_and_keeps_unknown_fields(fixture: Callable[[str], Dict[str, object]]) -> None:
    body = json.loads(str(fixture("00_create_agent")["body_text"]))
    agent = AgentState.model_validate({**body, "field_from_the_future": {"x": 1}})
    assert agent.id == body["id"] and agent.name == body["name"]
    assert agent.llm_config.to_dict() == body["llm_config"]  # typed, and given back with the wire names
    assert agent.memory.blocks[0].label == body["memory"]["blocks"][0]["label"]  # typed to the leaves
    assert agent.model_extra == {"field_from_the_future": {"x": 1}}
    assert agent.to_dict(mode="json")["llm_config"] == body["llm_config"]


def test_create_sends_the_documented_fields(client: Letta, mock_api: respx.MockRouter) -> None:
    route = mock_api.post("/v1/agents/").mock(return_value=httpx.Response(200, json={"id": "agent-1", "name": "n"}))
    agent = client.agents.create(
        name="n",
        model="openai/gpt-4o-mini",
        embedding="openai/text-embedding-3-small",
        memory_blocks=[{"label": "human", "value": "Ada"}],
        tools=("web_search",),
        include_base_tools=False,
        tags=["demo"],
        llm_config={"context_window": 8000},
        extra_body={"brand_new_field": True},
    )
    assert agent.id == "agent-1"
    assert json.loads(route.calls.last.request.content) == {
        "name": "n",
        "model": "openai/gpt-4o-mini",
        "embedding": "openai/text-embedding-3-small",
        "memory_blocks": [{"label": "human", "value": "Ada"}],
        "tools": ["web_search"],
        "include_base_tools": False,
        "tags": ["demo"],
        "llm_config": {"context_window": 8000},
        "brand_new_field": True,
    }


def test_bad_arguments_fail_before_sending(client: Letta, mock_api: respx.MockRouter) -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'nmae'"):
        client.agents.create(nmae="typo")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"name: got 3 \(int\); expected a string"):
        client.agents.create(name=3)  # type: ignore[typeddict-item]
    assert not mock_api.calls


def test_list_pages_and_repeats_list_filters(client: Letta, mock_api: respx.MockRouter) -> None:
    route = mock_api.get("/v1/agents/").mock(
        side_effect=[
            httpx.Response(200, json=[{"id": "agent-1"}, {"id": "agent-2"}]),
            httpx.Response(200, json=[]),
        ]
    )
    assert [agent.id for agent in client.agents.list(tags=["a", "b"], match_all_tags=True, limit=2)] == [
        "agent-1",
        "agent-2",
    ]
    first, second = (call.request.url.params for call in route.calls)
    assert first.get_list("tags") == ["a", "b"] and first["match_all_tags"] == "true"
    assert second["after"] == "agent-2"


def test_crud_against_the_simulator() -> None:
    simulator = Simulator()
    with simulator.client() as client:
        created = client.agents.create(name="crud", tags=["t"], metadata={"k": 1}, system="Be brief.")
        assert (created.name, created.tags, created.metadata, created.system) == ("crud", ["t"], {"k": 1}, "Be brief.")
        assert client.agents.retrieve(agent_id=created.id).id == created.id
        assert [a.id for a in client.agents.list(name="crud")] == [created.id]
        assert [a.id for a in client.agents.list(tags=["t"])] == [created.id]
        assert client.agents.update(created.id, description="new").description == "new"
        client.agents.delete(created.id)
        with pytest.raises(NotFoundError):
            client.agents.retrieve(created.id)


async def test_async_crud_against_the_simulator() -> None:
    simulator = Simulator()
    async with simulator.async_client() as client:
        created = await client.agents.create(name="async-crud")
        assert (await client.agents.retrieve(created.id)).name == "async-crud"
        assert [a.id async for a in client.agents.list(name="async-crud")] == [created.id]
        page = await client.agents.list(name="async-crud")
        assert [a.id for a in page.items] == [created.id]
        assert (await client.agents.update(created.id, name="renamed")).name == "renamed"
        raw = await client.agents.with_raw_response.delete(created.id)
        assert raw.status_code == 200
        with pytest.raises(NotFoundError):
            await client.agents.retrieve(created.id)
