"""A Letta run as AI SDK UI message parts (the chunk objects of ``ai``'s ``uiMessageChunkSchema``),
without I/O and without framing: one state machine that both the stream encoder and the
transcript restore drive, so a reloaded page shows what the stream showed.

What maps to what:

* the run → ``start`` (``messageId``: the run id, or the id of the assistant message an approval's
  answer continues; ``messageMetadata.runId``) and, at the end, ``finish`` (or ``abort``) with
  ``messageMetadata`` holding the run id, the stop reason and the usage;
* a Letta step (``step_id``) → ``start-step`` … ``finish-step``;
* assistant text → ``text-start/-delta/-end``, reasoning → ``reasoning-*`` (hidden reasoning: an
  empty reasoning part whose ``providerMetadata.letta.hiddenReasoning`` says why), one block per
  Letta message part (its ``otid``; token chunks share it);
* tool calls (``tool_call_message``) → ``tool-input-start/-delta/-available``; an
  ``approval_request_message`` the same, plus ``tool-approval-request``;
* tool returns → ``tool-output-available`` (``status: success``) or ``tool-output-error``; the
  answers to an approval request (a client tool's result, a denial) → the same outputs or
  ``tool-output-denied``, at the start of the run that answers them;
* an error event → ``error`` with the server's one-line ``message`` (never its ``detail``);
* any other message type (a newer server's, or one the browser has no part for) → a
  ``data-letta-<type>`` part carrying the event's JSON, so nothing is dropped; except a system
  message (the agent's instructions), which never reaches the browser.
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Union, cast

from ..types.messages import (
    ApprovalRequestMessage,
    ApprovalResponseMessage,
    ApprovalReturn,
    AssistantMessage,
    HiddenReasoningMessage,
    LettaErrorMessage,
    LettaPing,
    LettaStopReason,
    LettaStreamingResponse,
    LettaUsageStatistics,
    ReasoningMessage,
    SystemMessage,
    ToolCallMessage,
    ToolReturn,
    ToolReturnMessage,
)
from ._framer import Problem

__all__ = ["Answer", "Part", "UIParts", "answers_of", "approval_id", "tool_error_text", "tool_output"]

Part = Dict[str, Any]
"""One UI message chunk, as the JSON object sent on a ``data:`` line."""

Answer = Union[ApprovalReturn, ToolReturn]

_FINISH_REASONS: Mapping[str, str] = {
    "end_turn": "stop",
    "tool_rule": "stop",
    "requires_approval": "tool-calls",
    "max_tokens_exceeded": "length",
    "max_steps": "other",
    "no_tool_call": "other",
    "error": "error",
    "llm_api_error": "error",
    "invalid_llm_response": "error",
    "invalid_tool_call": "error",
    "insufficient_credits": "error",
    "context_window_overflow_in_system_prompt": "error",
}
_MAX_ERROR_TEXT = 500
_UNSAFE_TYPE_CHARS = re.compile(r"[^A-Za-z0-9_-]")


def approval_id(tool_call_id: str) -> str:
    """The ``approvalId`` of the tool call an approval request asks about."""
    return f"approval-{tool_call_id}"


def answers_of(items: Sequence[object]) -> List[Answer]:
    """The answers in a Letta approval message (``approvals``), typed; anything else is left out."""
    out: List[Answer] = []
    for item in items:
        if isinstance(item, (ApprovalReturn, ToolReturn)):
            out.append(item)
        elif isinstance(item, Mapping):
            fields: Mapping[str, Any] = item  # pyright: ignore[reportUnknownVariableType]
            model = ApprovalReturn if fields.get("type") == "approval" else ToolReturn
            try:
                out.append(model.model_validate(dict(fields)))
            except ValueError:
                continue
    return out


def tool_output(item: ToolReturn) -> Any:
    """A successful tool return as the part's ``output``: its text (or its content parts' JSON)."""
    return _jsonable(item.tool_return)


def tool_error_text(item: ToolReturn) -> str:
    """A failed tool return as the part's ``errorText``."""
    value = item.tool_return
    return value if isinstance(value, str) else json.dumps(_jsonable(value), separators=(",", ":"))


def _jsonable(value: object) -> Any:
    if isinstance(value, list):
        return [_jsonable(item) for item in cast(List[object], value)]
    dump = getattr(value, "to_dict", None)
    return dump(mode="json") if callable(dump) else value


def _input(arguments: str) -> Any:
    """A tool call's arguments as the tool's input: the JSON value, or the text when it is not JSON."""
    if not arguments.strip():
        return {}
    try:
        return json.loads(arguments)
    except ValueError:
        return arguments


def _error_text(event: LettaErrorMessage) -> str:
    text = " ".join(event.message.split())[:_MAX_ERROR_TEXT]
    return text or f"The agent run failed ({event.error_type})."


def _usage(event: LettaUsageStatistics) -> Dict[str, int]:
    usage = {
        "inputTokens": event.prompt_tokens,
        "outputTokens": event.completion_tokens,
        "totalTokens": event.total_tokens,
        "stepCount": event.step_count,
    }
    for key, value in (
        ("cachedInputTokens", event.cached_input_tokens),
        ("reasoningTokens", event.reasoning_tokens),
    ):
        if value is not None:
            usage[key] = value
    return usage


class _Call:
    __slots__ = ("arguments", "name", "started", "tool_call_id")

    def __init__(self, tool_call_id: str) -> None:
        self.tool_call_id = tool_call_id
        self.name: Optional[str] = None
        self.arguments = ""
        self.started = False


class _Block:
    """What is open: a text or reasoning part, or the tool calls of one message."""

    __slots__ = ("calls", "key", "kind")

    def __init__(self, kind: str, key: str) -> None:
        self.kind = kind  # "text" | "reasoning" | "tools" | "approval"
        self.key = key
        self.calls: Dict[str, _Call] = {}


class UIParts:
    """The parts of one run, event by event. ``message_id`` and ``answers`` make it the
    continuation of an earlier assistant message: the run that an approval's answer started."""

    def __init__(self, *, message_id: Optional[str] = None, answers: Sequence[object] = ()) -> None:
        self._message_id = message_id
        self._answers = answers_of(answers)
        self.continuation = message_id is not None or bool(self._answers)
        self.run_id: Optional[str] = None
        self._started = False
        self._ended = False
        self._out: List[Part] = []
        self._step: Optional[str] = None
        self._step_open = False
        self._block: Optional[_Block] = None
        self._tools: Set[str] = set()
        """Tool calls this run made a part for."""
        self._answered: Set[str] = {answer.tool_call_id for answer in self._answers}
        """Tool calls whose answer came with the request (their returns are not new)."""
        self._settled: Set[str] = set()
        self._answers_shown = False
        self._stop_reason: Optional[str] = None
        self._usage: Optional[Dict[str, int]] = None
        self._errored = False

    # -- events ------------------------------------------------------------------------

    def event(self, event: LettaStreamingResponse) -> List[Part]:
        out = self._out = []
        if self._ended or isinstance(event, LettaPing):
            return out
        if isinstance(event, LettaStopReason):  # no part of its own: ``start`` waits for a run id
            self._close_block()
            self._stop_reason = str(event.stop_reason)
        elif isinstance(event, LettaUsageStatistics):
            self._usage = _usage(event)
        elif isinstance(event, LettaErrorMessage):
            self._begin(event.run_id)
            self._close_block()
            self._error(_error_text(event))
        else:
            self._message(event)
        return out

    def end(self, problem: Optional[Problem]) -> List[Part]:
        out = self._out = []
        if self._ended:
            return out
        self._begin(None)
        self._ended = True
        self._close_block()
        cancelled = problem.kind == "cancelled" if problem is not None else self._stop_reason == "cancelled"
        if self._step_open:
            out.append({"type": "finish-step"})
            self._step_open = False
        if problem is not None and problem.kind != "cancelled":
            self._error(problem.text)
        metadata = self._metadata()
        if cancelled:
            out.append({"type": "message-metadata", "messageMetadata": metadata})
            out.append({"type": "abort", "reason": problem.text if problem is not None else "cancelled"})
        else:
            out.append({"type": "finish", "finishReason": self._finish_reason(problem), "messageMetadata": metadata})
        return out

    # -- what an event becomes -----------------------------------------------------------

    def _begin(self, run_id: Optional[str]) -> None:
        if self.run_id is None and isinstance(run_id, str):
            self.run_id = run_id
        if self._started:
            return
        self._started = True
        start: Part = {"type": "start"}
        message_id = self._message_id or self.run_id
        if message_id is not None:
            start["messageId"] = message_id
        if self.run_id is not None:
            start["messageMetadata"] = {"runId": self.run_id}
        self._out.append(start)

    def _message(self, event: LettaStreamingResponse) -> None:
        self._begin(getattr(event, "run_id", None))
        if isinstance(event, SystemMessage):  # the agent's instructions are not the browser's to read
            return
        if not self._answers_shown:
            # once the server took the answers (a run it refused shows none of them)
            self._answers_shown = True
            self._settle(self._answers)
        if isinstance(event, ApprovalResponseMessage):
            answers = answers_of(list(event.approvals or []))
            self._answered.update(answer.tool_call_id for answer in answers)
            self._settle(answers)
            return
        if isinstance(event, ToolReturnMessage):
            self._returns(event)
            return
        self._enter_step(getattr(event, "step_id", None))
        key = str(getattr(event, "otid", None) or getattr(event, "id", None) or "")
        if isinstance(event, AssistantMessage):
            self._text("text", key, event.text)
        elif isinstance(event, ReasoningMessage):
            self._text("reasoning", key, event.reasoning)
        elif isinstance(event, HiddenReasoningMessage):
            self._text("reasoning", key, "", {"letta": {"hiddenReasoning": str(event.state)}})
        elif isinstance(event, (ToolCallMessage, ApprovalRequestMessage)):
            self._calls(event, key)
        else:
            self._data(event, key)

    def _enter_step(self, step_id: object) -> None:
        if not isinstance(step_id, str) or step_id == self._step:
            return
        self._close_block()
        if self._step_open:
            self._out.append({"type": "finish-step"})
        self._out.append({"type": "start-step"})
        self._step = step_id
        self._step_open = True

    def _text(self, kind: str, key: str, delta: str, metadata: Optional[Dict[str, Any]] = None) -> None:
        block = self._block
        if block is None or block.kind != kind or block.key != key:
            self._close_block()
            start: Part = {"type": f"{kind}-start", "id": key}
            if metadata is not None:
                start["providerMetadata"] = metadata
            self._out.append(start)
            self._block = _Block(kind, key)
        if delta:
            self._out.append({"type": f"{kind}-delta", "id": key, "delta": delta})

    def _calls(self, event: Union[ToolCallMessage, ApprovalRequestMessage], key: str) -> None:
        kind = "approval" if isinstance(event, ApprovalRequestMessage) else "tools"
        block = self._block
        if block is None or block.kind != kind or block.key != key:
            self._close_block()
            block = self._block = _Block(kind, key)
        for delta in event.calls:
            call_id = delta.tool_call_id or next(reversed(block.calls), None) or f"{key}.{len(block.calls)}"
            call = block.calls.get(call_id)
            if call is None:
                call = block.calls[call_id] = _Call(call_id)
            if delta.name and call.name is None:
                call.name = delta.name
            fragment = delta.arguments or ""
            call.arguments += fragment
            if not call.started and call.name is not None:
                self._out.append({"type": "tool-input-start", "toolCallId": call_id, "toolName": call.name})
                call.started = True
                fragment = call.arguments
            if call.started and fragment:
                self._out.append({"type": "tool-input-delta", "toolCallId": call_id, "inputTextDelta": fragment})

    def _close_block(self) -> None:
        block, self._block = self._block, None
        if block is None:
            return
        if block.kind in ("text", "reasoning"):
            self._out.append({"type": f"{block.kind}-end", "id": block.key})
            return
        for call in block.calls.values():
            name = call.name or "tool"
            if not call.started:
                self._out.append({"type": "tool-input-start", "toolCallId": call.tool_call_id, "toolName": name})
            self._out.append(
                {
                    "type": "tool-input-available",
                    "toolCallId": call.tool_call_id,
                    "toolName": name,
                    "input": _input(call.arguments),
                }
            )
            self._tools.add(call.tool_call_id)
            if block.kind == "approval":
                self._out.append(
                    {
                        "type": "tool-approval-request",
                        "approvalId": approval_id(call.tool_call_id),
                        "toolCallId": call.tool_call_id,
                    }
                )

    def _returns(self, event: ToolReturnMessage) -> None:
        new = [item for item in event.returns if item.tool_call_id not in self._answered]
        for item in event.returns:
            if item.tool_call_id in self._answered and item.tool_call_id not in self._settled:
                self._output(item, getattr(event, "name", None))
        if not new:
            return
        self._enter_step(event.step_id)
        self._close_block()
        for item in new:
            self._output(item, getattr(event, "name", None))

    def _settle(self, answers: Sequence[Answer]) -> None:
        """The outputs an approval's answers give: a client tool's result, or a denial. An approved
        call's output comes with the tool return the server streams once it ran."""
        for answer in answers:
            if answer.tool_call_id in self._settled:
                continue
            if isinstance(answer, ToolReturn):
                self._output(answer, None)
            elif not answer.approve:
                self._settled.add(answer.tool_call_id)
                self._out.append({"type": "tool-output-denied", "toolCallId": answer.tool_call_id})

    def _output(self, item: ToolReturn, name: Optional[str]) -> None:
        call_id = item.tool_call_id
        self._settled.add(call_id)
        if call_id not in self._tools and not self.continuation:
            # the call was not part of this stream (a history that starts mid-turn): give the
            # browser a part to put the output on
            tool = name or "tool"
            self._out.append({"type": "tool-input-start", "toolCallId": call_id, "toolName": tool})
            self._out.append({"type": "tool-input-available", "toolCallId": call_id, "toolName": tool, "input": None})
            self._tools.add(call_id)
        if item.status == "success":
            self._out.append({"type": "tool-output-available", "toolCallId": call_id, "output": tool_output(item)})
        else:
            self._out.append({"type": "tool-output-error", "toolCallId": call_id, "errorText": tool_error_text(item)})

    def _data(self, event: LettaStreamingResponse, key: str) -> None:
        self._close_block()
        message_type = str(getattr(event, "message_type", "unknown"))
        data = event.to_dict(mode="json")
        data.pop("seq_id", None)
        part: Part = {"type": f"data-letta-{_UNSAFE_TYPE_CHARS.sub('_', message_type)}", "data": data}
        if key:
            part["id"] = key
        self._out.append(part)

    def _error(self, text: str) -> None:
        if not self._errored:
            self._errored = True
            self._out.append({"type": "error", "errorText": text})

    def _metadata(self) -> Dict[str, Any]:
        metadata: Dict[str, Any] = {}
        if self.run_id is not None:
            metadata["runId"] = self.run_id
        if self._stop_reason is not None:
            metadata["stopReason"] = self._stop_reason
        if self._usage is not None:
            metadata["usage"] = self._usage
        return metadata

    def _finish_reason(self, problem: Optional[Problem]) -> str:
        if problem is not None:
            return "interrupted" if problem.kind == "interrupted" else "error"
        if self._errored:
            return "error"
        if self._stop_reason is None:
            return "other"
        return _FINISH_REASONS.get(self._stop_reason, "other")
