"""``letta_client.types.agent_retrieve_params``, the official SDK's module path: names for this SDK's types."""

from .agent import AgentRetrieveParams

__all__ = ["AgentRetrieveParams"]
