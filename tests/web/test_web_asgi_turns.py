"""The ASGI helpers' turns (issue 23): a retried POST is one turn replayed from its start, a resume
after any event gives exactly what the browser lacks, the resume GET finds the run in progress,
stop cancels it, and a browser that goes away does not."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any, AsyncIterator, Callable, Dict, List, Optional

import httpx
import pytest
from _asgi_harness import (
    SECRET,
    Owners,
    browser,
    chat_body,
    events,
    mounted,
    new_chat,
    run_input,
    runs,
    serving,
    text_of,
)
from starlette.requests import Request

from letta_client import AsyncLetta
from letta_client.testing import Hold, Reply, Simulator, Think, ToolCall
from letta_client.web import Outgoing, _turns
from letta_client.web.asgi import ALLOW_EVERYONE_LOCAL_DEMO_ONLY

STREAM_TYPE = "text/event-stream; charset=utf-8"


def a_long_turn(sim: Simulator) -> None:
    sim.script(
        sim.default_agent_id,
        [
            Think("Let me look that up."),
            ToolCall("lookup", {"q": "x"}, result="found"),
            Reply("Here it is: x marks the spot."),
        ],
    )


class OnRequest(httpx.AsyncBaseTransport):
    """Calls ``then`` when the app's client sends a request that ``when`` picks (once)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, when: Callable[[httpx.Request], bool], then: Callable[[], Any]):
        self.inner = inner
        self.when = when
        self.then = then

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if self.when(request):
            self.then()
        return response


def hooked(sim: Simulator, when: Callable[[httpx.Request], bool], then: Callable[[], Any]) -> AsyncLetta:
    transport = OnRequest(sim.async_transport(), when, then)
    return AsyncLetta(
        base_url="http://letta.simulator", api_key=SECRET, http_client=httpx.AsyncClient(transport=transport)
    )


def follows(request: httpx.Request) -> bool:
    return request.method == "POST" and request.url.path.endswith("/stream")


async def test_a_retried_post_is_one_turn_streamed_again_from_its_start(app: Any, sim: Simulator) -> None:
    conversation = await new_chat(app)
    a_long_turn(sim)
    async with browser(app) as http:
        first = await http.post("/api/chat", json=chat_body(conversation, "where?", message_id="m-7"))
        retried = await http.post("/api/chat", json=chat_body(conversation, "where?", message_id="m-7"))
        other = await http.post("/api/chat", json=chat_body(conversation, "where?", message_id="m-8"))
    assert first.status_code == 200 and first.headers["content-type"] == STREAM_TYPE
    assert first.headers["x-vercel-ai-ui-message-stream"] == "v1" and first.headers["x-accel-buffering"] == "no"
    assert retried.content == first.content
    assert text_of(first.content) == "Here it is: x marks the spot."
    assert len(runs(sim, conversation)) == 2  # the retry made none; the new message id made one
    assert text_of(other.content) == "echo: where?"
    users = [m for m in sim.conversation_history(conversation) if m["message_type"] == "user_message"]
    assert len(users) == 2


async def test_a_double_click_is_one_turn(client: AsyncLetta, sim: Simulator) -> None:
    release = threading.Event()
    writes: List[str] = []

    def authorize(request: Request, conversation_id: str, action: str) -> bool:
        writes.append(action)
        if writes.count("write") == 2:
            release.set()  # both POSTs are in: let the turn go on
        return True

    app = mounted(client, sim.default_agent_id, authorize)
    conversation = await new_chat(app)
    sim.script(sim.default_agent_id, [Reply("one"), Hold(release, timeout=30), Reply("two")])
    async with browser(app) as http:
        body = chat_body(conversation, "hi", message_id="m-dbl")
        a, b = await asyncio.gather(http.post("/api/chat", json=body), http.post("/api/chat", json=body))
    assert a.content == b.content and text_of(a.content) == "onetwo"
    assert len(runs(sim, conversation)) == 1


@pytest.mark.parametrize("shape", ["ui", "letta"])
async def test_a_resume_after_any_event_gives_exactly_the_rest(app: Any, sim: Simulator, shape: str) -> None:
    conversation = await new_chat(app)
    a_long_turn(sim)
    async with browser(app) as http:
        whole = events((await http.post(f"/api/chat?format={shape}", json=chat_body(conversation, "where?"))).content)
        assert len(whole) > 5 and all(e.id for e in whole)
        assert len({e.id for e in whole}) == len(whole)
        for cut in range(len(whole)):
            resumed = await http.get(
                f"/api/chat/{conversation}/stream?format={shape}", headers={"last-event-id": str(whole[cut].id)}
            )
            assert resumed.status_code == 200
            assert whole[: cut + 1] + events(resumed.content) == whole, f"cut after event {cut}"


async def test_the_resume_get_replays_the_run_in_progress_from_its_start(client: AsyncLetta, sim: Simulator) -> None:
    release = threading.Event()
    owners = Owners()
    app = mounted(hooked(sim, follows, release.set), sim.default_agent_id, owners)  # released once it follows
    conversation = await new_chat(app)
    sim.script(sim.default_agent_id, [Reply("part one."), Hold(release, timeout=30), Reply(" part two.")])
    stream = await _turns.send(client, Outgoing(conversation, "msg-1", [{"role": "user", "content": "go"}]))
    async with browser(app) as http:
        held = (await http.get(f"/api/chats/{conversation}/messages")).json()
        resumed = await http.get(f"/api/chat/{conversation}/stream")
        after = (await http.get(f"/api/chats/{conversation}/messages")).json()
        none = await http.get(f"/api/chat/{conversation}/stream")
    await stream.close()
    assert resumed.status_code == 200 and text_of(resumed.content) == "part one. part two."
    assert "part one." not in json.dumps(held) and "go" in json.dumps(held)  # shown once: by the replay
    assert "part one." in json.dumps(after)
    assert (none.status_code, none.content) == (204, b"")


async def test_a_resume_names_only_runs_of_its_own_conversation(app: Any, sim: Simulator) -> None:
    mine, other = await new_chat(app), await new_chat(app)
    async with browser(app) as http:
        turn = await http.post("/api/chat", json=chat_body(other, "elsewhere"))
        last = str([e.id for e in events(turn.content)][-1])
        seen = len(sim.requests)
        answer = await http.get(f"/api/chat/{mine}/stream", headers={"last-event-id": last})
    assert (answer.status_code, answer.text) == (404, "not found")
    assert [r.path for r in sim.requests[seen:]] == [f"/v1/runs/{last.split(':')[0]}"]  # looked up, never streamed


async def test_stop_cancels_the_run(app: Any, client: AsyncLetta, sim: Simulator) -> None:
    conversation = await new_chat(app)
    release = threading.Event()
    sim.script(sim.default_agent_id, [Reply("one"), Hold(release, timeout=30), Reply("two")])
    stream = await _turns.send(client, Outgoing(conversation, "m", [{"role": "user", "content": "go"}]))
    async with browser(app) as http:
        stopped = await http.post(f"/api/chat/{conversation}/stop")
        again = await http.post(f"/api/chat/{conversation}/stop")  # nothing left to stop: still fine
    assert (stopped.status_code, again.status_code) == (204, 204)
    [run] = runs(sim, conversation)
    assert run.status == "cancelled"
    rest = [e async for e in stream]
    assert "two" not in str(rest)
    assert [r.path for r in sim.requests if r.path.endswith("/cancel")] == [
        f"/v1/conversations/{conversation}/cancel"
    ] * 2


async def test_a_busy_conversation_is_409_in_one_line(app: Any, client: AsyncLetta, sim: Simulator) -> None:
    conversation = await new_chat(app)
    release = threading.Event()
    sim.script(sim.default_agent_id, [Hold(release, timeout=30), Reply("one")])
    stream = await _turns.send(client, Outgoing(conversation, "m", [{"role": "user", "content": "go"}]))
    async with browser(app) as http:
        busy = await http.post("/api/chat", json=chat_body(conversation, "me too", message_id="other"))
    release.set()
    await stream.close()
    assert busy.status_code == 409
    assert busy.text == "Another turn is running in this conversation; wait for it to end or stop it."


async def test_agui_runs_a_turn(app: Any, sim: Simulator) -> None:
    conversation = await new_chat(app)
    async with browser(app) as http:
        answer = await http.post("/api/agui", json=run_input(conversation, "hello agui"))
        retried = await http.post("/api/agui", json=run_input(conversation, "hello agui"))
    assert answer.status_code == 200 and answer.headers["content-type"] == STREAM_TYPE
    assert "x-vercel-ai-ui-message-stream" not in answer.headers
    assert retried.content == answer.content and all(e.id for e in events(answer.content))
    assert len(runs(sim, conversation)) == 1


async def test_history_in_each_format(app: Any) -> None:
    conversation = await new_chat(app)
    async with browser(app) as http:
        await http.post("/api/chat", json=chat_body(conversation, "remember me"))
        shapes = {
            shape: await http.get(f"/api/chats/{conversation}/messages?format={shape}")
            for shape in ("ui", "agui", "letta")
        }
    for shape, answer in shapes.items():
        assert answer.status_code == 200 and isinstance(answer.json(), list), shape
        assert "remember me" in answer.text, shape
    kinds = {m["message_type"] for m in shapes["letta"].json()}
    assert kinds >= {"user_message", "assistant_message"} and "system_message" not in kinds  # no instructions


# -- a browser that goes away (a real server: the disconnect must reach the app) ----------------------


class _Watched(httpx.AsyncByteStream):
    def __init__(self, inner: Any, closed: asyncio.Event) -> None:
        self.inner = inner
        self.closed = closed

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.inner:
            yield chunk

    async def aclose(self) -> None:
        self.closed.set()
        await self.inner.aclose()


class WatchSends(httpx.AsyncBaseTransport):
    """Real sockets to the Letta server; ``closed`` is set when the relay closes a send's stream."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.closed = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method == "POST" and request.url.path.endswith("/messages"):
            response.stream = _Watched(response.stream, self.closed)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_a_browser_that_goes_away_closes_the_letta_stream_and_never_cancels(sim: Simulator) -> None:
    release = threading.Event()
    sim.script(sim.default_agent_id, [Reply("first"), Hold(release, timeout=30), Reply("second")])
    watch = WatchSends()
    with sim.serve() as letta_url:
        async with AsyncLetta(
            base_url=letta_url, api_key=SECRET, http_client=httpx.AsyncClient(transport=watch)
        ) as client:
            app = mounted(client, sim.default_agent_id, Owners())
            async with serving(app) as url, httpx.AsyncClient(base_url=url, headers={"x-user": "alice"}) as http:
                conversation = (await http.post("/api/chats")).json()["id"]
                seen = b""
                async with http.stream("POST", "/api/chat", json=chat_body(conversation, "hi")) as answer:
                    async for chunk in answer.aiter_bytes():
                        seen += chunk
                        if b"first" in seen:
                            break  # the tab closes mid-turn
                await asyncio.wait_for(watch.closed.wait(), 30)
                assert not [r for r in sim.requests if r.path.endswith("/cancel")]
                release.set()
                [run] = runs(sim, conversation)
                rest = [e async for e in await client.conversations.messages.stream(conversation, run_id=run.id)]
                assert "second" in str(rest)
                assert sim.run(run.id)["status"] == "completed"
                resumed = await http.get(f"/api/chat/{conversation}/stream", headers={"last-event-id": _last_id(seen)})
                assert "second" in text_of(resumed.content) and "first" not in text_of(resumed.content)


def _last_id(body: bytes) -> str:
    ids: List[Optional[str]] = [e.id for e in events(body.rsplit(b"\n\n", 1)[0] + b"\n\n") if e.id]
    return str(ids[-1])


async def test_a_disconnect_is_noticed_while_waiting_for_the_next_event(sim: Simulator) -> None:
    """A server on ASGI spec 2.4 (hypercorn, granian) tells a disconnect only through ``receive``:
    the relay must not wait for the next event (here: never, while the turn is held) to notice."""
    release = threading.Event()
    sim.script(sim.default_agent_id, [Reply("first"), Hold(release, timeout=30), Reply("second")])
    watch = WatchSends()
    with sim.serve() as letta_url:
        async with AsyncLetta(
            base_url=letta_url, api_key=SECRET, http_client=httpx.AsyncClient(transport=watch)
        ) as client:
            app = mounted(client, sim.default_agent_id, ALLOW_EVERYONE_LOCAL_DEMO_ONLY)
            conversation = sim.create_conversation(sim.default_agent_id)
            body = json.dumps(chat_body(conversation, "hi")).encode()
            gone = asyncio.Event()
            requested = False
            sent: List[bytes] = []

            async def receive() -> Dict[str, Any]:
                nonlocal requested
                if not requested:
                    requested = True
                    return {"type": "http.request", "body": body, "more_body": False}
                await gone.wait()
                return {"type": "http.disconnect"}

            async def send(message: Dict[str, Any]) -> None:
                sent.append(message.get("body", b""))
                if b"first" in b"".join(sent):
                    gone.set()  # the tab closes once it showed the first words

            scope = {
                "type": "http",
                "asgi": {"version": "3.0", "spec_version": "2.4"},
                "http_version": "1.1",
                "method": "POST",
                "scheme": "http",
                "path": "/api/chat",
                "raw_path": b"/api/chat",
                "root_path": "",
                "query_string": b"",
                "headers": [(b"host", b"testserver"), (b"content-type", b"application/json")],
                "server": ("testserver", 80),
                "client": ("127.0.0.1", 1234),
            }
            await asyncio.wait_for(app(scope, receive, send), 30)  # returns while the turn is still held
            assert watch.closed.is_set()
            assert not [r for r in sim.requests if r.path.endswith("/cancel")]
            release.set()
            [run] = runs(sim, conversation)
            rest = [e async for e in await client.conversations.messages.stream(conversation, run_id=run.id)]
            assert "second" in str(rest) and sim.run(run.id)["status"] == "completed"
