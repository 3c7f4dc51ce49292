"""``run_tools`` and ``resolve_pending_approvals``: the client-tool runner on an agent's messages
(``client.agents.messages``) and on a conversation's (``client.conversations.messages``).

The resources inherit these methods. A run reaches its messages through ``_Bound`` (the runner's
``MessageTarget``), made of the resource's own ``send`` and ``list``; for a conversation every
request, tool returns included, is then an exactly-once send.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Literal, Optional, Sequence, Union, cast, overload

from typing_extensions import Protocol, Unpack

from .._loop_thread import LoopThread
from .._pagination import SyncPage, in_time_order
from .._sentinels import leaves_out_sentinels
from .._streaming import AsyncStream, Stream
from ..tools import ApprovalHook, AsyncApprovalHook, AsyncToolRunnerStream, ToolLike, ToolRunnerStream, ToolRunResult
from ..tools._flow import DEFAULT_MAX_CONCURRENCY, DEFAULT_MAX_ROUNDS, Owner, PendingPolicy, Plan
from ..types.messages import LettaMessageUnion, LettaStreamingResponse
from ..types.params import MessageSendParams, StreamingSendParams
from ..types.response import LettaResponse

__all__ = ["AgentTools", "AsyncAgentTools", "AsyncConversationTools", "ConversationTools"]


class _Resource(Protocol):
    """What the mixins need from the resource that inherits them."""

    @property
    def send(self) -> Callable[..., Any]: ...

    @property
    def list(self) -> Callable[..., Any]: ...


class _Bound:
    """One agent's or conversation's messages, as the synchronous runner sees them."""

    def __init__(self, resource: object, owner_id: str, fixed: Dict[str, Any]) -> None:
        self._resource = cast(_Resource, resource)
        self._owner_id = owner_id
        self._fixed = fixed

    def send(self, body: Any) -> LettaResponse:
        return cast(LettaResponse, self._resource.send(self._owner_id, streaming=False, **self._fixed, **body))

    def stream(self, body: Any) -> Stream[LettaStreamingResponse]:
        stream = self._resource.send(self._owner_id, streaming=True, **self._fixed, **body)
        return cast("Stream[LettaStreamingResponse]", stream)

    def list(self, limit: int) -> List[LettaMessageUnion]:
        page = self._resource.list(self._owner_id, limit=limit, order="desc", **self._fixed)
        return in_time_order(cast("SyncPage[LettaMessageUnion]", page))


class _AsyncBound:
    """One agent's or conversation's messages, as the asynchronous runner sees them."""

    def __init__(self, resource: object, owner_id: str, fixed: Dict[str, Any]) -> None:
        self._resource = cast(_Resource, resource)
        self._owner_id = owner_id
        self._fixed = fixed

    async def send(self, body: Any) -> LettaResponse:
        response = await self._resource.send(self._owner_id, streaming=False, **self._fixed, **body)
        return cast(LettaResponse, response)

    async def stream(self, body: Any) -> AsyncStream[LettaStreamingResponse]:
        stream = await self._resource.send(self._owner_id, streaming=True, **self._fixed, **body)
        return cast("AsyncStream[LettaStreamingResponse]", stream)

    async def list(self, limit: int) -> List[LettaMessageUnion]:
        page = await self._resource.list(self._owner_id, limit=limit, order="desc", **self._fixed)
        return in_time_order(cast("SyncPage[LettaMessageUnion]", page))


def _fixed(agent_id: Optional[str]) -> Dict[str, Any]:
    return {} if agent_id is None else {"agent_id": agent_id}


@leaves_out_sentinels
class AgentTools:
    """``run_tools`` and ``resolve_pending_approvals`` on an agent's messages."""

    _tool_loop: LoopThread

    @overload
    def run_tools(
        self,
        agent_id: str,
        *,
        tools: Sequence[ToolLike],
        streaming: Literal[False] = False,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        on_approval: Optional[ApprovalHook] = None,
        resolve_pending: PendingPolicy = True,
        **params: Unpack[MessageSendParams],
    ) -> ToolRunResult: ...
    @overload
    def run_tools(
        self,
        agent_id: str,
        *,
        tools: Sequence[ToolLike],
        streaming: Literal[True],
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        on_approval: Optional[ApprovalHook] = None,
        resolve_pending: PendingPolicy = True,
        **params: Unpack[StreamingSendParams],
    ) -> ToolRunnerStream: ...
    def run_tools(
        self,
        agent_id: str,
        *,
        tools: Sequence[ToolLike],
        streaming: bool = False,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        on_approval: Optional[ApprovalHook] = None,
        resolve_pending: PendingPolicy = True,
        **params: Any,
    ) -> Union[ToolRunResult, ToolRunnerStream]:
        """Send ``messages=``/``input=`` and run the agent's client-tool calls until the turn ends.

        ``tools``: ``@tool`` functions, plain functions, or ``ClientToolParam`` dicts (their calls
        go to ``on_approval``). ``on_approval(call)`` answers calls to tools the runner does not
        run (server tools that need approval): ``True``/``False``, ``approve(...)``, ``deny(...)``
        or ``tool_result(...)``. ``max_rounds`` caps the number of requests
        (``MaxRoundsExceededError``). Other keywords are ``send`` parameters, used on every request.

        ``Letta`` runs sync tools in the calling thread, one after another, and async tools on the
        client's own event-loop thread (started on first need, stopped by ``close()``; this works
        inside a running event loop too). ``AsyncLetta`` runs every call of a round at once: async
        tools on the running loop, sync tools in worker threads. At most ``max_concurrency`` calls
        run at once.

        An approval left pending by an earlier turn makes the agent refuse the message;
        ``resolve_pending=True`` answers it when the runner can answer every call and sends the
        message again, ``"deny"`` also denies the calls it cannot run, ``False`` raises
        ``PendingApprovalError``.

        Returns a ``ToolRunResult``; with ``streaming=True`` a ``ToolRunnerStream`` of every event.
        """
        plan = Plan(
            Owner("agent", agent_id),
            tools,
            params,
            streaming=streaming,
            max_rounds=max_rounds,
            max_concurrency=max_concurrency,
            on_approval=on_approval,
            resolve_pending=resolve_pending,
        )
        runner = ToolRunnerStream(plan, _Bound(self, agent_id, {}), self._tool_loop)
        return runner if streaming else runner.get_final_response()

    def resolve_pending_approvals(
        self,
        agent_id: str,
        *,
        deny_reason: Optional[str] = None,
        decide: Optional[ApprovalHook] = None,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
    ) -> ToolRunResult:
        """Answer the approval request the agent is stuck on, so that it takes messages again.

        Finds the pending ``approval_request_message`` in the history (also one left by a cancelled
        or failed run) and answers each of its ``tool_call_id`` exactly once: with ``decide(call)``
        (``True``/``False``, ``approve``/``deny``/``tool_result``; may be async on ``AsyncLetta``),
        else a denial carrying ``deny_reason``. If the agent then asks again, that is answered the
        same way, up to ``max_rounds`` requests. Returns the rounds (``rounds == 0``: nothing was
        pending).
        """
        plan = Plan.answering_pending(
            Owner("agent", agent_id), deny_reason=deny_reason, decide=decide, max_rounds=max_rounds
        )
        return ToolRunnerStream(plan, _Bound(self, agent_id, {}), self._tool_loop).get_final_response()


@leaves_out_sentinels
class AsyncAgentTools:
    """``run_tools`` and ``resolve_pending_approvals`` on an agent's messages (``AsyncLetta``)."""

    @overload
    async def run_tools(
        self,
        agent_id: str,
        *,
        tools: Sequence[ToolLike],
        streaming: Literal[False] = False,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        on_approval: Optional[AsyncApprovalHook] = None,
        resolve_pending: PendingPolicy = True,
        **params: Unpack[MessageSendParams],
    ) -> ToolRunResult: ...
    @overload
    async def run_tools(
        self,
        agent_id: str,
        *,
        tools: Sequence[ToolLike],
        streaming: Literal[True],
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        on_approval: Optional[AsyncApprovalHook] = None,
        resolve_pending: PendingPolicy = True,
        **params: Unpack[StreamingSendParams],
    ) -> AsyncToolRunnerStream: ...
    async def run_tools(
        self,
        agent_id: str,
        *,
        tools: Sequence[ToolLike],
        streaming: bool = False,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        on_approval: Optional[AsyncApprovalHook] = None,
        resolve_pending: PendingPolicy = True,
        **params: Any,
    ) -> Union[ToolRunResult, AsyncToolRunnerStream]:
        """See ``Letta.agents.messages.run_tools``."""
        plan = Plan(
            Owner("agent", agent_id),
            tools,
            params,
            streaming=streaming,
            max_rounds=max_rounds,
            max_concurrency=max_concurrency,
            on_approval=on_approval,
            resolve_pending=resolve_pending,
        )
        runner = AsyncToolRunnerStream(plan, _AsyncBound(self, agent_id, {}))
        return runner if streaming else await runner.get_final_response()

    async def resolve_pending_approvals(
        self,
        agent_id: str,
        *,
        deny_reason: Optional[str] = None,
        decide: Optional[AsyncApprovalHook] = None,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
    ) -> ToolRunResult:
        """See ``Letta.agents.messages.resolve_pending_approvals``."""
        plan = Plan.answering_pending(
            Owner("agent", agent_id), deny_reason=deny_reason, decide=decide, max_rounds=max_rounds
        )
        return await AsyncToolRunnerStream(plan, _AsyncBound(self, agent_id, {})).get_final_response()


@leaves_out_sentinels
class ConversationTools:
    """``run_tools`` and ``resolve_pending_approvals`` on a conversation's messages."""

    _tool_loop: LoopThread

    @overload
    def run_tools(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        tools: Sequence[ToolLike],
        streaming: Literal[False] = False,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        on_approval: Optional[ApprovalHook] = None,
        resolve_pending: PendingPolicy = True,
        **params: Unpack[MessageSendParams],
    ) -> ToolRunResult: ...
    @overload
    def run_tools(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        tools: Sequence[ToolLike],
        streaming: Literal[True],
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        on_approval: Optional[ApprovalHook] = None,
        resolve_pending: PendingPolicy = True,
        **params: Unpack[StreamingSendParams],
    ) -> ToolRunnerStream: ...
    def run_tools(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        tools: Sequence[ToolLike],
        streaming: bool = False,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        on_approval: Optional[ApprovalHook] = None,
        resolve_pending: PendingPolicy = True,
        **params: Any,
    ) -> Union[ToolRunResult, ToolRunnerStream]:
        """Like ``Letta.agents.messages.run_tools``, in a conversation: every request, each round of
        tool returns included, is an exactly-once send (``agent_id`` for agent-direct mode)."""
        plan = Plan(
            Owner("conversation", conversation_id),
            tools,
            params,
            streaming=streaming,
            max_rounds=max_rounds,
            max_concurrency=max_concurrency,
            on_approval=on_approval,
            resolve_pending=resolve_pending,
        )
        runner = ToolRunnerStream(plan, _Bound(self, conversation_id, _fixed(agent_id)), self._tool_loop)
        return runner if streaming else runner.get_final_response()

    def resolve_pending_approvals(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        deny_reason: Optional[str] = None,
        decide: Optional[ApprovalHook] = None,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
    ) -> ToolRunResult:
        """Like ``Letta.agents.messages.resolve_pending_approvals``, for the approval request a
        conversation is stuck on (``agent_id`` for agent-direct mode)."""
        plan = Plan.answering_pending(
            Owner("conversation", conversation_id), deny_reason=deny_reason, decide=decide, max_rounds=max_rounds
        )
        return ToolRunnerStream(
            plan, _Bound(self, conversation_id, _fixed(agent_id)), self._tool_loop
        ).get_final_response()


@leaves_out_sentinels
class AsyncConversationTools:
    """``run_tools`` and ``resolve_pending_approvals`` on a conversation's messages (``AsyncLetta``)."""

    @overload
    async def run_tools(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        tools: Sequence[ToolLike],
        streaming: Literal[False] = False,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        on_approval: Optional[AsyncApprovalHook] = None,
        resolve_pending: PendingPolicy = True,
        **params: Unpack[MessageSendParams],
    ) -> ToolRunResult: ...
    @overload
    async def run_tools(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        tools: Sequence[ToolLike],
        streaming: Literal[True],
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        on_approval: Optional[AsyncApprovalHook] = None,
        resolve_pending: PendingPolicy = True,
        **params: Unpack[StreamingSendParams],
    ) -> AsyncToolRunnerStream: ...
    async def run_tools(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        tools: Sequence[ToolLike],
        streaming: bool = False,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        on_approval: Optional[AsyncApprovalHook] = None,
        resolve_pending: PendingPolicy = True,
        **params: Any,
    ) -> Union[ToolRunResult, AsyncToolRunnerStream]:
        """See ``Letta.conversations.messages.run_tools``."""
        plan = Plan(
            Owner("conversation", conversation_id),
            tools,
            params,
            streaming=streaming,
            max_rounds=max_rounds,
            max_concurrency=max_concurrency,
            on_approval=on_approval,
            resolve_pending=resolve_pending,
        )
        runner = AsyncToolRunnerStream(plan, _AsyncBound(self, conversation_id, _fixed(agent_id)))
        return runner if streaming else await runner.get_final_response()

    async def resolve_pending_approvals(
        self,
        conversation_id: str,
        *,
        agent_id: Optional[str] = None,
        deny_reason: Optional[str] = None,
        decide: Optional[AsyncApprovalHook] = None,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
    ) -> ToolRunResult:
        """See ``Letta.conversations.messages.resolve_pending_approvals``."""
        plan = Plan.answering_pending(
            Owner("conversation", conversation_id), deny_reason=deny_reason, decide=decide, max_rounds=max_rounds
        )
        return await AsyncToolRunnerStream(
            plan, _AsyncBound(self, conversation_id, _fixed(agent_id))
        ).get_final_response()
