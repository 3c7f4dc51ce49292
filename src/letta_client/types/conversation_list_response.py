"""``letta_client.types.conversation_list_response``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from typing import List

from .conversation import Conversation

ConversationListResponse = List[Conversation]

__all__ = ["ConversationListResponse"]
