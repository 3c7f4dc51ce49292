"""The ASGI helpers against the real server: refusals reach nothing (the server's runs and history
show no trace), cross-site and oversized POSTs make no turn, a retried POST is one run, a resume
gives exactly the rest, stop cancels, and a browser that goes away does not."""

from __future__ import annotations

import json
import logging
from typing import Any, AsyncIterator, List

import httpx
import pytest

from letta_client import AsyncLetta
from letta_client.web import Outgoing, _turns
from web._asgi_harness import SECRET, Owners, browser, chat_body, events, mounted, run_input, serving, text_of

pytestmark = pytest.mark.real_sockets  # the relay's client runs again over aiohttp in scripts/test


@pytest.fixture
async def client(live_url: str) -> AsyncIterator[AsyncLetta]:
    async with AsyncLetta(base_url=live_url, api_key=SECRET, timeout=120) as client:
        yield client


@pytest.fixture
def app(client: AsyncLetta, agent_id: str) -> Any:
    return mounted(client, agent_id, Owners())


async def new_chat(app: Any, user: str = "alice") -> str:
    async with browser(app, user) as http:
        answer = await http.post("/api/chats")
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


async def run_ids(client: AsyncLetta, conversation_id: str) -> List[str]:
    return [run.id async for run in client.runs.list(conversation_id=conversation_id)]


async def history(client: AsyncLetta, conversation_id: str) -> List[str]:
    return [m.message_type async for m in client.conversations.messages.list(conversation_id, order="asc")]


async def test_another_users_conversation_is_404_and_the_server_shows_nothing(app: Any, client: AsyncLetta) -> None:
    conversation = await new_chat(app, "alice")
    async with browser(app, "alice") as alice:
        turn = await alice.post("/api/chat", json=chat_body(conversation, "private words"))
    assert turn.status_code == 200 and "private words" in text_of(turn.content)
    last = str([e.id for e in events(turn.content) if e.id][-1])
    runs_before, history_before = await run_ids(client, conversation), await history(client, conversation)

    async with browser(app, "bob") as bob:
        answers = [
            await bob.get(f"/api/chats/{conversation}/messages"),
            await bob.post("/api/chat", json=chat_body(conversation, "hijack", message_id="bob-1")),
            await bob.get(f"/api/chat/{conversation}/stream", headers={"last-event-id": last}),
            await bob.get(f"/api/chat/{conversation}/stream"),
            await bob.post(f"/api/chat/{conversation}/stop"),
            await bob.post("/api/agui", json=run_input(conversation, "hijack")),
        ]
    async with browser(app, "mallory") as mallory:  # may not create: the new conversation is deleted again
        answers.append(await mallory.post("/api/chats"))
    assert [(a.status_code, a.text) for a in answers] == [(404, "not found")] * len(answers)
    assert await run_ids(client, conversation) == runs_before
    assert await history(client, conversation) == history_before
    assert await client.runs.retrieve(runs_before[0]) is not None  # the run is untouched
    assert (await client.runs.retrieve(runs_before[0])).status == "completed"


async def test_a_refused_create_leaves_no_conversation(client: AsyncLetta, agent_id: str) -> None:
    made: List[str] = []

    def record(request: Any, conversation_id: str, action: str) -> bool:
        made.append(conversation_id)
        return False

    async with browser(mounted(client, agent_id, record)) as http:
        answer = await http.post("/api/chats")
    assert (answer.status_code, answer.text) == (404, "not found")
    [conversation] = made
    with pytest.raises(Exception) as gone:
        await client.conversations.retrieve(conversation)
    assert getattr(gone.value, "status_code", None) == 404


async def test_cross_site_oversized_and_malformed_posts_make_no_turn(
    client: AsyncLetta, agent_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app = mounted(client, agent_id, Owners(), max_body_bytes=4_000)
    conversation = await new_chat(app)
    captured: List[bytes] = []
    async with browser(app, "alice", origin="https://evil.example") as evil:
        answer = await evil.post("/api/chat", json=chat_body(conversation, "cross"))
        assert (answer.status_code, answer.text) == (403, "cross-site request refused")
    async with browser(app) as http:
        for path, status in [
            ("/api/chats/conv-1%2F..%2Fx/messages", 400),
            ("/api/chat/%2E%2E/stream", 400),
            (f"/api/chat/{conversation}%2Fcancel/stream", 400),
        ]:
            answer = await http.get(path)
            assert answer.status_code == status, path
            captured.append(answer.content)
        big = await http.post("/api/chat", json=chat_body(conversation, "x" * 5_000))
        broken = await http.post("/api/chat", content=b"{")
        unknown = await http.post("/api/chat", json={**chat_body(conversation, "hi"), "trigger": "nope"})
        captured += [big.content, broken.content, unknown.content]
    assert (big.status_code, broken.status_code, unknown.status_code) == (413, 400, 400)
    assert await run_ids(client, conversation) == []
    assert SECRET.encode() not in b"".join(captured) and SECRET not in caplog.text


async def test_a_long_usechat_body_sends_one_message(app: Any, client: AsyncLetta) -> None:
    conversation = await new_chat(app)
    old = [{"id": f"h{i}", "role": "user", "parts": [{"type": "text", "text": f"old {i}"}]} for i in range(499)]
    async with browser(app) as http:
        answer = await http.post("/api/chat", json=chat_body(conversation, "only me", "m-new", history=old))
    assert answer.status_code == 200 and "only me" in text_of(answer.content)
    users = [
        m
        async for m in client.conversations.messages.list(conversation, order="asc")
        if m.message_type == "user_message"
    ]
    assert len(users) == 1 and "only me" in json.dumps(users[0].to_dict(mode="json"))


async def test_a_retried_post_is_one_run_and_a_resume_gives_exactly_the_rest(app: Any, client: AsyncLetta) -> None:
    conversation = await new_chat(app)
    body = chat_body(conversation, "[chunks=6] [think] tell me a story", message_id="m-1")
    async with browser(app) as http:
        first = await http.post("/api/chat", json=body)
        retried = await http.post("/api/chat", json=body)
        whole = events(first.content)
        assert len(whole) > 6 and all(e.id for e in whole)
        assert events(retried.content) == whole
        for cut in range(len(whole)):
            resumed = await http.get(f"/api/chat/{conversation}/stream", headers={"last-event-id": str(whole[cut].id)})
            assert whole[: cut + 1] + events(resumed.content) == whole, f"cut after event {cut}"
        nothing = await http.get(f"/api/chat/{conversation}/stream")
    assert len(await run_ids(client, conversation)) == 1
    assert nothing.status_code == 204


async def test_stop_cancels_the_run(app: Any, client: AsyncLetta) -> None:
    conversation = await new_chat(app)
    stream = await _turns.send(client, Outgoing(conversation, "slow", [{"role": "user", "content": "wait [slow=30]"}]))
    try:
        async with browser(app) as http:
            assert (await http.post(f"/api/chat/{conversation}/stop")).status_code == 204
    finally:
        await stream.close()
    [run] = await run_ids(client, conversation)
    assert (await client.runs.retrieve(run)).status == "cancelled"


async def test_a_browser_that_goes_away_does_not_cancel(app: Any, client: AsyncLetta) -> None:
    conversation = await new_chat(app)
    async with serving(app) as url, httpx.AsyncClient(base_url=url, headers={"x-user": "alice"}, timeout=120) as http:
        body = chat_body(conversation, "[chunks=8] [gap=0.4] keep going without me")
        seen = b""
        async with http.stream("POST", "/api/chat", json=body) as answer:
            async for chunk in answer.aiter_bytes():
                seen += chunk
                if b"text-delta" in seen:
                    break  # the tab closes mid-turn
        [run] = await run_ids(client, conversation)
        rest = [event async for event in await client.conversations.messages.stream(conversation, run_id=run)]
        stops = [event.stop_reason for event in rest if event.message_type == "stop_reason"]
        assert stops == ["end_turn"]  # followed to its end (no waiting): it ran on after the tab closed
        assert (await client.runs.retrieve(run)).status != "cancelled"
        async with browser(app) as local:
            restored = (await local.get(f"/api/chats/{conversation}/messages")).text
        assert "keep going without me" in restored
