"""``client.conversations`` against the simulator: CRUD, fork, cancel, listing, following a run,
the busy lock, agent-direct mode, and exactly-once sends through every kind of failure (sync and
async, driven by the same scenarios)."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from typing import Any, Dict, List, Optional, Tuple

import httpx
import pytest

from _conversation_faults import Fault, Faulty
from letta_client import (
    APIConnectionError,
    AsyncLetta,
    BadRequestError,
    ConflictError,
    ConversationBusyError,
    Letta,
    LettaStreamError,
    NotFoundError,
    ResumeError,
)
from letta_client.testing import Error, Hold, Reply, Simulator, Think
from letta_client.types import LettaResponse
from letta_client.types.conversation import Conversation

BASE = "http://letta.simulator"
MODES = ["sync", "async"]


@pytest.fixture
def sim() -> Simulator:
    return Simulator()


@pytest.fixture
def conv(sim: Simulator) -> str:
    return sim.create_conversation(sim.default_agent_id)


def _sync_client(transport: Faulty, sleeps: List[float]) -> Letta:
    client = Letta(base_url=BASE, http_client=httpx.Client(transport=transport))
    client._transport.sleep = sleeps.append  # pyright: ignore[reportPrivateUsage]
    return client


def _async_client(transport: Faulty, sleeps: List[float]) -> AsyncLetta:
    client = AsyncLetta(base_url=BASE, http_client=httpx.AsyncClient(transport=transport))

    async def no_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    client._transport.sleep = no_sleep  # pyright: ignore[reportPrivateUsage]
    return client


class Outcome:
    def __init__(self) -> None:
        self.events: List[Any] = []
        self.response: Optional[LettaResponse] = None
        self.reconnects: List[Tuple[int, str, Optional[int]]] = []
        self.sleeps: List[float] = []
        self.run_id: Optional[str] = None


def send(
    sim: Simulator, mode: str, conversation_id: str, faults: List[Fault], *, streaming: bool = True, **params: Any
) -> Tuple[Outcome, Faulty]:
    """One ``conversations.messages.send`` through ``faults``, read to its end."""
    transport = Faulty(sim, faults)
    out = Outcome()
    params.setdefault("on_reconnect", lambda attempt, run_id, seq, error: out.reconnects.append((attempt, run_id, seq)))
    if mode == "sync":
        with _sync_client(transport, out.sleeps) as client:
            result = client.conversations.messages.send(conversation_id, streaming=streaming, **params)
            if isinstance(result, LettaResponse):
                out.response = result
            else:
                out.events = list(result)
                out.run_id = result.run_id
        return out, transport

    async def run() -> None:
        async with _async_client(transport, out.sleeps) as client:
            result = await client.conversations.messages.send(conversation_id, streaming=streaming, **params)
            if isinstance(result, LettaResponse):
                out.response = result
            else:
                out.events = [event async for event in result]
                out.run_id = result.run_id

    asyncio.run(run())
    return out, transport


def user_messages(sim: Simulator, conversation_id: str) -> List[Any]:
    return [m["content"] for m in sim.conversation_history(conversation_id) if m["message_type"] == "user_message"]


def assert_once(out: Outcome) -> None:
    """Every event once, in order, and the whole turn."""
    seq_ids = [e.seq_id for e in out.events if getattr(e, "seq_id", None) is not None]
    assert seq_ids == sorted(set(seq_ids))
    kinds = [e.message_type for e in out.events]
    assert kinds.count("stop_reason") == 1 and kinds[-1] == "usage_statistics"
    assert kinds.count("assistant_message") == 1


# -- CRUD, listing, fork, cancel -------------------------------------------------------------


def test_crud_fork_and_delete(sim: Simulator) -> None:
    client = sim.client()
    agent = sim.default_agent_id
    created = client.conversations.create(agent_id=agent, summary="first")
    assert isinstance(created, Conversation) and created.id.startswith("conv-") and created.summary == "first"
    create_request = sim.requests[-1]
    assert create_request.path == "/v1/conversations/" and create_request.query == {"agent_id": [agent]}
    assert json.loads(create_request.body) == {"summary": "first"}
    assert client.conversations.retrieve(created.id).agent_id == agent
    assert client.conversations.update(created.id, summary="renamed").summary == "renamed"
    client.conversations.messages.send(created.id, input="remember this", streaming=False)
    fork = client.conversations.fork(created.id)
    assert fork.id != created.id and fork.agent_id == agent
    kinds = [m.message_type for m in client.conversations.messages.list(fork.id, order="asc")]
    assert kinds[:2] == ["system_message", "user_message"] and kinds.count("user_message") == 1
    client.conversations.delete(created.id)
    with pytest.raises(NotFoundError):
        client.conversations.retrieve(created.id)


def test_list_pages_through_every_conversation(sim: Simulator) -> None:
    client = sim.client()
    made = {sim.create_conversation(sim.default_agent_id) for _ in range(5)}
    page = client.conversations.list(agent_id=sim.default_agent_id, limit=2)
    assert len(page.items) == 2 and page.has_next_page()
    assert {c.id for each in page.iter_pages() for c in each} == made
    queries = [r.query for r in sim.requests if r.path == "/v1/conversations/"]
    assert queries[-1]["after"] and queries[-1]["limit"] == ["2"]


async def test_async_crud_and_list(sim: Simulator) -> None:
    async with sim.async_client() as client:
        created = await client.conversations.create(agent_id=sim.default_agent_id)
        assert (await client.conversations.retrieve(created.id)).id == created.id
        assert [c.id async for c in client.conversations.list(agent_id=sim.default_agent_id, limit=1)] == [created.id]
        forked = await client.conversations.fork(created.id)
        assert (await client.conversations.update(forked.id, summary="x")).summary == "x"
        await client.conversations.delete(forked.id)
        with pytest.raises(NotFoundError):
            await client.conversations.retrieve(forked.id)


def test_default_needs_agent_id_before_anything_is_sent(sim: Simulator) -> None:
    client = sim.client()
    for call in (
        lambda: client.conversations.messages.send("default", input="x"),
        lambda: client.conversations.messages.list("default"),
        lambda: client.conversations.fork("default"),
        lambda: client.conversations.cancel("default"),
    ):
        with pytest.raises(ValueError, match="agent_id"):
            call()
    assert sim.requests == []


def test_agent_direct_mode_uses_the_agents_default_conversation(sim: Simulator) -> None:
    client = sim.client()
    agent = sim.default_agent_id
    answer = client.conversations.messages.send("default", agent_id=agent, input="direct", streaming=False)
    assert answer.text == "echo: direct"
    assert json.loads(sim.requests[-1].body)["agent_id"] == agent
    texts = [getattr(m, "content", None) for m in client.conversations.messages.list("default", agent_id=agent)]
    assert "direct" in texts and texts == [getattr(m, "content", None) for m in client.agents.messages.list(agent)]


def test_compact(sim: Simulator, conv: str) -> None:
    client = sim.client()
    client.conversations.messages.send(conv, input="one", streaming=False)
    result = client.conversations.messages.compact(conv)
    assert result.num_messages_before > result.num_messages_after


# -- the lock --------------------------------------------------------------------------------


def test_a_concurrent_send_is_busy_and_names_the_running_turn(sim: Simulator, conv: str) -> None:
    release = threading.Event()
    sim.script(sim.default_agent_id, [Hold(release, timeout=30), Reply("done")])
    client = sim.client()
    first = client.conversations.messages.send(conv, input="first", yield_pings=True)
    first_events = [next(first)]  # the first ping: the turn is running
    with pytest.raises(ConversationBusyError) as caught:
        client.conversations.messages.send(conv, input="second")
    busy = caught.value
    assert isinstance(busy, ConflictError) and busy.status_code == 409
    assert busy.run_id == first.run_id and busy.conversation_id == conv
    follower = client.conversations.messages.stream(conv, run_id=busy.run_id, yield_pings=False)
    release.set()
    first_events += list(first)
    followed = list(follower)
    assert [e.message_type for e in followed] == [e.message_type for e in first_events if e.message_type != "ping"]
    assert first_events[0].message_type == "ping"
    assert user_messages(sim, conv) == ["first"]


def test_cancel_stops_the_running_turn(sim: Simulator, conv: str) -> None:
    release = threading.Event()
    sim.script(sim.default_agent_id, [Hold(release, timeout=30), Reply("never")])
    client = sim.client()
    stream = client.conversations.messages.send(conv, input="long", yield_pings=True)
    next(stream)
    assert client.conversations.cancel(conv) == {stream.run_id: "cancelled"}
    list(stream)
    assert stream.cancelled
    with pytest.raises(ConflictError):
        client.conversations.cancel(conv)


# -- exactly-once sends ----------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "fault",
    [
        Fault("lost"),  # reset before any byte, after the server took the request
        Fault("cut", after=0),  # headers, then a reset
        Fault("cut", after=40),  # part of the first frame
        Fault("cut", after=700),  # mid-stream
        Fault("status", status=502),  # a proxy refused it
        Fault("status", status=503),
        Fault("status_after", status=504),  # the server took it, the proxy timed out
    ],
    ids=["lost", "cut-headers", "cut-first-frame", "cut-mid", "502", "503", "504-after"],
)
def test_a_failed_send_is_recovered_exactly_once(sim: Simulator, conv: str, mode: str, fault: Fault) -> None:
    sim.script(sim.default_agent_id, [Think("Let me answer."), Reply("the whole answer, in several words")])
    out, transport = send(sim, mode, conv, [fault], input="once please", stream_tokens=True)
    assert_once_tokens(out)
    assert user_messages(sim, conv) == ["once please"]
    sends = [body for method, path, body in transport.requests if path.endswith("/messages")]
    assert len(set(sends)) == 1, "every attempt sends the same bytes"
    assert len(out.reconnects) == 1 and out.reconnects[0][0] == 1


def assert_once_tokens(out: Outcome) -> None:
    seq_ids = [e.seq_id for e in out.events if getattr(e, "seq_id", None) is not None]
    assert seq_ids == sorted(set(seq_ids))
    text = "".join(e.content for e in out.events if e.message_type == "assistant_message")
    assert text == "the whole answer, in several words"
    kinds = [e.message_type for e in out.events]
    assert kinds.count("stop_reason") == 1 and kinds[-1] == "usage_statistics"


@pytest.mark.parametrize("mode", MODES)
def test_a_non_streaming_send_is_recovered_and_returns_the_response(sim: Simulator, conv: str, mode: str) -> None:
    out, transport = send(sim, mode, conv, [Fault("lost")], input="json please", streaming=False)
    assert out.response is not None and out.response.text == "echo: json please"
    assert out.response.stop_reason.stop_reason == "end_turn"
    assert user_messages(sim, conv) == ["json please"]
    body = json.loads(transport.requests[0][2])
    assert body["streaming"] is True and body["background"] is True and body["messages"][0]["otid"]


@pytest.mark.parametrize("mode", MODES)
def test_a_re_send_that_fails_too_is_retried_with_backoff(sim: Simulator, conv: str, mode: str) -> None:
    faults = [Fault("lost"), Fault("status", status=503), Fault("cut", after=0)]
    out, _ = send(sim, mode, conv, faults, input="stubborn")
    assert_once(out)
    assert [attempt for attempt, _, _ in out.reconnects] == [1, 2, 3]
    assert len(out.sleeps) == 2 and all(s > 0 for s in out.sleeps)
    assert user_messages(sim, conv) == ["stubborn"]


@pytest.mark.parametrize("mode", MODES)
def test_gives_up_after_max_attempts_naming_the_send(sim: Simulator, conv: str, mode: str) -> None:
    faults = [Fault("status", status=502) for _ in range(4)]
    with pytest.raises(ResumeError) as caught:
        send(sim, mode, conv, faults, input="never arrives", max_resume_attempts=3)
    error = caught.value
    assert error.conversation_id == conv and error.run_id is None and len(error.otids) == 1
    assert error.otids[0] in str(error) and f"stream({conv!r}, otid=" in str(error)
    assert user_messages(sim, conv) == []


@pytest.mark.parametrize("mode", MODES)
def test_a_409_held_by_this_same_send_attaches_to_its_run(sim: Simulator, conv: str, mode: str) -> None:
    release = threading.Event()
    sim.script(sim.default_agent_id, [Hold(release, timeout=30), Reply("mine")])

    class LoseTheToken(Faulty):
        """The first copy reaches the server, but its request-token mapping is not visible yet
        (the server is still creating the run), so the re-send meets this send's own lock: 409."""

        hidden: Dict[str, str] = {}

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            self._before(request)
            try:
                return super().handle_request(request)
            finally:
                self._after()

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            self._before(request)
            try:
                return await super().handle_async_request(request)
            finally:
                self._after()

        def _before(self, request: httpx.Request) -> None:
            if request.url.path.endswith("/stream"):  # the attach: the mapping is there by now
                self.sim.conversations.run_of.update(self.hidden)
                release.set()

        def _after(self) -> None:
            if not self.hidden:
                store = self.sim.conversations.run_of
                self.hidden = {key: store.pop(key) for key in [k for k in store if len(k) == 16]}

    out = Outcome()
    transport = LoseTheToken(sim, [Fault("lost")])
    if mode == "sync":
        with _sync_client(transport, out.sleeps) as client:
            stream = client.conversations.messages.send(conv, input="attach me")
            out.events = list(stream)
    else:

        async def run() -> None:
            async with _async_client(transport, out.sleeps) as client:
                stream = await client.conversations.messages.send(conv, input="attach me")
                out.events = [e async for e in stream]

        asyncio.run(run())
    paths = [(path.rsplit("/", 1)[-1], json.loads(body).get("otid")) for _, path, body in transport.requests]
    assert [p for p, _ in paths] == ["messages", "messages", "stream"]
    assert paths[2][1] is not None
    assert_once(out)
    assert user_messages(sim, conv) == ["attach me"]


@pytest.mark.parametrize("mode", MODES)
def test_a_busy_conversation_after_a_lost_send_is_busy_when_no_run_has_our_otid(
    sim: Simulator, conv: str, mode: str
) -> None:
    release = threading.Event()
    sim.script(sim.default_agent_id, [Hold(release, timeout=30), Reply("other")])
    holder = sim.client().conversations.messages.send(conv, input="someone else", yield_pings=True)
    next(holder)
    try:
        with pytest.raises(ConversationBusyError) as caught:
            send(sim, mode, conv, [Fault("status", status=502)], input="mine")
        assert caught.value.run_id == holder.run_id
    finally:
        release.set()
        list(holder)
    assert user_messages(sim, conv) == ["someone else"]


@pytest.mark.parametrize("mode", MODES)
def test_without_redis_the_send_falls_back_to_one_plain_send(mode: str, caplog: pytest.LogCaptureFixture) -> None:
    sim = Simulator(redis=False)
    conv = sim.create_conversation(sim.default_agent_id)
    with caplog.at_level(logging.WARNING, logger="letta_client"):
        out, transport = send(sim, mode, conv, [], input="plain")
    assert [e.message_type for e in out.events][-2:] == ["stop_reason", "usage_statistics"]
    bodies = [json.loads(body) for _, _, body in transport.requests]
    assert [b.get("background") for b in bodies] == [True, None]
    assert bodies[0]["messages"] == bodies[1]["messages"]
    assert "requires Redis" in caplog.text and "never re-sent" in caplog.text
    with pytest.raises(APIConnectionError):
        send(sim, mode, conv, [Fault("pass"), Fault("lost")], input="lost once")
    assert user_messages(sim, conv).count("lost once") == 1, "never re-sent after it may have arrived"


@pytest.mark.parametrize("mode", MODES)
def test_an_expired_run_cannot_be_resumed(sim: Simulator, conv: str, mode: str) -> None:
    release = threading.Event()
    sim.script(sim.default_agent_id, [Reply("part one"), Hold(release, timeout=30), Reply("part two")])

    class ExpireOnCut(Faulty):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            self._expire_if_resuming(request)
            return super().handle_request(request)

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            self._expire_if_resuming(request)
            return await super().handle_async_request(request)

        def _expire_if_resuming(self, request: httpx.Request) -> None:
            if request.url.path.endswith("/stream"):
                run_id = json.loads(request.read())["run_id"]
                self.sim.expire_run(run_id)
                release.set()

    out = Outcome()
    transport = ExpireOnCut(sim, [Fault("cut", after=400)])
    with pytest.raises(ResumeError) as caught:
        if mode == "sync":
            with _sync_client(transport, out.sleeps) as client:
                for event in client.conversations.messages.send(conv, input="slow", yield_pings=True):
                    out.events.append(event)
        else:

            async def run() -> None:
                async with _async_client(transport, out.sleeps) as client:
                    async for event in await client.conversations.messages.send(conv, input="slow", yield_pings=True):
                        out.events.append(event)

            asyncio.run(run())
    error = caught.value
    assert "expired" in str(error) and error.run_id is not None and error.conversation_id == conv
    assert error.last_seq_id == max(e.seq_id for e in out.events if getattr(e, "seq_id", None) is not None)


def test_identical_bytes_and_otids_on_every_message(sim: Simulator, conv: str) -> None:
    messages: List[Dict[str, Any]] = [
        {"role": "user", "content": "a"},
        {"role": "user", "content": "b", "otid": "my-own-otid"},
    ]
    out, transport = send(sim, "sync", conv, [Fault("lost")], messages=messages)
    bodies = [json.loads(body) for _, path, body in transport.requests if path.endswith("/messages")]
    assert len(bodies) == 2 and bodies[0] == bodies[1]
    otids = [m["otid"] for m in bodies[0]["messages"]]
    assert otids[1] == "my-own-otid" and otids[0] and otids[0] != otids[1]
    assert bodies[0]["include_pings"] is True and bodies[0]["streaming"] is True
    assert_once(out)


def test_background_false_opts_out_and_never_resends(sim: Simulator, conv: str) -> None:
    with pytest.raises(APIConnectionError):
        send(sim, "sync", conv, [Fault("lost")], input="plain", background=False)
    assert user_messages(sim, conv) == ["plain"]


def test_the_agents_endpoint_is_unchanged(sim: Simulator) -> None:
    client = sim.client()
    client.agents.messages.send(sim.default_agent_id, input="hi")
    body = json.loads(sim.requests[-1].body)
    assert sim.requests[-1].path.startswith("/v1/agents/") and "background" not in body and "streaming" not in body


@pytest.mark.parametrize("mode", MODES)
def test_following_a_run_by_otid_resumes_after_a_cut(sim: Simulator, conv: str, mode: str) -> None:
    sim.script(sim.default_agent_id, [Think("Following along."), Reply("every word of the answer, followed")])
    messages: List[Dict[str, Any]] = [{"role": "user", "content": "follow me", "otid": "otid-follow-1"}]
    with sim.client() as client:
        original = client.conversations.messages.send(conv, messages=messages, stream_tokens=True)
        expected = [
            (e.message_type, e.seq_id) for e in original if e.message_type not in ("stop_reason", "usage_statistics")
        ]
    transport = Faulty(sim, [Fault("cut", after=500, path="/stream")])
    sleeps: List[float] = []
    if mode == "sync":
        with _sync_client(transport, sleeps) as client:
            stream = client.conversations.messages.stream(conv, otid="otid-follow-1", starting_after=1)
            events = list(stream)
    else:

        async def run() -> List[Any]:
            async with _async_client(transport, sleeps) as client:
                stream = await client.conversations.messages.stream(conv, otid="otid-follow-1", starting_after=1)
                return [e async for e in stream]

        events = asyncio.run(run())
    assert [(e.message_type, e.seq_id) for e in events if getattr(e, "seq_id", None) is not None] == [
        item for item in expected if item[1] is not None and item[1] > 1
    ]
    bodies = [json.loads(body) for _, path, body in transport.requests]
    assert bodies[0]["otid"] == "otid-follow-1" and "run_id" not in bodies[0]
    assert "otid" not in bodies[1] and bodies[1]["run_id"] and bodies[1]["starting_after"] > 1


def test_a_failed_turn_of_a_non_streaming_send_is_a_stream_error(sim: Simulator, conv: str) -> None:
    sim.script(sim.default_agent_id, [Error("llm_error", "the model is down")])
    with pytest.raises(LettaStreamError) as caught:
        sim.client().conversations.messages.send(conv, input="fail", streaming=False)
    assert caught.value.error_type == "llm_error" and caught.value.run_id is not None
    sends = [r for r in sim.requests if r.path.endswith("/messages") and r.method == "POST"]
    assert len(sends) == 1, "a failed turn is not re-sent"


def test_following_the_running_turn_without_an_id(sim: Simulator, conv: str) -> None:
    release = threading.Event()
    sim.script(sim.default_agent_id, [Hold(release, timeout=30), Reply("running")])
    client = sim.client()
    first = client.conversations.messages.send(conv, input="go", yield_pings=True)
    next(first)
    follower = client.conversations.messages.stream(conv)
    release.set()
    assert follower.get_final_response().text == "running" and follower.run_id == first.run_id
    first.until_done()
    with pytest.raises(BadRequestError):
        client.conversations.messages.stream(conv)  # nothing runs any more
