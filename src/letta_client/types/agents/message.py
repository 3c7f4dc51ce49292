"""``letta_client.types.agents.message``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from ..messages import LettaMessageUnion

Message = LettaMessageUnion

__all__ = ["Message"]
