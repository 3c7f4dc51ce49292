"""Never lose the answer: every exception raised from a send or a stream carries ``partial_response``
(never ``None``: an empty ``LettaResponse`` with stop reason ``"incomplete"`` when nothing
arrived), ``run_id`` (``None`` while no run is known) and ``last_seq_id``.

Covered for agent and conversation sends, streaming and not, sync and async: a server that is
down, a status error, a timeout, a stream cut whose recovery gives up (``ResumeError``, before
and after the run id arrived), an event too large; and the README's snippet, run as written
against a server that is down.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List, Union

import httpx
import pytest

from _both import collect, resolve
from _conversation_faults import Fault, Faulty
from _stream_helpers import SSE_HEADERS, ChunkStream, frame, message, sse
from letta_client import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AsyncLetta,
    AsyncStream,
    ConflictError,
    EventTooLargeError,
    Letta,
    LettaError,
    ResumeError,
    Stream,
)
from letta_client.testing import Reply, Simulator
from letta_client.types import LettaResponse
from letta_client.types.messages import AssistantMessage

AGENT = "agent-00000000-0000-4000-8000-000000000000"
CONVERSATION = "conv-00000000-0000-4000-8000-000000000000"
BASE = "http://letta.test"
MODES = ["sync", "async"]

Handler = Callable[[httpx.Request], httpx.Response]
Client = Union[Letta, AsyncLetta]


def _client(mode: str, handler: Handler, **options: Any) -> Client:
    """A client over ``handler``, without retries, whose backoff waits take no time."""
    options = {"base_url": BASE, "api_key": "sk-test", "max_retries": 0, **options}
    if mode == "sync":
        client = Letta(http_client=httpx.Client(transport=httpx.MockTransport(handler)), **options)
        client._transport.sleep = lambda seconds: None  # pyright: ignore[reportPrivateUsage]
        return client

    async def no_sleep(seconds: float) -> None:
        return None

    async_client = AsyncLetta(http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)), **options)
    async_client._transport.sleep = no_sleep  # pyright: ignore[reportPrivateUsage]
    return async_client


# Every way to send: (name, call). A call reads the whole turn (a stream is iterated to its end).
SENDS: Dict[str, Callable[[Client], Any]] = {
    "agents.send": lambda c: c.agents.messages.send(AGENT, input="hi"),
    "agents.create": lambda c: c.agents.messages.create(AGENT, input="hi"),
    "agents.send streaming": lambda c: c.agents.messages.send(AGENT, input="hi", streaming=True),
    "agents.send background": lambda c: c.agents.messages.send(AGENT, input="hi", streaming=True, background=True),
    "agents.stream (deprecated)": lambda c: c.agents.messages.stream(AGENT, input="hi"),  # pyright: ignore[reportDeprecated]
    "conversations.send": lambda c: c.conversations.messages.send(CONVERSATION, input="hi", max_resume_attempts=1),
    "conversations.send not streaming": lambda c: c.conversations.messages.send(
        CONVERSATION, input="hi", streaming=False, max_resume_attempts=1
    ),
    "conversations.send plain": lambda c: c.conversations.messages.send(CONVERSATION, input="hi", background=False),
    "conversations.stream": lambda c: c.conversations.messages.stream(CONVERSATION, run_id="run-1", resume=False),
}


async def _failure(client: Client, call: Callable[[Client], Any]) -> BaseException:
    """What the send raises, the turn read to its end."""
    try:
        result = await resolve(call(client))
        if not isinstance(result, LettaResponse):
            await collect(result)
    except LettaError as error:
        return error
    raise AssertionError("the send did not fail")


def _assert_nothing_arrived(error: BaseException) -> None:
    assert isinstance(error, (APIError, ResumeError)), type(error)
    partial = error.partial_response
    assert isinstance(partial, LettaResponse)
    assert partial.messages == [] and partial.text == ""
    assert partial.stop_reason.stop_reason == "incomplete"
    assert partial.usage.total_tokens == 0
    assert error.run_id is None and error.last_seq_id is None


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("send", list(SENDS), ids=list(SENDS))
async def test_a_server_that_is_down_leaves_an_empty_partial_response(mode: str, send: str) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    error = await _failure(_client(mode, down), SENDS[send])
    assert isinstance(error, (APIConnectionError, ResumeError))
    _assert_nothing_arrived(error)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("send", list(SENDS), ids=list(SENDS))
async def test_a_status_error_from_a_send_leaves_an_empty_partial_response(mode: str, send: str) -> None:
    body = {"detail": {"code": "PENDING_APPROVAL", "message": "waiting for approval", "pending_request_id": "m-1"}}
    error = await _failure(_client(mode, lambda request: httpx.Response(409, json=body)), SENDS[send])
    assert isinstance(error, ConflictError)
    _assert_nothing_arrived(error)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("send", list(SENDS), ids=list(SENDS))
async def test_a_timeout_leaves_an_empty_partial_response(mode: str, send: str) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    error = await _failure(_client(mode, slow), SENDS[send])
    assert isinstance(error, (APITimeoutError, ResumeError))
    _assert_nothing_arrived(error)


def test_the_partial_response_of_an_error_is_settable_and_typed() -> None:
    error = APIConnectionError("boom")
    assert error.partial_response.stop_reason.stop_reason == "incomplete"
    kept = LettaResponse.model_validate({"messages": [], "stop_reason": {"stop_reason": "error"}, "usage": {}})
    error.partial_response = kept
    assert error.partial_response is kept


# -- what arrived before a failure stays with the error -------------------------------------------

WORDS = [message("assistant_message", i, content=word, seq_id=i + 1) for i, word in enumerate(["Hello", "there"])]


def _breaking(chunks: List[bytes]) -> Handler:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=SSE_HEADERS, stream=ChunkStream(chunks, httpx.ReadError("connection reset")))

    return handle


@pytest.mark.parametrize("mode", MODES)
async def test_a_stream_cut_before_its_run_id_arrived_says_what_was_delivered(mode: str) -> None:
    """A background stream whose events carry no run id cannot be resumed: the ResumeError says
    how many messages were delivered (not "nothing") and carries them."""
    unnamed = [{**m, "run_id": None} for m in WORDS]
    client = _client(mode, _breaking([sse(*unnamed)]))
    error = await _failure(client, SENDS["agents.send background"])
    assert isinstance(error, ResumeError) and error.run_id is None and error.last_seq_id == 2
    assert "2 message(s) had been delivered (error.partial_response holds them)" in str(error)
    assert "nothing" not in str(error)
    assert [m.text for m in error.partial_response.messages if isinstance(m, AssistantMessage)] == ["Hello", "there"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("streaming", [True, False], ids=["streaming", "not streaming"])
async def test_a_conversation_send_cut_before_its_run_id_says_what_was_delivered(mode: str, streaming: bool) -> None:
    """Exactly-once: the re-send meets the same cut; when it gives up, the ResumeError carries what
    was delivered and says so."""
    unnamed = [{**m, "run_id": None} for m in WORDS]
    client = _client(mode, _breaking([sse(*unnamed)]))
    send = SENDS["conversations.send" if streaming else "conversations.send not streaming"]
    error = await _failure(client, send)
    assert isinstance(error, ResumeError) and error.run_id is None and error.conversation_id == CONVERSATION
    assert "No run id arrived (2 message(s) had been delivered" in str(error)
    assert error.last_seq_id == 2
    assert [m.text for m in error.partial_response.messages if isinstance(m, AssistantMessage)] == ["Hello", "there"]


@pytest.fixture
def sim() -> Simulator:
    simulator = Simulator()
    simulator.script(simulator.default_agent_id, [Reply("one two"), Reply("three four")])
    return simulator


def _sim_client(mode: str, transport: Faulty) -> Client:
    if mode == "sync":
        client: Client = Letta(base_url="http://letta.simulator", http_client=httpx.Client(transport=transport))
        client._transport.sleep = lambda seconds: None  # pyright: ignore[reportPrivateUsage]
        return client

    async def no_sleep(seconds: float) -> None:
        return None

    client = AsyncLetta(base_url="http://letta.simulator", http_client=httpx.AsyncClient(transport=transport))
    client._transport.sleep = no_sleep  # pyright: ignore[reportPrivateUsage]
    return client


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("streaming", [True, False], ids=["streaming", "not streaming"])
async def test_a_conversation_send_that_gives_up_mid_stream_carries_what_arrived(
    sim: Simulator, mode: str, streaming: bool
) -> None:
    """The stream is cut inside its second message (a ping and the first message arrived) and every
    resumption fails: the ResumeError (raised from the stream, or from ``send(streaming=False)``,
    where it is the only way to hand over what arrived) carries that message, the run id and the
    last seq_id."""
    conversation = sim.create_conversation(sim.default_agent_id)
    failures = [Fault("status", status=502, path="/stream") for _ in range(3)]
    transport = Faulty(sim, [Fault("cut", after=650), *failures])
    client = _sim_client(mode, transport)
    events: List[Any] = []

    async def run() -> None:
        result = await resolve(
            client.conversations.messages.send(conversation, input="go", streaming=streaming, max_resume_attempts=2)
        )
        if isinstance(result, AsyncStream):
            async for event in result:
                events.append(event)
        elif isinstance(result, Stream):
            events.extend(iter(result))  # what arrived before the error is kept by the list

    with pytest.raises(ResumeError) as caught:
        await run()
    error = caught.value
    assert error.run_id is not None and error.run_id.startswith("run-")
    assert error.last_seq_id == 2 and error.conversation_id == conversation
    partial = error.partial_response
    assert partial.stop_reason.stop_reason == "incomplete"
    assert [m.text for m in partial.messages if isinstance(m, AssistantMessage)] == ["one two"]
    if streaming:  # what the partial response holds is what the stream delivered
        assert [e.text for e in events if isinstance(e, AssistantMessage)] == ["one two"]
    assert "run_id=" in str(error) and error.run_id in str(error)


@pytest.mark.parametrize("mode", MODES)
async def test_an_event_too_large_carries_what_arrived_before_it(mode: str) -> None:
    run = {"run_id": "run-1"}
    first = frame({**WORDS[0], **run, "seq_id": None})
    huge = frame({**WORDS[1], **run, "seq_id": None, "content": "x" * 5000})
    client = _client(mode, _breaking([first, huge]), max_event_size=2_000)
    error = await _failure(client, SENDS["agents.send streaming"])
    assert isinstance(error, EventTooLargeError)
    assert error.run_id == "run-1"
    assert [m.text for m in error.partial_response.messages if isinstance(m, AssistantMessage)] == ["Hello"]


# -- the README's snippet, as written, against a server that is down --------------------------------

README_SNIPPET = """
from letta_client import APIConnectionError, Letta

with Letta() as client:
    try:
        for event in client.agents.messages.send(agent_id, input="hi", streaming=True):
            ...
    except APIConnectionError as error:
        print("so far:", error.partial_response.text)
        if error.run_id is not None:  # no run exists when the server never answered
            answer = client.runs.wait(error.run_id, response=True)
"""


def test_the_readme_snippet_runs_when_the_server_is_down(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as probe:  # a port on 127.0.0.1 that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    monkeypatch.setenv("LETTA_BASE_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("LETTA_API_KEY", "My API Key")
    namespace: Dict[str, Any] = {"agent_id": AGENT}
    exec(compile(README_SNIPPET, "README.md", "exec"), namespace)
    assert capsys.readouterr().out == "so far: \n"


def test_a_status_error_carries_its_own_partial_fields_apart_from_the_stream() -> None:
    """``attach`` fills only what an exception does not have: a run id the server named stays."""
    from letta_client._exceptions import StreamContext

    error = APIStatusError(
        "x", response=httpx.Response(409, request=httpx.Request("POST", BASE)), body={"run_id": "run-theirs"}
    )
    error.run_id = "run-theirs"
    kept = LettaResponse.model_validate({"messages": [], "stop_reason": {"stop_reason": "error"}, "usage": {}})
    context = StreamContext(None, run_id="run-mine", last_seq_id=3, stop_reason=None, partial_response=kept)
    error.attach(context)
    assert error.run_id == "run-theirs" and error.last_seq_id == 3 and error.partial_response is kept
    assert json.dumps(error.partial_response.model_dump(mode="json"))  # a plain model
