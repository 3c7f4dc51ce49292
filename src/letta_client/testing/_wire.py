"""The server's JSON and SSE shapes, built exactly as the real server writes them.

Everything here is a pure function of its arguments: ids, dates, message dictionaries with every
field present (unset ones as ``null``), SSE frames, and the error bodies of each status.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timezone
from typing import Any, Dict, List, Mapping, Optional, Sequence, cast

__all__ = [
    "AGENT_ID_PATTERN",
    "ERROR_STOP_REASONS",
    "Json",
    "approval_id",
    "done_frame",
    "frame",
    "iso_now",
    "message_date",
    "new_id",
    "otid_for",
    "repr_detail",
]

Json = Dict[str, Any]

AGENT_ID_PATTERN = "^agent-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
AGENT_ID_RE = re.compile(AGENT_ID_PATTERN)
AGENT_ID_EXAMPLE = "agent-123e4567-e89b-42d3-8456-426614174000"

# error_type -> (stop_reason before the error frame, HTTP status of the non-streaming error)
ERROR_STOP_REASONS: Mapping[str, tuple[str, int]] = {
    "llm_error": ("llm_api_error", 500),
    "llm_rate_limit": ("llm_api_error", 429),
    "llm_timeout": ("llm_api_error", 504),
    "llm_authentication": ("llm_api_error", 401),
    "llm_insufficient_credits": ("llm_api_error", 402),
    "llm_bad_request": ("llm_api_error", 400),
    "llm_empty_response": ("invalid_llm_response", 500),
    "context_window_overflow_in_system_prompt": ("context_window_overflow_in_system_prompt", 500),
    "internal_error": ("error", 500),
}

DEFAULT_ERROR_MESSAGES: Mapping[str, str] = {
    "llm_error": "An error occurred with the LLM request.",
    "llm_rate_limit": "Rate limit exceeded for LLM model provider. Please wait before making another request.",
    "llm_timeout": "LLM request timed out. Please try again later.",
    "llm_authentication": "Authentication failed with the LLM model provider.",
    "llm_insufficient_credits": "Insufficient credits for the LLM model provider.",
    "llm_bad_request": "Bad request to the LLM model provider.",
    "internal_error": "An error occurred during agent execution.",
}


def new_id(prefix: str) -> str:
    """``message-<uuid4>``, ``run-<uuid4>``… (bare uuid4 for an empty prefix)."""
    value = str(uuid.uuid4())
    return f"{prefix}-{value}" if prefix else value


def otid_for(message_id: str, index: int) -> str:
    """The server's ``Message.generate_otid_from_id``: the message uuid with its low 7 bits
    replaced by ``index``, written without a prefix."""
    value = uuid.UUID(message_id.split("-", 1)[1])
    return str(uuid.UUID(int=(value.int & ~0x7F) | (index & 0x7F)))


def approval_id(message_id: str) -> str:
    """The id of an approval request: the stream's message id minus one, as a 128-bit integer."""
    value = uuid.UUID(message_id.split("-", 1)[1])
    return f"message-{uuid.UUID(int=(value.int - 1) % (1 << 128))}"


def message_date(now: datetime) -> str:
    """``date`` of a LettaMessage: seconds precision with a ``+00:00`` offset."""
    return now.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def iso_now(now: datetime) -> str:
    """Pydantic's default format, as used by runs and agents: microseconds and ``Z``."""
    return now.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def base_message(
    message_type: str,
    *,
    id: str,
    date: str,
    otid: Optional[str],
    step_id: Optional[str],
    run_id: Optional[str],
) -> Json:
    """The base fields every LettaMessage serializes, in the server's order."""
    return {
        "id": id,
        "date": date,
        "name": None,
        "message_type": message_type,
        "otid": otid,
        "sender_id": None,
        "step_id": step_id,
        "is_err": None,
        "seq_id": None,
        "run_id": run_id,
    }


def tool_call(name: str, arguments: str, tool_call_id: str) -> Json:
    return {"name": name, "arguments": arguments, "tool_call_id": tool_call_id}


def tool_return_fields(returns: Sequence[Json]) -> Json:
    """The fields of a ``tool_return_message`` holding ``returns`` (each ``{tool_call_id, status,
    tool_return}``); the deprecated top-level fields mirror the first one."""
    items: List[Json] = [
        {
            "type": "tool",
            "tool_return": item["tool_return"],
            "status": item["status"],
            "tool_call_id": item["tool_call_id"],
            "stdout": None,
            "stderr": None,
        }
        for item in returns
    ]
    first = items[0]
    return {
        "tool_return": first["tool_return"],
        "status": first["status"],
        "tool_call_id": first["tool_call_id"],
        "stdout": None,
        "stderr": None,
        "tool_returns": items,
    }


def stop_reason(reason: str) -> Json:
    return {"message_type": "stop_reason", "stop_reason": reason}


def usage(*, completion: int, prompt: int, steps: int, token_mode: bool) -> Json:
    cache: Optional[int] = None if token_mode else 0
    return {
        "message_type": "usage_statistics",
        "completion_tokens": completion,
        "prompt_tokens": prompt,
        "total_tokens": completion + prompt,
        "step_count": steps,
        "run_ids": None,
        "cached_input_tokens": cache,
        "cache_write_tokens": cache,
        "reasoning_tokens": cache,
        "context_tokens": completion + prompt,
    }


def error_message(run_id: str, error_type: str, message: str, detail: Optional[str]) -> Json:
    return {
        "message_type": "error_message",
        "run_id": run_id,
        "error_type": error_type,
        "message": message,
        "detail": detail,
        "seq_id": None,
    }


def dumps(value: Any) -> str:
    """Compact JSON, as pydantic's ``model_dump_json`` writes it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def frame(data: Any, event: Optional[str] = None) -> bytes:
    """One SSE frame: ``data: <compact JSON>\\n\\n``, after ``event: <name>`` when given."""
    text = data if isinstance(data, str) else dumps(data)
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {text}\n\n".encode()


def done_frame() -> bytes:
    return b"data: [DONE]\n\n"


NO_REDIS_STREAM = (
    "Background streaming requires Redis to be running. Please ensure Redis is properly configured. "
    "LETTA_REDIS_HOST: None, LETTA_REDIS_PORT: 6379"
)
"""The 503 ``detail`` of ``POST …/stream`` on a server without Redis."""
NO_REDIS = f"INTERNAL_SERVER_ERROR: {NO_REDIS_STREAM}"
"""The 503 ``detail`` of a background send to a server without Redis (an error code in front)."""

CANCELLED_FRAME = b'data: {"message_type": "stop_reason", "stop_reason": "cancelled"}\n\n'


def repr_detail(errors: Sequence[Mapping[str, Any]]) -> str:
    """FastAPI's 422 ``detail``: the Python ``repr()`` of the error list (a string, not JSON)."""
    return repr([dict(error) for error in errors])


def validation_error(errors: Sequence[Mapping[str, Any]], *, examples: Optional[List[str]] = None) -> Json:
    body: Json = {"trace_id": "", "detail": repr_detail(errors)}
    if examples is not None:
        body["examples"] = examples
    return body


def bad_agent_id(value: str) -> Json:
    return bad_ids([("agent_id", value)])


def id_pattern(primitive: str) -> str:
    """The server's pattern for a ``<primitive>-<uuid4>`` id (``agent``, ``block``, ``tool``…)."""
    return "^" + primitive + "-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"


def bad_ids(params: Sequence[tuple[str, str]]) -> Json:
    """The 422 of malformed path ids: ``(parameter, value)`` pairs such as ``("block_id", "x")``,
    each one error, and one example id per kind of id."""
    errors: List[Json] = []
    examples: List[str] = []
    for name, value in params:
        primitive = name[: -len("_id")]
        errors.append(
            {
                "type": "string_pattern_mismatch",
                "loc": ("path", name),
                "msg": f"String should match pattern '{primitive}-{{uuid4}}'",
                "input": value,
                "ctx": {"pattern": id_pattern(primitive)},
            }
        )
        examples.append(f"{primitive}-123e4567-e89b-42d3-8456-426614174000")
    return validation_error(errors, examples=sorted(set(examples)))


def as_object(value: object) -> Optional[Json]:
    """``value`` as a JSON object, or ``None`` when it is something else."""
    return cast(Json, value) if isinstance(value, dict) else None


def as_list(value: object) -> Optional[List[Any]]:
    """``value`` as a JSON array, or ``None`` when it is something else."""
    if not isinstance(value, list):
        return None
    items: List[Any] = value  # pyright: ignore[reportUnknownVariableType]
    return items
