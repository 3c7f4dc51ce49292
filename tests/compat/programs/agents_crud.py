"""Agents from the SDK: create, retrieve, list, update, delete, and the 404 afterwards.

Covers: ``client.agents.create`` with typed fields (name, model, embedding, memory_blocks,
tags, metadata, description), ``retrieve``, auto-paginating ``list`` with ``name=`` / ``tags=``
filters, ``retrieve(..., include=[...])``, ``update``, ``delete``, ``NotFoundError`` carrying ``status_code``, and
``with Letta(...) as client``.
"""

from __future__ import annotations

import os
import uuid

from _agent import agent_fields

import letta_client
from letta_client import Letta
from letta_client.types import AgentState


def main() -> None:
    tag = f"compat-{uuid.uuid4().hex[:8]}"
    with Letta(base_url=os.environ["LETTA_BASE_URL"], api_key=os.environ.get("LETTA_API_KEY")) as client:
        fields = agent_fields("crud")
        agent = client.agents.create(**fields, tags=[tag], metadata={"suite": "compat"}, description="first")
        assert isinstance(agent, AgentState)
        assert agent.id.startswith("agent-")
        assert agent.name == fields["name"]
        try:
            # No relationship is included unless asked for (tags are one).
            fetched = client.agents.retrieve(agent_id=agent.id, include=["agent.tags"])
            assert fetched.id == agent.id
            assert fetched.tags == [tag], fetched.tags

            by_name = [a.id for a in client.agents.list(name=fields["name"])]
            assert by_name == [agent.id], by_name
            by_tag = [a.id for a in client.agents.list(tags=[tag], limit=1)]
            assert by_tag == [agent.id], by_tag

            updated = client.agents.update(agent_id=agent.id, description="second", tags=[tag, "updated"])
            assert updated.description == "second"
            assert "updated" in (updated.tags or [])
        finally:
            client.agents.delete(agent_id=agent.id)

        try:
            client.agents.retrieve(agent.id)
        except letta_client.NotFoundError as error:
            assert error.status_code == 404
            print("deleted:", agent.id)
        else:
            raise AssertionError("a deleted agent was still found")


if __name__ == "__main__":
    main()
