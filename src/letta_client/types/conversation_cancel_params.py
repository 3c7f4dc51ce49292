"""``letta_client.types.conversation_cancel_params``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from typing import Optional

from typing_extensions import TypedDict


class ConversationCancelParams(TypedDict, total=False):
    """The arguments of ``client.conversations.cancel``."""

    agent_id: Optional[str]


__all__ = [
    "ConversationCancelParams",
]
