"""``letta_client.types.agents.message_cancel_response``, the official SDK's module path: names for this SDK's types."""

from ..response import MessageCancelResponse

__all__ = ["MessageCancelResponse"]
