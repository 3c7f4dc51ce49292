"""``letta_client.types.conversation_fork_params``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from typing import Optional

from typing_extensions import TypedDict


class ConversationForkParams(TypedDict, total=False):
    """The arguments of ``client.conversations.fork``."""

    agent_id: Optional[str]
    hidden: bool
    message_id: Optional[str]


__all__ = [
    "ConversationForkParams",
]
