"""The stream's logic without any I/O: bytes in, events or signals out (sans-IO).

``StreamCore`` is driven by ``Stream`` and ``AsyncStream`` (``_streaming``), which only move
bytes. Each turn the driver asks ``next_event()`` and gets either an event to yield or a
signal saying what the core needs:

* ``NEED_DATA``: read the next chunk of the body and pass it to ``received`` (``None`` at the
  end of the body), or pass a transport error to ``broke_off``;
* ``RECONNECT``: this connection cannot go on (``core.failure`` says why): resume the run, then
  call ``reconnected``, or raise ``core.failure``;
* ``FINISHED``: the stream is over; close it.

After ``received`` returned an event, ``steady`` is true when nothing is queued and the stream
goes on: the next thing the core needs is the next read, as ``next_event()`` would say. A
driver may read without asking (one call less per event); any other call to the core, and
``close()``, clears it.

A cancelled read (async) is reported with ``interrupted``: the response cannot be read any more,
so the next turn resumes (background) or raises ``StreamInterruptedError``. A ``200`` answered
with ``application/json`` instead of an event stream (a server or proxy that ignored
``streaming``) is read whole and its turn delivered as the stream's events.

The pieces it keeps are separate: ``SSEDecoder`` (framing), ``decode_event`` (JSON to typed
events), ``RunCursor`` (run id, ``seq_id``, replays), ``StreamEnding`` (end markers) and
``MessageAccumulator`` (the final response).
"""

from __future__ import annotations

import json
from collections import deque
from typing import Any, Deque, Dict, FrozenSet, List, Optional, Type, cast

import httpx
from pydantic import ValidationError

from ._accumulate import MessageAccumulator
from ._cursor import RunCursor
from ._decode import MESSAGES, decode_text, validate_known
from ._ending import StreamEnding
from ._exceptions import (
    APIResponseValidationError,
    EventTooLargeError,
    LettaError,
    LettaStreamError,
    Recoverable,
    StreamContext,
    incomplete_stream_error,
    stream_broken_error,
    stream_error,
    stream_interrupted_error,
    stream_sequence_error,
)
from ._sse import DEFAULT_MAX_EVENT_SIZE, MAX_EVENT_SIZE_EXTENSION, ServerSentEvent, SSEDecoder
from .types.messages import LettaErrorMessage, LettaStopReason, LettaStreamingResponse, LettaUsageStatistics
from .types.response import LettaResponse

__all__ = ["FINISHED", "NEED_DATA", "RECONNECT", "Signal", "StreamCore"]

_MESSAGES: FrozenSet[Any] = frozenset(MESSAGES)
_LF = 10  # b"\n"[0]
_CR = 13  # b"\r"[0]


class Signal:
    """What ``StreamCore.next_event`` returns when it has no event to yield."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


NEED_DATA = Signal("NEED_DATA")
RECONNECT = Signal("RECONNECT")
FINISHED = Signal("FINISHED")


class StreamCore:
    """Turns the bytes of one or more connections (a resumed stream has several) into events."""

    def __init__(
        self,
        request: Optional[httpx.Request],
        *,
        yield_pings: bool,
        numbered: bool = False,
        run_id: Optional[str] = None,
        starting_after: int = 0,
        json_body: bool = False,
    ) -> None:
        self.request = request
        self.yield_pings = yield_pings
        self.cursor = RunCursor(run_id, numbered=numbered, starting_after=starting_after)
        self.ending = StreamEnding()
        self.accumulator = MessageAccumulator()
        self.closed = False  # ended, raised or closed: nothing more is read
        self.failure: Optional[LettaError] = None  # why this connection cannot go on
        self.cause: Optional[BaseException] = None
        extensions = request.extensions if request is not None else {}
        self._max_event_size: int = extensions.get(MAX_EVENT_SIZE_EXTENSION, DEFAULT_MAX_EVENT_SIZE)
        self._decoder = SSEDecoder(self._max_event_size)
        self._max_read = self._max_event_size + 2  # the largest usual read: an event and its blank line
        self._pending: Deque[ServerSentEvent] = deque()
        self._at_eof = False
        self._json: Optional[List[bytes]] = [] if json_body else None  # the body of a JSON answer
        self._json_size = 0  # its bytes so far: it may not pass max_event_size either
        self.steady = False  # see the module's docstring

    # -- driving -------------------------------------------------------------------------------

    def next_event(self) -> Any:
        """The next event to yield, or a ``Signal``; raises the stream's errors."""
        self.steady = False
        pending = self._pending
        while pending:
            event = self._handle(pending.popleft())
            if self.ending.done:
                pending.clear()
                return FINISHED if event is None else event
            if event is not None:
                return event
        if self.ending.done:
            return FINISHED
        if self.closed:
            raise LettaError(
                "The stream was closed before it finished (by close(), a with block, or an error it raised): "
                "its remaining events cannot be read. Read it to its end before closing it; leaving a loop "
                "with break does not close it."
            )
        if self.failure is not None:
            return RECONNECT
        if self._at_eof:
            if self.ending.finished:
                return FINISHED
            self.failure = incomplete_stream_error(self.context())
            return RECONNECT
        return NEED_DATA

    def received(self, chunk: Optional[bytes]) -> Any:
        """The next bytes of the body; ``None`` at its end (frames still buffered come first).
        Returns what ``next_event()`` returns next. Raises ``EventTooLargeError`` for an event
        past the maximum size (not resumable: the continuation would replay the same event).

        The usual read, where a server flushes each event, is one whole event of one ``data:``
        line: ``data: …`` LF LF, no other CR or LF, within the size limit, with nothing kept
        from earlier reads. Its payload is taken and handled at once, with no frame, no queue
        and no call into the SSE decoder (which would find the same frame); the usual token delta
        in it goes to its part's store without a call either. Any other read goes through the
        decoder.
        (Byte tests rather than ``find`` or ``startswith``: an operator costs a fraction of a
        method call, and this runs for every event.)"""
        self.steady = False
        if (
            chunk is not None
            and self._json is None
            and self._decoder.idle
            and chunk[:6] == b"data: "
            and chunk[-1] == _LF
            and chunk[-2] == _LF
            and len(chunk) <= self._max_read
        ):
            data = chunk[6:-2]
            if _LF not in data and _CR not in data:
                try:
                    event = validate_known(data)
                except ValidationError:
                    return self._settle(self._handle(("message", data)))
                cls: Type[Any] = type(event)  # pyright: ignore[reportUnknownVariableType]
                if cls not in _MESSAGES:
                    return self._settle(self._handle_other(event, data))
                fields = event.__dict__  # not attributes: a pydantic model's attribute reads are slow
                accumulator = self.accumulator
                if (
                    fields["otid"] == accumulator.otid
                    and cls is accumulator.cls
                    and fields["seq_id"] is None
                    and fields["run_id"] == self.cursor.run_id
                    and not self.cursor.numbered  # a numbered stream's frame without a number: see admit
                ):  # the usual token delta: the part before is its part, and ``admit`` would say yes
                    accumulator.store(accumulator.fragment(fields))
                    self.steady = True
                    return event
                event = self._message(event, fields, data)
                return self.next_event() if event is None else event
        return self._read(chunk)

    def _read(self, chunk: Optional[bytes]) -> Any:
        """``received`` for any read but the usual one."""
        if self._json is not None:
            if chunk is not None:
                self._json_size += len(chunk)
                if self._json_size > self._max_event_size:  # the whole turn is one event here
                    self._json.clear()
                    raise EventTooLargeError(self._json_size, self._max_event_size, self.request)
                self._json.append(chunk)
                return NEED_DATA
            self._pending.extend(self._json_turn(b"".join(self._json)))
            self._json = None
            self._at_eof = True
            return self.next_event()
        if chunk is None:
            self._pending.extend(self._decoder.flush())
            self._at_eof = True
            return self.next_event()
        try:
            frames = self._decoder.feed(chunk)
        except EventTooLargeError as error:
            error.request = self.request
            raise
        self._pending.extend(frames)
        return self.next_event()

    def _settle(self, event: Optional[LettaStreamingResponse]) -> Any:
        """What ``next_event`` returns after handling one frame that yields ``event`` (or nothing)."""
        if self.ending.done:
            return FINISHED if event is None else event
        return self.next_event() if event is None else event

    def broke_off(self, error: Exception) -> None:
        """The connection failed. After the run's end that is just the end of the stream."""
        if self.ending.finished:
            self._at_eof = True
            return
        self.failure = stream_broken_error(error, self.context())
        self.cause = error

    def interrupted(self) -> None:
        """A read was cancelled: the response's byte stream is gone, the run is not."""
        if self.ending.finished:
            self._at_eof = True
        elif self.failure is None:
            self.failure = stream_interrupted_error(self.context())
            self.cause = None

    def reconnected(self) -> None:
        """A new connection continues the stream after the cursor."""
        self._decoder = SSEDecoder(self._max_event_size)
        self._pending.clear()
        self._at_eof = False
        self.failure = self.cause = None
        self.cursor.reconnected()

    def close(self) -> None:
        self.closed = True
        self.steady = False
        self._pending.clear()

    def final_response(self) -> LettaResponse:
        if self.closed and not self.ending.finished:
            raise LettaError("The stream was closed before it finished; the final response is not known.")
        return self.ending.response(self.accumulator.messages())

    def raised(self, error: BaseException) -> None:
        """``error`` leaves the stream: it carries what the stream knew (what was delivered, the
        run id, the last ``seq_id``) unless it has its own (``Recoverable.attach``)."""
        if isinstance(error, Recoverable):
            error.attach(self.context())

    def context(self) -> StreamContext:
        """What an exception raised from the stream carries: where it got, and what arrived."""
        cursor, ending = self.cursor, self.ending
        return StreamContext(
            self.request,
            run_id=cursor.run_id,
            last_seq_id=cursor.last_seq_id,
            stop_reason=ending.stop_reason,
            partial_response=ending.partial_response(self.accumulator.messages()),
        )

    # -- frames --------------------------------------------------------------------------------

    def _handle(self, sse: ServerSentEvent) -> Optional[LettaStreamingResponse]:
        name, data = sse
        if name == "message" and data[:1] == b"{":  # the usual frame: a JSON event
            event: Any
            try:
                event = validate_known(data)
            except ValidationError:
                event = self._decode_unusual(data)
            if type(event) in _MESSAGES:
                return self._message(event, event.__dict__, data)
            return self._handle_other(event, data)
        if data[:5] == b"[DONE":
            if data == b"[DONE]":
                self.ending.done = True
                self.cursor.unnumbered()
            return None  # old servers' [DONE_GEN] / [DONE_STEP] markers
        if name == "error":
            raise self._error(data.decode("utf-8", "replace"))
        if name == "cancelled":
            self.ending.saw_cancelled_event()
            return None
        return self._handle_other(self._decode_unusual(data), data)

    def _message(self, event: Any, fields: Dict[str, Any], data: bytes) -> Optional[LettaStreamingResponse]:
        """A message (its ``fields`` are its ``__dict__``: attribute reads on a pydantic model are
        slow), delivered once and kept for the final response."""
        cursor = self.cursor
        if not cursor.admit(fields["seq_id"], fields["run_id"], False, data):
            if cursor.fault is not None:
                self._sequence_fault()
            return None
        self.accumulator.add(type(event), fields, data)  # pyright: ignore[reportUnknownArgumentType]
        return event  # type: ignore[no-any-return]

    def _decode_unusual(self, data: bytes) -> LettaStreamingResponse:
        """The slow path of ``decode_event``: an unknown type, an old server's in-band error, or
        something that is not the protocol (``APIResponseValidationError``; a JSON array too)."""
        text = data.decode("utf-8", "replace")
        try:
            return decode_text(text)
        except APIResponseValidationError as error:
            error.request = self.request
            payload = _json_object(text)
            if payload is not None and "error" in payload and "message_type" not in payload:
                raise self._error(text) from None  # an old server's in-band error
            raise

    def _handle_other(self, event: LettaStreamingResponse, data: bytes) -> Optional[LettaStreamingResponse]:
        """Every event that is not a known message: end markers, pings, errors, unknown types."""
        kind = event.message_type
        if kind == "stop_reason":
            self.ending.saw_stop_reason(cast(LettaStopReason, event))
            self.cursor.unnumbered()
            return event
        if kind == "usage_statistics":
            self.ending.usage = cast(LettaUsageStatistics, event)
            self.cursor.unnumbered()
            return event
        cursor = self.cursor
        known = kind in ("ping", "error_message")
        if not cursor.admit(
            getattr(event, "seq_id", None), getattr(event, "run_id", None), kind == "ping", data, known
        ):
            if cursor.fault is not None:
                self._sequence_fault()
            return None
        if kind == "error_message":
            raise self._error(data.decode("utf-8", "replace"), cast(LettaErrorMessage, event))
        if kind == "ping":
            return event if self.yield_pings else None
        return event  # an unknown type: delivered, every field kept, not part of the final response

    def _error(self, data: str, error: Optional[LettaErrorMessage] = None) -> LettaStreamError:
        payload = _json_object(data)
        if error is None and payload is not None and payload.get("message_type") == "error_message":
            try:
                error = LettaErrorMessage.model_validate(payload)
            except ValueError:
                error = None
            else:
                self.cursor.admit(error.seq_id, error.run_id, False, data.encode())
                self.cursor.fault = None  # the error ends the stream either way
        return stream_error(data, payload, error, self.context())

    def _sequence_fault(self) -> None:
        """This connection's numbers went wrong: re-request after the last frame delivered, or
        (once the run is over, when nothing can be re-requested) raise."""
        cursor = self.cursor
        assert cursor.fault is not None
        kind, detail, expected, seq_id, run_id = cursor.fault
        cursor.fault = None
        error = stream_sequence_error(
            kind, detail, self.context(), expected_seq_id=expected, received_seq_id=seq_id, received_run_id=run_id
        )
        if self.ending.finished or kind in ("surprise", "unnumbered"):  # a re-request would not help
            raise error
        self.failure, self.cause = error, None
        self._pending.clear()

    def _json_turn(self, body: bytes) -> List[ServerSentEvent]:
        """A whole turn answered as JSON (``LettaResponse``), as the frames a stream would carry."""
        text = body.decode("utf-8", errors="replace")
        payload = _json_object(text)
        messages: object = payload.get("messages") if payload is not None else None
        if payload is None or not isinstance(messages, list):
            raise APIResponseValidationError(
                "The server answered a streaming request with application/json that is not a turn "
                "(a LettaResponse with messages)",
                self.request,
                raw=text[:2000],
            )
        items: List[object] = list(cast(List[object], messages))
        for key, kind in (("stop_reason", "stop_reason"), ("usage", "usage_statistics")):
            value = payload.get(key)
            if isinstance(value, dict):
                items.append({**cast(Dict[str, Any], value), "message_type": kind})
        frames = [("message", json.dumps(item, separators=(",", ":")).encode()) for item in items]
        frames.append(("message", b"[DONE]"))
        return frames


def _json_object(data: str) -> Optional[Dict[str, Any]]:
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        return None
    return cast(Dict[str, Any], value) if isinstance(value, dict) else None
