"""``letta_client.types.agents.letta_streaming_response``, the official SDK's module path: names for this SDK's types."""

from ..messages import LettaErrorMessage, LettaPing, LettaStopReason, LettaStreamingResponse, LettaUsageStatistics

__all__ = ["LettaStreamingResponse", "LettaPing", "LettaErrorMessage", "LettaStopReason", "LettaUsageStatistics"]
