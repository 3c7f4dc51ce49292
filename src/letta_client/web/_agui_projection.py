"""Letta messages as AG-UI 1.0 events, and those events folded into AG-UI messages: the one
mapping behind both the live stream (``AGUIEncoder``) and the transcript (``agui_messages``).

Ids are derived, never random, so a replayed run and the history give the same ones:

* an LLM step's text is one assistant message, ``"<step_id>:assistant"``; its tool calls hang on
  it (``parentMessageId``) under their own ``tool_call_id``; its reasoning is one reasoning
  message, ``"<step_id>:reasoning"``. Keyed by the step, not by the Letta message id: when a
  step stops for an approval the server streams the reasoning under the LLM call's id but stores
  it under the approval request's id (one less), and both carry the step id. A message without
  a step id falls back to its own id;
* a tool's result is the tool message ``"<tool_call_id>:result"`` (a call has one result, and
  the id is known before the server sends it: see ``answered``);
* a user message keeps its Letta id.

The fold (``MessageFold``) applies the events as ``@ag-ui/client``'s ``defaultApplyEvents``
does (a tool result goes right after the assistant message that made the call, after its other
results), so the history reads exactly as a browser that watched the turn assembled it; the
conformance tests hold the two against the real client.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Set, Tuple, Union

from ..types.content import ImageContent, MessageContent, TextContent
from ..types.messages import (
    ApprovalRequestMessage,
    AssistantMessage,
    LettaStreamingResponse,
    ReasoningMessage,
    ToolCall,
    ToolCallDelta,
    ToolCallMessage,
    ToolReturnMessage,
    UserMessage,
)

__all__ = ["AGUIEvent", "MessageFold", "Projection", "content_value", "denial_text"]

AGUIEvent = Dict[str, Any]
"""One AG-UI event as its JSON object."""

_CONTROL = frozenset({"ping", "stop_reason", "usage_statistics", "error_message"})
_NEVER_SHOWN = frozenset({"system_message"})
"""Never sent to a browser, not even as a ``CUSTOM`` event: the agent's instructions."""


def denial_text(reason: Optional[str]) -> str:
    """What Letta 0.16.8 stores as the result of a denied tool call (its own wording)."""
    return f"Error: request to call tool denied. User reason: {reason}"


def content_value(content: Union[str, Sequence[Any]]) -> Union[str, List[Dict[str, Any]]]:
    """Letta message content as AG-UI content: the string, or text and image parts."""
    if isinstance(content, str):
        return content
    parts: List[Dict[str, Any]] = []
    for part in content:
        if isinstance(part, TextContent):
            parts.append({"type": "text", "text": part.text})
        elif isinstance(part, ImageContent):
            source = part.source
            if source.type == "url":
                parts.append({"type": "image", "source": {"type": "url", "value": source.url}})
            elif source.type == "base64":
                data = {"type": "data", "value": source.data, "mimeType": source.media_type}
                parts.append({"type": "image", "source": data})
    if all(part["type"] == "text" for part in parts):
        return "".join(str(part["text"]) for part in parts)
    return parts


def _text_of(content: Union[str, Sequence[MessageContent]]) -> str:
    value = content_value(content)
    if isinstance(value, str):
        return value
    return "".join(str(part.get("text", "")) for part in value)


def _json_of(message: Any) -> Dict[str, Any]:
    dumped: Dict[str, Any] = message.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return dumped


class Projection:
    """Letta messages in, AG-UI events out (``drain()``), for one run or one history.

    Only the open parts are remembered: the step, the open text, reasoning or tool-call block,
    which tool calls were made and answered, and the approval requests still waiting."""

    def __init__(self) -> None:
        self._out: List[AGUIEvent] = []
        self._step: Optional[str] = None
        self._block: Optional[Tuple[str, str]] = None
        self._open_calls: List[str] = []
        self._last_call: Optional[str] = None
        self._started_calls: Set[str] = set()
        self._answered_calls: Set[str] = set()
        self._approvals: Dict[str, str] = {}
        self._expected: Dict[str, Tuple[Union[str, List[Dict[str, Any]]], str]] = {}

    # -- the stream -------------------------------------------------------------------------

    def drain(self) -> List[AGUIEvent]:
        out, self._out = self._out, []
        return out

    def answered(self, results: Mapping[str, Tuple[Union[str, List[Dict[str, Any]]], str]]) -> None:
        """Results the client sent for this run (``tool_call_id → (content, status)``). Letta
        0.16.8 streams them only in step mode; they are shown before the run's first other
        message unless the stream carried them by then."""
        self._expected.update(results)

    def message(self, message: LettaStreamingResponse) -> None:
        """One event of the run (control events are the caller's)."""
        kind = message.message_type
        if kind in _CONTROL or kind in _NEVER_SHOWN:
            return
        if isinstance(message, ToolReturnMessage):
            self._enter_step(message.step_id)
            self._close_block()
            for item in message.returns:
                self._result(item.tool_call_id, content_value(item.tool_return), str(item.status))
            return
        self.flush_answered()
        if isinstance(message, (AssistantMessage, ReasoningMessage)):
            self._enter_step(message.step_id)
            key = message.step_id or message.id
            if isinstance(message, AssistantMessage):
                self._text("text", f"{key}:assistant", message.text)
            else:
                self._text("reasoning", f"{key}:reasoning", message.reasoning)
        elif isinstance(message, (ToolCallMessage, ApprovalRequestMessage)):
            self._enter_step(message.step_id)
            key = message.step_id or message.id
            self._calls(f"{key}:assistant", message.calls, isinstance(message, ApprovalRequestMessage))
        elif isinstance(message, UserMessage):
            self._close_block()
            self._text("user", message.id, _text_of(message.content))
            self._close_block()
        else:
            self._close_block()
            self._emit({"type": "CUSTOM", "name": f"letta.{kind}", "value": _json_of(message)})

    def flush_answered(self) -> None:
        """Show the results the client sent that the stream has not carried."""
        pending = [(call, result) for call, result in self._expected.items() if call not in self._answered_calls]
        self._expected.clear()
        if pending:
            self._close_block()
        for call, (content, status) in pending:
            self._result(call, content, status)

    def close(self) -> None:
        """Close whatever is open (text, reasoning, tool calls, the step)."""
        self._close_block()
        if self._step is not None:
            self._emit({"type": "STEP_FINISHED", "stepName": self._step})
            self._step = None

    def waiting(self) -> List[Tuple[str, str]]:
        """The approval requests (``(tool_call_id, tool name)``) that got no result."""
        return [(call, name) for call, name in self._approvals.items() if call not in self._answered_calls]

    # -- building blocks ----------------------------------------------------------------------

    def _emit(self, event: AGUIEvent) -> None:
        self._out.append(event)

    def _enter_step(self, step_id: Optional[str]) -> None:
        if step_id is None or step_id == self._step:
            return
        self.close()
        self._step = step_id
        self._emit({"type": "STEP_STARTED", "stepName": step_id})

    def _close_block(self) -> None:
        block, self._block = self._block, None
        if block is None:
            return
        kind, message_id = block
        if kind == "reasoning":
            self._emit({"type": "REASONING_MESSAGE_END", "messageId": message_id})
            self._emit({"type": "REASONING_END", "messageId": message_id})
        elif kind == "tools":
            for call in self._open_calls:
                self._emit({"type": "TOOL_CALL_END", "toolCallId": call})
            self._open_calls = []
        else:
            self._emit({"type": "TEXT_MESSAGE_END", "messageId": message_id})

    def _text(self, kind: str, message_id: str, delta: str) -> None:
        if self._block != (kind, message_id):
            self._close_block()
            self._block = (kind, message_id)
            if kind == "reasoning":
                self._emit({"type": "REASONING_START", "messageId": message_id})
                self._emit({"type": "REASONING_MESSAGE_START", "messageId": message_id, "role": "reasoning"})
            else:
                role = "user" if kind == "user" else "assistant"
                self._emit({"type": "TEXT_MESSAGE_START", "messageId": message_id, "role": role})
        if delta:
            content = "REASONING_MESSAGE_CONTENT" if kind == "reasoning" else "TEXT_MESSAGE_CONTENT"
            self._emit({"type": content, "messageId": message_id, "delta": delta})

    def _calls(self, parent: str, calls: Sequence[Union[ToolCall, ToolCallDelta]], approval: bool) -> None:
        if self._block != ("tools", parent):
            self._close_block()
            self._block = ("tools", parent)
            self._last_call = None
        for call in calls:
            call_id = call.tool_call_id or self._last_call
            if call_id is None:
                continue
            if call_id not in self._open_calls:
                if call_id in self._started_calls:
                    continue  # already made and closed: a repeat, not more of it
                name = call.name or ""
                self._started_calls.add(call_id)
                self._open_calls.append(call_id)
                self._emit(
                    {"type": "TOOL_CALL_START", "toolCallId": call_id, "toolCallName": name, "parentMessageId": parent}
                )
                if approval:
                    self._approvals[call_id] = name
            if call.arguments:
                self._emit({"type": "TOOL_CALL_ARGS", "toolCallId": call_id, "delta": call.arguments})
            self._last_call = call_id

    def _result(self, call_id: str, content: Union[str, List[Dict[str, Any]]], status: str) -> None:
        if call_id in self._answered_calls:
            return
        self._answered_calls.add(call_id)
        self._emit(
            {
                "type": "TOOL_CALL_RESULT",
                "messageId": f"{call_id}:result",
                "toolCallId": call_id,
                "content": content,
                "metadata": {"letta": {"status": status}},
            }
        )


class MessageFold:
    """AG-UI events folded into AG-UI messages, as ``@ag-ui/client`` applies them."""

    def __init__(self) -> None:
        self.messages: List[Dict[str, Any]] = []

    def add(self, message: Dict[str, Any]) -> None:
        self.messages.append(message)

    def apply(self, events: Sequence[AGUIEvent]) -> None:
        for event in events:
            kind = event["type"]
            if kind in ("TEXT_MESSAGE_START", "REASONING_MESSAGE_START"):
                if self._find(event["messageId"]) is None:
                    self.messages.append({"id": event["messageId"], "role": event["role"], "content": ""})
            elif kind in ("TEXT_MESSAGE_CONTENT", "REASONING_MESSAGE_CONTENT"):
                found = self._find(event["messageId"])
                if found is not None:
                    found["content"] = str(found.get("content", "")) + event["delta"]
            elif kind == "TOOL_CALL_START":
                self._start_call(event)
            elif kind == "TOOL_CALL_ARGS":
                call = self._call(event["toolCallId"])
                if call is not None:
                    call["function"]["arguments"] += event["delta"]
            elif kind == "TOOL_CALL_RESULT":
                self._result(event)

    def _find(self, message_id: str) -> Optional[Dict[str, Any]]:
        return next((m for m in self.messages if m["id"] == message_id), None)

    def _calls_of(self) -> Iterator[Tuple[Dict[str, Any], Dict[str, Any]]]:
        for message in self.messages:
            for call in message.get("toolCalls") or ():
                yield message, call

    def _call(self, call_id: str) -> Optional[Dict[str, Any]]:
        return next((call for _, call in self._calls_of() if call["id"] == call_id), None)

    def _start_call(self, event: AGUIEvent) -> None:
        existing = self._call(event["toolCallId"])
        if existing is not None:
            existing["function"]["name"] = event["toolCallName"]
            return
        parent = event.get("parentMessageId")
        found = self._find(parent) if parent else None
        target: Dict[str, Any]
        if found is not None and found["role"] == "assistant":
            target = found
        else:
            target = {"id": event["toolCallId"] if found is not None or not parent else parent, "role": "assistant"}
            self.messages.append(target)
        calls: List[Dict[str, Any]] = target.setdefault("toolCalls", [])
        name = event["toolCallName"]
        calls.append({"id": event["toolCallId"], "type": "function", "function": {"name": name, "arguments": ""}})

    def _result(self, event: AGUIEvent) -> None:
        message: Dict[str, Any] = {
            "id": event["messageId"],
            "toolCallId": event["toolCallId"],
            "role": "tool",
            "content": event["content"],
        }
        if "metadata" in event:
            message["metadata"] = json.loads(json.dumps(event["metadata"]))
        owner = next(
            (
                index
                for index, m in enumerate(self.messages)
                if m["role"] == "assistant" and any(c["id"] == event["toolCallId"] for c in m.get("toolCalls") or ())
            ),
            None,
        )
        if owner is None:
            self.messages.append(message)
            return
        at = owner + 1
        while at < len(self.messages) and self.messages[at]["role"] == "tool":
            at += 1
        self.messages.insert(at, message)
