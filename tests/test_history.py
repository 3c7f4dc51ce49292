"""``client.agents.messages.list``: pagination over a server with the real quirks (spec §2.5).

``QuirkyHistory`` answers like the server: ``limit`` counts rows, one row expands into several
items sharing its id, ``order=desc`` picks the newest rows but returns them oldest→newest (and the
page keeps them so), cursors compare rows strictly, and there is no next cursor.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

import httpx
import pytest
import respx
from hypothesis import given, settings
from hypothesis import strategies as st

from _both import collect, resolve
from letta_client import AsyncLetta, Letta, NotFoundError, SyncPage

AGENT = "agent-5ba4b586-d7d6-4b37-a667-324e6e61b07a"
LIST = f"http://letta.test/v1/agents/{AGENT}/messages"
FIXTURES = Path(__file__).parent / "fixtures"
KINDS = ["reasoning_message", "tool_call_message", "assistant_message"]


class QuirkyHistory:
    def __init__(self, row_sizes: List[int]) -> None:
        start = datetime(2026, 11, 22, 3, 0, tzinfo=timezone.utc)
        self.rows: List[List[Dict[str, Any]]] = []
        for index, size in enumerate(row_sizes):
            row_id = f"message-{index:08d}-0000-4000-8000-000000000000"
            date = (start + timedelta(seconds=index)).isoformat()
            kinds = ["user_message"] if size == 1 else KINDS[-size:]
            self.rows.append([self._item(row_id, date, kind, index, part) for part, kind in enumerate(kinds)])
        self.queries: List[httpx.QueryParams] = []

    @staticmethod
    def _item(row_id: str, date: str, kind: str, index: int, part: int) -> Dict[str, Any]:
        item: Dict[str, Any] = {"id": row_id, "date": date, "message_type": kind, "otid": f"{index}-{part}"}
        item.update(
            {
                "user_message": {"content": f"u{index}"},
                "assistant_message": {"content": f"a{index}"},
                "reasoning_message": {"reasoning": f"r{index}"},
                "tool_call_message": {"tool_call": {"name": "t", "arguments": "{}", "tool_call_id": f"c{index}"}},
            }[kind]
        )
        return item

    @property
    def chronological(self) -> List[str]:
        return [item["otid"] for row in self.rows for item in row]

    def desc_pages(self, limit: int) -> List[str]:
        """A ``desc`` walk as the server sends it: the newest ``limit`` rows first, each page
        oldest→newest."""
        pages = [self.rows[max(0, end - limit) : end] for end in range(len(self.rows), 0, -limit)]
        return [item["otid"] for page in pages for row in page for item in row]

    def _position(self, message_id: str) -> int:
        for index, row in enumerate(self.rows):
            if row[0]["id"] == message_id:
                return index
        raise LookupError(message_id)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        self.queries.append(params)
        limit = int(params.get("limit", 100))
        order = params.get("order", "desc")
        try:
            low = self._position(params["after"]) + 1 if "after" in params else 0
            high = self._position(params["before"]) if "before" in params else len(self.rows)
        except LookupError as error:
            return httpx.Response(404, json={"detail": f"No message found with id '{error}' for agent '{AGENT}'."})
        window = self.rows[low:high]
        rows = window[:limit] if order == "asc" else window[max(0, len(window) - limit) :]
        wanted = params.get_list("include_return_message_types")
        items = [item for row in rows for item in row if not wanted or item["message_type"] in wanted]
        return httpx.Response(200, json=items)  # oldest→newest whatever the order


def otids(messages: Any) -> List[str]:
    return [message.otid for message in messages]


@settings(max_examples=40, deadline=None)
@given(
    row_sizes=st.lists(st.integers(min_value=1, max_value=3), min_size=0, max_size=15),
    limit=st.integers(min_value=1, max_value=6),
    order=st.sampled_from(["asc", "desc", None]),
)
def test_iteration_neither_skips_nor_repeats(row_sizes: List[int], limit: int, order: Optional[str]) -> None:
    server = QuirkyHistory(row_sizes)
    with respx.mock(assert_all_mocked=True) as router:
        router.get(LIST).mock(side_effect=server)
        with Letta(base_url="http://letta.test") as client:
            page = client.agents.messages.list(AGENT, limit=limit, order=order)  # type: ignore[arg-type]
            got = otids(page)
    expected = server.chronological if order == "asc" else server.desc_pages(limit)
    assert got == expected
    assert len(server.queries) == -(-len(row_sizes) // limit) + 1  # every page, then one empty page
    assert len(server.queries[-1]) >= 1


def test_desc_pages_keep_the_servers_order_and_continue_before_the_oldest(
    client: Letta, mock_api: respx.MockRouter
) -> None:
    server = QuirkyHistory([3, 1, 2, 1])  # rows 0..3; row 0 expands into 3 items
    mock_api.get(LIST).mock(side_effect=server)
    page = client.agents.messages.list(AGENT, limit=2)
    assert isinstance(page, SyncPage)
    assert otids(page.items) == ["2-0", "2-1", "3-0"]  # rows 2 and 3, as sent: oldest first
    assert page.has_next_page() and page.next_page_params() == {"limit": 2, "before": server.rows[2][0]["id"]}
    second = page.get_next_page()
    assert otids(second.items) == ["0-0", "0-1", "0-2", "1-0"]  # more items than limit: rows expand
    last = second.get_next_page()
    assert last.items == [] and not last.has_next_page()
    assert [dict(q) for q in server.queries] == [
        {"limit": "2"},
        {"limit": "2", "before": server.rows[2][0]["id"]},
        {"limit": "2", "before": server.rows[0][0]["id"]},
    ]


def test_short_page_is_not_the_end(client: Letta, mock_api: respx.MockRouter) -> None:
    """A page with fewer items than ``limit`` (a filter dropped some) still has a successor."""
    server = QuirkyHistory([3, 1, 3, 1])
    mock_api.get(LIST).mock(side_effect=server)
    page = client.agents.messages.list(AGENT, order="asc", limit=2, include_return_message_types=["user_message"])
    assert otids(page.items) == ["1-0"] and page.has_next_page()
    assert otids(page) == ["1-0", "3-0"]
    assert len(server.queries) == 3


def test_array_params_repeat_the_key(client: Letta, mock_api: respx.MockRouter) -> None:
    route = mock_api.get(LIST).mock(return_value=httpx.Response(200, json=[]))
    page = client.agents.messages.list(
        AGENT,
        include_return_message_types=["assistant_message", "tool_call_message"],
        conversation_id="default",
        group_id="group-1",
        after="message-x",
        order="asc",
    )
    assert page.items == [] and not page.has_next_page()
    url = route.calls.last.request.url
    assert url.params.get_list("include_return_message_types") == ["assistant_message", "tool_call_message"]
    assert b"include_return_message_types=assistant_message&include_return_message_types=tool_call_message" in url.query
    assert url.params["conversation_id"] == "default" and url.params["after"] == "message-x"


def test_recorded_desc_page_is_kept_as_sent_and_continues_before_the_oldest(
    client: Letta, mock_api: respx.MockRouter
) -> None:
    record = json.loads((FIXTURES / "i_list_messages_desc.http.json").read_text())
    route = mock_api.get(LIST).mock(
        side_effect=[httpx.Response(200, content=record["body_text"].encode()), httpx.Response(200, json=[])]
    )
    page = client.agents.messages.list(AGENT, limit=3, order="desc")
    recorded_ids = [item["id"] for item in record["body_json"]]
    assert [m.id for m in page.items] == recorded_ids
    page.get_next_page()
    assert route.calls.last.request.url.params["before"] == recorded_ids[0]  # the oldest item of the window


def test_unknown_cursor_raises_not_found(client: Letta, mock_api: respx.MockRouter) -> None:
    mock_api.get(LIST).mock(side_effect=QuirkyHistory([1]))
    with pytest.raises(NotFoundError):
        client.agents.messages.list(AGENT, before="message-unknown")


async def test_async_iteration_and_pages(async_client: AsyncLetta, mock_api: respx.MockRouter) -> None:
    server = QuirkyHistory([2, 1, 3, 1, 2])
    mock_api.get(LIST).mock(side_effect=server)
    got = [message.otid async for message in async_client.agents.messages.list(AGENT, limit=2)]
    assert got == server.desc_pages(2)
    page = await async_client.agents.messages.list(AGENT, order="asc", limit=4)
    assert otids(page.items) == server.chronological[:7] and page.has_next_page()
    following = await page.get_next_page()
    assert otids(following.items) == server.chronological[7:]
    assert [m.otid async for m in page] == server.chronological


def test_a_server_that_ignores_cursors_does_not_loop(client: Letta, mock_api: respx.MockRouter) -> None:
    server = QuirkyHistory([1, 2])
    route = mock_api.get(LIST).mock(
        side_effect=lambda request: httpx.Response(200, json=[i for r in server.rows for i in r])
    )
    assert otids(client.agents.messages.list(AGENT, order="asc")) == server.chronological
    assert route.call_count == 2


@pytest.mark.parametrize("pages", [2, 3])
async def test_a_server_that_ignores_cursors_and_cycles_through_pages_never_repeats(
    any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter, pages: int
) -> None:
    server = QuirkyHistory([1] * (2 * pages))
    served = [server.rows[2 * index] + server.rows[2 * index + 1] for index in range(pages)]

    def cycling(request: httpx.Request) -> httpx.Response:
        if route.call_count > 4 * pages:  # a client that never stops: fail instead of hanging
            return httpx.Response(400, json={"detail": "the client keeps asking"})
        return httpx.Response(200, json=served[route.call_count % pages])

    route = mock_api.get(LIST).mock(side_effect=cycling)
    got = otids(await collect(await resolve(any_client.agents.messages.list(AGENT, order="asc", limit=2))))
    assert got == server.chronological  # each page once, then the repeat ends the listing
    assert route.call_count == pages + 1
