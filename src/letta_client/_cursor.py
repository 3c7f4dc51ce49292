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

What a numbered stream may conclude when a frame shows no number (a kind of chunk this SDK does
not know, which may use up a number as ``stop_reason`` does; or a known message, when a server or
proxy drops the numbers):

* the frame is delivered and kept as **unconfirmed**: the number it may hold is not known yet;
* a numbered frame that follows tells: with ``k`` unconfirmed frames before it, any number from
  the expected one to ``k`` more than it is consistent (each unknown chunk used one up, or not;
  each known message surely did); a larger one is a gap;
* after a cut, the new connection replays what the server stored after ``last_seq_id``, the
  unconfirmed frames first if they were stored, byte for byte. A frame showing no number where
  one of them is due is matched by its text: equal, it is skipped (delivered before the cut:
  safe, because the server replays in order from the cursor); different, a **conflict**. A
  numbered frame where one of them is due means unknown chunks were not stored (they are
  forgotten); but when a known message that came without its number is among them, nothing can
  tell whether this frame is its replay, so that is **unnumbered**, raised at once.

A number at or below the start on a stream that has not reconnected (``seq_id`` 0 on a fresh
stream) is a **surprise**: a server numbering differently than the protocol says. It is raised
at once (``StreamSequenceError``), never dropped and never re-requested. A ``seq_id`` that is not
an integer counts as no number.
"""

from __future__ import annotations

import re
from array import array
from typing import List, Optional, Tuple

__all__ = ["RunCursor"]

Fault = Tuple[str, str, Optional[int], Optional[int], Optional[str]]
"""``(kind, detail, expected seq_id, received seq_id, received run_id)``."""


class _Unconfirmed:
    """A frame delivered without a number: its text's hash (without any ``seq_id``), and whether it
    is a known message (which surely holds a number)."""

    __slots__ = ("known", "text")

    def __init__(self, text: int, known: bool) -> None:
        self.text = text
        self.known = known


class RunCursor:
    """The run a stream belongs to and the ``seq_id`` of the last frame delivered from it."""

    __slots__ = (
        "_fresh",
        "_hidden",
        "_prints",
        "_replay",
        "_unconfirmed",
        "fault",
        "last_seq_id",
        "numbered",
        "run_id",
        "starting_after",
    )

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
        self._unconfirmed: List[_Unconfirmed] = []  # the frames delivered since ``last_seq_id`` showing no number
        self._replay: List[_Unconfirmed] = []  # after a reconnect: those of them the server may replay
        self._fresh = True  # no reconnect yet

    def admit(self, seq_id: object, run_id: Optional[str], is_ping: bool, data: bytes, known: bool = True) -> bool:
        """Whether to deliver a frame; False for a duplicate, or a fault (``fault`` says which).
        ``known``: a kind of frame this SDK knows (one that should show its number)."""
        number = seq_id if type(seq_id) is int else None
        if run_id is not None and run_id != self.run_id:
            if self.run_id is None:
                self.run_id = run_id
            elif self.numbered:
                return self._fail("foreign", f"a frame of run {run_id!r} arrived", None, number, run_id)
        if not self.numbered:
            if number is not None and (self.last_seq_id is None or number > self.last_seq_id):
                self.last_seq_id = number
            return True
        if self._replay:
            replayed = self._replayed(number, data, known and not is_ping)
            if replayed is not None:
                return replayed
        if number is None:  # kept by its text without the number: a replay may show the number or not
            self._unconfirmed.append(_Unconfirmed(hash(_without_number(data)), known and not is_ping))
            return True
        last = self.last_seq_id
        expected = (self.starting_after if last is None else last) + 1 + self._hidden
        unconfirmed = len(self._unconfirmed)
        surely = sum(entry.known for entry in self._unconfirmed)  # a known message always holds a number
        if expected + surely <= number <= expected + unconfirmed:
            prints = self._prints
            used = number - expected  # how many of the unconfirmed frames held a number
            for _ in range(self._hidden):
                prints.append(0)  # the numbers of frames that showed none
            prints.extend(0 for _ in range(used))  # which of them held one, and their text, is not known
            prints.append(0 if is_ping else hash(data))
            self.last_seq_id = number
            self._hidden = 0
            self._unconfirmed.clear()
            return True
        if number > expected + unconfirmed:
            return self._fail("gap", f"seq_id {number} arrived where {expected} was due", expected, number, run_id)
        if number >= expected:  # below what the known messages that came without a number used up
            detail = f"seq_id {number} arrived after {surely} messages that showed no seq_id"
            return self._fail("conflict", detail, expected + surely, number, run_id)
        if is_ping:
            return number == last  # a keep-alive repeats the last number; an older ping is a replay
        index = number - self.starting_after - 1
        if index < 0:
            if self._fresh:
                detail = f"seq_id {number} arrived on a stream that starts after seq_id {self.starting_after}"
                return self._fail("surprise", detail, expected, number, run_id)
            return False  # a resumed connection replaying from before the stream's own start
        if index < len(self._prints) and self._prints[index] in (0, hash(data)):
            return False  # a replay of what was delivered (0: a number whose frame cannot be compared)
        return self._fail("conflict", f"seq_id {number} arrived again with other content", expected, number, run_id)

    def unnumbered(self) -> None:
        """A frame that used up a number without showing it (``stop_reason``, usage, ``[DONE]``)."""
        self._hidden += 1

    def reconnected(self) -> None:
        """A new connection replays what the server stored after ``last_seq_id``."""
        self._fresh = False
        self._replay = list(self._unconfirmed)

    def _replayed(self, number: Optional[int], data: bytes, known: bool) -> Optional[bool]:
        """A frame while the replay of unconfirmed frames is due. The replay of one of them (its
        text without a number equal): skipped; the ones due before it were not stored; a number it
        shows now confirms it and every frame delivered before it. Matching none: an unknown chunk
        showing no number is new (``None``: taken as any other); a numbered frame means the
        unknown chunks due were not stored. Where a known message is due and this frame is not it,
        or this is a known message showing no number that was not delivered before, nothing can
        tell what was delivered: a fault."""
        replay, unconfirmed = self._replay, self._unconfirmed
        print_ = hash(_without_number(data))
        match = next((j for j, entry in enumerate(replay) if entry.text == print_), None)
        if match is None and number is None and not known:
            return None  # an unknown chunk the first connection did not carry
        passed = replay if match is None else replay[:match]  # not stored, or not replayed: either way gone
        if any(entry.known for entry in passed) or (match is None and number is None):
            detail = (
                "frames came without their seq_id before the connection broke, and the resumed "
                "connection does not show which of them were delivered"
            )
            return self._fail("unnumbered", detail, None, number, self.run_id)
        for entry in passed:
            unconfirmed.remove(entry)
        if match is None:
            replay.clear()
            return None
        entry = replay[match]
        del replay[: match + 1]
        if number is not None:  # the frame delivered before the cut, now with its number
            last = self.starting_after if self.last_seq_id is None else self.last_seq_id
            held = unconfirmed.index(entry) + 1  # it, and the frames delivered before it
            if not last < number <= last + self._hidden + held:
                detail = f"seq_id {number} arrived on the replay of a frame delivered after seq_id {last}"
                return self._fail("conflict", detail, last + 1, number, self.run_id)
            self._prints.extend(0 for _ in range(number - last - 1))  # which held a number is not known
            self._prints.append(hash(data))
            self.last_seq_id = number
            self._hidden = 0
            del unconfirmed[:held]
        return False  # delivered before the cut

    def _fail(
        self, kind: str, detail: str, expected: Optional[int], seq_id: Optional[int], run_id: Optional[str]
    ) -> bool:
        self.fault = (kind, detail, expected, seq_id, run_id)
        return False


_NUMBER = re.compile(rb'"seq_id":\s*-?\d+\s*,?|,\s*"seq_id":\s*-?\d+')


def _without_number(data: bytes) -> bytes:
    """A frame's text without its ``"seq_id": n`` (the text a proxy that drops numbers passes on)."""
    return _NUMBER.sub(b"", data, count=1)
