"""``letta_client.types.agents.assistant_message``, the official SDK's module path: names for this SDK's types."""

from ..messages import AssistantMessage

__all__ = ["AssistantMessage"]
