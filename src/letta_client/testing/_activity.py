"""Steps (``/v1/steps``, ``/v1/runs/{id}/steps``) and messages across agents (``/v1/messages``),
as Letta 0.16.8 answers them.

Steps are the LLM calls of the simulated turns: a run's steps are the ``step_id``\\ s its
messages carry (a run without messages has one step), each listing the messages that carry
its id. ``POST /v1/messages/search`` matches a case-insensitive substring; a self-hosted server
answers it 400 (it needs Turbopuffer), Letta Cloud ranks by similarity.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from typing_extensions import Protocol

from . import _wire as wire
from ._agents import Agent
from ._conversations import ConversationStore
from ._http import SimRequest, SimResponse, json_response
from ._listing import cursor_page
from ._memory import ORG_ID, orm_not_found
from ._models import MODEL
from ._runs import Run
from ._validate import check_body, check_ids, user_text
from ._wire import Json

__all__ = ["ROUTES", "ActivityHost"]


class ActivityHost(Protocol):
    """What the routes need from the ``Simulator``."""

    agents: Dict[str, Agent]
    conversations: ConversationStore

    @property
    def state_lock(self) -> Any: ...
    def runs_of(self, predicate: Callable[[Run], bool]) -> List[Run]: ...
    def find_run(self, run_id: str) -> Optional[Run]: ...


# -- steps ---------------------------------------------------------------------------------------

_STEP_STATUS = {"completed": "success", "failed": "failed", "cancelled": "cancelled"}


def _step(host: ActivityHost, run: Run, step_id: str, messages: List[Json], last: bool) -> Json:
    agent = host.agents.get(run.agent_id)
    handle = str((agent.config.get("model") if agent is not None else None) or MODEL)
    said = [m for m in messages if m["message_type"] in ("assistant_message", "reasoning_message")]
    words = sum(len(str(m.get("content") or m.get("reasoning") or "").split()) for m in said)
    prompt = 700
    return {
        "id": step_id,
        "origin": None,
        "organization_id": ORG_ID,
        "provider_id": None,
        "run_id": run.id,
        "agent_id": run.agent_id,
        "provider_name": "openai",
        "provider_category": "base",
        "model": handle.partition("/")[2] or handle,
        "model_handle": handle,
        "model_endpoint": "http://simulated/v1",
        "context_window_limit": 30000,
        "completion_tokens": words,
        "prompt_tokens": prompt,
        "total_tokens": prompt + words,
        "cached_input_tokens": None,
        "cache_write_tokens": None,
        "reasoning_tokens": None,
        "completion_tokens_details": {"reasoning_tokens": 0},
        "prompt_tokens_details": {"cached_tokens": 0, "cache_read_tokens": 0, "cache_creation_tokens": 0},
        "stop_reason": run.stop_reason if last else None,
        "tags": [],
        "tid": None,
        "trace_id": None,
        "request_id": None,
        "messages": [],
        "feedback": None,
        "project_id": None,
        "error_type": None,
        "error_data": None,
        "status": _STEP_STATUS.get(run.status, "pending") if last else "success",
    }


def _steps(host: ActivityHost) -> Tuple[List[Json], Dict[str, List[Json]]]:
    """Every step, oldest first, and the messages of each step (by step id). A step belongs to
    the first run whose messages carry its id (an approval's tool return carries the id of the
    step that asked, in the next run)."""
    runs = host.runs_of(lambda run: True)
    messages: Dict[str, List[Json]] = {}
    owner: Dict[str, Run] = {}
    for run in runs:
        for message in run.messages:
            step_id = message.get("step_id")
            if isinstance(step_id, str):
                owner.setdefault(step_id, run)
                messages.setdefault(step_id, []).append(message)
    steps: List[Json] = []
    for run in runs:
        ids = [step_id for step_id, first in owner.items() if first is run] or [f"step-{run.id[len('run-') :]}"]
        for number, step_id in enumerate(ids, 1):
            steps.append(_step(host, run, step_id, messages.get(step_id, []), number == len(ids)))
    return steps, messages


def list_steps(host: ActivityHost, request: SimRequest) -> SimResponse:
    """The server's filters: ``agent_id``, ``model``, ``feedback``, ``has_feedback``,
    ``trace_ids``, ``project_id`` (a run's steps are ``GET /v1/runs/{id}/steps``)."""
    query = request.query_value
    traces = request.query.get("trace_ids")
    with host.state_lock:
        steps, _ = _steps(host)
    steps = [
        step
        for step in steps
        if query("agent_id") in (None, step["agent_id"])
        and query("model") in (None, step["model"])
        and query("feedback") in (None, step["feedback"])
        and query("project_id") in (None, step["project_id"])
        and query("has_feedback") in (None, str(step["feedback"] is not None).lower())
        and (not traces or step["trace_id"] in traces)
    ]
    return cursor_page(request, steps, order="desc", limit=50)


def retrieve_step(host: ActivityHost, request: SimRequest, step_id: str) -> SimResponse:
    error = check_ids(step_id=step_id)
    if error is not None:
        return error
    with host.state_lock:
        steps, _ = _steps(host)
    found = [step for step in steps if step["id"] == step_id]
    return json_response(200, found[0]) if found else orm_not_found("Step", step_id)


def list_step_messages(host: ActivityHost, request: SimRequest, step_id: str) -> SimResponse:
    """The messages that carry the step's id, oldest first (an unknown step has none)."""
    error = check_ids(step_id=step_id)
    if error is not None:
        return error
    with host.state_lock:
        _, messages = _steps(host)
    return cursor_page(request, list(messages.get(step_id, [])), order="asc", limit=100)


def list_run_steps(host: ActivityHost, request: SimRequest, run_id: str) -> SimResponse:
    with host.state_lock:
        if host.find_run(run_id) is None:
            return json_response(404, {"detail": f"Run {run_id} not found"})
        steps, _ = _steps(host)
    return cursor_page(request, [step for step in steps if step["run_id"] == run_id], order="desc", limit=100)


# -- /v1/messages ---------------------------------------------------------------------------------

_SEARCHED = ("system_message", "user_message", "reasoning_message", "assistant_message")


def _all_messages(host: ActivityHost) -> List[Tuple[Json, str, Optional[str]]]:
    """Every stored message with its agent and conversation, oldest first."""
    found: List[Tuple[Json, str, Optional[str]]] = []
    for agent in host.agents.values():
        found += [(message, agent.id, None) for message in agent.history]
    for conversation in host.conversations.conversations.values():
        found += [(message, conversation.agent_id, conversation.id) for message in conversation.history]
    return sorted(found, key=lambda item: str(item[0]["date"]))


def _search_error(body: Json) -> Optional[SimResponse]:
    limit = body.get("limit", 50)
    loc = ("body", "limit")
    if not isinstance(limit, int) or isinstance(limit, bool):
        error: Json = {"type": "int_type", "loc": loc, "msg": "Input should be a valid integer", "input": limit}
    elif not 1 <= limit <= 100:
        bound, kind = (1, "greater_than_equal") if limit < 1 else (100, "less_than_equal")
        word = "greater" if limit < 1 else "less"
        key = "ge" if limit < 1 else "le"
        error = {"type": kind, "loc": loc, "msg": f"Input should be {word} than or equal to {bound}", "input": limit}
        error["ctx"] = {key: bound}
    elif body.get("search_mode", "hybrid") not in ("vector", "fts", "hybrid"):
        mode = body.get("search_mode")
        expected = "'vector', 'fts' or 'hybrid'"
        error = {"type": "literal_error", "loc": ("body", "search_mode"), "msg": f"Input should be {expected}"}
        error.update(input=mode, ctx={"expected": expected})
    else:
        return None
    return json_response(422, wire.validation_error([error]))


def _search_result(message: Json, agent_id: str, conversation_id: Optional[str]) -> Json:
    kind = message["message_type"]
    head: Json = {"reasoning": message.get("reasoning")} if kind == "reasoning_message" else {}
    head["message_type"] = kind
    if kind != "reasoning_message":
        head["content"] = message.get("content")
    created = str(message["date"]).replace("+00:00", "Z")
    return {
        **head,
        "message_id": message["id"],
        "agent_id": agent_id,
        "conversation_id": conversation_id,
        "created_at": created,
    }


def search_messages(host: ActivityHost, request: SimRequest) -> SimResponse:
    """``POST /v1/messages/search``: the system, user, reasoning and assistant messages holding
    ``query`` (case-insensitive), newest first, filtered by ``agent_id`` / ``conversation_id``."""
    body, error = check_body(request, required=("query",))
    if error is not None:
        return error
    assert body is not None
    error = _search_error(body)
    if error is not None:
        return error
    query = str(body["query"]).lower()
    with host.state_lock:
        found = _all_messages(host)
    results = [
        _search_result(message, agent_id, conversation_id)
        for message, agent_id, conversation_id in reversed(found)
        if message["message_type"] in _SEARCHED
        and body.get("agent_id") in (None, agent_id)
        and body.get("conversation_id") in (None, conversation_id)
        and query in (message.get("reasoning") or user_text(message.get("content"))).lower()
    ]
    return json_response(200, results[: int(body.get("limit", 50))])


def list_messages(host: ActivityHost, request: SimRequest) -> SimResponse:
    """``GET /v1/messages/``: every agent's and conversation's messages, newest first."""
    conversation_id = request.query_value("conversation_id")
    types = request.query.get("include_return_message_types")
    with host.state_lock:
        found = _all_messages(host)
    messages = [
        message
        for message, _, conversation in found
        if conversation_id in (None, conversation) and (not types or message["message_type"] in types)
    ]
    return cursor_page(request, messages, order="desc", limit=100)


def retrieve_message(host: ActivityHost, request: SimRequest, message_id: str) -> SimResponse:
    """Every message the stored message is (a reasoning and an assistant message share an id)."""
    error = check_ids(message_id=message_id)
    if error is not None:
        return error
    with host.state_lock:
        found = [message for message, _, _ in _all_messages(host) if message["id"] == message_id]
    if not found:
        return json_response(404, {"detail": f"Message with id {message_id} not found."})
    return json_response(200, found)


_ID = r"([^/]+)"
Route = Callable[..., SimResponse]
ROUTES: List[Tuple[str, Mapping[str, Route]]] = [
    (r"^/v1/steps$", {"GET": list_steps}),
    (rf"^/v1/steps/{_ID}$", {"GET": retrieve_step}),
    (rf"^/v1/steps/{_ID}/messages$", {"GET": list_step_messages}),
    (rf"^/v1/runs/{_ID}/steps$", {"GET": list_run_steps}),
    (r"^/v1/messages/search$", {"POST": search_messages}),
    (r"^/v1/messages$", {"GET": list_messages}),
    (rf"^/v1/messages/{_ID}$", {"GET": retrieve_message}),
]
