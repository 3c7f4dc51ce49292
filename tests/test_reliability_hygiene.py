"""Connection hygiene: streams abandoned after their first event give their connection back.

With a pool of one connection, a leaked connection makes the next send wait for the pool
and fail with a pool timeout; the open file descriptors stay flat. 1,000 streams here (sync;
300 async); ``benchmarks/soak.py`` runs 10,000.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any, Iterator

import httpx
import pytest

from _async_http import ASYNC_HTTP, async_http_client
from _faults import LoopbackServer, Reply, sse_frame
from _stream_helpers import AGENT_ID, message, stop
from letta_client import AsyncLetta, Letta

MESSAGES: Any = [{"role": "user", "content": "hi"}]
FRAMES = [sse_frame(message("assistant_message", 1, content=f"w{i} ")) for i in range(20)]
FRAMES += [sse_frame(stop()), sse_frame("[DONE]")]
LIMITS = httpx.Limits(max_connections=1, max_keepalive_connections=1)
TIMEOUT = httpx.Timeout(5.0, pool=2.0)


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(lambda request: Reply(frames=FRAMES)) as server:
        yield server


def abandon(client: Letta, count: int) -> None:
    for _ in range(count):
        for event in client.agents.messages.send(AGENT_ID, messages=MESSAGES, streaming=True):
            assert event.message_type == "assistant_message"
            break


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
def test_abandoned_sync_streams_leak_no_connection(server: LoopbackServer) -> None:
    http = httpx.Client(limits=LIMITS, timeout=TIMEOUT)
    client = Letta(base_url=server.base_url, api_key="k", max_retries=0, http_client=http)
    abandon(client, 20)
    assert server.wait_idle()
    before = open_fds()
    abandon(client, 1000)
    assert server.wait_idle()
    assert open_fds() - before <= 2
    assert len(server.requests) == 1020
    client.close()


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
@pytest.mark.real_sockets
async def test_abandoned_async_streams_leak_no_connection(server: LoopbackServer) -> None:
    http = async_http_client(limits=LIMITS, timeout=TIMEOUT)
    client = AsyncLetta(base_url=server.base_url, api_key="k", max_retries=0, http_client=http)

    async def abandon_async(count: int) -> None:
        for _ in range(count):
            # left with break, then dropped: leaving a loop does not close a stream (the next loop
            # would go on from the next event), dropping it does
            async for _ in await client.agents.messages.send(AGENT_ID, messages=MESSAGES, streaming=True):
                break

    # httpx's transport closes the connection of a response left unread; aiohttp returns it to its
    # pool as soon as the whole body has arrived, read or not (the pool holds one: LIMITS)
    pooled = 1 if ASYNC_HTTP == "aiohttp" else 0
    await abandon_async(20)
    # a thread: the loop must run to finalize the last stream
    assert await asyncio.to_thread(server.wait_idle, at_most=pooled)
    before = open_fds()
    await abandon_async(300)
    assert await asyncio.to_thread(server.wait_idle, at_most=pooled)
    assert open_fds() - before <= 2
    await client.close()
    await http.aclose()


def test_with_block_releases_the_connection(server: LoopbackServer) -> None:
    http = httpx.Client(limits=LIMITS, timeout=TIMEOUT)
    client = Letta(base_url=server.base_url, api_key="k", max_retries=0, http_client=http)
    for _ in range(200):
        with client.agents.messages.send(AGENT_ID, messages=MESSAGES, streaming=True) as stream:
            next(iter(stream))
    assert server.wait_idle()
    client.close()
