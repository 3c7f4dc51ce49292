"""``letta_client.types.stop_reason_type``, the official SDK's module path: names for this SDK's types."""

from .messages import StopReasonType

__all__ = ["StopReasonType"]
