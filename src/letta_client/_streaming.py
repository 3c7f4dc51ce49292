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

The HTTP response is closed when the stream ends, raises, or the loop is left with ``break``
(the loop's iterator is a generator; leaving the loop finalizes it). ``with stream:`` closes it
too. Pings are consumed (they carry ``run_id`` and ``seq_id``) but not yielded unless the
stream was created with ``yield_pings=True``.
"""

from __future__ import annotations

import json
from collections import deque
from typing import Any, AsyncIterator, Deque, Dict, Generic, Iterator, Optional, TypeVar, cast

import httpx

from ._accumulate import MessageAccumulator
from ._decode import decode_event
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    IncompleteStreamError,
    LettaError,
    LettaStreamError,
)
from ._resume import AsyncReconnector, Reconnector
from ._sse import ServerSentEvent, SSEDecoder
from .types.messages import (
    AssistantMessage,
    LettaErrorMessage,
    LettaStopReason,
    LettaStreamingResponse,
    LettaUsageStatistics,
    UnknownMessage,
)
from .types.response import LettaResponse

__all__ = ["AsyncStream", "Stream"]

T = TypeVar("T")

_FINISHED = object()


class _StreamState:
    """What a stream has seen so far; turns SSE frames into events or exceptions."""

    def __init__(self, request: Optional[httpx.Request], *, yield_pings: bool) -> None:
        self.request = request
        self.yield_pings = yield_pings
        self.run_id: Optional[str] = None
        self.last_seq_id: Optional[int] = None
        self.stop_reason: Optional[LettaStopReason] = None
        self.usage: Optional[LettaUsageStatistics] = None
        self.done = False
        self.cancelled = False
        self.accumulator = MessageAccumulator()

    @property
    def finished(self) -> bool:
        """True when the run reached its end (with or without ``[DONE]``)."""
        return self.done or self.stop_reason is not None

    def handle(self, sse: ServerSentEvent) -> Optional[LettaStreamingResponse]:
        name, data = sse
        if data[:1] == "[":
            if data == "[DONE]":
                self.done = True
            return None  # old servers' [DONE_GEN] / [DONE_STEP] markers
        if name == "error":
            raise self._error(data)
        if name == "cancelled":
            self.cancelled = self.done = True
            self.stop_reason = LettaStopReason(stop_reason="cancelled")
            return None
        try:
            event = decode_event(data)
        except APIResponseValidationError as error:
            error.request = self.request
            payload = _json_object(data)
            if payload is not None and "error" in payload and "message_type" not in payload:
                raise self._error(data) from None  # an old server's in-band error
            raise
        kind = event.message_type
        if kind == "stop_reason":
            self.stop_reason = cast(LettaStopReason, event)
            self.cancelled = self.stop_reason.stop_reason == "cancelled"
            return event
        if kind == "usage_statistics":
            self.usage = cast(LettaUsageStatistics, event)
            return event
        if self._replayed(event, kind):
            return None
        if kind == "error_message":
            raise self._error(data, cast(LettaErrorMessage, event))
        if kind == "ping":
            return event if self.yield_pings else None
        if not isinstance(event, UnknownMessage):
            self.accumulator.add(event)  # type: ignore[arg-type]
        return event

    def _replayed(self, event: Any, kind: str) -> bool:
        """Track ``run_id`` and ``seq_id``. True for an event that a resumed stream replays although
        it was delivered already (its ``seq_id`` is not above the last one seen); a ping carrying
        the last ``seq_id`` is a keep-alive, not a replay."""
        seq_id = getattr(event, "seq_id", None)
        if isinstance(seq_id, int):
            last = self.last_seq_id
            if last is not None and (seq_id < last or (seq_id == last and kind != "ping")):
                return True
            self.last_seq_id = seq_id
        run_id = getattr(event, "run_id", None)
        if run_id is not None:
            self.run_id = run_id
        return False

    def _error(self, data: str, error: Optional[LettaErrorMessage] = None) -> LettaStreamError:
        payload = _json_object(data)
        if error is None and payload is not None and payload.get("message_type") == "error_message":
            try:
                error = LettaErrorMessage.model_validate(payload)
            except ValueError:
                error = None
        if error is not None:
            self._replayed(error, error.message_type)
            message = f"{error.error_type}: {error.message}"
            if error.detail:
                message = f"{message} ({error.detail})"
            exc = LettaStreamError(
                message,
                self.request,
                body=payload,
                run_id=self.run_id,
                stop_reason=self.stop_reason,
                error=error,
            )
            exc.error_type = error.error_type
            exc.detail = error.detail
            return exc
        if payload is not None and "error" in payload:
            code = payload.get("code")
            text: Any = payload["error"]
            if isinstance(text, dict):
                text = cast(Dict[str, Any], text).get("message", text)
            message = f"{code}: {text}" if code else str(text)
            exc = LettaStreamError(
                message, self.request, body=payload, run_id=self.run_id, stop_reason=self.stop_reason
            )
            exc.error_type = code if isinstance(code, str) else exc.error_type
            return exc
        return LettaStreamError(
            f"stream error: {data[:500]}",
            self.request,
            body=data,
            run_id=self.run_id,
            stop_reason=self.stop_reason,
        )

    def incomplete(self) -> IncompleteStreamError:
        return IncompleteStreamError(
            "The stream ended before the run finished (no [DONE], error or stop_reason); its outcome is unknown. "
            f"run_id={self.run_id!r}, last_seq_id={self.last_seq_id!r}. "
            "Poll client.runs.retrieve(run_id) until it is terminal, then read client.runs.messages.list(run_id).",
            self.request,
            run_id=self.run_id,
            last_seq_id=self.last_seq_id,
        )

    def transport_error(self, error: httpx.TransportError) -> APIConnectionError:
        where = f"run_id={self.run_id!r}, last_seq_id={self.last_seq_id!r}"
        cls = APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
        return cls(
            f"The stream broke off ({error!r}); {where}.",
            self.request,
            run_id=self.run_id,
            last_seq_id=self.last_seq_id,
        )

    def final_response(self) -> LettaResponse:
        return LettaResponse(
            messages=self.accumulator.messages(),
            stop_reason=self.stop_reason or LettaStopReason(stop_reason="end_turn"),
            usage=self.usage or LettaUsageStatistics(),
        )


def _json_object(data: str) -> Optional[Dict[str, Any]]:
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        return None
    return cast(Dict[str, Any], value) if isinstance(value, dict) else None


class _StreamBase(Generic[T]):
    _state: _StreamState
    response: httpx.Response

    def __init__(self, response: httpx.Response, *, yield_pings: bool = False) -> None:
        self.response = response
        self._state = _StreamState(response.request, yield_pings=yield_pings)
        self._decoder = SSEDecoder()
        self._pending: Deque[ServerSentEvent] = deque()
        self._over = False  # set once iteration ended or the stream was closed
        self.reconnects = 0
        """How many times this stream resumed after its connection broke (background streams)."""

    @property
    def run_id(self) -> Optional[str]:
        """The run this stream belongs to (from the first ping or message)."""
        return self._state.run_id

    @property
    def last_seq_id(self) -> Optional[int]:
        """The largest ``seq_id`` seen (background streams only): the resume cursor."""
        return self._state.last_seq_id

    @property
    def stop_reason(self) -> Optional[LettaStopReason]:
        """The last ``stop_reason`` seen."""
        return self._state.stop_reason

    @property
    def usage(self) -> Optional[LettaUsageStatistics]:
        return self._state.usage

    @property
    def cancelled(self) -> bool:
        """True when the run was cancelled."""
        return self._state.cancelled

    @property
    def finished(self) -> bool:
        """True once the stream reached its end (``[DONE]`` or a ``stop_reason``)."""
        return self._state.finished

    def _next_ready(self) -> Any:
        """The next event from frames already received, ``None`` for a frame with nothing to
        yield, or ``_FINISHED``; raises stream errors."""
        while self._pending:
            event = self._state.handle(self._pending.popleft())
            if self._state.done:
                self._pending.clear()
                return _FINISHED if event is None else event
            if event is not None:
                return event
        return None

    def _final(self) -> LettaResponse:
        if self._over and not self._state.finished:
            raise LettaError("The stream was closed before it finished; the final response is not known.")
        return self._state.final_response()


class Stream(_StreamBase[T]):
    """A synchronous stream of events: ``for event in stream``."""

    def __init__(
        self, response: httpx.Response, *, yield_pings: bool = False, resumer: Optional[Reconnector] = None
    ) -> None:
        super().__init__(response, yield_pings=yield_pings)
        self._chunks = response.iter_bytes()
        self._cursor: Optional[Iterator[T]] = None
        self._resumer = resumer

    def __iter__(self) -> Iterator[T]:
        return self._iter()

    def __next__(self) -> T:
        if self._cursor is None:
            self._cursor = self._iter()
        return next(self._cursor)

    def _iter(self) -> Iterator[T]:
        state = self._state
        if self._over:
            return  # closed by ``break``, ``close()`` or the end: nothing more can be read
        try:
            while True:
                event = self._next_ready()
                if event is _FINISHED:
                    return
                if event is not None:
                    yield event
                    continue
                if state.done:
                    return
                try:
                    chunk = next(self._chunks, None)
                except httpx.TransportError as error:
                    if state.finished:
                        return
                    self._resume(state.transport_error(error), error)
                    continue
                if chunk is None:  # end of body: frames still buffered first, then the verdict
                    flushed = self._decoder.flush()
                    if flushed:
                        self._pending.extend(flushed)
                        continue
                    if state.finished:
                        return
                    self._resume(state.incomplete())
                    continue
                self._pending.extend(self._decoder.feed(chunk))
        finally:
            self._over = True
            self.response.close()

    def _resume(self, error: LettaError, cause: Optional[BaseException] = None) -> None:
        """Replace the broken response with its continuation. Without a resumer (a foreground
        stream, or ``resume=False``) raise ``error``; ``ResumeError`` if the run cannot resume."""
        if self._resumer is None:
            raise error from cause
        self.response.close()
        self.response = self._resumer.reconnect(self._state, error)
        self._chunks = self.response.iter_bytes()
        self._decoder = SSEDecoder()
        self.reconnects += 1

    def close(self) -> None:
        self._over = True
        self.response.close()

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
        return self._final()

    @property
    def text_stream(self) -> Iterator[str]:
        """The assistant's text as it arrives (token fragments or whole step messages)."""
        for event in self:
            if isinstance(event, AssistantMessage):
                yield event.text


class AsyncStream(_StreamBase[T]):
    """An asynchronous stream of events: ``async for event in stream``."""

    def __init__(
        self, response: httpx.Response, *, yield_pings: bool = False, resumer: Optional[AsyncReconnector] = None
    ) -> None:
        super().__init__(response, yield_pings=yield_pings)
        self._chunks = response.aiter_bytes()
        self._cursor: Optional[AsyncIterator[T]] = None
        self._resumer = resumer

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iter()

    async def __anext__(self) -> T:
        if self._cursor is None:
            self._cursor = self._iter()
        return await self._cursor.__anext__()

    async def _iter(self) -> AsyncIterator[T]:
        state = self._state
        if self._over:
            return  # closed by ``break``, ``close()`` or the end: nothing more can be read
        try:
            while True:
                event = self._next_ready()
                if event is _FINISHED:
                    return
                if event is not None:
                    yield event
                    continue
                if state.done:
                    return
                try:
                    chunk = await self._chunks.__anext__()
                except StopAsyncIteration:
                    chunk = None
                except httpx.TransportError as error:
                    if state.finished:
                        return
                    await self._resume(state.transport_error(error), error)
                    continue
                if chunk is None:  # end of body: frames still buffered first, then the verdict
                    flushed = self._decoder.flush()
                    if flushed:
                        self._pending.extend(flushed)
                        continue
                    if state.finished:
                        return
                    await self._resume(state.incomplete())
                    continue
                self._pending.extend(self._decoder.feed(chunk))
        finally:
            self._over = True
            await self.response.aclose()

    async def _resume(self, error: LettaError, cause: Optional[BaseException] = None) -> None:
        """See ``Stream._resume``."""
        if self._resumer is None:
            raise error from cause
        await self.response.aclose()
        self.response = await self._resumer.reconnect(self._state, error)
        self._chunks = self.response.aiter_bytes()
        self._decoder = SSEDecoder()
        self.reconnects += 1

    async def close(self) -> None:
        self._over = True
        await self.response.aclose()

    aclose = close

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def until_done(self) -> None:
        async for _ in self:
            pass

    async def get_final_response(self) -> LettaResponse:
        await self.until_done()
        return self._final()

    @property
    def text_stream(self) -> AsyncIterator[str]:
        """The assistant's text as it arrives: ``async for text in stream.text_stream``."""
        return self._text()

    async def _text(self) -> AsyncIterator[str]:
        async for event in self:
            if isinstance(event, AssistantMessage):
                yield event.text
