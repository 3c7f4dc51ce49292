"""``letta_client.types.agents.tool_return``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from typing import Union

from ..content import ImageContent, TextContent
from ..messages import ToolReturn

ToolReturnUnionMember0 = Union[TextContent, ImageContent]

__all__ = ["ToolReturn", "ToolReturnUnionMember0"]
