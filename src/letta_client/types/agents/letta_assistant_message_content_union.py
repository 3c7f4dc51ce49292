"""``letta_client.types.agents.letta_assistant_message_content_union``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from ..content import TextContent

LettaAssistantMessageContentUnion = TextContent

__all__ = ["LettaAssistantMessageContentUnion"]
