"""Server-Sent Events framing: bytes in, ``(event, data)`` frames out, ``data`` still bytes.

Follows the SSE specification: lines end in CRLF, LF or CR; a blank line ends an event;
``data:`` lines are joined with newlines; ``:`` lines are comments; one space after the colon
is dropped; an event without data is not dispatched; an unfinished event at the end of the body
is dropped. Text is UTF-8 with replacement, as browsers do.

The work stays on bytes: a read is split on the blank lines that end events (one C call for all
its events), and the usual one-line ``data:`` event is sliced out and handed on as bytes (the JSON decoder takes
bytes, so the payload is never turned into a ``str`` first). Decoding bytes to text only where
text is needed gives the same characters as decoding the whole body: every byte the framing
looks at is ASCII, and UTF-8 never uses an ASCII byte inside a multi-byte character, nor does
the replacement of an invalid sequence swallow one. ``tests/test_sse.py`` checks this decoder
against httpx-sse's on arbitrary input and any chunking.

An event may not grow past ``max_event_size`` bytes (``EventTooLargeError``): a server that
never ends an event cannot make the client buffer without bound. The bytes of an unfinished
event are kept as the reads that brought them and joined once when the event ends, so a huge
event costs about twice its size while it is decoded, never more.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from ._exceptions import EventTooLargeError

__all__ = ["DEFAULT_MAX_EVENT_SIZE", "MAX_EVENT_SIZE_EXTENSION", "SSEDecoder", "ServerSentEvent"]

ServerSentEvent = Tuple[str, bytes]
"""``(event, data)``; ``event`` is ``"message"`` when the frame named none; ``data`` is UTF-8."""

DEFAULT_MAX_EVENT_SIZE = 16 * 1024 * 1024
"""16 MiB: far above any event the server sends (a tool return is capped well below that)."""

MAX_EVENT_SIZE_EXTENSION = "letta_client.max_event_size"
"""The key of a streaming request's ``extensions`` that carries the client's ``max_event_size``."""

_LF = 10  # b"\n"[0]
_CR = 13  # b"\r"[0]


class SSEDecoder:
    __slots__ = ("_ends_with_lf", "_parts", "_size", "_skip_lf", "idle", "max_event_size")

    def __init__(self, max_event_size: int = DEFAULT_MAX_EVENT_SIZE) -> None:
        self.max_event_size = max_event_size
        self._parts: List[bytes] = []  # bytes received since the last complete event
        self._size = 0  # their total length
        self._ends_with_lf = False  # the kept bytes end in LF: an LF next ends the event
        self._skip_lf = False  # the last read ended in CR: an LF right after it is the same line end
        self.idle = True
        """Nothing is kept from earlier reads: the next read starts a new event, as if it were the first."""

    def feed(self, chunk: bytes) -> List[ServerSentEvent]:
        """Take the next bytes of the body; return the events they complete."""
        events = self._feed(chunk)
        self.idle = not (self._parts or self._skip_lf)
        return events

    def _feed(self, chunk: bytes) -> List[ServerSentEvent]:
        if self._skip_lf:
            self._skip_lf = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
        if not chunk:
            return []
        if b"\r" in chunk:
            # A CR ends its line at once (no waiting for a possible LF); that LF is skipped later.
            self._skip_lf = chunk[-1] == _CR
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        if b"\n\n" not in chunk and not (self._ends_with_lf and chunk[0] == _LF):
            self._keep(chunk)  # no event ends here: keep the bytes, do not rescan them later
            return []
        if self._parts:
            self._parts.append(chunk)
            chunk = b"".join(self._parts)
            self._parts = []
            self._size = 0
        self._ends_with_lf = False
        events: List[ServerSentEvent] = []
        limit = self.max_event_size
        blocks = chunk.split(b"\n\n")  # one C call for the whole read: every event's lines, then the rest
        del chunk  # a huge event joined from many reads is held once more only while it is split
        rest = blocks.pop()
        for block in blocks:
            if len(block) > limit:
                raise EventTooLargeError(len(block), limit)
            if block[:6] == b"data: " and _LF not in block:  # the usual event: one data line
                events.append(("message", block[6:]))
            elif block:
                event = _parse_block(block)
                if event is not None:
                    events.append(event)
        if rest:
            self._keep(rest)
        return events

    def flush(self) -> List[ServerSentEvent]:
        """End of body. An unfinished event is dropped."""
        self._parts = []
        self._size = 0
        self._ends_with_lf = self._skip_lf = False
        self.idle = True
        return []

    def _keep(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > self.max_event_size + 1:  # + 1: the kept bytes may end in the LF that starts the blank line
            size = self._size
            self._parts = []
            self._size = 0
            raise EventTooLargeError(size, self.max_event_size)
        self._parts.append(chunk)
        self._ends_with_lf = chunk[-1] == _LF


def _parse_block(block: bytes) -> Optional[ServerSentEvent]:
    event = "message"
    data: List[bytes] = []
    for line in block.split(b"\n"):
        if not line or line[0] == 58:  # an empty line, or a ":" comment
            continue
        name, colon, value = line.partition(b":")
        if colon and value[:1] == b" ":
            value = value[1:]
        if name == b"data":
            data.append(value)
        elif name == b"event":
            event = value.decode("utf-8", "replace") or "message"
        # ``id`` and ``retry`` are not used by this protocol; unknown fields are ignored.
    if not data:
        return None
    return event, b"\n".join(data)
