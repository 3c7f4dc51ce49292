"""``useChat``'s POST body (``{id, messages, trigger, messageId}``) as what one turn sends to Letta.

Only the last message counts: the rest of ``messages`` is the browser's copy of the history,
which Letta already holds, so it is never replayed (a body with more than ``max_messages`` is
refused before anything is read). The last message is either

* a user message: its text parts, joined by a line break, become one Letta user message; or
* the assistant message whose last step the browser answered: approval responses
  (``state: "approval-responded"``) and client tools' outputs (``"output-available"`` /
  ``"output-error"``) become one Letta approval message.

Every shape this does not expect is a ``BadRequest`` with a one-line reason; nothing else is
raised, whatever the JSON.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Dict, List, Mapping, Optional, Sequence

from ._inbound import BadRequest, Outgoing, check_id

__all__ = ["parse_chat_request", "turn_key_message_id"]

_MAX_KEY = 200
_APPROVAL_KEY = ":approval:"


def _object(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise BadRequest(400, f"{what} must be a JSON object")
    return value  # pyright: ignore[reportUnknownVariableType]


def _list(value: object, what: str) -> Sequence[Any]:
    if not isinstance(value, list):
        raise BadRequest(400, f"{what} must be a JSON array")
    return value  # pyright: ignore[reportUnknownVariableType]


def _message_id(value: object) -> str:
    if not isinstance(value, str) or not value or len(value) > _MAX_KEY or not value.isprintable():
        raise BadRequest(400, f"a message id must be a printable string of 1 to {_MAX_KEY} characters")
    return value


def parse_chat_request(body: object, *, max_messages: int, max_message_chars: int) -> Outgoing:
    """What ``body`` (the parsed JSON of a ``useChat`` POST) sends to Letta.

    ``Outgoing.key`` is the browser's key of the turn: the user message's id, or, for answers,
    ``"<assistant message id>:approval:<digest of the answers>"`` (the same answers give the same
    key, so a retried POST is the same turn). Raises ``BadRequest`` (400, or 413 for a body over
    the limits) for anything else.
    """
    request = _object(body, "the body")
    trigger = request.get("trigger")
    if trigger == "regenerate-message":
        raise BadRequest(400, "regenerate is not supported by Letta")
    if trigger != "submit-message":
        raise BadRequest(400, 'trigger must be "submit-message"')
    conversation_id = check_id("conversation", request.get("id"))
    if request.get("messageId") is not None and not isinstance(request.get("messageId"), str):
        raise BadRequest(400, "messageId must be a string")
    messages = _list(request.get("messages"), "messages")
    if len(messages) > max_messages:
        raise BadRequest(413, f"too many messages (at most {max_messages})")
    if not messages:
        raise BadRequest(400, "messages must not be empty")
    last = _object(messages[-1], "a message")
    role = last.get("role")
    parts = _list(last.get("parts"), "a message's parts")
    if role == "user":
        return Outgoing(conversation_id, _message_id(last.get("id")), [_user_message(parts, max_message_chars)])
    if role == "assistant":
        assistant_id = check_id("run", last.get("id"))
        approvals = _answers(parts, max_message_chars)
        digest = hashlib.sha256(json.dumps(approvals, sort_keys=True).encode()).hexdigest()[:16]
        key = f"{assistant_id}{_APPROVAL_KEY}{digest}"
        return Outgoing(conversation_id, key, [{"type": "approval", "approvals": approvals}])
    raise BadRequest(400, 'the last message must have role "user" or "assistant"')


def turn_key_message_id(key: str) -> Optional[str]:
    """The assistant message id in the key of an approval's answers (``None`` for a user turn)."""
    message_id, found, _ = key.partition(_APPROVAL_KEY)
    return message_id if found else None


def _user_message(parts: Sequence[Any], max_chars: int) -> Dict[str, Any]:
    texts: List[str] = []
    for item in parts:
        part = _object(item, "a message part")
        kind = part.get("type")
        if kind == "text":
            text = part.get("text")
            if not isinstance(text, str):
                raise BadRequest(400, "a text part needs its text")
            texts.append(text)
        elif kind == "file":
            raise BadRequest(400, "file parts are not supported")
        elif not isinstance(kind, str):
            raise BadRequest(400, "a message part needs a type")
    text = "\n".join(texts)
    if len(text) > max_chars:
        raise BadRequest(413, f"the message is too long (at most {max_chars} characters)")
    if not text.strip():
        raise BadRequest(400, "the message is empty")
    return {"type": "message", "role": "user", "content": text}


def _last_step(parts: Sequence[Any]) -> Sequence[Any]:
    for index in range(len(parts) - 1, -1, -1):
        if isinstance(parts[index], Mapping) and parts[index].get("type") == "step-start":
            return parts[index + 1 :]
    return parts


def _answers(parts: Sequence[Any], max_chars: int) -> List[Dict[str, Any]]:
    """The answers in the assistant message's last step (where a run that waits for them put its
    approval requests)."""
    answers: List[Dict[str, Any]] = []
    for item in _last_step(parts):
        part = _object(item, "a message part")
        kind = part.get("type")
        if not isinstance(kind, str):
            raise BadRequest(400, "a message part needs a type")
        if not (kind.startswith("tool-") or kind == "dynamic-tool"):
            continue
        answer = _answer(part, max_chars)
        if answer is not None:
            answers.append(answer)
    if not answers:
        raise BadRequest(400, "the assistant message answers no tool call")
    return answers


def _answer(part: Mapping[str, Any], max_chars: int) -> Optional[Dict[str, Any]]:
    state = part.get("state")
    if state not in ("approval-responded", "output-available", "output-error"):
        return None
    call_id = part.get("toolCallId")
    if not isinstance(call_id, str) or not call_id or len(call_id) > _MAX_KEY:
        raise BadRequest(400, "a tool part needs its toolCallId")
    if state == "approval-responded":
        approval = _object(part.get("approval"), "a tool part's approval")
        approved = approval.get("approved")
        reason = approval.get("reason")
        if not isinstance(approved, bool):
            raise BadRequest(400, "an approval response needs approved: true or false")
        if reason is not None and not isinstance(reason, str):
            raise BadRequest(400, "an approval's reason must be a string")
        if reason is not None and len(reason) > max_chars:
            raise BadRequest(413, f"the reason is too long (at most {max_chars} characters)")
        return {"type": "approval", "tool_call_id": call_id, "approve": approved, "reason": reason}
    if state == "output-error":
        text = part.get("errorText")
        if not isinstance(text, str):
            raise BadRequest(400, "a tool part in output-error needs its errorText")
        status = "error"
    else:
        output = part.get("output")
        try:
            text = output if isinstance(output, str) else json.dumps(output)
        except (TypeError, ValueError, RecursionError):
            raise BadRequest(400, "a tool output must be JSON") from None
        status = "success"
    if len(text) > max_chars:
        raise BadRequest(413, f"a tool output is too long (at most {max_chars} characters)")
    return {"type": "tool", "tool_call_id": call_id, "tool_return": text, "status": status}
