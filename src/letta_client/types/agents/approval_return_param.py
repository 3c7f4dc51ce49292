"""``letta_client.types.agents.approval_return_param``, the official SDK's module path: names for this SDK's types."""

from ..params import ApprovalReturnParam

__all__ = ["ApprovalReturnParam"]
