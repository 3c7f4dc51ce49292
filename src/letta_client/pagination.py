"""The page classes, under the official SDK's names: ``from letta_client.pagination import
SyncArrayPage`` works for annotations (``SyncArrayPage[AgentState]``) and for ``isinstance`` on
the pages the list methods return.

Which class a method returns is the official SDK's: ``SyncArrayPage`` for every listing but an
agent's files (``SyncNextFilesPage``); the async methods return an ``AsyncPaginator`` that gives
the ``Async`` twin when awaited. ``SyncObjectPage`` is here for annotations: no method returns it.
``PageInfo`` is what ``page.next_page_info()`` returns. ``BasePage``, ``BaseSyncPage`` and
``BaseAsyncPage`` are the common bases (``BaseSyncPage`` is ``letta_client.SyncPage``).

Importing this module loads only the pages, not the clients.
"""

from __future__ import annotations

from ._pagination import (
    AsyncArrayPage,
    AsyncNextFilesPage,
    AsyncObjectPage,
    AsyncPage,
    BasePage,
    PageInfo,
    SyncArrayPage,
    SyncNextFilesPage,
    SyncObjectPage,
    SyncPage,
)

BaseSyncPage = SyncPage
BaseAsyncPage = AsyncPage

__all__ = [
    "AsyncArrayPage",
    "AsyncNextFilesPage",
    "AsyncObjectPage",
    "BaseAsyncPage",
    "BasePage",
    "BaseSyncPage",
    "PageInfo",
    "SyncArrayPage",
    "SyncNextFilesPage",
    "SyncObjectPage",
]
