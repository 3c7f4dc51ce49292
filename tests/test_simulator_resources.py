"""The simulator's blocks, tools, passages, steps and message search, over plain HTTP.

Each test drives ``Simulator`` through its httpx transport with raw requests (no SDK methods),
and holds the answers to the shapes of the recorded real server where a recording exists
(``00_create_agent`` for blocks and tools, ``x_archival_*`` for passages, ``g_run_steps``).
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, Iterator, List

import httpx
import pytest

from letta_client.testing import DEFAULT_AGENT_ID, Reply, Simulator, Think, ToolCall

Fixture = Callable[[str], Dict[str, Any]]

SDK_HEADERS = {"User-Agent": "letta-client/1.0.0"}
OLD_CLIENT_HEADERS = {"User-Agent": "python-httpx/0.28.1"}
UNKNOWN_AGENT = "agent-00000000-0000-4000-8000-000000000000"
UNKNOWN_BLOCK = "block-00000000-0000-4000-8000-000000000000"
UNKNOWN_TOOL = "tool-00000000-0000-4000-8000-000000000000"
UNKNOWN_STEP = "step-00000000-0000-4000-8000-000000000000"
UNKNOWN_MESSAGE = "message-00000000-0000-4000-8000-000000000000"

DICE_SOURCE = '''
def roll_dice(sides: int, label: str = "d") -> str:
    """Roll a die.

    Rolls one die with the given number of sides.

    Args:
        sides (int): How many sides the die has.
        label (str): A name for the roll.

    Returns:
        str: The result.
    """
    return "4"
'''


def _id_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(rf"^{prefix}-[0-9a-f]{{8}}-[0-9a-f]{{4}}-4[0-9a-f]{{3}}-[89ab][0-9a-f]{{3}}-[0-9a-f]{{12}}$")


@pytest.fixture
def sim() -> Simulator:
    return Simulator()


@pytest.fixture
def http(sim: Simulator) -> Iterator[httpx.Client]:
    with httpx.Client(transport=sim.transport(), base_url="http://sim", headers=SDK_HEADERS) as client:
        yield client


def _create_agent(http: httpx.Client, **body: Any) -> Dict[str, Any]:
    response = http.post("/v1/agents/", json={"name": "resources", **body})
    assert response.status_code == 200
    agent: Dict[str, Any] = response.json()
    return agent


def _labels(blocks: List[Dict[str, Any]]) -> List[str]:
    return sorted(block["label"] for block in blocks)


# -- blocks ---------------------------------------------------------------------------------------


def test_agent_blocks_come_from_memory_blocks_with_the_server_shape(http: httpx.Client, fixture: Fixture) -> None:
    recorded = fixture("00_create_agent")["body_json"]["blocks"][0]
    agent = _create_agent(
        http, memory_blocks=[{"label": "human", "value": "Ada"}, {"label": "notes", "value": "n", "limit": 50}]
    )
    assert _labels(agent["blocks"]) == ["human", "notes"] and agent["memory"]["blocks"] == agent["blocks"]
    assert set(agent["memory"]) == set(fixture("00_create_agent")["body_json"]["memory"])
    listed = http.get(f"/v1/agents/{agent['id']}/core-memory/blocks").json()
    assert _labels(listed) == ["human", "notes"]
    by_label = {block["label"]: block for block in listed}
    assert list(by_label["human"]) == list(recorded), "same fields, in the server's order"
    assert by_label["human"]["description"] == recorded["description"] and by_label["human"]["value"] == "Ada"
    assert by_label["notes"]["description"] is None and by_label["notes"]["limit"] == 50
    assert all(_id_pattern("block").match(block["id"]) for block in listed)


def test_agent_without_memory_blocks_gets_human_and_persona(sim: Simulator, http: httpx.Client) -> None:
    for agent_id in (DEFAULT_AGENT_ID, sim.create_agent("plain")):
        blocks = http.get(f"/v1/agents/{agent_id}/core-memory/blocks").json()
        assert _labels(blocks) == ["human", "persona"]
        assert all(block["value"] == "" and block["limit"] == 100000 for block in blocks)


def test_block_by_label_reads_and_updates_the_shared_block(http: httpx.Client) -> None:
    agent = _create_agent(http, memory_blocks=[{"label": "persona", "value": "calm"}])
    path = f"/v1/agents/{agent['id']}/core-memory/blocks/persona"
    block = http.get(path).json()
    assert block["value"] == "calm"
    changed = http.patch(path, json={"value": "cheerful", "description": None, "tags": ["mood"]})
    assert changed.status_code == 200 and changed.json()["value"] == "cheerful"
    assert changed.json()["description"] is not None, "a null field is left as it was"
    assert http.get(f"/v1/blocks/{block['id']}").json()["tags"] == ["mood"]
    missing = http.get(f"/v1/agents/{agent['id']}/core-memory/blocks/nope")
    assert missing.status_code == 404
    assert missing.json() == {"detail": f"No block with label 'nope' found for agent '{agent['id']}'"}


def test_agent_json_shows_relations_as_the_server_does(http: httpx.Client) -> None:
    agent = _create_agent(http, memory_blocks=[{"label": "human", "value": "Ada"}])
    assert agent["blocks"] and agent["tools"], "the create answer shows them"
    plain = http.get(f"/v1/agents/{agent['id']}").json()
    assert plain["blocks"] == [] and plain["memory"]["blocks"] == [] and plain["tools"] == []
    included = http.get(f"/v1/agents/{agent['id']}", params={"include": ["agent.blocks", "agent.tools"]}).json()
    assert _labels(included["blocks"]) == ["human"] and included["tools"]
    older = http.get(f"/v1/agents/{agent['id']}", headers=OLD_CLIENT_HEADERS).json()
    assert _labels(older["memory"]["blocks"]) == ["human"] and older["tools"]


def test_global_blocks_create_list_modify_delete(http: httpx.Client) -> None:
    created = http.post("/v1/blocks/", json={"label": "notes", "value": "remember", "tags": ["a"]})
    assert created.status_code == 200
    block = created.json()
    assert _id_pattern("block").match(block["id"]) and block["tags"] == ["a"] and block["is_template"] is False
    http.post("/v1/blocks/", json={"label": "other", "value": ""})
    assert [b["id"] for b in http.get("/v1/blocks/", params={"label": "notes"}).json()] == [block["id"]]
    assert [b["label"] for b in http.get("/v1/blocks/", params={"value_search": "REMEM"}).json()] == ["notes"]
    modified = http.patch(f"/v1/blocks/{block['id']}", json={"description": "d", "unknown_field": 1})
    assert modified.status_code == 200 and modified.json()["description"] == "d"
    deleted = http.delete(f"/v1/blocks/{block['id']}")
    assert deleted.status_code == 200 and deleted.json() is None
    gone = http.get(f"/v1/blocks/{block['id']}")
    assert gone.status_code == 404 and gone.json() == {"detail": f"Block with id '{block['id']}' not found"}
    assert http.patch(f"/v1/blocks/{block['id']}", json={"value": "x"}).status_code == 404
    assert http.delete(f"/v1/blocks/{block['id']}").status_code == 404


def test_block_create_and_id_errors(http: httpx.Client) -> None:
    unlabelled = http.post("/v1/blocks/", json={"value": "x"})
    assert unlabelled.status_code == 422 and "('body', 'label')" in unlabelled.json()["detail"]
    malformed = http.get("/v1/blocks/not-a-block")
    assert malformed.status_code == 422
    assert malformed.json()["examples"] == ["block-123e4567-e89b-42d3-8456-426614174000"]
    assert "'block-{uuid4}'" in malformed.json()["detail"]


def test_attach_and_detach_a_block(http: httpx.Client) -> None:
    agent = _create_agent(http)
    block = http.post("/v1/blocks/", json={"label": "shared", "value": "s"}).json()
    attached = http.patch(f"/v1/agents/{agent['id']}/core-memory/blocks/attach/{block['id']}")
    assert attached.status_code == 200 and block["id"] in [b["id"] for b in attached.json()["blocks"]]
    holders = http.get(f"/v1/blocks/{block['id']}/agents").json()
    assert [holder["id"] for holder in holders] == [agent["id"]]
    detached = http.patch(f"/v1/agents/{agent['id']}/core-memory/blocks/detach/{block['id']}")
    assert detached.status_code == 200 and block["id"] not in [b["id"] for b in detached.json()["blocks"]]
    again = http.patch(f"/v1/agents/{agent['id']}/core-memory/blocks/detach/{block['id']}")
    assert again.status_code == 404 and again.json()["detail"].startswith(f"No block with id '{block['id']}'")
    unknown = http.patch(f"/v1/agents/{agent['id']}/core-memory/blocks/attach/{UNKNOWN_BLOCK}")
    assert unknown.status_code == 404 and "Block not found" in unknown.json()["detail"]
    assert http.get(f"/v1/blocks/{UNKNOWN_BLOCK}/agents").json() == []


def test_deleting_a_block_detaches_it_everywhere(http: httpx.Client) -> None:
    agent = _create_agent(http, memory_blocks=[{"label": "human", "value": "Ada"}])
    block_id = agent["blocks"][0]["id"]
    assert http.delete(f"/v1/blocks/{block_id}").status_code == 200
    assert http.get(f"/v1/agents/{agent['id']}/core-memory/blocks").json() == []


def test_core_memory_of_unknown_or_malformed_agents(http: httpx.Client) -> None:
    unknown = http.get(f"/v1/agents/{UNKNOWN_AGENT}/core-memory/blocks")
    assert unknown.status_code == 404 and unknown.json()["detail"].startswith("Agent not found with id=")
    malformed = http.get("/v1/agents/nope/core-memory/blocks/human")
    assert malformed.status_code == 422 and malformed.json()["examples"] == [
        "agent-123e4567-e89b-42d3-8456-426614174000"
    ]


# -- tools ----------------------------------------------------------------------------------------


def test_registry_starts_with_the_agents_tools(http: httpx.Client, fixture: Fixture) -> None:
    recorded = fixture("00_create_agent")["body_json"]["tools"][0]
    found = http.get("/v1/tools/", params={"name": "get_weather"}).json()
    assert len(found) == 1 and list(found[0]) == list(recorded), "same fields, in the server's order"
    weather = found[0]
    assert weather["tool_type"] == "custom" and weather["json_schema"]["parameters"]["required"] == ["city"]
    assert _id_pattern("tool").match(weather["id"])
    attached = http.get(f"/v1/agents/{DEFAULT_AGENT_ID}/tools", params={"limit": 50}).json()
    assert weather["id"] in [tool["id"] for tool in attached]
    assert {"conversation_search", "memory_insert", "memory_replace"} <= {tool["name"] for tool in attached}
    letta = http.get("/v1/tools/", params={"return_only_letta_tools": "true"}).json()
    assert letta and all(tool["tool_type"].startswith("letta_") for tool in letta)


def test_create_tool_from_source_derives_its_schema(http: httpx.Client) -> None:
    created = http.post("/v1/tools/", json={"source_code": DICE_SOURCE, "tags": ["games"]})
    assert created.status_code == 200
    tool = created.json()
    assert tool["name"] == "roll_dice" and tool["tags"] == ["games"] and tool["source_type"] == "python"
    assert tool["description"] == "Roll a die.\n\nRolls one die with the given number of sides."
    assert tool["json_schema"]["parameters"] == {
        "type": "object",
        "properties": {
            "sides": {"type": "integer", "description": "How many sides the die has."},
            "label": {"type": "string", "description": "A name for the roll."},
        },
        "required": ["sides"],
    }
    assert http.get(f"/v1/tools/{tool['id']}").json() == tool
    assert [t["id"] for t in http.get("/v1/tools/", params={"name": "roll_dice"}).json()] == [tool["id"]]
    upserted = http.put("/v1/tools/", json={"source_code": DICE_SOURCE, "description": "Dice."})
    assert upserted.status_code == 200 and upserted.json()["id"] == tool["id"]
    assert upserted.json()["description"] == "Dice."


def test_create_tool_refusals(http: httpx.Client) -> None:
    undocumented = http.post("/v1/tools/", json={"source_code": "def bare(x: int) -> int:\n    return x\n"})
    assert undocumented.status_code == 400
    assert undocumented.json() == {
        "detail": "Failed to derive json schema: Schema generation failed: Function bare missing docstring"
    }
    no_function = http.post("/v1/tools/", json={"source_code": "x = 1"})
    assert no_function.status_code == 400 and no_function.json()["detail"].endswith("No functions found in source code")
    named = http.post("/v1/tools/", json={"source_code": DICE_SOURCE, "name": "dice"})
    assert named.status_code == 422 and "extra_forbidden" in named.json()["detail"]
    assert http.post("/v1/tools/", json={"description": "no source"}).status_code == 422


def test_modify_and_delete_a_tool(http: httpx.Client) -> None:
    tool = http.post("/v1/tools/", json={"source_code": DICE_SOURCE}).json()
    agent = _create_agent(http, tool_ids=[tool["id"]])
    assert tool["id"] in [t["id"] for t in agent["tools"]]
    modified = http.patch(f"/v1/tools/{tool['id']}", json={"description": "Roll it.", "return_char_limit": 10})
    assert modified.status_code == 200
    assert (modified.json()["description"], modified.json()["return_char_limit"]) == ("Roll it.", 10)
    renamed_source = http.patch(f"/v1/tools/{tool['id']}", json={"source_code": "def other():\n    pass\n"})
    assert renamed_source.status_code == 400 and "does not match" in renamed_source.json()["detail"]
    deleted = http.delete(f"/v1/tools/{tool['id']}")
    assert deleted.status_code == 200 and deleted.json() is None
    assert http.get(f"/v1/tools/{tool['id']}").status_code == 404
    assert tool["id"] not in [t["id"] for t in http.get(f"/v1/agents/{agent['id']}/tools").json()]
    assert http.get("/v1/tools/not-a-tool").status_code == 422


def test_attach_and_detach_a_tool(http: httpx.Client) -> None:
    agent = _create_agent(http, include_base_tools=False)
    tool = http.post("/v1/tools/", json={"source_code": DICE_SOURCE}).json()
    attached = http.patch(f"/v1/agents/{agent['id']}/tools/attach/{tool['id']}")
    assert attached.status_code == 200 and attached.json() is None, "an SDK 1.x client gets null"
    names = [t["name"] for t in http.get(f"/v1/agents/{agent['id']}/tools").json()]
    assert sorted(names) == ["get_weather", "roll_dice"]
    detached = http.patch(f"/v1/agents/{agent['id']}/tools/detach/{tool['id']}", headers=OLD_CLIENT_HEADERS)
    assert detached.status_code == 200 and [t["name"] for t in detached.json()["tools"]] == ["get_weather"]
    unknown_tool = http.patch(f"/v1/agents/{agent['id']}/tools/attach/{UNKNOWN_TOOL}")
    assert unknown_tool.status_code == 404 and unknown_tool.json()["detail"].startswith(f"Tool with id={UNKNOWN_TOOL}")
    unknown_agent = http.patch(f"/v1/agents/{UNKNOWN_AGENT}/tools/attach/{tool['id']}")
    assert unknown_agent.status_code == 404 and unknown_agent.json() == {"detail": "Agent not found"}


def test_add_tool_registers_a_server_tool(sim: Simulator, http: httpx.Client) -> None:
    sim.add_tool("lookup", lambda arguments: "found")
    found = http.get("/v1/tools/", params={"name": "lookup"}).json()
    assert [tool["name"] for tool in found] == ["lookup"] and found[0]["tool_type"] == "custom"


# -- passages -------------------------------------------------------------------------------------


def test_archival_insert_answers_a_list_of_passages(http: httpx.Client, fixture: Fixture) -> None:
    recorded = fixture("x_archival_insert")["body_json"][0]
    inserted = http.post(f"/v1/agents/{DEFAULT_AGENT_ID}/archival-memory", json={"text": "The sky is blue."})
    assert inserted.status_code == 200
    (passage,) = inserted.json()
    assert list(passage) == list(recorded), "same fields, in the server's order"
    assert passage["text"] == "The sky is blue." and passage["tags"] is None
    assert _id_pattern("passage").match(passage["id"]) and _id_pattern("archive").match(passage["archive_id"])
    assert len(passage["embedding"]) == passage["embedding_config"]["embedding_dim"]
    tagged = http.post(f"/v1/agents/{DEFAULT_AGENT_ID}/archival-memory", json={"text": "t", "tags": ["x", "x"]})
    assert tagged.json()[0]["tags"] == ["x"] and tagged.json()[0]["archive_id"] == passage["archive_id"]
    assert http.post(f"/v1/agents/{DEFAULT_AGENT_ID}/archival-memory", json={"tags": []}).status_code == 422
    unknown = http.post(f"/v1/agents/{UNKNOWN_AGENT}/archival-memory", json={"text": "x"})
    assert unknown.status_code == 404 and unknown.json() == {"detail": f"Agent with ID {UNKNOWN_AGENT} not found"}


def test_archival_list_filters_and_pages(http: httpx.Client) -> None:
    path = f"/v1/agents/{DEFAULT_AGENT_ID}/archival-memory"
    ids = [http.post(path, json={"text": text}).json()[0]["id"] for text in ("Red apple", "green pear", "red cherry")]
    assert [p["id"] for p in http.get(path).json()] == ids
    assert [p["text"] for p in http.get(path, params={"search": "RED"}).json()] == ["Red apple", "red cherry"]
    assert [p["id"] for p in http.get(path, params={"ascending": "false", "limit": 2}).json()] == ids[:0:-1]
    assert [p["id"] for p in http.get(path, params={"after": ids[0]}).json()] == ids[1:]
    assert http.get(f"/v1/agents/{UNKNOWN_AGENT}/archival-memory").json() == []


def test_archival_search_answers_results_and_count(http: httpx.Client, fixture: Fixture) -> None:
    recorded = fixture("x_archival_search")["body_json"]
    path = f"/v1/agents/{DEFAULT_AGENT_ID}/archival-memory"
    first = http.post(path, json={"text": "The fake model lives on 127.0.0.1.", "tags": ["net"]}).json()[0]
    http.post(path, json={"text": "Nothing to see"})
    found = http.get(f"{path}/search", params={"query": "model LIVES"}).json()
    assert list(found) == list(recorded) and found["count"] == 1
    (result,) = found["results"]
    assert list(result) == list(recorded["results"][0])
    assert (result["id"], result["content"], result["tags"]) == (first["id"], first["text"], ["net"])
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$", result["timestamp"])
    by_tag = http.get(f"{path}/search", params={"query": "", "tags": ["net"]}).json()
    assert [r["id"] for r in by_tag["results"]] == [first["id"]]
    missing = http.get(f"{path}/search")
    assert missing.status_code == 422 and "('query', 'query')" in missing.json()["detail"]
    assert http.get(f"/v1/agents/{UNKNOWN_AGENT}/archival-memory/search", params={"query": "x"}).status_code == 404


def test_delete_a_passage(http: httpx.Client) -> None:
    path = f"/v1/agents/{DEFAULT_AGENT_ID}/archival-memory"
    passage = http.post(path, json={"text": "forget me"}).json()[0]
    deleted = http.delete(f"{path}/{passage['id']}")
    assert deleted.status_code == 200 and deleted.json() == {
        "message": f"Memory id={passage['id']} successfully deleted"
    }
    assert http.get(path).json() == []
    again = http.delete(f"{path}/{passage['id']}")
    assert again.status_code == 404
    assert again.json() == {"detail": f"Passage with id {passage['id']} not found in database."}


# -- steps ----------------------------------------------------------------------------------------


def test_a_turn_leaves_steps_with_their_messages(sim: Simulator, http: httpx.Client, fixture: Fixture) -> None:
    recorded = fixture("g_run_steps")["body_json"][0]
    sim.script(DEFAULT_AGENT_ID, [Think("hm"), ToolCall("get_weather", {"city": "Oslo"}), Reply("Sunny.")])
    answer = http.post(f"/v1/agents/{DEFAULT_AGENT_ID}/messages", json={"input": "weather?"}).json()
    run_id = answer["messages"][0]["run_id"]
    steps = http.get(f"/v1/runs/{run_id}/steps", params={"order": "asc"}).json()
    assert len(steps) == 2 and all(list(step) == list(recorded) for step in steps)
    assert all(_id_pattern("step").match(step["id"]) and step["run_id"] == run_id for step in steps)
    assert [step["stop_reason"] for step in steps] == [None, "end_turn"]
    assert steps[-1]["status"] == "success" and steps[-1]["agent_id"] == DEFAULT_AGENT_ID
    first = http.get(f"/v1/steps/{steps[0]['id']}/messages").json()
    assert [m["message_type"] for m in first] == [
        "user_message",
        "reasoning_message",
        "tool_call_message",
        "tool_return_message",
    ]
    last = http.get(f"/v1/steps/{steps[1]['id']}/messages").json()
    assert [(m["message_type"], m["content"]) for m in last] == [("assistant_message", "Sunny.")]
    assert http.get(f"/v1/steps/{steps[1]['id']}").json() == steps[1]


def test_steps_list_filters_by_agent(sim: Simulator, http: httpx.Client) -> None:
    other = sim.create_agent("other")
    for agent_id in (DEFAULT_AGENT_ID, other):
        assert http.post(f"/v1/agents/{agent_id}/messages", json={"input": "hi"}).status_code == 200
    everything = http.get("/v1/steps/").json()
    assert len(everything) == 2
    only_other = http.get("/v1/steps/", params={"agent_id": other}).json()
    assert [step["agent_id"] for step in only_other] == [other]
    assert http.get("/v1/steps/", params={"feedback": "positive"}).json() == []
    assert http.get("/v1/steps/", params={"limit": 1}).json() == everything[:1]


def test_unknown_and_malformed_steps(http: httpx.Client) -> None:
    unknown = http.get(f"/v1/steps/{UNKNOWN_STEP}")
    assert unknown.status_code == 404 and unknown.json()["detail"].startswith("Step not found with id=")
    assert http.get(f"/v1/steps/{UNKNOWN_STEP}/messages").json() == []
    assert http.get("/v1/steps/step-1").status_code == 422
    run = http.get("/v1/runs/run-00000000-0000-4000-8000-000000000000/steps")
    assert run.status_code == 404


# -- messages -------------------------------------------------------------------------------------


def test_message_search_across_agents(sim: Simulator, http: httpx.Client) -> None:
    other = sim.create_agent("other")
    http.post(f"/v1/agents/{DEFAULT_AGENT_ID}/messages", json={"input": "pineapple pizza"})
    http.post(f"/v1/agents/{other}/messages", json={"input": "hello there"})
    found = http.post("/v1/messages/search", json={"query": "PINEAPPLE"}).json()
    assert {item["message_type"] for item in found} == {"user_message", "reasoning_message", "assistant_message"}
    assert all(item["agent_id"] == DEFAULT_AGENT_ID and item["conversation_id"] is None for item in found)
    user = next(item for item in found if item["message_type"] == "user_message")
    assert list(user) == ["message_type", "content", "message_id", "agent_id", "conversation_id", "created_at"]
    assert user["content"] == "pineapple pizza" and user["created_at"].endswith("Z")
    reasoning = next(item for item in found if item["message_type"] == "reasoning_message")
    assert list(reasoning)[:2] == ["reasoning", "message_type"]
    limited = http.post("/v1/messages/search", json={"query": "e", "agent_id": other, "limit": 1}).json()
    assert len(limited) == 1 and limited[0]["agent_id"] == other
    assert http.post("/v1/messages/search", json={"query": "x", "limit": 0}).status_code == 422
    assert http.post("/v1/messages/search", json={"limit": 5}).status_code == 422


def test_list_and_retrieve_messages(http: httpx.Client) -> None:
    answer = http.post(f"/v1/agents/{DEFAULT_AGENT_ID}/messages", json={"input": "one"}).json()
    newest = http.get("/v1/messages/", params={"limit": 2}).json()
    assert [m["message_type"] for m in newest] == ["assistant_message", "reasoning_message"]
    reply_id = answer["messages"][-1]["id"]
    retrieved = http.get(f"/v1/messages/{reply_id}").json()
    assert {m["message_type"] for m in retrieved} == {"reasoning_message", "assistant_message"}
    assert all(m["id"] == reply_id for m in retrieved)
    unknown = http.get(f"/v1/messages/{UNKNOWN_MESSAGE}")
    assert unknown.status_code == 404 and unknown.json() == {"detail": f"Message with id {UNKNOWN_MESSAGE} not found."}
    assert http.get("/v1/messages/msg-1").status_code == 422
