"""The ASGI helpers' safety (issue 27): authorization nobody can forget, the same 404 for every
refusal with nothing sent to Letta, cross-site POSTs refused, bad input answered in one line, and
no secret in any byte or log line."""

from __future__ import annotations

import json
import logging
from typing import Any, AsyncIterator, Dict, List

import httpx
import pytest
from _asgi_harness import SECRET, Owners, browser, chat_body, events, mounted, new_chat, run_input, runs, text_of
from starlette.exceptions import HTTPException
from starlette.requests import Request

from letta_client import AsyncLetta
from letta_client.testing import Error, Reply, Simulator
from letta_client.web.asgi import ALLOW_EVERYONE_LOCAL_DEMO_ONLY, chat_app

# -- authorization is required ------------------------------------------------------------------


def test_authorize_cannot_be_left_out(client: AsyncLetta, sim: Simulator) -> None:
    with pytest.raises(TypeError, match="authorize"):
        chat_app(client, agent_id=sim.default_agent_id)  # type: ignore[call-arg]
    for wrong in (None, "yes", True):
        with pytest.raises(TypeError) as refused:
            chat_app(client, agent_id=sim.default_agent_id, authorize=wrong)  # type: ignore[arg-type]
        assert "authorize=" in str(refused.value) and "ALLOW_EVERYONE_LOCAL_DEMO_ONLY" in str(refused.value)
    with pytest.raises(TypeError, match="positional"):  # keyword-only: it is named where it is passed
        chat_app(client, sim.default_agent_id, ALLOW_EVERYONE_LOCAL_DEMO_ONLY)  # type: ignore[misc]


def test_the_opt_out_warns_when_the_app_is_made(
    client: AsyncLetta, sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="letta_client.web"):
        chat_app(client, agent_id=sim.default_agent_id, authorize=ALLOW_EVERYONE_LOCAL_DEMO_ONLY)
    assert "ALLOW_EVERYONE_LOCAL_DEMO_ONLY" in caplog.text and "127.0.0.1" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="letta_client.web"):
        chat_app(client, agent_id=sim.default_agent_id, authorize=Owners())
    assert caplog.text == ""


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"agent_id": "agent-1/../x"}, "agent_id"),
        ({"allowed_origins": "https://app.example"}, "list of origins"),
        ({"allowed_origins": ["https://app.example/path"]}, "not an origin"),
        ({"max_body_bytes": 0}, "max_body_bytes"),
    ],
)
def test_wrong_settings_are_refused_when_the_app_is_made(
    client: AsyncLetta, sim: Simulator, options: Dict[str, Any], problem: str
) -> None:
    settings: Dict[str, Any] = {"agent_id": sim.default_agent_id, "authorize": Owners(), **options}
    with pytest.raises((TypeError, ValueError), match=problem):
        chat_app(client, **settings)


# -- refusals: 404, the same for every action, and nothing sent to Letta --------------------------


async def test_another_users_conversation_is_404_for_every_action_and_letta_hears_nothing(
    app: Any, sim: Simulator
) -> None:
    conversation = await new_chat(app, "alice")
    async with browser(app, "alice") as alice:
        turn = await alice.post("/api/chat", json=chat_body(conversation, "my secret plans"))
    assert turn.status_code == 200 and "echo: my secret plans" in text_of(turn.content)
    last_id = [e.id for e in events(turn.content) if e.id][-1]
    seen = len(sim.requests)

    async with browser(app, "bob") as bob:
        answers = [
            await bob.get(f"/api/chats/{conversation}/messages"),
            await bob.get(f"/api/chats/{conversation}/messages?format=letta"),
            await bob.post("/api/chat", json=chat_body(conversation, "hijack", message_id="msg-bob")),
            await bob.post("/api/chat?format=letta", json=chat_body(conversation, "hijack")),
            await bob.get(f"/api/chat/{conversation}/stream"),
            await bob.get(f"/api/chat/{conversation}/stream", headers={"last-event-id": last_id}),
            await bob.post(f"/api/chat/{conversation}/stop"),
            await bob.post("/api/agui", json=run_input(conversation, "hijack")),
        ]
    async with browser(app, None) as stranger:
        answers.append(await stranger.get(f"/api/chats/{conversation}/messages"))
    assert [(a.status_code, a.text) for a in answers] == [(404, "not found")] * len(answers)
    assert sim.requests[seen:] == []  # no read, no send, no cancel, no run lookup
    assert len(runs(sim, conversation)) == 1


async def test_a_refused_create_deletes_the_conversation_and_answers_the_same_404(
    app: Any, sim: Simulator, owners: Owners
) -> None:
    async with browser(app, "mallory") as mallory:
        answer = await mallory.post("/api/chats")
    assert (answer.status_code, answer.text) == (404, "not found")
    [(refused_id, action)] = owners.calls
    assert action == "create" and refused_id.startswith("conv-")
    assert refused_id not in sim.conversations.conversations
    assert [r.method for r in sim.requests] == ["POST", "DELETE"]


async def test_create_tells_the_app_the_new_id_so_it_can_record_the_owner(app: Any, owners: Owners) -> None:
    conversation = await new_chat(app, "alice")
    assert owners.calls == [(conversation, "create")]
    assert owners.owner == {conversation: "alice"}
    async with browser(app, "alice") as alice:
        assert (await alice.get(f"/api/chats/{conversation}/messages")).status_code == 200
    assert owners.calls[-1] == (conversation, "read")


class Verdicts:
    """An async authorize that answers what the test says, for every action it is asked."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.actions: List[str] = []

    async def __call__(self, request: Request, conversation_id: str, action: str) -> Any:
        self.actions.append(action)
        if isinstance(self.answer, BaseException):
            raise self.answer
        return self.answer


@pytest.mark.parametrize(
    ("answer", "status", "text"),
    [
        (False, 404, "not found"),
        (None, 404, "not found"),  # a callback that forgot to return refuses
        (1, 404, "not found"),  # only True lets a request through
        (PermissionError("not yours"), 404, "not found"),
        (HTTPException(401, "log in first"), 401, "log in first"),  # the app's own answer
        (RuntimeError(f"bug with {SECRET}"), 500, "The relay failed."),
    ],
)
async def test_what_authorize_answers(
    client: AsyncLetta, sim: Simulator, answer: Any, status: int, text: str, caplog: pytest.LogCaptureFixture
) -> None:
    conversation = sim.create_conversation(sim.default_agent_id)
    verdicts = Verdicts(answer)
    app = mounted(client, sim.default_agent_id, verdicts)
    async with browser(app) as http:
        answers = [
            await http.get(f"/api/chats/{conversation}/messages"),
            await http.post("/api/chat", json=chat_body(conversation, "hi")),
            await http.get(f"/api/chat/{conversation}/stream"),
            await http.post(f"/api/chat/{conversation}/stop"),
            await http.post("/api/agui", json=run_input(conversation, "hi")),
        ]
        created = await http.post("/api/chats")
    assert [(a.status_code, a.text) for a in [*answers, created]] == [(status, text)] * 6
    assert verdicts.actions == ["read", "write", "resume", "stop", "write", "create"]
    assert [r.method for r in sim.requests] == ["POST", "DELETE"]  # only the create, then its deletion
    assert not [c for c in sim.conversations.conversations if c != conversation]


async def test_the_opt_out_lets_everyone_through(client: AsyncLetta, sim: Simulator) -> None:
    app = mounted(client, sim.default_agent_id, ALLOW_EVERYONE_LOCAL_DEMO_ONLY)
    conversation = await new_chat(app, "anyone")
    async with browser(app, None) as http:
        turn = await http.post("/api/chat", json=chat_body(conversation, "hello"))
    assert turn.status_code == 200 and text_of(turn.content) == "echo: hello"


# -- cross-site requests ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example"},
        {"origin": "null"},
        {"origin": "http://testserver.evil.example"},
        {"origin": "https://testserver"},  # another scheme is another origin
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
    ],
)
async def test_a_cross_site_post_is_403_and_makes_no_turn(app: Any, sim: Simulator, headers: Dict[str, str]) -> None:
    conversation = await new_chat(app)
    seen = len(sim.requests)
    async with browser(app, "alice", **headers) as http:
        answers = [
            await http.post("/api/chat", json=chat_body(conversation, "hi")),
            await http.post("/api/chats"),
            await http.post(f"/api/chat/{conversation}/stop"),
            await http.post("/api/agui", json=run_input(conversation, "hi")),
        ]
    assert [(a.status_code, a.text) for a in answers] == [(403, "cross-site request refused")] * 4
    assert sim.requests[seen:] == []
    assert runs(sim, conversation) == []


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://testserver"},
        {"origin": "HTTP://TestServer:80"},
        {"sec-fetch-site": "same-origin"},
        {},  # neither header: not a browser, no cross-site risk
    ],
)
async def test_a_same_site_post_goes_through(app: Any, headers: Dict[str, str]) -> None:
    conversation = await new_chat(app)
    async with browser(app, "alice", **headers) as http:
        answer = await http.post("/api/chat", json=chat_body(conversation, "hi"))
    assert answer.status_code == 200 and text_of(answer.content) == "echo: hi"


async def test_allowed_origins_replace_the_own_origin(client: AsyncLetta, sim: Simulator) -> None:
    owners = Owners()
    app = mounted(client, sim.default_agent_id, owners, allowed_origins=["https://app.example:8443"])
    conversation = await new_chat(app)
    async with browser(app, "alice", origin="https://app.example:8443") as http:
        assert (await http.post("/api/chat", json=chat_body(conversation, "hi"))).status_code == 200
    async with browser(app, "alice", origin="http://testserver") as http:
        assert (await http.post("/api/chat", json=chat_body(conversation, "hi", "m2"))).status_code == 403


async def test_reads_are_not_origin_checked(app: Any) -> None:
    conversation = await new_chat(app)
    async with browser(app, "alice", origin="https://elsewhere.example") as http:
        assert (await http.get(f"/api/chats/{conversation}/messages")).status_code == 200


# -- bad input ----------------------------------------------------------------------------------------


async def test_an_oversized_body_is_413_and_never_read_to_its_end(client: AsyncLetta, sim: Simulator) -> None:
    app = mounted(client, sim.default_agent_id, Owners(), max_body_bytes=2_000)
    conversation = await new_chat(app)
    seen = len(sim.requests)
    big = chat_body(conversation, "x" * 5_000)
    pulled: List[int] = []

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the cap is counted as it arrives
        for i in range(1_000):
            pulled.append(i)
            yield b"[" * 1_000

    async with browser(app) as http:
        declared = await http.post("/api/chat", json=big)
        streamed = await http.post("/api/chat", content=chunks())
        agui = await http.post("/api/agui", content=json.dumps(run_input(conversation, "y" * 5_000)))
    assert [(a.status_code, a.text) for a in (declared, streamed, agui)] == [
        (413, "the request body is larger than 2000 bytes")
    ] * 3
    assert len(pulled) < 10
    assert sim.requests[seen:] == []


async def test_a_500_message_usechat_body_sends_one_message(app: Any, sim: Simulator) -> None:
    conversation = await new_chat(app)
    history = [
        {"id": f"h{i}", "role": "user" if i % 2 == 0 else "assistant", "parts": [{"type": "text", "text": f"old {i}"}]}
        for i in range(499)
    ]
    body = chat_body(conversation, "the new one", message_id="m-new", history=history)
    async with browser(app) as http:
        answer = await http.post("/api/chat", json=body)
    assert answer.status_code == 200 and text_of(answer.content) == "echo: the new one"
    [send] = [r for r in sim.requests if r.path == f"/v1/conversations/{conversation}/messages"]
    sent = json.loads(send.body)["messages"]
    assert len(sent) == 1 and sent[0]["content"] in ("the new one", [{"type": "text", "text": "the new one"}])
    assert [m["content"] for m in sim.conversation_history(conversation) if m["message_type"] == "user_message"] == [
        sent[0]["content"]
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/api/chats/conv-1%2F..%2Fx/messages",
        "/api/chats/%2E%2E/messages",
        "/api/chats/..%2Fv1%2Fagents/messages",
        "/api/chat/conv-a%2Fb/stream",
        "/api/chat/%2E%2E%2Fconv-x/stream",
        "/api/chat/not-an-id/stream",
    ],
)
async def test_ids_with_slashes_or_dots_are_400_before_any_url(app: Any, sim: Simulator, path: str) -> None:
    async with browser(app) as http:
        answer = await http.get(path)
    assert answer.status_code == 400 and answer.text == "expected a conversation id (conv-…)"
    assert sim.requests == []


@pytest.mark.parametrize("conversation_id", ["conv-x/../../v1/agents", "..", "conv-%2F", 7, None])
async def test_a_bad_id_in_a_body_is_400(app: Any, sim: Simulator, conversation_id: Any) -> None:
    async with browser(app) as http:
        chat = await http.post("/api/chat", json={**chat_body("conv-x", "hi"), "id": conversation_id})
        agui = await http.post("/api/agui", json={**run_input("conv-x", "hi"), "threadId": conversation_id})
    assert (chat.status_code, agui.status_code) == (400, 400)
    assert "\n" not in chat.text and "\n" not in agui.text
    assert sim.requests == []


async def test_dot_segments_in_the_raw_path_are_400(app: Any, sim: Simulator) -> None:
    """What a client that does not normalise the path sends (httpx and browsers do)."""
    sent: List[Dict[str, Any]] = []
    for raw in (b"/api/chat/../stream", b"/api/chats/../messages", b"/api/chat/conv-1/../../stop"):
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.4"},
            "http_version": "1.1",
            "method": "POST" if raw.endswith(b"stop") else "GET",
            "scheme": "http",
            "path": raw.decode(),
            "raw_path": raw,
            "root_path": "",
            "query_string": b"",
            "headers": [(b"host", b"testserver"), (b"x-user", b"alice")],
            "server": ("testserver", 80),
            "client": ("127.0.0.1", 1234),
        }

        async def receive() -> Dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Dict[str, Any]) -> None:
            sent.append(message)

        await app(scope, receive, send)
    statuses = [m["status"] for m in sent if m["type"] == "http.response.start"]
    assert statuses == [400, 400, 400]
    assert sim.requests == []


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "the request body is not JSON"),
        (b"\xff\xfe", "the request body is not JSON"),
        (b"[" * 100_000, "the request body is not JSON"),  # too deep for the parser: still one line
        (b"", "the request body is not JSON"),
    ],
)
async def test_malformed_json_is_400_in_one_line(app: Any, sim: Simulator, content: bytes, reason: str) -> None:
    async with browser(app) as http:
        for path in ("/api/chat", "/api/agui"):
            answer = await http.post(path, content=content)
            assert (answer.status_code, answer.text) == (400, reason)
    assert sim.requests == []


async def test_a_missing_id_or_an_unknown_trigger_is_400_and_makes_no_turn(app: Any, sim: Simulator) -> None:
    conversation = await new_chat(app)
    seen = len(sim.requests)
    body = chat_body(conversation, "hi")
    async with browser(app) as http:
        answers = [
            await http.post("/api/chat", json={k: v for k, v in body.items() if k != "id"}),
            await http.post("/api/chat", json={**body, "trigger": "launch-missiles"}),
            await http.post("/api/chat", json=[body]),
            await http.post(
                "/api/agui", json={k: v for k, v in run_input(conversation, "hi").items() if k != "threadId"}
            ),
        ]
    for answer in answers:
        assert answer.status_code == 400 and answer.text and "\n" not in answer.text
        assert "Traceback" not in answer.text and "<html" not in answer.text.lower()
    assert sim.requests[seen:] == []


async def test_unknown_formats_and_last_event_ids_are_400(app: Any, sim: Simulator) -> None:
    conversation = await new_chat(app)
    seen = len(sim.requests)
    async with browser(app) as http:
        answers = [
            await http.post("/api/chat?format=xml", json=chat_body(conversation, "hi")),
            await http.get(f"/api/chat/{conversation}/stream?format=agui"),
            await http.get(f"/api/chats/{conversation}/messages?format=html"),
            await http.get(f"/api/chat/{conversation}/stream", headers={"last-event-id": "../run-1:2"}),
        ]
    assert [a.status_code for a in answers] == [400] * 4
    assert sim.requests[seen:] == []


# -- secrets ---------------------------------------------------------------------------------------------


async def test_no_byte_and_no_log_line_holds_the_key(
    sim: Simulator, client: AsyncLetta, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, every level: the SDK's debug log too
    monkeypatch.setenv("LETTA_LOG", "debug")
    leak = f"Traceback (most recent call last):\n  File secret.py\nKeyError: {SECRET}"
    owners = Owners()
    app = mounted(client, sim.default_agent_id, owners)
    captured: List[bytes] = []
    conversation = await new_chat(app)
    sim.script(sim.default_agent_id, [Reply("partial"), Error("llm_error", message=leak, detail=leak)])
    async with browser(app) as http:
        for answer in [
            await http.post("/api/chat", json=chat_body(conversation, "one", "m1")),
            await http.post("/api/chat", json=chat_body(conversation, "one", "m1")),  # the retry
            await http.post("/api/chat?format=letta", json=chat_body(conversation, "two", "m2")),
            await http.post("/api/agui", json=run_input(conversation, "three")),
            await http.get(f"/api/chats/{conversation}/messages"),
            await http.get(f"/api/chat/{conversation}/stream"),
            await http.post(f"/api/chat/{conversation}/stop"),
            await http.post("/api/chat", content=b"{"),
            await http.get("/api/chat/conv-x%2F/stream"),
        ]:
            captured.append(str(answer.headers).encode() + answer.content)
    # the Letta server refusing the relay's key, failing, and going away
    monkeypatch.delenv("LETTA_API_KEY", raising=False)
    for base_url, key, transport in [
        ("http://letta.simulator", SECRET, Simulator(api_key="another-key").async_transport()),
        (f"http://user:{SECRET}@letta.simulator", None, Failing(500, leak)),  # the key in the URL
        (f"http://user:{SECRET}@letta.simulator", None, Failing(None, leak)),
    ]:
        async with AsyncLetta(
            base_url=base_url, api_key=key, max_retries=0, http_client=httpx.AsyncClient(transport=transport)
        ) as broken:
            broken._transport.sleep = no_wait  # type: ignore[attr-defined]  # the send's recovery backs off
            other = mounted(broken, sim.default_agent_id, owners)
            async with browser(other) as http:
                for answer in [
                    await http.post("/api/chat", json=chat_body(conversation, "four", "m4")),
                    await http.get(f"/api/chats/{conversation}/messages"),
                    await http.get(f"/api/chat/{conversation}/stream"),
                    await http.post(f"/api/chat/{conversation}/stop"),
                    await http.post("/api/chats"),
                ]:
                    captured.append(str(answer.headers).encode() + answer.content)
                    assert answer.status_code in (200, 204, 404, 500, 502), answer.text
                    assert "\n" not in answer.text
    everything = b"\n".join(captured)
    assert b"partial" in everything and b"The agent's turn failed (llm_error)." in everything
    assert b"The agent server failed to answer." in everything and b"could not be reached" in everything
    assert SECRET.encode() not in everything and b"Traceback" not in everything and b"secret.py" not in everything
    logged = caplog.text + "\n".join(str(r.__dict__) for r in caplog.records)
    assert caplog.records
    assert SECRET not in logged
    ours = [r.getMessage() for r in caplog.records if r.name == "letta_client.web"]
    assert ours and not [line for line in ours if "Traceback" in line or "secret.py" in line]  # no server text


async def no_wait(seconds: float) -> None:
    pass


class Failing(httpx.AsyncBaseTransport):
    """A Letta server that answers ``status`` with a traceback in its detail (or drops every
    connection when ``status`` is None)."""

    def __init__(self, status: Any, detail: str) -> None:
        self.status = status
        self.detail = detail

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.status is None:
            raise httpx.ConnectError(f"cannot connect: {self.detail}", request=request)
        return httpx.Response(self.status, json={"detail": self.detail}, request=request)
