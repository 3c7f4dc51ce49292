"""The simulator's models: it lists the handles it accepts, and answers any other handle as a
Letta 0.16.8 server does (bodies recorded from one; tests/live/test_live_model_handles.py holds
the two side by side)."""

from __future__ import annotations

from typing import Any, Iterator

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from letta_client import BadRequestError, NotFoundError
from letta_client.testing import DEFAULT_AGENT_ID, Simulator

LISTED = ["letta/letta-free", "openai/gpt-4o-mini"]
LISTED_EMBEDDINGS = ["letta/letta-free", "openai/text-embedding-3-small"]
BAD_FORMAT = {"detail": "INVALID_ARGUMENT: The model handle should be in the format provider/model-name"}


def not_found(handle: str) -> dict[str, Any]:
    return {"detail": f"NOT_FOUND: Handle {handle} not found, must be one of []"}


@pytest.fixture
def sim() -> Simulator:
    return Simulator()


@pytest.fixture
def http(sim: Simulator) -> Iterator[httpx.Client]:
    with httpx.Client(transport=sim.transport(), base_url="http://sim") as client:
        yield client


def agents_of(sim: Simulator) -> list[str]:
    return [agent.id for agent in sim.client().agents.list()]


def test_the_simulator_lists_the_handles_it_accepts(sim: Simulator) -> None:
    client = sim.client()
    assert [model.handle for model in client.models.list()] == LISTED
    assert [model.handle for model in client.models.embeddings.list()] == LISTED_EMBEDDINGS
    for model in client.models.list():
        for embedding in client.models.embeddings.list():
            agent = client.agents.create(model=model.handle, embedding=embedding.handle)
            assert (agent.model, agent.embedding) == (model.handle, embedding.handle)
            assert client.agents.update(agent.id, model=model.handle).model == model.handle


def test_getting_started_picks_a_model_the_simulator_has(sim: Simulator) -> None:
    with sim.client() as client:  # what the README's "Getting started" does
        models = client.models.list()
        agent = client.agents.create(
            name="my-first-agent", model=models[0].handle, embedding=client.models.embeddings.list()[0].handle
        )
        assert agent.model == "letta/letta-free"


unlisted = st.from_regex(r"\A[a-z][a-z0-9-]{0,12}/[a-z0-9][a-z0-9.-]{0,20}\Z").filter(lambda h: h not in LISTED)


@settings(max_examples=40, deadline=None)
@given(handle=unlisted)
def test_an_unlisted_handle_is_the_servers_404_and_creates_nothing(handle: str) -> None:
    sim = Simulator()
    before = agents_of(sim)
    with pytest.raises(NotFoundError) as raised:
        sim.client().agents.create(name="x", model=handle)
    assert raised.value.body == not_found(handle) and raised.value.status_code == 404
    assert agents_of(sim) == before
    with pytest.raises(NotFoundError) as raised:
        sim.client().agents.update(DEFAULT_AGENT_ID, model=handle)
    assert raised.value.body == not_found(handle)


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "answer"),
    [
        ("POST", "/v1/agents/", {"model": "noslash"}, 400, BAD_FORMAT),
        ("POST", "/v1/agents/", {"model": "/gpt"}, 400, BAD_FORMAT),
        ("POST", "/v1/agents/", {"model": ""}, 404, not_found("")),
        ("POST", "/v1/agents/", {"model": "nosuch/model-z"}, 404, not_found("nosuch/model-z")),
        (
            "POST",
            "/v1/agents/",
            {"model": "openai/gpt-4o-mini", "embedding": "nosuch/emb"},
            400,
            {"detail": "INVALID_ARGUMENT: Embedding model nosuch/emb not found"},
        ),
        (
            "POST",
            "/v1/agents/",
            {"model": "nosuch/model-z", "embedding": "noslash"},
            422,
            {
                "trace_id": "",
                "detail": "[{'type': 'value_error', 'loc': ('body', 'embedding'), 'msg': 'Value error, The embedding"
                " handle should be in the format provider/model-name', 'input': 'noslash', 'ctx': {'error':"
                " ValueError('The embedding handle should be in the format provider/model-name')}}]",
            },
        ),
        ("PATCH", f"/v1/agents/{DEFAULT_AGENT_ID}", {"model": "noslash"}, 404, not_found("noslash")),
        ("PATCH", f"/v1/agents/{DEFAULT_AGENT_ID}", {"model": "nosuch/model-z"}, 404, not_found("nosuch/model-z")),
        (
            "PATCH",
            f"/v1/agents/{DEFAULT_AGENT_ID}",
            {"embedding": "nosuch/emb"},
            400,
            {"detail": "INVALID_ARGUMENT: Embedding model nosuch/emb not found"},
        ),
        ("POST", f"/v1/conversations/?agent_id={DEFAULT_AGENT_ID}", {"model": "noslash"}, 400, BAD_FORMAT),
        (
            "POST",
            f"/v1/agents/{DEFAULT_AGENT_ID}/messages",
            {"input": "hi", "override_model": "nosuch/model-z"},
            404,
            not_found("nosuch/model-z"),
        ),
        (
            "POST",
            f"/v1/agents/{DEFAULT_AGENT_ID}/messages/stream",
            {"input": "hi", "override_model": "nosuch/model-z"},
            404,
            not_found("nosuch/model-z"),
        ),
    ],
)
def test_the_answers_are_the_servers(
    http: httpx.Client, method: str, path: str, body: dict[str, Any], status: int, answer: dict[str, Any]
) -> None:
    response = http.request(method, path, json=body)
    assert (response.status_code, response.json()) == (status, answer)


def test_the_default_agent_keeps_its_model_after_a_refused_update(sim: Simulator, http: httpx.Client) -> None:
    before = http.get(f"/v1/agents/{DEFAULT_AGENT_ID}").json()
    assert http.patch(f"/v1/agents/{DEFAULT_AGENT_ID}", json={"model": "nosuch/m", "name": "x"}).status_code == 404
    after = http.get(f"/v1/agents/{DEFAULT_AGENT_ID}").json()
    assert (after["model"], after["name"]) == (before["model"], before["name"])


@pytest.mark.parametrize("streaming", [True, False])
def test_a_conversation_on_an_unlisted_model_is_made_and_its_send_is_the_404(
    sim: Simulator, http: httpx.Client, streaming: bool
) -> None:
    # as on the server: the handle is looked up when a turn needs it, not when the conversation is made
    made = http.post("/v1/conversations/", params={"agent_id": DEFAULT_AGENT_ID}, json={"model": "nosuch/m"})
    assert made.status_code == 200 and made.json()["model"] == "nosuch/m"
    conversation = made.json()["id"]
    sent = http.post(f"/v1/conversations/{conversation}/messages", json={"input": "hi", "streaming": streaming})
    assert (sent.status_code, sent.json()) == (404, not_found("nosuch/m"))
    assert [m for m in sim.conversation_history(conversation) if m["message_type"] == "user_message"] == []
    fixed = http.patch(f"/v1/conversations/{conversation}", json={"model": "openai/gpt-4o-mini"})
    assert fixed.status_code == 200
    assert http.post(f"/v1/conversations/{conversation}/messages", json={"input": "hi"}).status_code == 200


def test_a_conversation_update_checks_the_format(http: httpx.Client) -> None:
    conversation = http.post("/v1/conversations/", params={"agent_id": DEFAULT_AGENT_ID}, json={}).json()["id"]
    refused = http.patch(f"/v1/conversations/{conversation}", json={"model": "noslash"})
    assert (refused.status_code, refused.json()) == (400, BAD_FORMAT)


def test_the_sdk_raises_the_typed_errors(sim: Simulator) -> None:
    client = sim.client()
    with pytest.raises(BadRequestError) as bad:
        client.agents.create(model="gpt-4o-mini")
    assert "provider/model-name" in str(bad.value)
    with pytest.raises(NotFoundError) as missing:
        client.agents.messages.send(DEFAULT_AGENT_ID, input="hi", override_model="anthropic/none")
    assert "Handle anthropic/none not found" in str(missing.value)


def test_no_model_is_the_default_model(http: httpx.Client) -> None:
    # the simulator plays a server with a default model (LETTA_DEFAULT_LLM_HANDLE set)
    assert http.post("/v1/agents/", json={"name": "plain"}).status_code == 200
