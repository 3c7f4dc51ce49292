"""``letta_client.types.agents.redacted_reasoning_content``, the official SDK's module path: names for this SDK's types."""

from ..content import RedactedReasoningContent

__all__ = ["RedactedReasoningContent"]
