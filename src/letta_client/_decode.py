"""Decodes one JSON payload into the member of ``LettaStreamingResponse`` it names.

The fast path reads ``message_type`` straight from the JSON text and validates the text with
that model's compiled validator (no intermediate ``dict``). Anything unusual (spaced JSON, a
nested ``message_type`` first, a type this SDK does not know) takes the slow path: parse the
JSON, then dispatch on the top-level key.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Type, cast

from pydantic import BaseModel, ValidationError

from ._exceptions import APIResponseValidationError
from .types.messages import (
    ApprovalRequestMessage,
    ApprovalResponseMessage,
    AssistantMessage,
    EventMessage,
    HiddenReasoningMessage,
    LettaErrorMessage,
    LettaPing,
    LettaStopReason,
    LettaStreamingResponse,
    LettaUsageStatistics,
    ReasoningMessage,
    SummaryMessage,
    SystemMessage,
    ToolCallMessage,
    ToolReturnMessage,
    UnknownMessage,
    UserMessage,
)

__all__ = ["decode_event", "decode_object"]

MODELS: Dict[str, Type[BaseModel]] = {
    "system_message": SystemMessage,
    "user_message": UserMessage,
    "assistant_message": AssistantMessage,
    "reasoning_message": ReasoningMessage,
    "hidden_reasoning_message": HiddenReasoningMessage,
    "tool_call_message": ToolCallMessage,
    "tool_return_message": ToolReturnMessage,
    "approval_request_message": ApprovalRequestMessage,
    "approval_response_message": ApprovalResponseMessage,
    "summary_message": SummaryMessage,
    "event_message": EventMessage,
    "ping": LettaPing,
    "stop_reason": LettaStopReason,
    "usage_statistics": LettaUsageStatistics,
    "error_message": LettaErrorMessage,
}

_KEY = '"message_type":"'
_VALIDATE_JSON = {name: model.__pydantic_validator__.validate_json for name, model in MODELS.items()}


def decode_event(data: str) -> LettaStreamingResponse:
    """Decode a ``data:`` payload. Raises ``APIResponseValidationError`` (with the raw text)
    when it is not JSON, not an object, or not a valid instance of the type it names."""
    start = data.find(_KEY)
    if start != -1:
        start += len(_KEY)
        validate = _VALIDATE_JSON.get(data[start : data.find('"', start)])
        if validate is not None:
            try:
                return cast(LettaStreamingResponse, validate(data))
            except ValidationError:
                pass  # e.g. a nested message_type came first; the slow path decides
    try:
        payload = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise APIResponseValidationError(f"Stream event is not valid JSON: {error}", raw=data) from None
    if not isinstance(payload, dict):
        raise APIResponseValidationError("Stream event is not a JSON object", raw=data)
    return decode_object(cast(Dict[str, Any], payload), data)


def decode_object(payload: Dict[str, Any], raw: str) -> LettaStreamingResponse:
    kind = payload.get("message_type")
    model = MODELS.get(kind) if isinstance(kind, str) else None
    try:
        if model is None:
            return UnknownMessage.model_validate(payload)
        return cast(LettaStreamingResponse, model.model_validate(payload))
    except (ValidationError, RecursionError) as error:
        raise APIResponseValidationError(f"Stream event does not match its type {kind!r}: {error}", raw=raw) from None
