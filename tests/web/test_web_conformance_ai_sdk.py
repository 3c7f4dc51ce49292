"""Our UI message stream, read by the real AI SDK (npm ``ai``, the major ``AI_SDK_MAJOR``): every
part passes its chunk schema, and the messages its chat assembles equal ``ui_messages`` of what
the server's history holds.

Three sources of turns: the built-in simulator (conversation sends with ``background=True``, token
and step streaming), turns recorded against a real Letta 0.16.8 server
(``tests/fixtures/web/ai_sdk_recorded.json``, with the server's history), and raw 0.16.8 streams
from the transcripts the SDK's own tests use (``tests/fixtures/*.sse``, held against the messages
the SDK merges from the same stream: they come without a history). The live variant is
``tests/live/test_live_web_ai_sdk.py``. Where the comparison normalises, and why: ``_ui_conformance``.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, Dict, List, Mapping

import httpx
import pytest
from _ui_conformance import (
    Answer,
    Played,
    Script,
    Send,
    Step,
    Turn,
    comparable,
    continuation_replays,
    encode,
    finish,
    pending_calls,
    play,
    restored,
)
from _web_node import NodeClients

from letta_client import Letta
from letta_client._exceptions import LettaStreamError
from letta_client.testing import Error, Hold, Reply, Simulator, Think, ToolCall
from letta_client.types.messages import LettaMessageUnion
from letta_client.web._framer import Framer
from letta_client.web.ui_message_stream import AI_SDK_MAJOR, UIMessageStreamEncoder, ui_messages

pytestmark = pytest.mark.real_clients

FIXTURES = Path(__file__).parent.parent / "fixtures"
RECORDED: Mapping[str, Any] = json.loads((FIXTURES / "web" / "ai_sdk_recorded.json").read_text())
NOT_IN_HISTORY = {"fail-tokens", "cancel-tokens"}
"""Recorded turns Letta 0.16.8 keeps nothing of (see tests/live/test_live_web_ai_sdk.py)."""
TRANSCRIPTS = [
    "b_step_stream",
    "b_step_stream_think",
    "c_token_stream",
    "c_token_stream_long",
    "d_pings_slow_step",
    "e_legacy_stream_tokens",
    "f_resume_stream_from_start",
    "h_client_tool_call",
    "h_client_tool_return",
    "i_fail_llm_step_stream",
]
"""Raw streams of Letta 0.16.8 (tests/fixtures/*.sse, recorded for the SDK's own tests)."""

SHOUT = '''def shout(text: str) -> str:
    """Say it loudly.

    Args:
        text: What to say.

    Returns:
        str: The text in capitals.
    """
    return text.upper()
'''


def _scripts(tokens: bool) -> List[Script]:
    mode = "tokens" if tokens else "steps"
    color = ToolCall("pick_color", {"hint": "warm"})
    size = ToolCall("pick_size", {"unit": "cm"})
    return [
        Script(f"text-{mode}", [Send("hello there", [Reply("Hello! How can I help?")])], tokens),
        Script(
            f"reasoning-{mode}",
            [Send("think first", [Think("The user wants thought."), Reply("Thought through.")])],
            tokens,
        ),
        Script(
            f"server-tool-{mode}",
            [
                Send(
                    "weather in Paris?",
                    [Think("A weather question."), ToolCall("get_weather", {"city": "Paris"}), Reply("Sunny.")],
                )
            ],
            tokens,
        ),
        Script(
            f"parallel-tools-{mode}",
            [
                Send(
                    "two cities",
                    [
                        ToolCall("get_weather", {"city": "Oslo"}),
                        ToolCall("get_weather", {"city": "Nowhere"}, result="no such city", status="error"),
                        Reply("Oslo is sunny; the other one does not exist."),
                    ],
                )
            ],
            tokens,
        ),
        Script(
            f"client-result-{mode}",
            [Send("pick a color", [Think("Ask the user."), color, Reply("Blue it is.")]), [Answer("output", "blue")]],
            tokens,
        ),
        Script(
            f"client-error-{mode}",
            [Send("pick a color", [color, Reply("No color then.")]), [Answer("error", "the user closed the picker")]],
            tokens,
        ),
        Script(
            f"deny-{mode}",
            [Send("pick a color", [color, Reply("Fine, no color.")]), [Answer("deny", "not now")]],
            tokens,
        ),
        Script(
            f"approve-{mode}",
            [Send("shout hello", [ToolCall("shout", {"text": "hello"}), Reply("I shouted.")]), [Answer("approve")]],
            tokens,
        ),
        Script(
            f"parallel-answers-{mode}",
            [
                Send("color and size", [color, size, Reply("Thanks for answering.")]),
                [Answer("output", "red"), Answer("deny", "no size")],
                Send("and now?", [Reply("Nothing else.")]),
            ],
            tokens,
        ),
        Script(f"error-first-{mode}", [Send("fail at once", [Error("llm_error", detail="upstream said 500")])], tokens),
        Script(
            f"error-later-{mode}",
            [
                Send(
                    "fail midway",
                    [Reply("Let me see."), Error("internal_error", detail="Traceback (most recent call last)")],
                )
            ],
            tokens,
        ),
    ]


SCRIPTS = _scripts(False) + _scripts(True)
CANCELLED = {"cancel-steps": False, "cancel-tokens": True}


def _agent(sim: Simulator, client: Letta, script: Script) -> str:
    agent_id = sim.create_agent(script.name)
    if script.name.startswith("approve-"):
        sim.add_tool("shout", lambda arguments: str(arguments.get("text", "")).upper())
        tool = client.tools.upsert(source_code=SHOUT)
        client.agents.tools.attach(tool.id, agent_id=agent_id)
        client.agents.tools.update_approval("shout", agent_id=agent_id, body_requires_approval=True)
    return agent_id


@pytest.fixture(scope="module")
def simulated(node_clients: NodeClients) -> Dict[str, Played]:
    sim = Simulator()
    client = sim.client()
    never = threading.Event()  # a cancelled run waits here until the cancel ends the wait
    count = [Reply("One, two,"), Hold(never, timeout=30), Reply("three.")]
    scripts = SCRIPTS + [
        Script(name, [Send("count slowly", count, cancel=True)], tokens) for name, tokens in CANCELLED.items()
    ]
    agents = [_agent(sim, client, script) for script in scripts]
    conversations = [client.conversations.create(agent_id=agent).id for agent in agents]

    def prepare(index: int, step: Step) -> None:
        if isinstance(step, Send) and step.actions:
            sim.script(agents[index], list(step.actions))

    games = play(node_clients, client, scripts, conversations, prepare)
    return {game.script.name: game for game in games}


def test_the_encoding_names_the_ai_sdk_major_it_is_checked_against(node_clients: NodeClients) -> None:
    version = json.loads((node_clients.folder / "node_modules" / "ai" / "package.json").read_text())["version"]
    assert int(version.split(".")[0]) == AI_SDK_MAJOR


@pytest.mark.parametrize("name", [script.name for script in SCRIPTS])
def test_a_simulated_turn_assembles_to_what_the_history_holds(simulated: Dict[str, Played], name: str) -> None:
    game = simulated[name]
    shown = comparable(game.messages)
    assert shown == comparable(restored(game.history))
    said = [m for m in shown if m["role"] == "assistant"]
    assert said or name.startswith("error-first"), "the turn showed nothing"
    assert game.errors == [] or name.startswith("error-"), game.errors  # every chunk passed the schema


@pytest.mark.parametrize("name", ["error-first-steps", "error-later-tokens"])
def test_an_error_reaches_the_browser_in_words_without_the_servers_detail(
    simulated: Dict[str, Played], name: str
) -> None:
    game = simulated[name]
    sse = game.turns[-1].sse
    assert '"type":"error"' in sse and "upstream said 500" not in sse and "Traceback" not in sse
    assert game.errors and all("Traceback" not in error for error in game.errors)


@pytest.mark.parametrize("name", list(CANCELLED))
def test_a_cancelled_run_ends_with_an_abort_and_shows_what_was_streamed(
    simulated: Dict[str, Played], name: str
) -> None:
    # Letta 0.16.8 keeps nothing of a cancelled turn (checked live); the simulator keeps all of
    # it, so the browser's message is a beginning of the restored one here
    game = simulated[name]
    assert '"type":"abort"' in game.turns[-1].sse
    shown = game.messages[-1]
    history = comparable(restored(game.history))[-1]
    assert shown["role"] == history["role"] == "assistant"
    text = "".join(p["text"] for p in shown["parts"] if p["type"] == "text")
    assert text and "".join(p["text"] for p in history["parts"] if p["type"] == "text").startswith(text)


@pytest.fixture(scope="module")
def replayed(node_clients: NodeClients) -> Dict[str, Played]:
    games: List[Played] = []
    for recorded in RECORDED["conversations"]:
        game = Played(Script(recorded["name"], [], recorded["stream_tokens"]), recorded["turns"][0]["body"]["id"])
        game.browser_steps = recorded["browser_steps"]
        for turn in recorded["turns"]:
            game.turns.append(
                Turn(turn["body"], turn["events"], encode(turn["body"], turn["events"]), pending_calls(turn["events"]))
            )
        game.history = recorded["history"]
        games.append(game)
    finish(node_clients, games)  # also checks that the chat sends the recorded bodies again
    return {game.script.name: game for game in games}


@pytest.mark.parametrize("name", [c["name"] for c in RECORDED["conversations"] if c["name"] not in NOT_IN_HISTORY])
def test_a_recorded_turn_assembles_to_what_the_servers_history_holds(replayed: Dict[str, Played], name: str) -> None:
    game = replayed[name]
    shown = comparable(game.messages)
    assert shown == comparable(restored(game.history))
    assert any(m["role"] == "assistant" for m in shown)
    assert game.errors == []  # every chunk passed the schema


def test_recorded_failed_and_cancelled_turns_show_an_error_and_an_abort(replayed: Dict[str, Played]) -> None:
    failed, cancelled = replayed["fail-tokens"], replayed["cancel-tokens"]
    assert failed.errors == ["An error occurred with the LLM request."]
    assert "OpenAI API error" not in failed.turns[0].sse
    assert '"type":"abort"' in cancelled.turns[0].sse
    assert [p["type"] for p in cancelled.messages[-1]["parts"]] == ["step-start", "text"]
    assert restored(failed.history) == restored(cancelled.history) == []


def test_the_recorded_and_simulated_turns_are_at_least_thirty(
    simulated: Dict[str, Played], replayed: Dict[str, Played]
) -> None:
    assert sum(len(game.turns) for game in simulated.values()) >= 30
    assert sum(len(game.turns) for game in replayed.values()) >= 15


def _transcript(name: str) -> tuple[bytes, List[LettaMessageUnion]]:
    """The transcript's SSE as our relay sends it, and the messages the SDK merges from it (what
    the history holds for the run: the transcripts have no history of their own)."""
    raw = (FIXTURES / f"{name}.sse").read_bytes()
    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, content=raw, headers={"content-type": "text/event-stream"})
    )
    client = Letta(
        base_url="http://letta.test", api_key="k", http_client=httpx.Client(transport=transport), max_retries=0
    )
    stream = client.agents.messages.stream("agent-00000000-0000-4000-8000-000000000001", input="hi", yield_pings=True)
    framer = Framer(UIMessageStreamEncoder())
    out = b""
    try:
        for event in stream:
            out += framer.event(event)
    except LettaStreamError as error:
        assert error.error is not None
        out += framer.event(error.error)
        messages = list(error.partial_response.messages) if error.partial_response is not None else []
    else:
        messages = list(stream.get_final_response().messages)
    return out + framer.end(None), messages


@pytest.mark.parametrize("name", TRANSCRIPTS)
def test_a_raw_letta_stream_passes_the_schema_and_assembles_to_its_messages(
    node_clients: NodeClients, name: str
) -> None:
    sse, messages = _transcript(name)
    [result] = node_clients.run("ui_read.mjs", [{"sse": sse.decode()}])
    assert result["invalid"] == []
    assert result["chunks"][0] == "start" and result["chunks"][-1] in ("finish", "abort")
    shown = comparable([result["message"]])
    assert shown == comparable(ui_messages(messages))
    assert shown or name == "i_fail_llm_step_stream"
    if name == "i_fail_llm_step_stream":
        assert '"type":"error"' in sse.decode() and "OpenAI API error" not in sse.decode()


def _check_replays(node: NodeClients, games: List[Played]) -> int:
    jobs = [(game, job) for game in games for job in continuation_replays(game)]
    results = node.run("ui_read.mjs", [{"sse": job["sse"]} for _, job in jobs])
    for (game, job), result in zip(jobs, results):
        assert result["invalid"] == [] and result["errors"] == [], (game.script.name, result)
        [wanted] = [m for m in restored(game.history) if m["id"] == job["turn"]]
        assert comparable([result["message"]]) == comparable([wanted]), game.script.name
    return len(jobs)


def test_a_run_an_answer_started_replays_from_its_start_to_the_whole_turn(
    node_clients: NodeClients, simulated: Dict[str, Played], replayed: Dict[str, Played]
) -> None:
    # what a reload in the middle of such a run gets: the AI SDK starts the replay from an empty
    # message, so the replay must rebuild the turn's earlier runs and the answers first
    games = [g for g in [*simulated.values(), *replayed.values()] if not g.script.name.startswith("cancel")]
    assert _check_replays(node_clients, games) >= 15
