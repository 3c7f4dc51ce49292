"""``letta_client.types.letta_message_content_union_param``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from .params import ContentPartParam

LettaMessageContentUnionParam = ContentPartParam

__all__ = ["LettaMessageContentUnionParam"]
