"""Server-Sent Events as bytes: one frame per event, comments for keep-alives.

A data text never holds a line break here (every payload is one JSON text or ``[DONE]``), so a
frame is one ``data:`` line; ids and event names come from us and are checked to be one line too.
"""

from __future__ import annotations

import json
from typing import Dict, Optional

__all__ = ["STREAM_HEADERS", "comment", "compact_json", "frame"]

STREAM_HEADERS: Dict[str, str] = {
    "content-type": "text/event-stream; charset=utf-8",
    # no-transform: proxies (and compressing middleware) must pass the bytes as they come
    "cache-control": "no-cache, no-transform",
    # nginx and the proxies that copy it buffer a response unless told not to
    "x-accel-buffering": "no",
}
"""The headers of every stream response: an event stream that no proxy buffers or caches."""


compact_json = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
"""A value as one line of JSON, without spaces, non-ASCII kept as is (the stream is UTF-8): one
encoder for every part, instead of one built per ``json.dumps`` call."""


def _one_line(text: str, what: str) -> str:
    if "\n" in text or "\r" in text:
        raise ValueError(f"an SSE {what} must be one line")
    return text


def frame(data: str, *, id: Optional[str] = None, event: Optional[str] = None) -> bytes:
    """One SSE event: ``id:`` and ``event:`` lines when given, then the ``data:`` line."""
    head = ""
    if id is not None:
        head += f"id: {_one_line(id, 'id')}\n"
    if event is not None:
        head += f"event: {_one_line(event, 'event name')}\n"
    return f"{head}data: {_one_line(data, 'data line')}\n\n".encode()


def comment(text: str) -> bytes:
    """An SSE comment (``: text``): readers skip it; it keeps idle connections open."""
    return f": {_one_line(text, 'comment')}\n\n".encode()
