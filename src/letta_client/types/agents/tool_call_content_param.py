"""``letta_client.types.agents.tool_call_content_param``, the official SDK's module path: names for this SDK's types."""

from ..params import ToolCallContentParam

__all__ = ["ToolCallContentParam"]
