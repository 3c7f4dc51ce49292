"""``letta_client.types.agents.letta_user_message_content_union``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from typing import Union

from ..content import ImageContent, TextContent

LettaUserMessageContentUnion = Union[TextContent, ImageContent]

__all__ = ["LettaUserMessageContentUnion"]
