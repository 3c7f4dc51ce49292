"""``LoopThread``: one event loop in a helper thread, for synchronous code that must await.

``Letta`` owns one: the synchronous tool runner runs async client tools on it. Its thread starts
on first use and stops when the client closes, so every async tool of every run shares one loop,
and what a tool caches (an ``httpx.AsyncClient``, a connection pool) keeps working across calls.
It works the same whether or not the calling thread runs an event loop of its own, and it never
calls ``asyncio.run``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from typing import Awaitable, Callable, Optional, TypeVar

from ._exceptions import ClientClosedError, LettaError

__all__ = ["LoopThread"]

T = TypeVar("T")


class LoopThread:
    """An event loop in a daemon thread, started on first use, stopped by ``close()``."""

    def __init__(self, name: str = "letta-async-tools") -> None:
        self._name = name
        self._lock = threading.Lock()
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self._closed = False

    @property
    def started(self) -> bool:
        return self._loop is not None

    def submit(self, make: Callable[[], Awaitable[T]]) -> concurrent.futures.Future[T]:
        """Start ``make()`` on the loop; its result (or exception) arrives in the future.

        ``make`` is called on the loop's thread, so the coroutine is created where it runs."""
        loop = self._running_loop()
        if threading.current_thread() is self._thread:
            raise LettaError(
                "A synchronous Letta client was asked to run an async tool from inside one of its own "
                "async tools, which would wait for itself forever. Use AsyncLetta in async code."
            )

        async def call() -> T:
            return await make()

        coroutine = call()
        try:
            return asyncio.run_coroutine_threadsafe(coroutine, loop)
        except BaseException:
            coroutine.close()
            raise

    def run(self, make: Callable[[], Awaitable[T]]) -> T:
        """Run ``make()`` on the loop and wait for its result (an interrupt cancels it)."""
        future = self.submit(make)
        try:
            return self.wait(future)
        finally:
            future.cancel()

    def wait(self, future: concurrent.futures.Future[T]) -> T:
        """The result of a ``submit``; ``ClientClosedError`` when ``close()`` cancelled it."""
        try:
            return future.result()
        except concurrent.futures.CancelledError:
            if not self._closed:
                raise
            raise ClientClosedError(
                "The client was closed (close()) while it ran async tools on its event-loop thread: they were cancelled."
            ) from None

    def close(self) -> None:
        """Cancel what still runs, stop the loop and its thread; later use raises ``ClientClosedError``."""
        with self._lock:
            self._closed = True
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        if thread is not threading.current_thread():
            thread.join()

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._closed:
                raise ClientClosedError("The client is closed: it can no longer run async tools.")
            if self._loop is None:
                loop = asyncio.new_event_loop()
                ready = threading.Event()
                thread = threading.Thread(target=_serve, args=(loop, ready), name=self._name, daemon=True)
                thread.start()
                ready.wait()
                self._loop, self._thread = loop, thread
            return self._loop


def _serve(loop: asyncio.AbstractEventLoop, ready: threading.Event) -> None:
    asyncio.set_event_loop(loop)
    loop.call_soon(ready.set)
    try:
        loop.run_forever()
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
    finally:
        asyncio.set_event_loop(None)
        loop.close()
