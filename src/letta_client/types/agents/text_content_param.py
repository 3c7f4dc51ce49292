"""``letta_client.types.agents.text_content_param``, the official SDK's module path: names for this SDK's types."""

from ..params import TextContentParam

__all__ = ["TextContentParam"]
