"""The official SDK's page helpers and names: ``next_page_info()`` (a ``PageInfo``),
``has_next_page()``, ``get_next_page()``, ``iter_pages()``; ``letta_client.pagination``; and
``conversations.list()`` as a list.

What the official SDK 1.12.1 does, and these tests hold ours to: ``next_page_info()`` gives only
the cursor (``PageInfo(params={"after": <last id>})``, ``{"before": <first id>}`` for a listing
started with ``before=``), ``None`` after an empty page; ``has_next_page()`` is ``False`` after an
empty page and ``True`` after a short one; ``get_next_page()`` on the last page raises a
``RuntimeError``; a files page stops at ``has_more: false``. Sync and async alike (``any_client``).
"""

from __future__ import annotations

import subprocess
import sys
import typing
from typing import Any, Dict, List, Union

import httpx
import pytest
import respx

from _both import collect, resolve
from letta_client import AsyncLetta, Letta, LettaError
from letta_client.types import AgentState, Conversation

AnyClient = Union[Letta, AsyncLetta]
AGENT = "agent-5ba4b586-d7d6-4b37-a667-324e6e61b07a"

# ``letta_client.pagination`` of the official wheel: its ``__all__``, and the other names it holds.
OFFICIAL_ALL = [
    "SyncArrayPage",
    "AsyncArrayPage",
    "SyncObjectPage",
    "AsyncObjectPage",
    "SyncNextFilesPage",
    "AsyncNextFilesPage",
]
OFFICIAL_OTHER = ["PageInfo", "BasePage", "BaseSyncPage", "BaseAsyncPage"]


def agent(number: int) -> Dict[str, Any]:
    return {"id": f"agent-{number}", "name": f"a{number}"}


def conversation(number: int) -> Dict[str, Any]:
    return {"id": f"conv-{number}", "agent_id": AGENT}


async def test_next_page_info_gives_the_cursor_in_params(any_client: AnyClient, mock_api: respx.MockRouter) -> None:
    from letta_client.pagination import PageInfo

    route = mock_api.get("/v1/agents/").mock(
        side_effect=[httpx.Response(200, json=[agent(1), agent(2)]), httpx.Response(200, json=[])]
    )
    page = await resolve(any_client.agents.list(limit=2, name="a"))
    info = page.next_page_info()
    assert isinstance(info, PageInfo) and info.params == {"after": "agent-2"}
    assert repr(info) == "PageInfo(params={'after': 'agent-2'})"
    following = await resolve(page.get_next_page())
    assert dict(route.calls.last.request.url.params) == {"limit": "2", "name": "a", "after": "agent-2"}
    assert type(following) is type(page)
    assert following.items == [] and following.next_page_info() is None and not following.has_next_page()


async def test_a_listing_started_with_before_pages_backwards(any_client: AnyClient, mock_api: respx.MockRouter) -> None:
    mock_api.get("/v1/agents/").mock(return_value=httpx.Response(200, json=[agent(3), agent(4)]))
    page = await resolve(any_client.agents.list(before="agent-9", limit=2))
    assert page.next_page_info().params == {"before": "agent-3"}


async def test_a_short_page_has_a_next_page_an_empty_one_does_not(
    any_client: AnyClient, mock_api: respx.MockRouter
) -> None:
    route = mock_api.get("/v1/agents/").mock(
        side_effect=[httpx.Response(200, json=[agent(1)]), httpx.Response(200, json=[])]
    )
    short = await resolve(any_client.agents.list(limit=5))
    assert short.has_next_page()  # as the official: only an empty page proves the end
    last = await resolve(short.get_next_page())
    assert not last.has_next_page() and last.next_page_info() is None
    with pytest.raises(RuntimeError, match=r"has_next_page\(\)") as raised:
        await resolve(last.get_next_page())
    assert isinstance(raised.value, LettaError)
    assert route.call_count == 2


async def test_iter_pages_yields_each_page_once(any_client: AnyClient, mock_api: respx.MockRouter) -> None:
    mock_api.get("/v1/agents/").mock(
        side_effect=[
            httpx.Response(200, json=[agent(1), agent(2)]),
            httpx.Response(200, json=[agent(3)]),
            httpx.Response(200, json=[]),
        ]
    )
    first = await resolve(any_client.agents.list(limit=2))
    pages = await collect(first.iter_pages())
    assert pages[0] is first and [[a.id for a in p.items] for p in pages] == [["agent-1", "agent-2"], ["agent-3"], []]


async def test_message_pages_point_at_the_oldest_or_newest_message(
    any_client: AnyClient, mock_api: respx.MockRouter
) -> None:
    def message(n: int) -> Dict[str, Any]:
        return {
            "id": f"message-{n}",
            "date": f"2026-01-01T00:00:0{n}Z",
            "message_type": "user_message",
            "content": f"m{n}",
        }

    mock_api.get(f"/v1/agents/{AGENT}/messages").mock(
        return_value=httpx.Response(200, json=[message(3), message(4), message(5)])
    )
    desc = await resolve(any_client.agents.messages.list(AGENT, limit=3))
    assert [m.id for m in desc.items] == ["message-3", "message-4", "message-5"]  # as sent
    assert desc.next_page_info().params == {"before": "message-3"}  # older than the oldest
    asc = await resolve(any_client.agents.messages.list(AGENT, limit=3, order="asc"))
    assert asc.next_page_info().params == {"after": "message-5"}


async def test_a_files_page_has_files_has_more_and_next_cursor(
    any_client: AnyClient, mock_api: respx.MockRouter
) -> None:
    from letta_client.pagination import AsyncNextFilesPage, SyncNextFilesPage

    def attachment(n: int) -> Dict[str, Any]:
        return {
            "id": f"file_agent-{n}",
            "file_id": f"file-{n}",
            "file_name": "f/a.txt",
            "folder_id": "source-1",
            "folder_name": "f",
            "is_open": False,
        }

    route = mock_api.get(f"/v1/agents/{AGENT}/files").mock(
        side_effect=[
            httpx.Response(
                200, json={"files": [attachment(1), attachment(2)], "next_cursor": "file_agent-2", "has_more": True}
            ),
            httpx.Response(200, json={"files": [attachment(3)], "next_cursor": "file_agent-3", "has_more": False}),
            httpx.Response(200, json={"files": [attachment(3)], "next_cursor": "file_agent-3", "has_more": False}),
        ]
    )
    page = await resolve(any_client.agents.files.list(AGENT, limit=2))
    assert isinstance(page, (SyncNextFilesPage, AsyncNextFilesPage))
    assert [f.id for f in page.files] == ["file_agent-1", "file_agent-2"] and page.files == page.items
    assert page.has_more is True and page.next_cursor == "file_agent-2" and page.has_next_page()
    walked = [f.id for f in await collect(page)]
    assert walked == ["file_agent-1", "file_agent-2", "file_agent-3"]
    assert route.calls.last.request.url.params["cursor"] == "file_agent-2"
    last = await resolve(page.get_next_page())
    assert last.has_more is False and not last.has_next_page()
    assert last.next_page_info() is not None  # as the official: has_more alone stops the walk


def test_the_pagination_module_has_the_official_names() -> None:
    import letta_client.pagination as pagination

    assert set(OFFICIAL_ALL) <= set(pagination.__all__)
    for name in OFFICIAL_ALL + OFFICIAL_OTHER:
        assert isinstance(getattr(pagination, name), type), name
    assert issubclass(pagination.SyncArrayPage, pagination.BaseSyncPage)
    assert issubclass(pagination.AsyncNextFilesPage, pagination.BaseAsyncPage)
    assert pagination.SyncObjectPage.messages is not None


def test_page_classes_subscript_for_annotations() -> None:
    from letta_client.pagination import AsyncArrayPage, SyncArrayPage, SyncNextFilesPage

    def names(page: SyncArrayPage[AgentState]) -> List[str]:
        return [agent.name for agent in page.items]

    hints = typing.get_type_hints(names, localns={"SyncArrayPage": SyncArrayPage})
    assert typing.get_origin(hints["page"]) is SyncArrayPage and typing.get_args(hints["page"]) == (AgentState,)
    assert SyncNextFilesPage[Any] is not None and AsyncArrayPage[AgentState] is not None


async def test_the_pages_are_instances_of_the_official_classes(
    any_client: AnyClient, mock_api: respx.MockRouter
) -> None:
    from letta_client.pagination import AsyncArrayPage, SyncArrayPage

    mock_api.get("/v1/agents/").mock(return_value=httpx.Response(200, json=[]))
    mock_api.get(f"/v1/agents/{AGENT}/messages").mock(return_value=httpx.Response(200, json=[]))
    expected = SyncArrayPage if isinstance(any_client, Letta) else AsyncArrayPage
    assert isinstance(await resolve(any_client.agents.list()), expected)
    assert isinstance(await resolve(any_client.agents.messages.list(AGENT)), expected)


@pytest.mark.parametrize(
    ("code", "absent"),
    [
        ("import letta_client", "letta_client._pagination"),
        ("import letta_client.pagination", "pydantic"),
        ("import letta_client.pagination", "letta_client.types.messages"),
    ],
)
def test_imports_stay_cold(code: str, absent: str) -> None:
    out = subprocess.run(
        [sys.executable, "-c", f"import sys; {code}; print({absent!r} in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"


async def test_conversations_list_is_a_list(any_client: AnyClient, mock_api: respx.MockRouter) -> None:
    route = mock_api.get("/v1/conversations/").mock(
        side_effect=[
            httpx.Response(200, json=[conversation(1), conversation(2)]),
            httpx.Response(200, json=[conversation(3)]),
            httpx.Response(200, json=[]),
        ]
    )
    convs = await resolve(any_client.conversations.list(agent_id=AGENT, limit=2))
    assert isinstance(convs, list) and len(convs) == 2
    assert isinstance(convs[0], Conversation) and convs[-1].id == "conv-2"
    combined = convs + [convs[0]]  # noqa: RUF005  # the concatenation is what is tested
    assert isinstance(combined, list) and [c.id for c in combined] == ["conv-1", "conv-2", "conv-1"]
    assert [c.id for c in convs] == ["conv-1", "conv-2"] == [c.id for c in convs.items]  # iteration: this page
    assert convs == list(convs) and convs[:1] == [convs[0]]
    assert route.call_count == 1
    assert convs.has_next_page() and convs.next_page_info().params == {"after": "conv-2"}
    following = await resolve(convs.get_next_page())
    assert isinstance(following, list) and [c.id for c in following] == ["conv-3"]


async def test_every_conversation_through_the_pages(any_client: AnyClient, mock_api: respx.MockRouter) -> None:
    mock_api.get("/v1/conversations/").mock(
        side_effect=[httpx.Response(200, json=[conversation(1)]), httpx.Response(200, json=[])]
    )
    pages = await collect((await resolve(any_client.conversations.list(limit=1))).iter_pages())
    assert [[c.id for c in page] for page in pages] == [["conv-1"], []]


async def test_async_for_over_conversations_walks_every_page(
    mock_api: respx.MockRouter, async_client: AsyncLetta
) -> None:
    mock_api.get("/v1/conversations/").mock(
        side_effect=[
            httpx.Response(200, json=[conversation(1)]),
            httpx.Response(200, json=[conversation(2)]),
            httpx.Response(200, json=[]),
        ]
    )
    assert [c.id async for c in async_client.conversations.list(limit=1)] == ["conv-1", "conv-2"]
