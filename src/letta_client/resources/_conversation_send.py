"""One exactly-once conversation send: its request, fixed once, and the drivers of its recovery.

``SendRequest`` is what a send fixes before its first attempt (the body with its otids, the
options, whether it went out plainly). The send builds it through ``_response.prepared``, so that
``parse()`` of a raw or streamed response goes on with the same object: its recovery re-sends
the bytes that were sent. ``SyncSendDriver`` / ``AsyncSendDriver`` run its ``SendPlan``
(``letta_client._exactly_once``) with a transport, and are the reconnector of the stream that
reads the turn, so that a cut mid-stream is recovered by the same plan.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Tuple

import httpx

from .._exactly_once import NOTHING_YET, Action, Attach, Outcome, Resume, SendPlan, Wait
from .._exceptions import APIError
from .._paths import conversation_path, path_segment
from .._resume import OnReconnect, resume_body
from ..types.params import MessageSendBody, StreamingSendBody
from ._body import build_body, with_otids

if TYPE_CHECKING:
    from collections.abc import Generator

    from .._exactly_once import Cursor
    from .._exceptions import LettaError
    from .._transport import AsyncTransport, SyncTransport

__all__ = ["AsyncSendDriver", "SendRequest", "SyncSendDriver", "agent_field"]


def agent_field(conversation_id: str, agent_id: Optional[str]) -> Dict[str, Any]:
    """``{"agent_id": …}`` when given. ``"default"`` (agent-direct mode: the agent's default
    conversation) needs it; a conversation id does not. Checked before anything is sent."""
    path_segment(conversation_id, "conversation_id")
    if conversation_id == "default" and not agent_id:
        raise ValueError('conversation_id="default" (agent-direct mode) needs agent_id')
    if agent_id is None:
        return {}
    path_segment(agent_id, "agent_id")
    return {"agent_id": agent_id}


def _snapshot(body: Dict[str, Any]) -> Dict[str, Any]:
    """A deep copy of the body: the caller's objects may change after the send, what is re-sent
    may not. A value that cannot be copied cannot be sent either; the transport says which."""
    try:
        return copy.deepcopy(body)
    except Exception:  # the transport's error names the argument
        return body


class SendRequest:
    """One send, fixed before its first attempt: every attempt sends these same bytes.

    A raw or streamed response's ``parse()`` goes on with this same object (``prepared``), so
    its recovery re-sends what was sent, and a send that fell back to a plain one stays plain."""

    def __init__(
        self, conversation_id: str, agent_id: Optional[str], params: Mapping[str, Any], *, streaming: bool
    ) -> None:
        target = agent_field(conversation_id, agent_id)
        if streaming:
            body, options = build_body("send", params, StreamingSendBody, streaming=True)
        else:
            body, options = build_body("send", params, MessageSendBody, streaming=False)
        if body.get("input") is not None:  # the server would give it a new otid on every attempt
            body["messages"] = with_otids([{"role": "user", "content": body.pop("input")}])
        body = _snapshot(body)
        self.conversation_id = conversation_id
        self.path = conversation_path(conversation_id, "/messages")
        self.stream_path = conversation_path(conversation_id, "/stream")
        self.target = target
        self.options = options
        self.streaming = streaming
        self.exactly_once = body.get("background") is not False
        self.fell_back = False
        """The server answered that it cannot run background turns: the send went out plainly."""
        self.otids: List[str] = [m["otid"] for m in body["messages"] if m.get("otid")]
        self.plain_body: Dict[str, Any] = {**body, **target, "streaming": streaming}
        """The body of a plain send (the fallback, or ``background=False``): never a background
        one, which is what a server without Redis refuses."""
        if self.plain_body.get("background") is not False:
            self.plain_body.pop("background", None)
        self.body: Dict[str, Any] = {**self.plain_body, "streaming": True, "background": True, "include_pings": True}
        """The body of every exactly-once attempt: a background stream with pings (the first
        ping names the run at once)."""
        self._plan: Optional[SendPlan] = None

    @property
    def wants_recovery(self) -> bool:
        """Whether this send goes out exactly-once (it does unless opted out or fallen back)."""
        return self.exactly_once and not self.fell_back

    def request_for(self, action: Action) -> Tuple[str, Dict[str, Any]]:
        """Path and body of an action: the send itself, or ``POST …/stream`` for the run that
        this send's first otid started (``Attach``) or for the run by id (``Resume``)."""
        if isinstance(action, Attach):
            return self.stream_path, {**self.target, "otid": action.otid, **resume_body(0)}
        if isinstance(action, Resume):
            return self.stream_path, {**self.target, "run_id": action.run_id, **resume_body(action.starting_after)}
        return self.path, self.body

    def plan(self, max_attempts: Optional[int], on_reconnect: Optional[OnReconnect]) -> SendPlan:
        """The send's recovery plan, made once (a replay by ``parse()`` goes on with it)."""
        if self._plan is None:
            self._plan = SendPlan(
                self.conversation_id, self.otids, max_attempts=max_attempts, on_reconnect=on_reconnect
            )
        return self._plan


class SyncSendDriver:
    """Runs one exactly-once send's ``SendPlan`` with a ``SyncTransport``; also the stream's
    reconnector, so a cut mid-stream is recovered by the same plan."""

    def __init__(self, transport: SyncTransport, request: SendRequest, plan: SendPlan) -> None:
        self._transport = transport
        self._request = request
        self.plan = plan

    def open(self) -> httpx.Response:
        return self._drive(self.plan.steps(NOTHING_YET, None))

    def reconnect(self, state: Cursor, error: LettaError) -> httpx.Response:
        return self._drive(self.plan.steps(state, error))

    def _drive(self, steps: Generator[Action, Outcome, httpx.Response]) -> httpx.Response:
        action = next(steps)
        while True:
            outcome: Outcome = None
            if isinstance(action, Wait):
                self._transport.sleep(action.seconds)
            else:
                try:
                    outcome = self._perform(action)
                except APIError as error:
                    outcome = error
            try:
                action = steps.send(outcome)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]

    def _perform(self, action: Action) -> httpx.Response:
        path, body = self._request.request_for(action)
        return self._transport.request(
            "POST", path, body=body, options=self._request.options, idempotent=True, stream=True, retry=False
        )


class AsyncSendDriver:
    """The async twin of ``SyncSendDriver`` (the plan is shared; only the I/O differs)."""

    def __init__(self, transport: AsyncTransport, request: SendRequest, plan: SendPlan) -> None:
        self._transport = transport
        self._request = request
        self.plan = plan

    async def open(self) -> httpx.Response:
        return await self._drive(self.plan.steps(NOTHING_YET, None))

    async def reconnect(self, state: Cursor, error: LettaError) -> httpx.Response:
        return await self._drive(self.plan.steps(state, error))

    async def _drive(self, steps: Generator[Action, Outcome, httpx.Response]) -> httpx.Response:
        action = next(steps)
        while True:
            outcome: Outcome = None
            if isinstance(action, Wait):
                await self._transport.sleep(action.seconds)
            else:
                try:
                    outcome = await self._perform(action)
                except APIError as error:
                    outcome = error
            try:
                action = steps.send(outcome)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]

    async def _perform(self, action: Action) -> httpx.Response:
        path, body = self._request.request_for(action)
        return await self._transport.request(
            "POST", path, body=body, options=self._request.options, idempotent=True, stream=True, retry=False
        )
