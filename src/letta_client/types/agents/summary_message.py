"""``letta_client.types.agents.summary_message``, the official SDK's module path: names for this SDK's types."""

from ..messages import CompactionStats, SummaryMessage

__all__ = ["SummaryMessage", "CompactionStats"]
