"""``letta_client.types.conversations.message_list_params``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from typing import Optional, Sequence

from typing_extensions import Literal, TypedDict

from ..messages import MessageType


class MessageListParams(TypedDict, total=False):
    """The filters of ``client.conversations.messages.list``."""

    after: Optional[str]
    agent_id: Optional[str]
    before: Optional[str]
    group_id: Optional[str]
    include_err: Optional[bool]
    include_return_message_types: Optional[Sequence[MessageType]]
    limit: Optional[int]
    order: Literal["asc", "desc"]
    order_by: Literal["created_at"]


__all__ = [
    "MessageListParams",
]
