"""Letta events in, SSE bytes out: the one place that gives each frame its id and drops what a
resuming browser already has. Sans-IO, so any server framework (or none) can drive it.

An ``Encoder`` turns events into frames of one protocol (the AI SDK's parts, AG-UI's events, or
Letta's own); the ``Framer`` around it numbers them. A numbered event (``run_id`` and ``seq_id``,
as every event of a background run has) opens a group; its frames are parts 0, 1, 2… of that
group, and frames from events the server does not number (stop reason, usage) and from ``end``
go on in the last group. Pings become SSE comments, outside every group: the server repeats a
number on its keep-alives, so they must not move the count.
"""

from __future__ import annotations

from typing import List, Literal, NamedTuple, Optional, Protocol, Tuple, cast

from ..types.messages import LettaPing, LettaStreamingResponse
from ._event_ids import EventId
from ._sse import comment, frame

__all__ = ["Encoder", "Frame", "Framer", "Problem"]

Frame = Tuple[Optional[str], str]
"""One SSE event an encoder makes: its event name (``None`` for the default) and its data text
(one JSON text, or ``[DONE]``)."""


class Problem(NamedTuple):
    """Why a stream ended early. ``text`` is safe to show in a browser: no key, no URL
    credentials, no server traceback."""

    kind: Literal["error", "cancelled", "interrupted"]
    text: str


class Encoder(Protocol):
    """One protocol's view of a turn. Deterministic: the same events give the same frames, so
    a replayed run lines up with what the browser already has."""

    def event(self, event: LettaStreamingResponse) -> List[Frame]:
        """The frames for one event (never a ping)."""
        ...

    def end(self, problem: Optional[Problem]) -> List[Frame]:
        """The closing frames, once: ``None`` when the server ended the stream."""
        ...


class Framer:
    """Numbers an encoder's frames and skips those at or before ``after``."""

    def __init__(self, encoder: Encoder, *, after: Optional[EventId] = None) -> None:
        self.encoder = encoder
        self.after = after
        self._run_id: Optional[str] = None
        self._seq_id = 0
        self._part = 0
        self._ended = False

    def event(self, event: LettaStreamingResponse) -> bytes:
        if isinstance(event, LettaPing):
            return comment("ping")
        run_id, seq_id = getattr(event, "run_id", None), getattr(event, "seq_id", None)
        head = b""
        if isinstance(run_id, str) and isinstance(seq_id, int):
            if self._run_id is None:
                head = self._prelude(run_id)
            self._run_id, self._seq_id, self._part = run_id, seq_id, 0
        return head + self._frames(self.encoder.event(event))

    def _prelude(self, run_id: str) -> bytes:
        """An encoder's ``prelude()`` frames, if it has any (what the browser showed before this
        run, for a replay that starts from nothing): numbered ``{run_id}:0.{n}``, before the run's
        own events, so any resume that got past them skips them."""
        prelude = getattr(self.encoder, "prelude", None)
        frames = cast(List[Frame], prelude()) if callable(prelude) else []
        if not frames:
            return b""
        self._run_id, self._seq_id, self._part = run_id, 0, 0
        return self._frames(frames)

    def end(self, problem: Optional[Problem] = None) -> bytes:
        """The closing frames; an empty result after the first call."""
        if self._ended:
            return b""
        self._ended = True
        return self._frames(self.encoder.end(problem))

    def _frames(self, frames: List[Frame]) -> bytes:
        run_id = self._run_id
        if run_id is None:
            return b"".join(frame(data, event=name) for name, data in frames)
        out: List[bytes] = []
        for name, data in frames:
            part = self._part
            self._part += 1
            if not self._already_sent(run_id, part):
                out.append(frame(data, id=EventId.text(run_id, self._seq_id, part), event=name))
        return b"".join(out)

    def _already_sent(self, run_id: str, part: int) -> bool:
        after = self.after
        return after is not None and after.run_id == run_id and (self._seq_id, part) <= after.position
