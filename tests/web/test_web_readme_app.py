"""The README's FastAPI app, run as written (through the docs' own block runner) against a served
simulator: a user owns what they create, everyone else gets the same 404 and Letta hears nothing."""

from __future__ import annotations

import json
from typing import Any, Iterator

import httpx
import pytest

from _docs import ROOT, all_blocks, run_block
from letta_client.testing import Simulator

pytest.importorskip("fastapi")

BLOCK = next(b for b in all_blocks() if b.page == ROOT / "README.md" and "chat_app(" in b.source)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    sim = Simulator()
    with sim.serve() as base_url:
        _, names = run_block(BLOCK, base_url, {"agent_id": sim.default_agent_id}, monkeypatch)
        yield sim, names["app"]


def as_user(app: Any, user: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver", headers={"x-user-id": user})


async def test_the_readme_app_serves_its_owner_and_no_one_else(served: Any) -> None:
    sim, app = served
    async with as_user(app, "user-42") as alice, as_user(app, "user-7") as mallory:
        created = await alice.post("/api/chats")
        assert created.status_code == 200
        chat = created.json()["id"]
        body = {
            "id": chat,
            "messages": [{"id": "m1", "role": "user", "parts": [{"type": "text", "text": "hi"}]}],
            "trigger": "submit-message",
        }
        turn = await alice.post("/api/chat", json=body)
        assert turn.status_code == 200 and turn.text.rstrip().endswith("data: [DONE]")
        history = await alice.get(f"/api/chats/{chat}/messages")
        assert [m["role"] for m in history.json()] == ["user", "assistant"]

        seen = len(sim.requests)
        answers = [
            await mallory.get(f"/api/chats/{chat}/messages"),
            await mallory.post("/api/chat", json={**body, "messages": [{**body["messages"][0], "id": "m2"}]}),
            await mallory.get(f"/api/chat/{chat}/stream"),
            await mallory.post(f"/api/chat/{chat}/stop"),
        ]
        assert [(a.status_code, a.text) for a in answers] == [(404, "not found")] * 4
        assert sim.requests[seen:] == []
    assert json.loads(history.text)[0]["parts"] == [{"type": "text", "text": "hi"}]
