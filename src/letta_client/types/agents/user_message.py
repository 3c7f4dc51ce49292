"""``letta_client.types.agents.user_message``, the official SDK's module path: names for this SDK's types."""

from ..messages import UserMessage

__all__ = ["UserMessage"]
