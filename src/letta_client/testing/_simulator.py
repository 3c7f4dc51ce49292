"""``Simulator``: the state of a simulated Letta server (agents, histories, runs, pending
approvals, scripts) and its routes. Transports and the loopback server call ``handle``."""

from __future__ import annotations

import contextlib
import re
import threading
from datetime import datetime, timedelta, timezone
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Generator,
    List,
    Mapping,
    Optional,
    Sequence,
    Set,
)

from . import _wire as wire
from ._activity import ROUTES as ACTIVITY_ROUTES
from ._agents import ROUTES as AGENT_ROUTES
from ._agents import Agent
from ._conversations import ROUTES as CONVERSATION_ROUTES
from ._conversations import RUN_LIFETIME, Conversation, ConversationStore, expired_response
from ._http import Disconnected, SimRequest, SimResponse, json_response, sse_response
from ._listing import history_page, run_messages_page
from ._memory import ROUTES as MEMORY_ROUTES
from ._memory import MemoryStore
from ._models import ROUTES as MODEL_ROUTES
from ._registry import ROUTES as REGISTRY_ROUTES
from ._registry import ToolRegistry
from ._runs import Run, background_body, foreground_body, start_background, stream_outputs
from ._script import Action, Error, Reply, ToolFunction, default_actions, get_weather
from ._server import LoopbackServer
from ._thread import Thread
from ._transport import AsyncSimulatorTransport, SimulatorTransport
from ._turn import Turn, TurnContext, approval_response_message, render_turn, run_tool, tool_return_message
from ._validate import check_agent_id, check_send_body, normalized_messages, streaming_allowed, user_text
from ._wire import Json

if TYPE_CHECKING:
    import httpx

    from .._client import AsyncLetta, Letta

__all__ = ["DEFAULT_AGENT_ID", "Simulator"]

DEFAULT_AGENT_ID = "agent-00000000-0000-4000-8000-000000000001"
"""The id of the agent every ``Simulator`` starts with."""

SERVER_VERSION = "0.16.8"
_RUN_ID = re.compile(r"^run-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
_PENDING_MESSAGE = (
    "CONFLICT: Cannot send a new message: The agent is waiting for approval on a tool call. "
    "Please approve or deny the pending request before continuing."
)
_NOTHING_PENDING = (
    "Cannot process approval response: No tool call is currently awaiting approval. "
    "Please send a regular message to interact with the agent."
)
_STREAM_FAILURE = "An unknown error occurred with the LLM streaming request."


class _Failure(Exception):
    """A send the server refuses: an HTTP error when not streaming, an error frame when streaming."""

    def __init__(self, status: int, body: Json, stream_message: str, stream_detail: str) -> None:
        super().__init__(stream_detail)
        self.status = status
        self.body = body
        self.stream_error = Error("internal_error", stream_message, stream_detail)


class Simulator:
    """An in-process Letta server that speaks the real wire protocol.

    ``client()`` / ``async_client()`` give a ``Letta`` / ``AsyncLetta`` wired to it through an
    httpx transport (no sockets); ``serve()`` listens on 127.0.0.1 for code that needs a URL.
    ``api_key`` makes every request need ``Authorization: Bearer <api_key>`` (401 otherwise).
    ``frame_delay`` spaces stream frames out by that many seconds, to watch them arrive.
    ``redis=False`` plays a server without Redis: no background runs (503), no conversation lock
    and no duplicate-request recovery.
    """

    def __init__(self, *, api_key: Optional[str] = None, frame_delay: float = 0.0, redis: bool = True) -> None:
        self.api_key = api_key
        self.frame_delay = frame_delay
        self.redis = redis
        self.conversations = ConversationStore()
        """The conversations, their locks and the otid → run map (``/v1/conversations``)."""
        self.memory = MemoryStore()
        """The core memory blocks and the agents' archival passages (``/v1/blocks``, …)."""
        self.tool_registry = ToolRegistry()
        """The tools agents can have attached (``/v1/tools``)."""
        self.requests: List[SimRequest] = []
        """Every request received, in order (for assertions)."""
        self._lock = threading.RLock()
        self._agents: Dict[str, Agent] = {}
        self._runs: Dict[str, Run] = {}
        self._tools: Dict[str, ToolFunction] = {"get_weather": get_weather}
        self._call_counter = 0
        self._clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
        self._add_agent(Agent(DEFAULT_AGENT_ID, "default", self._clock()), None)

    # -- scripting -------------------------------------------------------------------------

    @property
    def default_agent_id(self) -> str:
        """The agent that exists from the start (``DEFAULT_AGENT_ID``)."""
        return DEFAULT_AGENT_ID

    def create_agent(self, name: Optional[str] = None, config: Optional[Mapping[str, Any]] = None) -> str:
        """Create an agent (as ``POST /v1/agents/`` does, ``config`` being its body) and return its id."""
        with self._lock:
            agent = Agent(wire.new_id("agent"), name or f"agent-{len(self._agents) + 1}", self._clock(), config)
            return self._add_agent(agent, config)

    def _add_agent(self, agent: Agent, config: Optional[Mapping[str, Any]]) -> str:
        """Store a new agent with the blocks and tools its create body (``config``) asks for."""
        self.memory.furnish(agent, config)
        self.tool_registry.furnish(agent, config)
        self._agents[agent.id] = agent
        return agent.id

    def script(self, agent_id: str, actions: Sequence[Action]) -> None:
        """Queue the agent's next turn. Each user message plays the oldest queued script; with
        none queued, the agent behaves by default (thinks, then echoes or checks the weather)."""
        with self._lock:
            self._agent(agent_id).scripts.append(list(actions))

    def add_tool(self, name: str, function: ToolFunction) -> None:
        """Register a server-side tool that ``ToolCall(name, ...)`` runs when it has no ``result``."""
        with self._lock:
            self._tools[name] = function
            self.tool_registry.ensure(name, function.__doc__)

    def history(self, agent_id: str) -> List[Json]:
        """A copy of the agent's stored messages, oldest first (what ``GET …/messages`` pages over)."""
        with self._lock:
            return [dict(message) for message in self._agent(agent_id).history]

    def create_conversation(self, agent_id: str) -> str:
        """Create a conversation on the agent (as ``POST /v1/conversations/`` does); its id."""
        with self._lock:
            agent = self._agent(agent_id)
            conversation = Conversation(agent, agent_id, self._clock(), None)
            self.conversations.conversations[conversation.id] = conversation
            return conversation.id

    def conversation_history(self, conversation_id: str) -> List[Json]:
        """A copy of the conversation's stored messages, oldest first."""
        with self._lock:
            return [dict(message) for message in self.conversations.conversations[conversation_id].history]

    def expire_run(self, run_id: str) -> None:
        """Make the run older than 3 hours: its stream can no longer be read (410)."""
        with self._lock:
            self._runs[run_id].created_at -= RUN_LIFETIME + timedelta(minutes=1)

    def run(self, run_id: str) -> Json:
        """The run as ``GET /v1/runs/{run_id}`` returns it."""
        with self._lock:
            return self._runs[run_id].to_json()

    # -- what the conversation routes use (``_conversations.Host``) -------------------------

    @property
    def state_lock(self) -> threading.RLock:
        return self._lock

    @property
    def agents(self) -> Dict[str, Agent]:
        return self._agents

    def now(self) -> datetime:
        return self._clock()

    def agent_thread(self, agent_id: str) -> Optional[Thread]:
        return self._agents.get(agent_id)

    def find_run(self, run_id: str) -> Optional[Run]:
        return self._runs.get(run_id)

    def runs_of(self, predicate: Callable[[Run], bool]) -> List[Run]:
        """The runs that match, oldest first."""
        with self._lock:
            return [run for run in self._runs.values() if predicate(run)]

    def _agent(self, agent_id: str) -> Agent:
        agent = self._agents.get(agent_id)
        if agent is None:
            raise KeyError(f"no agent {agent_id!r} in this simulator")
        return agent

    # -- clients ---------------------------------------------------------------------------

    def transport(self) -> httpx.BaseTransport:
        """An httpx transport answering from this simulator (bodies stream chunk by chunk)."""
        return SimulatorTransport(self)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        return AsyncSimulatorTransport(self)

    def client(self, **options: Any) -> Letta:
        """A ``Letta`` client talking to this simulator; ``options`` go to ``Letta(...)``."""
        import httpx

        from .._client import Letta

        options.setdefault("api_key", self.api_key)
        return Letta(base_url="http://letta.simulator", http_client=httpx.Client(transport=self.transport()), **options)

    def async_client(self, **options: Any) -> AsyncLetta:
        """An ``AsyncLetta`` client talking to this simulator."""
        import httpx

        from .._client import AsyncLetta

        options.setdefault("api_key", self.api_key)
        http_client = httpx.AsyncClient(transport=self.async_transport())
        return AsyncLetta(base_url="http://letta.simulator", http_client=http_client, **options)

    @contextlib.contextmanager
    def serve(self) -> Generator[str, None, None]:
        """Listen on 127.0.0.1 (a free port) while the block runs; yields the base URL."""
        with LoopbackServer(self) as base_url:
            yield base_url

    # -- routing ---------------------------------------------------------------------------

    def handle(self, request: SimRequest) -> SimResponse:
        """Answer one request. May raise ``Disconnected`` to drop the connection instead."""
        with self._lock:
            self.requests.append(request)
        if self.api_key is not None and request.headers.get("authorization") != f"Bearer {self.api_key}":
            return json_response(401, {"detail": "Unauthorized"})
        path = request.path.rstrip("/")
        method = request.method.upper()
        for pattern, methods in _ROUTES:
            match = pattern.match(path)
            if match is None:
                continue
            handler = methods.get(method)
            if handler is None:
                return json_response(405, {"detail": "Method Not Allowed"})
            return handler(self, request, *match.groups())
        return json_response(404, {"detail": "Not Found"})

    def _health(self, request: SimRequest) -> SimResponse:
        return json_response(200, {"version": SERVER_VERSION, "status": "ok"})

    def _list_messages(self, request: SimRequest, agent_id: str) -> SimResponse:
        error = check_agent_id(agent_id)
        if error is not None:
            return error
        with self._lock:
            agent = self._agents.get(agent_id)
            items = None if agent is None else list(agent.history)
        return history_page(request, items, not_found="Agent not found", owner=f"agent '{agent_id}'")

    def _get_run(self, request: SimRequest, run_id: str) -> SimResponse:
        run, error = self._find_run(run_id)
        if run is None:
            return error
        with self._lock:
            return json_response(200, run.to_json())

    def _run_messages(self, request: SimRequest, run_id: str) -> SimResponse:
        run, error = self._find_run(run_id)
        if run is None:
            return error
        with self._lock:
            return run_messages_page(request, list(run.messages), owner=f"run '{run_id}'")

    def _find_run(self, run_id: str) -> tuple[Optional[Run], SimResponse]:
        if not _RUN_ID.match(run_id):
            detail = f"INVALID_ARGUMENT: Invalid run ID format: {run_id}. Expected format: 'run-<uuid4>'"
            return None, json_response(400, {"detail": detail})
        with self._lock:
            run = self._runs.get(run_id)
        if run is None:
            return None, json_response(404, {"detail": f"Run with ID {run_id} not found"})
        return run, json_response(200, {})

    def _resume_stream(self, request: SimRequest, run_id: str) -> SimResponse:
        body = wire.as_object(request.json())
        if body is None:
            return json_response(500, {"detail": "An unknown error occurred"})
        run, error = self._find_run(run_id)
        if run is None:
            return error
        if run.log is None:
            detail = "INVALID_ARGUMENT: Run was not created in background mode, so it cannot be retrieved."
            return json_response(400, {"detail": detail})
        expired = expired_response(self, run)
        if expired is not None:
            return expired
        if not self.redis:
            return json_response(503, {"detail": wire.NO_REDIS_STREAM})
        after = body.get("starting_after", 0)
        return sse_response(
            background_body(run.log, after=after if isinstance(after, int) else 0, disconnect_after=None)
        )

    def _cancel(self, request: SimRequest, agent_id: str) -> SimResponse:
        error = check_agent_id(agent_id)
        if error is not None:
            return error
        run_ids = (wire.as_object(request.json()) or {}).get("run_ids")
        with self._lock:
            agent = self._agents.get(agent_id)
            if agent is None:
                return json_response(404, {"detail": f"Agent with ID {agent_id} not found"})
            if not isinstance(run_ids, list):  # pyright: ignore[reportUnknownArgumentType]
                if agent.last_run_id is None:
                    return json_response(409, {"detail": f"CONFLICT: No active runs to cancel for agent {agent_id}"})
                run_ids = [agent.last_run_id]
            result: Dict[str, str] = {}
            for run_id in run_ids:  # pyright: ignore[reportUnknownVariableType]
                run = self._runs.get(str(run_id))  # pyright: ignore[reportUnknownArgumentType]
                if run is None or run.agent_id != agent_id:
                    result[str(run_id)] = "failed"  # pyright: ignore[reportUnknownArgumentType]
                    continue
                run.cancelled.set()
                if run.completed_at is None or run.stop_reason == "requires_approval":
                    run.completed_at = None
                    run.finish("cancelled", self._clock())
                    if agent.pending is not None and agent.last_run_id == run.id:
                        agent.pending = None
                result[run.id] = "cancelled"
        return json_response(200, result)

    # -- sending ---------------------------------------------------------------------------

    def _send(self, request: SimRequest, agent_id: str) -> SimResponse:
        return self._send_message(request, agent_id, legacy=False)

    def _send_legacy(self, request: SimRequest, agent_id: str) -> SimResponse:
        return self._send_message(request, agent_id, legacy=True)

    def _send_async(self, request: SimRequest, agent_id: str) -> SimResponse:
        """``/messages/async``: the turn runs at once; the answer is the new run, ``created``."""
        error = check_agent_id(agent_id)
        if error is not None:
            return error
        body, error = check_send_body(request, streaming_endpoint=False)
        if body is None:
            assert error is not None
            return error
        with self._lock:
            agent = self._agents.get(agent_id)
            if agent is None:
                return json_response(404, {"detail": f"Agent with ID {agent_id} not found"})
            now = self._clock()
            run = Run(agent_id, background=True, now=now)
            run.log = None
            self._runs[run.id] = run
            agent.last_run_id = run.id
            answer = run.to_json()
            answer.update(status="created", metadata={"run_type": "send_message_async", "lettuce": None})
            try:
                turn = self._play(agent, run, body, now)
            except _Failure:
                run.finish("error", now)
            else:
                run.finish(turn.stop_reason if turn.error is None else "error", now)
        return json_response(200, answer)

    def _send_message(self, request: SimRequest, agent_id: str, *, legacy: bool) -> SimResponse:
        error = check_agent_id(agent_id)
        if error is not None:
            return error
        body, error = check_send_body(request, streaming_endpoint=legacy)
        if body is None:
            assert error is not None
            return error
        streaming = legacy or body.get("streaming") is True
        if streaming and not legacy and not streaming_allowed(request):
            return json_response(422, {"detail": "streaming=true is only supported for SDK v1.0+ clients."})
        background = streaming and body.get("background") is True
        if background and not self.redis:
            return json_response(503, {"detail": wire.NO_REDIS})
        with self._lock:
            agent = self._agents.get(agent_id)
            if agent is None:
                return json_response(404, {"detail": f"Agent with ID {agent_id} not found"})
        return self.start_turn(agent, agent_id, body, streaming=streaming, background=background)

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
    ) -> SimResponse:
        """Play one turn on ``thread`` (an agent's default history or a conversation) and answer
        with its JSON or its stream. ``on_run`` sees the new run first (under the state lock)."""
        token_mode = streaming and body.get("stream_tokens") is True
        with self._lock:
            now = self._clock()
            run = Run(agent_id, background=background, now=now, conversation_id=conversation_id)
            self._runs[run.id] = run
            thread.last_run_id = run.id
            if on_run is not None:
                on_run(run)
            try:
                turn = self._play(thread, run, body, now)
            except _Failure as failure:
                if not streaming:
                    run.finish("error", now)
                    return json_response(failure.status, failure.body)
                turn = Turn(stop_reason="error", error=failure.stream_error)
        types = body.get("include_return_message_types")
        message_types: Optional[Set[str]] = set(types) if isinstance(types, list) else None  # pyright: ignore[reportUnknownArgumentType]
        usage = wire.usage(
            completion=turn.completion_tokens,
            prompt=700 + 25 * len(thread.history),
            steps=max(turn.steps, 1),
            token_mode=token_mode,
        )
        if not streaming:
            return self._json_answer(turn, run, usage, message_types)
        if turn.disconnect_after == 0:
            run.finish(turn.stop_reason, self._clock())
            raise Disconnected

        def finish() -> None:
            with self._lock:
                run.finish(turn.stop_reason, self._clock())

        outputs = stream_outputs(
            turn,
            run,
            token_mode=token_mode,
            include_pings=body.get("include_pings") is not False,
            message_types=message_types,
            usage=usage,
            date=wire.message_date(now),
            background=background,
        )
        if run.log is not None:
            start_background(outputs, run, frame_delay=self.frame_delay, on_finish=finish)
            return sse_response(background_body(run.log, after=0, disconnect_after=turn.disconnect_after))
        return sse_response(
            foreground_body(
                outputs, run, disconnect_after=turn.disconnect_after, frame_delay=self.frame_delay, on_finish=finish
            )
        )

    def _json_answer(self, turn: Turn, run: Run, usage: Json, message_types: Optional[Set[str]]) -> SimResponse:
        with self._lock:
            run.finish(turn.stop_reason, self._clock())
        if turn.disconnect_after is not None:
            raise Disconnected
        error = turn.error
        if error is not None:
            _, status = wire.ERROR_STOP_REASONS.get(error.error_type, ("error", 500))
            if not error.error_type.startswith("llm_"):
                return json_response(500, {"detail": "An unknown error occurred"})
            message = error.message or wire.DEFAULT_ERROR_MESSAGES.get(error.error_type, "An error occurred.")
            return json_response(
                status, {"error": {"type": error.error_type, "message": message, "detail": error.detail}}
            )
        messages = [m for m in turn.messages if message_types is None or m["message_type"] in message_types]
        return json_response(
            200,
            {
                "messages": messages,
                "stop_reason": wire.stop_reason(turn.stop_reason),
                "usage": usage,
                "logprobs": None,
                "turns": None,
            },
        )

    def _next_call_id(self) -> str:
        with self._lock:
            self._call_counter += 1
            return f"call_sim_{self._call_counter:06d}"

    def _play(self, agent: Thread, run: Run, body: Mapping[str, Any], now: datetime) -> Turn:
        """Run the agent's turn for this request and store it (history, run, pending approval)."""
        messages = normalized_messages(body)
        raw_tools = body.get("client_tools")
        client_tools: Dict[str, Mapping[str, Any]] = {}
        if isinstance(raw_tools, list):
            for tool in raw_tools:  # pyright: ignore[reportUnknownVariableType]
                if isinstance(tool, dict) and isinstance(tool.get("name"), str):  # pyright: ignore[reportUnknownMemberType]
                    client_tools[tool["name"]] = tool  # pyright: ignore[reportUnknownArgumentType]
        approval_tools = self._approval_tools(run.agent_id)
        context = TurnContext(
            run_id=run.id,
            now=now,
            client_tools=client_tools,
            tools=dict(self._tools),
            next_call_id=self._next_call_id,
            approval_tools=frozenset(approval_tools),
        )
        if not messages:
            raise _Failure(500, {"detail": "An unknown error occurred"}, _STREAM_FAILURE, "list index out of range")
        first = messages[0]
        stored: List[Json] = []
        if first["type"] in ("tool_return", "approval"):
            actions, prefix, ran = self._resume(agent, first, run, now)
            if first["type"] == "approval":  # the server keeps the answer (not its otid), as the user's side of the run
                stored.append(approval_response_message(first, run_id=run.id, date=wire.message_date(now)))
        else:
            if agent.pending is not None:
                detail: Json = {
                    "code": "PENDING_APPROVAL",
                    "message": _PENDING_MESSAGE,
                    "pending_request_id": agent.pending.approval_id,
                }
                raise _Failure(409, {"detail": detail}, _PENDING_MESSAGE, _PENDING_MESSAGE)
            prefix, ran = [], False
            text = user_text(messages[-1].get("content"))
            callable_tools = [*client_tools.values(), *approval_tools.values()]
            actions = agent.scripts.popleft() if agent.scripts else default_actions(text, callable_tools)
            for message in messages:
                if message["type"] != "message":
                    continue
                user = wire.base_message(
                    f"{message.get('role', 'user')}_message",
                    id=wire.new_id("message"),
                    date=wire.message_date(now),
                    otid=message.get("otid") or wire.new_id(""),
                    step_id=None,
                    run_id=run.id,
                )
                user["content"] = message.get("content")
                stored.append(user)
        turn = render_turn(actions, context, prefix=prefix, prefix_streamed=ran)
        for message in stored:
            if message["message_type"] != "approval_response_message":
                message["step_id"] = turn.first_step_id
        agent.pending = turn.pending
        agent.history.extend(stored + turn.messages)
        run.messages = stored + turn.messages
        return turn

    def _approval_tools(self, agent_id: str) -> Dict[str, Json]:
        """The agent's attached tools that its ``requires_approval`` rules name: their JSON schemas."""
        agent = self._agents.get(agent_id)
        if agent is None:
            return {}
        rules = wire.as_list(agent.config.get("tool_rules")) or []
        names = {
            str(rule["tool_name"])
            for rule in map(wire.as_object, rules)
            if rule and rule.get("type") == "requires_approval"
        }
        return {
            tool["name"]: tool["json_schema"] or {"name": tool["name"]} for tool in agent.tools if tool["name"] in names
        }

    def _resume(self, agent: Thread, message: Json, run: Run, now: datetime) -> tuple[List[Action], List[Json], bool]:
        """Answer a pending approval with the client's tool returns (or approvals): the actions
        that follow, the tool return message, and whether the server ran an approved tool."""
        pending = agent.pending
        if pending is None:
            raise _Failure(400, {"detail": _NOTHING_PENDING}, _STREAM_FAILURE, _NOTHING_PENDING)
        items: List[Any] = list(message.get("tool_returns") or message.get("approvals") or [])
        if not items and message.get("approval_request_id"):
            items = [{"type": "approval", "tool_call_id": pending.tool_call_ids[0], "approve": message.get("approve")}]
        returns: List[Json] = []
        ran = False
        for item in items:
            fields = wire.as_object(item)
            if fields is None:
                continue
            call_id = str(fields.get("tool_call_id"))
            if fields.get("type", "tool") == "approval":
                approved = fields.get("approve") is True
                server_call = pending.server_calls.get(call_id)
                if approved and server_call is not None:  # the server runs its tool now
                    text, status, ran = run_tool(server_call, self._tools), server_call.status, True
                else:
                    text = (
                        "approved"
                        if approved
                        else f"Error: request to call tool denied. User reason: {fields.get('reason')}"
                    )
                    status = "success" if approved else "error"
                returns.append({"tool_call_id": call_id, "status": status, "tool_return": text})
            else:
                value = fields.get("tool_return")
                text = value if isinstance(value, str) else user_text(value)
                returns.append(
                    {"tool_call_id": call_id, "status": fields.get("status", "success"), "tool_return": text}
                )
        got = sorted(r["tool_call_id"] for r in returns)
        if got != sorted(pending.tool_call_ids):
            detail = f"Invalid tool call IDs. Expected '{sorted(pending.tool_call_ids)}', but received '{got}'."
            raise _Failure(400, {"detail": detail}, _STREAM_FAILURE, detail)
        prefix = [tool_return_message(returns, step_id=pending.step_id, run_id=run.id, date=wire.message_date(now))]
        actions: List[Action] = pending.continuation
        if not actions:
            first = returns[0]
            name = pending.names.get(first["tool_call_id"], "tool")
            actions = [Reply(f"The {name} tool returned: {first['tool_return']}")]
        agent.pending = None
        return actions, prefix, ran


Handler = Callable[..., SimResponse]

_ID = r"([^/]+)"
_ROUTES: List[tuple[re.Pattern[str], Mapping[str, Handler]]] = [
    (re.compile(r"^/v1/health$"), {"GET": Simulator._health}),  # pyright: ignore[reportPrivateUsage]
    (
        re.compile(rf"^/v1/agents/{_ID}/messages$"),
        {"POST": Simulator._send, "GET": Simulator._list_messages},  # pyright: ignore[reportPrivateUsage]
    ),
    (re.compile(rf"^/v1/agents/{_ID}/messages/stream$"), {"POST": Simulator._send_legacy}),  # pyright: ignore[reportPrivateUsage]
    (re.compile(rf"^/v1/agents/{_ID}/messages/cancel$"), {"POST": Simulator._cancel}),  # pyright: ignore[reportPrivateUsage]
    (re.compile(rf"^/v1/agents/{_ID}/messages/async$"), {"POST": Simulator._send_async}),  # pyright: ignore[reportPrivateUsage]
    (re.compile(rf"^/v1/runs/{_ID}$"), {"GET": Simulator._get_run}),  # pyright: ignore[reportPrivateUsage]
    (re.compile(rf"^/v1/runs/{_ID}/messages$"), {"GET": Simulator._run_messages}),  # pyright: ignore[reportPrivateUsage]
    (re.compile(rf"^/v1/runs/{_ID}/stream$"), {"POST": Simulator._resume_stream}),  # pyright: ignore[reportPrivateUsage]
    *(
        (re.compile(pattern), methods)
        for pattern, methods in (
            *AGENT_ROUTES,
            *CONVERSATION_ROUTES,
            *MODEL_ROUTES,
            *MEMORY_ROUTES,
            *REGISTRY_ROUTES,
            *ACTIVITY_ROUTES,
        )
    ),
]
