"""The ASGI app on the simulator, for the web tests: an app of users (``x-user`` header) who own the
conversations they create, mounted at ``/api`` as apps do, and helpers to read SSE and build bodies."""

from __future__ import annotations

import asyncio
import json
import socket
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Dict, List, NamedTuple, Optional, Sequence, Tuple

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Mount

from letta_client import AsyncLetta
from letta_client.testing import SimRequest, Simulator
from letta_client.web.asgi import Authorize, chat_app

SECRET = "sk-let-web-asgi-SECRET-9f8e7d6c5b4a"
"""The Letta API key of every test app: no byte a browser gets and no log line may hold it."""


class Owners:
    """The app's authorization: a conversation belongs to the user (``x-user``) who created it."""

    def __init__(self, *, may_create: Sequence[str] = ("alice", "bob")) -> None:
        self.owner: Dict[str, str] = {}
        self.may_create = set(may_create)
        self.calls: List[Tuple[str, str]] = []

    def __call__(self, request: Request, conversation_id: str, action: str) -> bool:
        self.calls.append((conversation_id, action))
        user = request.headers.get("x-user")
        if user is None:
            return False
        if action == "create":
            if user not in self.may_create:
                return False
            self.owner[conversation_id] = user
            return True
        return self.owner.get(conversation_id) == user


def mounted(client: AsyncLetta, agent_id: str, authorize: Authorize, **options: Any) -> Starlette:
    return Starlette(routes=[Mount("/api", app=chat_app(client, agent_id=agent_id, authorize=authorize, **options))])


def browser(app: Starlette, user: Optional[str] = "alice", **headers: str) -> httpx.AsyncClient:
    """An httpx client speaking to the app in-process, as ``user``."""
    base = {"x-user": user} if user else {}
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver", headers={**base, **headers}
    )


@asynccontextmanager
async def serving(app: Any) -> AsyncIterator[str]:
    """The app behind uvicorn on 127.0.0.1 (the socket listens before the server starts, so no wait)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        sock.close()


async def new_chat(app: Starlette, user: str = "alice") -> str:
    """A new conversation, created through the app as ``user``."""
    async with browser(app, user) as http:
        answer = await http.post("/api/chats")
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


def chat_body(
    conversation_id: str, text: str, message_id: str = "msg-1", history: Sequence[Dict[str, Any]] = ()
) -> Dict[str, Any]:
    """What ``useChat`` (``DefaultChatTransport``) POSTs for a new user message."""
    message = {"id": message_id, "role": "user", "parts": [{"type": "text", "text": text}]}
    return {"id": conversation_id, "messages": [*history, message], "trigger": "submit-message"}


def run_input(conversation_id: str, text: str, run_id: str = "agui-run-1", message_id: str = "m-1") -> Dict[str, Any]:
    """An AG-UI ``RunAgentInput`` with one new user message."""
    return {
        "threadId": conversation_id,
        "runId": run_id,
        "state": {},
        "messages": [{"id": message_id, "role": "user", "content": text}],
        "tools": [],
        "context": [],
        "forwardedProps": {},
    }


class Event(NamedTuple):
    id: Optional[str]
    event: Optional[str]
    data: str


def events(body: bytes) -> List[Event]:
    """The SSE events of a body (comments left out)."""
    out: List[Event] = []
    for block in body.decode().split("\n\n"):
        fields: Dict[str, str] = {}
        for line in block.split("\n"):
            if not line or line.startswith(":"):
                continue
            name, _, value = line.partition(": ")
            fields[name] = value
        if "data" in fields:
            out.append(Event(fields.get("id"), fields.get("event"), fields["data"]))
    return out


def text_of(body: bytes) -> str:
    """The assistant text of a UI message stream."""
    return "".join(
        json.loads(e.data).get("delta", "")
        for e in events(body)
        if e.data != "[DONE]" and json.loads(e.data).get("type") == "text-delta"
    )


def about(requests: Sequence[SimRequest], conversation_id: str) -> List[SimRequest]:
    """The requests that named the conversation (in the path, the query or the body)."""
    return [
        r
        for r in requests
        if conversation_id in r.path or conversation_id.encode() in r.body or conversation_id in str(r.query)
    ]


def runs(sim: Simulator, conversation_id: str) -> List[Any]:
    return sim.runs_of(lambda run: run.conversation_id == conversation_id)
