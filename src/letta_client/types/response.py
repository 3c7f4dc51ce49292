"""The non-streaming answer of a message send."""

from __future__ import annotations

from typing import Any, List, Literal, Optional, Union

from ._base import LettaModel
from .messages import AssistantMessage, LettaMessageUnion, LettaStopReason, LettaUsageStatistics

__all__ = ["LettaResponse", "TurnTokenData"]


class TurnTokenData(LettaModel):
    role: Union[Literal["assistant", "tool"], str]
    output_ids: Optional[List[int]] = None
    output_token_logprobs: Optional[List[List[Any]]] = None
    content: Optional[str] = None
    tool_name: Optional[str] = None


class LettaResponse(LettaModel):
    messages: List[LettaMessageUnion]
    stop_reason: LettaStopReason
    usage: LettaUsageStatistics
    logprobs: Optional[Any] = None
    turns: Optional[List[TurnTokenData]] = None

    @property
    def text(self) -> str:
        """The text of every assistant message of the turn, joined by newlines."""
        return "\n".join(m.text for m in self.messages if isinstance(m, AssistantMessage))
