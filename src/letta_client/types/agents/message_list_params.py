"""``letta_client.types.agents.message_list_params``, the official SDK's module path: names for this SDK's types."""

from ..params import MessageListParams

__all__ = ["MessageListParams"]
