"""The find-or-create setup of evaluation harnesses and bots: pick a model the server has, find
the agent by name or create it, make sure its blocks and tags are there, then print a summary
from the nested objects.

Covers: ``client.models.list()`` (``ModelListResponse``: a plain list) and ``model.handle``,
``agents.list(name=..., include=[...])`` with ``.items`` in the server's order and
``next_page_info()``, ``agents.create`` with ``memory_blocks``, ``agent.memory.blocks`` typed,
``agent.blocks[i].label``, ``agent.embedding_config.embedding_dim``, ``BaseModel.to_dict()``.
"""

from __future__ import annotations

import os
import uuid
from typing import List

from _agent import agent_fields

from letta_client import Letta
from letta_client.types import AgentState
from letta_client.types.model_list_response import ModelListResponse


def find_or_create(client: Letta, name: str, model: str) -> AgentState:
    page = client.agents.list(name=name, include=["agent.blocks"], limit=10)
    if page.items:
        return page.items[0]
    fields = {**agent_fields("setup"), "name": name, "model": model}
    return client.agents.create(**fields)


def main() -> None:
    name = f"compat-setup-{uuid.uuid4().hex[:8]}"
    with Letta(base_url=os.environ["LETTA_BASE_URL"], api_key=os.environ.get("LETTA_API_KEY")) as client:
        models: ModelListResponse = client.models.list()
        handles: List[str] = [model.handle for model in models if model.handle]
        assert len(models) >= 1 and models[0].handle is not None  # a plain list, indexable
        wanted = os.environ.get("LETTA_MODEL", "openai/gpt-4o-mini")
        model = wanted if wanted in handles else handles[0]

        first = find_or_create(client, name, model)
        try:
            again = find_or_create(client, name, model)
            assert again.id == first.id, (first.id, again.id)  # found, not created twice
            labels = sorted(block.label or "" for block in again.memory.blocks)
            assert labels == sorted(block.label or "" for block in again.blocks) == ["human", "persona"], labels
            assert again.embedding_config is not None and again.embedding_config.embedding_dim > 0
            info = client.agents.list(name=name).next_page_info()  # where the next page would start
            assert info is None or info.params == {"after": first.id}, info
            summary = again.to_dict()
            assert summary["id"] == first.id and summary["name"] == name
            print("agent:", again.id, "model:", model, "blocks:", labels)
        finally:
            client.agents.delete(first.id)


if __name__ == "__main__":
    main()
