"""``letta_client.types.agents.tool_call_delta``, the official SDK's module path: names for this SDK's types."""

from ..messages import ToolCallDelta

__all__ = ["ToolCallDelta"]
