"""The answer of ``client.conversations.messages.compact``."""

from __future__ import annotations

from .._base import LettaModel

__all__ = ["CompactionResponse"]


class CompactionResponse(LettaModel):
    summary: str
    num_messages_before: int
    num_messages_after: int
