"""``client.agents.messages.run_tools``: send a message and answer the agent's client-tool calls
until the turn ends.

Each round is one send. When a round stops with ``requires_approval``, every call of its
``approval_request_message`` is answered, in order: a call to one of the runner's tools runs the
function (bad JSON or invalid arguments, and exceptions, become ``status: "error"`` returns the
agent can read); any other call goes to ``on_approval`` (approve, deny, or a result), or, without
a hook, gets an ``unknown tool`` error return. The answers go back as one message,
``{"type": "tool_return", ...}`` when all are tool results, else ``{"type": "approval", ...}``,
with ``client_tools`` repeated on every request.

If the agent refuses the first message because an earlier turn left an approval pending, the
runner fetches that request from the history and answers it when it can answer every call, then
sends the message again; otherwise it raises ``PendingApprovalError``.
"""

from __future__ import annotations

import asyncio
import inspect
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncGenerator,
    Awaitable,
    Callable,
    Dict,
    Generator,
    List,
    Literal,
    Mapping,
    Optional,
    Sequence,
    Union,
    cast,
    overload,
)

from typing_extensions import Unpack

from .._exceptions import APIError, ConflictError, LettaError, LettaStreamError
from ..tools import (
    ApprovalDecision,
    ApprovalHook,
    ApprovalItem,
    AsyncApprovalHook,
    ClientTool,
    MaxRoundsExceededError,
    PendingApprovalError,
    ToolArgumentsError,
    approval_message,
    approve,
    deny,
    tool_result,
    tool_return_message,
)
from ..types.messages import (
    ApprovalRequestMessage,
    ApprovalResponseMessage,
    LettaMessageUnion,
    LettaStopReason,
    LettaStreamingResponse,
    LettaUsageStatistics,
    ToolCall,
)
from ..types.params import ClientToolParam, MessageParam, MessageSendParams, StreamingSendParams
from ..types.response import LettaResponse

if TYPE_CHECKING:
    from .messages import AsyncMessages, Messages

__all__ = ["AsyncRunTools", "AsyncToolRunnerStream", "RunTools", "ToolLike", "ToolRunResult", "ToolRunnerStream"]

ToolLike = Union["ClientTool[..., Any]", ClientToolParam, Callable[..., Any]]
"""A runner tool: a ``ClientTool`` (``@tool``), a plain function (declared on the fly), or a
``ClientToolParam`` dict (declared to the agent; its calls go to ``on_approval``)."""

DEFAULT_MAX_ROUNDS = 10
_HISTORY_LIMIT = 50


@dataclass
class ToolRunResult:
    """Every round of a tool run: the server's responses, and the answers the runner sent back."""

    responses: List[LettaResponse] = field(default_factory=lambda: [])
    """One ``LettaResponse`` per request, in order (a streamed round is merged into one)."""
    answers: List[MessageParam] = field(default_factory=lambda: [])
    """The tool-return / approval messages the runner sent, in order."""

    @property
    def messages(self) -> List[LettaMessageUnion]:
        """The messages of every round, in order."""
        return [message for response in self.responses for message in response.messages]

    @property
    def stop_reason(self) -> LettaStopReason:
        """Why the last round stopped."""
        if not self.responses:
            raise LettaError("no round has finished yet")
        return self.responses[-1].stop_reason

    @property
    def usage(self) -> LettaUsageStatistics:
        """The usage of every round added up (``context_tokens`` is the last round's)."""
        return _total_usage([response.usage for response in self.responses])

    @property
    def text(self) -> str:
        """The text of every assistant message of every round, joined by newlines."""
        return "\n".join(text for text in (response.text for response in self.responses) if text)

    @property
    def rounds(self) -> int:
        return len(self.responses)


def _total_usage(usages: Sequence[LettaUsageStatistics]) -> LettaUsageStatistics:
    def optional_sum(name: str) -> Optional[int]:
        values = [getattr(usage, name) for usage in usages if getattr(usage, name) is not None]
        return sum(values) if values else None

    run_ids = [run_id for usage in usages for run_id in usage.run_ids or []]
    contexts = [usage.context_tokens for usage in usages if usage.context_tokens is not None]
    return LettaUsageStatistics(
        completion_tokens=sum(usage.completion_tokens for usage in usages),
        prompt_tokens=sum(usage.prompt_tokens for usage in usages),
        total_tokens=sum(usage.total_tokens for usage in usages),
        step_count=sum(usage.step_count for usage in usages),
        run_ids=list(dict.fromkeys(run_ids)) if any(usage.run_ids is not None for usage in usages) else None,
        cached_input_tokens=optional_sum("cached_input_tokens"),
        cache_write_tokens=optional_sum("cache_write_tokens"),
        reasoning_tokens=optional_sum("reasoning_tokens"),
        context_tokens=contexts[-1] if contexts else None,
    )


# -- what both runners share ------------------------------------------------------------------


@dataclass
class _Step:
    """A call whose answer needs code to run: a tool function, or the ``on_approval`` hook."""

    call: ToolCall
    run: Callable[[], object]
    is_hook: bool


class _Plan:
    """The state of one run: the tools, the request bodies, the rounds so far."""

    def __init__(
        self,
        agent_id: str,
        tools: Sequence[ToolLike],
        params: Mapping[str, Any],
        *,
        max_rounds: int,
        on_approval: Optional[Callable[[ToolCall], object]],
        resolve_pending: bool,
    ) -> None:
        if max_rounds < 1:
            raise ValueError(f"max_rounds must be at least 1, not {max_rounds!r}")
        params = dict(params)
        first = {key: params.pop(key) for key in ("messages", "input") if params.get(key) is not None}
        if len(first) != 1:
            raise ValueError("run_tools() needs exactly one of 'messages' and 'input'")
        self.agent_id = agent_id
        self.max_rounds = max_rounds
        self.on_approval = on_approval
        self.resolve_pending = resolve_pending
        self.tools: Dict[str, ClientTool[..., Any]] = {}
        declared: List[ClientToolParam] = []
        extra: Sequence[ClientToolParam] = params.pop("client_tools", None) or []
        items: List[ToolLike] = [*tools, *extra]
        for item in items:
            param = self._add_tool(item)
            if any(existing["name"] == param["name"] for existing in declared):
                raise ValueError(f"two tools are named {param['name']!r}")
            declared.append(param)
        params["client_tools"] = declared
        kinds = params.get("include_return_message_types")
        if kinds is not None and "approval_request_message" not in kinds:
            params["include_return_message_types"] = [*kinds, "approval_request_message"]
        self.base = params
        self.first = first
        self.result = ToolRunResult()
        self.finished = False
        self.resend: Optional[Dict[str, Any]] = None
        self.recovered = False

    def _add_tool(self, item: ToolLike) -> ClientToolParam:
        if isinstance(item, ClientTool):
            runnable = cast("ClientTool[..., Any]", item)
        elif isinstance(item, dict):
            return cast(ClientToolParam, dict(cast(Mapping[str, Any], item)))
        elif callable(item):
            runnable = ClientTool(item)
        else:
            raise TypeError(f"a tool must be a function, a ClientTool or a ClientToolParam dict, not {item!r}")
        self.tools[runnable.name] = runnable
        return runnable.to_param()

    # bodies

    def first_body(self) -> Dict[str, Any]:
        return {**self.base, **self.first}

    def is_user_body(self, body: Mapping[str, Any]) -> bool:
        return "input" in body or body.get("messages") is self.first.get("messages")

    def answer_body(self, items: List[ApprovalItem]) -> Dict[str, Any]:
        if all(item["type"] == "tool" for item in items):
            message: MessageParam = tool_return_message([item for item in items if item["type"] == "tool"])
        else:
            message = approval_message(items)
        self.result.answers.append(message)
        return {**self.base, "messages": [message]}

    def record(self, response: LettaResponse) -> Optional[List[ToolCall]]:
        """Keep a round's response; the calls to answer if it stopped for them, else ``None``."""
        self.result.responses.append(response)
        if response.stop_reason.stop_reason != "requires_approval":
            return None
        calls = _requested_calls(response.messages)
        if not calls:
            raise LettaError(
                "The agent stopped with requires_approval but sent no approval_request_message "
                "(is it filtered out by include_return_message_types?)."
            )
        if self.result.rounds >= self.max_rounds:
            ids = ", ".join(call.tool_call_id for call in calls)
            raise MaxRoundsExceededError(
                f"The agent still asked for tool calls after max_rounds={self.max_rounds} requests; it now waits "
                f"for the answer to {ids}. Answer them (messages=[approval_message([...])]) or cancel the run "
                f"(POST /v1/agents/{self.agent_id}/messages/cancel) before sending a new message.",
                result=self.result,
                pending_calls=calls,
            )
        return calls

    def after_turn(self) -> Optional[Dict[str, Any]]:
        """The message to send again after an old pending approval was answered, if any."""
        body, self.resend = self.resend, None
        if body is None:
            self.finished = True
        return body

    # the answer to one call

    def step(self, call: ToolCall) -> Union[ApprovalItem, _Step]:
        tool = self.tools.get(call.name)
        if tool is not None:
            try:
                values = tool.parse_arguments(call.arguments)
            except ToolArgumentsError as error:
                return tool_result(call.tool_call_id, str(error), status="error")
            return _Step(call, lambda: tool.call_with(values), is_hook=False)
        hook = self.on_approval
        if hook is not None:
            return _Step(call, lambda: hook(call), is_hook=True)
        owned = ", ".join(sorted(self.tools)) or "none"
        return tool_result(call.tool_call_id, f"unknown tool {call.name!r} (this client runs: {owned})", status="error")

    def finish(self, step: _Step, value: object) -> ApprovalItem:
        if step.is_hook:
            return _decision(step.call, cast(ApprovalDecision, value))
        return tool_result(step.call.tool_call_id, value)

    def failed(self, step: _Step, error: Exception) -> ApprovalItem:
        return tool_result(step.call.tool_call_id, f"{type(error).__name__}: {error}", status="error")

    # a pending approval left by an earlier turn

    def is_pending_error(self, error: APIError, body: Mapping[str, Any]) -> bool:
        if isinstance(error, LettaStreamError):
            pending = error.is_pending_approval
        else:
            pending = isinstance(error, ConflictError) and (
                error.code == "PENDING_APPROVAL" or "waiting for approval" in error.message
            )
        return pending and self.is_user_body(body)

    def pending_calls(
        self, error: APIError, history: Optional[List[LettaMessageUnion]], fetch_error: Optional[APIError]
    ) -> List[ToolCall]:
        """The calls of the pending request, if this runner may and can answer all of them;
        otherwise raises ``PendingApprovalError``."""
        request_id = error.pending_request_id
        request = _pending_request(history or [], request_id)
        calls = _requested_calls([request]) if request is not None else []
        if request is not None:
            request_id = request.id
        reason = ""
        if not self.resolve_pending:
            reason = "resolve_pending=False"
        elif self.recovered:
            reason = "it is still pending after the runner answered it"
        elif fetch_error is not None:
            reason = f"the history could not be read ({fetch_error})"
        elif not calls:
            reason = f"it is not among the agent's last {_HISTORY_LIMIT} messages"
        else:
            foreign = [call.name for call in calls if call.name not in self.tools]
            if foreign and self.on_approval is None:
                reason = f"it calls tools this runner does not run ({', '.join(foreign)}) and on_approval is not set"
        if reason:
            ids = ", ".join(call.tool_call_id for call in calls) or "see the history"
            raise PendingApprovalError(
                f"Agent {self.agent_id} is waiting for the answer to an earlier approval request "
                f"({request_id or 'id unknown'}; tool_call_ids: {ids}), so it refused the message. "
                f"The runner did not answer it: {reason}. Answer every pending call "
                "(messages=[approval_message([...])], see letta_client.tools) or cancel the run "
                f"(POST /v1/agents/{self.agent_id}/messages/cancel), then send again.",
                agent_id=self.agent_id,
                pending_request_id=request_id,
                pending_calls=calls,
            ) from error
        self.recovered = True
        return calls

    def remember_resend(self, body: Dict[str, Any]) -> None:
        self.resend = body


def _requested_calls(messages: Sequence[LettaMessageUnion]) -> List[ToolCall]:
    """Every call of the approval requests among ``messages``, in order, once each."""
    calls: Dict[str, ToolCall] = {}
    for message in messages:
        if isinstance(message, ApprovalRequestMessage):
            for call in message.calls:
                call_id = call.tool_call_id or message.id
                if call_id not in calls:
                    calls[call_id] = ToolCall(
                        name=call.name or "", arguments=call.arguments or "", tool_call_id=call_id
                    )
    return list(calls.values())


def _pending_request(
    history: Sequence[LettaMessageUnion], request_id: Optional[str]
) -> Optional[ApprovalRequestMessage]:
    """The approval request still waiting: the one named ``request_id``, else the last one not
    followed by an approval response."""
    for index in range(len(history) - 1, -1, -1):
        message = history[index]
        if isinstance(message, ApprovalRequestMessage) and (request_id is None or message.id == request_id):
            answered = any(isinstance(later, ApprovalResponseMessage) for later in history[index + 1 :])
            return None if answered and request_id is None else message
    return None


def _decision(call: ToolCall, decision: ApprovalDecision) -> ApprovalItem:
    if decision is True:
        return approve(call.tool_call_id)
    if decision is False:
        return deny(call.tool_call_id)
    if isinstance(cast(object, decision), dict) and decision.get("type") in ("approval", "tool"):
        if decision.get("tool_call_id") != call.tool_call_id:
            raise ValueError(
                f"on_approval answered call {decision.get('tool_call_id')!r} when asked about {call.tool_call_id!r}"
            )
        return decision
    raise TypeError(
        f"on_approval must return True, False, approve(...), deny(...) or tool_result(...), not {decision!r}"
    )


def _run_coroutine(awaitable: Awaitable[object]) -> object:
    async def wait() -> object:
        return await awaitable

    return asyncio.run(wait())


def _answer(plan: _Plan, calls: List[ToolCall]) -> Dict[str, Any]:
    items: List[ApprovalItem] = []
    for call in calls:
        step = plan.step(call)
        if not isinstance(step, _Step):
            items.append(step)
            continue
        try:
            value = step.run()
            if inspect.isawaitable(value):
                value = _run_coroutine(value)
        except Exception as error:
            if step.is_hook:
                raise
            items.append(plan.failed(step, error))
            continue
        items.append(plan.finish(step, value))
    return plan.answer_body(items)


async def _answer_async(plan: _Plan, calls: List[ToolCall]) -> Dict[str, Any]:
    async def one(call: ToolCall) -> ApprovalItem:
        step = plan.step(call)
        if not isinstance(step, _Step):
            return step
        try:
            value = step.run()
            if inspect.isawaitable(value):
                value = await value
        except Exception as error:
            if step.is_hook:
                raise
            return plan.failed(step, error)
        return plan.finish(step, value)

    items = await asyncio.gather(*(one(call) for call in calls))
    return plan.answer_body(list(items))


# -- the synchronous runner -------------------------------------------------------------------


class _SyncDriver:
    def __init__(self, messages: Messages, plan: _Plan) -> None:
        self.messages = messages
        self.send: Callable[..., Any] = messages.send
        self.plan = plan

    def recover(self, error: APIError, body: Dict[str, Any]) -> Dict[str, Any]:
        history: Optional[List[LettaMessageUnion]] = None
        fetch_error: Optional[APIError] = None
        try:
            page = self.messages.list(self.plan.agent_id, limit=_HISTORY_LIMIT, order="desc")
            history = page.items[::-1]  # oldest first
        except (APIError, ValueError) as failure:
            fetch_error = failure if isinstance(failure, APIError) else APIError(str(failure))
        calls = self.plan.pending_calls(error, history, fetch_error)
        self.plan.remember_resend(body)
        return _answer(self.plan, calls)

    def next_body(self, response: LettaResponse) -> Optional[Dict[str, Any]]:
        calls = self.plan.record(response)
        return _answer(self.plan, calls) if calls else self.plan.after_turn()

    def run(self) -> ToolRunResult:
        body: Optional[Dict[str, Any]] = self.plan.first_body()
        while body is not None:
            try:
                response = cast(LettaResponse, self.send(self.plan.agent_id, **body))
            except ConflictError as error:
                if not self.plan.is_pending_error(error, body):
                    raise
                body = self.recover(error, body)
                continue
            body = self.next_body(response)
        return self.plan.result

    def events(self) -> Generator[LettaStreamingResponse, None, None]:
        body: Optional[Dict[str, Any]] = self.plan.first_body()
        while body is not None:
            stream: Any = None
            try:
                stream = self.send(self.plan.agent_id, streaming=True, **body)
                yield from stream
                response = cast(LettaResponse, stream.get_final_response())
            except (ConflictError, LettaStreamError) as error:
                if not self.plan.is_pending_error(error, body):
                    raise
                body = self.recover(error, body)
                continue
            finally:
                if stream is not None:
                    stream.close()
            body = self.next_body(response)


class ToolRunnerStream:
    """Every event of every round, in order: ``for event in runner``.

    Nothing is sent before the iteration starts. ``get_final_response()`` reads the rest and
    returns the ``ToolRunResult``. ``close()`` (or ``with runner:``) closes the open stream.
    """

    def __init__(self, driver: _SyncDriver) -> None:
        self._plan = driver.plan
        self._events = driver.events()

    @property
    def result(self) -> ToolRunResult:
        """The rounds finished so far."""
        return self._plan.result

    def __iter__(self) -> Generator[LettaStreamingResponse, None, None]:
        return self._events

    def __next__(self) -> LettaStreamingResponse:
        return next(self._events)

    def until_done(self) -> None:
        for _ in self._events:
            pass

    def get_final_response(self) -> ToolRunResult:
        self.until_done()
        if not self._plan.finished:
            raise LettaError("The tool run was closed before it finished.")
        return self._plan.result

    def close(self) -> None:
        self._events.close()

    def __enter__(self) -> ToolRunnerStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class RunTools:
    """``client.agents.messages.run_tools``."""

    def __init__(self, messages: Messages) -> None:
        self._messages = messages

    @overload
    def __call__(
        self,
        agent_id: str,
        *,
        tools: Sequence[ToolLike],
        streaming: Literal[False] = False,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        on_approval: Optional[ApprovalHook] = None,
        resolve_pending: bool = True,
        **params: Unpack[MessageSendParams],
    ) -> ToolRunResult: ...
    @overload
    def __call__(
        self,
        agent_id: str,
        *,
        tools: Sequence[ToolLike],
        streaming: Literal[True],
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        on_approval: Optional[ApprovalHook] = None,
        resolve_pending: bool = True,
        **params: Unpack[StreamingSendParams],
    ) -> ToolRunnerStream: ...
    def __call__(
        self,
        agent_id: str,
        *,
        tools: Sequence[ToolLike],
        streaming: bool = False,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        on_approval: Optional[ApprovalHook] = None,
        resolve_pending: bool = True,
        **params: Any,
    ) -> Union[ToolRunResult, ToolRunnerStream]:
        """Send ``messages=``/``input=`` and run the agent's client-tool calls until the turn ends.

        ``tools``: ``@tool`` functions, plain functions, or ``ClientToolParam`` dicts (their calls
        go to ``on_approval``). ``on_approval(call)`` answers calls to tools the runner does not
        run (server tools that need approval): ``True``/``False``, ``approve(...)``, ``deny(...)``
        or ``tool_result(...)``. ``max_rounds`` caps the number of requests
        (``MaxRoundsExceededError``). ``resolve_pending`` lets the runner answer an approval left
        pending by an earlier turn when it can (else ``PendingApprovalError``). Other keywords
        are ``send`` parameters, used on every request.

        Returns a ``ToolRunResult``; with ``streaming=True`` a ``ToolRunnerStream`` of every event.
        """
        plan = _Plan(
            agent_id,
            tools,
            params,
            max_rounds=max_rounds,
            on_approval=on_approval,
            resolve_pending=resolve_pending,
        )
        driver = _SyncDriver(self._messages, plan)
        return ToolRunnerStream(driver) if streaming else driver.run()


# -- the asynchronous runner ------------------------------------------------------------------


class _AsyncDriver:
    def __init__(self, messages: AsyncMessages, plan: _Plan) -> None:
        self.messages = messages
        self.send: Callable[..., Awaitable[Any]] = messages.send
        self.plan = plan

    async def recover(self, error: APIError, body: Dict[str, Any]) -> Dict[str, Any]:
        history: Optional[List[LettaMessageUnion]] = None
        fetch_error: Optional[APIError] = None
        try:
            page = await self.messages.list(self.plan.agent_id, limit=_HISTORY_LIMIT, order="desc")
            history = page.items[::-1]  # oldest first
        except (APIError, ValueError) as failure:
            fetch_error = failure if isinstance(failure, APIError) else APIError(str(failure))
        calls = self.plan.pending_calls(error, history, fetch_error)
        self.plan.remember_resend(body)
        return await _answer_async(self.plan, calls)

    async def next_body(self, response: LettaResponse) -> Optional[Dict[str, Any]]:
        calls = self.plan.record(response)
        return await _answer_async(self.plan, calls) if calls else self.plan.after_turn()

    async def run(self) -> ToolRunResult:
        body: Optional[Dict[str, Any]] = self.plan.first_body()
        while body is not None:
            try:
                response = cast(LettaResponse, await self.send(self.plan.agent_id, **body))
            except ConflictError as error:
                if not self.plan.is_pending_error(error, body):
                    raise
                body = await self.recover(error, body)
                continue
            body = await self.next_body(response)
        return self.plan.result

    async def events(self) -> AsyncGenerator[LettaStreamingResponse, None]:
        body: Optional[Dict[str, Any]] = self.plan.first_body()
        while body is not None:
            stream: Any = None
            try:
                stream = await self.send(self.plan.agent_id, streaming=True, **body)
                async for event in stream:
                    yield event
                response = cast(LettaResponse, await stream.get_final_response())
            except (ConflictError, LettaStreamError) as error:
                if not self.plan.is_pending_error(error, body):
                    raise
                body = await self.recover(error, body)
                continue
            finally:
                if stream is not None:
                    await stream.close()
            body = await self.next_body(response)


class AsyncToolRunnerStream:
    """Every event of every round, in order: ``async for event in runner``; see ``ToolRunnerStream``."""

    def __init__(self, driver: _AsyncDriver) -> None:
        self._plan = driver.plan
        self._events = driver.events()

    @property
    def result(self) -> ToolRunResult:
        return self._plan.result

    def __aiter__(self) -> AsyncGenerator[LettaStreamingResponse, None]:
        return self._events

    async def __anext__(self) -> LettaStreamingResponse:
        return await self._events.__anext__()

    async def until_done(self) -> None:
        async for _ in self._events:
            pass

    async def get_final_response(self) -> ToolRunResult:
        await self.until_done()
        if not self._plan.finished:
            raise LettaError("The tool run was closed before it finished.")
        return self._plan.result

    async def close(self) -> None:
        await self._events.aclose()

    aclose = close

    async def __aenter__(self) -> AsyncToolRunnerStream:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


class AsyncRunTools:
    """``client.agents.messages.run_tools`` on ``AsyncLetta``: async tools run concurrently."""

    def __init__(self, messages: AsyncMessages) -> None:
        self._messages = messages

    @overload
    async def __call__(
        self,
        agent_id: str,
        *,
        tools: Sequence[ToolLike],
        streaming: Literal[False] = False,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        on_approval: Optional[AsyncApprovalHook] = None,
        resolve_pending: bool = True,
        **params: Unpack[MessageSendParams],
    ) -> ToolRunResult: ...
    @overload
    async def __call__(
        self,
        agent_id: str,
        *,
        tools: Sequence[ToolLike],
        streaming: Literal[True],
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        on_approval: Optional[AsyncApprovalHook] = None,
        resolve_pending: bool = True,
        **params: Unpack[StreamingSendParams],
    ) -> AsyncToolRunnerStream: ...
    async def __call__(
        self,
        agent_id: str,
        *,
        tools: Sequence[ToolLike],
        streaming: bool = False,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        on_approval: Optional[AsyncApprovalHook] = None,
        resolve_pending: bool = True,
        **params: Any,
    ) -> Union[ToolRunResult, AsyncToolRunnerStream]:
        """See ``Letta.agents.messages.run_tools``; ``on_approval`` may be async."""
        plan = _Plan(
            agent_id,
            tools,
            params,
            max_rounds=max_rounds,
            on_approval=on_approval,
            resolve_pending=resolve_pending,
        )
        driver = _AsyncDriver(self._messages, plan)
        return AsyncToolRunnerStream(driver) if streaming else await driver.run()
