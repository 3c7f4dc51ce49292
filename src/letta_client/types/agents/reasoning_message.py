"""``letta_client.types.agents.reasoning_message``, the official SDK's module path: names for this SDK's types."""

from ..messages import ReasoningMessage

__all__ = ["ReasoningMessage"]
