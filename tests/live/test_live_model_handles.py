"""A model or embedding handle the server does not have: the real server and the simulator give
the same status and the same body, request for request (tests/test_simulator_models.py holds the
simulator's side offline)."""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterator, List, Tuple

import httpx
import pytest

from letta_client.testing import Simulator
from letta_client.testing._models import EMBEDDING as SIM_EMBEDDING
from letta_client.testing._models import MODEL as SIM_MODEL

UNKNOWN = "nosuch/model-z"  # on neither side

# (method, path, body); "{agent}" and "{model}" are each side's own agent and model
CASES: List[Tuple[str, str, Any]] = [
    ("POST", "/v1/agents/", {"model": UNKNOWN}),
    ("POST", "/v1/agents/", {"model": "noslash"}),
    ("POST", "/v1/agents/", {"model": "/gpt"}),
    ("POST", "/v1/agents/", {"model": ""}),
    ("POST", "/v1/agents/", {"model": "{model}", "embedding": "nosuch/emb"}),
    ("POST", "/v1/agents/", {"model": UNKNOWN, "embedding": "noslash"}),
    ("PATCH", "/v1/agents/{agent}", {"model": UNKNOWN}),
    ("PATCH", "/v1/agents/{agent}", {"model": "noslash"}),
    ("PATCH", "/v1/agents/{agent}", {"embedding": "nosuch/emb"}),
    ("POST", "/v1/conversations/?agent_id={agent}", {"model": "noslash"}),
    ("POST", "/v1/agents/{agent}/messages", {"input": "hi", "override_model": UNKNOWN}),
    ("POST", "/v1/agents/{agent}/messages/stream", {"input": "hi", "override_model": UNKNOWN}),
]

Side = Tuple[httpx.Client, str, str]  # the client, its agent, its model


def _fill(value: Any, agent: str, model: str) -> Any:
    if isinstance(value, str):
        return value.replace("{agent}", agent).replace("{model}", model)
    if isinstance(value, dict):
        return {key: _fill(item, agent, model) for key, item in value.items()}
    return value


@pytest.fixture
def sides(live_url: str, make_agent: Callable[..., str], agent_settings: Dict[str, str]) -> Iterator[Tuple[Side, Side]]:
    sim = Simulator()
    with (
        httpx.Client(base_url=live_url, timeout=120, trust_env=False) as live,
        httpx.Client(transport=sim.transport(), base_url="http://sim") as simulated,
    ):
        sim_agent = simulated.post("/v1/agents/", json={"model": SIM_MODEL, "embedding": SIM_EMBEDDING}).json()["id"]
        yield (live, make_agent(), agent_settings["model"]), (simulated, sim_agent, SIM_MODEL)


def _answer(side: Side, method: str, path: str, body: Any) -> Tuple[int, Any]:
    client, agent, model = side
    response = client.request(method, _fill(path, agent, model), json=_fill(body, agent, model))
    if response.status_code == 200 and path == "/v1/agents/":  # a mismatch: do not leave it behind
        client.delete(f"/v1/agents/{response.json()['id']}")
    return response.status_code, response.json()


@pytest.mark.parametrize(("method", "path", "body"), CASES)
def test_the_simulator_answers_an_unknown_handle_as_the_server(
    sides: Tuple[Side, Side], method: str, path: str, body: Any
) -> None:
    live, simulated = sides
    assert _answer(simulated, method, path, body) == _answer(live, method, path, body)


@pytest.mark.parametrize("streaming", [True, False])
def test_a_conversation_on_an_unknown_model_fails_at_its_send_on_both(
    sides: Tuple[Side, Side], streaming: bool
) -> None:
    answers = []
    for client, agent, _ in sides:
        made = client.post("/v1/conversations/", params={"agent_id": agent}, json={"model": UNKNOWN})
        assert made.status_code == 200 and made.json()["model"] == UNKNOWN
        conversation = made.json()["id"]
        bad = client.patch(f"/v1/conversations/{conversation}", json={"model": "noslash"})
        sent = client.post(f"/v1/conversations/{conversation}/messages", json={"input": "hi", "streaming": streaming})
        answers.append(((bad.status_code, bad.json()), (sent.status_code, sent.json())))
    assert answers[0] == answers[1]
    assert answers[0][1][0] == 404
