"""Conversations against the real server: CRUD, listing, agent-direct mode, the lock, following a
run, and exactly-once sends through a loopback proxy that breaks the send (sync and async)."""

from __future__ import annotations

import asyncio
import re

import pytest
from _request_faults import Breaker, Fault

from letta_client import AsyncLetta, ConversationBusyError, Letta, NotFoundError

SEND = r"^POST /v1/conversations/[^/ ]+/messages"


@pytest.fixture
def breaker(live_url):
    with Breaker(live_url) as proxy:
        yield proxy


def _user_texts(client: Letta, conversation_id: str) -> list:
    return [
        m.content
        for m in client.conversations.messages.list(conversation_id, order="asc")
        if m.message_type == "user_message"
    ]


def _check_turn(events: list, text: str) -> None:
    """The whole turn, each event once and in order."""
    seq_ids = [e.seq_id for e in events if getattr(e, "seq_id", None) is not None]
    assert seq_ids == sorted(set(seq_ids)), seq_ids
    kinds = [e.message_type for e in events]
    assert kinds.count("stop_reason") == 1 and kinds[-1] == "usage_statistics", kinds
    answer = "".join(e.content for e in events if e.message_type == "assistant_message")
    assert answer.startswith(f"Echo: {text}"), answer


CASES = [
    ("a-lost-before-any-byte", Fault("lost"), {}),
    ("b-cut-in-the-first-frame", Fault("cut", after=40), {}),
    ("c-cut-token-stream-mid-way", Fault("cut", after=1500), {"stream_tokens": True}),
]


@pytest.mark.parametrize(("name", "fault", "extra"), CASES, ids=[c[0] for c in CASES])
def test_a_broken_send_happens_once_sync(live_url, agent_id, breaker, name, fault, extra):
    text = f"[chunks=30] exactly once {name}"
    breaker.add(SEND, fault)
    with Letta(base_url=breaker.base_url, timeout=120) as client:
        conversation = client.conversations.create(agent_id=agent_id)
        stream = client.conversations.messages.send(conversation.id, input=text, **extra)
        events = list(stream)
    assert breaker.applied == [fault.kind] and stream.reconnects == 1
    _check_turn(events, "exactly once")
    with Letta(base_url=live_url, timeout=120) as client:
        assert _user_texts(client, conversation.id) == [text]


@pytest.mark.parametrize(("name", "fault", "extra"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.real_sockets
async def test_a_broken_send_happens_once_async(live_url, agent_id, breaker, name, fault, extra):
    text = f"[chunks=30] async once {name}"
    breaker.add(SEND, fault)
    async with AsyncLetta(base_url=breaker.base_url, timeout=120) as client:
        conversation = await client.conversations.create(agent_id=agent_id)
        stream = await client.conversations.messages.send(conversation.id, input=text, **extra)
        events = [event async for event in stream]
    assert breaker.applied == [fault.kind] and stream.reconnects == 1
    _check_turn(events, "async once")
    with Letta(base_url=live_url, timeout=120) as client:
        assert _user_texts(client, conversation.id) == [text]


def test_d_a_non_streaming_send_lost_before_any_byte_happens_once(live_url, agent_id, breaker):
    breaker.add(SEND, Fault("lost"))
    with Letta(base_url=breaker.base_url, timeout=120) as client:
        conversation = client.conversations.create(agent_id=agent_id)
        response = client.conversations.messages.send(conversation.id, input="json once", streaming=False)
    assert breaker.applied == ["lost"]
    assert response.text == "Echo: json once" and response.stop_reason.stop_reason == "end_turn"
    sends = [line for line, _ in breaker.requests if re.search(SEND, line)]
    assert len(sends) == 2 and len({body for line, body in breaker.requests if re.search(SEND, line)}) == 1
    with Letta(base_url=live_url, timeout=120) as client:
        assert _user_texts(client, conversation.id) == ["json once"]


@pytest.mark.real_sockets
async def test_d_async_non_streaming_send_lost_before_any_byte_happens_once(live_url, agent_id, breaker):
    breaker.add(SEND, Fault("lost"))
    async with AsyncLetta(base_url=breaker.base_url, timeout=120) as client:
        conversation = await client.conversations.create(agent_id=agent_id)
        response = await client.conversations.messages.send(conversation.id, input="async json", streaming=False)
    assert response.text == "Echo: async json"
    with Letta(base_url=live_url, timeout=120) as client:
        assert _user_texts(client, conversation.id) == ["async json"]


def test_two_concurrent_sends_one_is_busy_naming_the_first_run(live_url, agent_id):
    with Letta(base_url=live_url, timeout=120) as client:
        conversation = client.conversations.create(agent_id=agent_id)
        first = client.conversations.messages.send(conversation.id, input="[slow=2] first", yield_pings=True)
        assert next(first).message_type == "ping" and first.run_id
        with pytest.raises(ConversationBusyError) as caught:
            client.conversations.messages.send(conversation.id, input="second")
        assert caught.value.run_id == first.run_id and caught.value.conversation_id == conversation.id
        followed = list(
            client.conversations.messages.stream(conversation.id, run_id=caught.value.run_id, yield_pings=False)
        )
        rest = list(first)
        assert [e.message_type for e in followed] == [e.message_type for e in rest if e.message_type != "ping"]
        assert _user_texts(client, conversation.id) == ["[slow=2] first"]


@pytest.mark.real_sockets
async def test_async_busy(live_url, agent_id):
    async with AsyncLetta(base_url=live_url, timeout=120) as client:
        conversation = await client.conversations.create(agent_id=agent_id)
        first = await client.conversations.messages.send(conversation.id, input="[slow=2] a", yield_pings=True)
        assert (await first.__anext__()).message_type == "ping"
        results = await asyncio.gather(
            client.conversations.messages.send(conversation.id, input="b"), return_exceptions=True
        )
        assert isinstance(results[0], ConversationBusyError) and results[0].run_id == first.run_id
        await first.until_done()


def test_crud_fork_list_follow_and_agent_direct(live_url, agent_id):
    with Letta(base_url=live_url, timeout=120) as client:
        made = [client.conversations.create(agent_id=agent_id, summary=f"c{i}") for i in range(3)]
        assert client.conversations.retrieve(made[0].id).summary == "c0"
        assert client.conversations.update(made[0].id, summary="renamed").summary == "renamed"
        page = client.conversations.list(agent_id=agent_id, limit=2)
        assert len(page.items) == 2 and page.has_next_page()
        assert {c.id for each in page.iter_pages() for c in each} == {c.id for c in made}  # a list: one page

        stream = client.conversations.messages.send(made[1].id, input="[chunks=6] follow me", stream_tokens=True)
        events = list(stream)
        after = events[1].seq_id
        followed = list(client.conversations.messages.stream(made[1].id, run_id=stream.run_id, starting_after=after))

        def seq_ids(items, above=0):
            return [s for s in (getattr(e, "seq_id", None) for e in items) if s is not None and s > above]

        assert seq_ids(followed) == seq_ids(events, after) and seq_ids(followed)

        fork = client.conversations.fork(made[1].id)
        assert fork.agent_id == agent_id and fork.id not in {c.id for c in made}
        assert "[chunks=6] follow me" in _user_texts(client, fork.id)

        direct = client.conversations.messages.send("default", agent_id=agent_id, input="direct", streaming=False)
        assert direct.text == "Echo: direct"
        assert "direct" in [
            getattr(m, "content", None) for m in client.conversations.messages.list("default", agent_id=agent_id)
        ]

        client.conversations.delete(made[2].id)
        with pytest.raises(NotFoundError):
            client.conversations.retrieve(made[2].id)


def test_the_agents_endpoint_still_interleaves_without_a_lock(live_url, agent_id):
    with Letta(base_url=live_url, timeout=120) as client:
        first = client.agents.messages.send(agent_id, input="[slow=1] one", streaming=True, yield_pings=True)
        next(first)
        second = client.agents.messages.send(agent_id, input="two", streaming=False)
        assert second.text == "Echo: two"
        first.until_done()
