"""``DefaultAioHttpClient`` (the ``aiohttp`` extra) and the default httpx clients.

The failures here happen on real loopback sockets, and every test runs over httpx's default
transport and over aiohttp, with its C HTTP parser and with its pure-Python one (PyPy's): each
must end in the same SDK exception, with the same retry decision, since the retry policy reads
the httpx error class (``letta_client._retry``). Where the parsers disagree on whether bytes are
malformed at all, the test says which takes them (``tests/_malformed_chunks.py``). The rest
of the async suite that goes over real sockets (marked ``real_sockets``: the loopback stream,
fault, resume, hygiene and secrets tests, and the async live tests) runs a second time over
``DefaultAioHttpClient`` in ``scripts/test`` (``LETTA_TEST_ASYNC_HTTP=aiohttp``, see
``tests/_async_http.py``). Tests that mock httpx (respx, ``httpx.MockTransport``) do not reach a
transport and say nothing about this one.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import sys
import threading
import traceback
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, List, Optional

import aiohttp
import aiohttp.client_proto
import aiohttp.http_exceptions
import httpx
import pytest
from aiohttp.http_parser import HttpResponseParserPy

from _async_http import ASYNC_HTTP
from _faults import Fault, FaultProxy, LoopbackServer, Reply, Request, sse_frame
from _malformed_chunks import CASES, ENDINGS, StagedServer, parser
from _stream_helpers import AGENT_ID, RUN_ID, message, stop
from letta_client import (
    APIConnectionError,
    APITimeoutError,
    AsyncLetta,
    DefaultAioHttpClient,
    DefaultAsyncHttpxClient,
    DefaultHttpxClient,
    Letta,
    StreamInterruptedError,
)
from letta_client._aiohttp import AiohttpTransport, _Guard, httpx_error_class
from letta_client._retry import should_retry_error
from letta_client._transport import DEFAULT_TIMEOUT

SECRET = "sk-let-AIOHTTP-0123456789abcdef"
MESSAGES: Any = [{"role": "user", "content": "hi"}]
TRANSPORTS = ["httpx", "aiohttp", "aiohttp-python"]


@pytest.fixture(params=TRANSPORTS)
def transport(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The transport under test: ``"httpx"``, ``"aiohttp"``, or ``"aiohttp-python"``: aiohttp with
    its pure-Python HTTP parser (the one it uses on PyPy) instead of its C parser."""
    if request.param == "aiohttp-python":
        monkeypatch.setattr(aiohttp.client_proto, "HttpResponseParser", HttpResponseParserPy)
    return str(request.param)


@pytest.fixture
async def make_client(transport: str) -> AsyncIterator[Callable[..., AsyncLetta]]:
    """``make_client(base_url, event_hooks=None, **options)``: an ``AsyncLetta`` over the
    transport under test (its httpx client gets ``event_hooks``), whose backoff records its
    waits in ``client.waits`` instead of sleeping."""
    made: List[AsyncLetta] = []
    https: List[httpx.AsyncClient] = []

    def make(base_url: str, event_hooks: Optional[Dict[str, List[Any]]] = None, **options: Any) -> AsyncLetta:
        hooks: Dict[str, Any] = {"event_hooks": event_hooks} if event_hooks else {}
        http = (DefaultAsyncHttpxClient if transport == "httpx" else DefaultAioHttpClient)(**hooks)
        client = AsyncLetta(base_url=base_url, api_key=SECRET, http_client=http, **options)
        waits: List[float] = []

        async def wait(seconds: float) -> None:
            waits.append(seconds)

        client._transport.sleep = wait
        client.waits = waits  # type: ignore[attr-defined]
        made.append(client)
        https.append(http)
        return client

    yield make
    for client in made:
        await client.close()
    for http in https:
        await http.aclose()


# -- the clients --------------------------------------------------------------------------------


def test_the_clients_letta_makes_are_the_default_clients() -> None:
    sync, asynchronous = Letta(base_url="http://x.test"), AsyncLetta(base_url="http://x.test")
    assert type(sync._http_client) is DefaultHttpxClient and type(asynchronous._http_client) is DefaultAsyncHttpxClient
    assert sync._http_client.timeout == asynchronous._http_client.timeout == DEFAULT_TIMEOUT
    sync.close()


async def test_default_aiohttp_client_is_an_httpx_client_over_aiohttp() -> None:
    http = DefaultAioHttpClient()
    assert isinstance(http, httpx.AsyncClient) and http.timeout == DEFAULT_TIMEOUT
    assert isinstance(http._transport, AiohttpTransport)
    proxied = DefaultAioHttpClient(proxy="http://proxy.test:3128")
    assert all(isinstance(mount, AiohttpTransport) for mount in proxied._mounts.values() if mount is not None)
    mine = httpx.MockTransport(lambda request: httpx.Response(204))
    assert DefaultAioHttpClient(transport=mine)._transport is mine
    for client in (http, proxied):
        await client.aclose()


def test_without_the_extra_creating_one_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "httpx_aiohttp", None)  # ``import httpx_aiohttp`` fails
    monkeypatch.delitem(sys.modules, "letta_client._aiohttp")
    with pytest.raises(RuntimeError, match=r"pip install 'letta-client-typed\[aiohttp\]'"):
        DefaultAioHttpClient()


@pytest.mark.real_sockets
def test_real_socket_tests_use_the_transport_under_test() -> None:
    """The switch of ``tests/_async_http.py`` really reaches an ``AsyncLetta`` made in a test."""
    client = AsyncLetta(base_url="http://127.0.0.1:1")
    expected = DefaultAioHttpClient if ASYNC_HTTP == "aiohttp" else DefaultAsyncHttpxClient
    assert type(client._http_client) is expected


# -- which exception, and whether a send is tried again -----------------------------------------


def _aiohttp_errors() -> List[type]:
    """aiohttp's client errors, and its HTTP parser's (its pure-Python parser fails a body with
    those)."""
    return [
        value
        for module in (aiohttp.client_exceptions, aiohttp.http_exceptions)
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, (aiohttp.ClientError, aiohttp.http_exceptions.HttpProcessingError))
    ]


@pytest.mark.parametrize("cls", _aiohttp_errors(), ids=lambda cls: cls.__name__)
def test_a_send_is_retried_only_after_an_aiohttp_error_that_proves_nothing_was_sent(cls: type) -> None:
    """Every aiohttp error becomes an httpx transport error, and only a failed connection attempt
    (refused, unresolvable, a failed TLS handshake, a connect timeout) lets a send be retried."""
    target = httpx_error_class(cls)
    nothing_sent = issubclass(cls, (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError))
    assert issubclass(target, httpx.TransportError)
    assert should_retry_error(target("x"), idempotent=False) == nothing_sent
    assert issubclass(target, httpx.TimeoutException) == issubclass(cls, aiohttp.ServerTimeoutError)


async def test_a_refused_connection_is_a_connection_error_and_a_send_is_retried(
    make_client: Callable[..., AsyncLetta],
) -> None:
    closed = LoopbackServer(lambda request: Reply())
    closed.close()  # connections to its port are refused
    client = make_client(closed.base_url, max_retries=2)
    with pytest.raises(APIConnectionError) as caught:
        await client.agents.messages.send(AGENT_ID, messages=MESSAGES)
    assert not isinstance(caught.value, APITimeoutError)
    assert len(client.waits) == 2  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("raw", "timeout"),
    [
        (b"", 5.0),  # the server reads the request and hangs up
        (b"HTTP/1.1 abc\r\n\r\n", 5.0),  # not an HTTP answer
        (b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{", 5.0),  # the body ends early
        (None, 0.2),  # no answer within the read timeout
    ],
    ids=["hang-up", "malformed", "short-body", "read-timeout"],
)
async def test_a_send_that_reached_the_server_is_never_sent_twice(
    make_client: Callable[..., AsyncLetta], raw: Optional[bytes], timeout: float
) -> None:
    answer = Reply(raw=raw) if raw is not None else Reply(stall=threading.Event())
    with LoopbackServer(lambda request: answer) as server:
        client = make_client(server.base_url, max_retries=2, timeout=httpx.Timeout(timeout, connect=5.0))
        try:
            with pytest.raises(APIConnectionError) as caught:
                await client.agents.messages.send(AGENT_ID, messages=MESSAGES)
        finally:
            if answer.stall is not None:
                answer.stall.set()
    assert len(server.requests) == 1 and client.waits == []  # type: ignore[attr-defined]
    assert isinstance(caught.value, APITimeoutError) == (answer.stall is not None)
    error: BaseException = caught.value
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    chain: List[BaseException] = []
    while error is not None and len(chain) < 10:  # every exception reachable from the SDK's
        chain.append(error)
        text += repr(error) + str(error)
        error = error.__cause__ or error.__context__  # type: ignore[assignment]
    assert SECRET not in text


async def test_a_read_that_reached_the_server_is_retried(make_client: Callable[..., AsyncLetta]) -> None:
    with LoopbackServer(lambda request: Reply(raw=b"")) as server:
        client = make_client(server.base_url, max_retries=2)
        with pytest.raises(APIConnectionError):
            await client.runs.retrieve(RUN_ID)
    assert len(server.requests) == 3


# -- streams ------------------------------------------------------------------------------------

FRAMES = [sse_frame(message("assistant_message", 1, content=f"w{i} ")) for i in range(5)]


def _stalling_after_the_first_event() -> FaultProxy:
    server = LoopbackServer(lambda request: Reply(frames=[*FRAMES, sse_frame(stop()), sse_frame("[DONE]")]))
    head = Reply(frames=[]).head()
    first = b"%x\r\n%s\r\n" % (len(FRAMES[0]), FRAMES[0])
    proxy = FaultProxy(server.port, [Fault("stall", after=len(head) + len(first))])
    proxy.server = server  # type: ignore[attr-defined]
    return proxy


async def test_a_cancelled_read_leaves_the_stream_interrupted(make_client: Callable[..., AsyncLetta]) -> None:
    with _stalling_after_the_first_event() as proxy:
        client = make_client(proxy.base_url, max_retries=0)
        stream = await client.agents.messages.send(AGENT_ID, messages=MESSAGES, streaming=True)
        first = await stream.__anext__()
        assert first.message_type == "assistant_message"
        read = asyncio.ensure_future(stream.__anext__())
        await asyncio.sleep(0)  # the read is waiting on the stalled socket
        read.cancel()
        with pytest.raises(asyncio.CancelledError):
            await read
        with pytest.raises(StreamInterruptedError):
            await stream.__anext__()
        assert stream.response.is_closed
        proxy.server.close()  # type: ignore[attr-defined]


async def test_a_stream_cut_mid_body_raises_after_every_delivered_event(
    make_client: Callable[..., AsyncLetta],
) -> None:
    def answer(request: Request) -> Reply:
        return Reply(frames=FRAMES)

    with LoopbackServer(answer) as server:
        head = Reply(frames=[]).head()
        cut = len(head) + sum(len(b"%x\r\n%s\r\n" % (len(frame), frame)) for frame in FRAMES[:3]) + 7
        with FaultProxy(server.port, [Fault("truncate", after=cut)]) as proxy:
            client = make_client(proxy.base_url, max_retries=0)
            stream = await client.agents.messages.send(AGENT_ID, messages=MESSAGES, streaming=True)
            seen: List[str] = []
            with pytest.raises(APIConnectionError) as caught:
                async for event in stream:
                    seen.append(event.text)
    assert seen == ["w0 ", "w1 ", "w2 "] and not isinstance(caught.value, APITimeoutError)
    assert stream.response.is_closed


# -- chunked framing that goes wrong after the head ---------------------------------------------
#
# aiohttp's C parser, meeting malformed chunked framing after the head, closes the connection and
# stops its read timer without failing the body, whose reader then waits forever
# (``letta_client._aiohttp``). Each call here must end within its timeout on every transport, with
# the exception httpx's transport gives, and be retried (or not) as httpx's transport has it.

TIMEOUT = 1.0
"""The calls' timeout: a stream's idle timeout, any other call's total."""
WITHIN = 5 * TIMEOUT
"""A call that has not ended by then is taken to hang: the test fails (and CI goes on)."""


async def _within(call: Awaitable[None]) -> None:
    """Await ``call``; fail the test if it has not ended after ``WITHIN`` seconds (it is then
    cancelled). Nothing sleeps: the wait ends as soon as the call does."""
    task = asyncio.ensure_future(call)
    done, _ = await asyncio.wait({task}, timeout=WITHIN)
    if not done:
        task.cancel()
        await asyncio.wait({task})
        pytest.fail(f"the call was still waiting after {WITHIN:g} s; its timeout is {TIMEOUT:g} s")
    task.result()


async def _call(client: AsyncLetta, call: str, seen: List[str]) -> None:
    if call == "stream":
        stream = await client.agents.messages.send(AGENT_ID, messages=MESSAGES, streaming=True)
        async for event in stream:
            seen.append(event.text)
    elif call == "send":  # not a stream, not idempotent
        await client.agents.messages.send(AGENT_ID, messages=MESSAGES)
    else:  # not a stream, idempotent
        await client.runs.retrieve(RUN_ID)


def _times_out(transport: str, case: str, then: str) -> bool:
    """Whether the call ends in a read timeout rather than a broken connection: only when the
    transport's parser takes the bytes and reads on, and the server then stalls (h11 skips chunk
    extensions unread; and one case is not malformed, only cut short)."""
    return then == "stall" and parser(transport) not in CASES[case].rejected_by


@pytest.mark.parametrize("then", ENDINGS)
@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("call", ["stream", "send", "retrieve"])
async def test_chunked_framing_broken_after_the_head_ends_the_call_within_its_timeout(
    make_client: Callable[..., AsyncLetta], transport: str, call: str, case: str, then: str
) -> None:
    streaming = call == "stream"
    content_type, first = ("text/event-stream", FRAMES[0]) if streaming else ("application/json", b'{"id": ')
    with StagedServer(case, then, content_type=content_type, first=first) as server:
        client = make_client(
            server.base_url,
            event_hooks={"response": [server.on_response]},
            max_retries=1,
            timeout=httpx.Timeout(TIMEOUT, connect=5.0),
        )
        seen: List[str] = []
        with pytest.raises(APIConnectionError) as caught:
            await _within(_call(client, call, seen))
    assert isinstance(caught.value, APITimeoutError) == _times_out(transport, case, then)
    # the retry decision: an answer that breaks after its head is not tried again, even for an
    # idempotent call (the SDK retries only what fails before a response)
    assert len(server.requests) == 1 and client.waits == []  # type: ignore[attr-defined]
    assert seen == (["w0 "] if streaming else [])


@pytest.mark.parametrize("then", ENDINGS)
@pytest.mark.parametrize("case", list(CASES))
async def test_an_event_that_arrived_with_broken_framing_is_delivered_and_the_next_read_fails(
    make_client: Callable[..., AsyncLetta], transport: str, case: str, then: str
) -> None:
    """The good chunk and the piece arrive in one read, and the reader comes back for more only
    after the loop has handled that read's consequences (for aiohttp: the connection it closed).
    aiohttp's body then raised a bare ``RuntimeError("Connection closed.")`` instead of waiting."""
    with StagedServer(case, then, first=FRAMES[0], together=True) as server:
        client = make_client(
            server.base_url,
            event_hooks={"response": [server.on_response]},
            max_retries=1,
            timeout=httpx.Timeout(TIMEOUT, connect=5.0),
        )
        stream = await client.agents.messages.send(AGENT_ID, messages=MESSAGES, streaming=True)
        seen: List[str] = []

        async def read() -> None:
            async for event in stream:
                seen.append(event.text)
                await asyncio.sleep(0)  # a consumer that awaits something between events

        with pytest.raises(APIConnectionError) as caught:
            await _within(read())
    assert isinstance(caught.value, APITimeoutError) == _times_out(transport, case, then)
    assert seen == ["w0 "] and len(server.requests) == 1
    assert stream.response.is_closed


async def test_a_reset_while_a_read_waits_leaves_no_error_unretrieved(make_client: Callable[..., AsyncLetta]) -> None:
    """While it waits for body bytes, the aiohttp transport asks aiohttp for the connection's
    ``closed`` future. A reset sets an exception on it, which must not be left for the event loop
    to report ("Future exception was never retrieved") when the future is collected."""
    loop = asyncio.get_running_loop()
    reported: List[str] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _, context: reported.append(str(context.get("message"))))
    try:
        with StagedServer("data-cut-short", "reset", first=FRAMES[0]) as server:
            client = make_client(server.base_url, max_retries=0)
            stream = await client.agents.messages.send(AGENT_ID, messages=MESSAGES, streaming=True)
            assert (await stream.__anext__()).message_type == "assistant_message"
            read = asyncio.ensure_future(stream.__anext__())
            await asyncio.sleep(0)  # the read is waiting for bytes
            server.go()
            await asyncio.wait({read}, timeout=WITHIN)
            assert isinstance(read.exception(), APIConnectionError)
            del stream, read
        gc.collect()
    finally:
        loop.set_exception_handler(previous)
    assert reported == []


async def test_a_body_has_one_timer_which_times_each_wait_from_its_own_start() -> None:
    """The aiohttp transport's bound on a wait for bytes costs no timer per wait: the body's one
    timer, when it fires during a later wait than the one that set it, is set again for the end
    of that wait; only a wait of the whole read timeout without a byte fails the body."""
    with StagedServer("data-cut-short", "stall") as server:
        async with aiohttp.ClientSession() as session:
            answer = await session.get(server.base_url)
            guard = _Guard(answer.content, answer.connection, 60.0)
            loop = asyncio.get_running_loop()
            guard.begin()
            timer = guard.timer
            assert timer is not None and guard.since is not None
            assert timer.when() == pytest.approx(guard.since + 60.0)
            guard.since = None  # the wait got its bytes
            guard.begin()  # the next wait
            assert guard.timer is timer
            timer.cancel()
            guard.since = loop.time() - 30.0  # when the timer fires, this wait is 30 s old
            guard._tick()
            assert guard.timer is not None and guard.timer.when() == pytest.approx(guard.since + 60.0)
            assert answer.content.exception() is None
            guard.timer.cancel()
            guard.since = loop.time() - 60.0  # a whole read timeout without a byte
            guard._tick()
            assert isinstance(answer.content.exception(), aiohttp.SocketTimeoutError)
            guard.close()
            answer.close()
        server.go()
