"""``letta_client.types.agents.approval_return``, the official SDK's module path: names for this SDK's types."""

from ..messages import ApprovalReturn

__all__ = ["ApprovalReturn"]
