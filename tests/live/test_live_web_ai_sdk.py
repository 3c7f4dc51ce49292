"""The UI message stream against the real Letta 0.16.8 server, read by the real AI SDK chat: what
the browser shows after each turn equals ``ui_messages`` of the server's history.

``LETTA_RECORD_WEB_FIXTURES=1`` also writes the turns and the histories to
``tests/fixtures/web/ai_sdk_recorded.json``, which ``tests/web/test_web_conformance_ai_sdk.py``
replays without a server.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

WEB_TESTS = Path(__file__).parent.parent / "web"
sys.path.insert(0, str(WEB_TESTS))  # the conformance harness and the npm clients of tests/web

from _ui_conformance import Answer, Played, Script, Send, comparable, play, restored  # noqa: E402
from _web_node import NodeClients, node_clients  # noqa: E402

from conftest import create_agent, delete_agent  # noqa: E402
from letta_client import Letta  # noqa: E402

__all__ = ["node_clients"]

pytestmark = pytest.mark.real_clients
RECORDING = Path(__file__).parent.parent / "fixtures" / "web" / "ai_sdk_recorded.json"

SCRIPTS = [
    Script("text-steps", [Send("hello there")], False),
    Script("reasoning-tokens", [Send("[think] [chunks=6] tell me something")], True),
    Script("server-tool-tokens", [Send("[think] [tool:conversation_search] look it up")], True),
    Script("server-tool-steps", [Send("[tool:conversation_search] look it up")], False),
    Script("client-result-tokens", [Send("[think] [tool:pick_color] go"), [Answer("output", "blue")]], True),
    Script("client-error-steps", [Send("[tool:pick_color] go"), [Answer("error", "the picker closed")]], False),
    Script("deny-steps", [Send("[tool:pick_color] again"), [Answer("deny", "not now")]], False),
    Script("deny-tokens", [Send("[tool:pick_color] third"), [Answer("deny", "nope")]], True),
    Script("approve-tokens", [Send("[tool:pick_color] fourth"), [Answer("approve")]], True),
    Script(
        "parallel-answers-steps",
        [
            Send("[parallel:pick_color,pick_size] both"),
            [Answer("output", "red"), Answer("deny", "no size")],
            Send("thanks"),
        ],
        False,
    ),
]
# Letta 0.16.8 keeps nothing of these turns, not even the user's message: the browser shows what
# was streamed, and a reload shows the conversation without them
FAILED = Script("fail-tokens", [Send("[fail] this fails")], True)
CANCELLED = Script("cancel-tokens", [Send("[chunks=40] [gap=0.2] count to forty", cancel=True)], True)


@pytest.fixture(scope="module")
def played(node_clients: NodeClients, live_url: str) -> Iterator[Dict[str, Played]]:
    # parallel tool calls on, so that [parallel:…] makes two calls (Letta keeps one otherwise)
    agent_id = create_agent(live_url, model_settings={"provider_type": "openai", "parallel_tool_calls": True})
    try:
        client = Letta(base_url=live_url)
        scripts = [*SCRIPTS, FAILED, CANCELLED]
        conversations = [client.conversations.create(agent_id=agent_id).id for _ in scripts]
        games = play(node_clients, client, scripts, conversations)
        if os.environ.get("LETTA_RECORD_WEB_FIXTURES") == "1":
            _record(games)
        yield {game.script.name: game for game in games}
    finally:
        delete_agent(live_url, agent_id)


def _record(games: List[Played]) -> None:
    recording = {
        "description": (
            "Letta 0.16.8 (fake model), recorded by tests/live/test_live_web_ai_sdk.py with "
            "LETTA_RECORD_WEB_FIXTURES=1: each conversation's browser steps, each turn's POST body "
            "(as the AI SDK chat sent it) and the run's events (as the SDK decoded them, pings left "
            "out), and the conversation's history after the last turn"
        ),
        "recorded": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "conversations": [
            {
                "name": game.script.name,
                "stream_tokens": game.script.tokens,
                "browser_steps": game.browser_steps,
                "turns": [{"body": turn.body, "events": turn.events} for turn in game.turns],
                "history": [m for m in game.history if m.get("message_type") != "system_message"],
            }
            for game in games
        ],
    }
    RECORDING.write_text(json.dumps(recording, indent=1, ensure_ascii=False) + "\n")


@pytest.mark.parametrize("name", [script.name for script in SCRIPTS])
def test_a_live_turn_assembles_in_the_ai_sdk_to_what_the_history_holds(played: Dict[str, Played], name: str) -> None:
    game = played[name]
    shown = comparable(game.messages)
    assert shown == comparable(restored(game.history))
    assert any(m["role"] == "assistant" for m in shown)
    assert game.errors == []  # every chunk passed the schema


def test_a_failed_live_turn_leaves_nothing_in_the_history_and_an_error_in_the_browser(
    played: Dict[str, Played],
) -> None:
    game = played["fail-tokens"]
    assert restored(game.history) == []
    assert game.errors == ["An error occurred with the LLM request."]
    assert "OpenAI API error" not in game.turns[0].sse  # the server's detail stays on the server


def test_a_cancelled_live_turn_ends_in_an_abort_and_letta_keeps_nothing_of_it(played: Dict[str, Played]) -> None:
    game = played["cancel-tokens"]
    assert '"type":"abort"' in game.turns[0].sse
    assert restored(game.history) == []  # 0.16.8 drops a cancelled turn, its user message included
    shown = [m for m in game.messages if m["role"] == "assistant"]
    assert shown and any(p["type"] == "text" and p["text"] for p in shown[0]["parts"])
