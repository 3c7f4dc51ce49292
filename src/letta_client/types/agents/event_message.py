"""``letta_client.types.agents.event_message``, the official SDK's module path: names for this SDK's types."""

from ..messages import EventMessage

__all__ = ["EventMessage"]
