"""Every resource of the official SDK (letta-client 1.12.1) that this SDK covers has the official
methods, and so do its ``with_raw_response`` and ``with_streaming_response`` views, sub-resources
included (``client.conversations.with_raw_response.messages.create(...)``).

The table is read from the official wheel's ``resources/`` (the methods its ``*WithRawResponse``
classes wrap, and the sub-resources they expose). Of ``agents`` only the CRUD methods are
covered; its file import/export and recompile are outside this SDK.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

import pytest

from _both import resolve
from letta_client import AsyncLetta, Letta
from letta_client.testing import Simulator

# resource path -> (official methods, official sub-resources)
OFFICIAL: Dict[str, Tuple[List[str], List[str]]] = {
    "agents": (["create", "retrieve", "list", "update", "delete"], ["messages"]),
    "agents.messages": (["create", "list", "cancel", "compact", "create_async", "reset", "stream"], []),
    "runs": (["retrieve", "list"], ["messages", "steps", "usage"]),
    "runs.messages": (["list", "stream"], []),
    "runs.steps": (["list"], []),
    "runs.usage": (["retrieve"], []),
    "conversations": (["create", "retrieve", "update", "list", "delete", "cancel", "fork", "recompile"], ["messages"]),
    "conversations.messages": (["create", "list", "compact", "stream"], []),
}
CASES = [(mode, path, view) for mode in ("sync", "async") for path in OFFICIAL for view in ("", "raw", "streaming")]


def _resource(client: Any, path: str) -> Any:
    for part in path.split("."):
        client = getattr(client, part)
    return client


@pytest.mark.parametrize(("mode", "path", "view"), CASES, ids=[f"{m}-{p}-{v or 'plain'}" for m, p, v in CASES])
def test_official_methods_and_sub_resources(mode: str, path: str, view: str) -> None:
    client = Letta(base_url="http://127.0.0.1:9") if mode == "sync" else AsyncLetta(base_url="http://127.0.0.1:9")
    resource = _resource(client, path)
    if view:
        resource = getattr(resource, f"with_{view}_response")
    methods, children = OFFICIAL[path]
    missing = [name for name in methods if not callable(getattr(resource, name, None))]
    assert not missing, f"{path} ({view or 'plain'}) lacks {missing}"
    for child in children:
        sub = getattr(resource, child, None)
        assert sub is not None, f"{path} ({view or 'plain'}) lacks .{child}"
        if view:  # the sub-resource of a view is the same view of the sub-resource
            assert type(sub) is type(getattr(_resource(client, f"{path}.{child}"), f"with_{view}_response"))


def test_conversation_views_answer_like_the_official() -> None:
    sim = Simulator()
    conversation_id = sim.create_conversation(sim.default_agent_id)
    with sim.client() as client:
        raw = client.conversations.with_raw_response.retrieve(conversation_id)
        assert raw.status_code == 200 and raw.parse().id == conversation_id
        with client.conversations.messages.with_streaming_response.create(
            conversation_id, messages=[{"role": "user", "content": "hi"}]
        ) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            lines = [line for line in response.iter_lines() if line.startswith("data: ")]
        assert any('"assistant_message"' in line for line in lines), lines
        page = client.conversations.with_raw_response.messages.list(conversation_id).parse()
        assert "assistant_message" in [m.message_type for m in page]


async def test_async_conversation_views_answer_like_the_official() -> None:
    sim = Simulator()
    conversation_id = sim.create_conversation(sim.default_agent_id)
    async with sim.async_client() as client:
        raw = await client.conversations.with_raw_response.retrieve(conversation_id)
        assert raw.status_code == 200 and (await raw.parse()).id == conversation_id
        async with client.conversations.with_streaming_response.messages.create(
            conversation_id, messages=[{"role": "user", "content": "hi"}]
        ) as response:
            lines = [line async for line in response.iter_lines() if line.startswith("data: ")]
        assert any('"assistant_message"' in line for line in lines), lines


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_conversation_recompile_returns_the_system_prompt(mode: str) -> None:
    sim = Simulator()
    conversation_id = sim.create_conversation(sim.default_agent_id)
    client = sim.client() if mode == "sync" else sim.async_client()
    prompt = await resolve(client.conversations.recompile(conversation_id, dry_run=True))
    assert isinstance(prompt, str) and prompt == sim.history(sim.default_agent_id)[0]["content"]
    request = sim.requests[-1]
    assert (request.method, request.path) == ("POST", f"/v1/conversations/{conversation_id}/recompile")
    assert request.query == {"dry_run": ["true"]} and request.json() == {}
    direct = await resolve(client.conversations.recompile("default", agent_id=sim.default_agent_id))
    assert direct == prompt and sim.requests[-1].json() == {"agent_id": sim.default_agent_id}
    sent = len(sim.requests)
    with pytest.raises(ValueError, match="agent_id"):
        await resolve(client.conversations.recompile("default"))
    assert len(sim.requests) == sent  # checked before anything is sent


def test_response_classes_have_the_official_top_level_names() -> None:
    import letta_client
    from letta_client._response import APIResponse, AsyncAPIResponse

    assert letta_client.APIResponse is APIResponse
    assert letta_client.AsyncAPIResponse is AsyncAPIResponse
    assert {"APIResponse", "AsyncAPIResponse"} <= set(letta_client.__all__)
