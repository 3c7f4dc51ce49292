"""The tool runner's control flow, written once and free of I/O.

``tool_run(plan)`` is a generator of *effects*: it yields what must happen next and receives the
outcome, or has the failure thrown into it, like httpx's auth flows. The effects are:

- ``SendBody(body)``: send this request; the outcome is the round's ``LettaResponse``.
- ``ReadHistory(limit)``: read the newest ``limit`` messages; the outcome is them, oldest first.
- ``RunCalls(jobs)``: run these tool functions / ``on_approval`` hooks; the outcome is one
  answer per job, in order (``Job.answer``, which encodes what the function gave).

The sync and async drivers in ``_runner`` only perform effects. Every decision (what to send,
the round limit, recovering from an approval left pending by an earlier turn) is made here.

Each round is one send. When a round stops with ``requires_approval``, every call of its
``approval_request_message`` is answered, in order: a call to one of the runner's tools runs the
function (bad JSON or invalid arguments, and exceptions, become ``status: "error"`` returns the
agent can read); any other call goes to ``on_approval`` (approve, deny, or a result), or, without
a hook, gets an ``unknown tool`` error return. The answers go back as one message,
``{"type": "tool_return", ...}`` when all are tool results, else ``{"type": "approval", ...}``,
with ``client_tools`` repeated on every request.

If the agent refuses the first message because an earlier turn left an approval pending, the
flow reads that request from the history and answers it when it can answer every call (or, with
``resolve_pending="deny"``, denies the calls it cannot run), then sends the message again;
otherwise it raises ``PendingApprovalError``. ``resolve_pending_approvals`` is the same flow
without a message: it reads the pending request, answers it (deny by default) and ends.
"""

from __future__ import annotations

import inspect
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Dict, Generator, List, Literal, Mapping, Optional, Sequence, Tuple, Union, cast

from .._exceptions import (
    APIError,
    ClientClosedError,
    ConflictError,
    ConversationBusyError,
    LettaError,
    LettaStreamError,
    MaxRoundsExceededError,
    PendingApprovalError,
    ToolArgumentsError,
)
from ..types.messages import (
    ApprovalRequestMessage,
    ApprovalResponseMessage,
    LettaMessageUnion,
    ToolCall,
    ToolReturnMessage,
)
from ..types.params import ClientToolParam, MessageParam
from ..types.response import LettaResponse
from ._answers import ApprovalDecision, ApprovalItem, approval_message, approve, deny, tool_result, tool_return_message
from ._content import UnencodableResult
from ._declare import ClientTool
from ._encoding_problems import failure_text
from ._result import ToolRunResult

__all__ = [
    "DEFAULT_MAX_CONCURRENCY",
    "DEFAULT_MAX_ROUNDS",
    "Flow",
    "Job",
    "Outcome",
    "Owner",
    "Pause",
    "PendingPolicy",
    "Plan",
    "ReadHistory",
    "RunCalls",
    "SendBody",
    "ToolLike",
    "advance",
    "tool_run",
]

ToolLike = Union["ClientTool[..., Any]", ClientToolParam, Callable[..., Any]]
"""A runner tool: a ``ClientTool`` (``@tool``), a plain function (declared on the fly), or a
``ClientToolParam`` dict (declared to the agent; its calls go to ``on_approval``)."""

PendingPolicy = Union[bool, Literal["deny"]]
"""``run_tools(resolve_pending=...)``: ``True`` answers an approval left pending by an earlier turn
when the runner can answer every call, ``"deny"`` also denies the calls it cannot run, ``False``
only raises ``PendingApprovalError``."""

DEFAULT_MAX_ROUNDS = 10
DEFAULT_MAX_CONCURRENCY = 8
HISTORY_LIMIT = 50
BUSY_PAUSES = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6)
"""How long to wait before each new attempt when a conversation is still busy: its lock outlives the
end of the turn's stream by a moment, so the next round can find it held."""
DENY_REASON = "The client did not run this tool call: it was left pending and has been denied."


@dataclass(frozen=True)
class Owner:
    """Whose messages a run sends: an agent, or a conversation (for the error messages)."""

    kind: Literal["agent", "conversation"]
    id: str

    @property
    def cancel_hint(self) -> str:
        if self.kind == "conversation":
            return f"POST /v1/conversations/{self.id}/cancel"
        return f"POST /v1/agents/{self.id}/messages/cancel"


# -- effects ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SendBody:
    """Send one request (streamed when ``streaming``); the outcome is its ``LettaResponse``."""

    body: Dict[str, Any]
    streaming: bool


@dataclass(frozen=True)
class Pause:
    """Wait ``seconds`` before going on (a conversation still locked by the turn that just ended)."""

    seconds: float


@dataclass(frozen=True)
class ReadHistory:
    """Read the newest ``limit`` messages; the outcome is a list of them, oldest first."""

    limit: int


Outcome = Union[ApprovalItem, Exception]
"""A job's answer, or the exception of a hook that failed (raised after the round)."""


@dataclass
class Job:
    """A call whose answer needs code to run: a tool function, or the ``on_approval`` hook."""

    call: ToolCall
    run: Callable[[], object]
    """Calls the function; an async one returns its coroutine."""
    tool: Optional[ClientTool[..., Any]]
    """The tool that runs, or ``None`` for the ``on_approval`` hook."""
    is_async: bool
    """The function is a coroutine function (the drivers await it on an event loop)."""

    def answer(self, value: object = None, error: Optional[Exception] = None) -> Outcome:
        """The answer for what the function gave: the value it returned, or the ``error`` it raised.

        The drivers call this where they catch the function's exception, so encoding the value
        is part of the tool's error handling: a tool that raised, or returned a value that
        cannot be sent, gets an error return that says why, and the run goes on. A hook's
        failure (it raised, or answered wrongly) is returned, to be raised once every call of
        the round has finished. Never raises."""
        if self.tool is None:
            if error is not None:
                return error
            try:
                return _decision(self.call, cast(ApprovalDecision, value))
            except Exception as wrong:
                return wrong
        call_id = self.call.tool_call_id
        if error is not None:
            return tool_result(call_id, failure_text(error), status="error")
        try:
            return tool_result(call_id, value)
        except UnencodableResult as problem:
            reason = (
                f"tool {self.tool.name!r} returned a result that cannot be sent to the agent: it is or holds {problem}"
            )
            return tool_result(call_id, reason, status="error")


@dataclass(frozen=True)
class RunCalls:
    """Run every job; the outcome is one answer per job, in order."""

    jobs: List[Job]


Effect = Union[SendBody, Pause, ReadHistory, RunCalls]
Flow = Generator[Effect, Any, None]


def advance(flow: Flow, outcome: object = None, error: Optional[Exception] = None) -> Optional[Effect]:
    """Give the flow the outcome of its last effect (or throw the error into it); the next
    effect, or ``None`` when the flow is done."""
    try:
        return flow.throw(error) if error is not None else flow.send(outcome)
    except StopIteration:
        return None


# -- the plan: the state of one run ---------------------------------------------------------------


class Plan:
    """The tools, the request bodies and the rounds so far of one run."""

    def __init__(
        self,
        owner: Owner,
        tools: Sequence[ToolLike],
        params: Mapping[str, Any],
        *,
        streaming: bool = False,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        on_approval: Optional[Callable[[ToolCall], object]] = None,
        resolve_pending: PendingPolicy = True,
        answer_pending_only: bool = False,
    ) -> None:
        if max_rounds < 1:
            raise ValueError(f"max_rounds must be at least 1, not {max_rounds!r}")
        if max_concurrency < 1:
            raise ValueError(f"max_concurrency must be at least 1, not {max_concurrency!r}")
        if resolve_pending not in (True, False, "deny"):
            raise ValueError(f"resolve_pending must be True, False or 'deny', not {resolve_pending!r}")
        params = dict(params)
        first = {key: params.pop(key) for key in ("messages", "input") if params.get(key) is not None}
        if "messages" in first:  # fixed now, so that every attempt at this message is the same request
            first["messages"] = [_with_otid(message) for message in first["messages"]]
        if len(first) != (0 if answer_pending_only else 1):
            raise ValueError("run_tools() needs exactly one of 'messages' and 'input'")
        self.owner = owner
        self.streaming = streaming
        self.max_rounds = max_rounds
        self.max_concurrency = max_concurrency
        self.on_approval = on_approval
        self.resolve_pending = resolve_pending
        self.answer_pending_only = answer_pending_only
        self.tools: Dict[str, ClientTool[..., Any]] = {}
        declared: List[ClientToolParam] = []
        extra: Sequence[ClientToolParam] = params.pop("client_tools", None) or []
        items: List[ToolLike] = [*tools, *extra]
        for item in items:
            param = self._add_tool(item)
            if any(existing["name"] == param["name"] for existing in declared):
                raise ValueError(f"two tools are named {param['name']!r}")
            declared.append(param)
        if declared or not answer_pending_only:
            params["client_tools"] = declared
        kinds = params.get("include_return_message_types")
        if kinds is not None and "approval_request_message" not in kinds:
            params["include_return_message_types"] = [*kinds, "approval_request_message"]
        self.base = params
        self.first = first
        self.result = ToolRunResult()
        self.finished = False

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

    @classmethod
    def answering_pending(
        cls,
        owner: Owner,
        *,
        deny_reason: Optional[str],
        decide: Optional[Callable[[ToolCall], object]],
        max_rounds: int,
    ) -> Plan:
        """``resolve_pending_approvals``: answer what is pending (``decide``, else deny) and stop."""
        reason = DENY_REASON if deny_reason is None else deny_reason

        def deny_it(call: ToolCall) -> ApprovalItem:
            return deny(call.tool_call_id, reason)

        hook = decide if decide is not None else deny_it
        return cls(owner, [], {}, max_rounds=max_rounds, on_approval=hook, answer_pending_only=True)

    def first_body(self) -> Optional[Dict[str, Any]]:
        return None if self.answer_pending_only else {**self.base, **self.first}

    def answer_body(self, items: List[ApprovalItem]) -> Dict[str, Any]:
        if all(item["type"] == "tool" for item in items):
            message: MessageParam = tool_return_message([item for item in items if item["type"] == "tool"])
        else:
            message = approval_message(items)
        self.result.answers.append(message)
        return {**self.base, "messages": [_with_otid(message)]}

    def record(self, response: LettaResponse) -> List[ToolCall]:
        """Keep a round's response; the calls to answer if it stopped for them."""
        self.result.responses.append(response)
        if response.stop_reason.stop_reason != "requires_approval":
            return []
        calls = requested_calls(response.messages)
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
                f"({self.owner.cancel_hint}) before sending a new message.",
                result=self.result,
                pending_calls=calls,
            )
        return calls

    def answer(self, call: ToolCall, *, pending: bool = False) -> Union[ApprovalItem, Job]:
        """The answer to one call, or the job that computes it (``pending``: a call left by an
        earlier turn, denied when the runner cannot run it and ``resolve_pending="deny"``)."""
        tool = self.tools.get(call.name)
        if tool is not None:
            try:
                values = tool.parse_arguments(call.arguments)
            except ToolArgumentsError as error:
                return tool_result(call.tool_call_id, str(error), status="error")
            return Job(call, lambda: tool.call_with(values), tool, tool.is_async)
        hook = self.on_approval
        if hook is not None:
            return Job(call, lambda: hook(call), None, inspect.iscoroutinefunction(hook))
        if pending and self.resolve_pending == "deny":
            return deny(call.tool_call_id, DENY_REASON)
        owned = ", ".join(sorted(self.tools)) or "none"
        return tool_result(call.tool_call_id, f"unknown tool {call.name!r} (this client runs: {owned})", status="error")

    def closed(self, calls: Sequence[ToolCall]) -> ClientClosedError:
        """The client was closed before the answers to ``calls`` could be sent: the agent still
        waits for them, and says so."""
        ids = ", ".join(call.tool_call_id for call in calls)
        return ClientClosedError(
            f"The client was closed (close()) during run_tools, before the answers to {ids} were sent. "
            f"The {self.owner.kind} {self.owner.id} still waits for them: answer them from a new client "
            f"(resolve_pending_approvals(...)) or cancel the run ({self.owner.cancel_hint})."
        )

    def is_refused_for_pending(self, error: APIError) -> bool:
        if isinstance(error, LettaStreamError):
            return error.is_pending_approval
        return isinstance(error, ConflictError) and (
            error.code == "PENDING_APPROVAL" or "waiting for approval" in error.message
        )

    def pending_calls(
        self,
        error: APIError,
        history: Optional[List[LettaMessageUnion]],
        fetch_error: Optional[APIError],
        *,
        answered_before: bool,
    ) -> List[ToolCall]:
        """The calls of the pending request, if this runner may and can answer all of them;
        otherwise raises ``PendingApprovalError``."""
        request_id = error.pending_request_id
        request = _pending_request(history or [], request_id)
        calls = requested_calls([request]) if request is not None else []
        if request is not None:
            request_id = request.id
        reason = ""
        if not self.resolve_pending:
            reason = "resolve_pending=False"
        elif answered_before:
            reason = "it is still pending after the runner answered it"
        elif fetch_error is not None:
            reason = f"the history could not be read ({fetch_error})"
        elif not calls:
            reason = f"it is not among the agent's last {HISTORY_LIMIT} messages"
        else:
            foreign = [call.name for call in calls if call.name not in self.tools]
            if foreign and self.on_approval is None and self.resolve_pending != "deny":
                reason = (
                    f"it calls tools this runner does not run ({', '.join(foreign)}), on_approval is not set "
                    "and resolve_pending is not 'deny'"
                )
        if reason:
            ids = ", ".join(call.tool_call_id for call in calls) or "see the history"
            raise PendingApprovalError(
                f"The {self.owner.kind} {self.owner.id} is waiting for the answer to an earlier approval request "
                f"({request_id or 'id unknown'}; tool_call_ids: {ids}), so it refused the message. "
                f"The runner did not answer it: {reason}. Answer every pending call "
                "(resolve_pending_approvals(...), or messages=[approval_message([...])], see letta_client.tools) "
                f"or cancel the run ({self.owner.cancel_hint}), then send again.",
                agent_id=self.owner.id,
                pending_request_id=request_id,
                pending_calls=calls,
            ) from error
        return calls


# -- the flow -----------------------------------------------------------------------------------


def tool_run(plan: Plan) -> Flow:
    """Send the first message and answer the agent's calls until the turn ends (or, for
    ``Plan.answering_pending``, answer the pending request and the turn it resumes)."""
    message = plan.first_body()
    resend: Optional[Dict[str, Any]] = None  # the user's message, refused until a pending approval is answered
    answered_pending = False
    if message is None:
        history = yield ReadHistory(HISTORY_LIMIT)
        request = _pending_request(history, None)
        if request is None:
            plan.finished = True
            return
        answering = requested_calls([request])
        body = yield from _answer(plan, answering, pending=True)
    else:
        answering = []
        body = message
    busy = 0
    while True:
        try:
            response: LettaResponse = yield SendBody(body, plan.streaming)
        except ClientClosedError as error:
            if body is message:
                raise
            raise plan.closed(answering) from error
        except ConversationBusyError:
            if busy == len(BUSY_PAUSES):
                raise
            yield Pause(BUSY_PAUSES[busy])
            busy += 1
            continue
        except (ConflictError, LettaStreamError) as error:
            if body is not message or not plan.is_refused_for_pending(error):
                raise
            refused: APIError = error
        else:
            busy = 0
            calls = plan.record(response)
            if calls:
                answering = calls
                body = yield from _answer(plan, calls)
            elif resend is not None:
                body, resend = resend, None
            else:
                plan.finished = True
                return
            continue
        history, fetch_error = yield from _read_history()
        calls = plan.pending_calls(refused, history, fetch_error, answered_before=answered_pending)
        answered_pending = True
        resend = message = _with_new_otids(body)  # the refused attempt used its otids up (a conversation replays them)
        answering = calls
        body = yield from _answer(plan, calls, pending=True)


def _answer(plan: Plan, calls: List[ToolCall], *, pending: bool = False) -> Generator[Effect, Any, Dict[str, Any]]:
    """The body answering every call: ready answers as they are, jobs run by the driver."""
    answers = [plan.answer(call, pending=pending) for call in calls]
    jobs = [answer for answer in answers if isinstance(answer, Job)]
    try:
        done: List[ApprovalItem] = list((yield RunCalls(jobs))) if jobs else []
    except ClientClosedError as error:  # close() stopped the tools (the sync client's async ones)
        raise plan.closed(calls) from error
    results = iter(done)
    items = [next(results) if isinstance(answer, Job) else answer for answer in answers]
    return plan.answer_body(items)


def _read_history() -> Generator[Effect, Any, Tuple[Optional[List[LettaMessageUnion]], Optional[APIError]]]:
    try:
        history: List[LettaMessageUnion] = yield ReadHistory(HISTORY_LIMIT)
    except (APIError, ValueError) as failure:
        return None, failure if isinstance(failure, APIError) else APIError(str(failure))
    return history, None


def _with_otid(message: Any) -> Dict[str, Any]:
    """A copy of a message with an ``otid``, fixed for the round: a send tried again (a busy
    conversation) is the same request, which the server takes once."""
    return {**message, "otid": message.get("otid") or str(uuid.uuid4())}


def _with_new_otids(body: Dict[str, Any]) -> Dict[str, Any]:
    if "messages" not in body:
        return body
    return {**body, "messages": [_with_otid({**message, "otid": None}) for message in body["messages"]]}


def requested_calls(messages: Sequence[LettaMessageUnion]) -> List[ToolCall]:
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
    answered later in the history: by an approval response, or by a tool return for each of its
    calls (how a server records a client tool's answer)."""
    for index in range(len(history) - 1, -1, -1):
        message = history[index]
        if isinstance(message, ApprovalRequestMessage) and (request_id is None or message.id == request_id):
            later = history[index + 1 :]
            returned = {item.tool_call_id for item in later if isinstance(item, ToolReturnMessage)}
            calls = requested_calls([message])
            answered = any(isinstance(item, ApprovalResponseMessage) for item in later) or (
                bool(calls) and all(call.tool_call_id in returned for call in calls)
            )
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
