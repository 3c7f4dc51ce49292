"""``/v1/conversations``: conversations, their lock, and duplicate-request recovery.

As Letta 0.16.8 does it (wire notes "conversations and idempotency"): a send takes the
conversation's lock (the agent's in agent-direct mode, ``"default"`` + ``agent_id``) with a token
made from its message otids; a concurrent send gets 409 naming the running ``run_id``. A
*background* send whose token already started a run gets that run's stream from its first frame
instead of a second turn. Without Redis (``Simulator(redis=False)``) there is no lock, no
recovery, and background sends and ``…/stream`` answer 503. Non-streaming sends to a
conversation take no lock (agent-direct ones do).
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from typing_extensions import Protocol

from . import _wire as wire
from ._http import SimRequest, SimResponse, json_response, sse_response
from ._listing import history_page
from ._models import handle_format_error, unknown_model
from ._runs import Run, background_body
from ._thread import Thread
from ._validate import check_send_body, normalized_messages
from ._wire import Json

__all__ = ["Conversation", "ConversationStore", "Host", "ROUTES"]

RUN_LIFETIME = timedelta(hours=3)
_ACTIVE = ("created", "running")


class Conversation(Thread):
    """Starts with a copy of the agent's system message, as the server's conversations do."""

    def __init__(self, agent: Thread, agent_id: str, now: datetime, summary: Optional[str]) -> None:
        super().__init__(agent.scripts)
        self.history = [{**message, "id": wire.new_id("message")} for message in agent.history[:1]]
        self.id = wire.new_id("conv")
        self.agent_id = agent_id
        self.summary = summary
        self.model: Optional[str] = None
        self.created_at = now
        self.updated_at = now
        self.last_message_at: Optional[datetime] = None

    def to_json(self) -> Json:
        return {
            "created_by_id": None,
            "last_updated_by_id": None,
            "created_at": wire.iso_now(self.created_at),
            "updated_at": wire.iso_now(self.updated_at),
            "id": self.id,
            "agent_id": self.agent_id,
            "summary": self.summary,
            "in_context_message_ids": [m["id"] for m in self.history],
            "isolated_block_ids": [],
            "model": self.model,
            "model_settings": None,
            "last_message_at": wire.iso_now(self.last_message_at) if self.last_message_at else None,
        }


class ConversationStore:
    """The conversations, the held locks (lock key → token) and Redis's otid/token → run map."""

    def __init__(self) -> None:
        self.conversations: Dict[str, Conversation] = {}
        self.locks: Dict[str, str] = {}
        self.run_of: Dict[str, str] = {}


class Host(Protocol):
    """What the routes need from the ``Simulator``."""

    redis: bool
    conversations: ConversationStore

    @property
    def state_lock(self) -> Any: ...
    def now(self) -> datetime: ...
    def agent_thread(self, agent_id: str) -> Optional[Thread]: ...
    def find_run(self, run_id: str) -> Optional[Run]: ...
    def runs_of(self, predicate: Callable[[Run], bool]) -> List[Run]: ...
    def start_turn(
        self,
        thread: Thread,
        agent_id: str,
        body: Mapping[str, Any],
        *,
        streaming: bool,
        background: bool,
        conversation_id: Optional[str] = None,
        on_run: Optional[Callable[[Run], Any]] = None,
    ) -> SimResponse: ...


def _not_found(conversation_id: str) -> SimResponse:
    return json_response(404, {"detail": f"Conversation with id {conversation_id} not found"})


def _request_token(otids: List[str]) -> str:
    if not otids:
        return str(uuid.uuid4())
    return hashlib.sha256("|".join(otids).encode()).hexdigest()[:16]


def _busy(run_id: Optional[str]) -> SimResponse:
    if run_id:
        text = f"Another request (run_id={run_id}) is currently being processed for this conversation. "
        text += "Please wait for it to complete."
    else:
        text = "Another request is currently being processed for this conversation. "
        text += "Please wait for the current request to complete."
    body: Json = {"detail": f"CONFLICT: Cannot send a new message: {text}"}
    if run_id:
        body["run_id"] = run_id
    return json_response(409, body)


def _resolve(
    sim: Host, conversation_id: str, agent_id: Optional[str]
) -> Tuple[Optional[Thread], str, Optional[str], Optional[SimResponse]]:
    """(thread, its agent, its conversation id or ``None`` in agent-direct mode, error)."""
    if (conversation_id == "default" and agent_id) or conversation_id.startswith("agent-"):
        direct = agent_id if conversation_id == "default" else conversation_id
        assert direct is not None
        thread = sim.agent_thread(direct)
        if thread is None:
            return None, direct, None, json_response(404, {"detail": f"Agent with ID {direct} not found"})
        return thread, direct, None, None
    conversation = sim.conversations.conversations.get(conversation_id)
    if conversation is None:
        return None, "", None, _not_found(conversation_id)
    return conversation, conversation.agent_id, conversation.id, None


def create(sim: Host, request: SimRequest) -> SimResponse:
    agent_id = request.query_value("agent_id")
    if agent_id is None:
        error = {"type": "missing", "loc": ("query", "agent_id"), "msg": "Field required", "input": None}
        return json_response(422, wire.validation_error([error]))
    body = wire.as_object(request.json()) or {}
    malformed = handle_format_error(body.get("model"))  # a well-formed handle is looked up at send
    if malformed is not None:
        return malformed
    with sim.state_lock:
        agent = sim.agent_thread(agent_id)
        if agent is None:
            return json_response(404, {"detail": f"Agent with ID {agent_id} not found"})
        summary = body.get("summary")
        conversation = Conversation(agent, agent_id, sim.now(), summary if isinstance(summary, str) else None)
        conversation.model = body.get("model") if isinstance(body.get("model"), str) else None
        sim.conversations.conversations[conversation.id] = conversation
        return json_response(200, conversation.to_json())


def list_all(sim: Host, request: SimRequest) -> SimResponse:
    agent_id = request.query_value("agent_id")
    descending = (request.query_value("order") or "desc") == "desc"
    limit = int(request.query_value("limit") or "50")
    with sim.state_lock:
        items = [c for c in sim.conversations.conversations.values() if agent_id in (None, c.agent_id)]
        items.sort(key=lambda c: c.created_at, reverse=descending)
        after = request.query_value("after")
        if after is not None:
            ids = [c.id for c in items]
            items = items[ids.index(after) + 1 :] if after in ids else []
        return json_response(200, [c.to_json() for c in items[:limit]])


def retrieve(sim: Host, request: SimRequest, conversation_id: str) -> SimResponse:
    with sim.state_lock:
        conversation = sim.conversations.conversations.get(conversation_id)
        return _not_found(conversation_id) if conversation is None else json_response(200, conversation.to_json())


def update(sim: Host, request: SimRequest, conversation_id: str) -> SimResponse:
    body = wire.as_object(request.json()) or {}
    malformed = handle_format_error(body.get("model"))
    if malformed is not None:
        return malformed
    with sim.state_lock:
        conversation = sim.conversations.conversations.get(conversation_id)
        if conversation is None:
            return _not_found(conversation_id)
        if isinstance(body.get("summary"), str):
            conversation.summary = body["summary"]
        if isinstance(body.get("model"), str):
            conversation.model = body["model"]
        conversation.updated_at = sim.now()
        return json_response(200, conversation.to_json())


def delete(sim: Host, request: SimRequest, conversation_id: str) -> SimResponse:
    with sim.state_lock:
        if sim.conversations.conversations.pop(conversation_id, None) is None:
            return _not_found(conversation_id)
    return json_response(200, None)


def fork(sim: Host, request: SimRequest, conversation_id: str) -> SimResponse:
    with sim.state_lock:
        source, agent_id, _, error = _resolve(sim, conversation_id, request.query_value("agent_id"))
        if source is None:
            assert error is not None
            return error
        copy = Conversation(source, agent_id, sim.now(), None)
        copy.history = [dict(message) for message in source.history]
        sim.conversations.conversations[copy.id] = copy
        return json_response(200, copy.to_json())


def list_messages(sim: Host, request: SimRequest, conversation_id: str) -> SimResponse:
    with sim.state_lock:
        thread, _, _, _ = _resolve(sim, conversation_id, request.query_value("agent_id"))
        items = None if thread is None else list(thread.history)
    return history_page(
        request,
        items,
        not_found=f"Conversation with id {conversation_id} not found",
        owner="this conversation",
        newest_first=isinstance(thread, Conversation),  # the agent's default one pages as the agent's history
    )


def send(sim: Host, request: SimRequest, conversation_id: str) -> SimResponse:
    body, error = check_send_body(request, streaming_endpoint=True)
    if body is None:
        assert error is not None
        return error
    messages = normalized_messages(body)
    if not messages:
        return json_response(422, {"detail": "Messages must not be empty"})
    streaming = body.get("streaming") is not False
    background = streaming and body.get("background") is True
    agent_field = body.get("agent_id")
    with sim.state_lock:
        thread, agent_id, conversation, error = _resolve(
            sim, conversation_id, agent_field if isinstance(agent_field, str) else None
        )
        if thread is None:
            assert error is not None
            return error
        unknown = unknown_model(thread.model) if isinstance(thread, Conversation) else None
        if unknown is not None:
            return unknown
        if background and not sim.redis:
            return json_response(503, {"detail": wire.NO_REDIS})
        if isinstance(thread, Conversation):
            thread.last_message_at = sim.now()
        store = sim.conversations
        otids = [str(m["otid"]) for m in messages if m.get("otid")]
        token = _request_token(otids)
        lock_key = conversation or agent_id
        locking = sim.redis and (streaming or conversation is None)
        if locking:
            recovered = store.run_of.get(token)
            if background and recovered is not None:
                run = sim.find_run(recovered)
                if run is not None and run.log is not None:
                    return sse_response(background_body(run.log, after=0, disconnect_after=None))
            holder = store.locks.get(lock_key)
            if holder is not None:
                return _busy(store.run_of.get(holder))
            store.locks[lock_key] = token

        def on_run(run: Run) -> None:
            if not locking:
                return
            store.run_of[token] = run.id
            for otid in otids:
                store.run_of[otid] = run.id
            run.on_finish.append(lambda: store.locks.pop(lock_key, None))

        return sim.start_turn(
            thread,
            agent_id,
            body,
            streaming=streaming,
            background=background,
            conversation_id=conversation,
            on_run=on_run,
        )


def follow(sim: Host, request: SimRequest, conversation_id: str) -> SimResponse:
    """``POST …/stream``: the run by ``run_id``, else by ``otid``, else the running one."""
    if not sim.redis:
        return json_response(503, {"detail": wire.NO_REDIS_STREAM})
    body = wire.as_object(request.json()) or {}
    with sim.state_lock:
        run_id, otid = body.get("run_id"), body.get("otid")
        if isinstance(run_id, str):
            run = sim.find_run(run_id)
            if run is None:
                return json_response(404, {"detail": f"Run {run_id} not found."})
        elif isinstance(otid, str):
            found = sim.conversations.run_of.get(otid)
            run = sim.find_run(found) if found is not None else None
            if run is None:
                detail = f"No run found for otid={otid}. The run may have expired or never existed."
                return json_response(404, {"detail": detail})
        else:
            thread, agent_id, conversation, error = _resolve(sim, conversation_id, body.get("agent_id"))
            if thread is None:
                assert error is not None
                return error
            active = sim.runs_of(
                lambda r: r.status in _ACTIVE and r.agent_id == agent_id and r.conversation_id == conversation
            )
            if not active:
                return json_response(400, {"detail": "INVALID_ARGUMENT: No active runs found for this conversation."})
            run = active[-1]
            if run.log is None:
                detail = "INVALID_ARGUMENT: Run was not created in background mode, so it cannot be retrieved."
                return json_response(400, {"detail": detail})
        expired = expired_response(sim, run)
        if expired is not None:
            return expired
        log = run.log
    if log is None:
        detail = "INVALID_ARGUMENT: Run was not created in background mode, so it cannot be retrieved."
        return json_response(400, {"detail": detail})
    after = body.get("starting_after", 0)
    return sse_response(background_body(log, after=after if isinstance(after, int) else 0, disconnect_after=None))


def expired_response(sim: Host, run: Run) -> Optional[SimResponse]:
    if run.created_at < sim.now() - RUN_LIFETIME:
        return json_response(410, {"detail": "EXPIRED: Run was created more than 3 hours ago, and is now expired."})
    return None


def cancel(sim: Host, request: SimRequest, conversation_id: str) -> SimResponse:
    with sim.state_lock:
        thread, agent_id, conversation, error = _resolve(sim, conversation_id, request.query_value("agent_id"))
        if thread is None:
            assert error is not None
            return error
        active = sim.runs_of(
            lambda r: r.status in _ACTIVE and r.agent_id == agent_id and r.conversation_id == conversation
        )
        if not active:
            detail = f"CONFLICT: No active runs to cancel for conversation {conversation_id}"
            return json_response(409, {"detail": detail})
        for run in active:
            run.cancelled.set()
            run.finish("cancelled", sim.now())
            if thread.last_run_id == run.id:
                thread.pending = None
        return json_response(200, {run.id: "cancelled" for run in active})


def compact(sim: Host, request: SimRequest, conversation_id: str) -> SimResponse:
    body = wire.as_object(request.json()) or {}
    with sim.state_lock:
        thread, _, _, error = _resolve(sim, conversation_id, body.get("agent_id"))
        if thread is None:
            assert error is not None
            return error
        before = len(thread.history)
        kept = thread.history[-2:]
        thread.history[:] = kept
        summary = f"The conversation so far: {before} messages, compacted to {len(kept)}."
        return json_response(200, {"summary": summary, "num_messages_before": before, "num_messages_after": len(kept)})


def recompile(sim: Host, request: SimRequest, conversation_id: str) -> SimResponse:
    """The system prompt as a JSON string (this simulator keeps it as it is)."""
    body = wire.as_object(request.json()) or {}
    with sim.state_lock:
        thread, _, _, error = _resolve(sim, conversation_id, body.get("agent_id"))
        if thread is None:
            assert error is not None
            return error
        system = [m.get("content") for m in thread.history if m["message_type"] == "system_message"]
        return json_response(200, system[0] if system else "")


Route = Callable[..., SimResponse]

_ID = r"([^/]+)"
ROUTES: List[Tuple[str, Mapping[str, Route]]] = [
    (r"^/v1/conversations$", {"POST": create, "GET": list_all}),
    (rf"^/v1/conversations/{_ID}$", {"GET": retrieve, "PATCH": update, "DELETE": delete}),
    (rf"^/v1/conversations/{_ID}/fork$", {"POST": fork}),
    (rf"^/v1/conversations/{_ID}/messages$", {"POST": send, "GET": list_messages}),
    (rf"^/v1/conversations/{_ID}/stream$", {"POST": follow}),
    (rf"^/v1/conversations/{_ID}/cancel$", {"POST": cancel}),
    (rf"^/v1/conversations/{_ID}/compact$", {"POST": compact}),
    (rf"^/v1/conversations/{_ID}/recompile$", {"POST": recompile}),
]
