"""``letta_client.types.runs.message_list_params``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from ..run import RunMessageListParams

MessageListParams = RunMessageListParams

__all__ = ["MessageListParams"]
