"""``letta_client.types.agents.tool_return_content_param``, the official SDK's module path: names for this SDK's types."""

from ..params import ToolReturnContentParam

__all__ = ["ToolReturnContentParam"]
