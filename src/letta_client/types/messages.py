"""Every message type the server sends, in a JSON response or on a stream.

Each model's ``message_type`` is a required ``Literal``, so a type checker narrows
``if m.message_type == "assistant_message": m.content``. A ``message_type`` this SDK does not
know decodes to ``UnknownMessage`` with every field kept. Enum-like fields (``stop_reason``,
``status``, ``source``…) accept values this SDK does not know yet, as plain strings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Literal, Mapping, Optional, Type, Union, cast

from pydantic import AfterValidator, AliasChoices, Field
from typing_extensions import Annotated, get_args

from ._base import LettaModel, Timestamp
from .content import MessageContent, TextContent

__all__ = [
    "EVENT_MODELS",
    "MESSAGE_MODELS",
    "LettaMessageUnion",
    "LettaStreamingResponse",
    "ApprovalRequestMessage",
    "ApprovalResponseMessage",
    "ApprovalReturn",
    "AssistantMessage",
    "CompactionStats",
    "EventMessage",
    "HiddenReasoningMessage",
    "LettaErrorMessage",
    "LettaPing",
    "LettaStopReason",
    "LettaUsageStatistics",
    "MessageRole",
    "MessageType",
    "ReasoningMessage",
    "StopReasonType",
    "SummaryMessage",
    "SystemMessage",
    "ToolCall",
    "ToolCallDelta",
    "ToolCallMessage",
    "ToolReturn",
    "ToolReturnMessage",
    "UnknownMessage",
    "UserMessage",
]

MessageType = Literal[
    "system_message",
    "user_message",
    "assistant_message",
    "reasoning_message",
    "hidden_reasoning_message",
    "tool_call_message",
    "tool_return_message",
    "approval_request_message",
    "approval_response_message",
    "summary_message",
    "event_message",
]
"""The values accepted by ``include_return_message_types``."""

MessageRole = Literal["assistant", "user", "tool", "function", "system", "approval", "summary"]
"""The role of a stored message."""

StopReasonType = Literal[
    "end_turn",
    "error",
    "llm_api_error",
    "invalid_llm_response",
    "invalid_tool_call",
    "max_steps",
    "max_tokens_exceeded",
    "no_tool_call",
    "tool_rule",
    "cancelled",
    "insufficient_credits",
    "requires_approval",
    "context_window_overflow_in_system_prompt",
]


class _MessageBase(LettaModel):
    id: str
    date: Timestamp
    name: Optional[str] = None
    otid: Optional[str] = None
    sender_id: Optional[str] = None
    step_id: Optional[str] = None
    is_err: Optional[bool] = None
    seq_id: Optional[int] = None
    run_id: Optional[str] = None


class SystemMessage(_MessageBase):
    message_type: Literal["system_message"]
    content: str = Field(validation_alias=AliasChoices("content", "message"))


class UserMessage(_MessageBase):
    message_type: Literal["user_message"]
    content: Union[str, List[MessageContent]] = Field(validation_alias=AliasChoices("content", "message"))


class AssistantMessage(_MessageBase):
    message_type: Literal["assistant_message"]
    content: Union[str, List[TextContent]] = Field(validation_alias=AliasChoices("content", "assistant_message"))

    @property
    def text(self) -> str:
        """The content as one string, whether the server sent a string or text parts."""
        if isinstance(self.content, str):
            return self.content
        return "".join(part.text for part in self.content)


class ReasoningMessage(_MessageBase):
    message_type: Literal["reasoning_message"]
    reasoning: str
    source: Union[Literal["reasoner_model", "non_reasoner_model"], str] = "non_reasoner_model"
    signature: Optional[str] = None


class HiddenReasoningMessage(_MessageBase):
    message_type: Literal["hidden_reasoning_message"]
    state: Union[Literal["redacted", "omitted"], str]
    hidden_reasoning: Optional[str] = None


class ToolCall(LettaModel):
    """A whole tool call."""

    name: str
    arguments: str
    tool_call_id: str


class ToolCallDelta(LettaModel):
    """A fragment of a tool call, as sent in token-streaming mode."""

    name: Optional[str] = None
    arguments: Optional[str] = None
    tool_call_id: Optional[str] = None


class _ToolCallsBase(_MessageBase):
    tool_call: Union[ToolCall, ToolCallDelta]
    """Deprecated by the server: the first call. Prefer ``tool_calls``."""
    tool_calls: Union[List[ToolCall], ToolCallDelta, None] = None
    """A list for whole messages; a single delta while token streaming."""

    @property
    def calls(self) -> List[Union[ToolCall, ToolCallDelta]]:
        """The tool calls as a list, whatever shape the server used."""
        if isinstance(self.tool_calls, list):
            return list(self.tool_calls)
        if self.tool_calls is not None:
            return [self.tool_calls]
        return [self.tool_call]


class ToolCallMessage(_ToolCallsBase):
    message_type: Literal["tool_call_message"]


class ApprovalRequestMessage(_ToolCallsBase):
    """The agent paused: these tool calls need a result (client tools) or an approval."""

    message_type: Literal["approval_request_message"]


class ToolReturn(LettaModel):
    type: Literal["tool"] = "tool"
    tool_call_id: str
    status: Union[Literal["success", "error"], str]
    tool_return: Union[str, List[MessageContent]]
    stdout: Optional[List[str]] = None
    stderr: Optional[List[str]] = None


class ToolReturnMessage(_MessageBase):
    message_type: Literal["tool_return_message"]
    tool_return: str
    status: Union[Literal["success", "error"], str]
    tool_call_id: str
    stdout: Optional[List[str]] = None
    stderr: Optional[List[str]] = None
    tool_returns: Optional[List[ToolReturn]] = None

    @property
    def returns(self) -> List[ToolReturn]:
        """Every return in this message (old servers sent only the top-level fields)."""
        if self.tool_returns:
            return list(self.tool_returns)
        return [
            ToolReturn(
                tool_call_id=self.tool_call_id,
                status=self.status,
                tool_return=self.tool_return,
                stdout=self.stdout,
                stderr=self.stderr,
            )
        ]


class ApprovalReturn(LettaModel):
    type: Literal["approval"] = "approval"
    tool_call_id: str
    approve: bool
    reason: Optional[str] = None


class ApprovalResponseMessage(_MessageBase):
    message_type: Literal["approval_response_message"]
    approvals: Optional[List[Union[ApprovalReturn, ToolReturn]]] = None
    approve: Optional[bool] = None
    approval_request_id: Optional[str] = None
    reason: Optional[str] = None


class CompactionStats(LettaModel):
    trigger: str
    context_tokens_before: Optional[int] = None
    context_tokens_after: Optional[int] = None
    context_window: int
    messages_count_before: int
    messages_count_after: int


class SummaryMessage(_MessageBase):
    message_type: Literal["summary_message"]
    summary: str
    compaction_stats: Optional[CompactionStats] = None


class EventMessage(_MessageBase):
    message_type: Literal["event_message"]
    event_type: Union[Literal["compaction"], str]
    event_data: Dict[str, Any]


class LettaPing(_MessageBase):
    """A keep-alive. It carries the ``run_id`` (and, in background mode, a ``seq_id``)."""

    message_type: Literal["ping"]


class LettaStopReason(LettaModel):
    message_type: Literal["stop_reason"] = "stop_reason"
    stop_reason: Union[StopReasonType, str]


class LettaUsageStatistics(LettaModel):
    message_type: Literal["usage_statistics"] = "usage_statistics"
    completion_tokens: int = 0
    prompt_tokens: int = 0
    total_tokens: int = 0
    step_count: int = 0
    run_ids: Optional[List[str]] = None
    cached_input_tokens: Optional[int] = None
    cache_write_tokens: Optional[int] = None
    reasoning_tokens: Optional[int] = None
    context_tokens: Optional[int] = None


class LettaErrorMessage(LettaModel):
    """An error reported inside a stream (sent with ``event: error``)."""

    message_type: Literal["error_message"]
    run_id: str
    error_type: str
    message: str
    detail: Optional[str] = None
    seq_id: Optional[int] = None


class UnknownMessage(LettaModel):
    """A message of a type this SDK does not know yet. Every field the server sent is kept:
    read ``message_type`` and ``model_extra`` (or ``model_dump()``)."""

    if TYPE_CHECKING:
        # For type checkers the type is an impossible literal, so that comparing ``message_type``
        # with a known value narrows a union to the known member. At run time it is the real string.
        message_type: Literal["__unknown__"]
    else:
        message_type: str

    id: Optional[str] = None


_Message = Union[
    SystemMessage,
    UserMessage,
    AssistantMessage,
    ReasoningMessage,
    HiddenReasoningMessage,
    ToolCallMessage,
    ToolReturnMessage,
    ApprovalRequestMessage,
    ApprovalResponseMessage,
    SummaryMessage,
    EventMessage,
]
# The one list of the message types; every table below is derived from it (and ``MessageType``
# is checked against it by a test).

_StreamControl = Union[LettaPing, LettaStopReason, LettaUsageStatistics, LettaErrorMessage]
"""The stream's control events, which are not messages."""


def _message_type(model: Type[LettaModel]) -> str:
    """The ``message_type`` value a model is tagged with (its field's ``Literal``)."""
    annotation = model.model_fields["message_type"].annotation
    return cast(str, get_args(annotation)[0])


MESSAGE_MODELS: Mapping[str, Type[LettaModel]] = {_message_type(model): model for model in get_args(_Message)}
"""Each message type by its ``message_type``: what a response or the history holds."""

EVENT_MODELS: Mapping[str, Type[LettaModel]] = {
    **MESSAGE_MODELS,
    **{_message_type(model): model for model in get_args(_StreamControl)},
}
"""Each stream event type by its ``message_type``: the messages and the control events."""


def _tagged_union(models: Mapping[str, Type[LettaModel]]) -> Any:
    """The union of ``models`` and ``UnknownMessage``.

    The known types come first, as a union pydantic-core dispatches on the ``message_type`` key
    while it parses, with no Python per message. Only a message that fails there is tried as an
    ``UnknownMessage``, which accepts it only if its type is not one of ``models``: so a known
    type with invalid fields still fails, naming its fields."""
    names = frozenset(models)

    def not_a_known_type(message: UnknownMessage) -> UnknownMessage:
        if message.message_type in names:
            raise ValueError(f"this {message.message_type!r} message does not match its model")
        return message

    known: Any = Annotated[Union[tuple(models.values())], Field(discriminator="message_type")]
    unknown = Annotated[UnknownMessage, AfterValidator(not_a_known_type)]
    return Annotated[Union[known, unknown], Field(union_mode="left_to_right")]


if TYPE_CHECKING:
    LettaMessageUnion = Union[_Message, UnknownMessage]
    LettaStreamingResponse = Union[_Message, _StreamControl, UnknownMessage]
else:
    LettaMessageUnion = _tagged_union(MESSAGE_MODELS)
    LettaStreamingResponse = _tagged_union(EVENT_MODELS)
# ``LettaMessageUnion``: a message in ``LettaResponse.messages`` or in the history.
# ``LettaStreamingResponse``: any event of a stream. It includes ``summary_message`` and
# ``event_message``, which the server emits though the official union leaves them out.
