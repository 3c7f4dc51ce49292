"""Types of ``client.conversations.messages``."""

from .compaction_response import CompactionResponse

__all__ = ["CompactionResponse"]
