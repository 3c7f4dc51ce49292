"""Answering approval requests: ``approve``, ``deny`` and ``tool_result`` build one answer each;
``approval_message([...])`` (or ``tool_return_message([...])`` when every item is a tool result)
wraps them into the message sent as ``messages=[...]``.
"""

from __future__ import annotations

from typing import Awaitable, Callable, Iterable, Literal, Optional, Union

from ..types.messages import ToolCall
from ..types.params import ApprovalCreateParam, ApprovalReturnParam, ToolReturnCreateParam, ToolReturnParam
from ._content import encode_result, tool_return_content

__all__ = [
    "ApprovalDecision",
    "ApprovalHook",
    "ApprovalItem",
    "AsyncApprovalHook",
    "approval_message",
    "approve",
    "deny",
    "encode_result",
    "tool_result",
    "tool_return_message",
]

ApprovalItem = Union[ApprovalReturnParam, ToolReturnParam]

ApprovalDecision = Union[bool, ApprovalReturnParam, ToolReturnParam]
"""What an ``on_approval`` hook returns for one call: ``True``/``False`` (approve / deny), or the
answer itself, built with ``approve(...)``, ``deny(...)`` or ``tool_result(...)``."""

ApprovalHook = Callable[[ToolCall], ApprovalDecision]
AsyncApprovalHook = Callable[[ToolCall], Union[ApprovalDecision, Awaitable[ApprovalDecision]]]


def approve(tool_call_id: str, *, reason: Optional[str] = None) -> ApprovalReturnParam:
    """Approve a server tool call that waits for approval; the server then runs it."""
    item: ApprovalReturnParam = {"type": "approval", "tool_call_id": tool_call_id, "approve": True}
    if reason is not None:
        item["reason"] = reason
    return item


def deny(tool_call_id: str, reason: Optional[str] = None) -> ApprovalReturnParam:
    """Deny a tool call; the agent sees an error return carrying ``reason``."""
    item: ApprovalReturnParam = {"type": "approval", "tool_call_id": tool_call_id, "approve": False}
    if reason is not None:
        item["reason"] = reason
    return item


def tool_result(
    tool_call_id: str, value: object, *, status: Literal["success", "error"] = "success"
) -> ToolReturnParam:
    """The result of a tool call the client ran: a ``str`` as is, an image (or a list holding
    one) as content parts, anything else as JSON (see ``letta_client.tools.image``). A value that
    cannot be sent raises a ``ValueError`` that names its type (never the value)."""
    return {"type": "tool", "tool_call_id": tool_call_id, "status": status, "tool_return": tool_return_content(value)}


def approval_message(items: Iterable[ApprovalItem], *, otid: Optional[str] = None) -> ApprovalCreateParam:
    """One message answering every pending call: approvals, denials and tool results, mixed."""
    message: ApprovalCreateParam = {"type": "approval", "approvals": list(items)}
    if otid is not None:
        message["otid"] = otid
    return message


def tool_return_message(items: Iterable[ToolReturnParam], *, otid: Optional[str] = None) -> ToolReturnCreateParam:
    """One message with the results of client tool calls (the form the spec prefers for them)."""
    message: ToolReturnCreateParam = {"type": "tool_return", "tool_returns": list(items)}
    if otid is not None:
        message["otid"] = otid
    return message
