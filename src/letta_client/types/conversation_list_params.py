"""``letta_client.types.conversation_list_params``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from typing import Optional

from typing_extensions import Literal, TypedDict


class ConversationListParams(TypedDict, total=False):
    """The filters of ``client.conversations.list``."""

    after: Optional[str]
    agent_id: Optional[str]
    archive_status: Literal["unarchived", "archived", "all"]
    limit: int
    order: Literal["asc", "desc"]
    order_by: Literal["created_at", "last_run_completion", "last_message_at"]
    summary_search: Optional[str]


__all__ = [
    "ConversationListParams",
]
