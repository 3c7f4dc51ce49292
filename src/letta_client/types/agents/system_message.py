"""``letta_client.types.agents.system_message``, the official SDK's module path: names for this SDK's types."""

from ..messages import SystemMessage

__all__ = ["SystemMessage"]
