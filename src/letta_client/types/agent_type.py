"""``letta_client.types.agent_type``, the official SDK's module path: names for this SDK's types."""

from .agent import AgentType

__all__ = ["AgentType"]
