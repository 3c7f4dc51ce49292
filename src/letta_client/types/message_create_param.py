"""``letta_client.types.message_create_param``, the official SDK's module path: names for this SDK's types."""

from .params import MessageCreateParam

__all__ = ["MessageCreateParam"]
