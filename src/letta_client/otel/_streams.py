"""A turn that follows a ``Stream`` / ``AsyncStream`` to its end, without touching its per-event path.

``instrument()`` wraps a few methods of the stream classes that run once per stream, never per
event (``hooks``): ``Stream.close`` / ``AsyncStream.close`` / ``aclose``, through which every end
of a stream goes (its end marker, an error it raises, ``close()``, the ``with`` blocks), and the
core's ``raised`` / ``interrupted`` / ``reconnected`` (the error the stream raised; an
``asyncio`` cancellation that cut a read, cleared if the stream resumes). Each looks its stream
up in a weak dictionary and does nothing for a stream no turn follows.

``follow(stream, turn)`` registers the stream, and changes two attributes the stream already has
(so its instance layout, which the interpreter's attribute caches depend on in the per-event
loop, stays as it is; a new attribute on the stream or its core measured 10% slower decoding):

* ``_chunks``: the first read is timed (``time_to_first_chunk``), then the reader puts the
  transport's iterator back, so later reads cost what they cost before;
* ``_resumer``: a resume runs with the turn's span current (its HTTP spans and retries nest
  under it);

and ``weakref.finalize`` ends the turn of a stream dropped before it ended (unread, read
half-way, after a ``break``) when it is collected. Nothing here holds the stream strongly, so it
is still freed by reference counting, as before. The turn holds the core until it ends, to read
the summary.
"""

from __future__ import annotations

import asyncio
import functools
import weakref
from typing import TYPE_CHECKING, Any, AsyncIterator, Callable, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from .._stream_core import StreamCore
from .._streaming import AsyncStream, Stream
from ._turn import Summary, Turn

if TYPE_CHECKING:
    import httpx

__all__ = ["follow", "hooks"]

_STEP_ID = b'"step_id":"'
_STEP_ID_NEAR = 512  # the server writes ``step_id`` among a message's first fields


def _step_ids(payloads: Iterable[bytes]) -> List[str]:
    """The step ids of a stream's messages, read from their payloads (decoding every message
    again would cost a few percent of a long stream's decode; a search near the start of each
    payload, then in all of it, costs well under one)."""
    found: Dict[bytes, None] = {}
    for payload in payloads:
        at = payload.find(_STEP_ID, 0, _STEP_ID_NEAR)
        if at < 0:
            at = payload.find(_STEP_ID)
            if at < 0:
                continue
        at += len(_STEP_ID)
        end = payload.find(b'"', at)
        if end > at:
            found[payload[at:end]] = None
    return [step.decode("utf-8", "replace") for step in found]


class _Watch:
    """What the stream's core tells about how it ended (held by the core and by the turn)."""

    __slots__ = ("cancelled", "core", "error", "turn")

    def __init__(self, core: StreamCore, turn: Turn) -> None:
        self.core: Optional[StreamCore] = core
        """Until the end (then ``None``: the core's memory is not kept past it)."""
        self.turn = turn
        self.error: Optional[BaseException] = None
        self.cancelled: Optional[BaseException] = None

    def summary(self) -> Optional[Summary]:
        core = self.core
        if core is None:
            return None
        ending, cursor = core.ending, core.cursor
        stop = ending.stop_reason
        usage = ending.usage
        messages = None
        step_ids: Optional[List[str]] = None
        if self.turn.span.is_recording():
            step_ids = _step_ids(core.accumulator.payloads())
            if self.turn.telemetry.capture_content:  # building every message costs: only for content
                try:
                    messages = core.accumulator.messages()
                except Exception:
                    messages = None
        run_ids = [cursor.run_id] if cursor.run_id is not None else []
        return Summary(
            stop_reason=stop.stop_reason if stop is not None else None,
            usage=usage,
            run_ids=run_ids,
            last_seq_id=cursor.last_seq_id,
            messages=messages,
            step_ids=step_ids,
        )

    def ended(self, *, dropped: bool) -> None:
        """The stream was closed (or collected): end the turn as the core says it ended."""
        core = self.core
        if core is None or self.turn.ended:
            return
        summary = self.summary()
        if self.error is not None:  # an error frame may follow a stop_reason: the error is the end
            self.turn.end(summary, outcome="error", error=self.error)
        elif core.ending.finished or core.ending.done:
            self.turn.end(summary, outcome="finished")
        elif self.cancelled is not None:
            self.turn.end(summary, outcome="error", error=self.cancelled)
        else:
            self.turn.end(summary, outcome="dropped" if dropped else "closed")
        self.core = None

    def dropped(self) -> None:
        self.ended(dropped=True)


class _FirstChunk:
    """The stream's reader until its first read: times it, then steps aside."""

    def __init__(self, stream: Any, turn: Turn) -> None:
        self._inner: Any = stream._chunks
        self._stream: weakref.ref[Any] = weakref.ref(stream)
        self._turn = turn

    def _arrived(self) -> None:
        self._turn.first_chunk()
        stream = self._stream()
        if stream is not None and stream._chunks is self:  # (no ``vars()``: it would give the stream a dict)
            stream._chunks = self._inner

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        chunk: bytes = next(self._inner)
        self._arrived()
        return chunk

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self

    async def __anext__(self) -> bytes:
        chunk: bytes = await self._inner.__anext__()
        self._arrived()
        return chunk


class _Reconnector:
    def __init__(self, inner: Any, turn: Turn) -> None:
        self._inner = inner
        self._turn = turn

    def reconnect(self, cursor: Any, error: Any) -> httpx.Response:
        with self._turn.current():
            response: httpx.Response = self._inner.reconnect(cursor, error)
        return response


class _AsyncReconnector:
    def __init__(self, inner: Any, turn: Turn) -> None:
        self._inner = inner
        self._turn = turn

    async def reconnect(self, cursor: Any, error: Any) -> httpx.Response:
        with self._turn.current():
            response: httpx.Response = await self._inner.reconnect(cursor, error)
        return response


_STREAMS: weakref.WeakKeyDictionary[object, _Watch] = weakref.WeakKeyDictionary()
_CORES: weakref.WeakKeyDictionary[StreamCore, _Watch] = weakref.WeakKeyDictionary()


def follow(stream: Union[Stream[Any], AsyncStream[Any]], turn: Turn) -> None:
    """End ``turn`` when ``stream`` ends, however it ends (see the module docstring)."""
    core = stream._core  # pyright: ignore[reportPrivateUsage]
    watch = _Watch(core, turn)
    _STREAMS[stream] = watch
    _CORES[core] = watch
    resumer: Any = stream._resumer  # pyright: ignore[reportPrivateUsage]
    if resumer is not None:
        proxy = _AsyncReconnector(resumer, turn) if isinstance(stream, AsyncStream) else _Reconnector(resumer, turn)
        stream._resumer = proxy  # pyright: ignore[reportPrivateUsage, reportAttributeAccessIssue]
    stream._chunks = _FirstChunk(stream, turn)  # pyright: ignore[reportPrivateUsage, reportAttributeAccessIssue]
    weakref.finalize(stream, watch.dropped)


# -- the class-level hooks ---------------------------------------------------------------------------


def _sync_close(original: Callable[[Any], None]) -> Callable[[Any], None]:
    @functools.wraps(original)
    def close(self: Any) -> None:
        try:
            original(self)
        finally:
            watch = _STREAMS.get(self)
            if watch is not None:
                watch.ended(dropped=False)

    return close


def _async_close(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    @functools.wraps(original)
    async def close(self: Any) -> None:
        try:
            await original(self)
        finally:
            watch = _STREAMS.get(self)
            if watch is not None:
                watch.ended(dropped=False)

    return close


def _raised(original: Callable[[StreamCore, BaseException], None]) -> Callable[[StreamCore, BaseException], None]:
    @functools.wraps(original)
    def raised(self: StreamCore, error: BaseException) -> None:
        watch = _CORES.get(self)
        if watch is not None:
            watch.error = error
        original(self, error)

    return raised


def _interrupted(original: Callable[[StreamCore], None]) -> Callable[[StreamCore], None]:
    @functools.wraps(original)
    def interrupted(self: StreamCore) -> None:
        watch = _CORES.get(self)
        if watch is not None:
            watch.cancelled = asyncio.CancelledError()
        original(self)

    return interrupted


def _reconnected(original: Callable[[StreamCore], None]) -> Callable[[StreamCore], None]:
    @functools.wraps(original)
    def reconnected(self: StreamCore) -> None:
        watch = _CORES.get(self)
        if watch is not None:
            watch.cancelled = None
        original(self)

    return reconnected


def hooks() -> List[Tuple[object, str, Callable[[Any], Any]]]:
    """(owner, attribute, wrapper of the original): the stream methods ``instrument()`` wraps."""
    return [
        (Stream, "close", _sync_close),
        (AsyncStream, "close", _async_close),
        (AsyncStream, "aclose", _async_close),
        (StreamCore, "raised", _raised),
        (StreamCore, "interrupted", _interrupted),
        (StreamCore, "reconnected", _reconnected),
    ]
