"""``letta_client.types.agent_list_params``, the official SDK's module path: names for this SDK's types."""

from .agent import AgentListParams

__all__ = ["AgentListParams"]
