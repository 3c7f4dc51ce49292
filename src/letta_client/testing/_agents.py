"""``/v1/agents`` (create, list, retrieve, update, delete, reset, summarize) and the run listings
(``GET /v1/runs/`` with its filters, ``…/usage``), as Letta 0.16.8 answers them.

An agent keeps the configuration it was created or updated with and returns it in its JSON;
lists page with ``after``/``before`` (ids, strict) and ``limit``, and filter by ``name``,
``tags`` (any, or all with ``match_all_tags``) and the run filters the server has.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Dict, List, Mapping, Optional, Set, Tuple

from typing_extensions import Protocol

from . import _wire as wire
from ._http import SimRequest, SimResponse, json_response
from ._models import agent_create_error, agent_update_error
from ._runs import Run
from ._thread import Thread
from ._validate import streaming_allowed
from ._wire import Json

__all__ = ["ROUTES", "Agent", "AgentHost", "render"]

_DEFAULT_SYSTEM = "You are a helpful assistant (a simulated Letta agent)."
# Fields a create or update stores as given (the rest of a body is accepted and ignored).
_STORED = (
    "name",
    "description",
    "system",
    "model",
    "embedding",
    "tags",
    "metadata",
    "agent_type",
    "tool_rules",
    "timezone",
    "hidden",
)


class Agent(Thread):
    def __init__(self, agent_id: str, name: str, now: datetime, config: Optional[Mapping[str, Any]] = None) -> None:
        super().__init__()
        self.id = agent_id
        self.created_at = now
        self.updated_at = now
        self.config: Json = {"name": name, "agent_type": "letta_v1_agent", "system": _DEFAULT_SYSTEM, "tags": []}
        self.config.update({key: value for key, value in (config or {}).items() if key in _STORED})
        self.blocks: List[Json] = []
        """The core memory blocks attached, in attach order (shared with ``/v1/blocks``)."""
        self.tools: List[Json] = []
        """The tools attached, in attach order (shared with ``/v1/tools``)."""
        self.reset_history()

    @property
    def name(self) -> str:
        return str(self.config["name"])

    def reset_history(self) -> None:
        system = wire.base_message(
            "system_message",
            id=wire.new_id("message"),
            date=wire.message_date(self.updated_at),
            otid=None,
            step_id=None,
            run_id=None,
        )
        system["content"] = self.config["system"]
        self.history[:] = [system]

    def to_json(self, relationships: Optional[Set[str]] = None) -> Json:
        """The agent's JSON; ``relationships`` (``agent.blocks``, ``agent.tools``) limits the
        relations shown, as ``include`` does (``None``: all of them)."""
        blocks = list(self.blocks) if relationships is None or "agent.blocks" in relationships else []
        memory = {
            "agent_type": self.config.get("agent_type"),
            "git_enabled": False,
            "blocks": blocks,
            "file_blocks": [],
            "prompt_template": "",
        }
        return {
            "id": self.id,
            "description": None,
            "metadata": None,
            "model": None,
            "embedding": None,
            **self.config,
            "created_at": wire.iso_now(self.created_at),
            "updated_at": wire.iso_now(self.updated_at),
            "tools": list(self.tools) if relationships is None or "agent.tools" in relationships else [],
            "tool_rules": self.config.get("tool_rules") or [],
            "blocks": list(blocks),
            "memory": memory,
            "message_ids": [message["id"] for message in self.history],
            **_configuration(self.config.get("model")),
            "sources": [],
            "identities": [],
            "identity_ids": [],
            "secrets": [],
            "tool_exec_environment_variables": [],
        }


def _configuration(handle: object) -> Json:
    """The model configuration the server derives from the agent's model handle."""
    handle = handle if isinstance(handle, str) and handle else None
    provider, _, model = (handle or "openai/gpt-4o-mini").partition("/")
    return {
        "llm_config": {
            "model": model or provider,
            "handle": handle,
            "model_endpoint_type": "openai",
            "provider_name": provider,
            "provider_category": "base",
            "context_window": 128000,
            "put_inner_thoughts_in_kwargs": False,
        },
        "embedding_config": {
            "embedding_endpoint_type": "openai",
            "embedding_model": "text-embedding-3-small",
            "embedding_dim": 1536,
            "handle": "openai/text-embedding-3-small",
        },
        "model_settings": {"provider_type": "openai", "temperature": 0.7, "max_output_tokens": 4096},
    }


class AgentHost(Protocol):
    """What the routes need from the ``Simulator``."""

    agents: Dict[str, Agent]

    @property
    def state_lock(self) -> Any: ...
    def now(self) -> datetime: ...
    def create_agent(self, name: Optional[str] = None, config: Optional[Mapping[str, Any]] = None) -> str: ...
    def runs_of(self, predicate: Callable[[Run], bool]) -> List[Run]: ...
    def find_run(self, run_id: str) -> Optional[Run]: ...


_LEGACY_RELATIONSHIPS = {"memory": "agent.blocks", "tools": "agent.tools"}


def render(agent: Agent, request: SimRequest) -> Json:
    """The agent as a read answers it: an SDK 1.x client gets only the relations it asks for in
    ``include`` (``agent.blocks``, ``agent.tools``); other clients get all of them unless the
    legacy ``include_relationships`` names some."""
    legacy = request.query.get("include_relationships")
    include = set(request.query.get("include") or [])
    if legacy is None and not streaming_allowed(request):
        return agent.to_json()
    return agent.to_json(include | {_LEGACY_RELATIONSHIPS.get(name, name) for name in legacy or []})


def _not_found(agent_id: str) -> SimResponse:
    return json_response(404, {"detail": f"Agent with ID {agent_id} not found"})


def _page(request: SimRequest, items: List[Json]) -> SimResponse:
    """``after``/``before`` (strict, by id) and ``limit`` over ``items`` in the requested order."""
    if request.query_value("order") == "desc" or request.query_value("ascending") == "false":
        items = items[::-1]
    for name in ("after", "before"):
        cursor = request.query_value(name)
        if cursor is None:
            continue
        positions = [i for i, item in enumerate(items) if item["id"] == cursor]
        if positions:
            items = items[positions[0] + 1 :] if name == "after" else items[: positions[0]]
    limit = request.query_value("limit")
    if limit is not None and limit.isdigit():
        items = items[-int(limit) :] if request.query_value("before") is not None else items[: int(limit)]
    return json_response(200, items)


def create(host: AgentHost, request: SimRequest) -> SimResponse:
    body = wire.as_object(request.json()) or {}
    refused = agent_create_error(body)
    if refused is not None:
        return refused
    name = body.get("name")
    agent_id = host.create_agent(name if isinstance(name, str) else None, body)
    with host.state_lock:
        return json_response(200, host.agents[agent_id].to_json())


def list_all(host: AgentHost, request: SimRequest) -> SimResponse:
    name = request.query_value("name")
    tags = set(request.query.get("tags") or [])
    match_all = request.query_value("match_all_tags") == "true"
    with host.state_lock:
        agents = [render(agent, request) for agent in host.agents.values()]
    agents = [
        agent
        for agent in agents
        if name in (None, agent["name"])
        and (not tags or (tags <= set(agent["tags"]) if match_all else bool(tags & set(agent["tags"]))))
    ]
    return _page(request, agents)


def retrieve(host: AgentHost, request: SimRequest, agent_id: str) -> SimResponse:
    with host.state_lock:
        agent = host.agents.get(agent_id)
        return _not_found(agent_id) if agent is None else json_response(200, render(agent, request))


def update(host: AgentHost, request: SimRequest, agent_id: str) -> SimResponse:
    body = wire.as_object(request.json()) or {}
    refused = agent_update_error(body)  # the server looks the handles up before the agent
    if refused is not None:
        return refused
    with host.state_lock:
        agent = host.agents.get(agent_id)
        if agent is None:
            return _not_found(agent_id)
        agent.config.update({key: value for key, value in body.items() if key in _STORED and value is not None})
        agent.updated_at = host.now()
        return json_response(200, agent.to_json())


def delete(host: AgentHost, request: SimRequest, agent_id: str) -> SimResponse:
    with host.state_lock:
        if host.agents.pop(agent_id, None) is None:
            return _not_found(agent_id)
    return json_response(200, {"message": f"Agent id={agent_id} successfully deleted"})


def reset_messages(host: AgentHost, request: SimRequest, agent_id: str) -> SimResponse:
    with host.state_lock:
        agent = host.agents.get(agent_id)
        if agent is None:
            return _not_found(agent_id)
        agent.reset_history()
        return json_response(200, agent.to_json())


def summarize(host: AgentHost, request: SimRequest, agent_id: str) -> SimResponse:
    with host.state_lock:
        agent = host.agents.get(agent_id)
        if agent is None:
            return _not_found(agent_id)
        before = len(agent.history)
        agent.history[:] = agent.history[:1]
    return json_response(
        200, {"summary": "The conversation so far.", "num_messages_before": before, "num_messages_after": 1}
    )


def list_runs(host: AgentHost, request: SimRequest) -> SimResponse:
    agent_ids = set(request.query.get("agent_ids") or []) | set(request.query.get("agent_id") or [])
    statuses = set(request.query.get("statuses") or [])
    conversation_id = request.query_value("conversation_id")
    background = request.query_value("background")
    active = request.query_value("active") == "true"

    def wanted(run: Run) -> bool:
        return (
            (not agent_ids or run.agent_id in agent_ids)
            and (not statuses or run.status in statuses)
            and conversation_id in (None, run.conversation_id)
            and background in (None, str(run.background).lower())
            and (not active or run.status in ("created", "running"))
        )

    return _runs_page(request, [run.to_json() for run in host.runs_of(wanted)])


def _runs_page(request: SimRequest, items: List[Json]) -> SimResponse:
    """``GET /v1/runs/`` as Letta 0.16.8 pages it: in the order asked for (``desc`` by default),
    ``before=X`` gives the runs that follow ``X`` and ``after=X`` those that precede it (the
    server's two cursors are swapped), then the first ``limit`` (100)."""
    ordered = (
        items if request.query_value("order") == "asc" or request.query_value("ascending") == "true" else items[::-1]
    )
    for name in ("before", "after"):
        positions = [i for i, item in enumerate(ordered) if item["id"] == request.query_value(name)]
        if positions:
            ordered = ordered[positions[0] + 1 :] if name == "before" else ordered[: positions[0]]
    limit = request.query_value("limit")
    return json_response(200, ordered[: int(limit) if limit is not None and limit.isdigit() else 100])


def _run_or_404(host: AgentHost, run_id: str) -> Tuple[Optional[Run], SimResponse]:
    run = host.find_run(run_id)
    return run, json_response(404, {"detail": f"Run {run_id} not found"})


def run_usage(host: AgentHost, request: SimRequest, run_id: str) -> SimResponse:
    run, missing = _run_or_404(host, run_id)
    return missing if run is None else json_response(200, _usage())


def _usage() -> Json:
    return {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}


_ID = r"([^/]+)"
Route = Callable[..., SimResponse]
ROUTES: List[Tuple[str, Mapping[str, Route]]] = [
    (r"^/v1/agents$", {"POST": create, "GET": list_all}),
    (rf"^/v1/agents/{_ID}$", {"GET": retrieve, "PATCH": update, "DELETE": delete}),
    (rf"^/v1/agents/{_ID}/reset-messages$", {"PATCH": reset_messages}),
    (rf"^/v1/agents/{_ID}/summarize$", {"POST": summarize}),
    (r"^/v1/runs$", {"GET": list_runs}),
    (rf"^/v1/runs/{_ID}/usage$", {"GET": run_usage}),
]
