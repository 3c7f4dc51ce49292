"""Answers typed down to their leaves, as the official SDK types them, and still readable the way
code written for the official reads them: ``x.k`` and ``x["k"]`` both, ``to_dict()`` /
``to_json()`` with the official keyword arguments, and a newer server's values kept."""

from __future__ import annotations

import json
from typing import Any, Callable, Dict

import httpx
import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st

from letta_client import Letta
from letta_client.types import AgentState, Conversation, Run
from letta_client.types.agents.block import Block
from letta_client.types.llm_config import LlmConfig
from letta_client.types.openai_model_settings import OpenAIModelSettings
from letta_client.types.tool import Tool

AGENT_ID = "agent-5ba4b586-d7d6-4b37-a667-324e6e61b07a"


@pytest.fixture
def agent_body(fixture: Callable[[str], Dict[str, Any]]) -> Dict[str, Any]:
    """A real 0.16.8 agent (its create answer: three blocks, the base tools)."""
    return dict(json.loads(str(fixture("00_create_agent")["body_text"])))


def test_a_retrieved_agent_is_typed_to_its_leaves(
    client: Letta, mock_api: respx.MockRouter, agent_body: Dict[str, Any]
) -> None:
    mock_api.get(f"/v1/agents/{AGENT_ID}").mock(return_value=httpx.Response(200, json=agent_body))
    agent = client.agents.retrieve(AGENT_ID)
    assert isinstance(agent.memory.blocks[0], Block) and agent.memory.blocks[0].label == "human"
    assert [block.label for block in agent.blocks] == [block["label"] for block in agent_body["blocks"]]
    assert agent.tools and all(isinstance(tool, Tool) for tool in agent.tools)
    assert {tool.name for tool in agent.tools} == {tool["name"] for tool in agent_body["tools"]}
    assert isinstance(agent.llm_config, LlmConfig) and agent.llm_config.context_window == 30000
    assert isinstance(agent.api_model_settings, OpenAIModelSettings)


def test_a_field_reads_as_attribute_and_as_key_by_either_name(agent_body: Dict[str, Any]) -> None:
    agent = AgentState.model_validate(agent_body)
    settings = agent.model_settings  # type: ignore[attr-defined]  # the wire name, as the official reads it
    assert settings is agent.api_model_settings
    assert settings["temperature"] == settings.temperature == agent_body["model_settings"]["temperature"]
    assert agent["model_settings"] is agent["api_model_settings"] is settings
    assert settings.get("strict") is False and settings.get("no-such-key", 7) == 7
    assert "reasoning" in settings and "no-such-key" not in settings
    with pytest.raises(KeyError):
        settings["no-such-key"]
    with pytest.raises(AttributeError):
        agent.no_such_attribute  # type: ignore[attr-defined]  # noqa: B018


def test_settings_no_known_kind_fits_still_read_both_ways(
    client: Letta, mock_api: respx.MockRouter, agent_body: Dict[str, Any]
) -> None:
    """A newer server's provider: no member of the union fits, and both forms still read it."""
    novel = {"provider_type": "brand_new_provider", "temperature": 0.3, "dial": {"depth": 3}}
    answer = httpx.Response(200, json={**agent_body, "model_settings": novel})
    mock_api.get(f"/v1/agents/{AGENT_ID}").mock(return_value=answer)
    agent = client.agents.retrieve(AGENT_ID)
    settings = agent.model_settings  # type: ignore[attr-defined]
    assert settings["temperature"] == settings.temperature == 0.3
    assert settings["dial"] == {"depth": 3} and settings["provider_type"] == "brand_new_provider"
    assert agent.to_dict(mode="json", warnings=False)["model_settings"] == novel  # kept as sent


def test_a_newer_answer_through_the_client_keeps_what_does_not_fit(
    client: Letta, mock_api: respx.MockRouter, agent_body: Dict[str, Any]
) -> None:
    newer = {**agent_body, "agent_type": "tomorrows_agent", "memory": {**agent_body["memory"], "shape": "new"}}
    mock_api.get(f"/v1/agents/{AGENT_ID}").mock(return_value=httpx.Response(200, json=newer))
    agent = client.agents.retrieve(AGENT_ID)
    assert agent.agent_type == "tomorrows_agent"  # kept as sent, not an error
    assert agent.memory.blocks[0].label == "human" and agent.memory["shape"] == "new"


def test_a_hand_written_answer_is_as_lenient_as_a_generated_one(client: Letta, mock_api: respx.MockRouter) -> None:
    """``runs.retrieve`` and ``conversations.retrieve`` are hand-written: a field missing or an
    unknown value keeps the rest typed, where it used to be an ``APIResponseValidationError``."""
    mock_api.get("/v1/runs/run-1").mock(return_value=httpx.Response(200, json={"id": "run-1", "status": "paused"}))
    run = client.runs.retrieve("run-1")
    assert isinstance(run, Run) and run.id == "run-1" and run.status == "paused"
    conversation = {"id": "conv-1", "agent_id": AGENT_ID, "model_settings": {"provider_type": "x", "temperature": 1}}
    mock_api.get("/v1/conversations/conv-1").mock(return_value=httpx.Response(200, json=conversation))
    found = client.conversations.retrieve("conv-1")
    assert isinstance(found, Conversation) and found.model_settings["temperature"] == 1  # type: ignore[attr-defined]


def test_to_dict_and_to_json_take_the_official_keyword_arguments(agent_body: Dict[str, Any]) -> None:
    agent = AgentState.model_validate(agent_body)
    assert set(agent.to_dict()) == set(agent_body)  # the keys the server sent, by their wire names
    assert "api_model_settings" in agent.to_dict(use_api_names=False)
    assert isinstance(agent.to_dict(mode="json")["created_at"], str)
    assert not isinstance(agent.to_dict()["created_at"], str)
    assert None not in agent.to_dict(exclude_none=True).values()
    assert "hidden" not in agent.to_dict(exclude_none=True) and "hidden" in agent.to_dict()
    text = agent.to_json()
    assert text.startswith("{\n  ") and json.loads(text)["id"] == AGENT_ID
    assert "\n" not in agent.to_json(indent=None)
    partial = AgentState.model_validate({**agent_body, "description": None})
    assert "description" in partial.to_dict() and "description" not in partial.to_dict(exclude_defaults=True)
    assert json.loads(agent.to_json(indent=None, exclude_unset=False)).keys() >= set(agent_body)


@given(
    st.dictionaries(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12).filter(
            lambda key: key not in Block.model_fields and key not in ("model_settings",)
        ),
        st.one_of(st.integers(), st.text(max_size=5), st.booleans(), st.none()),
        max_size=6,
    )
)
def test_any_key_a_newer_server_adds_reads_as_key(extra: Dict[str, object]) -> None:
    block = Block.model_validate({"value": "v", "label": "human", **extra})
    for key, value in extra.items():
        assert key in block and block[key] == value and block.get(key) == value
    assert block["label"] == block.label == "human" and block.to_dict() == {"value": "v", "label": "human", **extra}
