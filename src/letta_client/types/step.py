"""``letta_client.types.step``, the official SDK's module path: names for this SDK's types."""

from .run import Step

__all__ = ["Step"]
