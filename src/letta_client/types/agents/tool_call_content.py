"""``letta_client.types.agents.tool_call_content``, the official SDK's module path: names for this SDK's types."""

from ..content import ToolCallContent

__all__ = ["ToolCallContent"]
