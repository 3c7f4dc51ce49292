"""The async client: ``async for`` over list results, and an awaited stream.

Covers: ``async with AsyncLetta(...) as client``, ``async for agent in client.agents.list(...)``
(auto-pagination across pages of one), ``await client.agents.list(...)`` as a first page
(``.items``, ``.has_next_page()``, ``await .get_next_page()``), ``stream = await
client.agents.messages.create(..., streaming=True)`` then ``async for chunk in stream``, and
``async for message in client.agents.messages.list(agent_id=...)``.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from typing import List

from _agent import agent_fields

from letta_client import AsyncLetta
from letta_client.types.agents import AssistantMessage, UserMessage


async def main() -> None:
    tag = f"compat-{uuid.uuid4().hex[:8]}"
    async with AsyncLetta(base_url=os.environ["LETTA_BASE_URL"], api_key=os.environ.get("LETTA_API_KEY")) as client:
        created = [await client.agents.create(**agent_fields(f"async{i}"), tags=[tag]) for i in range(3)]
        try:
            listed: List[str] = []
            async for agent in client.agents.list(tags=[tag], limit=1):
                listed.append(agent.id)
            assert sorted(listed) == sorted(a.id for a in created), listed

            first_page = await client.agents.list(tags=[tag], limit=2)
            assert len(first_page.items) == 2
            assert first_page.has_next_page()
            second_page = await first_page.get_next_page()
            assert len(second_page.items) == 1

            agent_id = created[0].id
            stream = await client.agents.messages.create(
                agent_id=agent_id, messages=[{"role": "user", "content": "Async hello there"}], streaming=True
            )
            text = ""
            async for chunk in stream:
                if isinstance(chunk, AssistantMessage):
                    text += str(chunk.content)
            assert "Async hello" in text, text

            history = [message async for message in client.agents.messages.list(agent_id=agent_id, limit=50)]
            assert any(isinstance(m, UserMessage) and "Async hello" in str(m.content) for m in history), history
            print("agents:", len(listed), "messages:", len(history))
        finally:
            for agent in created:
                await client.agents.delete(agent_id=agent.id)


if __name__ == "__main__":
    asyncio.run(main())
