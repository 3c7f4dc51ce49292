"""A run: one agent turn, as tracked by the server."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Literal, Optional, Sequence, Union

from typing_extensions import TypedDict

from ._base import LettaModel
from .messages import MessageType, StopReasonType

__all__ = [
    "CompletionTokensDetails",
    "PromptTokensDetails",
    "RequestConfig",
    "Run",
    "RunListParams",
    "RunMessageListParams",
    "RunMessageStreamParams",
    "RunStatus",
    "StepListParams",
    "TraceRetrieveParams",
    "TraceRetrieveResponse",
    "UsageRetrieveResponse",
]

RunStatus = Literal["created", "running", "completed", "failed", "cancelled"]


class RequestConfig(LettaModel):
    """The options the run's request was sent with."""

    include_return_message_types: Optional[List[Union[MessageType, str]]] = None
    use_assistant_message: Optional[bool] = None
    assistant_message_tool_name: Optional[str] = None
    assistant_message_tool_kwarg: Optional[str] = None


class Run(LettaModel):
    id: str
    status: Optional[Union[RunStatus, str]] = None
    created_at: Optional[datetime] = None
    completed_at: Optional[datetime] = None
    agent_id: str
    conversation_id: Optional[str] = None
    base_template_id: Optional[str] = None
    background: Optional[bool] = None
    metadata: Optional[Dict[str, Any]] = None
    request_config: Optional[RequestConfig] = None
    stop_reason: Optional[Union[StopReasonType, str]] = None
    callback_url: Optional[str] = None
    callback_sent_at: Optional[datetime] = None
    callback_status_code: Optional[int] = None
    callback_error: Optional[str] = None
    ttft_ns: Optional[int] = None
    total_duration_ns: Optional[int] = None

    @property
    def is_terminal(self) -> bool:
        """True once the run will not change any more."""
        return self.status in ("completed", "failed", "cancelled")


class CompletionTokensDetails(LettaModel):
    reasoning_tokens: Optional[int] = None


class PromptTokensDetails(LettaModel):
    cached_tokens: Optional[int] = None
    cache_read_tokens: Optional[int] = None
    cache_creation_tokens: Optional[int] = None


class UsageRetrieveResponse(LettaModel):
    """A run's token usage (``client.runs.usage.retrieve``)."""

    prompt_tokens: Optional[int] = None
    completion_tokens: Optional[int] = None
    total_tokens: Optional[int] = None
    prompt_tokens_details: Optional[PromptTokensDetails] = None
    completion_tokens_details: Optional[CompletionTokensDetails] = None


TraceRetrieveResponse = List[Dict[str, object]]


class _CursorParams(TypedDict, total=False):
    before: Optional[str]
    after: Optional[str]
    limit: Optional[int]
    order: Literal["asc", "desc"]
    order_by: Literal["created_at"]


class RunListParams(_CursorParams, total=False):
    """Filters of ``client.runs.list``."""

    agent_id: Optional[str]
    agent_ids: Optional[Sequence[str]]
    conversation_id: Optional[str]
    statuses: Optional[Sequence[Union[RunStatus, str]]]
    stop_reason: Optional[Union[StopReasonType, str]]
    background: Optional[bool]
    active: bool
    ascending: bool


class StepListParams(_CursorParams, total=False):
    pass


class RunMessageListParams(_CursorParams, total=False):
    pass


class RunMessageStreamParams(TypedDict, total=False):
    """The body of ``client.runs.messages.stream``."""

    starting_after: int
    include_pings: Optional[bool]
    poll_interval: Optional[float]
    batch_size: Optional[int]
    agent_id: Optional[str]
    otid: Optional[str]
    run_id: Optional[str]


class TraceRetrieveParams(TypedDict, total=False):
    limit: int
