"""``letta_client.types.agents.hidden_reasoning_message``, the official SDK's module path: names for this SDK's types."""

from ..messages import HiddenReasoningMessage

__all__ = ["HiddenReasoningMessage"]
