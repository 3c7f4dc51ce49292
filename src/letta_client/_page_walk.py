"""How a listing goes from one page to the next, for each way Letta pages; no I/O.

A page's items are kept exactly as the server sent them. What differs between list endpoints is
which cursor asks for the next page (measured on Letta 0.16.8, whose source says the same):

* ``"sorted"`` (agents, blocks, tools, folders, archives, steps, conversations...): each page
  comes in the listing's order, and ``after=X`` asks for what follows ``X`` in that order. The
  next page is ``after=`` the last item, or ``before=`` the first one when the listing was
  started with ``before=`` (it then walks backwards), as the official SDK pages. (0.16.8 answers
  ``before=X`` with the first items of the listing that precede ``X``, not those next to it, so
  a walk started with ``before=`` can leave items out there, with any SDK.)
* ``"runs"`` (``GET /v1/runs/``): each page comes in the listing's order, but the two cursors
  are swapped: ``before=X`` is what follows ``X``, ``after=X`` what precedes it. The next page
  is ``before=`` the last item (the official SDK's ``after=`` brings back earlier runs).
* ``"history"`` (an agent's, a conversation's or a run's messages): ``before=X`` means older
  than ``X`` and ``after=X`` newer, whatever the ``order``, and a page may run either way (an
  agent's ``desc`` page holds the newest rows oldest first; a conversation's or a run's holds
  them newest first). The next page is ``before=`` the page's oldest item for ``desc`` and
  ``after=`` its newest for ``asc``. Which end is the oldest is read from the first and the last
  item's dates, and when they are equal (one row, or a clock with coarse timestamps) from what
  the endpoint is known to send (``newest_first``).
* ``"files"`` (an agent's files): the answer says ``has_more``; the next page continues from the
  last item with ``cursor=``, the one cursor the server orders consistently (by id), unless
  the listing was started with ``before=`` / ``after=``.

Only an empty page (or ``has_more: false``) ends a listing: a short page does not prove the
end, since ``limit`` counts stored rows and one row can be several messages sharing an id.

A server that ignores the cursor would repeat pages for ever: a page that brings back an item of
an earlier page ends the listing, and only its new items are walked (``fresh``).
"""

from __future__ import annotations

import datetime
from typing import AbstractSet, Any, Dict, FrozenSet, Generic, List, Literal, Mapping, Optional, Sequence, TypeVar

__all__ = ["Order", "PageState", "Walk", "chronological", "item_ids", "newest_first", "next_params", "read_page"]

T = TypeVar("T")
Order = Literal["asc", "desc"]
Walk = Literal["sorted", "runs", "history", "files"]


def _id(item: Any) -> Optional[str]:
    item_id = getattr(item, "id", None)
    return item_id if isinstance(item_id, str) and item_id else None


def item_ids(items: Sequence[Any]) -> FrozenSet[str]:
    """The ids of ``items`` (items without a string id have none)."""
    return frozenset(item_id for item_id in map(_id, items) if item_id is not None)


def _when(item: Any) -> Optional[datetime.datetime]:
    for name in ("date", "created_at"):
        value = getattr(item, name, None)
        if isinstance(value, datetime.datetime):
            return value
    return None


def newest_first(items: Sequence[Any], *, default: bool = False) -> bool:
    """Whether ``items`` run newest → oldest, read from the first and the last item's ``date``
    (or ``created_at``); ``default`` when the dates do not tell (equal, missing, not comparable)."""
    if len(items) < 2:
        return default
    first, last = _when(items[0]), _when(items[-1])
    if first is None or last is None:
        return default
    try:
        return default if first == last else first > last
    except TypeError:  # a naive and an aware timestamp
        return default


def chronological(items: Sequence[T], *, reverse: bool) -> List[T]:
    """``items`` (one page of a history) oldest → newest; ``reverse``: the page runs newest first.
    Its rows are then reversed, and the messages of one row (consecutive items sharing an id: a
    reasoning, then a tool call) kept in the order sent, as a conversation's page holds them."""
    if not reverse:
        return list(items)
    rows: List[List[T]] = []
    for item in items:
        if rows and _id(item) is not None and _id(rows[-1][0]) == _id(item):
            rows[-1].append(item)
        else:
            rows.append([item])
    return [item for row in reversed(rows) for item in row]


def next_params(
    walk: Walk,
    query: Mapping[str, Any],
    items: Sequence[Any],
    *,
    order: Order = "desc",
    reverse: bool = False,
    next_cursor: Optional[str] = None,
) -> Optional[Dict[str, str]]:
    """The query parameters the next page changes (``PageInfo.params``), or ``None`` when there
    is no next page to ask for: after an empty page, or when the item to continue from has no
    id. ``order`` is the listing's (its server default when the query has none); ``reverse``:
    a history page runs newest first."""
    if not items:
        return None
    if walk == "history":
        oldest, newest = (items[-1], items[0]) if reverse else (items[0], items[-1])
        name, edge = ("before", oldest) if order == "desc" else ("after", newest)
    elif walk == "runs":
        name, edge = "before", items[-1]
    elif walk == "files" and query.get("before") is None and query.get("after") is None:
        cursor = next_cursor or _id(items[-1])
        return None if cursor is None else {"cursor": cursor}
    elif query.get("before"):
        name, edge = "before", items[0]
    else:
        name, edge = "after", items[-1]
    cursor = _id(edge)
    return None if cursor is None else {name: cursor}


class PageState(Generic[T]):
    """One page read: its ``items`` as sent, the ``fresh`` ones (not delivered by an earlier page),
    what the next request changes (``following``, ``None`` at the end), the ids delivered so far
    in the listing (``seen``), whether a history page runs newest first (``reverse``), and the
    server's ``has_more`` / ``next_cursor`` when it says."""

    __slots__ = ("following", "fresh", "has_more", "items", "next_cursor", "query", "reverse", "seen")

    def __init__(
        self,
        items: List[T],
        fresh: List[T],
        query: Dict[str, Any],
        following: Optional[Dict[str, str]],
        seen: FrozenSet[str],
        *,
        reverse: bool = False,
        has_more: Optional[bool] = None,
        next_cursor: Optional[str] = None,
    ) -> None:
        self.items = items
        self.reverse = reverse
        self.fresh = fresh
        self.query = query
        self.following = following
        self.seen = seen
        self.has_more = has_more
        self.next_cursor = next_cursor

    def next_query(self) -> Optional[Dict[str, Any]]:
        """The whole query of the next page, or ``None``."""
        return None if self.following is None else {**self.query, **self.following}


def read_page(
    walk: Walk,
    query: Dict[str, Any],
    items: List[T],
    *,
    order: Order = "desc",
    desc_newest_first: bool = False,
    seen: AbstractSet[str] = frozenset(),
    has_more: Optional[bool] = None,
    next_cursor: Optional[str] = None,
) -> PageState[T]:
    """The sans-IO step of every listing: one decoded page in, what it delivers and what comes
    next out. ``desc_newest_first``: the endpoint sends a ``desc`` history page newest first
    (what a page's equal dates are taken to mean). A page that repeats an item of an earlier
    page ends the listing."""
    ids = item_ids(items)
    repeated = bool(ids & seen)
    fresh = [item for item in items if _id(item) not in seen] if repeated else items
    reverse = walk == "history" and newest_first(items, default=desc_newest_first and order == "desc")
    following = None
    if not repeated:
        following = next_params(walk, query, items, order=order, reverse=reverse, next_cursor=next_cursor)
    seen = frozenset(seen | ids)
    return PageState(items, fresh, query, following, seen, reverse=reverse, has_more=has_more, next_cursor=next_cursor)
