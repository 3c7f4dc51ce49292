"""A user's file typed with the official page names, checked by pyright strict and mypy --strict
(never run): the hand-written listings return the official page classes, a page's helpers are
typed, ``conversations.list()`` is a list, and awaiting an async listing gives the ``Async``
twin (``AsyncPaginator[Item, AsyncArrayPage[Item]]``, as the official SDK spells it)."""

# pyright: reportUnnecessaryTypeIgnoreComment=true

from __future__ import annotations

from typing import Any, Dict, List, Optional

from typing_extensions import assert_type

from letta_client import AsyncLetta, Letta
from letta_client.pagination import AsyncArrayPage, PageInfo, SyncArrayPage
from letta_client.types.conversation import Conversation
from letta_client.types.messages import LettaMessageUnion
from letta_client.types.run import Run


def latest(page: SyncArrayPage[LettaMessageUnion]) -> LettaMessageUnion:
    return page.items[-1]


def pages(client: Letta, agent_id: str) -> None:
    history = client.agents.messages.list(agent_id, limit=3)
    assert_type(history, SyncArrayPage[LettaMessageUnion])
    latest(history)
    info = history.next_page_info()
    assert_type(info, Optional[PageInfo])
    if info is not None:
        print(info.params)
    assert_type(history.has_next_page(), bool)
    assert_type(history.get_next_page(), SyncArrayPage[LettaMessageUnion])
    for page in history.iter_pages():
        assert_type(page, SyncArrayPage[LettaMessageUnion])
    runs: SyncArrayPage[Run] = client.runs.list(agent_id=agent_id)
    print(runs.items)

    conversations = client.conversations.list(agent_id=agent_id)
    first: Conversation = conversations[0]
    every: List[Conversation] = conversations + [first]  # noqa: RUF005  # a list's +, as user code writes it
    print(len(conversations), every)
    params: Optional[Dict[str, Any]] = conversations.next_page_params()
    print(params)


async def async_pages(client: AsyncLetta, agent_id: str) -> None:
    history = await client.agents.messages.list(agent_id, limit=3)
    assert_type(history, AsyncArrayPage[LettaMessageUnion])
    assert_type(await history.get_next_page(), AsyncArrayPage[LettaMessageUnion])
    async for message in client.agents.messages.list(agent_id):
        assert_type(message, LettaMessageUnion)
    conversations = await client.conversations.list(agent_id=agent_id)
    every: List[Conversation] = conversations + [conversations[0]]  # noqa: RUF005
    print(every)
    async for conversation in client.conversations.list(agent_id=agent_id):
        assert_type(conversation, Conversation)
    wrong: SyncArrayPage[Run] = await client.runs.list()  # type: ignore[assignment]
    print(wrong)
