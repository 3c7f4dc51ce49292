"""``letta_client.types.agents.message_type``, the official SDK's module path: names for this SDK's types."""

from ..messages import MessageType

__all__ = ["MessageType"]
