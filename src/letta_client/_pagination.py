"""Pages of message lists that follow the server's cursors without skipping or repeating.

The list endpoints (``GET /v1/agents/{id}/messages``, ``GET /v1/runs/{id}/messages``) answer
with a bare JSON array and no next cursor, with three quirks (wire spec §2.5):

* with ``order=desc`` the server picks the newest rows but sends them oldest→newest;
* ``limit`` counts database rows, and one row can become several items sharing one ``id``,
  so a page may hold more items than ``limit`` and a short page does not prove the end;
* the cursors compare rows strictly (``before``: older than, ``after``: newer than).

So a page's ``items`` are put in the requested order (newest first for ``desc``), the next page
continues from the oldest item (``before=``) for ``desc`` or the newest (``after=``) for ``asc``,
and only an empty page ends the listing. Items sharing an id are all kept.

A server that ignores the cursor would repeat pages for ever; a page that brings back an item
of an earlier page (or the cursor's own item) therefore ends the listing, so iteration never
repeats an item and always ends.

The control flow is written once: ``read_message_page`` turns a response into a ``PageStep``
(this page's items, the next query, the ids seen so far) without any I/O, and the sync and
async fetchers only add the request. Plain array listings (runs, steps) page the same way
through ``sync_array_page`` / ``async_array_page``.

``SyncPage`` iterates over every item of this and all later pages (``for m in page``);
``AsyncPage`` likewise with ``async for``. ``AsyncPaginator`` is what the async ``list()`` calls
return: ``await`` it for the first page, or ``async for`` over all items directly.
"""

from __future__ import annotations

from typing import (
    TYPE_CHECKING,
    AbstractSet,
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Dict,
    FrozenSet,
    Generator,
    Generic,
    Iterator,
    List,
    Literal,
    NamedTuple,
    Optional,
    TypeVar,
)

import httpx

from ._exceptions import LettaError
from ._response import parse_json
from .types.messages import LettaMessageUnion

if TYPE_CHECKING:
    from ._transport import AsyncTransport, SyncTransport
    from .types.params import RequestOptions

__all__ = [
    "AsyncPage",
    "AsyncPaginator",
    "Order",
    "PageStep",
    "SyncPage",
    "async_array_page",
    "async_message_page",
    "in_requested_order",
    "list_query",
    "next_array_query",
    "next_page_query",
    "read_message_page",
    "sync_array_page",
    "sync_message_page",
]

T = TypeVar("T")
Order = Literal["asc", "desc"]


def in_requested_order(items: List[T], order: Order) -> List[T]:
    """The server's array in the requested order: a ``desc`` page arrives oldest→newest, so it is
    reversed (unless its dates show it already runs newest→oldest)."""
    if order == "desc" and len(items) > 1 and _oldest_first(items):
        return items[::-1]
    return items


def _oldest_first(items: List[Any]) -> bool:
    first, last = getattr(items[0], "date", None), getattr(items[-1], "date", None)
    if first is None or last is None:
        return True
    try:
        return bool(first <= last)
    except TypeError:  # naive and aware timestamps mixed
        return True


def next_page_query(query: Dict[str, Any], items: List[Any], order: Order) -> Optional[Dict[str, Any]]:
    """The query of the page after ``items`` (already in requested order); ``None`` at the end.

    The cursor is the id of the last item, i.e. the oldest for ``desc`` (``before=``) and the
    newest for ``asc`` (``after=``); its row is wholly on this page, as ``limit`` counts rows."""
    cursor = next((item_id for item_id in (getattr(item, "id", None) for item in reversed(items)) if item_id), None)
    if cursor is None:
        return None
    following = dict(query)
    following["before" if order == "desc" else "after"] = cursor
    return following


class SyncPage(Generic[T]):
    """One page of a listing. ``for item in page`` walks this page and every later one."""

    def __init__(
        self,
        items: List[T],
        *,
        next_query: Optional[Dict[str, Any]],
        fetch: Callable[[Dict[str, Any]], SyncPage[T]],
    ) -> None:
        self.items = items
        self._next_query = next_query
        self._fetch = fetch

    def has_next_page(self) -> bool:
        """False only after an empty page (a short page may still have a successor)."""
        return self._next_query is not None

    def next_page_params(self) -> Optional[Dict[str, Any]]:
        """The query parameters of the next page, or ``None``."""
        return None if self._next_query is None else dict(self._next_query)

    def get_next_page(self) -> SyncPage[T]:
        if self._next_query is None:
            raise LettaError("There is no next page; check has_next_page() first.")
        return self._fetch(self._next_query)

    def iter_pages(self) -> Iterator[SyncPage[T]]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.get_next_page()

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.items

    def __repr__(self) -> str:
        return f"<SyncPage items={len(self.items)} has_next_page={self.has_next_page()}>"


class AsyncPage(Generic[T]):
    """One page of a listing. ``async for item in page`` walks this page and every later one."""

    def __init__(
        self,
        items: List[T],
        *,
        next_query: Optional[Dict[str, Any]],
        fetch: Callable[[Dict[str, Any]], Awaitable[AsyncPage[T]]],
    ) -> None:
        self.items = items
        self._next_query = next_query
        self._fetch = fetch

    def has_next_page(self) -> bool:
        return self._next_query is not None

    def next_page_params(self) -> Optional[Dict[str, Any]]:
        return None if self._next_query is None else dict(self._next_query)

    async def get_next_page(self) -> AsyncPage[T]:
        if self._next_query is None:
            raise LettaError("There is no next page; check has_next_page() first.")
        return await self._fetch(self._next_query)

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.get_next_page()

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    def __iter__(self) -> Iterator[T]:
        """This page's items only (``list(await client.runs.list())``): a sync loop cannot fetch
        the later pages; ``async for`` walks them all."""
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    async def _items(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item

    def __repr__(self) -> str:
        return f"<AsyncPage items={len(self.items)} has_next_page={self.has_next_page()}>"


class AsyncPaginator(Generic[T]):
    """``await`` it for the first ``AsyncPage``, or ``async for`` over every item of every page."""

    def __init__(self, first_page: Callable[[], Awaitable[AsyncPage[T]]]) -> None:
        self._first_page = first_page

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return self._first_page().__await__()

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    async def _items(self) -> AsyncIterator[T]:
        page = await self._first_page()
        async for item in page:
            yield item


# --- message listings ----------------------------------------------------------------------------


def list_query(
    before: Optional[str], after: Optional[str], limit: Optional[int], order: Optional[Order], **extra: Any
) -> Dict[str, Any]:
    """A listing's query without the parameters the caller left out."""
    query: Dict[str, Any] = {"before": before, "after": after, "limit": limit, "order": order, **extra}
    return {key: value for key, value in query.items() if value is not None}


class PageStep(NamedTuple):
    """One page read: its items in the requested order, the next page's query (``None`` at the
    end) and the ids of every item delivered so far in this listing."""

    items: List[LettaMessageUnion]
    next_query: Optional[Dict[str, Any]]
    seen: FrozenSet[str]


def read_message_page(
    response: httpx.Response, query: Dict[str, Any], order: Order, seen: AbstractSet[str] = frozenset()
) -> PageStep:
    """The sans-IO step of a message listing: decode one page and decide what comes next.

    A page that holds its own cursor's message, or any item an earlier page already delivered,
    came from a server that ignored the cursor (cursors are strict): it is treated as the end,
    so that iteration neither repeats items nor loops for ever."""
    items = in_requested_order(parse_json(response, List[LettaMessageUnion]), order)
    ids = _ids(items)
    cursor = query.get("before" if order == "desc" else "after")
    if ids & seen or (cursor is not None and cursor in ids):
        return PageStep([], None, frozenset(seen))
    return PageStep(items, next_page_query(query, items, order), frozenset(seen | ids))


def sync_message_page(
    transport: SyncTransport,
    path: str,
    query: Dict[str, Any],
    order: Order,
    options: RequestOptions,
    seen: AbstractSet[str] = frozenset(),
) -> SyncPage[LettaMessageUnion]:
    """Fetch one page of a message listing and link it to the next."""
    response = transport.request("GET", path, query=query, options=options, idempotent=True)
    step = read_message_page(response, query, order, seen)
    return SyncPage(
        step.items,
        next_query=step.next_query,
        fetch=lambda following: sync_message_page(transport, path, following, order, options, step.seen),
    )


async def async_message_page(
    transport: AsyncTransport,
    path: str,
    query: Dict[str, Any],
    order: Order,
    options: RequestOptions,
    seen: AbstractSet[str] = frozenset(),
) -> AsyncPage[LettaMessageUnion]:
    """See ``sync_message_page``."""
    response = await transport.request("GET", path, query=query, options=options, idempotent=True)
    step = read_message_page(response, query, order, seen)
    return AsyncPage(
        step.items,
        next_query=step.next_query,
        fetch=lambda following: async_message_page(transport, path, following, order, options, step.seen),
    )


# --- plain array listings (runs, steps, agents) ---------------------------------------------------


def next_array_query(query: Dict[str, Any], items: List[Any]) -> Optional[Dict[str, Any]]:
    """The query of the page after ``items`` of a plain array listing, as the official SDK pages:
    ``after=`` the last item's id, or ``before=`` the first item's id when the listing pages
    backwards (its query has ``before``). ``None`` after an empty page or an item without an id."""
    ids = [getattr(item, "id", None) for item in items]
    if not ids or not all(isinstance(item_id, str) for item_id in ids):
        return None
    following = dict(query)
    if query.get("before") is not None:
        following["before"] = ids[0]
    else:
        following["after"] = ids[-1]
    return following


def sync_array_page(
    fetch: Callable[[Dict[str, Any]], List[T]], query: Dict[str, Any], seen: FrozenSet[str] = frozenset()
) -> SyncPage[T]:
    """One page of a plain array listing; ``fetch(query)`` requests and decodes a page. A page
    that repeats an earlier item came from a server that ignored the cursor: it ends the listing."""
    items = _unseen(fetch(query), seen)
    return SyncPage(
        items,
        next_query=next_array_query(query, items),
        fetch=lambda following: sync_array_page(fetch, following, seen | _ids(items)),
    )


async def async_array_page(
    fetch: Callable[[Dict[str, Any]], Awaitable[List[T]]], query: Dict[str, Any], seen: FrozenSet[str] = frozenset()
) -> AsyncPage[T]:
    """See ``sync_array_page``."""
    items = _unseen(await fetch(query), seen)
    return AsyncPage(
        items,
        next_query=next_array_query(query, items),
        fetch=lambda following: async_array_page(fetch, following, seen | _ids(items)),
    )


def _unseen(items: List[T], seen: FrozenSet[str]) -> List[T]:
    return [] if seen & _ids(items) else items


def _ids(items: List[Any]) -> FrozenSet[str]:
    return frozenset(item_id for item_id in (getattr(item, "id", None) for item in items) if isinstance(item_id, str))
