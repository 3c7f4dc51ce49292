"""``letta_client.types.agents.letta_response``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from ..messages import LettaStopReason, LettaUsageStatistics
from ..response import LettaResponse, Logprobs, TokenLogprob, TopLogprob, TurnTokenData

StopReason = LettaStopReason
Usage = LettaUsageStatistics
LogprobsContent = TokenLogprob
LogprobsContentTopLogprob = TopLogprob
LogprobsRefusal = TokenLogprob
LogprobsRefusalTopLogprob = TopLogprob
Turn = TurnTokenData

__all__ = [
    "LettaResponse",
    "StopReason",
    "Usage",
    "Logprobs",
    "LogprobsContent",
    "LogprobsContentTopLogprob",
    "LogprobsRefusal",
    "LogprobsRefusalTopLogprob",
    "Turn",
]
