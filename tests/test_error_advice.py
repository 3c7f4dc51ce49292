"""Errors that say what to do: the server's address on a connection error, a wrong base URL on a
404, the turn that may still run after a send timed out, and one warning for Letta Cloud without a
key. Every test runs the sync and the async client (``mode``); nothing sleeps."""

from __future__ import annotations

import re
import socket
import warnings
from typing import Any, Callable, Iterator, List, Union

import httpx
import pytest

from _both import collect, resolve
from letta_client import APIConnectionError, APITimeoutError, AsyncLetta, Letta, NotFoundError, _advice

AGENT = "agent-00000000-0000-4000-8000-000000000001"
CONVERSATION = "conv-00000000-0000-4000-8000-000000000002"
Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def make_client(mode: str, handler: Handler, base_url: str = "http://letta.test", **options: Any) -> Any:
    if mode == "sync":
        return Letta(base_url=base_url, http_client=httpx.Client(transport=httpx.MockTransport(handler)), **options)
    return AsyncLetta(
        base_url=base_url, http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)), **options
    )


def raising(error: Callable[[httpx.Request], Exception]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error(request)

    return handler


# -- a connection error names the server --------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_a_refused_connection_names_host_and_port_but_not_the_credentials(mode: str) -> None:
    port = _closed_port()
    url = f"http://someone:hunter2secret@127.0.0.1:{port}"
    client: Union[Letta, AsyncLetta] = (
        Letta(base_url=url, max_retries=0) if mode == "sync" else AsyncLetta(base_url=url, max_retries=0)
    )
    with pytest.raises(APIConnectionError) as caught:
        await resolve(client.agents.retrieve(AGENT))
    await resolve(client.close())
    message = str(caught.value)
    assert f"127.0.0.1:{port}" in message and "LETTA_BASE_URL" in message
    assert "hunter2secret" not in message and "someone" not in message


@pytest.mark.parametrize(
    ("base_url", "where"),
    [("https://letta.example", "letta.example:443"), ("http://[::1]:8283", "[::1]:8283"), ("http://h", "h:80")],
)
async def test_the_address_is_spelled_out_with_its_port(mode: str, base_url: str, where: str) -> None:
    client = make_client(mode, raising(lambda r: httpx.ConnectError("refused", request=r)), base_url, max_retries=0)
    with pytest.raises(APIConnectionError, match=rf"Cannot connect to {re.escape(where)} for GET"):
        await resolve(client.runs.retrieve("run-1"))


async def test_a_connect_timeout_names_the_server_too(mode: str) -> None:
    client = make_client(mode, raising(lambda r: httpx.ConnectTimeout("slow", request=r)), max_retries=0)
    with pytest.raises(APITimeoutError, match=r"Timed out connecting to letta\.test:80 .*Is a Letta server running"):
        await resolve(client.runs.retrieve("run-1"))


async def test_a_broken_connection_names_the_server(mode: str) -> None:
    client = make_client(mode, raising(lambda r: httpx.ReadError("reset", request=r)), max_retries=0)
    with pytest.raises(APIConnectionError, match=r"\(server letta\.test:80\)"):
        await resolve(client.runs.retrieve("run-1"))


# -- a 404 whose path looks wrong ---------------------------------------------------------------


def not_found(body: object) -> Handler:
    return lambda request: httpx.Response(404, json=body)


async def test_a_base_url_ending_in_v1_is_named_as_the_cause(mode: str) -> None:
    client = make_client(mode, not_found({"detail": "Not Found"}), "http://letta.test/v1")
    with pytest.raises(NotFoundError) as caught:
        await resolve(client.agents.retrieve(AGENT))
    message = str(caught.value)
    assert "/v1/v1/agents/" in message and "Remove the trailing /v1 from base_url" in message


async def test_a_route_missing_under_a_base_path_names_the_path(mode: str) -> None:
    client = make_client(mode, not_found({"detail": "Not Found"}), "http://letta.test/api")
    with pytest.raises(NotFoundError, match=r"base_url has the path '/api'"):
        await resolve(client.agents.retrieve(AGENT))


async def test_a_route_missing_at_the_root_says_to_check_the_server(mode: str) -> None:
    client = make_client(mode, not_found({"detail": "Not Found"}))
    with pytest.raises(NotFoundError, match=r"has no route for this path: check that base_url"):
        await resolve(client.agents.retrieve(AGENT))


async def test_a_missing_object_gets_no_path_advice(mode: str) -> None:
    client = make_client(mode, not_found({"detail": f"Agent with ID {AGENT} not found"}))
    with pytest.raises(NotFoundError) as caught:
        await resolve(client.agents.retrieve(AGENT))
    assert str(caught.value) == (
        f"Error code: 404 - {{'detail': 'Agent with ID {AGENT} not found'}} | "
        f"404 Not Found for GET /v1/agents/{AGENT}: Agent with ID {AGENT} not found"
    )


# -- a send that timed out may still be running ---------------------------------------------------


async def test_a_timed_out_send_says_the_turn_may_still_run_and_how_to_find_it(mode: str) -> None:
    client = make_client(mode, raising(lambda r: httpx.ReadTimeout("slow", request=r)))
    with pytest.raises(APITimeoutError) as caught:
        await resolve(client.agents.messages.send(AGENT, input="hi"))
    message = str(caught.value)
    assert "may still be running on the server" in message
    assert f"client.runs.list(agent_id='{AGENT}', active=True)" in message
    assert "client.runs.wait(run_id, response=True)" in message


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_a_send_past_its_total_deadline_says_so_too(mode: str) -> None:
    clock = Clock()

    def trickle() -> Iterator[bytes]:
        yield b'{"messages": ['
        while True:
            clock.now += 1.0
            yield b" "

    async def async_trickle() -> Any:
        for chunk in trickle():
            yield chunk

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=trickle() if mode == "sync" else async_trickle())

    client = make_client(mode, handler, timeout=3.0)
    client._transport.clock = clock
    with pytest.raises(APITimeoutError, match=r"3 s timeout .*may still be running"):
        await resolve(client.agents.messages.send(AGENT, input="hi"))


def test_the_advice_names_the_conversation_and_nothing_for_reads() -> None:
    advice = _advice.running_turn("POST", f"/v1/conversations/{CONVERSATION}/messages")
    assert f"client.runs.list(conversation_id='{CONVERSATION}', active=True)" in advice
    assert "agent_id=..." in _advice.running_turn("POST", "/v1/conversations/default/messages")
    assert "agent_id=" in _advice.running_turn("POST", f"/v1/agents/{AGENT}/messages/stream")
    assert _advice.running_turn("GET", f"/v1/agents/{AGENT}/messages") == ""
    assert _advice.running_turn("POST", f"/v1/agents/{AGENT}/messages/cancel") == ""


async def test_a_timed_out_read_gets_no_turn_advice(mode: str) -> None:
    client = make_client(mode, raising(lambda r: httpx.ReadTimeout("slow", request=r)), max_retries=0)
    with pytest.raises(APITimeoutError) as caught:
        await resolve(client.runs.retrieve("run-1"))
    assert "still be running" not in str(caught.value)


# -- Letta Cloud without a key ------------------------------------------------------------------


@pytest.fixture
def cloud_warnings(monkeypatch: pytest.MonkeyPatch) -> Iterator[List[warnings.WarningMessage]]:
    monkeypatch.setattr(_advice, "_cloud_warned", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught


def test_letta_cloud_without_a_key_warns_once_per_process(cloud_warnings: List[warnings.WarningMessage]) -> None:
    first = Letta()
    Letta(environment="cloud")
    AsyncLetta()
    first.with_options(timeout=5)
    assert len(cloud_warnings) == 1
    warning = cloud_warnings[0]
    assert issubclass(warning.category, UserWarning) and "LETTA_API_KEY" in str(warning.message)
    assert warning.filename == __file__  # it points at the line that built the client


@pytest.mark.parametrize(
    "options",
    [
        {"api_key": "sk-let-x"},
        {"base_url": "http://localhost:8283"},
        {"base_url": "https://user:pw@api.letta.com"},
        {"default_headers": {"authorization": "Bearer sk-let-x"}},
    ],
)
def test_no_warning_with_credentials_or_another_server(
    cloud_warnings: List[warnings.WarningMessage], options: Any
) -> None:
    Letta(**options)
    assert cloud_warnings == []


def test_an_api_key_from_the_environment_counts(
    cloud_warnings: List[warnings.WarningMessage], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LETTA_API_KEY", "sk-let-x")
    Letta()
    assert cloud_warnings == []


# -- a stream that broke off names the server and the run that goes on ---------------------------

PING = b'data: {"id": "ping-1", "date": "2026-12-01T00:00:00+00:00", "message_type": "ping", "run_id": "run-7"}\n\n'


async def test_a_broken_stream_names_the_server_and_how_to_finish_its_run(mode: str) -> None:
    def body() -> Iterator[bytes]:
        yield PING
        raise httpx.ReadTimeout("idle")

    async def async_body() -> Any:
        for chunk in body():
            yield chunk

    def handler(request: httpx.Request) -> httpx.Response:
        content = body() if mode == "sync" else async_body()
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=content)

    client = make_client(mode, handler)
    stream = await resolve(client.agents.messages.send(AGENT, input="hi", streaming=True))
    with pytest.raises(APITimeoutError) as caught:
        await collect(stream)
    message = str(caught.value)
    assert message.startswith("The stream from letta.test:80 broke off") and caught.value.run_id == "run-7"
    assert "client.runs.wait('run-7', response=True)" in message
