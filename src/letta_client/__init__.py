"""letta_client: a typed client for the Letta messages API.

    from letta_client import Letta
    client = Letta()                      # $LETTA_BASE_URL, $LETTA_API_KEY
    for event in client.agents.messages.send(agent_id, input="hi", streaming=True):
        ...

Names are imported on first use, so ``import letta_client`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from ._client import AsyncLetta, Letta
    from ._exceptions import (
        APIConnectionError,
        APIError,
        APIResponseValidationError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ConflictError,
        ConversationBusyError,
        EventTooLargeError,
        IncompleteStreamError,
        InternalServerError,
        LettaError,
        LettaStreamError,
        NotFoundError,
        PermissionDeniedError,
        RateLimitError,
        ResumeError,
        StreamInterruptedError,
        StreamSequenceError,
        UnprocessableEntityError,
    )
    from ._pagination import AsyncPage, AsyncPaginator, SyncPage
    from ._response import APIResponse
    from ._streaming import AsyncStream, Stream
    from .tools import (
        AsyncToolRunnerStream,
        ClientTool,
        MaxRoundsExceededError,
        PendingApprovalError,
        ToolRunnerError,
        ToolRunnerStream,
        ToolRunResult,
        approval_message,
        approve,
        deny,
        tool,
        tool_result,
        tool_return_message,
    )
    from .types import LettaResponse, LettaStreamingResponse

_EXPORTS = {
    "Letta": "._client",
    "AsyncLetta": "._client",
    "Stream": "._streaming",
    "AsyncStream": "._streaming",
    "APIResponse": "._response",
    "SyncPage": "._pagination",
    "AsyncPage": "._pagination",
    "AsyncPaginator": "._pagination",
    "LettaResponse": ".types",
    "LettaStreamingResponse": ".types",
    **dict.fromkeys(
        [
            "AsyncToolRunnerStream",
            "ClientTool",
            "MaxRoundsExceededError",
            "PendingApprovalError",
            "ToolRunnerError",
            "approval_message",
            "approve",
            "deny",
            "tool",
            "tool_result",
            "tool_return_message",
            "ToolRunResult",
            "ToolRunnerStream",
        ],
        ".tools",
    ),
    **dict.fromkeys(
        [
            "APIConnectionError",
            "APIError",
            "APIResponseValidationError",
            "APIStatusError",
            "APITimeoutError",
            "AuthenticationError",
            "BadRequestError",
            "ConflictError",
            "ConversationBusyError",
            "EventTooLargeError",
            "IncompleteStreamError",
            "InternalServerError",
            "LettaError",
            "LettaStreamError",
            "NotFoundError",
            "PermissionDeniedError",
            "RateLimitError",
            "ResumeError",
            "StreamInterruptedError",
            "StreamSequenceError",
            "UnprocessableEntityError",
        ],
        "._exceptions",
    ),
}

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncLetta",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncStream",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ConversationBusyError",
    "EventTooLargeError",
    "IncompleteStreamError",
    "InternalServerError",
    "Letta",
    "LettaError",
    "LettaResponse",
    "LettaStreamError",
    "LettaStreamingResponse",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResumeError",
    "Stream",
    "StreamInterruptedError",
    "StreamSequenceError",
    "SyncPage",
    "UnprocessableEntityError",
    # client-side tools and approvals
    "AsyncToolRunnerStream",
    "ClientTool",
    "MaxRoundsExceededError",
    "PendingApprovalError",
    "ToolRunResult",
    "ToolRunnerError",
    "ToolRunnerStream",
    "approval_message",
    "approve",
    "deny",
    "tool",
    "tool_result",
    "tool_return_message",
    "__version__",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'letta_client' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
