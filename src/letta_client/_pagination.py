"""Pages of list endpoints, with the official SDK's page classes and helpers.

A page's ``items`` are exactly what the server sent, in the server's order. Which request
fetches the next page depends on how the endpoint pages (``_page_walk``: the sans-IO step that
reads a page and picks the next cursor); the classes here only hold a page and fetch the next.

Iterating a page (``for item in page``, ``async for`` on the async side) walks this page and
every later one: the items of ``page.iter_pages()``, page after page, each page's items in the
order the server sent them. A ``desc`` listing therefore goes from the newest page to the
oldest, and within an agent's history page from older to newer, as Letta sends it (ask for
``order="asc"`` for one oldest-to-newest sequence). No item is yielded twice: a page that brings
back an earlier item ends the walk.

The classes are the official SDK's: ``SyncArrayPage`` (``items``), ``SyncObjectPage``
(``messages``), ``SyncNextFilesPage`` (``files``, ``has_more``, ``next_cursor``) and their async
twins, with ``next_page_info()`` (a ``PageInfo`` whose ``params`` the next request changes),
``has_next_page()``, ``get_next_page()`` and ``iter_pages()``. ``SyncListPage`` is a ``list``
(``conversations.list()``, a plain list on the official SDK) that can still fetch the next page.
``AsyncPaginator`` is what the async ``list()`` calls return: ``await`` it for the first page,
or ``async for`` over every item of every page.
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
    Mapping,
    Optional,
    Tuple,
    Union,
    cast,
    overload,
)

import httpx
from typing_extensions import Self, TypeVar

from ._exceptions import LettaError
from ._page_walk import Order, PageState, Walk, chronological, read_page
from ._response import parse_json
from ._sentinels import NOT_GIVEN, NotGiven

if TYPE_CHECKING:
    from ._transport import AsyncTransport, SyncTransport
    from .types.messages import LettaMessageUnion
    from .types.params import RequestOptions

__all__ = [
    "AsyncArrayPage",
    "AsyncListPage",
    "AsyncNextFilesPage",
    "AsyncObjectPage",
    "AsyncPage",
    "AsyncPaginator",
    "BasePage",
    "FilesAnswer",
    "NoNextPageError",
    "Order",
    "PageInfo",
    "SyncArrayPage",
    "SyncListPage",
    "SyncNextFilesPage",
    "SyncObjectPage",
    "SyncPage",
    "async_array_page",
    "async_files_page",
    "async_list_page",
    "async_message_page",
    "desc_newest_first",
    "in_time_order",
    "list_query",
    "read_message_page",
    "sync_array_page",
    "sync_files_page",
    "sync_list_page",
    "sync_message_page",
]

T = TypeVar("T")
Query = Mapping[str, object]
FilesAnswer = Tuple[List[T], Optional[bool], Optional[str]]
"""A files listing's answer: its items, ``has_more`` and ``next_cursor``."""


class NoNextPageError(LettaError, RuntimeError):
    """``get_next_page()`` on the last page (a ``RuntimeError``, as the official SDK raises)."""


class PageInfo:
    """What the next page's request changes: query ``params`` merged over this page's (the only
    kind Letta's listings use), or a whole ``url``, or ``json`` body fields."""

    url: Union[httpx.URL, NotGiven]
    params: Union[Query, NotGiven]
    json: Union[object, NotGiven]

    @overload
    def __init__(self, *, url: httpx.URL) -> None: ...
    @overload
    def __init__(self, *, params: Query) -> None: ...
    @overload
    def __init__(self, *, json: object) -> None: ...
    def __init__(
        self,
        *,
        url: Union[httpx.URL, NotGiven] = NOT_GIVEN,
        json: Union[object, NotGiven] = NOT_GIVEN,
        params: Union[Query, NotGiven] = NOT_GIVEN,
    ) -> None:
        self.url = url
        self.json = json
        self.params = params

    def __repr__(self) -> str:
        for name in ("url", "json"):
            value = getattr(self, name)
            if value:
                return f"{type(self).__name__}({name}={value})"
        return f"{type(self).__name__}(params={self.params})"


class BasePage(Generic[T]):
    """What every page answers from the page it read: whether a next page exists and how it
    is asked for."""

    _state: PageState[T]

    def next_page_info(self) -> Optional[PageInfo]:
        """The query parameters that ask for the next page (``PageInfo.params``: the cursor);
        ``None`` after an empty page, an item without an id, or a page that repeated an item."""
        following = self._state.following
        return None if following is None else PageInfo(params=dict(following))

    def has_next_page(self) -> bool:
        """False after an empty page (or ``has_more: false``); a short page may have a successor."""
        state = self._state
        return bool(state.items) and state.following is not None and state.has_more is not False

    def next_page_params(self) -> Optional[Dict[str, Any]]:
        """The whole query of the next page (this page's, with the cursor), or ``None``."""
        return self._state.next_query()

    def _get_page_items(self) -> List[T]:
        return self._state.fresh

    def _next_query(self) -> Dict[str, Any]:
        query = self._state.next_query()
        if query is None:
            raise NoNextPageError("No next page: check `.has_next_page()` before calling `.get_next_page()`.")
        return query


class _SyncWalk(BasePage[T]):
    _fetch: Callable[[Dict[str, Any]], object]

    def get_next_page(self) -> Self:
        """Fetch the page ``next_page_info()`` points to."""
        return cast(Self, self._fetch(self._next_query()))

    def iter_pages(self) -> Iterator[Self]:
        """This page, then each next one while ``has_next_page()``."""
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.get_next_page()


class _AsyncWalk(BasePage[T]):
    _fetch: Callable[[Dict[str, Any]], Awaitable[object]]

    async def get_next_page(self) -> Self:
        """Fetch the page ``next_page_info()`` points to."""
        return cast(Self, await self._fetch(self._next_query()))

    async def iter_pages(self) -> AsyncIterator[Self]:
        """This page, then each next one while ``has_next_page()``."""
        page = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.get_next_page()


class SyncPage(_SyncWalk[T]):
    """One page of a listing. ``for item in page`` walks this page and every later one."""

    items: List[T]

    def __init__(self, state: PageState[T], fetch: Callable[[Dict[str, Any]], SyncPage[T]]) -> None:
        self.items = state.items
        self._state = state
        self._fetch = fetch

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page._get_page_items()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} items={len(self.items)} has_next_page={self.has_next_page()}>"


class AsyncPage(_AsyncWalk[T]):
    """One page of a listing. ``async for item in page`` walks this page and every later one."""

    items: List[T]

    def __init__(self, state: PageState[T], fetch: Callable[[Dict[str, Any]], Awaitable[AsyncPage[T]]]) -> None:
        self.items = state.items
        self._state = state
        self._fetch = fetch

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
            for item in page._get_page_items():
                yield item

    def __repr__(self) -> str:
        return f"<{type(self).__name__} items={len(self.items)} has_next_page={self.has_next_page()}>"


class SyncArrayPage(SyncPage[T]):
    """A page of a listing answered with a JSON array (``items``)."""


class AsyncArrayPage(AsyncPage[T]):
    """A page of a listing answered with a JSON array (``items``)."""


class _MessagesField(BasePage[T]):
    """A page whose items the answer holds under ``messages``."""

    items: List[T]

    @property
    def messages(self) -> List[T]:
        return self.items


class _FilesFields(BasePage[T]):
    """A page of an agent's files: ``files``, and the server's ``has_more`` and ``next_cursor``."""

    items: List[T]

    @property
    def files(self) -> List[T]:
        return self.items

    @property
    def has_more(self) -> Optional[bool]:
        return self._state.has_more

    @property
    def next_cursor(self) -> Optional[str]:
        return self._state.next_cursor


class SyncObjectPage(SyncPage[T], _MessagesField[T]):
    """A page whose items the answer holds under ``messages``."""


class AsyncObjectPage(AsyncPage[T], _MessagesField[T]):
    """A page whose items the answer holds under ``messages``."""


class SyncNextFilesPage(SyncPage[T], _FilesFields[T]):
    """A page of an agent's files: ``files``, and the server's ``has_more`` and ``next_cursor``."""


class AsyncNextFilesPage(AsyncPage[T], _FilesFields[T]):
    """A page of an agent's files: ``files``, and the server's ``has_more`` and ``next_cursor``."""


class SyncListPage(List[T], _SyncWalk[T]):
    """A page that is a ``list`` (``len``, indexing, ``+``, iteration: this page's items), for a
    listing the official SDK returns as a plain list; ``iter_pages()`` / ``get_next_page()``
    still fetch the later pages."""

    def __init__(self, state: PageState[T], fetch: Callable[[Dict[str, Any]], SyncListPage[T]]) -> None:
        super().__init__(state.items)
        self._state = state
        self._fetch = fetch

    @property
    def items(self) -> List[T]:
        """This page's items, as a plain list."""
        return list(self)


class AsyncListPage(List[T], _AsyncWalk[T]):
    """A page that is a ``list`` (see ``SyncListPage``); ``iter_pages()`` / ``get_next_page()``
    are awaited."""

    def __init__(self, state: PageState[T], fetch: Callable[[Dict[str, Any]], Awaitable[AsyncListPage[T]]]) -> None:
        super().__init__(state.items)
        self._state = state
        self._fetch = fetch

    @property
    def items(self) -> List[T]:
        """This page's items, as a plain list."""
        return list(self)


P = TypeVar("P", bound=Union[AsyncPage[Any], AsyncListPage[Any]], default=AsyncPage[T], covariant=True)


class AsyncPaginator(Generic[T, P]):
    """``await`` it for the first page (a ``P``), or ``async for`` over every item of every page.
    ``AsyncPaginator[Item, AsyncArrayPage[Item]]``, as the official SDK spells it; the page type
    defaults to ``AsyncPage[Item]``."""

    def __init__(self, first_page: Callable[[], Awaitable[P]]) -> None:
        self._first_page = first_page

    def __await__(self) -> Generator[Any, None, P]:
        return self._first_page().__await__()

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    async def _items(self) -> AsyncIterator[T]:
        page = await self._first_page()
        async for each in page.iter_pages():
            for item in each._get_page_items():  # pyright: ignore[reportPrivateUsage]
                yield cast(T, item)


# --- the pages of each kind of listing -----------------------------------------------------------


def list_query(
    before: Optional[str], after: Optional[str], limit: Optional[int], order: Optional[Order], **extra: Any
) -> Dict[str, Any]:
    """A listing's query without the parameters the caller left out."""
    query: Dict[str, Any] = {"before": before, "after": after, "limit": limit, "order": order, **extra}
    return {key: value for key, value in query.items() if value is not None}


def desc_newest_first(path: str) -> bool:
    """Whether the history at ``path`` sends a ``desc`` page newest first, as Letta 0.16.8 does
    for a run's and a conversation's messages; an agent's (and an agent's default conversation,
    ``default`` or an agent id) come oldest first."""
    parts = path.strip("/").split("/")
    if parts[:2] == ["v1", "runs"]:
        return True
    return (
        parts[:2] == ["v1", "conversations"]
        and len(parts) > 2
        and parts[2] != "default"
        and not parts[2].startswith("agent-")
    )


def read_message_page(
    response: httpx.Response, path: str, query: Dict[str, Any], order: Order, seen: AbstractSet[str] = frozenset()
) -> PageState[LettaMessageUnion]:
    """The sans-IO step of a message listing (an agent's, a conversation's or a run's history)."""
    from .types.messages import LettaMessageUnion

    items = parse_json(response, List[LettaMessageUnion])
    return read_page("history", query, items, order=order, desc_newest_first=desc_newest_first(path), seen=seen)


def in_time_order(page: Union[SyncPage[T], AsyncPage[T]]) -> List[T]:
    """A history page's items oldest → newest (the tool runner reads the newest messages so)."""
    return chronological(page.items, reverse=page._state.reverse)  # pyright: ignore[reportPrivateUsage]


def sync_message_page(
    transport: SyncTransport,
    path: str,
    query: Dict[str, Any],
    order: Order,
    options: RequestOptions,
    seen: AbstractSet[str] = frozenset(),
) -> SyncArrayPage[LettaMessageUnion]:
    """Fetch one page of a message listing and link it to the next. ``order`` is the listing's
    order (the endpoint's default when the caller gave none)."""
    response = transport.request("GET", path, query=query, options=options, idempotent=True)
    state = read_message_page(response, path, query, order, seen)
    return SyncArrayPage(
        state, lambda following: sync_message_page(transport, path, following, order, options, state.seen)
    )


async def async_message_page(
    transport: AsyncTransport,
    path: str,
    query: Dict[str, Any],
    order: Order,
    options: RequestOptions,
    seen: AbstractSet[str] = frozenset(),
) -> AsyncArrayPage[LettaMessageUnion]:
    """See ``sync_message_page``."""
    response = await transport.request("GET", path, query=query, options=options, idempotent=True)
    state = read_message_page(response, path, query, order, seen)
    return AsyncArrayPage(
        state, lambda following: async_message_page(transport, path, following, order, options, state.seen)
    )


def sync_array_page(
    fetch: Callable[[Dict[str, Any]], List[T]],
    query: Dict[str, Any],
    seen: FrozenSet[str] = frozenset(),
    *,
    walk: Walk = "sorted",
) -> SyncArrayPage[T]:
    """One page of a listing answered with a JSON array; ``fetch(query)`` requests and decodes a
    page. ``walk`` says how the endpoint pages (``_page_walk``)."""
    state = read_page(walk, query, fetch(query), seen=seen)
    return SyncArrayPage(state, lambda following: sync_array_page(fetch, following, state.seen, walk=walk))


async def async_array_page(
    fetch: Callable[[Dict[str, Any]], Awaitable[List[T]]],
    query: Dict[str, Any],
    seen: FrozenSet[str] = frozenset(),
    *,
    walk: Walk = "sorted",
) -> AsyncArrayPage[T]:
    """See ``sync_array_page``."""
    state = read_page(walk, query, await fetch(query), seen=seen)
    return AsyncArrayPage(state, lambda following: async_array_page(fetch, following, state.seen, walk=walk))


def sync_files_page(
    fetch: Callable[[Dict[str, Any]], FilesAnswer[T]], query: Dict[str, Any], seen: FrozenSet[str] = frozenset()
) -> SyncNextFilesPage[T]:
    """One page of an agent's files; ``fetch(query)`` gives its items, ``has_more`` and ``next_cursor``."""
    items, has_more, cursor = fetch(query)
    state = read_page("files", query, items, seen=seen, has_more=has_more, next_cursor=cursor)
    return SyncNextFilesPage(state, lambda following: sync_files_page(fetch, following, state.seen))


async def async_files_page(
    fetch: Callable[[Dict[str, Any]], Awaitable[FilesAnswer[T]]],
    query: Dict[str, Any],
    seen: FrozenSet[str] = frozenset(),
) -> AsyncNextFilesPage[T]:
    """See ``sync_files_page``."""
    items, has_more, cursor = await fetch(query)
    state = read_page("files", query, items, seen=seen, has_more=has_more, next_cursor=cursor)
    return AsyncNextFilesPage(state, lambda following: async_files_page(fetch, following, state.seen))


def sync_list_page(
    fetch: Callable[[Dict[str, Any]], List[T]], query: Dict[str, Any], seen: FrozenSet[str] = frozenset()
) -> SyncListPage[T]:
    """One page of a sorted listing, as a ``list``."""
    state = read_page("sorted", query, fetch(query), seen=seen)
    return SyncListPage(state, lambda following: sync_list_page(fetch, following, state.seen))


async def async_list_page(
    fetch: Callable[[Dict[str, Any]], Awaitable[List[T]]], query: Dict[str, Any], seen: FrozenSet[str] = frozenset()
) -> AsyncListPage[T]:
    """See ``sync_list_page``."""
    state = read_page("sorted", query, await fetch(query), seen=seen)
    return AsyncListPage(state, lambda following: async_list_page(fetch, following, state.seen))
