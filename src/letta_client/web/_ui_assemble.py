"""Parts in, one ``UIMessage`` out: what the AI SDK's own stream reader (``readUIMessageStream`` in
npm ``ai`` 7) makes of the chunks ``_ui_parts`` emits, written again for the transcript restore.

Only the final state matters here (no partial JSON of a streaming tool input), and only the
chunk types ``_ui_parts`` emits. The conformance tests hold this against the real reader.
"""

from __future__ import annotations

import copy
from typing import Any, Dict, List, Optional, cast

from ..types.messages import ApprovalReturn, ToolReturn
from ._ui_parts import Answer, Part, approval_id, tool_error_text, tool_output

__all__ = ["Assembler"]


def _object(value: object) -> Optional[Dict[str, Any]]:
    return cast(Dict[str, Any], value) if isinstance(value, dict) else None


def _merge(base: Optional[Dict[str, Any]], overrides: object) -> Optional[Dict[str, Any]]:
    """The AI SDK's ``mergeObjects``: nested objects merge, anything else replaces."""
    changes = _object(overrides)
    if changes is None:
        return base
    if base is None:
        return copy.deepcopy(changes)
    out = dict(base)
    for key, value in changes.items():
        if value is None:
            continue
        current = _object(out.get(key))
        out[key] = (
            _merge(current, value) if current is not None and _object(value) is not None else copy.deepcopy(value)
        )
    return out


def _is_tool(part: Dict[str, Any]) -> bool:
    kind = str(part.get("type", ""))
    return kind.startswith("tool-") or kind == "dynamic-tool"


class Assembler:
    """One assistant message, built chunk by chunk as the AI SDK's reader builds it."""

    def __init__(self, message_id: str = "") -> None:
        self.id = message_id
        self.metadata: Optional[Dict[str, Any]] = None
        self.parts: List[Dict[str, Any]] = []
        self._text: Dict[str, Dict[str, Any]] = {}
        self._reasoning: Dict[str, Dict[str, Any]] = {}

    def message(self) -> Dict[str, Any]:
        """The message as JSON (``metadata`` only when some part set it)."""
        out: Dict[str, Any] = {"id": self.id, "role": "assistant", "parts": copy.deepcopy(self.parts)}
        if self.metadata is not None:
            out["metadata"] = copy.deepcopy(self.metadata)
        return out

    def apply(self, parts: List[Part]) -> None:
        for part in parts:
            self._apply(part)

    def answer(self, answers: List[Answer]) -> None:
        """What the browser did before it sent these answers (``useChat``'s
        ``addToolApprovalResponse`` and ``addToolOutput``), so the restore shows what it showed."""
        for answer in answers:
            if isinstance(answer, ApprovalReturn):
                self._approval_response(answer)
            else:
                self._client_output(answer)

    def _approval_response(self, answer: ApprovalReturn) -> None:
        wanted = approval_id(answer.tool_call_id)
        for part in self.parts:
            approval = _object(part.get("approval"))
            if _is_tool(part) and part.get("state") == "approval-requested" and approval is not None:
                if approval.get("id") == wanted:
                    part["state"] = "approval-responded"
                    approval = {**approval, "id": wanted, "approved": answer.approve}
                    if answer.reason is not None:
                        approval["reason"] = answer.reason
                    part["approval"] = approval

    def _client_output(self, answer: ToolReturn) -> None:
        for part in self.parts:
            if not _is_tool(part) or part.get("toolCallId") != answer.tool_call_id:
                continue
            approval = _object(part.pop("approval", None))
            if approval is not None and approval.get("approved") is True:
                part["approval"] = approval
            if answer.status == "error":
                part["state"] = "output-error"
                part.pop("output", None)
                part["errorText"] = tool_error_text(answer)
            else:
                part["state"] = "output-available"
                part["output"] = tool_output(answer)
                part.pop("errorText", None)

    def _step_parts(self) -> List[Dict[str, Any]]:
        index = len(self.parts) - 1
        while index >= 0 and self.parts[index].get("type") != "step-start":
            index -= 1
        return self.parts[index + 1 :]

    def _tool(self, call_id: object) -> Optional[Dict[str, Any]]:
        """The tool part of this call: in the current step first, then the latest anywhere."""
        candidates: List[Dict[str, Any]] = [*self._step_parts(), *reversed(self.parts)]
        return next((p for p in candidates if _is_tool(p) and p.get("toolCallId") == call_id), None)

    def _apply(self, chunk: Part) -> None:
        kind = chunk["type"]
        if kind == "start":
            if chunk.get("messageId") is not None:
                self.id = chunk["messageId"]
            self.metadata = _merge(self.metadata, chunk.get("messageMetadata"))
        elif kind in ("finish", "message-metadata"):
            self.metadata = _merge(self.metadata, chunk.get("messageMetadata"))
        elif kind == "start-step":
            self.parts.append({"type": "step-start"})
        elif kind in ("text-start", "reasoning-start"):
            self._open(chunk)
        elif kind in ("text-delta", "reasoning-delta"):
            active = self._text if kind == "text-delta" else self._reasoning
            active[chunk["id"]]["text"] += chunk["delta"]
        elif kind in ("text-end", "reasoning-end"):
            active = self._text if kind == "text-end" else self._reasoning
            active.pop(chunk["id"])["state"] = "done"
        elif kind in ("tool-input-start", "tool-input-available"):
            self._tool_input(chunk)
        elif kind == "tool-approval-request":
            part = self._tool(chunk["toolCallId"])
            if part is not None:
                part["state"] = "approval-requested"
                part["approval"] = {"id": chunk["approvalId"]}
        elif kind.startswith("tool-output-"):
            self._tool_output(chunk)
        elif kind.startswith("data-"):
            self._data(chunk)
        # "tool-input-delta" only changes the input while it streams; "finish-step", "error" and
        # "abort" add no part

    def _open(self, chunk: Part) -> None:
        part: Dict[str, Any] = {"type": "text" if chunk["type"] == "text-start" else "reasoning"}
        if part["type"] == "reasoning":
            part["id"] = chunk["id"]
        part["text"] = ""
        if chunk.get("providerMetadata") is not None:
            part["providerMetadata"] = copy.deepcopy(chunk["providerMetadata"])
        part["state"] = "streaming"
        (self._text if part["type"] == "text" else self._reasoning)[chunk["id"]] = part
        self.parts.append(part)

    def _tool_input(self, chunk: Part) -> None:
        state = "input-streaming" if chunk["type"] == "tool-input-start" else "input-available"
        part = next(
            (p for p in self._step_parts() if _is_tool(p) and p.get("toolCallId") == chunk["toolCallId"]),
            None,
        )
        if part is None:
            part = {"type": f"tool-{chunk['toolName']}", "toolCallId": chunk["toolCallId"]}
            self.parts.append(part)
        part["type"] = f"tool-{chunk['toolName']}"
        part["state"] = state
        part.pop("output", None)
        part.pop("errorText", None)
        if state == "input-available":
            part["input"] = copy.deepcopy(chunk.get("input"))
        else:
            part.pop("input", None)

    def _tool_output(self, chunk: Part) -> None:
        part = self._tool(chunk["toolCallId"])
        if part is None:  # the AI SDK would refuse it; a restore drops it (a history cut mid-turn)
            return
        if chunk["type"] == "tool-output-denied":
            part["state"] = "output-denied"
        elif chunk["type"] == "tool-output-available":
            part["state"] = "output-available"
            part["output"] = copy.deepcopy(chunk.get("output"))
            part.pop("errorText", None)
        else:
            part["state"] = "output-error"
            part["errorText"] = chunk["errorText"]
            part.pop("output", None)

    def _data(self, chunk: Part) -> None:
        if chunk.get("id") is not None:
            for part in self.parts:
                if part.get("type") == chunk["type"] and part.get("id") == chunk["id"]:
                    part["data"] = copy.deepcopy(chunk.get("data"))
                    return
        self.parts.append(copy.deepcopy(chunk))
