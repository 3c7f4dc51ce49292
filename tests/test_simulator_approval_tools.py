"""A server tool that waits for approval (an agent's ``requires_approval`` rule), as Letta 0.16.8 runs
it: the call stops the turn with an approval request; approved, the server runs the tool and the
turn goes on; denied, the agent sees the denial as the tool's error."""

from __future__ import annotations

from typing import Any, List, Mapping

import httpx
import pytest

from letta_client import Letta
from letta_client.testing import Reply, Simulator, ToolCall
from letta_client.types.messages import LettaStreamingResponse

SOURCE = '''def shout(text: str) -> str:
    """Say it loudly.

    Args:
        text: What to say.

    Returns:
        str: The text in capitals.
    """
    return text.upper()
'''


def _shout(arguments: Mapping[str, Any]) -> str:
    return str(arguments.get("text", "")).upper() + "!"


def _agent_with_approval_tool(sim: Simulator, client: Letta) -> str:
    sim.add_tool("shout", _shout)
    tool = client.tools.upsert(source_code=SOURCE)
    agent_id = sim.create_agent("approver")
    client.agents.tools.attach(tool.id, agent_id=agent_id)
    assert client.agents.tools.update_approval("shout", agent_id=agent_id, body_requires_approval=True) is None
    return agent_id


def _turn(client: Letta, conversation_id: str, messages: List[Any], **options: Any) -> List[LettaStreamingResponse]:
    """The turn's events, once its run has ended (and so freed the conversation for the next send)."""
    with client.conversations.messages.send(conversation_id, messages=messages, streaming=True, **options) as stream:
        events = list(stream)
    client.runs.wait(next(e.run_id for e in events if getattr(e, "run_id", None)), poll_interval=0.01)
    return events


@pytest.mark.parametrize("approve", [True, False])
def test_a_tool_with_a_requires_approval_rule_waits_for_the_answer(approve: bool) -> None:
    sim = Simulator()
    client = sim.client()
    agent_id = _agent_with_approval_tool(sim, client)
    rules = client.agents.retrieve(agent_id).tool_rules or []
    assert [(rule.type, rule.tool_name) for rule in rules] == [("requires_approval", "shout")]
    conversation = client.conversations.create(agent_id=agent_id).id

    first = _turn(client, conversation, [{"role": "user", "content": "please shout hello"}])
    requests = [event for event in first if event.message_type == "approval_request_message"]
    assert len(requests) == 1 and requests[0].tool_call.name == "shout"
    assert [e.stop_reason for e in first if e.message_type == "stop_reason"] == ["requires_approval"]

    call_id = requests[0].tool_call.tool_call_id
    answer = {"type": "approval", "tool_call_id": call_id, "approve": approve, "reason": "not now"}
    second = _turn(client, conversation, [{"type": "approval", "approvals": [answer]}])
    returns = [event for event in second if event.message_type == "tool_return_message"]
    assert len(returns) == 1
    if approve:  # the server ran its tool (the simulator's function of that name)
        assert (returns[0].status, returns[0].tool_return) == ("success", "PLEASE SHOUT HELLO!")
    else:
        assert returns[0].status == "error"
        assert returns[0].tool_return == "Error: request to call tool denied. User reason: not now"
    assert [e.stop_reason for e in second if e.message_type == "stop_reason"] == ["end_turn"]


def test_dropping_the_rule_lets_the_tool_run_at_once() -> None:
    sim = Simulator()
    client = sim.client()
    agent_id = _agent_with_approval_tool(sim, client)
    client.agents.tools.update_approval("shout", agent_id=agent_id, body_requires_approval=False)
    assert client.agents.retrieve(agent_id).tool_rules == []
    sim.script(agent_id, [ToolCall("shout", {"text": "hi"}), Reply("done")])
    conversation = client.conversations.create(agent_id=agent_id).id
    events = _turn(client, conversation, [{"role": "user", "content": "go"}])
    assert [e.message_type for e in events if e.message_type != "ping"][:3] == [
        "tool_call_message",
        "tool_return_message",
        "assistant_message",
    ]


def test_the_approval_switch_takes_the_body_or_the_query_and_needs_one() -> None:
    sim = Simulator()
    agent_id = sim.create_agent()
    path = f"/v1/agents/{agent_id}/tools/approval/shout"
    with httpx.Client(transport=sim.transport(), base_url="http://letta.simulator") as http:
        missing = http.patch(path, json={})
        assert missing.status_code == 422 and "requires_approval must be provided" in missing.text
        assert http.patch(path, params={"requires_approval": "true"}).status_code == 200
        assert sim.client().agents.retrieve(agent_id).tool_rules[0].tool_name == "shout"  # type: ignore[index]
        assert http.patch(path, json={"requires_approval": False}).status_code == 200
        assert sim.client().agents.retrieve(agent_id).tool_rules == []
        assert (
            http.patch(
                f"/v1/agents/agent-{'0' * 8}-0000-4000-8000-{'0' * 12}/tools/approval/x",
                json={"requires_approval": True},
            ).status_code
            == 404
        )


@pytest.mark.parametrize("approve", [True, False])
def test_the_answer_is_kept_in_the_history_and_token_mode_streams_only_a_tool_the_server_ran(approve: bool) -> None:
    sim = Simulator()
    client = sim.client()
    agent_id = _agent_with_approval_tool(sim, client)
    conversation = client.conversations.create(agent_id=agent_id).id
    first = _turn(client, conversation, [{"role": "user", "content": "shout it"}], stream_tokens=True)
    call_id = next(e for e in first if e.message_type == "approval_request_message").tool_call.tool_call_id
    answer = {"type": "approval", "tool_call_id": call_id, "approve": approve, "reason": None if approve else "no"}
    second = _turn(
        client, conversation, [{"type": "approval", "approvals": [answer], "otid": "browser-otid"}], stream_tokens=True
    )
    # as 0.16.8 streams it: the return of a tool the server ran, not the return of a denial
    streamed = [e.message_type for e in second if e.message_type == "tool_return_message"]
    assert streamed == (["tool_return_message"] if approve else [])
    run_id = next(e.run_id for e in second if getattr(e, "run_id", None))
    stored = [m for m in client.conversations.messages.list(conversation, order="asc")]
    kinds = [m.message_type for m in stored if m.message_type != "system_message"]
    assert kinds == [
        "user_message",
        "reasoning_message",
        "approval_request_message",
        "approval_response_message",
        "tool_return_message",
        "assistant_message",
    ]
    response = next(m for m in stored if m.message_type == "approval_response_message")
    assert (response.run_id, response.otid, response.step_id) == (run_id, None, None)
    assert response.approve is approve and response.approval_request_id == call_id
    assert [dict(a) for a in response.approvals or []] == [
        {"type": "approval", "tool_call_id": call_id, "approve": approve, "reason": None if approve else "no"}
    ]
