"""``letta_client.types.agents.reasoning_content``, the official SDK's module path: names for this SDK's types."""

from ..content import ReasoningContent

__all__ = ["ReasoningContent"]
