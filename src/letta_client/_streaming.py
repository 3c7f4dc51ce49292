"""``Stream`` and ``AsyncStream``: typed events from a Server-Sent-Events response.

An event is yielded as soon as its frame is complete. How a stream ends:

* ``data: [DONE]``, or a ``stop_reason`` followed by the end of the body: iteration ends.
* ``event: cancelled`` or ``stop_reason: cancelled``: iteration ends; ``stream.cancelled`` is
  true and ``stream.stop_reason.stop_reason == "cancelled"`` (a state, not an exception).
* an error frame: ``LettaStreamError`` is raised after every earlier event was delivered.
* the body ends with none of these: ``IncompleteStreamError`` (names the run id).
* the connection breaks: ``APIConnectionError`` / ``APITimeoutError``, never a raw httpx error.
  A background stream (``background=True``) instead resumes by itself from the last ``seq_id``
  (see ``_resume``); each event is still delivered once. ``ResumeError`` if it cannot.

The HTTP response is closed when the stream ends or raises, by ``close()`` and by ``with stream:``.
Leaving a loop with ``break`` does not close it (as with the official SDK): the next loop goes on
from the next event. Reading a stream closed before its end raises ``LettaError``. Keep-alive pings are yielded like every other event, as the official SDK yields them
(they carry ``run_id`` and ``seq_id``); ``yield_pings=False`` hides them.

Every decision lives in ``_stream_core.StreamCore`` (sans-IO); the classes here only move bytes:
read a chunk, open the continuation (``_resume``), close. That loop is written once per mode, in
``__iter__`` / ``__aiter__`` (it runs for every event, so it calls nothing it need not);
``next()`` / ``__anext__()`` take one event from it.
"""

from __future__ import annotations

import asyncio
import warnings
from typing import Any, AsyncGenerator, AsyncIterator, Generic, Iterator, Optional, Set, TypeVar

import httpx

from ._resume import AsyncReconnector, Reconnector
from ._stream_core import NEED_DATA, RECONNECT, Signal, StreamCore
from ._transport import HTTPX_ERRORS
from .types.messages import AssistantMessage, LettaStopReason, LettaUsageStatistics
from .types.response import LettaResponse

__all__ = ["AsyncStream", "Stream"]

T = TypeVar("T")

_closing: Set[Any] = set()  # closes scheduled by dropped async streams (a task must be referenced)


def _raw(response: httpx.Response) -> bool:
    """True when the transport's reads are the body's bytes (no content encoding, not read yet)."""
    return not response.is_stream_consumed and "content-encoding" not in response.headers


def _transport_stream(stream: object) -> object:
    """The transport's own byte stream. httpx's client wraps it (``BoundSyncStream`` /
    ``BoundAsyncStream``) only to time the response when it is closed; iterating the wrapper
    just passes each read on, through one more generator per read. Reads come from the stream
    inside it; closing still goes through ``response.stream``, the wrapper, which sets
    ``response.elapsed``. Any other stream is read as it is."""
    cls = type(stream)
    if cls.__name__ in _HTTPX_TIMING_WRAPPERS and cls.__module__ == "httpx._client":
        inner = getattr(stream, "_stream", None)
        if isinstance(inner, (httpx.SyncByteStream, httpx.AsyncByteStream)):
            return inner
    return stream


_HTTPX_TIMING_WRAPPERS = frozenset({"BoundSyncStream", "BoundAsyncStream"})


def _body(response: httpx.Response) -> Iterator[bytes]:
    """The body's bytes as they arrive: the transport's reads themselves when they are the body
    (what ``iter_raw`` yields, minus its generator and re-chunking layers on every read), else
    ``iter_bytes`` (decompressed)."""
    stream = _transport_stream(response.stream)
    if _raw(response) and isinstance(stream, httpx.SyncByteStream):
        response.is_stream_consumed = True  # as ``iter_raw`` marks it: the body can be read once
        return iter(stream)
    return response.iter_bytes()


def _abody(response: httpx.Response) -> AsyncIterator[bytes]:
    """See ``_body``."""
    stream = _transport_stream(response.stream)
    if _raw(response) and isinstance(stream, httpx.AsyncByteStream):
        response.is_stream_consumed = True
        return stream.__aiter__()
    return response.aiter_bytes()


def _read_error(error: Exception, response: httpx.Response) -> Exception:
    """A transport error from a read names its request, as httpx's own byte iterators see to."""
    if isinstance(error, httpx.RequestError):
        try:
            error.request  # noqa: B018 (the property raises when no request is set)
        except RuntimeError:
            error.request = response.request
    return error


class _StreamBase(Generic[T]):
    _core: StreamCore
    response: httpx.Response

    def __init__(
        self,
        response: httpx.Response,
        *,
        yield_pings: bool,
        numbered: bool,
        run_id: Optional[str],
        starting_after: int,
    ) -> None:
        self.response = response
        self._core = StreamCore(
            response.request,
            yield_pings=yield_pings,
            numbered=numbered,
            run_id=run_id,
            starting_after=starting_after,
            json_body=response.headers.get("content-type", "").startswith("application/json"),
        )
        self.reconnects: int = 0
        """How many times this stream resumed after its connection broke (background streams)."""

    @property
    def run_id(self) -> Optional[str]:
        """The run this stream belongs to (from the first ping or message)."""
        return self._core.cursor.run_id

    @property
    def last_seq_id(self) -> Optional[int]:
        """The largest ``seq_id`` seen (background streams only): the resume cursor."""
        return self._core.cursor.last_seq_id

    @property
    def stop_reason(self) -> Optional[LettaStopReason]:
        """The last ``stop_reason`` seen."""
        return self._core.ending.stop_reason

    @property
    def usage(self) -> Optional[LettaUsageStatistics]:
        return self._core.ending.usage

    @property
    def cancelled(self) -> bool:
        """True when the run was cancelled."""
        return self._core.ending.cancelled

    @property
    def finished(self) -> bool:
        """True once the stream reached its end (``[DONE]`` or a ``stop_reason``)."""
        return self._core.ending.finished


class Stream(_StreamBase[T]):
    """A synchronous stream of events: ``for event in stream``."""

    def __init__(
        self,
        response: httpx.Response,
        *,
        yield_pings: bool = True,
        resumer: Optional[Reconnector] = None,
        numbered: Optional[bool] = None,
        run_id: Optional[str] = None,
        starting_after: int = 0,
    ) -> None:
        """``numbered`` (default: when there is a ``resumer``) checks the ``seq_id`` sequence of a
        background stream; ``run_id`` and ``starting_after`` say where a ``runs.stream`` starts."""
        super().__init__(
            response,
            yield_pings=yield_pings,
            numbered=resumer is not None if numbered is None else numbered,
            run_id=run_id,
            starting_after=starting_after,
        )
        self._chunks = _body(response)
        self._resumer = resumer

    def __iter__(self) -> Iterator[T]:
        core = self._core
        try:
            event: Any = core.next_event()
            while True:
                if type(event) is not Signal:
                    yield event
                    event = NEED_DATA if core.steady else core.next_event()
                elif event is NEED_DATA:
                    try:
                        chunk = next(self._chunks, None)
                    except HTTPX_ERRORS as error:
                        core.broke_off(_read_error(error, self.response))
                        event = core.next_event()
                    else:
                        event = core.received(chunk)
                elif event is RECONNECT:
                    self._resume()
                    event = core.next_event()
                else:
                    self.close()
                    return
        except GeneratorExit:  # a loop left with break, or ``next(stream)``: the stream goes on
            raise
        except BaseException as error:
            core.raised(error)
            self.close()
            raise

    def __next__(self) -> T:
        for event in self:  # the generator is dropped at once: the stream goes on from the next event
            return event
        raise StopIteration

    def _resume(self) -> None:
        """Replace the broken response with its continuation. Without a resumer (a foreground
        stream, or ``resume=False``) raise the failure; ``ResumeError`` if the run cannot resume."""
        core = self._core
        assert core.failure is not None
        if self._resumer is None:
            raise core.failure from core.cause
        self.response.close()
        self.response = self._resumer.reconnect(core.cursor, core.failure)
        self._chunks = _body(self.response)
        core.reconnected()
        self.reconnects += 1

    def close(self) -> None:
        self._core.close()
        self.response.close()

    def __del__(self) -> None:
        """A stream dropped unread returns its connection to the pool."""
        response = self.__dict__.get("response")
        if response is not None and not response.is_closed:
            try:
                response.close()
            except Exception:  # nothing can be reported from a finalizer
                pass

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def until_done(self) -> None:
        """Read the stream to its end (raising whatever it raises)."""
        for _ in self:
            pass

    def get_final_response(self) -> LettaResponse:
        """Read the rest of the stream, then return the whole turn as a ``LettaResponse``
        (token-mode deltas merged into whole messages)."""
        self.until_done()
        return self._core.final_response()

    @property
    def text_stream(self) -> Iterator[str]:
        """The assistant's text as it arrives (token fragments or whole step messages)."""
        for event in self:
            if isinstance(event, AssistantMessage):
                yield event.text


class AsyncStream(_StreamBase[T]):
    """An asynchronous stream of events: ``async for event in stream``."""

    def __init__(
        self,
        response: httpx.Response,
        *,
        yield_pings: bool = True,
        resumer: Optional[AsyncReconnector] = None,
        numbered: Optional[bool] = None,
        run_id: Optional[str] = None,
        starting_after: int = 0,
    ) -> None:
        """See ``Stream``."""
        super().__init__(
            response,
            yield_pings=yield_pings,
            numbered=resumer is not None if numbered is None else numbered,
            run_id=run_id,
            starting_after=starting_after,
        )
        self._chunks = _abody(response)
        self._resumer = resumer

    async def __aiter__(self) -> AsyncGenerator[T, None]:
        core = self._core
        try:
            event: Any = core.next_event()
            while True:
                if type(event) is not Signal:
                    yield event
                    event = NEED_DATA if core.steady else core.next_event()
                elif event is NEED_DATA:
                    try:
                        chunk = await self._chunks.__anext__()
                    except StopAsyncIteration:
                        event = core.received(None)
                    except HTTPX_ERRORS as error:
                        core.broke_off(_read_error(error, self.response))
                        event = core.next_event()
                    except asyncio.CancelledError:
                        core.interrupted()  # the byte stream is gone with the cancelled read
                        raise
                    else:
                        event = core.received(chunk)
                elif event is RECONNECT:
                    await self._resume()
                    event = core.next_event()
                else:
                    await self.close()
                    return
        except asyncio.CancelledError:
            raise  # not the end: the next read resumes, or raises StreamInterruptedError
        except GeneratorExit:  # a loop left with break, or ``__anext__``: the stream goes on from the next event
            raise
        except BaseException as error:
            core.raised(error)
            await self.close()
            raise

    async def __anext__(self) -> T:
        events = self.__aiter__()
        try:
            async for event in events:
                return event
        finally:
            await events.aclose()  # at once, not by the event loop's finalizer: the stream goes on
        raise StopAsyncIteration

    async def _resume(self) -> None:
        """See ``Stream._resume``."""
        core = self._core
        assert core.failure is not None
        if self._resumer is None:
            raise core.failure from core.cause
        await self.response.aclose()
        self.response = await self._resumer.reconnect(core.cursor, core.failure)
        self._chunks = _abody(self.response)
        core.reconnected()
        self.reconnects += 1

    async def close(self) -> None:
        self._core.close()
        await self.response.aclose()

    aclose = close

    def __del__(self) -> None:
        """A stream dropped unread returns its connection to the pool: the close is scheduled on
        the running event loop; with none (another thread, or after the loop ended) it cannot
        be, and a ``ResourceWarning`` says so."""
        response = self.__dict__.get("response")
        if response is None or response.is_closed:
            return
        closing = response.aclose()
        try:
            task = asyncio.get_running_loop().create_task(closing)
        except RuntimeError:  # no running loop in this thread, or it is shutting down
            closing.close()
            warnings.warn(
                "An AsyncStream was dropped without being read to its end or closed, outside its event loop; "
                "its connection could not be returned to the pool. Use `async with stream:` or `await stream.close()`.",
                ResourceWarning,
                stacklevel=1,
            )
            return
        _closing.add(task)
        task.add_done_callback(_closing.discard)

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def until_done(self) -> None:
        async for _ in self:
            pass

    async def get_final_response(self) -> LettaResponse:
        await self.until_done()
        return self._core.final_response()

    @property
    def text_stream(self) -> AsyncIterator[str]:
        """The assistant's text as it arrives: ``async for text in stream.text_stream``."""
        return self._text()

    async def _text(self) -> AsyncIterator[str]:
        async for event in self:
            if isinstance(event, AssistantMessage):
                yield event.text
