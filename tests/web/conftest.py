"""Fixtures of the web tests: ``node_clients`` (the real npm clients, see ``_web_node.py``), and the
ASGI app on a simulator (``sim``, its ``client``, the app's ``owners`` and the mounted ``app``; see
``_asgi_harness.py``)."""

from typing import Any, AsyncIterator

import pytest
from _asgi_harness import SECRET, Owners, mounted
from _web_node import node_clients

from letta_client import AsyncLetta
from letta_client.testing import Simulator

__all__ = ["node_clients"]


@pytest.fixture
def sim() -> Simulator:
    """A simulator whose API key is the secret no browser byte or log line may hold."""
    return Simulator(api_key=SECRET)


@pytest.fixture
async def client(sim: Simulator) -> AsyncIterator[AsyncLetta]:
    async with sim.async_client() as client:
        yield client


@pytest.fixture
def owners() -> Owners:
    return Owners()


@pytest.fixture
def app(client: AsyncLetta, sim: Simulator, owners: Owners) -> Any:
    return mounted(client, sim.default_agent_id, owners)
