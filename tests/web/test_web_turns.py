"""The Letta side of a browser's turn: one turn per browser key, runs followed only in their own
conversation, the run in progress, stop, and failures told in words a browser may see."""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from typing import Any, List, Optional

import httpx
import pytest
from _asgi_harness import SECRET
from hypothesis import given
from hypothesis import strategies as st

from letta_client import AsyncLetta
from letta_client._exceptions import (
    APIConnectionError,
    ConflictError,
    ConversationBusyError,
    LettaStreamError,
    NotFoundError,
    ResumeError,
)
from letta_client.testing import Error, Hold, Reply, SimRequest, Simulator
from letta_client.types.messages import LettaStreamingResponse
from letta_client.web import BadRequest, Framer, Outgoing, Problem, _turns


class Echo:
    """A toy encoder: each event as its JSON; ``[DONE]`` or the problem at the end."""

    def event(self, event: LettaStreamingResponse) -> List[Any]:
        return [(None, event.model_dump_json())]

    def end(self, problem: Optional[Problem]) -> List[Any]:
        return [(None, "[DONE]")] if problem is None else [("error", json.dumps(problem._asdict()))]


def user(text: str) -> List[Any]:
    return [{"role": "user", "content": text}]


def sends(sim: Simulator, conversation_id: str) -> List[SimRequest]:
    return [r for r in sim.requests if r.method == "POST" and r.path == f"/v1/conversations/{conversation_id}/messages"]


async def relayed(stream: Any) -> bytes:
    return b"".join([chunk async for chunk in _turns.relay(stream, Framer(Echo()))])


@given(st.text(min_size=1, max_size=60), st.text(min_size=1, max_size=60))
def test_the_otid_is_derived_from_conversation_and_key_never_the_key_itself(conversation: str, key: str) -> None:
    otid = _turns.otid_for(conversation, key)
    assert otid == _turns.otid_for(conversation, key)
    assert otid.startswith("web-") and len(otid) == 36 and int(otid[4:], 16) >= 0
    assert otid != _turns.otid_for(conversation + "x", key)
    assert otid != _turns.otid_for(conversation, key + "x")
    assert key not in otid[4:] or len(key) < 4  # a hex digest, not the browser's id


async def test_the_same_key_twice_is_one_turn_and_streams_the_same_bytes(sim: Simulator, client: AsyncLetta) -> None:
    conversation = sim.create_conversation(sim.default_agent_id)
    outgoing = Outgoing(conversation, "msg-1", user("hello"))
    first = await relayed(await _turns.send(client, outgoing))
    again = await relayed(await _turns.send(client, outgoing))
    assert again == first
    assert b"[DONE]" in first
    assert [m["message_type"] for m in sim.conversation_history(conversation)].count("user_message") == 1
    otids = [json.loads(r.body)["messages"][0]["otid"] for r in sends(sim, conversation)]
    assert otids == [_turns.otid_for(conversation, "msg-1")] * 2  # derived; a browser's otid is replaced
    assert len(sim.runs_of(lambda run: run.conversation_id == conversation)) == 1


async def test_a_browser_otid_is_replaced(sim: Simulator, client: AsyncLetta) -> None:
    conversation = sim.create_conversation(sim.default_agent_id)
    other = sim.create_conversation(sim.default_agent_id)
    await relayed(await _turns.send(client, Outgoing(other, "k", user("first"))))
    foreign_otid = _turns.otid_for(other, "k")  # a browser naming another conversation's turn
    message = {"role": "user", "content": "mine", "otid": foreign_otid}
    await relayed(await _turns.send(client, Outgoing(conversation, "k2", [message])))
    assert [m["content"] for m in sim.conversation_history(conversation) if m["message_type"] == "user_message"] == [
        "mine"
    ]


async def test_the_same_key_at_once_is_one_turn(sim: Simulator, client: AsyncLetta) -> None:
    conversation = sim.create_conversation(sim.default_agent_id)
    release = threading.Event()
    sim.script(sim.default_agent_id, [Reply("one"), Hold(release), Reply("two")])
    outgoing = Outgoing(conversation, "double-click", user("hi"))
    first, second = await asyncio.gather(_turns.send(client, outgoing), _turns.send(client, outgoing))
    release.set()
    a, b = await asyncio.gather(relayed(first), relayed(second))
    assert a == b and b"two" in a
    assert len(sim.runs_of(lambda run: run.conversation_id == conversation)) == 1


class BusyOnce(httpx.AsyncBaseTransport):
    """The server's race: a copy of the send that arrives while the first still starts its run
    gets 409 (the real server polls a little first; the simulator answers at once)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, run_id: str) -> None:
        self.inner = inner
        self.run_id = run_id
        self.armed = True

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.armed and request.url.path.endswith("/messages") and request.method == "POST":
            self.armed = False
            detail = f"CONFLICT: Cannot send a new message: Another request (run_id={self.run_id}) is currently being processed for this conversation. Please wait for it to complete."
            return httpx.Response(409, json={"detail": detail, "run_id": self.run_id}, request=request)
        return await self.inner.handle_async_request(request)


async def test_a_409_for_the_same_key_follows_that_turn_by_its_otid(sim: Simulator, client: AsyncLetta) -> None:
    conversation = sim.create_conversation(sim.default_agent_id)
    release = threading.Event()
    sim.script(sim.default_agent_id, [Reply("one"), Hold(release), Reply("two")])
    outgoing = Outgoing(conversation, "k", user("hi"))
    first = await _turns.send(client, outgoing)
    run_id = sim.runs_of(lambda run: run.conversation_id == conversation)[0].id
    racing = AsyncLetta(
        base_url="http://letta.simulator",
        api_key=SECRET,
        http_client=httpx.AsyncClient(transport=BusyOnce(sim.async_transport(), run_id)),
    )
    async with racing:
        second = await _turns.send(racing, outgoing)
        release.set()
        assert await relayed(second) == await relayed(first)
    follows = [r for r in sim.requests if r.path.endswith("/stream")]
    assert [json.loads(r.body)["otid"] for r in follows] == [_turns.otid_for(conversation, "k")]
    assert len(sim.runs_of(lambda run: run.conversation_id == conversation)) == 1


async def test_another_turn_holding_the_conversation_is_busy(sim: Simulator, client: AsyncLetta) -> None:
    conversation = sim.create_conversation(sim.default_agent_id)
    release = threading.Event()
    sim.script(sim.default_agent_id, [Hold(release), Reply("one")])
    first = await _turns.send(client, Outgoing(conversation, "k1", user("hi")))
    with pytest.raises(ConversationBusyError):
        await _turns.send(client, Outgoing(conversation, "k2", user("again")))
    release.set()
    await relayed(first)


async def test_follow_refuses_a_run_of_another_conversation(sim: Simulator, client: AsyncLetta) -> None:
    mine = sim.create_conversation(sim.default_agent_id)
    theirs = sim.create_conversation(sim.default_agent_id)
    await relayed(await _turns.send(client, Outgoing(theirs, "k", user("secret plans"))))
    their_run = sim.runs_of(lambda run: run.conversation_id == theirs)[0].id
    before = len(sim.requests)
    with pytest.raises(BadRequest) as refused:
        await _turns.follow(client, mine, their_run)
    assert refused.value.status == 404
    assert not [r for r in sim.requests[before:] if r.path.endswith("/stream")]  # nothing was streamed
    unknown = f"run-{uuid.uuid4()}"
    with pytest.raises(BadRequest) as missing:
        await _turns.follow(client, mine, unknown)
    assert missing.value.status == 404 and missing.value.reason == refused.value.reason


async def test_follow_replays_the_run_from_its_start(sim: Simulator, client: AsyncLetta) -> None:
    conversation = sim.create_conversation(sim.default_agent_id)
    sent = await relayed(await _turns.send(client, Outgoing(conversation, "k", user("hi"))))
    run_id = sim.runs_of(lambda run: run.conversation_id == conversation)[0].id
    assert await relayed(await _turns.follow(client, conversation, run_id)) == sent


@pytest.mark.parametrize("bad", ["conv-1/../x", "..", "run-x", "", "conv-%2F"])
async def test_ids_are_checked_before_any_request(sim: Simulator, client: AsyncLetta, bad: str) -> None:
    for call in (
        lambda: _turns.follow(client, bad, f"run-{uuid.uuid4()}"),
        lambda: _turns.active_run(client, bad),
        lambda: _turns.cancel(client, bad),
        lambda: _turns.send(client, Outgoing(bad, "k", user("x"))),
    ):
        with pytest.raises(BadRequest) as refused:
            await call()
        assert refused.value.status == 400
    assert sim.requests == []


async def test_the_run_in_progress_and_a_history_without_its_agent_side(sim: Simulator, client: AsyncLetta) -> None:
    conversation = sim.create_conversation(sim.default_agent_id)
    assert await _turns.active_run(client, conversation) is None
    await relayed(await _turns.send(client, Outgoing(conversation, "k1", user("first"))))
    release = threading.Event()
    sim.script(sim.default_agent_id, [Reply("part one"), Hold(release), Reply("part two")])
    stream = await _turns.send(client, Outgoing(conversation, "k2", user("second")))
    running = sim.runs_of(lambda run: run.conversation_id == conversation)[-1].id
    assert await _turns.active_run(client, conversation) == running
    held = await _turns.history(client, conversation)
    assert [(m.message_type, m.run_id == running) for m in held] == [
        ("user_message", False),
        ("reasoning_message", False),
        ("assistant_message", False),
        ("user_message", True),  # the question stays; the answer comes with the run's replay
    ]
    release.set()
    await relayed(stream)
    assert await _turns.active_run(client, conversation) is None
    whole = await _turns.history(client, conversation)
    assert [m.message_type for m in whole if m.run_id == running] == [
        "user_message",
        "assistant_message",
        "assistant_message",
    ]


async def test_stop_cancels_the_run_and_stopping_nothing_is_fine(sim: Simulator, client: AsyncLetta) -> None:
    conversation = sim.create_conversation(sim.default_agent_id)
    await _turns.cancel(client, conversation)  # nothing running
    release = threading.Event()
    sim.script(sim.default_agent_id, [Reply("one"), Hold(release), Reply("two")])
    stream = await _turns.send(client, Outgoing(conversation, "k", user("hi")))
    await _turns.cancel(client, conversation)
    body = await relayed(stream)
    run = sim.runs_of(lambda run: run.conversation_id == conversation)[0]
    assert run.status == "cancelled"
    assert b"two" not in body and b"[DONE]" in body


async def test_leaving_the_relay_closes_the_letta_stream_and_the_run_goes_on(
    sim: Simulator, client: AsyncLetta
) -> None:
    conversation = sim.create_conversation(sim.default_agent_id)
    release = threading.Event()
    sim.script(sim.default_agent_id, [Reply("one"), Hold(release), Reply("two")])
    stream = await _turns.send(client, Outgoing(conversation, "k", user("hi")))
    chunks = _turns.relay(stream, Framer(Echo()))
    async for chunk in chunks:
        if b"one" in chunk:
            break
    await chunks.aclose()  # the browser went away
    assert stream.response.is_closed
    release.set()
    run_id = sim.runs_of(lambda run: run.conversation_id == conversation)[0].id
    rest = await relayed(await _turns.follow(client, conversation, run_id))
    assert b"two" in rest
    assert sim.run(run_id)["status"] == "completed"
    assert not [r for r in sim.requests if r.path.endswith("/cancel")]


async def test_a_failed_turn_ends_with_safe_words(sim: Simulator, client: AsyncLetta) -> None:
    conversation = sim.create_conversation(sim.default_agent_id)
    leak = f"Traceback (most recent call last): token={SECRET}"
    sim.script(sim.default_agent_id, [Reply("so far"), Error("llm_error", message=leak, detail=leak)])
    body = await relayed(await _turns.send(client, Outgoing(conversation, "k", user("hi"))))
    last = body.decode().strip().split("\n\n")[-1]
    assert "event: error" in last
    assert json.loads(last.split("data: ", 1)[1]) == {"kind": "error", "text": "The agent's turn failed (llm_error)."}
    assert SECRET.encode() not in body and b"Traceback" not in body


class Broken:
    """A stream that yields nothing and fails with ``error``; records its close."""

    def __init__(self, error: BaseException) -> None:
        self.error = error
        self.closed = False

    def __aiter__(self) -> Broken:
        return self

    async def __anext__(self) -> LettaStreamingResponse:
        raise self.error

    async def close(self) -> None:
        self.closed = True


def status_error(cls: Any, status: int, detail: str) -> Any:
    request = httpx.Request("POST", f"http://user:{SECRET}@letta.example/v1/conversations/x/stream")
    response = httpx.Response(status, json={"detail": detail}, request=request)
    return cls(f"{status} {detail}", response=response, body={"detail": detail})


LEAK = f"Traceback (most recent call last): File x, api_key={SECRET}"


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (ResumeError(LEAK, run_id=None, last_seq_id=None), "interrupted"),
        (APIConnectionError(LEAK), "interrupted"),
        (status_error(NotFoundError, 404, LEAK), "error"),
        (status_error(ConversationBusyError, 409, LEAK), "error"),
        (LettaStreamError(LEAK, body={"detail": LEAK}, error_type=f"llm_error {SECRET}"), "error"),
        (RuntimeError("a bug of the relay"), "error"),
    ],
)
async def test_every_failure_reads_safely(error: BaseException, kind: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    stream = Broken(error)
    body = b"".join([chunk async for chunk in _turns.relay(stream, Framer(Echo()))])  # type: ignore[arg-type]
    assert stream.closed
    assert json.loads(body.decode().split("data: ", 1)[1])["kind"] == kind
    assert SECRET.encode() not in body and b"Traceback" not in body
    status, reason = _turns.failure_status(error)
    assert SECRET not in reason and "Traceback" not in reason and 400 <= status <= 599
    assert SECRET not in caplog.text and "Traceback (most recent call last): File x" not in caplog.text
    assert caplog.records  # each failure is logged


def test_a_pending_approval_and_a_busy_conversation_are_named() -> None:
    pending = "CONFLICT: Cannot send a new message: The agent is waiting for approval on a tool call."
    said = "The agent is waiting for a tool call to be approved or denied."
    assert _turns.problem_for(LettaStreamError(pending, body=None)) == Problem("error", said)
    assert _turns.failure_status(status_error(ConflictError, 409, pending)) == (409, said)
    busy = "CONFLICT: Cannot send a new message: Another request is currently being processed for this conversation."
    status, reason = _turns.failure_status(status_error(ConversationBusyError, 409, busy))
    assert status == 409 and reason.startswith("Another turn is running")
