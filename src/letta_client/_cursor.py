"""Where a stream is in its run: the ``run_id`` and the ``seq_id`` cursor a resume starts from.

Background events carry ``seq_id`` numbers (wire spec §6.1). ``RunCursor.admit`` sees every
event that carries one and says whether to deliver it. An event whose ``seq_id`` is not above
the last one delivered is a replay (a resumed connection repeats what was sent already) and is
not delivered again; a ping that repeats the last ``seq_id`` is a keep-alive, not a replay.
"""

from __future__ import annotations

from typing import Optional

__all__ = ["RunCursor"]


class RunCursor:
    """The run a stream belongs to and the largest ``seq_id`` delivered from it."""

    __slots__ = ("last_seq_id", "run_id")

    def __init__(self, run_id: Optional[str] = None) -> None:
        self.run_id = run_id
        self.last_seq_id: Optional[int] = None

    def admit(self, seq_id: Optional[int], run_id: Optional[str], is_ping: bool) -> bool:
        """Track ``seq_id`` and ``run_id``; False for an event already delivered (a replay)."""
        if seq_id is not None:
            last = self.last_seq_id
            if last is not None and (seq_id < last or (seq_id == last and not is_ping)):
                return False
            self.last_seq_id = seq_id
        if run_id is not None:
            self.run_id = run_id
        return True
