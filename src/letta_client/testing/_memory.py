"""Core memory blocks (``/v1/blocks``, ``/v1/agents/{id}/core-memory/blocks``) and archival
memory (``/v1/agents/{id}/archival-memory``), as Letta 0.16.8 answers them.

Every block lives in one store; an agent holds the very block objects attached to it, so an
edit through either route shows in both, and deleting a block detaches it everywhere. An agent
starts with the ``memory_blocks`` (and ``block_ids``) of its create body, or, when none are
given, with empty ``human`` and ``persona`` blocks (the server's default blocks; a real server
creates none then). Passages belong to the agent's archive. Archival search matches a
case-insensitive substring where the server ranks by embedding similarity, and the embedding a
passage shows is a made-up, deterministic vector.

The 404 details of a missing record follow the server's (its ORM's ``"<Model> not found with
id=…"`` ends with the requesting actor on a real server, left out here).
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import datetime
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from typing_extensions import Protocol

from . import _wire as wire
from ._agents import Agent, render
from ._http import SimRequest, SimResponse, json_response
from ._listing import cursor_page
from ._models import EMBEDDING
from ._validate import check_body, check_ids
from ._wire import Json

__all__ = ["ROUTES", "USER_ID", "MemoryHost", "MemoryStore", "new_block", "orm_not_found"]

USER_ID = "user-00000000-0000-4000-8000-000000000000"
ORG_ID = "org-00000000-0000-4000-8000-000000000000"
CHAR_LIMIT = 100000
_EMBEDDING_DIM = 1536
_DEFAULT_DESCRIPTIONS = {
    "persona": (
        "The persona block: Stores details about your current persona, guiding how you behave and respond. "
        "This helps you to maintain consistency and personality in your interactions."
    ),
    "human": (
        "The human block: Stores key details about the person you are conversing with, allowing for more "
        "personalized and friend-like conversation."
    ),
}
# A block's fields before its id, in the server's order, with their defaults.
_BLOCK_DEFAULTS: Tuple[Tuple[str, Any], ...] = (
    ("value", ""),
    ("limit", CHAR_LIMIT),
    ("project_id", None),
    ("template_name", None),
    ("is_template", False),
    ("template_id", None),
    ("base_template_id", None),
    ("deployment_id", None),
    ("entity_id", None),
    ("preserve_on_migration", False),
    ("label", None),
    ("read_only", False),
    ("description", None),
    ("metadata", {}),
    ("hidden", None),
)
_UPDATABLE = {name for name, _ in _BLOCK_DEFAULTS} | {"tags"}


def orm_not_found(model: str, identifier: str) -> SimResponse:
    """The server ORM's 404 for a record that is not there."""
    return json_response(404, {"detail": f"{model} not found with id='['{identifier}']'"})


def new_block(fields: Mapping[str, Any], *, default_description: bool = False) -> Json:
    """A block from a create body (``CreateBlock``): unknown fields ignored, ``value`` ``null`` as
    ``""``; ``default_description`` gives ``human``/``persona`` the server's default description."""
    block: Json = {name: fields.get(name, default) for name, default in _BLOCK_DEFAULTS}
    block["metadata"] = dict(block["metadata"]) if isinstance(block["metadata"], dict) else block["metadata"]  # pyright: ignore[reportUnknownArgumentType]
    if block["value"] is None:
        block["value"] = ""
    if default_description and block["description"] is None:
        block["description"] = _DEFAULT_DESCRIPTIONS.get(str(block["label"]))
    tags = wire.as_list(fields.get("tags")) or []
    block.update(id=wire.new_id("block"), created_by_id=None, last_updated_by_id=None, tags=list(tags))
    return block


def _embedding(text: str) -> List[float]:
    """A deterministic stand-in for the text's embedding (``embedding_dim`` floats)."""
    digest = b""
    counter = 0
    while len(digest) < _EMBEDDING_DIM:
        digest += hashlib.sha256(f"{counter}:{text}".encode()).digest()
        counter += 1
    return [round((byte - 127.5) / 3000, 6) for byte in digest[:_EMBEDDING_DIM]]


def _embedding_config(handle: str) -> Json:
    provider, _, name = handle.partition("/")
    return {
        "embedding_endpoint_type": "openai",
        "embedding_endpoint": "http://simulated/v1",
        "embedding_model": name or provider,
        "embedding_dim": _EMBEDDING_DIM,
        "embedding_chunk_size": 300,
        "handle": handle,
        "batch_size": 32,
        "azure_endpoint": None,
        "azure_version": None,
        "azure_deployment": None,
    }


class MemoryStore:
    """The blocks (by id, oldest first) and every agent's archive of passages."""

    def __init__(self) -> None:
        self.blocks: Dict[str, Json] = {}
        self.passages: Dict[str, List[Json]] = {}
        self.archives: Dict[str, str] = {}

    def furnish(self, agent: Agent, config: Optional[Mapping[str, Any]]) -> None:
        """Give a new agent the blocks of its create body (``memory_blocks``, ``block_ids``), or
        empty ``human`` and ``persona`` blocks when it names none."""
        given = [wire.as_object(item) for item in wire.as_list((config or {}).get("memory_blocks")) or []]
        fields = [item for item in given if item is not None]
        known = [
            self.blocks[str(i)] for i in wire.as_list((config or {}).get("block_ids")) or [] if str(i) in self.blocks
        ]
        if not fields and not known:
            fields = [{"label": "human", "value": ""}, {"label": "persona", "value": ""}]
        created = [new_block(item, default_description=True) for item in fields]
        for block in created:
            self.blocks[block["id"]] = block
        agent.blocks = created + known

    def archive(self, agent_id: str) -> List[Json]:
        """The agent's passages, oldest first (its archive is made on first use)."""
        if agent_id not in self.archives:
            self.archives[agent_id] = wire.new_id("archive")
        return self.passages.setdefault(agent_id, [])

    def new_passage(self, agent: Agent, text: str, tags: Optional[List[str]], created: str) -> Json:
        passage: Json = {
            "created_by_id": USER_ID,
            "last_updated_by_id": USER_ID,
            "created_at": created,
            "updated_at": created,
            "is_deleted": False,
            "organization_id": ORG_ID,
            "archive_id": None,
            "source_id": None,
            "file_id": None,
            "file_name": None,
            "metadata": {},
            "tags": None if tags is None else list(dict.fromkeys(tags)),
            "id": wire.new_id("passage"),
            "text": text,
            "embedding": _embedding(text),
            "embedding_config": _embedding_config(str(agent.config.get("embedding") or EMBEDDING)),
        }
        self.archive(agent.id).append(passage)
        passage["archive_id"] = self.archives[agent.id]
        return passage


class MemoryHost(Protocol):
    """What the routes need from the ``Simulator``."""

    agents: Dict[str, Agent]
    memory: MemoryStore

    @property
    def state_lock(self) -> Any: ...
    def now(self) -> datetime: ...


def _update(block: Json, body: Mapping[str, Any]) -> None:
    """``BlockUpdate``: the fields given and not ``null`` (others are ignored)."""
    for name, value in body.items():
        if name in _UPDATABLE and value is not None:
            block[name] = list(value) if name == "tags" and isinstance(value, list) else value  # pyright: ignore[reportUnknownArgumentType]


def _agent_or_404(host: MemoryHost, agent_id: str) -> Tuple[Optional[Agent], SimResponse]:
    agent = host.agents.get(agent_id)
    return agent, orm_not_found("Agent", agent_id)


def _ordered(host: MemoryHost, blocks: List[Json]) -> List[Json]:
    """``blocks`` oldest first (by creation, as the server sorts)."""
    position = {block_id: i for i, block_id in enumerate(host.memory.blocks)}
    return sorted(blocks, key=lambda block: position.get(block["id"], -1))


# -- an agent's core memory --------------------------------------------------------------------


def list_agent_blocks(host: MemoryHost, request: SimRequest, agent_id: str) -> SimResponse:
    error = check_ids(agent_id=agent_id)
    if error is not None:
        return error
    with host.state_lock:
        agent, missing = _agent_or_404(host, agent_id)
        if agent is None:
            return missing
        return cursor_page(request, _ordered(host, agent.blocks), order="desc", limit=100)


def _labelled(host: MemoryHost, agent_id: str, label: str) -> Tuple[Optional[Json], SimResponse]:
    agent, missing = _agent_or_404(host, agent_id)
    if agent is None:
        return None, missing
    found = [block for block in agent.blocks if block["label"] == label]
    detail = f"No block with label '{label}' found for agent '{agent_id}'"
    return (found[0] if found else None), json_response(404, {"detail": detail})


def retrieve_agent_block(host: MemoryHost, request: SimRequest, agent_id: str, label: str) -> SimResponse:
    error = check_ids(agent_id=agent_id)
    if error is not None:
        return error
    with host.state_lock:
        block, missing = _labelled(host, agent_id, label)
        return missing if block is None else json_response(200, block)


def modify_agent_block(host: MemoryHost, request: SimRequest, agent_id: str, label: str) -> SimResponse:
    body, error = check_body(request)
    error = check_ids(agent_id=agent_id) or error
    if error is not None:
        return error
    assert body is not None
    with host.state_lock:
        block, missing = _labelled(host, agent_id, label)
        if block is None:
            return missing
        _update(block, body)
        return json_response(200, block)


def attach_block(host: MemoryHost, request: SimRequest, agent_id: str, block_id: str) -> SimResponse:
    error = check_ids(block_id=block_id, agent_id=agent_id)
    if error is not None:
        return error
    with host.state_lock:
        agent, missing = _agent_or_404(host, agent_id)
        if agent is None:
            return missing
        block = host.memory.blocks.get(block_id)
        if block is None:
            return orm_not_found("Block", block_id)
        if all(item["id"] != block_id for item in agent.blocks):
            agent.blocks.append(block)
        return json_response(200, agent.to_json())


def detach_block(host: MemoryHost, request: SimRequest, agent_id: str, block_id: str) -> SimResponse:
    error = check_ids(block_id=block_id, agent_id=agent_id)
    if error is not None:
        return error
    with host.state_lock:
        agent, missing = _agent_or_404(host, agent_id)
        if agent is None:
            return missing
        kept = [block for block in agent.blocks if block["id"] != block_id]
        if len(kept) == len(agent.blocks):
            detail = f"No block with id '{block_id}' found for agent '{agent_id}' with actor id: '{USER_ID}'"
            return json_response(404, {"detail": detail})
        agent.blocks = kept
        return json_response(200, agent.to_json())


# -- /v1/blocks ----------------------------------------------------------------------------------


def create_block(host: MemoryHost, request: SimRequest) -> SimResponse:
    body, error = check_body(request, required=("label",))
    if error is not None:
        return error
    assert body is not None
    block = new_block(body)
    with host.state_lock:
        host.memory.blocks[block["id"]] = block
    return json_response(200, block)


def _contains(value: Any, part: Optional[str]) -> bool:
    return part is None or (isinstance(value, str) and part.lower() in value.lower())


def list_blocks(host: MemoryHost, request: SimRequest) -> SimResponse:
    query = request.query_value
    label = query("label")
    tags = set(request.query.get("tags") or [])
    match_all = query("match_all_tags") == "true"

    def wanted(block: Json) -> bool:
        own = set(block["tags"])
        return (
            label in (None, block["label"])
            and block["is_template"] == (query("templates_only") == "true")
            and query("name") in (None, block["template_name"])
            and query("project_id") in (None, block["project_id"])
            and (label is not None or _contains(block["label"], query("label_search")))
            and _contains(block["value"], query("value_search"))
            and _contains(block["description"], query("description_search"))
            and (query("show_hidden_blocks") == "true" or not block["hidden"])
            and (not tags or (tags <= own if match_all else bool(tags & own)))
        )

    with host.state_lock:
        blocks = [block for block in host.memory.blocks.values() if wanted(block)]
    return cursor_page(request, blocks, order="asc", limit=50)


def retrieve_block(host: MemoryHost, request: SimRequest, block_id: str) -> SimResponse:
    error = check_ids(block_id=block_id)
    if error is not None:
        return error
    with host.state_lock:
        block = host.memory.blocks.get(block_id)
    if block is None:
        return json_response(404, {"detail": f"Block with id '{block_id}' not found"})
    return json_response(200, block)


def modify_block(host: MemoryHost, request: SimRequest, block_id: str) -> SimResponse:
    body, error = check_body(request)
    error = check_ids(block_id=block_id) or error
    if error is not None:
        return error
    assert body is not None
    with host.state_lock:
        block = host.memory.blocks.get(block_id)
        if block is None:
            return orm_not_found("Block", block_id)
        _update(block, body)
        return json_response(200, block)


def delete_block(host: MemoryHost, request: SimRequest, block_id: str) -> SimResponse:
    error = check_ids(block_id=block_id)
    if error is not None:
        return error
    with host.state_lock:
        if host.memory.blocks.pop(block_id, None) is None:
            return orm_not_found("Block", block_id)
        for agent in host.agents.values():
            agent.blocks = [block for block in agent.blocks if block["id"] != block_id]
    return json_response(200, None)


def list_block_agents(host: MemoryHost, request: SimRequest, block_id: str) -> SimResponse:
    """The agents the block is attached to (an unknown block has none: 200 ``[]``)."""
    error = check_ids(block_id=block_id)
    if error is not None:
        return error
    with host.state_lock:
        agents = [
            render(agent, request)
            for agent in host.agents.values()
            if any(block["id"] == block_id for block in agent.blocks)
        ]
    return cursor_page(request, agents, order="desc", limit=50)


# -- archival memory -----------------------------------------------------------------------------


def create_passage(host: MemoryHost, request: SimRequest, agent_id: str) -> SimResponse:
    body, error = check_body(request, required=("text",))
    error = check_ids(agent_id=agent_id) or error
    if error is not None:
        return error
    assert body is not None
    tags = wire.as_list(body.get("tags"))
    created = body.get("created_at")
    with host.state_lock:
        agent = host.agents.get(agent_id)
        if agent is None:
            return json_response(404, {"detail": f"Agent with ID {agent_id} not found"})
        stamp = created if isinstance(created, str) else wire.iso_now(host.now())
        passage = host.memory.new_passage(agent, str(body["text"]), tags, stamp)
    return json_response(200, [passage])


def list_passages(host: MemoryHost, request: SimRequest, agent_id: str) -> SimResponse:
    """Oldest first unless ``ascending=false``; ``search`` keeps the passages whose text holds it
    (case-insensitive); an unknown agent has none."""
    error = check_ids(agent_id=agent_id)
    if error is not None:
        return error
    search = request.query_value("search")
    with host.state_lock:
        passages = [p for p in host.memory.passages.get(agent_id, []) if _contains(p["text"], search)]
    ascending = (request.query_value("ascending") or "true").lower() not in ("false", "0", "no", "off")
    ordered = dataclasses.replace(request, query={**request.query, "order": ["asc" if ascending else "desc"]})
    return cursor_page(ordered, passages, order="asc", limit=100)


def delete_passage(host: MemoryHost, request: SimRequest, agent_id: str, memory_id: str) -> SimResponse:
    """As the server: the passage is looked up by id in every archive, not only the agent's."""
    error = check_ids(agent_id=agent_id)
    if error is not None:
        return error
    with host.state_lock:
        for passages in host.memory.passages.values():
            kept = [passage for passage in passages if passage["id"] != memory_id]
            if len(kept) < len(passages):
                passages[:] = kept
                return json_response(200, {"message": f"Memory id={memory_id} successfully deleted"})
    return json_response(404, {"detail": f"Passage with id {memory_id} not found in database."})


def search_passages(host: MemoryHost, request: SimRequest, agent_id: str) -> SimResponse:
    """``ArchivalMemorySearchResponse``: the passages holding ``query`` (case-insensitive), with
    the ``tags`` filter (``tag_match_mode`` any/all), at most ``top_k`` (5 by default)."""
    error = check_ids(agent_id=agent_id)
    query = request.query_value("query")
    if query is None:
        missing = {"type": "missing", "loc": ("query", "query"), "msg": "Field required", "input": None}
        return json_response(422, wire.validation_error([missing]))
    if error is not None:
        return error
    tags = set(request.query.get("tags") or [])
    match_all = request.query_value("tag_match_mode") == "all"
    raw_top_k = request.query_value("top_k")
    top_k = int(raw_top_k) if raw_top_k and raw_top_k.isdigit() else 5
    with host.state_lock:
        if agent_id not in host.agents:
            return json_response(404, {"detail": f"Agent with ID {agent_id} not found"})
        passages = list(host.memory.passages.get(agent_id, []))
    results: List[Json] = []
    for passage in passages:
        own = set(passage["tags"] or [])
        if not _contains(passage["text"], query):
            continue
        if tags and not (tags <= own if match_all else tags & own):
            continue
        results.append(
            {
                "id": passage["id"],
                "timestamp": str(passage["created_at"]).replace("Z", "+00:00"),
                "content": passage["text"],
                "tags": list(passage["tags"] or []),
            }
        )
    results = results[:top_k]
    return json_response(200, {"results": results, "count": len(results)})


_ID = r"([^/]+)"
Route = Callable[..., SimResponse]
ROUTES: List[Tuple[str, Mapping[str, Route]]] = [
    (rf"^/v1/agents/{_ID}/core-memory/blocks$", {"GET": list_agent_blocks}),
    (rf"^/v1/agents/{_ID}/core-memory/blocks/attach/{_ID}$", {"PATCH": attach_block}),
    (rf"^/v1/agents/{_ID}/core-memory/blocks/detach/{_ID}$", {"PATCH": detach_block}),
    (rf"^/v1/agents/{_ID}/core-memory/blocks/{_ID}$", {"GET": retrieve_agent_block, "PATCH": modify_agent_block}),
    (r"^/v1/blocks$", {"POST": create_block, "GET": list_blocks}),
    (rf"^/v1/blocks/{_ID}$", {"GET": retrieve_block, "PATCH": modify_block, "DELETE": delete_block}),
    (rf"^/v1/blocks/{_ID}/agents$", {"GET": list_block_agents}),
    (rf"^/v1/agents/{_ID}/archival-memory$", {"POST": create_passage, "GET": list_passages}),
    (rf"^/v1/agents/{_ID}/archival-memory/search$", {"GET": search_passages}),
    (rf"^/v1/agents/{_ID}/archival-memory/{_ID}$", {"DELETE": delete_passage}),
]
