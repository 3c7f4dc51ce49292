"""``letta_client.types.agents.redacted_reasoning_content_param``, the official SDK's module path: names for this SDK's types."""

from ..params import RedactedReasoningContentParam

__all__ = ["RedactedReasoningContentParam"]
