"""letta_client: a typed client for the Letta messages API.

    from letta_client import Letta
    client = Letta()                      # $LETTA_BASE_URL, $LETTA_API_KEY
    for event in client.agents.messages.send(agent_id, input="hi", streaming=True):
        ...

Names are imported on first use, so ``import letta_client`` stays cheap. ``_EXPORTS`` is the one
table of public names: the lazy ``__getattr__`` and ``__all__`` are derived from it, and the
``TYPE_CHECKING`` imports (which type checkers read) are checked against it by a test.
"""

from __future__ import annotations

import importlib
import os as _os
from typing import TYPE_CHECKING, Any, Dict, List, Tuple

from ._version import __version__

if _os.path.exists(_os.path.join(__path__[0], "_base_client.py")):  # only the official letta-client ships it
    from ._coexistence import warn_merged as _warn_merged

    _warn_merged(__path__[0])

if TYPE_CHECKING:
    # isort: off
    from ._client import (
        ENVIRONMENTS as ENVIRONMENTS,
        AsyncLetta as AsyncLetta,
        Letta as Letta,
    )
    from ._official_aliases import (
        AsyncClient as AsyncClient,
        Client as Client,
        NoneType as NoneType,
        ProxiesTypes as ProxiesTypes,
        Timeout as Timeout,
        Transport as Transport,
        __title__ as __title__,
        file_from_path as file_from_path,
    )
    from ._sentinels import (
        NOT_GIVEN as NOT_GIVEN,
        NotGiven as NotGiven,
        Omit as Omit,
        not_given as not_given,
        omit as omit,
    )
    from ._transport import (
        DEFAULT_MAX_RETRIES as DEFAULT_MAX_RETRIES,
        DEFAULT_TIMEOUT as DEFAULT_TIMEOUT,
    )
    from .types._base import BaseModel as BaseModel
    from .types.params import RequestOptions as RequestOptions
    from ._exceptions import (
        APIConnectionError as APIConnectionError,
        APIError as APIError,
        APIResponseValidationError as APIResponseValidationError,
        APIStatusError as APIStatusError,
        APITimeoutError as APITimeoutError,
        AuthenticationError as AuthenticationError,
        BadRequestError as BadRequestError,
        ClientClosedError as ClientClosedError,
        ConflictError as ConflictError,
        ConversationBusyError as ConversationBusyError,
        EventTooLargeError as EventTooLargeError,
        IncompleteStreamError as IncompleteStreamError,
        InternalServerError as InternalServerError,
        LettaError as LettaError,
        LettaStreamError as LettaStreamError,
        MaxRoundsExceededError as MaxRoundsExceededError,
        NotFoundError as NotFoundError,
        PendingApprovalError as PendingApprovalError,
        PermissionDeniedError as PermissionDeniedError,
        RateLimitError as RateLimitError,
        ResumeError as ResumeError,
        StreamInterruptedError as StreamInterruptedError,
        StreamSequenceError as StreamSequenceError,
        ToolRunnerError as ToolRunnerError,
        UnprocessableEntityError as UnprocessableEntityError,
    )
    from ._http_clients import (
        DEFAULT_CONNECTION_LIMITS as DEFAULT_CONNECTION_LIMITS,
        DefaultAioHttpClient as DefaultAioHttpClient,
        DefaultAsyncHttpxClient as DefaultAsyncHttpxClient,
        DefaultHttpxClient as DefaultHttpxClient,
    )
    from ._pagination import (
        AsyncPage as AsyncPage,
        AsyncPaginator as AsyncPaginator,
        SyncPage as SyncPage,
    )
    from ._response import (
        APIResponse as APIResponse,
        AsyncAPIResponse as AsyncAPIResponse,
    )
    from ._streaming import (
        AsyncStream as AsyncStream,
        Stream as Stream,
    )
    from .tools import (
        AsyncToolRunnerStream as AsyncToolRunnerStream,
        ClientTool as ClientTool,
        ToolRunnerStream as ToolRunnerStream,
        ToolRunResult as ToolRunResult,
        approval_message as approval_message,
        approve as approve,
        deny as deny,
        tool as tool,
        tool_result as tool_result,
        tool_return_message as tool_return_message,
    )
    from .types import (
        LettaResponse as LettaResponse,
        LettaStreamingResponse as LettaStreamingResponse,
    )
    # isort: on

_EXPORTS: Dict[str, Tuple[str, ...]] = {
    "._client": (
        "ENVIRONMENTS",
        "AsyncLetta",
        "Letta",
    ),
    "._official_aliases": (
        "AsyncClient",
        "Client",
        "NoneType",
        "ProxiesTypes",
        "Timeout",
        "Transport",
        "__title__",
        "file_from_path",
    ),
    "._sentinels": (
        "NOT_GIVEN",
        "NotGiven",
        "Omit",
        "not_given",
        "omit",
    ),
    "._transport": (
        "DEFAULT_MAX_RETRIES",
        "DEFAULT_TIMEOUT",
    ),
    ".types.params": ("RequestOptions",),
    ".types._base": ("BaseModel",),
    "._http_clients": (
        "DEFAULT_CONNECTION_LIMITS",
        "DefaultAioHttpClient",
        "DefaultAsyncHttpxClient",
        "DefaultHttpxClient",
    ),
    "._streaming": (
        "AsyncStream",
        "Stream",
    ),
    "._response": (
        "APIResponse",
        "AsyncAPIResponse",
    ),
    "._pagination": (
        "AsyncPage",
        "AsyncPaginator",
        "SyncPage",
    ),
    "._exceptions": (
        "APIConnectionError",
        "APIError",
        "APIResponseValidationError",
        "APIStatusError",
        "APITimeoutError",
        "AuthenticationError",
        "BadRequestError",
        "ClientClosedError",
        "ConflictError",
        "ConversationBusyError",
        "EventTooLargeError",
        "IncompleteStreamError",
        "InternalServerError",
        "LettaError",
        "LettaStreamError",
        "MaxRoundsExceededError",
        "NotFoundError",
        "PendingApprovalError",
        "PermissionDeniedError",
        "RateLimitError",
        "ResumeError",
        "StreamInterruptedError",
        "StreamSequenceError",
        "ToolRunnerError",
        "UnprocessableEntityError",
    ),
    ".tools": (
        "AsyncToolRunnerStream",
        "ClientTool",
        "ToolRunResult",
        "ToolRunnerStream",
        "approval_message",
        "approve",
        "deny",
        "tool",
        "tool_result",
        "tool_return_message",
    ),
    ".types": (
        "LettaResponse",
        "LettaStreamingResponse",
    ),
}
"""Every public name, by the module that defines it."""

_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__: List[str] = [*sorted(_MODULE_OF), "__version__"]  # pyright: ignore[reportUnsupportedDunderAll]


_SUBMODULES = ("types", "pagination", "resources")
"""Reachable as attributes, as on the official SDK (``letta_client.types.AgentState``), loaded on first use."""


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'letta_client' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> List[str]:
    return sorted(__all__)
