"""A thread of messages a turn is played on: an agent's default history, or a conversation."""

from __future__ import annotations

import collections
from typing import Deque, List, Optional

from ._script import Action
from ._turn import Pending
from ._wire import Json

__all__ = ["Thread"]


class Thread:
    """The stored messages, the pending client-tool approval and the last run of one thread.
    ``scripts`` (queued turns) belong to the agent: its conversations share its queue."""

    def __init__(self, scripts: Optional[Deque[List[Action]]] = None) -> None:
        self.history: List[Json] = []
        self.scripts: Deque[List[Action]] = scripts if scripts is not None else collections.deque()
        self.pending: Optional[Pending] = None
        self.last_run_id: Optional[str] = None
