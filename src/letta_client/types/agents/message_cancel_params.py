"""``letta_client.types.agents.message_cancel_params``, the official SDK's module path: names for this SDK's types."""

from ..params import MessageCancelParams

__all__ = ["MessageCancelParams"]
