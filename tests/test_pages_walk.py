"""The sans-IO page step (``_page_walk.read_page``) against models of how Letta 0.16.8 pages.

Each model answers a query the way the server's source does (``letta/services/...``), for any
number of stored rows, any ``limit`` and either ``order``:

* a history (an agent's, a conversation's, a run's messages): ``before`` is older, ``after``
  newer; ``limit`` counts rows, and a row is one to three messages sharing its id; a ``desc``
  page holds the newest rows, listed oldest first (an agent's), rows newest first (a
  conversation's) or every message newest first (a run's);
* ``GET /v1/runs/``: pages in the listing's order, with ``before`` and ``after`` swapped;
* a sorted listing (agents, blocks, tools...): pages in the listing's order, ``after`` = next.

Walking from the first page to the end delivers every item exactly once, page after page as the
server sent them: the claim ``_pagination``'s docstring makes.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Literal, Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from letta_client._page_walk import Order, PageState, Walk, chronological, newest_first, next_params, read_page

Style = Literal["agent", "conversation", "run"]
START = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


class Item:
    def __init__(self, item_id: str, row: int, part: int, date: datetime) -> None:
        self.id = item_id
        self.row = row
        self.part = part
        self.date = date

    def __repr__(self) -> str:
        return f"<{self.row}.{self.part}>"


def make_rows(sizes: List[int], *, same_date: bool = False) -> List[List[Item]]:
    return [
        [
            Item(f"message-{row:04d}", row, part, START if same_date else START + timedelta(seconds=row))
            for part in range(size)
        ]
        for row, size in enumerate(sizes)
    ]


def _position(rows: List[List[Item]], item_id: str) -> int:
    return next(index for index, row in enumerate(rows) if row[0].id == item_id)


def history_server(rows: List[List[Item]], style: Style) -> Any:
    def answer(query: Dict[str, Any]) -> List[Item]:
        low = _position(rows, query["after"]) + 1 if "after" in query else 0
        high = _position(rows, query["before"]) if "before" in query else len(rows)
        window = rows[low:high]
        limit = query["limit"]
        if query.get("order", "desc") == "asc":
            page = window[:limit]
        else:
            page = window[max(0, len(window) - limit) :]
            if style == "conversation":
                page = page[::-1]
            elif style == "run":
                page = [row[::-1] for row in page[::-1]]
        return [item for row in page for item in row]

    return answer


def walk(
    kind: Walk,
    server: Any,
    query: Dict[str, Any],
    *,
    order: Order = "desc",
    desc_newest_first: bool = False,
    max_pages: int = 100,
) -> List[List[Any]]:
    """The pages a walk delivers (their fresh items), following ``next_query`` to the end."""
    pages: List[List[Any]] = []
    state: Optional[PageState[Any]] = None
    seen: Any = frozenset()
    while len(pages) < max_pages:
        state = read_page(kind, query, server(query), order=order, desc_newest_first=desc_newest_first, seen=seen)
        pages.append(state.fresh)
        seen = state.seen
        following = state.next_query()
        if following is None:
            return pages
        query = following
    raise AssertionError("the walk did not end")


@settings(max_examples=150, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=3), max_size=12),
    limit=st.integers(min_value=1, max_value=5),
    order=st.sampled_from(["asc", "desc"]),
    style=st.sampled_from(["agent", "conversation", "run"]),
    same_date=st.booleans(),
)
def test_a_history_walk_delivers_every_message_once_in_the_servers_order(
    sizes: List[int], limit: int, order: Order, style: Style, same_date: bool
) -> None:
    rows = make_rows(sizes, same_date=same_date)
    server = history_server(rows, style)
    pages = walk("history", server, {"limit": limit, "order": order}, order=order, desc_newest_first=style != "agent")
    delivered = [item for page in pages for item in page]
    assert sorted(delivered, key=lambda i: (i.row, i.part)) == [item for row in rows for item in row]
    assert len({id(item) for item in delivered}) == len(delivered)  # nothing twice
    # every page is exactly what the server sent for the query that asked for it
    assert pages[-1] == []
    assert len(pages) == -(-len(rows) // limit) + 1


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=3), min_size=2, max_size=10),
    limit=st.integers(min_value=1, max_value=4),
    style=st.sampled_from(["agent", "conversation", "run"]),
)
def test_dates_decide_a_pages_direction_over_the_endpoints_default(sizes: List[int], limit: int, style: Style) -> None:
    """With distinct dates, a wrong default (a conversation taken for an agent) does not matter."""
    rows = make_rows(sizes)
    pages = walk("history", history_server(rows, style), {"limit": limit}, desc_newest_first=style == "agent")
    assert sorted(item.row for page in pages for item in page) == [row[0].row for row in rows for _ in row]


def test_a_desc_agent_page_continues_before_its_first_item_a_conversation_page_before_its_last() -> None:
    rows = make_rows([1, 2, 1, 1], same_date=True)
    agent_page = history_server(rows, "agent")({"limit": 2})
    conversation_page = history_server(rows, "conversation")({"limit": 2})
    assert [i.row for i in agent_page] == [2, 3] and [i.row for i in conversation_page] == [3, 2]
    assert next_params("history", {}, agent_page, order="desc") == {"before": "message-0002"}
    assert next_params("history", {}, conversation_page, order="desc", reverse=True) == {"before": "message-0002"}
    assert next_params("history", {}, agent_page, order="asc") == {"after": "message-0003"}


def test_a_cursor_the_caller_gave_stays_in_the_next_query() -> None:
    """``after=`` with ``desc``: the newest rows newer than the cursor, then older ones down to it."""
    rows = make_rows([1] * 8)
    server = history_server(rows, "agent")
    pages = walk("history", server, {"limit": 2, "after": "message-0002"}, order="desc")
    assert [[i.row for i in page] for page in pages] == [[6, 7], [4, 5], [3], []]


def runs_server(runs: List[Item]) -> Any:
    """``GET /v1/runs/`` on 0.16.8: ``before=X`` follows ``X`` in the listing's order."""

    def answer(query: Dict[str, Any]) -> List[Item]:
        ordered = runs if query.get("order") == "asc" else runs[::-1]
        for name in ("before", "after"):
            if name in query:
                at = next(i for i, run in enumerate(ordered) if run.id == query[name])
                ordered = ordered[at + 1 :] if name == "before" else ordered[:at]
        return ordered[: query["limit"]]

    return answer


def sorted_server(items: List[Item]) -> Any:
    """A sorted listing: ``after=X`` follows ``X`` in the listing's order."""

    def answer(query: Dict[str, Any]) -> List[Item]:
        ordered = items if query.get("order") == "asc" else items[::-1]
        if "after" in query:
            at = next(i for i, item in enumerate(ordered) if item.id == query["after"])
            ordered = ordered[at + 1 :]
        return ordered[: query["limit"]]

    return answer


@settings(max_examples=60, deadline=None)
@given(
    count=st.integers(min_value=0, max_value=12),
    limit=st.integers(min_value=1, max_value=5),
    order=st.sampled_from(["asc", "desc"]),
    kind=st.sampled_from(["runs", "sorted"]),
)
def test_runs_and_sorted_listings_deliver_every_item_once_in_order(
    count: int, limit: int, order: Order, kind: Walk
) -> None:
    items = [Item(f"item-{n:04d}", n, 0, START + timedelta(seconds=n)) for n in range(count)]
    server = runs_server(items) if kind == "runs" else sorted_server(items)
    pages = walk(kind, server, {"limit": limit, "order": order})
    delivered = [item.row for page in pages for item in page]
    assert delivered == (list(range(count)) if order == "asc" else list(range(count))[::-1])


def test_the_official_cursor_on_runs_would_repeat_and_ours_does_not() -> None:
    """The official SDK asks for ``after=`` the last run: on 0.16.8 that is the runs before it."""
    runs = [Item(f"run-{n}", n, 0, START + timedelta(seconds=n)) for n in range(5)]
    server = runs_server(runs)
    first = server({"limit": 2})
    assert [r.row for r in server({"limit": 2, "after": first[-1].id})] == [4]  # a repeat
    assert [[r.row for r in page] for page in walk("runs", server, {"limit": 2})] == [[4, 3], [2, 1], [0], []]


def test_a_sorted_listing_started_with_before_walks_backwards_like_the_official() -> None:
    items = [Item(f"agent-{n}", n, 0, START) for n in range(5)]
    assert next_params("sorted", {"before": "agent-9"}, items[2:4]) == {"before": "agent-2"}
    assert next_params("sorted", {}, items[2:4]) == {"after": "agent-3"}


def test_a_files_listing_continues_with_the_servers_cursor_unless_started_with_one() -> None:
    files = [Item(f"file_agent-{n}", n, 0, START) for n in range(3)]
    assert next_params("files", {}, files, next_cursor="file_agent-2") == {"cursor": "file_agent-2"}
    assert next_params("files", {}, files) == {"cursor": "file_agent-2"}
    assert next_params("files", {"after": "file_agent-0"}, files) == {"after": "file_agent-2"}


def test_the_end_of_a_walk() -> None:
    assert next_params("sorted", {}, []) is None  # an empty page
    assert next_params("sorted", {}, [object()]) is None  # an item without an id
    state = read_page("sorted", {"limit": 2}, [Item("a-1", 1, 0, START)], seen=frozenset({"a-1"}))
    assert state.following is None and state.fresh == []  # a repeat ends it, and is not delivered again


@pytest.mark.parametrize(
    ("dates", "default", "expected"),
    [
        ([0, 1], True, False),
        ([1, 0], False, True),
        ([0, 0], True, True),
        ([0, 0], False, False),
        ([0], True, True),
    ],
)
def test_newest_first_reads_the_dates_then_the_default(dates: List[int], default: bool, expected: bool) -> None:
    items = [Item(f"m-{i}", i, 0, START + timedelta(seconds=s)) for i, s in enumerate(dates)]
    assert newest_first(items, default=default) is expected


def test_chronological_reverses_rows_and_keeps_each_rows_messages_in_order() -> None:
    rows = make_rows([1, 2, 1])
    conversation_page = history_server(rows, "conversation")({"limit": 3})
    assert [(i.row, i.part) for i in chronological(conversation_page, reverse=True)] == [(0, 0), (1, 0), (1, 1), (2, 0)]
    assert chronological(conversation_page, reverse=False) == conversation_page
