"""``letta_client.types.agents.message_reset_params``, the official SDK's module path: names for this SDK's types."""

from ..params import MessageResetParams

__all__ = ["MessageResetParams"]
