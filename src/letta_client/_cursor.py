"""Where a stream is in its run: the ``run_id`` and the ``seq_id`` cursor a resume starts from.

``stream.run_id`` is the first run id seen (or the one asked for) and never changes.

A background run numbers every chunk it stores, one counter per run (wire spec §6.1): messages,
pings and ``error_message`` frames show their ``seq_id``; ``stop_reason``, ``usage_statistics``
and ``[DONE]`` use up a number without showing it; keep-alive pings added by the reader repeat
the last number. So after a frame numbered ``n`` followed by ``k`` frames that show no number,
the next numbered frame must be ``n + 1 + k``. For a numbered (background) stream
``RunCursor.admit`` judges each frame that shows a number:

* the expected number: delivered, and it becomes ``last_seq_id``;
* a ping repeating ``last_seq_id``: a keep-alive, delivered as a ping;
* a number already delivered, with the very same frame text (or a number before the stream's
  own start): a **duplicate** (a resumed connection replays what was sent); not delivered again;
* a number already delivered with other text: a **conflict**;
* a number above the expected one: a **gap** (frames are missing);
* a frame of another run: **foreign**.

The last three are faults (``fault``): the stream re-requests everything after ``last_seq_id``,
or raises ``StreamSequenceError``; nothing is dropped in silence. A frame missing right before
the terminal ``stop_reason`` cannot be seen (the frames after it show no number). Foreground
streams carry no numbers; there the cursor only tracks the run id and the largest ``seq_id``.
"""

from __future__ import annotations

from array import array
from typing import Optional, Tuple

__all__ = ["RunCursor"]

Fault = Tuple[str, str, Optional[int], Optional[int], Optional[str]]
"""``(kind, detail, expected seq_id, received seq_id, received run_id)``."""


class RunCursor:
    """The run a stream belongs to and the ``seq_id`` of the last frame delivered from it."""

    __slots__ = ("_hidden", "_prints", "fault", "last_seq_id", "numbered", "run_id", "starting_after")

    def __init__(self, run_id: Optional[str] = None, *, numbered: bool = False, starting_after: int = 0) -> None:
        self.run_id = run_id
        self.last_seq_id: Optional[int] = None
        self.numbered = numbered
        """True for a background stream, whose frames are numbered without gaps."""
        self.starting_after = starting_after
        """Frames up to this number were delivered before the stream began (``runs.stream``)."""
        self.fault: Optional[Fault] = None
        """The last fault ``admit`` found, until the stream takes it."""
        self._hidden = 0  # frames since ``last_seq_id`` that used up a number without showing it
        self._prints = array("q")  # hash of the text of each number delivered, from starting_after + 1

    def admit(self, seq_id: Optional[int], run_id: Optional[str], is_ping: bool, data: bytes) -> bool:
        """Whether to deliver a frame; False for a duplicate, or a fault (``fault`` says which)."""
        if run_id is not None and run_id != self.run_id:
            if self.run_id is None:
                self.run_id = run_id
            elif self.numbered:
                return self._fail("foreign", f"a frame of run {run_id!r} arrived", None, seq_id, run_id)
        if seq_id is None:
            return True
        if not self.numbered:
            if self.last_seq_id is None or seq_id > self.last_seq_id:
                self.last_seq_id = seq_id
            return True
        last = self.last_seq_id
        expected = (self.starting_after if last is None else last) + 1 + self._hidden
        if seq_id == expected:
            prints = self._prints
            for _ in range(self._hidden):
                prints.append(0)  # the numbers of frames that showed none
            prints.append(0 if is_ping else hash(data))
            self.last_seq_id = seq_id
            self._hidden = 0
            return True
        if seq_id > expected:
            return self._fail("gap", f"seq_id {seq_id} arrived where {expected} was due", expected, seq_id, run_id)
        if is_ping:
            return seq_id == last  # a keep-alive repeats the last number; an older ping is a replay
        index = seq_id - self.starting_after - 1
        if index < 0 or (index < len(self._prints) and self._prints[index] == hash(data) != 0):
            return False  # a replay of what was delivered
        return self._fail("conflict", f"seq_id {seq_id} arrived again with other content", expected, seq_id, run_id)

    def unnumbered(self) -> None:
        """A frame that used up a number without showing it (``stop_reason``, usage, ``[DONE]``)."""
        self._hidden += 1

    def _fail(
        self, kind: str, detail: str, expected: Optional[int], seq_id: Optional[int], run_id: Optional[str]
    ) -> bool:
        self.fault = (kind, detail, expected, seq_id, run_id)
        return False
