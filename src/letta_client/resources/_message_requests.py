"""The requests of ``client.agents.messages``, without I/O: paths, queries and bodies built and
checked from the caller's arguments, and the small answers read, for the sync and async client."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional, Sequence, Tuple

import httpx

from .._pagination import Order, list_query
from .._paths import agent_messages_path, agent_path
from .._response import parse_json
from ..types.messages import MessageType
from ..types.params import DataParam, RequestOptions, StreamingSendBody
from ._argument_problems import problem_line
from ._body import build_body, check_argument

if TYPE_CHECKING:
    from ..types.agent_state import AgentState

__all__ = [
    "agent_path",
    "cancel_body",
    "cancel_result",
    "compact_body",
    "check_message_types",
    "history_query",
    "messages_path",
    "reset_body",
    "reset_result",
    "streaming_request",
    "wants_resume",
]


messages_path = agent_messages_path
_MESSAGE_TYPES: Any = Optional[Sequence[MessageType]]


def wants_resume(resume: Optional[bool], body: Dict[str, Any]) -> bool:
    """``resume=None`` means "on for background streams"; only those can be resumed."""
    background = bool(body.get("background"))
    if resume and not background:
        raise ValueError("resume=True needs background=True: only background streams can be resumed")
    return background if resume is None else resume


def history_query(
    before: Optional[str],
    after: Optional[str],
    limit: Optional[int],
    order: Optional[Order],
    include_return_message_types: Optional[Sequence[MessageType]],
    **filters: Any,
) -> Dict[str, Any]:
    check_message_types("list()", include_return_message_types)
    return list_query(
        before,
        after,
        limit,
        order,
        include_return_message_types=None
        if include_return_message_types is None
        else list(include_return_message_types),
        **filters,
    )


def check_message_types(function: str, include_return_message_types: object) -> None:
    """``include_return_message_types`` is a list of message type names (or ``None``)."""
    check_argument(function, "include_return_message_types", include_return_message_types, _MESSAGE_TYPES)


def reset_body(add_default_initial_messages: Optional[bool]) -> Dict[str, Any]:
    check_argument("reset()", "add_default_initial_messages", add_default_initial_messages, Optional[bool])
    if add_default_initial_messages is None:
        return {}
    return {"add_default_initial_messages": add_default_initial_messages}


def reset_result(response: httpx.Response) -> Optional[AgentState]:
    if not response.content.strip():
        return None
    from ..types.agent_state import AgentState  # the agent's whole model graph, loaded on first use

    return parse_json(response, Optional[AgentState])  # type: ignore[arg-type]


def compact_body(compaction_settings: Optional[DataParam]) -> Dict[str, Any]:
    check_argument("compact()", "compaction_settings", compaction_settings, Optional[DataParam])
    return {} if compaction_settings is None else {"compaction_settings": dict(compaction_settings)}


def cancel_body(run_ids: Optional[Sequence[str]]) -> Dict[str, Any]:
    if run_ids is None:
        return {}
    if isinstance(run_ids, str) or not isinstance(run_ids, Sequence):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"cancel(): {problem_line('run_ids', run_ids, 'a list of run ids (strings)')}")
    for index, run_id in enumerate(run_ids):
        if not isinstance(run_id, str) or not run_id:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"cancel(): {problem_line(f'run_ids[{index}]', run_id, 'a run id (a non-empty string)')}")
    return {"run_ids": list(run_ids)}


def cancel_result(response: Any) -> Dict[str, str]:
    return parse_json(response, Dict[str, str])


def streaming_request(agent_id: str, params: Any, *, legacy: bool) -> Tuple[str, Dict[str, Any], RequestOptions]:
    """Path and body of a streaming send. The current endpoint needs ``"streaming": true``; the
    deprecated ``/messages/stream`` (``legacy``) streams anyway, and gets ``streaming`` only when
    the caller gives it (as the official SDK sends it)."""
    path = messages_path(agent_id, "/stream" if legacy else "")
    params = dict(params)
    streaming = params.pop("streaming", None) if legacy else True
    body, options = build_body("send", params, StreamingSendBody, streaming=True)
    if streaming is not None:
        body["streaming"] = streaming
    return path, body, options
