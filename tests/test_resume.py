"""Background streams resume by themselves after a broken connection, delivering every event once.

The fault-injection tests run a real loopback HTTP server (``ReplayServer``: stdlib sockets on
127.0.0.1, one thread per connection) that serves background runs and ``POST /v1/runs/{id}/stream``
replays, and cuts connections at random byte offsets in several ways (clean EOF, a chunked body
that stops short, a TCP reset, no response at all). ``benchmarks/soak_resume.py`` reuses it for
a longer soak.
"""

from __future__ import annotations

import json
import random
import re
import socket
import socketserver
import struct
import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Deque, Dict, Iterator, List, Optional, Tuple

import httpx
import pytest
import respx

from _stream_helpers import ChunkStream
from letta_client import (
    APIConnectionError,
    AsyncLetta,
    IncompleteStreamError,
    Letta,
    LettaStreamError,
    ResumeError,
)
from letta_client.types import AssistantMessage, LettaPing, LettaStopReason

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> Dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.http.json").read_text(encoding="utf-8"))


def fixture_response(name: str) -> httpx.Response:
    """The recorded response (status, content type, exact body) for respx."""
    record = fixture(name)
    headers = [(k, v) for k, v in record["headers"] if k.lower() == "content-type"]
    return httpx.Response(record["status"], headers=headers, content=record["body_text"].encode("utf-8"))


AGENT = "agent-5ba4b586-d7d6-4b37-a667-324e6e61b07a"
FIXTURE_RUN = "run-5b39b0e7-abfb-4ecb-a214-f39d285d985a"
CUT_MODES = ("eof", "chunked", "reset")

# --------------------------------------------------------------------------------------------
# The loopback replay server


def _compact(payload: Dict[str, Any]) -> str:
    return json.dumps(payload, separators=(",", ":"))


def _base(kind: str, run_id: str, seq_id: Optional[int], index: int) -> Dict[str, Any]:
    return {
        "id": f"ping-{run_id[4:12]}-{index}" if kind == "ping" else f"message-{run_id[4:12]}-{index}",
        "date": "2026-11-22T03:37:30+00:00",
        "name": None,
        "message_type": kind,
        "otid": None,
        "sender_id": None,
        "step_id": None,
        "is_err": None,
        "seq_id": seq_id,
        "run_id": run_id,
    }


@dataclass
class Frame:
    seq_id: int  # the number the frame used up (stop_reason/usage/[DONE] show none)
    kind: str
    text: bytes


@dataclass
class ScriptedRun:
    run_id: str
    frames: List[Frame]
    lead_ping: Optional[bytes]  # an unstored ping without seq_id, sent first on the original stream

    @property
    def numbered(self) -> List[Tuple[str, int]]:
        """(kind, seq_id) of every frame that shows its seq_id, in order."""
        return [(f.kind, f.seq_id) for f in self.frames if f.kind in ("ping", "assistant_message")]


def scripted_run(rng: random.Random, run_id: str, events: int) -> ScriptedRun:
    """A background run: ping 1, then messages with pings mixed in, then stop_reason, usage and
    [DONE] (which use up seq_ids without showing them)."""
    frames: List[Frame] = []
    seq = 0

    def add(kind: str, payload: str) -> None:
        frames.append(Frame(seq, kind, f"data: {payload}\n\n".encode()))

    seq += 1
    add("ping", _compact(_base("ping", run_id, seq, seq)))
    for _ in range(events):
        seq += 1
        if rng.random() < 0.2:
            add("ping", _compact(_base("ping", run_id, seq, seq)))
        else:
            add("assistant_message", _compact({**_base("assistant_message", run_id, seq, seq), "content": f"w{seq} "}))
    seq += 1
    add("stop_reason", _compact({"message_type": "stop_reason", "stop_reason": "end_turn"}))
    seq += 1
    add(
        "usage_statistics",
        _compact({"message_type": "usage_statistics", "completion_tokens": seq, "total_tokens": seq}),
    )
    seq += 1
    add("done", "[DONE]")
    lead = None
    if rng.random() < 0.3:
        lead = f"data: {_compact(_base('ping', run_id, None, 0))}\n\n".encode()
    return ScriptedRun(run_id, frames, lead)


@dataclass
class Cut:
    offset: int  # bytes of the body sent before the cut
    mode: str  # "eof" | "chunked" | "reset" | "refuse"


Planner = Callable[[ScriptedRun, bool, bytes, List[Tuple[int, str]]], Optional[Cut]]
"""(run, is_resume, body, [(end offset, kind) per frame]) -> where to cut this connection, if at all."""


@dataclass
class ReplayServer:
    planner: Optional[Planner] = None
    prepared: Deque[ScriptedRun] = field(default_factory=deque)
    runs: Dict[str, ScriptedRun] = field(default_factory=dict)
    resume_bodies: List[Dict[str, Any]] = field(default_factory=list)
    cuts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        owner = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                owner.handle(self.request)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add_run(self, run: ScriptedRun) -> None:
        with self.lock:
            self.runs[run.run_id] = run
            self.prepared.append(run)

    # -- request handling (one thread per connection; one request per connection) --

    def handle(self, sock: socket.socket) -> None:
        reader = sock.makefile("rb")
        try:
            request_line = reader.readline().decode("latin-1")
            if not request_line:
                return
            method, path, _ = request_line.split(" ", 2)
            length = 0
            while True:
                line = reader.readline()
                if line in (b"\r\n", b"\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            body = json.loads(reader.read(length) or b"null")
            self.respond(sock, method, path, body)
        finally:
            reader.close()
            sock.close()

    def respond(self, sock: socket.socket, method: str, path: str, body: Any) -> None:
        parts = path.split("/")
        if method == "POST" and path.startswith("/v1/agents/") and path.endswith("/messages"):
            with self.lock:
                run = self.prepared.popleft()
            frames = run.frames
            lead = run.lead_ping
            is_resume = False
        elif method == "POST" and len(parts) == 5 and parts[2] == "runs" and parts[4] == "stream":
            run = self.runs[parts[3]]
            with self.lock:
                self.resume_bodies.append(body)
            frames = [f for f in run.frames if f.seq_id > body["starting_after"]]
            lead = None
            is_resume = True
        else:
            sock.sendall(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            return
        texts = ([lead] if lead else []) + [f.text for f in frames]
        kinds = (["lead"] if lead else []) + [f.kind for f in frames]
        ends: List[Tuple[int, str]] = []
        total = 0
        for text, kind in zip(texts, kinds):
            total += len(text)
            ends.append((total, kind))
        payload = b"".join(texts)
        cut = self.planner(run, is_resume, payload, ends) if self.planner else None
        if cut is not None:
            with self.lock:
                self.cuts += 1
        self.write(sock, texts, cut)

    def write(self, sock: socket.socket, texts: List[bytes], cut: Optional[Cut]) -> None:
        if cut is not None and cut.mode == "refuse":
            return  # close without any response
        chunked = cut is None or cut.mode != "eof"
        head = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\nconnection: close\r\n"
        head += b"transfer-encoding: chunked\r\n\r\n" if chunked else b"\r\n"
        sock.sendall(head)
        budget = cut.offset if cut is not None else None
        for text in texts:
            if budget is not None:
                text = text[:budget]
                budget -= len(text)
            if text:
                sock.sendall(b"%x\r\n%s\r\n" % (len(text), text) if chunked else text)
            if budget == 0:
                break
        if cut is None:
            sock.sendall(b"0\r\n\r\n")
        elif cut.mode == "reset":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def random_planner(rng: random.Random, max_cuts_per_run: int) -> Planner:
    """Cuts up to ``max_cuts_per_run`` connections of each run, at a random byte, at a frame
    boundary, right after a ping, or before the first byte; never on the original stream before
    the run id arrived (nothing could resume that)."""
    spent: Dict[str, int] = {}

    def plan(run: ScriptedRun, is_resume: bool, body: bytes, ends: List[Tuple[int, str]]) -> Optional[Cut]:
        if spent.get(run.run_id, 0) >= max_cuts_per_run or rng.random() < 0.25:
            return None
        floor = 0 if is_resume else ends[0][0]
        choices = [end for end, _ in ends if end >= floor]
        after_ping = [end for end, kind in ends if kind in ("ping", "lead") and end >= floor]
        style = rng.random()
        if is_resume and style < 0.1:
            offset, mode = 0, "refuse"
        elif is_resume and style < 0.2:
            offset, mode = rng.randrange(0, ends[0][0] + 1), rng.choice(CUT_MODES)  # before/inside the first frame
        elif after_ping and style < 0.45:
            offset, mode = rng.choice(after_ping), rng.choice(CUT_MODES)
        elif style < 0.7:
            offset, mode = rng.choice(choices), rng.choice(CUT_MODES)
        else:
            offset, mode = rng.randrange(floor, len(body) + 1), rng.choice(CUT_MODES)
        if offset >= len(body) and mode != "refuse":
            return None  # the whole body went out: not a cut
        spent[run.run_id] = spent.get(run.run_id, 0) + 1
        return Cut(offset, mode)

    return plan


@dataclass
class SoakResult:
    runs: int = 0
    events: int = 0
    duplicates: int = 0
    missing: int = 0
    reconnects: int = 0


def check_delivery(run: ScriptedRun, events: List[Any], result: SoakResult) -> None:
    """Every numbered event exactly once and in order, the lead ping once, one stop_reason."""
    delivered = [(e.message_type, e.seq_id) for e in events if getattr(e, "seq_id", None) is not None]
    expected = run.numbered
    result.events += len(events)
    result.duplicates += len(delivered) - len(set(delivered))
    result.missing += len(set(expected) - set(delivered))
    assert delivered == expected, f"run {run.run_id}: delivered {delivered} != expected {expected}"
    for event in events:
        if isinstance(event, AssistantMessage):
            assert event.content == f"w{event.seq_id} "
    leads = [e for e in events if isinstance(e, LettaPing) and e.seq_id is None]
    assert len(leads) == (1 if run.lead_ping else 0)
    assert [e.stop_reason for e in events if isinstance(e, LettaStopReason)] == ["end_turn"]
    assert sum(1 for e in events if e.message_type == "usage_statistics") <= 1


def soak_sync(server: ReplayServer, rng: random.Random, *, min_cuts: int, max_cuts_per_run: int = 4) -> SoakResult:
    """Background sends against ``server`` until it made at least ``min_cuts`` cuts."""
    server.planner = random_planner(rng, max_cuts_per_run)
    result = SoakResult()
    start_cuts = server.cuts
    with Letta(base_url=server.url, max_retries=2, timeout=10.0) as client:
        client._transport.sleep = lambda seconds: None
        while server.cuts - start_cuts < min_cuts:
            run = scripted_run(rng, f"run-{rng.getrandbits(64):016x}", rng.randrange(1, 30))
            server.add_run(run)
            stream = client.agents.messages.send(AGENT, input="go", streaming=True, background=True, yield_pings=True)
            events = list(stream)
            assert stream.finished and stream.run_id == run.run_id
            check_delivery(run, events, result)
            result.runs += 1
            result.reconnects += stream.reconnects
    return result


async def soak_async(server: ReplayServer, rng: random.Random, *, min_cuts: int) -> SoakResult:
    server.planner = random_planner(rng, 4)
    result = SoakResult()
    start_cuts = server.cuts

    async def no_sleep(seconds: float) -> None:
        return None

    async with AsyncLetta(base_url=server.url, max_retries=2, timeout=10.0) as client:
        client._transport.sleep = no_sleep
        while server.cuts - start_cuts < min_cuts:
            run = scripted_run(rng, f"run-{rng.getrandbits(64):016x}", rng.randrange(1, 30))
            server.add_run(run)
            stream = await client.agents.messages.send(
                AGENT, input="go", streaming=True, background=True, yield_pings=True
            )
            events = [event async for event in stream]
            assert stream.finished
            check_delivery(run, events, result)
            result.runs += 1
            result.reconnects += stream.reconnects
    return result


@pytest.fixture(scope="module")
def replay_server() -> Iterator[ReplayServer]:
    server = ReplayServer()
    yield server
    server.close()


# --------------------------------------------------------------------------------------------
# Every test below runs twice, with Letta and with AsyncLetta (``api``).


class Api:
    """One client, sync or async, behind awaitable calls, so that one test drives both."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.is_async = isinstance(client, AsyncLetta)

    async def call(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        return await result if self.is_async else result

    async def send(self, *args: Any, **kwargs: Any) -> Any:
        return await self.call(self.client.agents.messages.send, *args, **kwargs)

    async def runs_stream(self, *args: Any, **kwargs: Any) -> Any:
        return await self.call(self.client.runs.stream, *args, **kwargs)

    async def events(self, iterable: Any) -> List[Any]:
        """Everything the iterable yields (a stream, ``text_stream``…)."""
        if self.is_async:
            return [event async for event in iterable]
        return list(iterable)

    async def until_error(self, iterable: Any) -> Tuple[List[Any], BaseException]:
        """What the iterable yields before it raises, and what it raises."""
        seen: List[Any] = []
        try:
            if self.is_async:
                async for event in iterable:
                    seen.append(event)
            else:
                for event in iterable:
                    seen.append(event)
        except Exception as error:
            return seen, error
        raise AssertionError(f"no exception after {len(seen)} events")

    async def close(self) -> None:
        await self.call(self.client.close)


def no_sleep_client(mode: str, **kwargs: Any) -> Api:
    """A client of ``mode`` whose backoff does not sleep."""
    if mode == "sync":
        client: Any = Letta(**kwargs)
        client._transport.sleep = lambda seconds: None
    else:

        async def no_sleep(seconds: float) -> None:
            return None

        client = AsyncLetta(**kwargs)
        client._transport.sleep = no_sleep
    return Api(client)


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def api(mode: str, make_client: Callable[..., Letta], make_async_client: Callable[..., AsyncLetta]) -> Api:
    """A client on the mocked API (``mock_api``) whose sleeps are recorded in ``sleeps``."""
    return Api(make_client(api_key="k") if mode == "sync" else make_async_client(api_key="k"))


# --------------------------------------------------------------------------------------------
# Fault injection over real sockets


@pytest.mark.real_sockets
async def test_random_cuts_deliver_every_event_exactly_once(replay_server: ReplayServer, mode: str) -> None:
    cuts = 220 if mode == "sync" else 100  # the async client is slower against this threaded server
    if mode == "sync":
        result = soak_sync(replay_server, random.Random(20261122), min_cuts=cuts)
    else:
        result = await soak_async(replay_server, random.Random(20261122), min_cuts=cuts)
    assert result.duplicates == 0 and result.missing == 0
    # most cuts needed a resume (a refused resume is retried by the transport)
    assert result.reconnects >= cuts * 2 // 3
    bodies = replay_server.resume_bodies
    assert bodies and all(set(b) == {"starting_after", "include_pings"} and b["include_pings"] is True for b in bodies)
    assert any(b["starting_after"] == 0 for b in bodies)  # cut after the seq-less lead ping


@pytest.mark.real_sockets
async def test_cut_before_the_run_id_is_a_resume_error(replay_server: ReplayServer, mode: str) -> None:
    run = scripted_run(random.Random(1), f"run-before-id-{mode}", 3)
    replay_server.planner = lambda run, is_resume, body, ends: Cut(ends[0][0] - 5, "eof")
    replay_server.add_run(run)
    api = no_sleep_client(mode, base_url=replay_server.url, timeout=10.0)
    stream = await api.send(AGENT, input="go", streaming=True, background=True)
    _, error = await api.until_error(stream)
    await api.close()
    assert isinstance(error, ResumeError) and error.run_id is None
    assert "before its run id arrived" in str(error)


@pytest.mark.real_sockets
async def test_read_timeout_resumes(replay_server: ReplayServer, mode: str) -> None:
    """A stalled connection (the server sends half a stream and then nothing) times out and resumes."""
    run = scripted_run(random.Random(2), f"run-stall-{mode}", 4)
    stalled = threading.Event()

    def plan(r: ScriptedRun, is_resume: bool, body: bytes, ends: List[Tuple[int, str]]) -> Optional[Cut]:
        return None if is_resume else Cut(ends[1][0], "stall")

    original_write = replay_server.write

    def write(sock: socket.socket, texts: List[bytes], cut: Optional[Cut]) -> None:
        if cut is not None and cut.mode == "stall":
            sock.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n")
            sock.sendall(b"".join(texts)[: cut.offset])
            stalled.set()
            sock.recv(1)  # blocks until the client gives up and closes
            return
        original_write(sock, texts, cut)

    replay_server.planner = plan
    replay_server.write = write  # type: ignore[method-assign]
    errors: List[BaseException] = []
    api = no_sleep_client(mode, base_url=replay_server.url, timeout=httpx.Timeout(5.0, read=0.2))
    try:
        replay_server.add_run(run)
        stream = await api.send(
            AGENT,
            input="go",
            streaming=True,
            background=True,
            yield_pings=True,
            on_reconnect=lambda attempt, run_id, seq, error: errors.append(error),
        )
        events = await api.events(stream)
    finally:
        replay_server.write = original_write  # type: ignore[method-assign]
        await api.close()
    assert stalled.is_set()
    check_delivery(run, events, SoakResult())
    assert stream.reconnects == 1 and type(errors[0]).__name__ == "APITimeoutError"


# --------------------------------------------------------------------------------------------
# Recorded fixtures and mocked failures


def sse_response(chunks: List[bytes], error: Optional[Exception] = None) -> httpx.Response:
    """A 200 event stream that yields ``chunks`` and then fails with ``error`` (a dropped connection)."""
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=ChunkStream(chunks, error))


def partial_body() -> bytes:
    return fixture_response("f_background_stream_partial").content


SEND = f"/v1/agents/{AGENT}/messages"
RESUME = f"/v1/runs/{FIXTURE_RUN}/stream"


async def test_recorded_partial_stream_resumes_from_seq_6(api: Api, mock_api: respx.MockRouter) -> None:
    mock_api.post(SEND).mock(return_value=sse_response([partial_body()], httpx.ReadError("connection reset")))
    resume = mock_api.post(RESUME).mock(return_value=fixture_response("f_resume_stream"))
    calls: List[Tuple[int, str, Optional[int], str]] = []
    stream = await api.send(
        AGENT,
        input="LONG background (f)",
        streaming=True,
        stream_tokens=True,
        background=True,
        on_reconnect=lambda attempt, run_id, seq, error: calls.append((attempt, run_id, seq, type(error).__name__)),
    )
    text = "".join(await api.events(stream.text_stream))
    assert text == "".join(f"w{i:03d} " for i in range(1, 201))
    assert json.loads(resume.calls.last.request.content) == {"starting_after": 6, "include_pings": True}
    assert resume.calls.last.request.headers["accept"] == "text/event-stream"
    assert calls == [(1, FIXTURE_RUN, 6, "APIConnectionError")]
    assert stream.reconnects == 1 and stream.last_seq_id == 201 and stream.stop_reason is not None


async def test_replayed_events_are_dropped(api: Api, mock_api: respx.MockRouter) -> None:
    """A server that replays from the start anyway: the seq_ids already delivered are skipped."""
    mock_api.post(SEND).mock(return_value=sse_response([partial_body()]))
    mock_api.post(RESUME).mock(return_value=fixture_response("f_resume_stream_from_start"))
    stream = await api.send(AGENT, input="x", streaming=True, background=True, yield_pings=True)
    seqs = [getattr(event, "seq_id", None) for event in await api.events(stream)]
    assert seqs == [*range(1, 202), None, None]  # ... stop_reason, usage


async def test_resume_disabled_raises_connection_error_naming_the_run(api: Api, mock_api: respx.MockRouter) -> None:
    mock_api.post(SEND).mock(return_value=sse_response([partial_body()], httpx.RemoteProtocolError("peer closed")))
    resume = mock_api.post(RESUME)
    stream = await api.send(AGENT, input="x", streaming=True, background=True, resume=False)
    _, error = await api.until_error(stream)
    assert isinstance(error, APIConnectionError) and not isinstance(error, ResumeError)
    assert error.run_id == FIXTURE_RUN and error.last_seq_id == 6
    assert FIXTURE_RUN in str(error) and "last_seq_id=6" in str(error)
    assert not resume.called


async def test_foreground_stream_is_not_resumed(api: Api, mock_api: respx.MockRouter) -> None:
    mock_api.post(SEND).mock(return_value=sse_response([partial_body()]))
    resume = mock_api.post(RESUME)
    _, error = await api.until_error(await api.send(AGENT, input="x", streaming=True))
    assert isinstance(error, IncompleteStreamError)
    assert error.last_seq_id == 6 and not resume.called


@pytest.mark.parametrize(
    ("status", "body", "words"),
    [
        (410, {"detail": "EXPIRED: Run was created more than 3 hours ago, and is now expired."}, "expired"),
        (400, fixture("f_resume_foreground_run")["body_json"], "not created in background mode"),
        (404, {"detail": "Run not found"}, "unknown"),
    ],
)
async def test_unresumable_runs_raise_resume_error(
    api: Api, mock_api: respx.MockRouter, status: int, body: Dict[str, Any], words: str
) -> None:
    mock_api.post(SEND).mock(return_value=sse_response([partial_body()], httpx.ReadTimeout("slow")))
    resume = mock_api.post(RESUME).mock(return_value=httpx.Response(status, json=body))
    stream = await api.send(AGENT, input="x", streaming=True, background=True, yield_pings=False)
    seen, error = await api.until_error(stream)
    assert isinstance(error, ResumeError)
    message = str(error)
    assert len(seen) == 5  # every event before the break was delivered (the ping is not yielded)
    assert error.run_id == FIXTURE_RUN and error.last_seq_id == 6
    assert words in message and "last_seq_id=6" in message
    assert f"client.runs.retrieve({FIXTURE_RUN!r})" in message and "client.runs.messages.list" in message
    assert resume.call_count == 1  # not retried: the answer will not change


async def test_gives_up_after_max_resume_attempts(api: Api, mock_api: respx.MockRouter, sleeps: List[float]) -> None:
    mock_api.post(SEND).mock(return_value=sse_response([partial_body()]))
    resume = mock_api.post(RESUME).mock(side_effect=lambda request: sse_response([]))
    stream = await api.send(AGENT, input="x", streaming=True, background=True, max_resume_attempts=3)
    _, error = await api.until_error(stream)
    assert isinstance(error, ResumeError)
    assert resume.call_count == 3 and stream.reconnects == 3
    assert "after 3 attempt(s)" in str(error) and isinstance(error.__cause__, IncompleteStreamError)
    assert len(sleeps) == 2 and all(s > 0 for s in sleeps)  # backoff between attempts, none before the first


async def test_attempts_restart_after_progress(api: Api, mock_api: respx.MockRouter) -> None:
    """Each resume that brings new events resets the count: many cuts in one run are fine."""
    frames = partial_body().split(b"\n\n")[:-1]
    rest = fixture_response("f_resume_stream").content.split(b"\n\n")[:-1]
    mock_api.post(SEND).mock(return_value=sse_response([frames[0] + b"\n\n"]))
    replies = [sse_response([f + b"\n\n"]) for f in frames[1:] + rest]  # one event per connection
    resume = mock_api.post(RESUME).mock(side_effect=replies)
    stream = await api.send(AGENT, input="x", streaming=True, background=True, max_resume_attempts=1, yield_pings=False)
    events = await api.events(stream)
    assert len(events) == 201 and events[-1].message_type == "stop_reason"  # 200 words + stop_reason
    assert resume.call_count == len(replies) - 2  # the stop_reason ended it: no resume for usage / [DONE]


@pytest.mark.parametrize(
    "ending",
    [
        [b'data: {"message_type":"stop_reason","stop_reason":"end_turn"}\n\n'],
        [b'data: {"message_type":"stop_reason","stop_reason":"end_turn"}\n\n', b"data: [DONE]\n\n"],
    ],
)
async def test_no_resume_after_the_run_ended(api: Api, mock_api: respx.MockRouter, ending: List[bytes]) -> None:
    """Seen a stop_reason or [DONE]: the break after it is the end, not a reason to resume (§6.4)."""
    mock_api.post(SEND).mock(return_value=sse_response([partial_body(), *ending], httpx.ReadError("reset")))
    resume = mock_api.post(RESUME)
    stream = await api.send(AGENT, input="x", streaming=True, background=True)
    events = await api.events(stream)
    assert events[-1].message_type == "stop_reason" and stream.finished
    assert not resume.called and stream.reconnects == 0


async def test_error_frame_is_terminal(api: Api, mock_api: respx.MockRouter) -> None:
    error = (
        b'event: error\ndata: {"message_type":"error_message","run_id":"'
        + FIXTURE_RUN.encode()
        + b'","error_type":"internal_error","message":"boom","detail":null,"seq_id":7}\n\n'
    )
    mock_api.post(SEND).mock(return_value=sse_response([partial_body(), error]))
    resume = mock_api.post(RESUME)
    _, raised = await api.until_error(await api.send(AGENT, input="x", streaming=True, background=True))
    assert isinstance(raised, LettaStreamError)
    assert not resume.called


async def test_connection_error_on_resume_is_retried(api: Api, mock_api: respx.MockRouter) -> None:
    mock_api.post(SEND).mock(return_value=sse_response([partial_body()]))
    resume = mock_api.post(RESUME).mock(
        side_effect=[httpx.ConnectError("refused")] * 3 + [fixture_response("f_resume_stream")]
    )
    stream = await api.send(AGENT, input="x", streaming=True, background=True, yield_pings=False)
    assert len(await api.events(stream)) == 202
    assert resume.call_count == 4  # the transport retried twice, then the resumer tried again


async def test_resume_needs_background(api: Api) -> None:
    with pytest.raises(ValueError, match="background=True"):
        await api.send(AGENT, input="x", streaming=True, resume=True)


async def test_resume_then_resume_error(api: Api, mock_api: respx.MockRouter) -> None:
    mock_api.post(SEND).mock(side_effect=lambda request: sse_response([partial_body()]))
    resume = mock_api.post(RESUME).mock(
        side_effect=[fixture_response("f_resume_stream"), httpx.Response(410, json={"detail": "EXPIRED: old"})]
    )
    stream = await api.send(AGENT, input="x", streaming=True, background=True)
    words = await api.events(stream.text_stream)
    assert len(words) == 200 and stream.reconnects == 1
    assert json.loads(resume.calls.last.request.content)["starting_after"] == 6

    stream = await api.send(AGENT, input="x", streaming=True, background=True)
    _, error = await api.until_error(stream)
    assert isinstance(error, ResumeError) and "expired" in str(error)


# --------------------------------------------------------------------------------------------
# client.runs.stream


def replay(body: bytes, starting_after: int) -> bytes:
    """What the server replays of a recorded background stream after ``starting_after``."""
    frames = [f + b"\n\n" for f in body.split(b"\n\n") if f]
    seqs = [re.search(rb'"seq_id":(\d+)', f) for f in frames]
    first = next(i for i, m in enumerate(seqs) if m is not None and int(m.group(1)) > starting_after)
    return b"".join(frames[first:])


async def test_runs_stream_posts_a_json_object_and_resumes(api: Api, mock_api: respx.MockRouter) -> None:
    body = fixture_response("f_resume_stream_from_start").content
    head = body[:3000]  # ends inside a frame

    def serve(request: httpx.Request) -> httpx.Response:
        after = json.loads(request.content)["starting_after"]
        if after == 0:
            return sse_response([head], httpx.ReadError("reset"))
        return sse_response([replay(body, after)])

    route = mock_api.post(RESUME).mock(side_effect=serve)
    stream = await api.runs_stream(FIXTURE_RUN, include_pings=False, batch_size=50, yield_pings=False)
    events = await api.events(stream)
    first, second = (json.loads(call.request.content) for call in route.calls)
    complete = head.rsplit(b"\n\n", 1)[0]
    last_seen = max(int(n) for n in re.findall(rb'"seq_id":(\d+)', complete))
    assert first == {"starting_after": 0, "include_pings": False, "batch_size": 50}
    assert second == {"starting_after": last_seen, "include_pings": False, "batch_size": 50}
    assert stream.reconnects == 1 and all(call.request.method == "POST" for call in route.calls)
    assert [e.seq_id for e in events if getattr(e, "seq_id", None) is not None] == list(range(2, 202))


async def test_runs_stream_validates_starting_after(api: Api) -> None:
    with pytest.raises(ValueError):
        await api.runs_stream(FIXTURE_RUN, starting_after=-1)
