"""``letta_client.types.agents.tool_return_content``, the official SDK's module path: names for this SDK's types."""

from ..content import ToolReturnContent

__all__ = ["ToolReturnContent"]
