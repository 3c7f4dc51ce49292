"""One test body for the sync and the async client.

The ``any_client`` fixture (``conftest.py``) is parametrised over ``sync`` and ``async``: a test
written once as ``async def`` runs against ``Letta`` and ``AsyncLetta``, so both twins get the
same coverage. Every call's result goes through ``resolve`` (awaited when it is awaitable), every
iteration through ``collect`` (a list from an iterator or an async iterator)."""

from __future__ import annotations

import inspect
from typing import Any, AsyncIterable, Awaitable, Iterable, List, TypeVar, Union

T = TypeVar("T")


async def resolve(value: Union[T, Awaitable[T]]) -> T:
    """``value`` itself, or what it evaluates to when it is awaitable (an async call)."""
    if inspect.isawaitable(value):
        return await value
    return value


async def collect(items: Union[Iterable[T], AsyncIterable[T]]) -> List[T]:
    """Every item of a sync or an async iterable."""
    if isinstance(items, AsyncIterable):
        return [item async for item in items]
    return list(items)


async def close(value: Any) -> None:
    """``close()`` or ``aclose()`` a stream, whichever it has."""
    closer = getattr(value, "aclose", None) or value.close
    await resolve(closer())
