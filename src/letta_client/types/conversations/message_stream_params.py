"""``letta_client.types.conversations.message_stream_params``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from typing import Optional

from typing_extensions import TypedDict


class MessageStreamParams(TypedDict, total=False):
    """The arguments of ``client.conversations.messages.stream``."""

    agent_id: Optional[str]
    batch_size: Optional[int]
    include_pings: Optional[bool]
    otid: Optional[str]
    poll_interval: Optional[float]
    run_id: Optional[str]
    starting_after: int


__all__ = [
    "MessageStreamParams",
]
