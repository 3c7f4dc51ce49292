"""The non-streaming answer of a message send."""

from __future__ import annotations

from typing import Any, Dict, List, Literal, Optional, Union

from ._base import LettaModel
from .messages import AssistantMessage, LettaMessageUnion, LettaStopReason, LettaUsageStatistics

__all__ = [
    "MessageCancelResponse",
    "LettaResponse",
    "Logprobs",
    "TokenLogprob",
    "TopLogprob",
    "TurnTokenData",
]


class TurnTokenData(LettaModel):
    role: Union[Literal["assistant", "tool"], str]
    output_ids: Optional[List[int]] = None
    output_token_logprobs: Optional[List[List[Any]]] = None
    content: Optional[str] = None
    tool_name: Optional[str] = None


MessageCancelResponse = Dict[str, object]
"""The answer of ``messages.cancel``: each run id with what happened to it."""


class TopLogprob(LettaModel):
    token: str
    logprob: float
    bytes: Optional[List[int]] = None


class TokenLogprob(TopLogprob):
    top_logprobs: List[TopLogprob] = []


class Logprobs(LettaModel):
    """Token log probabilities (sent with ``return_logprobs=True``)."""

    content: Optional[List[TokenLogprob]] = None
    refusal: Optional[List[TokenLogprob]] = None


class LettaResponse(LettaModel):
    messages: List[LettaMessageUnion]
    stop_reason: LettaStopReason
    usage: LettaUsageStatistics
    logprobs: Optional[Logprobs] = None
    turns: Optional[List[TurnTokenData]] = None

    @property
    def text(self) -> str:
        """The text of every assistant message of the turn, joined by newlines."""
        return "\n".join(m.text for m in self.messages if isinstance(m, AssistantMessage))
