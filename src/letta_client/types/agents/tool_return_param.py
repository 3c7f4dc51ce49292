"""``letta_client.types.agents.tool_return_param``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from typing import Union

from ..params import ImageContentParam, TextContentParam, ToolReturnParam

ToolReturnUnionMember0 = Union[TextContentParam, ImageContentParam]

__all__ = ["ToolReturnParam", "ToolReturnUnionMember0"]
