"""A browser's AG-UI ``RunAgentInput`` read into what one Letta send needs, or refused.

Only the newest input is sent: the last message when it is the user's, or the client tools'
results at the end of ``messages``, or the answers in ``resume`` (followed by the user's new
message when ``messages`` ends with one: Letta takes an approval and a message in one send).
The rest of ``messages`` is the browser's copy of the history and is never replayed (Letta keeps
the conversation).

An answer to an interrupt (``resume`` entry, ``interruptId`` = the tool call's id)::

    {"status": "resolved"}                                         approve
    {"status": "resolved", "payload": {"approved": true}}          approve (also ``payload: true``)
    {"status": "resolved", "payload": {"approved": false, "reason": "not now"}}   deny
    {"status": "cancelled"}                                        deny
    {"status": "resolved", "payload": {"result": ..., "status": "error"?}}        a client tool's output

A ``role: "tool"`` message (a frontend tool's result) answers its ``toolCallId`` the same way.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, Dict, List, NamedTuple, Optional, Set, Tuple, cast

from ._inbound import BadRequest, Outgoing, check_id

__all__ = ["MAX_TOOLS", "RESUME_PAYLOAD_SCHEMA", "RunInput", "parse_run_input"]

MAX_TOOLS = 64
"""The most frontend tools one ``RunAgentInput`` may declare."""

_MAX_ID = 256
_TOOL_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
_IMAGE_TYPE = re.compile(r"image/[a-z0-9.+-]{1,64}")

RESUME_PAYLOAD_SCHEMA: Dict[str, Any] = {
    "type": "object",
    "properties": {
        "approved": {"type": "boolean", "description": "Run the tool (true) or refuse it (false)."},
        "reason": {"type": "string", "description": "Why the call is refused (shown to the agent)."},
        "result": {"description": "A client-side tool's output: a string, or any JSON value."},
        "status": {"enum": ["success", "error"], "description": "Whether the client-side tool failed."},
    },
}
"""The ``resume`` payload an interrupt of ``AGUIEncoder`` expects (its ``responseSchema``)."""


class RunInput(NamedTuple):
    """A ``RunAgentInput`` read: what to send, the AG-UI run id (``AGUIEncoder(run_id=…)``), and
    the frontend ``tools`` as Letta ``client_tools`` (send them with the turn)."""

    outgoing: Outgoing
    run_id: str
    client_tools: List[Dict[str, Any]]


def _bad(reason: str) -> BadRequest:
    return BadRequest(400, reason)


def _object(value: object, what: str) -> Dict[str, Any]:
    if not isinstance(value, dict):
        raise _bad(f"{what}: expected a JSON object")
    return cast(Dict[str, Any], value)


def _list(value: object, what: str, *, limit: int) -> List[Any]:
    if not isinstance(value, list):
        raise _bad(f"{what}: expected a list")
    items: List[Any] = value  # pyright: ignore[reportUnknownVariableType]
    if len(items) > limit:
        raise BadRequest(413, f"{what}: {len(items)} entries, at most {limit} are taken")
    return items


def _short_id(value: object, what: str) -> str:
    if not isinstance(value, str) or not value or len(value) > _MAX_ID or not value.isprintable():
        raise _bad(f"{what}: expected a non-empty id (at most {_MAX_ID} printable characters)")
    return value


def _capped(text: str, what: str, limit: int) -> str:
    if len(text) > limit:
        raise BadRequest(413, f"{what}: {len(text)} characters, at most {limit}")
    return text


def _text_parts(content: object, what: str, limit: int) -> str:
    """A tool result's content (a string, or text parts) as one string."""
    if isinstance(content, str):
        return _capped(content, what, limit)
    texts: List[str] = []
    for part in _list(content, what, limit=limit):
        part = _object(part, what)
        if part.get("type") != "text" or not isinstance(part.get("text"), str):
            raise _bad(f"{what}: a tool result may hold text parts only")
        texts.append(part["text"])
    return _capped("".join(texts), what, limit)


def _user_content(content: object, limit: int, max_parts: int) -> Any:
    """A user message's content as Letta content: the string, or text and image parts."""
    if isinstance(content, str):
        if not content.strip():
            raise _bad("the message is empty")
        return _capped(content, "the message", limit)
    parts: List[Dict[str, Any]] = []
    length = 0
    for part in _list(content, "the message's content", limit=max_parts):
        part = _object(part, "a content part")
        kind = part.get("type")
        if kind == "text" and isinstance(part.get("text"), str):
            length += len(part["text"])
            parts.append({"type": "text", "text": part["text"]})
        elif kind == "image":
            parts.append({"type": "image", "source": _image_source(part.get("source"))})
        elif kind in ("audio", "video", "document"):
            raise _bad(f"{kind} parts are not supported: send text or images")
        else:
            raise _bad("a content part: expected a text or image part")
    if not parts:
        raise _bad("the message is empty")
    if length > limit:
        raise BadRequest(413, f"the message: {length} characters, at most {limit}")
    return parts


def _image_source(source: object) -> Dict[str, Any]:
    source = _object(source, "an image part's source")
    if source.get("type") == "url":
        raise _bad("images by URL are not accepted: send the image's data")
    mime = source.get("mimeType")
    if source.get("type") != "data" or not isinstance(source.get("value"), str):
        raise _bad("an image part: expected a data source")
    if not isinstance(mime, str) or not _IMAGE_TYPE.fullmatch(mime):
        raise _bad("an image part: expected an image mimeType")
    return {"type": "base64", "media_type": mime, "data": source["value"]}


def _tool_return(call: str, output: str, status: str) -> Dict[str, Any]:
    return {"type": "tool", "tool_call_id": call, "status": status, "tool_return": output}


def _tool_messages(messages: List[Any], limit: int) -> Tuple[Dict[str, Dict[str, Any]], Optional[str]]:
    """The ``role: "tool"`` messages at the end of ``messages``: their results by tool call, and
    the id of the last one."""
    results: Dict[str, Dict[str, Any]] = {}
    last_id: Optional[str] = None
    for message in reversed(messages):
        if not isinstance(message, dict) or message.get("role") != "tool":  # pyright: ignore[reportUnknownMemberType]
            break
        message = cast(Dict[str, Any], message)
        message_id = _short_id(message.get("id"), "a tool message's id")
        call = _short_id(message.get("toolCallId"), "a tool message's toolCallId")
        output = _text_parts(message.get("content"), "a tool result", limit)
        error = message.get("error")
        if error is not None and not isinstance(error, str):
            raise _bad("a tool message's error: expected a string")
        if error and not output:
            output = _capped(error, "a tool result", limit)
        results.setdefault(call, _tool_return(call, output, "error" if error else "success"))
        last_id = last_id or message_id
    return dict(reversed(list(results.items()))), last_id


def _answer(entry: object, tool_results: Dict[str, Dict[str, Any]], limit: int) -> Dict[str, Any]:
    """One ``resume`` entry as a Letta approval or tool return."""
    entry = _object(entry, "a resume entry")
    call = _short_id(entry.get("interruptId"), "a resume entry's interruptId")
    status = entry.get("status")
    if status not in ("resolved", "cancelled"):
        raise _bad('a resume entry\'s status: expected "resolved" or "cancelled"')
    payload = entry.get("payload")
    if status == "cancelled" or payload is False:
        return {"type": "approval", "tool_call_id": call, "approve": False}
    if payload is None or payload is True:
        return tool_results.get(call) or {"type": "approval", "tool_call_id": call, "approve": True}
    payload = _object(payload, "a resume payload")
    if "result" in payload:
        result = payload["result"]
        try:
            output = result if isinstance(result, str) else json.dumps(result, ensure_ascii=False)
        except (ValueError, RecursionError):
            raise _bad("a resume payload's result: not JSON") from None
        tool_status = payload.get("status", "success")
        if tool_status not in ("success", "error"):
            raise _bad('a resume payload\'s status: expected "success" or "error"')
        return _tool_return(call, _capped(output, "a tool result", limit), cast(str, tool_status))
    approved = payload.get("approved", True if call in tool_results else None)
    if not isinstance(approved, bool):
        raise _bad("a resume payload: expected approved (true or false) or a result")
    if approved:
        return tool_results.get(call) or {"type": "approval", "tool_call_id": call, "approve": True}
    reason = payload.get("reason")
    if reason is None:
        return {"type": "approval", "tool_call_id": call, "approve": False}
    if not isinstance(reason, str):
        raise _bad("a resume payload's reason: expected a string")
    return {"type": "approval", "tool_call_id": call, "approve": False, "reason": _capped(reason, "a reason", limit)}


def _client_tools(tools: object) -> List[Dict[str, Any]]:
    out: List[Dict[str, Any]] = []
    names: Set[str] = set()
    for tool in _list(tools, "tools", limit=MAX_TOOLS):
        tool = _object(tool, "a tool")
        name = tool.get("name")
        if not isinstance(name, str) or not _TOOL_NAME.fullmatch(name):
            raise _bad("a tool's name: expected 1 to 64 letters, digits, _ or -")
        if name in names:
            raise _bad("tools: two tools with one name")
        names.add(name)
        description = tool.get("description")
        if not isinstance(description, str):
            raise _bad("a tool's description: expected a string")
        declared: Dict[str, Any] = {"name": name, "description": description}
        parameters = tool.get("parameters")
        if parameters is not None:
            declared["parameters"] = _object(parameters, "a tool's parameters")
        out.append(declared)
    return out


def parse_run_input(body: object, *, max_messages: int, max_message_chars: int) -> RunInput:
    """Read a ``RunAgentInput`` (already parsed from JSON). ``threadId`` must be a conversation
    id; more than ``max_messages`` messages (or resume entries) or a text over
    ``max_message_chars`` is a 413; anything else malformed a 400, with a one-line reason
    (``BadRequest``). Nothing here talks to Letta."""
    data = _object(body, "the body (a RunAgentInput)")
    try:
        conversation_id = check_id("conversation", data.get("threadId"))
    except BadRequest as error:
        raise _bad(f"threadId: {error.reason}") from None
    run_id = _short_id(data.get("runId"), "runId")
    messages = _list(data.get("messages"), "messages", limit=max_messages)
    tools = data.get("tools")
    client_tools = [] if tools is None else _client_tools(tools)
    tool_results, last_tool_id = _tool_messages(messages, max_message_chars)
    resume = data.get("resume")
    entries = [] if resume is None else _list(resume, "resume", limit=max_messages)
    if entries:
        approvals = [_answer(entry, tool_results, max_message_chars) for entry in entries]
        calls = [item["tool_call_id"] for item in approvals]
        if len(set(calls)) != len(calls):
            raise _bad("resume: two answers to one interrupt")
        approvals += [item for call, item in tool_results.items() if call not in calls]
        key = "resume-" + hashlib.sha256("\n".join(sorted(calls)).encode()).hexdigest()[:32]
        sent: List[Dict[str, Any]] = [{"type": "approval", "approvals": approvals}]
        newest = messages[-1] if messages else None
        if isinstance(newest, dict) and newest.get("role") == "user":  # pyright: ignore[reportUnknownMemberType]
            sent.append(_user_message(cast(Dict[str, Any], newest), max_message_chars, max_messages)[1])
        return RunInput(Outgoing(conversation_id, key, sent), run_id, client_tools)
    if tool_results and last_tool_id is not None:
        approvals = list(tool_results.values())
        return RunInput(
            Outgoing(conversation_id, last_tool_id, [{"type": "approval", "approvals": approvals}]),
            run_id,
            client_tools,
        )
    last = _object(messages[-1], "a message") if messages else None
    if last is None or last.get("role") != "user":
        raise _bad("nothing to send: the newest message must be the user's, or answer the interrupts in resume")
    message_id, message = _user_message(last, max_message_chars, max_messages)
    return RunInput(Outgoing(conversation_id, message_id, [message]), run_id, client_tools)


def _user_message(message: Dict[str, Any], limit: int, max_parts: int) -> Tuple[str, Dict[str, Any]]:
    """A ``role: "user"`` message: its id and the Letta message."""
    message_id = _short_id(message.get("id"), "the message's id")
    content = _user_content(message.get("content"), limit, max_parts)
    return message_id, {"type": "message", "role": "user", "content": content}
