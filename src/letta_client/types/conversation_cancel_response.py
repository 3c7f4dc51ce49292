"""``letta_client.types.conversation_cancel_response``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from typing import Dict

ConversationCancelResponse = Dict[str, object]

__all__ = ["ConversationCancelResponse"]
