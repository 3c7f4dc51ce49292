"""Send a message and read the whole reply: ``messages.create`` without streaming.

Covers: ``Letta(base_url=..., api_key=...)``, keyword ``agent_id=``, ``MessageCreateParam``,
``response.messages`` with ``isinstance`` checks on the official message classes,
``response.stop_reason`` / ``response.usage``, and iterating ``messages.list`` (typed with the
``Message`` union of ``letta_client.types.agents.message``).
"""

from __future__ import annotations

import os
from typing import List

from _agent import agent_fields

from letta_client import Letta
from letta_client.types import MessageCreateParam
from letta_client.types.agents import AssistantMessage, LettaResponse, UserMessage
from letta_client.types.agents.message import Message


def main() -> None:
    client = Letta(base_url=os.environ["LETTA_BASE_URL"], api_key=os.environ.get("LETTA_API_KEY"))
    agent = client.agents.create(**agent_fields("send"))
    try:
        message: MessageCreateParam = {"role": "user", "content": "Say hello to the compat suite"}
        response = client.agents.messages.create(agent_id=agent.id, messages=[message])
        assert isinstance(response, LettaResponse)

        replies: List[str] = []
        for item in response.messages:
            print(f"[{item.message_type}]")
            if isinstance(item, AssistantMessage):
                assert isinstance(item.content, str)
                replies.append(item.content)
        assert replies, f"no assistant message in {[m.message_type for m in response.messages]}"
        assert "compat suite" in replies[-1], replies
        assert response.stop_reason.stop_reason == "end_turn"
        assert response.usage.step_count >= 1

        history: List[Message] = list(client.agents.messages.list(agent_id=agent.id, limit=50))
        sent = [m for m in history if isinstance(m, UserMessage) and "compat suite" in str(m.content)]
        assert len(sent) == 1, [m.message_type for m in history]
        assert any(isinstance(m, AssistantMessage) for m in history)
        print("assistant:", replies[-1])
    finally:
        client.agents.delete(agent.id)
        client.close()


if __name__ == "__main__":
    main()
