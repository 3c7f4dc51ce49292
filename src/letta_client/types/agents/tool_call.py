"""``letta_client.types.agents.tool_call``, the official SDK's module path: names for this SDK's types."""

from ..messages import ToolCall

__all__ = ["ToolCall"]
