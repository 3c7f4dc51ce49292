"""Where client tools run: the sync runner's event-loop thread for async tools (in every calling
context), and the async runner's worker threads for sync tools (the event loop never blocks)."""

from __future__ import annotations

import asyncio
import http.server
import logging
import threading
import time
from typing import Any, Callable, Iterator, List

import httpx
import pytest

from _runner_helpers import Agent, answer, asks, call, ok, returns, stream_of
from _stream_helpers import async_client, sse, stop, sync_client
from letta_client import Letta, LettaError
from letta_client.tools import tool

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")  # e.g. "coroutine ... was never awaited"


def done() -> httpx.Response:
    return stream_of(sse(stop(), "[DONE]"))


def run_sync(agent: Agent, tools: List[Any], *, streaming: bool) -> None:
    with sync_client(agent) as client:
        if streaming:
            list(client.agents.messages.run_tools("agent-1", tools=tools, input="go", streaming=True))
        else:
            client.agents.messages.run_tools("agent-1", tools=tools, input="go")


def in_running_loop(work: Callable[[], None]) -> None:
    """Call ``work`` from a coroutine, as a sync helper inside an async app (or a notebook) does."""

    async def main() -> None:
        work()

    asyncio.run(main())


def in_thread_with_its_own_loop(work: Callable[[], None]) -> None:
    errors: List[BaseException] = []

    def target() -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(asyncio.sleep(0))  # the thread has a loop, and it has run
            asyncio.set_event_loop(loop)
            work()
        except BaseException as error:
            errors.append(error)
        finally:
            loop.close()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


CONTEXTS = {"no loop": lambda work: work(), "inside asyncio.run": in_running_loop}
CONTEXTS["in a thread with its own loop"] = in_thread_with_its_own_loop


@pytest.mark.parametrize("context", sorted(CONTEXTS))
@pytest.mark.parametrize("streaming", [False, True], ids=["json", "streaming"])
def test_the_sync_runner_runs_async_tools_in_every_calling_context(context: str, streaming: bool) -> None:
    ran_in: List[str] = []

    @tool
    async def lookup(key: str) -> str:
        await asyncio.sleep(0)
        ran_in.append(threading.current_thread().name)
        return key.upper()

    def reply_with(body: httpx.Response) -> httpx.Response:
        return stream_of(sse(*body.json()["messages"], body.json()["stop_reason"], "[DONE]")) if streaming else body

    agent = Agent(reply_with(asks(call("c1", "lookup", {"key": "k"}))), done() if streaming else answer())
    CONTEXTS[context](lambda: run_sync(agent, [lookup], streaming=streaming))

    assert ran_in == ["letta-async-tools"]
    expected = returns(ok("c1", "K"), client_tools=[lookup.to_param()])
    assert agent.bodies[1] == ({**expected, "streaming": True} if streaming else expected)


class _KeepAliveHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keeps the connection open: the tool's client pools it

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("content-length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def loopback_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _KeepAliveHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_an_async_tool_keeps_its_cached_async_client_across_rounds_and_runs(loopback_url: str) -> None:
    cache: List[httpx.AsyncClient] = []

    @tool
    async def fetch(n: int) -> str:
        if not cache:  # made on the first call, reused afterwards: its pooled connection stays bound to one loop
            cache.append(httpx.AsyncClient(base_url=loopback_url, trust_env=False))
        response = await cache[0].get(f"/{n}")
        return f"{n}:{response.text}"

    agent = Agent(
        asks(call("c1", "fetch", {"n": 1})),
        asks(call("c2", "fetch", {"n": 2})),
        asks(call("c3", "fetch", {"n": 3})),
        answer(),
        asks(call("c4", "fetch", {"n": 4})),
        answer(),
    )
    with sync_client(agent) as client:
        first = client.agents.messages.run_tools("agent-1", tools=[fetch], input="go")
        second = client.agents.messages.run_tools("agent-1", tools=[fetch], input="again")
        client._tool_loop.run(cache[0].aclose)  # pyright: ignore[reportPrivateUsage]
    assert [answer["tool_returns"] for answer in [*first.answers, *second.answers]] == [
        [ok(f"c{n}", f"{n}:ok")] for n in range(1, 5)
    ]


def test_closing_the_client_stops_its_tool_loop_and_later_runs_raise_at_once() -> None:
    @tool
    async def noop() -> str:
        return "done"

    agent = Agent(asks(call("c1", "noop", "{}")), answer(), asks(call("c2", "noop", "{}")))
    with sync_client(agent) as client:
        client.agents.messages.run_tools("agent-1", tools=[noop], input="go")
        [thread] = [thread for thread in threading.enumerate() if thread.name == "letta-async-tools"]
        client._tool_loop.close()  # what client.close() does, with the connection pool left open  # pyright: ignore[reportPrivateUsage]
        assert not thread.is_alive()
        with pytest.raises(LettaError, match="closed"):
            client.agents.messages.run_tools("agent-1", tools=[noop], input="go")
    assert len(agent.bodies) == 3  # no error return was sent for the tool that could not run
    client.close()
    assert not any(thread.name == "letta-async-tools" for thread in threading.enumerate())


def test_a_copy_from_with_options_shares_the_tool_loop_and_does_not_close_it() -> None:
    client = Letta(base_url="http://letta.test")
    copy = client.with_options(timeout=5)
    assert copy._tool_loop is client._tool_loop  # pyright: ignore[reportPrivateUsage]
    copy.close()
    assert client._tool_loop.run(lambda: asyncio.sleep(0, "alive")) == "alive"  # pyright: ignore[reportPrivateUsage]
    client.close()


def test_an_async_tool_that_runs_the_sync_runner_itself_gets_a_clear_error() -> None:
    @tool
    async def inner() -> str:
        return "never"

    @tool
    async def outer() -> str:
        nested = client.with_options()  # shares the client's tool loop, which runs this very tool
        nested.agents.messages.run_tools("agent-2", tools=[inner], input="nested")
        return "unreachable"

    agent = Agent(asks(call("c1", "outer", "{}")), asks(call("i1", "inner", "{}")), answer())
    with sync_client(agent) as client:
        client.agents.messages.run_tools("agent-1", tools=[outer], input="go")
    assert [body.get("input") for body in agent.bodies] == ["go", "nested", None]
    [item] = agent.bodies[2]["messages"][0]["tool_returns"]
    assert item["status"] == "error" and "AsyncLetta" in item["tool_return"]


# -- the async runner ---------------------------------------------------------------------------------


async def test_the_async_runner_runs_a_blocking_sync_tool_off_the_event_loop(caplog: pytest.LogCaptureFixture) -> None:
    loop = asyncio.get_running_loop()
    loop.set_debug(True)
    loop.slow_callback_duration = 0.05
    threads: List[str] = []

    @tool
    def blocking() -> str:
        threads.append(threading.current_thread().name)
        time.sleep(0.5)  # blocking work, as a sync tool does: it must not run on the event loop
        return "slept"

    agent = Agent(asks(call("c1", "blocking", "{}")), answer())
    with caplog.at_level(logging.WARNING, logger="asyncio"):
        async with async_client(agent) as client:
            await client.agents.messages.run_tools("agent-1", tools=[blocking], input="go")
    assert [record.getMessage() for record in caplog.records if "Executing" in record.getMessage()] == []
    assert threads and threads[0].startswith("letta-tool")
    assert agent.bodies[1] == returns(ok("c1", "slept"), client_tools=[blocking.to_param()])


async def test_the_async_runner_runs_sync_and_async_tools_of_a_round_together() -> None:
    both_started = threading.Barrier(2, timeout=5)

    @tool
    def left() -> str:
        both_started.wait()  # returns only if `right` runs meanwhile, in another thread
        return "left"

    @tool
    def right() -> str:
        both_started.wait()
        return "right"

    agent = Agent(asks(call("c1", "left", "{}"), call("c2", "right", "{}")), answer())
    async with async_client(agent) as client:
        await client.agents.messages.run_tools("agent-1", tools=[left, right], input="go")
    assert agent.bodies[1]["messages"][0]["tool_returns"] == [ok("c1", "left"), ok("c2", "right")]


async def test_max_concurrency_bounds_the_calls_running_at_once() -> None:
    running: List[int] = []
    peak: List[int] = []

    @tool
    async def work(n: int) -> int:
        running.append(n)
        peak.append(len(running))
        await asyncio.sleep(0)
        running.remove(n)
        return n

    agent = Agent(asks(*(call(f"c{n}", "work", {"n": n}) for n in range(5))), answer())
    async with async_client(agent) as client:
        await client.agents.messages.run_tools("agent-1", tools=[work], input="go", max_concurrency=2)
    assert max(peak) == 2
    assert [item["tool_return"] for item in agent.bodies[1]["messages"][0]["tool_returns"]] == list("01234")
    with pytest.raises(ValueError, match="max_concurrency"):
        async with async_client(Agent()) as client:
            await client.agents.messages.run_tools("agent-1", tools=[work], input="go", max_concurrency=0)
