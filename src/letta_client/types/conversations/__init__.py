"""Types of ``client.conversations.messages`` (the official SDK's ``letta_client.types.conversations``)."""

from .._support import lazy_names
from .compaction_response import CompactionResponse
from .message_compact_params import MessageCompactParams
from .message_create_params import MessageCreateParams
from .message_list_params import MessageListParams
from .message_stream_params import MessageStreamParams

__all__ = [
    "CompactionResponse",
    "MessageCompactParams",
    "MessageCreateParams",
    "MessageListParams",
    "MessageStreamParams",
]

# <generated>
__getattr__ = lazy_names(__name__, {})
__all__ += []
# </generated>
