"""``letta_client.types.tool_return_message``, the official SDK's module path: names for this SDK's types."""

from .messages import ToolReturnMessage

__all__ = ["ToolReturnMessage"]
