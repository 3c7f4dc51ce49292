"""The id of each event sent to a browser: where it sits in the Letta run it came from.

``run-…:12`` is the first frame made from the event the server numbered 12 in run ``run-…``;
``run-…:12.2`` the third. A browser sends the last one back (``Last-Event-ID``) and the stream goes
on after it: the server keeps the run, so the relay keeps nothing.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional, Tuple

__all__ = ["EventId"]

_RUN_ID = r"run-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_EVENT_ID = re.compile(rf"({_RUN_ID}):([0-9]{{1,9}})(?:\.([0-9]{{1,6}}))?")


class EventId(NamedTuple):
    run_id: str
    seq_id: int
    part: int = 0

    def __str__(self) -> str:
        return self.text(self.run_id, self.seq_id, self.part)

    @staticmethod
    def text(run_id: str, seq_id: int, part: int) -> str:
        """The id of that frame as sent (without building an ``EventId``: the framer calls this
        for every frame)."""
        return f"{run_id}:{seq_id}" if part == 0 else f"{run_id}:{seq_id}.{part}"

    @property
    def position(self) -> Tuple[int, int]:
        """Where the frame sits in its run, for comparing two ids of the same run."""
        return (self.seq_id, self.part)

    @classmethod
    def parse(cls, text: Optional[str]) -> Optional[EventId]:
        """The id a browser sent back, or ``None`` when it is absent or not one of ours."""
        if text is None:
            return None
        match = _EVENT_ID.fullmatch(text.strip())
        if match is None:
            return None
        return cls(match.group(1), int(match.group(2)), int(match.group(3) or 0))
