"""What a non-streaming send puts on the wire: URL, method, headers and the exact JSON body."""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any, Callable, Dict, List

import httpx
import pytest
import respx

from letta_client import AsyncLetta, Letta, LettaResponse, __version__

AGENT = "agent-5ba4b586-d7d6-4b37-a667-324e6e61b07a"
PATH = f"/v1/agents/{AGENT}/messages"
URL = f"http://letta.test{PATH}"

TEXT = {"type": "text", "text": "hello", "signature": "sig-t"}
IMAGE_URL = {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.png"}}
IMAGE_B64 = {
    "type": "image",
    "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo=", "detail": "low"},
}
IMAGE_LETTA = {
    "type": "image",
    "source": {"type": "letta", "file_id": "file-1", "media_type": "image/jpeg", "data": "AAAA", "detail": "high"},
}
TOOL_CALL = {"type": "tool_call", "id": "call_1", "name": "lookup", "input": {"q": "x", "n": [1, 2]}, "signature": "s"}
TOOL_RETURN = {"type": "tool_return", "tool_call_id": "call_1", "content": "found", "is_error": False}
REASONING = {"type": "reasoning", "is_native": True, "reasoning": "think", "signature": "s2"}
REDACTED = {"type": "redacted_reasoning", "data": "opaque=="}
OMITTED = {"type": "omitted_reasoning", "signature": "s3"}
SUMMARIZED = {
    "type": "summarized_reasoning",
    "id": "rs_1",
    "summary": [{"index": 0, "text": "first"}, {"index": 1, "text": "second"}],
    "encrypted_content": "enc",
}
ALL_PARTS = [TEXT, IMAGE_URL, IMAGE_B64, IMAGE_LETTA, TOOL_CALL, TOOL_RETURN, REASONING, REDACTED, OMITTED, SUMMARIZED]

MESSAGE_CREATE = {
    "type": "message",
    "role": "user",
    "content": ALL_PARTS,
    "name": "alice",
    "sender_id": "user-1",
    "batch_item_id": "batch-1",
    "group_id": "group-1",
}
APPROVAL_CREATE = {
    "type": "approval",
    "approvals": [
        {"type": "approval", "tool_call_id": "call_1", "approve": True},
        {"type": "approval", "tool_call_id": "call_2", "approve": False, "reason": "no"},
        {
            "type": "tool",
            "tool_call_id": "call_3",
            "status": "success",
            "tool_return": [TEXT, IMAGE_URL],
            "stdout": ["out"],
            "stderr": ["err"],
        },
    ],
    "approve": True,
    "approval_request_id": "message-1",
    "reason": "ok",
    "otid": "caller-otid",
    "group_id": "group-1",
}
TOOL_RETURN_CREATE = {
    "type": "tool_return",
    "tool_returns": [{"type": "tool", "tool_call_id": "call_9", "status": "error", "tool_return": "boom"}],
    "group_id": "group-2",
}
OPTIONS: Dict[str, Any] = {
    "max_steps": 7,
    "include_return_message_types": ["assistant_message", "tool_call_message"],
    "client_tools": [
        {"name": "get_weather", "description": "Weather.", "parameters": {"type": "object", "properties": {}}},
        {"name": "bare"},
    ],
    "client_skills": [{"name": "skill", "description": "does things", "location": "/skills/skill.md"}],
    "override_model": "openai/gpt-4o-mini",
    "override_system": "be brief",
    "include_compaction_messages": True,
    "return_logprobs": True,
    "top_logprobs": 3,
    "return_token_ids": True,
    "enable_thinking": "true",
    "use_assistant_message": False,
    "assistant_message_tool_name": "say",
    "assistant_message_tool_kwarg": "text",
}


def _is_uuid4(value: object) -> bool:
    try:
        parsed = uuid.UUID(str(value))
    except ValueError:
        return False
    return isinstance(value, str) and parsed.version == 4 and str(parsed) == value


def _body(request: httpx.Request) -> Dict[str, Any]:
    return json.loads(request.content)


def test_minimal_send_without_key(
    make_client: Callable[..., Letta], mock_api: respx.MockRouter, fixture: Callable[[str], Dict[str, Any]]
) -> None:
    route = mock_api.post(PATH).mock(return_value=httpx.Response(200, text=fixture("a_nonstream")["body_text"]))
    response = make_client().agents.messages.send(AGENT, messages=[{"role": "user", "content": "hello from a"}])

    assert isinstance(response, LettaResponse)
    assert response.text == "echo: hello from a"
    request = route.calls.last.request
    assert (request.method, str(request.url)) == ("POST", URL)
    assert request.headers["user-agent"] == f"letta-client/{__version__}"
    assert request.headers["user-agent"].startswith("letta-client/1.")
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept"] == "application/json"
    for absent in ("authorization", "x-project", "x-project-id", "x-stainless-package-version"):
        assert absent not in request.headers
    body = _body(request)
    assert list(body) == ["messages"]
    otid = body["messages"][0].pop("otid")
    assert _is_uuid4(otid)
    assert body == {"messages": [{"role": "user", "content": "hello from a"}]}


def test_headers_key_project_defaults_and_extra(make_client: Callable[..., Letta], mock_api: respx.MockRouter) -> None:
    route = mock_api.post(PATH).mock(side_effect=lambda request: _ok())
    client = make_client(
        api_key="sk-1",
        project="proj-slug",
        project_id="project-123",
        default_headers={"X-Default": "d", "X-Overridden": "default"},
    )
    client.agents.messages.send(AGENT, input="hi", extra_headers={"X-Overridden": "extra", "X-Extra": "e"})

    headers = route.calls.last.request.headers
    assert headers["authorization"] == "Bearer sk-1"
    assert headers["x-project"] == "proj-slug"
    assert headers["x-project-id"] == "project-123"
    assert headers["x-default"] == "d"
    assert headers["x-overridden"] == "extra"
    assert headers["x-extra"] == "e"
    assert headers["user-agent"].startswith("letta-client/1.")


def _ok() -> httpx.Response:
    body = {
        "messages": [],
        "stop_reason": {"message_type": "stop_reason", "stop_reason": "end_turn"},
        "usage": {"message_type": "usage_statistics"},
    }
    return httpx.Response(200, json=body)


def test_send_with_every_documented_field(client: Letta, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(PATH).mock(return_value=_ok())
    messages = [MESSAGE_CREATE, APPROVAL_CREATE, TOOL_RETURN_CREATE]
    original = copy.deepcopy(messages)

    client.agents.messages.send(
        AGENT,
        messages=messages,  # type: ignore[arg-type]
        **OPTIONS,
        extra_body={"future_field": {"a": 1}},
        extra_query={"trace": "1"},
        timeout=12.5,
    )

    assert messages == original, "the caller's dicts must not be mutated"
    request = route.calls.last.request
    assert request.url.params == httpx.QueryParams({"trace": "1"})
    assert request.extensions["timeout"] == {"connect": 12.5, "read": 12.5, "write": 12.5, "pool": 12.5}
    body = _body(request)
    sent = body.pop("messages")
    assert body == {**OPTIONS, "future_field": {"a": 1}}
    assert sent[1]["otid"] == "caller-otid"
    for generated, item in ((sent[0], MESSAGE_CREATE), (sent[2], TOOL_RETURN_CREATE)):
        assert _is_uuid4(generated.pop("otid"))
        assert generated == item
    assert sent[1] == APPROVAL_CREATE


def test_generated_otids_are_distinct_uuid4(client: Letta, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(PATH).mock(return_value=_ok())
    messages = [{"role": "user", "content": "a"}, {"role": "user", "content": "b", "otid": None}]
    client.agents.messages.send(AGENT, messages=messages)  # type: ignore[arg-type]

    otids = [m["otid"] for m in _body(route.calls.last.request)["messages"]]
    assert all(_is_uuid4(otid) for otid in otids)
    assert otids[0] != otids[1]
    assert messages == [{"role": "user", "content": "a"}, {"role": "user", "content": "b", "otid": None}]


@pytest.mark.parametrize("value", ["just text", ALL_PARTS], ids=["str", "parts"])
def test_input_is_sent_as_given(client: Letta, mock_api: respx.MockRouter, value: Any) -> None:
    route = mock_api.post(PATH).mock(return_value=_ok())
    client.agents.messages.send(AGENT, input=value)
    assert _body(route.calls.last.request) == {"input": value}


def test_create_is_an_alias_of_send(client: Letta, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(PATH).mock(return_value=_ok())
    response = client.agents.messages.create(AGENT, input="hi", max_steps=2)
    assert isinstance(response, LettaResponse)
    assert _body(route.calls.last.request) == {"input": "hi", "max_steps": 2}


def test_with_raw_response(client: Letta, mock_api: respx.MockRouter, fixture_response: Callable[..., Any]) -> None:
    mock_api.post(PATH).mock(return_value=fixture_response("a_nonstream_think"))
    for method in (client.agents.messages.with_raw_response.send, client.agents.messages.with_raw_response.create):
        raw = method(AGENT, input="THINK")
        assert raw.status_code == 200
        assert raw.headers["content-type"] == "application/json"
        parsed = raw.parse()
        assert isinstance(parsed, LettaResponse)
        assert [m.message_type for m in parsed.messages] == ["reasoning_message", "assistant_message"]


async def test_async_send_every_field(async_client: AsyncLetta, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(PATH).mock(return_value=_ok())
    messages: List[Any] = [MESSAGE_CREATE, APPROVAL_CREATE, TOOL_RETURN_CREATE]
    original = copy.deepcopy(messages)

    response = await async_client.agents.messages.send(
        AGENT, messages=messages, **OPTIONS, extra_headers={"X-E": "1"}, extra_query={"q": "2"}
    )

    assert isinstance(response, LettaResponse)
    assert messages == original
    request = route.calls.last.request
    assert (request.method, request.url.path, request.url.params["q"]) == ("POST", PATH, "2")
    assert request.headers["authorization"] == f"Bearer {async_client.api_key}"
    assert request.headers["x-e"] == "1"
    assert request.headers["user-agent"].startswith("letta-client/1.")
    body = _body(request)
    sent = body.pop("messages")
    assert body == OPTIONS
    assert [_is_uuid4(m["otid"]) for m in sent] == [True, False, True]


async def test_async_create_and_raw_response(async_client: AsyncLetta, mock_api: respx.MockRouter) -> None:
    mock_api.post(PATH).mock(return_value=_ok())
    assert isinstance(await async_client.agents.messages.create(AGENT, input="x"), LettaResponse)
    raw = await async_client.agents.messages.with_raw_response.send(AGENT, input="x")
    assert raw.status_code == 200
    assert (await raw.parse()).stop_reason.stop_reason == "end_turn"
