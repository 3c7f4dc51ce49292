"""No blocking on the event loop: a fresh interpreter runs an ``AsyncLetta``'s first calls under
asyncio debug mode with ``slow_callback_duration = 0.05`` and must log no slow callback.

The first calls are where blocking hides: the resources and models, the request-body validators
and httpcore's asyncio backend all used to load inside the first ``await``. The client is built
before the loop starts, as an application does at startup; the server is another process (the
simulator on 127.0.0.1), so nothing else in the client's process holds the GIL."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Iterator

import pytest

SERVER = """
import sys
from letta_client.testing import Simulator

with Simulator().serve() as url:
    print(url, flush=True)
    sys.stdin.read()  # until the test closes our stdin
"""

CLIENT = """
import asyncio, json, logging, os, sys

slow = []


class Collect(logging.Handler):
    def emit(self, record):
        slow.append(record.getMessage())


logging.getLogger("asyncio").addHandler(Collect(level=logging.WARNING))

from letta_client import AsyncLetta, DefaultAioHttpClient
from letta_client.testing import DEFAULT_AGENT_ID

http = DefaultAioHttpClient() if os.environ.get("LETTA_TEST_ASYNC_HTTP") == "aiohttp" else None
client = AsyncLetta(base_url=sys.argv[1], api_key="test-key", http_client=http)


async def main():
    asyncio.get_running_loop().slow_callback_duration = 0.05
    kinds = []
    stream = await client.agents.messages.send(DEFAULT_AGENT_ID, input="hello", streaming=True)
    async for event in stream:
        kinds.append(event.message_type)
    response = await client.agents.messages.send(DEFAULT_AGENT_ID, input="and again")
    kinds.append(response.stop_reason.stop_reason)
    await client.close()
    if http is not None:
        await http.aclose()
    return kinds


kinds = asyncio.run(main(), debug=True)
print(json.dumps({"kinds": kinds, "slow": slow}))
"""


@pytest.fixture
def server_url() -> Iterator[str]:
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        yield server.stdout.readline().strip()
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(30)


@pytest.mark.real_sockets  # over DefaultAioHttpClient too (tests/_async_http.py)
def test_the_first_calls_of_an_async_client_never_block_the_event_loop(server_url: str) -> None:
    out = subprocess.run([sys.executable, "-c", CLIENT, server_url], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert "assistant_message" in result["kinds"] and result["kinds"][-1] == "end_turn"
    assert result["slow"] == []
