"""A service class around one agent, as applications wrap the SDK: it reads the agent's memory
blocks through ``agent.memory.blocks``, its tools, its model settings as a dict, and logs the
agent as JSON.

Covers: ``agents.retrieve(...).memory.blocks[i].label`` / ``.value`` (nested models, typed to
the leaves), ``agent.tools[i].name``, ``agent.llm_config.context_window``,
``agent.model_settings["temperature"]`` (read as a dict, the way the official SDK leaves it),
``agent.to_dict()`` / ``agent.to_json()`` with their keyword arguments, and
``client.agents.blocks.update`` followed by a fresh read.
"""

from __future__ import annotations

import json
import os
from typing import Dict, List

from _agent import agent_fields

from letta_client import Letta
from letta_client.types import AgentState


class AgentMemoryService:
    def __init__(self, client: Letta, agent_id: str) -> None:
        self.client = client
        self.agent_id = agent_id

    def _agent(self) -> AgentState:
        return self.client.agents.retrieve(self.agent_id, include=["agent.blocks", "agent.tools"])

    def blocks(self) -> Dict[str, str]:
        return {block.label or "": block.value for block in self._agent().memory.blocks}

    def tool_names(self) -> List[str]:
        return sorted(tool.name or "" for tool in self._agent().tools)

    def remember(self, label: str, value: str) -> None:
        self.client.agents.blocks.update(label, agent_id=self.agent_id, value=value)

    def settings(self) -> Dict[str, object]:
        agent = self._agent()
        settings = agent.model_settings  # type: ignore[attr-defined]  # the server's name, read as a dict
        return {"temperature": settings["temperature"], "context_window": agent.llm_config.context_window}

    def snapshot(self) -> str:
        return self._agent().to_json(indent=None, exclude_none=True)


def main() -> None:
    with Letta(base_url=os.environ["LETTA_BASE_URL"], api_key=os.environ.get("LETTA_API_KEY")) as client:
        agent = client.agents.create(**agent_fields("memory"))
        try:
            service = AgentMemoryService(client, agent.id)
            blocks = service.blocks()
            assert blocks["human"].startswith("The human"), blocks
            assert set(blocks) >= {"human", "persona"}, blocks
            service.remember("human", "The human's name is Ada.")
            assert service.blocks()["human"] == "The human's name is Ada."

            names = service.tool_names()
            assert all(isinstance(name, str) for name in names)

            settings = service.settings()
            assert isinstance(settings["temperature"], float), settings
            assert isinstance(settings["context_window"], int) and settings["context_window"] > 0, settings

            snapshot = json.loads(service.snapshot())
            assert snapshot["id"] == agent.id and "model_settings" in snapshot  # the wire names
            assert "api_model_settings" not in snapshot
            as_dict = agent.to_dict(mode="json", use_api_names=False)
            assert "api_model_settings" in as_dict and isinstance(as_dict["created_at"], str)
            print("memory:", sorted(blocks), "tools:", len(names), "temperature:", settings["temperature"])
        finally:
            client.agents.delete(agent.id)


if __name__ == "__main__":
    main()
