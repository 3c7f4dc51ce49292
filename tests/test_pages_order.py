"""A page's ``items`` are what the server sent, in its order; iterating walks the pages in turn.

Against the simulator, which pages as Letta 0.16.8 does (``testing/_listing.py``): an agent's
``desc`` page holds the newest rows oldest first, a conversation's holds them newest first, a
run's messages come newest first, and ``GET /v1/runs/`` swaps its two cursors. Each page is
compared with the raw JSON the same request gets from the simulator; each walk delivers every
item once. Every test runs with ``Letta`` and ``AsyncLetta``.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterator, List, Tuple, Union

import httpx
import pytest

from _both import collect, resolve
from letta_client import AsyncLetta, Letta
from letta_client.testing import Simulator

AnyClient = Union[Letta, AsyncLetta]
Listing = Callable[..., Any]


class World:
    """A simulator whose default agent had three turns, and a conversation with three turns."""

    def __init__(self) -> None:
        self.sim = Simulator(redis=False)  # no conversation lock: the turns follow each other at once
        self.agent = self.sim.default_agent_id
        client = self.sim.client()
        for turn in range(3):
            client.agents.messages.create(self.agent, messages=[{"role": "user", "content": f"turn {turn}"}])
        self.conversation = client.conversations.create(agent_id=self.agent).id
        for turn in range(3):
            client.conversations.messages.create(
                self.conversation, messages=[{"role": "user", "content": f"conv {turn}"}], streaming=False
            )
        self.run = self.sim.runs_of(lambda run: run.agent_id == self.agent)[0].id

    def raw(self, path: str, **query: Any) -> List[Dict[str, Any]]:
        with httpx.Client(transport=self.sim.transport(), base_url="http://sim.test") as http:
            response = http.get(path, params=query)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture(params=["sync", "async"])
def sim_client(request: pytest.FixtureRequest, world: World) -> Iterator[AnyClient]:
    yield world.sim.client() if request.param == "sync" else world.sim.async_client()


def listings(world: World) -> Dict[str, Tuple[Callable[[AnyClient], Any], str, Dict[str, Any]]]:
    """name → (the SDK call, the path it requests, its query)."""
    agent, conversation, run = world.agent, world.conversation, world.run
    return {
        "agent messages": (lambda c: c.agents.messages.list(agent, limit=3), f"/v1/agents/{agent}/messages", {}),
        "agent messages desc": (
            lambda c: c.agents.messages.list(agent, limit=3, order="desc"),
            f"/v1/agents/{agent}/messages",
            {"order": "desc"},
        ),
        "agent messages asc": (
            lambda c: c.agents.messages.list(agent, limit=3, order="asc"),
            f"/v1/agents/{agent}/messages",
            {"order": "asc"},
        ),
        "conversation messages": (
            lambda c: c.conversations.messages.list(conversation, limit=3),
            f"/v1/conversations/{conversation}/messages",
            {},
        ),
        "conversation messages asc": (
            lambda c: c.conversations.messages.list(conversation, limit=3, order="asc"),
            f"/v1/conversations/{conversation}/messages",
            {"order": "asc"},
        ),
        "run messages desc": (
            lambda c: c.runs.messages.list(run, limit=1, order="desc"),
            f"/v1/runs/{run}/messages",
            {"order": "desc"},
        ),
        "runs": (lambda c: c.runs.list(agent_id=agent, limit=2), "/v1/runs/", {"agent_id": agent}),
        "runs asc": (
            lambda c: c.runs.list(agent_id=agent, limit=2, order="asc"),
            "/v1/runs/",
            {"agent_id": agent, "order": "asc"},
        ),
    }


NAMES = [
    "agent messages",
    "agent messages desc",
    "agent messages asc",
    "conversation messages",
    "conversation messages asc",
    "run messages desc",
    "runs",
    "runs asc",
]


def keys(items: Any) -> List[Tuple[str, str]]:
    return [(item.id, getattr(item, "message_type", "run")) for item in items]


def raw_keys(items: List[Dict[str, Any]]) -> List[Tuple[str, str]]:
    return [(item["id"], item.get("message_type", "run")) for item in items]


@pytest.mark.parametrize("name", NAMES)
async def test_a_page_holds_what_the_server_sent_in_its_order(world: World, sim_client: AnyClient, name: str) -> None:
    call, path, query = listings(world)[name]
    page = await resolve(call(sim_client))
    limit = 1 if name.startswith("run messages") else (2 if name.startswith("runs") else 3)
    assert keys(page.items) == raw_keys(world.raw(path, limit=limit, **query))


async def test_the_newest_messages_come_oldest_first_for_the_default_order_and_desc(
    world: World, sim_client: AnyClient
) -> None:
    """The issue's case: ``items[-1]`` is the latest message, as on the server and the official SDK."""
    agent = world.agent
    everything = raw_keys(world.raw(f"/v1/agents/{agent}/messages", order="asc"))
    for order in (None, "desc"):
        extra = {} if order is None else {"order": order}
        page = await resolve(sim_client.agents.messages.list(agent, limit=2, **extra))
        assert keys(page.items) == everything[-3:]  # two rows: a user message, a reasoning + assistant
        assert page.items[-1].message_type == "assistant_message"


@pytest.mark.parametrize("name", NAMES)
async def test_iterating_walks_every_page_in_turn_and_repeats_nothing(
    world: World, sim_client: AnyClient, name: str
) -> None:
    call, path, query = listings(world)[name]
    walked = keys(await collect(call(sim_client)))
    pages = []
    page = await resolve(call(sim_client))
    async for each in _pages(page):
        pages.append(keys(each.items))
    assert walked == [key for items in pages for key in items]
    assert len(set(walked)) == len(walked)
    assert sorted(walked) == sorted(raw_keys(world.raw(path, limit=100, **query)))


async def _pages(page: Any) -> Any:
    walked = page.iter_pages()
    if hasattr(walked, "__aiter__"):
        async for each in walked:
            yield each
    else:
        for each in walked:
            yield each


async def test_runs_list_asks_for_the_next_runs_with_before(world: World, sim_client: AnyClient) -> None:
    """Letta 0.16.8 swaps the runs cursors: ``before=`` the last run is what follows it."""
    agent = world.agent
    runs = [run.id for run in world.sim.runs_of(lambda r: r.agent_id == agent)]
    page = await resolve(sim_client.runs.list(agent_id=agent, limit=2))
    assert page.next_page_info().params == {"before": page.items[-1].id}
    assert [run.id for run in await collect(sim_client.runs.list(agent_id=agent, limit=2))] == runs[::-1]


async def test_the_tool_runner_reads_the_newest_messages_oldest_first(world: World, sim_client: AnyClient) -> None:
    from letta_client._pagination import in_time_order

    everything = raw_keys(world.raw(f"/v1/conversations/{world.conversation}/messages", order="asc"))
    page = await resolve(sim_client.conversations.messages.list(world.conversation, limit=2, order="desc"))
    user, reasoning, assistant = everything[-3:]
    assert keys(page.items) == [reasoning, assistant, user]  # the newest row first, its messages in order
    assert keys(in_time_order(page)) == [user, reasoning, assistant]
    agent_page = await resolve(sim_client.agents.messages.list(world.agent, limit=2, order="desc"))
    assert in_time_order(agent_page) == agent_page.items
