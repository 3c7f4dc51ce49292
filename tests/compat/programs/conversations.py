"""Conversations: a thread on an agent, whose messages always stream.

Covers: ``client.conversations.create(agent_id=...)``, ``conversations.messages.create(
conversation_id, messages=[...])`` iterated as a stream (no ``streaming=`` needed),
``conversations.messages.list``, ``conversations.retrieve`` / ``update`` / ``list(agent_id=...)``
(a plain list) / ``recompile(dry_run=True)`` / ``delete``, and
``conversations.with_raw_response.retrieve``.
"""

from __future__ import annotations

import os

from _agent import agent_fields

from letta_client import Letta
from letta_client.types import Conversation
from letta_client.types.agents import AssistantMessage, UserMessage


def main() -> None:
    client = Letta(base_url=os.environ["LETTA_BASE_URL"], api_key=os.environ.get("LETTA_API_KEY"))
    agent = client.agents.create(**agent_fields("conversations"))
    try:
        conversation = client.conversations.create(agent_id=agent.id, summary="compat thread")
        assert isinstance(conversation, Conversation)
        assert conversation.agent_id == agent.id

        text = ""
        stream = client.conversations.messages.create(
            conversation.id, messages=[{"role": "user", "content": "Hello in a thread"}]
        )
        for chunk in stream:
            if isinstance(chunk, AssistantMessage):
                text += str(chunk.content)
        assert "in a thread" in text, text

        history = list(client.conversations.messages.list(conversation.id, order="asc"))
        assert any(isinstance(m, UserMessage) and "in a thread" in str(m.content) for m in history), history

        client.conversations.update(conversation.id, summary="renamed thread")
        assert client.conversations.retrieve(conversation.id).summary == "renamed thread"
        raw = client.conversations.with_raw_response.retrieve(conversation.id)
        assert raw.status_code == 200 and raw.parse().id == conversation.id

        prompt = client.conversations.recompile(conversation.id, dry_run=True)
        assert isinstance(prompt, str) and prompt.strip(), prompt

        listed = client.conversations.list(agent_id=agent.id)
        assert conversation.id in [c.id for c in listed], listed
        client.conversations.delete(conversation.id)
        print("conversation:", conversation.id, "reply:", text)
    finally:
        client.agents.delete(agent_id=agent.id)
        client.close()


if __name__ == "__main__":
    main()
