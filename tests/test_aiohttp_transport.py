"""``DefaultAioHttpClient`` (the ``aiohttp`` extra) and the default httpx clients.

The failures here happen on real loopback sockets, and every test runs over httpx's default
transport and over aiohttp: each must end in the same SDK exception, with the same retry
decision, since the retry policy reads the httpx error class (``letta_client._retry``). The rest
of the async suite that goes over real sockets (marked ``real_sockets``: the loopback stream,
fault, resume, hygiene and secrets tests, and the async live tests) runs a second time over
``DefaultAioHttpClient`` in ``scripts/test`` (``LETTA_TEST_ASYNC_HTTP=aiohttp``, see
``tests/_async_http.py``). Tests that mock httpx (respx, ``httpx.MockTransport``) do not reach a
transport and say nothing about this one.
"""

from __future__ import annotations

import asyncio
import inspect
import sys
import threading
import traceback
from typing import Any, AsyncIterator, Callable, List, Optional

import aiohttp
import httpx
import pytest

from _async_http import ASYNC_HTTP
from _faults import Fault, FaultProxy, LoopbackServer, Reply, Request, sse_frame
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
from letta_client._aiohttp import AiohttpTransport, httpx_error_class
from letta_client._retry import should_retry_error
from letta_client._transport import DEFAULT_TIMEOUT

SECRET = "sk-let-AIOHTTP-0123456789abcdef"
MESSAGES: Any = [{"role": "user", "content": "hi"}]
TRANSPORTS = ["httpx", "aiohttp"]


@pytest.fixture(params=TRANSPORTS)
async def make_client(request: pytest.FixtureRequest) -> AsyncIterator[Callable[..., AsyncLetta]]:
    """``make_client(base_url, **options)``: an ``AsyncLetta`` over the transport of the test's
    parameter, whose backoff records its waits in ``client.waits`` instead of sleeping."""
    made: List[AsyncLetta] = []
    https: List[httpx.AsyncClient] = []

    def make(base_url: str, **options: Any) -> AsyncLetta:
        http = DefaultAsyncHttpxClient() if request.param == "httpx" else DefaultAioHttpClient()
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
    return [
        value
        for value in vars(aiohttp.client_exceptions).values()
        if inspect.isclass(value) and issubclass(value, aiohttp.ClientError)
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
