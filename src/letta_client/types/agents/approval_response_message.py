"""``letta_client.types.agents.approval_response_message``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from typing import Union

from ..messages import ApprovalResponseMessage, ApprovalReturn, ToolReturn

Approval = Union[ApprovalReturn, ToolReturn]

__all__ = ["ApprovalResponseMessage", "Approval"]
