"""The transport under hostile answers: every httpx exception becomes an SDK exception, a closed
client says so, and a call's total timeout holds through retries, ``Retry-After`` and trickling
bodies (on a fake clock: nothing here sleeps)."""

from __future__ import annotations

import gzip
import inspect
from typing import Any, AsyncIterator, Callable, Iterator, List, Type, Union

import httpx
import pytest

from _both import resolve
from letta_client import (
    APIConnectionError,
    APITimeoutError,
    AsyncLetta,
    ClientClosedError,
    InternalServerError,
    Letta,
    LettaError,
)
from letta_client._transport import HTTPX_ERRORS

RUN = "run-1"
RUN_JSON = {"id": RUN, "status": "completed"}


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: List[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


def make_client(
    mode: str, handler: Callable[[httpx.Request], httpx.Response], clock: FakeClock, **options: Any
) -> Union[Letta, AsyncLetta]:
    client: Union[Letta, AsyncLetta]
    if mode == "sync":
        client = Letta(
            base_url="http://letta.test", http_client=httpx.Client(transport=httpx.MockTransport(handler)), **options
        )
        client._transport.sleep = clock.sleep  # pyright: ignore[reportPrivateUsage]
    else:
        http_client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        client = AsyncLetta(base_url="http://letta.test", http_client=http_client, **options)
        client._transport.sleep = clock.async_sleep  # type: ignore[assignment]  # pyright: ignore[reportPrivateUsage]
    client._transport.clock = clock  # pyright: ignore[reportPrivateUsage]
    return client


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# -- every httpx exception ------------------------------------------------------------------------


def httpx_exceptions() -> List[Type[Exception]]:
    found = {
        value
        for value in vars(httpx).values()
        if inspect.isclass(value) and issubclass(value, Exception) and value.__module__.startswith("httpx")
    }
    return sorted(found, key=lambda cls: cls.__name__)


def instance_of(cls: Type[Exception]) -> Exception:
    request = httpx.Request("GET", "http://letta.test/v1/runs/run-1")
    response = httpx.Response(500, request=request)
    for args, kwargs in (
        (("boom",), {"request": request}),
        (("boom",), {"request": request, "response": response}),
        (("boom",), {}),
        ((), {}),
    ):
        try:
            return cls(*args, **kwargs)
        except TypeError:
            continue
    raise AssertionError(f"cannot build {cls.__name__}")


def test_the_walk_sees_httpx_exceptions() -> None:
    names = {cls.__name__ for cls in httpx_exceptions()}
    assert {"DecodingError", "ReadTimeout", "StreamClosed", "InvalidURL", "HTTPStatusError"} <= names


@pytest.mark.parametrize("cls", httpx_exceptions(), ids=lambda cls: cls.__name__)
async def test_every_httpx_exception_becomes_an_sdk_exception(mode: str, cls: Type[Exception]) -> None:
    assert issubclass(cls, HTTPX_ERRORS)
    error = instance_of(cls)

    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    client = make_client(mode, handler, FakeClock(), max_retries=0)
    with pytest.raises(LettaError) as caught:
        await resolve(client.runs.retrieve(RUN))
    assert caught.value.__cause__ is error


def corrupt_gzip(status: int) -> httpx.Response:
    body = gzip.compress(b'{"id": "run-1", "status": "completed"}')[:-12] + b"\x00" * 12
    return httpx.Response(
        status, content=body, headers={"content-encoding": "gzip", "content-type": "application/json"}
    )


@pytest.mark.parametrize("status", [200, 500])
async def test_a_corrupt_gzip_body_raises_an_sdk_error(mode: str, status: int) -> None:
    client = make_client(mode, lambda request: corrupt_gzip(status), FakeClock(), max_retries=0)
    with pytest.raises(APIConnectionError, match="could not be decoded"):
        await resolve(client.runs.retrieve(RUN))


async def test_a_closed_client_says_it_is_closed(mode: str) -> None:
    client = Letta(base_url="http://letta.test") if mode == "sync" else AsyncLetta(base_url="http://letta.test")
    await resolve(client.close())
    with pytest.raises(ClientClosedError, match="closed") as caught:
        await resolve(client.runs.retrieve(RUN))  # nothing is sent: the check comes first
    assert isinstance(caught.value, RuntimeError)  # what httpx raised before, for old except clauses


# -- the total timeout ------------------------------------------------------------------------


async def test_retry_after_past_the_deadline_is_not_waited_for(mode: str) -> None:
    clock = FakeClock()
    answers = iter([httpx.Response(503, headers={"retry-after": "60"}), httpx.Response(200, json=RUN_JSON)])
    client = make_client(mode, lambda request: next(answers), clock, timeout=2.0)
    with pytest.raises(InternalServerError):
        await resolve(client.runs.retrieve(RUN))
    assert clock.sleeps == [] and clock.now == 0.0


async def test_retries_stop_at_the_deadline(mode: str) -> None:
    clock = FakeClock()
    calls: List[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(clock.now)
        return httpx.Response(503, headers={"retry-after": "4"})

    client = make_client(mode, handler, clock, timeout=10.0, max_retries=10)
    with pytest.raises(InternalServerError):
        await resolve(client.runs.retrieve(RUN))
    assert calls == [0.0, 4.0, 8.0]  # a fourth attempt would start at 12 s, past the 10 s deadline
    assert sum(clock.sleeps) < 10.0


async def test_retry_timeouts_are_cut_to_the_time_left(mode: str) -> None:
    clock = FakeClock()
    seen: List[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return (
            httpx.Response(503, headers={"retry-after": "3"}) if len(seen) == 1 else httpx.Response(200, json=RUN_JSON)
        )

    client = make_client(mode, handler, clock, timeout=10.0)
    assert (await resolve(client.runs.retrieve(RUN))).id == RUN
    assert seen[0]["read"] == 10.0 and seen[1]["read"] == pytest.approx(7.0)


def trickle(clock: FakeClock, mode: str) -> Union[Iterator[bytes], AsyncIterator[bytes]]:
    """A JSON answer one byte per second, for ever."""

    def sync_bytes() -> Iterator[bytes]:
        yield b'{"id": "run-1", "status": "completed", "pad": "'
        while True:
            clock.now += 1.0
            yield b"x"

    async def async_bytes() -> AsyncIterator[bytes]:
        for chunk in sync_bytes():
            yield chunk

    return sync_bytes() if mode == "sync" else async_bytes()


async def test_a_trickling_answer_cannot_pass_the_total_timeout(mode: str) -> None:
    clock = FakeClock()
    client = make_client(mode, lambda request: httpx.Response(200, content=trickle(clock, mode)), clock, timeout=5.0)
    with pytest.raises(APITimeoutError, match="5 s timeout"):
        await resolve(client.runs.retrieve(RUN))
    assert 5.0 <= clock.now <= 6.0


# -- the simulator's loopback server --------------------------------------------------------------


def test_the_loopback_server_holds_200_clients_connecting_at_once() -> None:
    import socket
    import threading

    from letta_client.testing import Simulator

    clients = 200
    barrier = threading.Barrier(clients)
    results: List[object] = []
    lock = threading.Lock()

    def one(base_url: str) -> None:
        host, port = base_url.rsplit("/", 1)[-1].split(":")
        barrier.wait()
        try:
            with socket.create_connection((host, int(port)), timeout=30.0) as connection:
                connection.sendall(b"GET /v1/health HTTP/1.1\r\nHost: sim\r\nConnection: close\r\n\r\n")
                answer = b"".join(iter(lambda: connection.recv(65536), b""))
            outcome: object = answer.split(b" ", 2)[1].decode()
        except OSError as error:
            outcome = repr(error)
        with lock:
            results.append(outcome)

    with Simulator().serve() as base_url:
        threads = [threading.Thread(target=one, args=(base_url,)) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert results == ["200"] * clients
