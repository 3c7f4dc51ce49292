"""How a stream ended: the end markers it saw, and the answer they make up.

``[DONE]`` and ``event: cancelled`` end a stream at once; a ``stop_reason`` says the run is over
(what may follow is ``usage_statistics`` and ``[DONE]``). A stream that breaks off after either
ended normally; one that breaks off before is incomplete (see ``_stream_core``).
"""

from __future__ import annotations

from typing import List, Optional

from .types.messages import LettaMessageUnion, LettaStopReason, LettaUsageStatistics
from .types.response import LettaResponse

__all__ = ["StreamEnding"]


class StreamEnding:
    """The end markers a stream has seen."""

    __slots__ = ("cancelled", "done", "stop_reason", "usage")

    def __init__(self) -> None:
        self.done = False  # [DONE] or ``event: cancelled``: nothing more is read
        self.cancelled = False
        self.stop_reason: Optional[LettaStopReason] = None
        self.usage: Optional[LettaUsageStatistics] = None

    @property
    def finished(self) -> bool:
        """True when the run reached its end (with or without ``[DONE]``)."""
        return self.done or self.stop_reason is not None

    def saw_cancelled_event(self) -> None:
        self.cancelled = self.done = True
        self.stop_reason = LettaStopReason(stop_reason="cancelled")

    def saw_stop_reason(self, stop_reason: LettaStopReason) -> None:
        self.stop_reason = stop_reason
        self.cancelled = stop_reason.stop_reason == "cancelled"

    def partial_response(self, messages: List[LettaMessageUnion]) -> LettaResponse:
        """What arrived before the stream failed: the stop reason if one came (else
        ``"incomplete"``) and the usage if it came (else zeros)."""
        return LettaResponse(
            messages=messages,
            stop_reason=self.stop_reason or LettaStopReason(stop_reason="incomplete"),
            usage=self.usage or LettaUsageStatistics(),
        )

    def response(self, messages: List[LettaMessageUnion]) -> LettaResponse:
        """The whole turn, once the stream finished."""
        return LettaResponse(
            messages=messages,
            stop_reason=self.stop_reason or LettaStopReason(stop_reason="end_turn"),
            usage=self.usage or LettaUsageStatistics(),
        )
