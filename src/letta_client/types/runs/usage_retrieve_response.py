"""``letta_client.types.runs.usage_retrieve_response``, the official SDK's module path: names for this SDK's types."""

from ..run import CompletionTokensDetails, PromptTokensDetails, UsageRetrieveResponse

__all__ = ["UsageRetrieveResponse", "CompletionTokensDetails", "PromptTokensDetails"]
