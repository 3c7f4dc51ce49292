"""``letta_client.types.agents.omitted_reasoning_content_param``, the official SDK's module path: names for this SDK's types."""

from ..params import OmittedReasoningContentParam

__all__ = ["OmittedReasoningContentParam"]
