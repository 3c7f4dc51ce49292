"""Message content in the GenAI conventions' JSON shape, for ``gen_ai.input.messages`` /
``gen_ai.output.messages`` and the tool-call attributes. Only used when content capture is on."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional, Sequence, cast

from ..types.messages import (
    ApprovalRequestMessage,
    AssistantMessage,
    ReasoningMessage,
    ToolCallMessage,
    ToolReturnMessage,
)

__all__ = ["as_json", "input_messages", "output_messages"]

Part = Dict[str, Any]


def as_json(value: object) -> str:
    """``value`` as compact JSON; what JSON cannot carry as its ``str``."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def _parts(content: object) -> List[Part]:
    if isinstance(content, str):
        return [{"type": "text", "content": content}]
    parts: List[Part] = []
    for item in cast(Sequence[Any], content or []):
        if isinstance(item, Mapping):
            fields = cast(Mapping[str, Any], item)
            if fields.get("type") == "text":
                parts.append({"type": "text", "content": fields.get("text", "")})
            else:
                parts.append({"type": str(fields.get("type", "unknown"))})
        else:
            parts.append({"type": "text", "content": str(getattr(item, "text", item))})
    return parts


def _input_message(message: Mapping[str, Any]) -> Dict[str, Any]:
    kind = message.get("type")
    if kind in ("approval", "tool_return"):
        items: object = message.get("approvals") or message.get("tool_returns") or []
        parts: List[Part] = []
        for item in cast(Sequence[Mapping[str, Any]], items):
            response = item.get("tool_return") if item.get("type") == "tool" else {"approve": item.get("approve")}
            parts.append({"type": "tool_call_response", "id": item.get("tool_call_id"), "response": response})
        return {"role": "tool", "parts": parts}
    return {"role": str(message.get("role") or "user"), "parts": _parts(message.get("content"))}


def input_messages(params: Mapping[str, Any]) -> Optional[str]:
    """The request's ``input`` or ``messages`` as GenAI input messages (JSON), or ``None``."""
    if isinstance(params.get("input"), (str, list)):
        return as_json([{"role": "user", "parts": _parts(params["input"])}])
    messages = params.get("messages")
    if isinstance(messages, (list, tuple)):
        return as_json([_input_message(cast(Mapping[str, Any], m)) for m in cast(Sequence[Any], messages)])
    return None


def output_messages(messages: Sequence[object], finish_reason: Optional[str]) -> str:
    """What the agent answered, as one GenAI output message (JSON): text, reasoning, tool calls
    and the returns of the tools the server ran."""
    parts: List[Part] = []
    for message in messages:
        if isinstance(message, AssistantMessage):
            parts.append({"type": "text", "content": message.text})
        elif isinstance(message, ReasoningMessage):
            parts.append({"type": "reasoning", "content": message.reasoning})
        elif isinstance(message, (ToolCallMessage, ApprovalRequestMessage)):
            for call in message.calls:
                parts.append(
                    {"type": "tool_call", "id": call.tool_call_id, "name": call.name, "arguments": call.arguments}
                )
        elif isinstance(message, ToolReturnMessage):
            parts.append({"type": "tool_call_response", "id": message.tool_call_id, "response": message.tool_return})
    return as_json([{"role": "assistant", "parts": parts, "finish_reason": finish_reason or ""}])
