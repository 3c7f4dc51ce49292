"""``letta_client.types.agents.omitted_reasoning_content``, the official SDK's module path: names for this SDK's types."""

from ..content import OmittedReasoningContent

__all__ = ["OmittedReasoningContent"]
