"""``letta_client.types.agents.approval_create_param``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from typing import Union

from ..params import ApprovalCreateParam, ApprovalReturnParam, ToolReturnParam

Approval = Union[ApprovalReturnParam, ToolReturnParam]

__all__ = ["ApprovalCreateParam", "Approval"]
