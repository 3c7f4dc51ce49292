"""``letta_client.types.agents.tool_call_message``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from typing import List, Union

from .. import messages
from ..messages import ToolCallDelta, ToolCallMessage

ToolCall = Union[messages.ToolCall, ToolCallDelta]
ToolCalls = Union[List[messages.ToolCall], ToolCallDelta, None]

__all__ = ["ToolCallMessage", "ToolCall", "ToolCalls"]
