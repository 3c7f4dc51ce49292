"""``letta_client.types.agents.message_role``, the official SDK's module path: names for this SDK's types."""

from ..messages import MessageRole

__all__ = ["MessageRole"]
