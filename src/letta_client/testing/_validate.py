"""The server's request checks, in its order, with its exact error bodies (§2.2 of the spec)."""

from __future__ import annotations

import re
from typing import Any, List, Mapping, Optional, Sequence, Tuple

from . import _wire as wire
from ._http import SimRequest, SimResponse, json_response
from ._models import unknown_model
from ._wire import Json

__all__ = [
    "check_agent_id",
    "check_body",
    "check_ids",
    "check_send_body",
    "normalized_messages",
    "streaming_allowed",
    "user_text",
]

_SDK_1_X = re.compile(r"^(?:@letta-ai/)?letta-client/1(?:\.|$)")
_ROLES = ("user", "system", "assistant")
_STREAMING_OPTIONS = (
    ("stream_tokens", True, "stream_tokens can only be true when streaming=true"),
    ("include_pings", False, "include_pings can only be false when streaming=true"),
    ("background", True, "background can only be true when streaming=true"),
)


def check_agent_id(agent_id: str) -> Optional[SimResponse]:
    if wire.AGENT_ID_RE.match(agent_id):
        return None
    return json_response(422, wire.bad_agent_id(agent_id))


def check_ids(**ids: str) -> Optional[SimResponse]:
    """The 422 for the path ids (``block_id=…``, in the route's parameter order) that do not
    match their ``<primitive>-<uuid4>`` pattern, else ``None``."""
    bad = [(name, value) for name, value in ids.items() if not re.match(wire.id_pattern(name[:-3]), value)]
    return json_response(422, wire.bad_ids(bad)) if bad else None


def check_body(
    request: SimRequest, *, required: Sequence[str] = (), allowed: Optional[Sequence[str]] = None
) -> Tuple[Optional[Json], Optional[SimResponse]]:
    """A required JSON object body: the 422 when it is missing, not JSON, not an object, lacks a
    ``required`` field, or (when ``allowed`` is given, a model with ``extra="forbid"``) has others."""
    if not request.body:
        return None, _invalid([{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}])
    value = request.json()
    if value is None:
        return None, _invalid([{"type": "json_invalid", "loc": ("body", 0), "msg": "JSON decode error", "input": {}}])
    fields = wire.as_object(value)
    if fields is None:
        error = {"type": "model_attributes_type", "loc": ("body",), "msg": "Input should be a valid dictionary"}
        return None, _invalid([{**error, "input": value}])
    errors: List[Json] = [
        {"type": "missing", "loc": ("body", name), "msg": "Field required", "input": fields}
        for name in required
        if name not in fields
    ]
    if allowed is not None:
        errors += [
            {"type": "extra_forbidden", "loc": ("body", name), "msg": "Extra inputs are not permitted", "input": item}
            for name, item in fields.items()
            if name not in allowed
        ]
    return (None, _invalid(errors)) if errors else (fields, None)


def streaming_allowed(request: SimRequest) -> bool:
    """``is_1_0_sdk_version``: an SDK-version header, no User-Agent, or ``letta-client/1.x``."""
    if "x-stainless-package-version" in request.headers:
        return True
    agent = request.headers.get("user-agent")
    if agent is None or "/" not in agent:
        return True
    return bool(_SDK_1_X.match(agent))


def _invalid(errors: List[Json]) -> SimResponse:
    return json_response(422, wire.validation_error(errors))


def _message_errors(index: int, item: Any) -> List[Json]:
    loc = ("body", "messages", index)
    message = wire.as_object(item)
    if message is None:
        return [
            {"type": "model_attributes_type", "loc": loc, "msg": "Input should be a valid dictionary", "input": item}
        ]
    kind = message.get("type") or _default_type(message)
    if kind == "tool_return":
        if wire.as_list(message.get("tool_returns")) is None:
            return [{"type": "missing", "loc": (*loc, "tool_returns"), "msg": "Field required", "input": message}]
        return []
    if kind == "approval":
        return []
    if message.get("role") not in _ROLES:
        return [
            {
                "type": "literal_error",
                "loc": (*loc, "role"),
                "msg": "Input should be 'user', 'system' or 'assistant'",
                "input": message.get("role"),
            }
        ]
    if "content" not in message:
        return [{"type": "missing", "loc": (*loc, "content"), "msg": "Field required", "input": message}]
    return []


def _default_type(message: Mapping[str, Any]) -> str:
    return "approval" if "approve" in message or "approval_request_id" in message else "message"


def check_send_body(request: SimRequest, *, streaming_endpoint: bool) -> tuple[Optional[Json], Optional[SimResponse]]:
    """Parse and check a send body: schema (422 repr detail), empty messages, streaming options
    without streaming. Returns the body, or the error response."""
    if not request.body:
        return None, _invalid([{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}])
    body = request.json()
    if body is None:
        error: Json = {"type": "json_invalid", "loc": ("body", 0), "msg": "JSON decode error", "input": {}}
        return None, _invalid([error])
    fields = wire.as_object(body)
    if fields is None:
        error = {"type": "model_attributes_type", "loc": ("body",), "msg": "Input should be a valid dictionary"}
        return None, _invalid([{**error, "input": body}])
    raw = fields.get("messages")
    messages = wire.as_list(raw)
    if raw is not None and messages is None:
        error = {"type": "list_type", "loc": ("body", "messages"), "msg": "Input should be a valid list", "input": raw}
        return None, _invalid([error])
    errors = [error for i, item in enumerate(messages or []) for error in _message_errors(i, item)]
    if errors:
        return None, _invalid(errors)
    has_input = fields.get("input") is not None
    if (messages is None) == (not has_input):
        text = (
            "Cannot specify both 'messages' and 'input'"
            if has_input
            else "Either 'messages' or 'input' must be provided"
        )
        error = {"type": "value_error", "loc": ("body",), "msg": f"Value error, {text}", "input": fields}
        return None, _invalid([error])
    unknown = unknown_model(fields.get("override_model"))
    if unknown is not None:
        return None, unknown
    if not streaming_endpoint and not normalized_messages(fields):
        return None, json_response(422, {"detail": "Messages must not be empty"})
    if not streaming_endpoint and fields.get("streaming") is not True:
        problems = [text for key, bad, text in _STREAMING_OPTIONS if key in fields and fields[key] is bad]
        if problems:
            detail = (
                f"Streaming options set without streaming enabled. {'; '.join(problems)}. "
                "Either set streaming=true or use default values for streaming options."
            )
            return None, json_response(422, {"detail": detail})
    return fields, None


def normalized_messages(body: Mapping[str, Any]) -> List[Json]:
    """``messages`` with their default ``type``, or ``input`` as one user message."""
    if body.get("input") is not None:
        return [{"type": "message", "role": "user", "content": body["input"]}]
    result: List[Json] = []
    for item in wire.as_list(body.get("messages")) or []:
        message = dict(wire.as_object(item) or {})
        if not message.get("type"):
            message["type"] = _default_type(message)
        result.append(message)
    return result


def user_text(content: Any) -> str:
    """The text of a message's ``content`` (a string or content parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts: List[str] = []
        for part in content:  # pyright: ignore[reportUnknownVariableType]
            if isinstance(part, dict) and isinstance(part.get("text"), str):  # pyright: ignore[reportUnknownMemberType]
                parts.append(part["text"])  # pyright: ignore[reportUnknownArgumentType]
        return " ".join(parts)
    return ""
