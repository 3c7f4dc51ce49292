"""Exactly-once and never-lose on every path to a send (round 3).

* Raw views: ``with_raw_response.send(...).parse()`` and ``with_streaming_response.send(...)`` +
  ``parse()`` go on with the request that was sent: when its first answer breaks, the recovery
  re-sends the same bytes (same otids), so the agent takes the turn once. Checked on a loopback
  server that breaks the first answer, for agents and conversations, sync and async, both views,
  and a tool-runner round.
* One resume policy: a 5xx while resuming is retried on the agents endpoint and in a conversation
  alike, within the same ``max_resume_attempts`` and with the same waits.
* The conversation lock's 409 is recognised in both its forms (a string ``detail``, or the
  structured ``{"detail": {"code": "CONVERSATION_BUSY", ...}}``).
* Without Redis, a send with an explicit ``background=True`` falls back to a plain send.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import threading
import uuid
from typing import Any, AsyncIterator, Iterator, List, Optional, Tuple

import httpx
import pytest

from _both import collect, resolve
from _conversation_faults import Fault, Faulty
from letta_client import (
    APIConnectionError,
    AsyncLetta,
    ConversationBusyError,
    Letta,
    LettaResponse,
    ResumeError,
)
from letta_client._exactly_once import NOTHING_YET, Attach, Send, SendPlan, Wait
from letta_client._exceptions import status_error
from letta_client.testing import Hold, Reply, Simulator, ToolCall
from letta_client.testing._http import Disconnected, SimRequest, SimResponse
from letta_client.testing._server import LoopbackServer
from letta_client.tools import AsyncToolRunnerStream, ToolRunResult, tool

MODES = ["sync", "async"]
VIEWS = ["raw", "streamed"]


# -- a loopback server that breaks one answer -------------------------------------------------------


class BreakAnswer:
    """The simulator, except that the ``nth`` ``POST …{suffix}`` gets its answer's head and
    ``frames`` frames of its body, then a dropped connection. The server has taken the request
    (the turn runs on), the client cannot tell."""

    def __init__(self, sim: Simulator, *, frames: int = 0, nth: int = 1, suffix: str = "/messages") -> None:
        self.sim = sim
        self.frames = frames
        self.nth = nth
        self.suffix = suffix
        self.seen = 0

    def handle(self, request: SimRequest) -> SimResponse:
        answer = self.sim.handle(request)
        if request.method != "POST" or not request.path.endswith(self.suffix):
            return answer
        self.seen += 1
        if self.seen != self.nth or isinstance(answer.body, bytes):
            return answer
        return SimResponse(answer.status, answer.headers, self._cut(answer.body))

    def _cut(self, body: Iterator[bytes]) -> Iterator[bytes]:
        try:
            for index, chunk in enumerate(body):
                if index >= self.frames:
                    break
                yield chunk
            raise Disconnected()
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()


def sends(sim: Simulator, suffix: str = "/messages") -> List[bytes]:
    """The bodies of every ``POST …{suffix}`` that reached the server, as sent."""
    return [r.body for r in sim.requests if r.method == "POST" and r.path.endswith(suffix)]


def client_for(mode: str, base_url: str) -> Any:
    if mode == "sync":
        return Letta(base_url=base_url, timeout=20, max_retries=0)
    return AsyncLetta(base_url=base_url, timeout=20, max_retries=0)


async def closing(client: Any) -> None:
    await resolve(client.close())


async def through_view(view: str, resource: Any, method: str, *args: Any, **kwargs: Any) -> Tuple[Any, List[Any]]:
    """``resource.with_raw_response.<method>(...).parse()`` or the same through
    ``with_streaming_response`` (inside its context manager), the result read to its end:
    (the parsed result, the events when it is a stream)."""

    async def consume(result: Any) -> Tuple[Any, List[Any]]:
        if isinstance(result, (LettaResponse, ToolRunResult)):
            return result, []
        return result, await collect(result)

    if view == "raw":
        raw = await resolve(getattr(resource.with_raw_response, method)(*args, **kwargs))
        return await consume(await resolve(raw.parse()))
    manager = getattr(resource.with_streaming_response, method)(*args, **kwargs)
    if hasattr(manager, "__aenter__"):
        async with manager as response:
            return await consume(await response.parse())
    with manager as response:
        return await consume(response.parse())


def delivered_once(events: List[Any]) -> None:
    numbered = [e.seq_id for e in events if getattr(e, "seq_id", None) is not None and e.message_type != "ping"]
    assert numbered == sorted(set(numbered))
    kinds = [e.message_type for e in events]
    assert kinds.count("assistant_message") == 1 and kinds.count("stop_reason") == 1


def user_messages(sim: Simulator, conversation_id: str) -> List[Any]:
    return [m["content"] for m in sim.conversation_history(conversation_id) if m["message_type"] == "user_message"]


# -- raw views re-send the bytes that were sent ------------------------------------------------------


@pytest.mark.real_sockets
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("streaming", [True, False], ids=["stream", "json"])
@pytest.mark.parametrize("frames", [0, 2], ids=["before-the-run-id", "mid-stream"])
async def test_a_conversation_send_through_a_view_recovers_with_the_bytes_it_sent(
    mode: str, view: str, streaming: bool, frames: int
) -> None:
    sim = Simulator()
    conversation = sim.create_conversation(sim.default_agent_id)
    sim.script(sim.default_agent_id, [Reply("the one answer")])
    with LoopbackServer(BreakAnswer(sim, frames=frames)) as base_url:
        client = client_for(mode, base_url)
        try:
            result, events = await through_view(
                view, client.conversations.messages, "send", conversation, input="once", streaming=streaming
            )
        finally:
            await closing(client)
    bodies = sends(sim)
    assert len(bodies) == (2 if frames == 0 else 1)  # a re-send before the run id, a resume after it
    assert all(body == bodies[0] for body in bodies), "the re-send carries the bytes (and otids) first sent"
    assert user_messages(sim, conversation) == ["once"], "the agent took the turn once"
    if streaming:
        delivered_once(events)
        assert "".join(e.content for e in events if e.message_type == "assistant_message") == "the one answer"
    else:
        assert isinstance(result, LettaResponse) and result.text == "the one answer"


@pytest.mark.real_sockets
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("view", VIEWS)
async def test_an_agent_send_through_a_view_resumes_and_is_never_sent_twice(mode: str, view: str) -> None:
    sim = Simulator()
    sim.script(sim.default_agent_id, [Reply("from the agent")])
    with LoopbackServer(BreakAnswer(sim, frames=1)) as base_url:  # the first ping names the run
        client = client_for(mode, base_url)
        try:
            stream, events = await through_view(
                view, client.agents.messages, "send", sim.default_agent_id, input="hi", streaming=True, background=True
            )
        finally:
            await closing(client)
    assert len(sends(sim)) == 1
    assert len(sends(sim, "/stream")) == 1 and stream.reconnects == 1
    delivered_once(events)


@pytest.mark.real_sockets
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("view", VIEWS)
async def test_an_agent_send_through_a_view_cut_before_its_run_id_is_not_sent_again(mode: str, view: str) -> None:
    sim = Simulator()
    with LoopbackServer(BreakAnswer(sim, frames=0)) as base_url:
        client = client_for(mode, base_url)
        try:
            with pytest.raises(ResumeError) as caught:
                await through_view(
                    view,
                    client.agents.messages,
                    "send",
                    sim.default_agent_id,
                    input="hi",
                    streaming=True,
                    background=True,
                )
        finally:
            await closing(client)
    assert len(sends(sim)) == 1 and caught.value.run_id is None


@pytest.mark.real_sockets
@pytest.mark.parametrize("mode", MODES)
def test_a_tool_runner_round_whose_answer_breaks_is_re_sent_with_the_same_bytes(mode: str) -> None:
    sim = Simulator()
    conversation = sim.create_conversation(sim.default_agent_id)
    sim.script(sim.default_agent_id, [ToolCall("get_forecast", {"city": "Oslo"}), Reply("Cold.")])
    calls: List[str] = []

    @tool
    def get_forecast(city: str) -> str:
        """Today's forecast."""
        calls.append(city)
        return f"-5C in {city}"

    with LoopbackServer(BreakAnswer(sim, nth=2)) as base_url:  # the round that carries the tool return
        if mode == "sync":
            with Letta(base_url=base_url, timeout=20) as client:
                result = client.conversations.messages.run_tools(conversation, tools=[get_forecast], input="weather?")
        else:  # the async runner, streaming this time

            async def main() -> ToolRunResult:
                async with AsyncLetta(base_url=base_url, timeout=20) as client:
                    runner = await client.conversations.messages.run_tools(
                        conversation, tools=[get_forecast], input="weather?", streaming=True
                    )
                    assert isinstance(runner, AsyncToolRunnerStream)
                    return await runner.get_final_response()

            result = asyncio.run(main())
    bodies = sends(sim)
    assert len(bodies) == 3 and bodies[1] == bodies[2], "the tool-return round is re-sent byte for byte"
    assert calls == ["Oslo"] and result.text == "Cold."
    returns = [m for m in sim.conversation_history(conversation) if m["message_type"] == "tool_return_message"]
    assert len(returns) == 1, "the agent took the tool return once"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", ["agents", "conversations"])
@pytest.mark.parametrize("streaming", [True, False], ids=["stream", "json"])
async def test_parse_does_not_build_the_send_again(
    mode: str, endpoint: str, streaming: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The otids (and the checks) are made once per call, not again by ``parse()``."""
    from letta_client.resources import _body

    sim = Simulator()
    conversation = sim.create_conversation(sim.default_agent_id)
    made: List[str] = []

    class CountingUuid:
        @staticmethod
        def uuid4() -> uuid.UUID:
            value = uuid.uuid4()
            made.append(str(value))
            return value

    monkeypatch.setattr(_body, "uuid", CountingUuid)
    client: Any = sim.client() if mode == "sync" else sim.async_client()
    resource, target = (
        (client.agents.messages, sim.default_agent_id)
        if endpoint == "agents"
        else (client.conversations.messages, conversation)
    )
    messages = [{"role": "user", "content": "one otid"}]
    try:
        await through_view("raw", resource, "send", target, messages=messages, streaming=streaming)
    finally:
        await closing(client)
    [body] = sends(sim)
    assert made == [json.loads(body)["messages"][0]["otid"]]


def test_a_re_send_carries_the_bytes_sent_even_when_the_callers_objects_changed() -> None:
    sim = Simulator()
    conversation = sim.create_conversation(sim.default_agent_id)
    parts: List[Any] = [{"type": "text", "text": "as sent"}]
    transport = Faulty(sim, [Fault("cut", after=0)])
    with Letta(base_url="http://letta.simulator", http_client=httpx.Client(transport=transport)) as client:
        client._transport.sleep = lambda seconds: None  # pyright: ignore[reportPrivateUsage]
        stream = client.conversations.messages.send(conversation, messages=[{"role": "user", "content": parts}])
        parts.append({"type": "text", "text": "changed afterwards"})  # the caller reuses its list
        delivered_once(list(stream))
    bodies = [body for _, path, body in transport.requests if path.endswith("/messages")]
    assert len(bodies) == 2 and bodies[0] == bodies[1]
    assert b"changed afterwards" not in bodies[1]


# -- one resume policy -----------------------------------------------------------------------------


def _faulty_client(mode: str, transport: Faulty, sleeps: List[float]) -> Any:
    if mode == "sync":
        client: Any = Letta(base_url="http://letta.simulator", http_client=httpx.Client(transport=transport))
        client._transport.sleep = sleeps.append
        return client

    async def no_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    client = AsyncLetta(base_url="http://letta.simulator", http_client=httpx.AsyncClient(transport=transport))
    client._transport.sleep = no_sleep
    return client


@dataclasses.dataclass
class Resumed:
    transport: Faulty
    sleeps: List[float] = dataclasses.field(default_factory=lambda: [])
    attempts: List[int] = dataclasses.field(default_factory=lambda: [])
    events: List[Any] = dataclasses.field(default_factory=lambda: [])
    error: Optional[BaseException] = None


async def cut_then(endpoint: str, mode: str, resume_faults: List[Fault], *, max_resume_attempts: int = 5) -> Resumed:
    """A background send whose stream is cut after its run id arrived, then whose resumptions
    meet ``resume_faults``, read to its end (or its error)."""
    sim = Simulator()
    conversation = sim.create_conversation(sim.default_agent_id)
    out = Resumed(Faulty(sim, [Fault("cut", after=700), *resume_faults]))
    client = _faulty_client(mode, out.transport, out.sleeps)
    options: Any = {
        "max_resume_attempts": max_resume_attempts,
        "on_reconnect": lambda attempt, run_id, last_seq_id, error: out.attempts.append(attempt),
    }
    try:
        if endpoint == "agents":
            call = client.agents.messages.send(
                sim.default_agent_id, input="resume me", streaming=True, background=True, **options
            )
        else:
            call = client.conversations.messages.send(conversation, input="resume me", **options)
        stream = await resolve(call)
        try:
            async for event in _events(stream):
                out.events.append(event)
        except ResumeError as error:
            out.error = error
    finally:
        await closing(client)
    return out


async def _events(stream: Any) -> AsyncIterator[Any]:
    if hasattr(stream, "__aiter__"):
        async for event in stream:
            yield event
    else:
        for event in stream:
            yield event


def _resumes(transport: Faulty) -> List[str]:
    return [path for _, path, _ in transport.requests if path.endswith("/stream")]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", ["agents", "conversations"])
@pytest.mark.parametrize("status", [500, 502, 503])
async def test_a_5xx_while_resuming_is_retried_on_both_endpoints(endpoint: str, mode: str, status: int) -> None:
    out = await cut_then(endpoint, mode, [Fault("status", status=status, path="/stream")])
    assert out.error is None
    delivered_once(out.events)
    assert out.attempts == [1, 2]
    assert len(out.sleeps) == 1 and out.sleeps[0] > 0, "one wait, before the second attempt"
    assert len(_resumes(out.transport)) == 1  # the refused attempt never reached the server


@pytest.mark.parametrize("mode", MODES)
async def test_both_endpoints_give_up_after_the_same_attempts_with_the_same_waits(mode: str) -> None:
    seen = {}
    for endpoint in ("agents", "conversations"):
        faults = [Fault("status", status=500, path="/stream") for _ in range(3)]
        out = await cut_then(endpoint, mode, faults, max_resume_attempts=3)
        error = out.error
        assert isinstance(error, ResumeError), endpoint
        assert error.run_id is not None and error.last_seq_id is not None
        assert "3 attempt(s)" in str(error)
        assert isinstance(error.__cause__, Exception) and "500" in str(error.__cause__)
        assert _resumes(out.transport) == [], "every attempt was refused before the server"
        seen[endpoint] = (out.attempts, len(out.sleeps))
    assert seen["agents"] == seen["conversations"] == ([1, 2, 3], 2)


class BusyOnce(Faulty):
    """The first resumption is answered ``503`` with ``Retry-After: 3``."""

    refused = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/stream") and not self.refused:
            self.refused = True
            return httpx.Response(503, json={"detail": "busy"}, headers={"Retry-After": "3"}, request=request)
        return super().handle_request(request)


@pytest.mark.parametrize("endpoint", ["agents", "conversations"])
async def test_a_resume_wait_honours_the_servers_retry_after(endpoint: str) -> None:
    sim = Simulator()
    conversation = sim.create_conversation(sim.default_agent_id)
    transport = BusyOnce(sim, [Fault("cut", after=700)])
    sleeps: List[float] = []
    with _faulty_client("sync", transport, sleeps) as client:
        if endpoint == "agents":
            stream = client.agents.messages.send(sim.default_agent_id, input="hi", streaming=True, background=True)
        else:
            stream = client.conversations.messages.send(conversation, input="hi")
        delivered_once(list(stream))
    assert sleeps == [3.0]


# -- the conversation lock's 409, both forms ----------------------------------------------------------

_STRING_FORM = {
    "detail": "CONFLICT: Cannot send a new message: Another request (run_id=run-1) is currently being processed "
    "for this conversation. Please wait for it to complete.",
    "run_id": "run-1",
}
_STRUCTURED_FORMS: List[Any] = [
    {"detail": {"code": "CONVERSATION_BUSY", "message": "Another request is being processed", "run_id": "run-1"}},
    {"detail": {"code": "CONVERSATION_BUSY", "conversation_id": "conv-1"}, "run_id": "run-1"},
    {"detail": {"error_code": "CONVERSATION_BUSY", "run_id": "run-1"}},
]


def _conflict(body: Any, path: str = "/v1/conversations/conv-1/messages") -> httpx.Response:
    request = httpx.Request("POST", f"http://letta.test{path}")
    return httpx.Response(409, json=body, request=request)


@pytest.mark.parametrize("body", [_STRING_FORM, *_STRUCTURED_FORMS])
def test_both_forms_of_the_lock_are_a_busy_conversation(body: Any) -> None:
    error = status_error(_conflict(body))
    assert isinstance(error, ConversationBusyError)
    assert error.run_id == "run-1" and error.conversation_id == "conv-1"


def test_other_conflicts_are_not_the_lock() -> None:
    pending = {"detail": {"code": "PENDING_APPROVAL", "pending_request_id": "message-1"}}
    error = status_error(_conflict(pending, "/v1/agents/agent-1/messages"))
    assert not isinstance(error, ConversationBusyError)


@pytest.mark.parametrize("body", _STRUCTURED_FORMS[:1])
def test_a_structured_409_on_a_re_send_attaches_to_this_sends_run(body: Any) -> None:
    """After a copy may have reached the server, the structured 409 is this send's own lock too."""
    plan = SendPlan("conv-1", ["otid-1"], max_attempts=5, on_reconnect=None)
    steps = plan.steps(NOTHING_YET, None)
    assert isinstance(next(steps), Send)
    lost = APIConnectionError("reset", httpx.Request("POST", "http://letta.test/v1/conversations/conv-1/messages"))
    assert isinstance(steps.send(lost), Send)
    action = steps.send(status_error(_conflict(body)))
    assert isinstance(action, Wait)  # the backoff before a second recovery attempt
    assert steps.send(None) == Attach("otid-1")


class StructuredConflicts(Faulty):
    """The simulator's 409s, re-worded in the structured form a newer server uses."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if response.status_code != 409:
            return response
        original = json.loads(response.read())
        detail = {"code": "CONVERSATION_BUSY", "message": original["detail"], "run_id": original.get("run_id")}
        return httpx.Response(409, json={"detail": detail}, request=request)


def test_a_busy_conversation_answering_in_the_structured_form() -> None:
    sim = Simulator()
    conversation = sim.create_conversation(sim.default_agent_id)
    release = threading.Event()
    sim.script(sim.default_agent_id, [Hold(release, timeout=30), Reply("other")])
    holder = sim.client().conversations.messages.send(conversation, input="someone else", yield_pings=True)
    next(holder)
    try:
        with Letta(
            base_url="http://letta.simulator", http_client=httpx.Client(transport=StructuredConflicts(sim, []))
        ) as client:
            with pytest.raises(ConversationBusyError) as caught:
                client.conversations.messages.send(conversation, input="mine")
        assert caught.value.run_id == holder.run_id and caught.value.conversation_id == conversation
    finally:
        release.set()
        list(holder)


# -- no Redis: the fallback is a plain send -----------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("streaming", [True, False], ids=["stream", "json"])
@pytest.mark.parametrize("view", ["plain", *VIEWS])
async def test_without_redis_an_explicit_background_send_falls_back_to_a_plain_one(
    mode: str, streaming: bool, view: str, caplog: pytest.LogCaptureFixture
) -> None:
    sim = Simulator(redis=False)
    conversation = sim.create_conversation(sim.default_agent_id)
    sim.script(sim.default_agent_id, [Reply("plainly")])
    extra = {"background": True} if streaming else {}
    client: Any = sim.client() if mode == "sync" else sim.async_client()
    try:
        with caplog.at_level(logging.WARNING, logger="letta_client"):
            if view == "plain":
                result = await resolve(
                    client.conversations.messages.send(conversation, input="hello", streaming=streaming, **extra)
                )
                events = [] if isinstance(result, LettaResponse) else await collect(result)
            else:
                result, events = await through_view(
                    view,
                    client.conversations.messages,
                    "send",
                    conversation,
                    input="hello",
                    streaming=streaming,
                    **extra,
                )
    finally:
        await closing(client)
    bodies = [json.loads(body) for body in sends(sim)]
    assert [body.get("background") for body in bodies] == [True, None], "one refused background send, one plain"
    assert bodies[0]["messages"] == bodies[1]["messages"]
    assert caplog.text.count("requires Redis") == 1
    text = (
        result.text
        if isinstance(result, LettaResponse)
        else "".join(e.content for e in events if e.message_type == "assistant_message")
    )
    assert text == "plainly" and user_messages(sim, conversation) == ["hello"]


def test_background_false_still_goes_out_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    sim = Simulator()
    conversation = sim.create_conversation(sim.default_agent_id)
    with sim.client() as client:
        list(client.conversations.messages.send(conversation, input="plain", background=False))
    [body] = sends(sim)
    assert json.loads(body)["background"] is False


@pytest.mark.parametrize("mode", MODES)
async def test_a_recovery_is_logged_by_the_errors_kind_never_by_the_servers_words(
    mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The server's body can hold a traceback or an echoed secret: the log line names the error's
    class and status only."""
    with caplog.at_level(logging.INFO, logger="letta_client"):
        out = await cut_then("conversations", mode, [Fault("status", status=502, path="/stream")])
    assert out.error is None
    lines = [record.getMessage() for record in caplog.records if "recovering the send" in record.getMessage()]
    assert lines and any(line.endswith("after InternalServerError (502)") for line in lines), lines
    assert not any("Bad Gateway" in line for line in lines), lines
