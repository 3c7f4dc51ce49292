"""``letta_client.types.agents.reasoning_content_param``, the official SDK's module path: names for this SDK's types."""

from ..params import ReasoningContentParam

__all__ = ["ReasoningContentParam"]
