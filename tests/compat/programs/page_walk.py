"""Pages walked by hand, typed with the official page classes; conversations used as a list.

Covers: ``from letta_client.pagination import SyncArrayPage`` in annotations
(``SyncArrayPage[Message]``) and in ``isinstance``; ``client.agents.messages.list(agent_id=...,
limit=...)``'s ``.items`` in the server's order (the latest messages, oldest first, so
``items[-1]`` is the newest), for the default order and ``order="desc"``; a walk by hand with
``has_next_page()``, ``next_page_info().params`` and ``get_next_page()``; ``iter_pages()`` and
auto-pagination over ``client.agents.list(tags=..., limit=...)``; ``client.conversations.list(
agent_id=...)`` as a list (``len``, indexing, ``+``).
"""

import os
import uuid
from typing import List, Tuple

from _agent import agent_fields

from letta_client import Letta
from letta_client.pagination import SyncArrayPage
from letta_client.types import AgentState
from letta_client.types.agents import Message


def keys(page: SyncArrayPage[Message]) -> List[Tuple[str, str]]:
    return [(message.id, message.message_type) for message in page.items]


def agent_ids(pages: List[SyncArrayPage[AgentState]]) -> List[str]:
    return [agent.id for page in pages for agent in page.items]


def main() -> None:
    client = Letta(base_url=os.environ["LETTA_BASE_URL"], api_key=os.environ.get("LETTA_API_KEY"))
    tag = f"page-walk-{uuid.uuid4().hex[:8]}"
    agents = [client.agents.create(**agent_fields(f"walk{i}"), tags=[tag]) for i in range(3)]
    try:
        agent = agents[0]
        for text in ("first", "second", "third"):
            client.agents.messages.create(agent_id=agent.id, input=f"Page walk, {text} message")
        history = client.agents.messages.list(agent_id=agent.id, order="asc", limit=100)
        assert isinstance(history, SyncArrayPage), type(history)
        everything = keys(history)
        assert len(everything) >= 7, everything

        # The newest messages, as the server sends them: oldest first, whatever the order.
        for extra in ({}, {"order": "desc"}):
            latest = client.agents.messages.list(agent_id=agent.id, limit=3, **extra)
            assert keys(latest) == everything[-len(latest.items) :], (extra, keys(latest))
            assert latest.items[-1].message_type == "assistant_message", latest.items[-1]

        # A walk by hand, oldest first.
        walked: List[Tuple[str, str]] = []
        page = client.agents.messages.list(agent_id=agent.id, order="asc", limit=2)
        while True:
            walked += keys(page)
            if not page.has_next_page():
                break
            info = page.next_page_info()
            assert info is not None and info.params == {"after": page.items[-1].id}, info
            page = page.get_next_page()
        assert walked == everything, walked

        pages = list(client.agents.list(tags=[tag], limit=1).iter_pages())
        assert all(isinstance(each, SyncArrayPage) for each in pages)
        listed = agent_ids(pages)
        assert sorted(listed) == sorted(a.id for a in agents), listed
        assert [a.id for a in client.agents.list(tags=[tag], limit=2)] == listed

        first = client.conversations.create(agent_id=agent.id)
        second = client.conversations.create(agent_id=agent.id)
        conversations = client.conversations.list(agent_id=agent.id)
        assert len(conversations) == 2, conversations
        assert {conversations[0].id, conversations[1].id} == {first.id, second.id}
        elsewhere = [first]
        assert len(conversations + elsewhere) == 3
        for conversation in conversations:
            client.conversations.delete(conversation_id=conversation.id)
        print("messages:", len(everything), "pages of agents:", len(pages), "conversations:", len(conversations))
    finally:
        for each in agents:
            client.agents.delete(agent_id=each.id)
        client.close()


if __name__ == "__main__":
    main()
