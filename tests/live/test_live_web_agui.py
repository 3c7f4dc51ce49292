"""AG-UI against the real Letta 0.16.8: the real ``@ag-ui/client`` ``HttpAgent`` runs conversations
through a loopback endpoint (``parse_run_input`` → the live server → ``AGUIEncoder``); every event
passes ``@ag-ui/core``'s schemas and the client ends with what the server's history holds.

Covers what the simulator cannot show: the reasoning of a step that stops for an approval changes
its Letta id between the stream and the history; token mode streams no result for a client
tool's output or a denial (the encoder shows the answers it sent); an approved server tool's
result is streamed; an approval and a new user message go in one send; parallel server tools'
arguments are stored written again; a failed turn's user message is not stored; the model
failing three times is a ``RUN_ERROR``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, List, Sequence

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "web"))

from _agui_harness import AGUIEndpoint, Turn, check_thread, node_turns
from _web_node import NodeClients, node_clients

from letta_client import Letta

__all__ = ["node_clients"]

pytestmark = pytest.mark.real_clients  # Node and the real npm clients: once, on the main Python

PICK_COLOR = {
    "name": "pick_color",
    "description": "Ask the user for a color.",
    "parameters": {"type": "object", "properties": {"hint": {"type": "string"}}, "required": ["hint"]},
}
PICK_SIZE = {
    "name": "pick_size",
    "description": "Ask the user for a size.",
    "parameters": {"type": "object", "properties": {"hint": {"type": "string"}}, "required": ["hint"]},
}
TOOLS = [PICK_COLOR, PICK_SIZE]


def _ask(text: str) -> Turn:
    return Turn(outcome="interrupt", user=text, tools=TOOLS)


def _answer(*answers: Dict[str, Any]) -> Turn:
    return Turn(outcome="success", answers=answers, tools=TOOLS)


CONVERSATIONS: Dict[str, List[Turn]] = {
    "text and reasoning": [
        Turn(outcome="success", user="[think] hello there"),
        Turn(outcome="success", user="[chunks=12] and again"),
    ],
    "client tool result": [
        _ask("[think] [tool:pick_color] please"),
        _answer({"status": "resolved", "payload": {"result": "blue"}}),
    ],
    "client tool denied": [
        _ask("[tool:pick_color] please"),
        _answer({"status": "resolved", "payload": {"approved": False, "reason": "not now"}}),
    ],
    "frontend tool message": [
        _ask("[tool:pick_color] please"),
        _answer({"status": "resolved", "tool": {"content": "green"}}),
    ],
    "parallel server tools, failing": [Turn(outcome="success", user="[parallel:memory_insert,memory_replace] edit")],
    "server tool approved": [
        Turn(outcome="interrupt", user="[think] [tool:conversation_search] find hello"),
        Turn(outcome="success", answers=[{"status": "resolved", "payload": {"approved": True}}]),
    ],
    "parallel client tools": [
        _ask("[parallel:pick_color,pick_size] both"),
        _answer(
            {"status": "resolved", "payload": {"result": "red"}},
            {"status": "cancelled"},
        ),
    ],
    "a new message instead of an answer": [
        _ask("[tool:pick_color] please"),
        Turn(outcome="success", user="never mind, say hi", answers=[{"status": "cancelled"}], tools=TOOLS),
    ],
    "model failure": [Turn(outcome="error", user="[fail] please")],
}


def _agent(make_agent: Any) -> str:
    agent_id: str = make_agent(
        tool_rules=[{"type": "requires_approval", "tool_name": "conversation_search"}],
        model_settings={"provider_type": "openai", "parallel_tool_calls": True},
    )
    return agent_id


def _run(client: Letta, node_clients: NodeClients, make_agent: Any, stream_tokens: bool, names: Sequence[str]) -> int:
    endpoint = AGUIEndpoint(client, stream_tokens=stream_tokens)
    threads: List[Dict[str, Any]] = []
    conversations: List[str] = []
    with endpoint.serve() as url:
        for name in names:
            conversation_id = client.conversations.create(agent_id=_agent(make_agent)).id
            conversations.append(conversation_id)
            threads.append({"threadId": conversation_id, "url": url, "turns": node_turns(CONVERSATIONS[name])})
        read = node_clients.run("agui_read.mjs", {"threads": threads}, timeout=600)
    checked = 0
    for name, conversation_id, result in zip(names, conversations, read["threads"]):
        mode = "tokens" if stream_tokens else "steps"
        checked += check_thread(
            client, conversation_id, CONVERSATIONS[name], result, endpoint.served, f"{name} ({mode})"
        )
    return checked


@pytest.fixture
def client(live_url: str) -> Letta:
    return Letta(base_url=live_url, timeout=120)


def test_token_mode_conversations_read_by_the_real_agui_client(
    client: Letta, node_clients: NodeClients, make_agent: Any
) -> None:
    assert _run(client, node_clients, make_agent, True, list(CONVERSATIONS)) == 16


def test_step_mode_conversations_read_by_the_real_agui_client(
    client: Letta, node_clients: NodeClients, make_agent: Any
) -> None:
    names = [
        "text and reasoning",
        "client tool result",
        "client tool denied",
        "server tool approved",
        "parallel server tools, failing",
    ]
    assert _run(client, node_clients, make_agent, False, names) == 9
