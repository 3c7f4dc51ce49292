"""``letta_client.types.agents.text_content``, the official SDK's module path: names for this SDK's types."""

from ..content import TextContent

__all__ = ["TextContent"]
