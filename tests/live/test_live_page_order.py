"""Pages against the real server: ``items`` exactly as Letta 0.16.8 sends them, and walks that
deliver every item once.

The server pages differently per endpoint (``letta_client/_page_walk.py``): an agent's ``desc``
page holds the newest rows oldest first, a conversation's and a run's hold them newest first,
``before`` / ``after`` on messages mean older / newer whatever the order, and ``GET /v1/runs/``
swaps its cursors. Each page is compared with the raw JSON of the same request (plain httpx);
each walk with the full listing. One agent with three turns (one of them a reasoning and an
answer sharing one stored row) and a conversation of three turns, and another agent of seven
messages, serve every test; the tests run with ``Letta`` and ``AsyncLetta``.
"""

from __future__ import annotations

import uuid
from typing import Any, Callable, Dict, Iterator, List, Tuple, Union

import httpx
import pytest

from _both import collect, resolve
from letta_client import AsyncLetta, Letta

MODEL = {"model": "openai-proxy/fake-gpt", "embedding": "openai/text-embedding-3-small"}
AnyClient = Union[Letta, AsyncLetta]
Key = Tuple[str, str]


class World:
    def __init__(self, live_url: str) -> None:
        self.http = httpx.Client(base_url=live_url, timeout=120, trust_env=False)
        client = Letta(base_url=live_url, timeout=120)
        self.tag = f"live-pages-{uuid.uuid4().hex[:8]}"
        memory = [{"label": "human", "value": "A page walk."}]
        self.agents = [
            client.agents.create(name=f"{self.tag}-{n}", tags=[self.tag], memory_blocks=memory, **MODEL).id
            for n in range(3)
        ]
        self.agent = self.agents[0]
        for text in ("one", "[think] two", "three"):
            client.agents.messages.create(self.agent, input=f"page {text}")
        self.conversation = client.conversations.create(agent_id=self.agent).id
        for text in ("one", "two", "three"):
            client.conversations.messages.create(self.conversation, input=f"conversation {text}", streaming=False)
        self.run = self.raw("/v1/runs/", agent_id=self.agent, order="asc")[1]["id"]
        self.seven = self.agents[1]  # the system message and three turns of two
        for text in ("one", "two", "three"):
            client.agents.messages.create(self.seven, input=f"seven {text}")
        client.close()

    def raw(self, path: str, **query: Any) -> List[Dict[str, Any]]:
        response = self.http.get(path, params=query)
        assert response.status_code == 200, response.text
        return response.json()

    def close(self) -> None:
        for agent in self.agents:
            self.http.delete(f"/v1/agents/{agent}")
        self.http.close()


@pytest.fixture(scope="module")
def world(live_url: str) -> Iterator[World]:
    made = World(live_url)
    yield made
    made.close()


@pytest.fixture(params=["sync", "async"])
async def any_live(request: pytest.FixtureRequest, live_url: str) -> Any:
    if request.param == "sync":
        with Letta(base_url=live_url, timeout=120) as client:
            yield client
    else:
        async with AsyncLetta(base_url=live_url, timeout=120) as client:
            yield client


def listings(world: World) -> Dict[str, Tuple[Callable[[AnyClient, int], Any], str, Dict[str, Any]]]:
    """name → (the SDK call for a ``limit``, the path it requests, its query without ``limit``)."""
    agent, conversation, run, tag = world.agent, world.conversation, world.run, world.tag
    history, thread, run_path = (
        f"/v1/agents/{agent}/messages",
        f"/v1/conversations/{conversation}/messages",
        f"/v1/runs/{run}/messages",
    )
    return {
        "agent messages": (lambda c, n: c.agents.messages.list(agent, limit=n), history, {}),
        "agent messages desc": (
            lambda c, n: c.agents.messages.list(agent, limit=n, order="desc"),
            history,
            {"order": "desc"},
        ),
        "agent messages asc": (
            lambda c, n: c.agents.messages.list(agent, limit=n, order="asc"),
            history,
            {"order": "asc"},
        ),
        "conversation messages": (lambda c, n: c.conversations.messages.list(conversation, limit=n), thread, {}),
        "conversation messages asc": (
            lambda c, n: c.conversations.messages.list(conversation, limit=n, order="asc"),
            thread,
            {"order": "asc"},
        ),
        "run messages desc": (
            lambda c, n: c.runs.messages.list(run, limit=n, order="desc"),
            run_path,
            {"order": "desc"},
        ),
        "run messages asc": (lambda c, n: c.runs.messages.list(run, limit=n), run_path, {}),
        "runs": (lambda c, n: c.runs.list(agent_id=agent, limit=n), "/v1/runs/", {"agent_id": agent}),
        "runs asc": (
            lambda c, n: c.runs.list(agent_id=agent, limit=n, order="asc"),
            "/v1/runs/",
            {"agent_id": agent, "order": "asc"},
        ),
        "agents": (lambda c, n: c.agents.list(tags=[tag], limit=n), "/v1/agents/", {"tags": tag}),
        "agents asc": (
            lambda c, n: c.agents.list(tags=[tag], limit=n, order="asc"),
            "/v1/agents/",
            {"tags": tag, "order": "asc"},
        ),
    }


NAMES = [
    "agent messages",
    "agent messages desc",
    "agent messages asc",
    "conversation messages",
    "conversation messages asc",
    "run messages desc",
    "run messages asc",
    "runs",
    "runs asc",
    "agents",
    "agents asc",
]


def keys(items: Any) -> List[Key]:
    return [(item.id, getattr(item, "message_type", "")) for item in items]


def raw_keys(items: List[Dict[str, Any]]) -> List[Key]:
    return [(item["id"], item.get("message_type", "")) for item in items]


@pytest.mark.parametrize("name", NAMES)
async def test_a_page_is_what_the_server_sent(world: World, any_live: AnyClient, name: str) -> None:
    call, path, query = listings(world)[name]
    page = await resolve(call(any_live, 2))
    assert keys(page.items) == raw_keys(world.raw(path, limit=2, **query))


async def test_the_newest_three_of_seven_come_oldest_first(world: World, any_live: AnyClient) -> None:
    """The issue's case, on an agent of seven rows: ``items[-1]`` is the latest message."""
    path = f"/v1/agents/{world.seven}/messages"
    rows = world.raw(path, order="asc")
    assert len(rows) == 7
    for extra in ({}, {"order": "desc"}):
        page = await resolve(any_live.agents.messages.list(world.seven, limit=3, **extra))
        assert keys(page.items) == raw_keys(rows)[-3:]
        assert page.items[-1].message_type == "assistant_message" and "three" in str(page.items[-1].content)


@pytest.mark.parametrize("limit", [1, 2])
@pytest.mark.parametrize("name", NAMES)
async def test_a_walk_delivers_every_item_once(world: World, any_live: AnyClient, name: str, limit: int) -> None:
    call, path, query = listings(world)[name]
    walked = keys(await collect(call(any_live, limit)))
    assert len(set(walked)) == len(walked), walked
    assert sorted(walked) == sorted(raw_keys(world.raw(path, limit=100, **query)))
    pages = await collect((await resolve(call(any_live, limit))).iter_pages())
    assert walked == [key for page in pages for key in keys(page.items)]


def test_the_official_cursor_repeats_on_these_listings(world: World) -> None:
    """Why the next cursor is not always ``after=`` the last item (the official SDK's): on a
    conversation's ``desc`` listing and on the runs it brings back what was already listed."""
    thread = f"/v1/conversations/{world.conversation}/messages"
    first = world.raw(thread, limit=2)
    again = world.raw(thread, limit=2, after=first[-1]["id"])
    assert {m["id"] for m in again} & {m["id"] for m in first}
    runs = world.raw("/v1/runs/", agent_id=world.agent, limit=2)
    assert {r["id"] for r in world.raw("/v1/runs/", agent_id=world.agent, limit=2, after=runs[-1]["id"])} & {
        r["id"] for r in runs
    }
