"""Conversations played through the AI SDK's own chat, for the conformance tests of the UI message
stream (simulated, recorded and live).

A ``Script`` is what a user does: send a text, or answer the pending tool calls. Each round, the
real ``ai`` chat (``AbstractChat`` over ``DefaultChatTransport``, in ``node/ui_read.mjs``) replays
the conversation so far and makes the next POST body; ``parse_chat_request`` turns that body into
what goes to Letta, the run's events go through ``UIMessageStreamEncoder.for_request`` and
``Framer``, and the SSE bytes become the chat's next response. At the end, the chat's messages
are held against ``ui_messages`` of the server's history.

What the comparison leaves out, and why:

* a user message's id: the browser makes its own (``ui-1``…); Letta keeps the message under its
  own id, and the browser's id only as the key of the turn;
* ``metadata.stopReason`` and ``metadata.usage``: the stream's ``finish`` carries them, the history
  does not keep them (a restored message has ``metadata.runId`` only);
* an assistant message without parts (a run that failed before saying anything): the history keeps
  nothing of such a run.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Union

from _web_node import NodeClients
from pydantic import TypeAdapter
from typing_extensions import Literal

from letta_client import Letta
from letta_client._exceptions import LettaStreamError
from letta_client.types.messages import LettaMessageUnion, LettaStreamingResponse
from letta_client.web._framer import Framer, Problem
from letta_client.web.ui_message_stream import UIMessageStreamEncoder, parse_chat_request, ui_messages

EVENTS: TypeAdapter[LettaStreamingResponse] = TypeAdapter(LettaStreamingResponse)
MESSAGES: TypeAdapter[LettaMessageUnion] = TypeAdapter(LettaMessageUnion)
LIMITS = {"max_messages": 500, "max_message_chars": 20_000}

CLIENT_TOOLS: List[Dict[str, Any]] = [
    {
        "name": "pick_color",
        "description": "Ask the user to pick a color.",
        "parameters": {"type": "object", "properties": {"hint": {"type": "string"}}, "required": ["hint"]},
    },
    {
        "name": "pick_size",
        "description": "Ask the user to pick a size.",
        "parameters": {"type": "object", "properties": {"unit": {"type": "string"}}, "required": ["unit"]},
    },
]


@dataclasses.dataclass(frozen=True)
class Answer:
    """The browser's answer to one pending tool call: ``approve``, ``deny`` (``value``: the
    reason), ``output`` (``value``: the client tool's result) or ``error`` (its error text)."""

    kind: Literal["approve", "deny", "output", "error"]
    value: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class Send:
    text: str
    actions: Sequence[Any] = ()
    """What the simulated agent does (``letta_client.testing`` actions); the live server reads
    trigger words in ``text`` instead."""
    cancel: bool = False
    """Cancel the run (``conversations.cancel``) once its first text arrives."""


Step = Union[Send, Sequence[Answer]]


@dataclasses.dataclass(frozen=True)
class Script:
    name: str
    steps: Sequence[Step]
    tokens: bool


@dataclasses.dataclass
class Turn:
    body: Dict[str, Any]
    events: List[Dict[str, Any]]
    sse: str
    pending: List[Dict[str, str]]
    """The tool calls the run left waiting: ``{"id", "name"}``."""


@dataclasses.dataclass
class Played:
    script: Script
    conversation_id: str
    turns: List[Turn] = dataclasses.field(default_factory=lambda: [])
    browser_steps: List[Dict[str, Any]] = dataclasses.field(default_factory=lambda: [])
    history: List[Dict[str, Any]] = dataclasses.field(default_factory=lambda: [])
    messages: List[Dict[str, Any]] = dataclasses.field(default_factory=lambda: [])
    """The browser's messages at the end."""
    errors: List[str] = dataclasses.field(default_factory=lambda: [])


def browser_step(step: Step, pending: List[Dict[str, str]]) -> Dict[str, Any]:
    """A script step as the ``ui_read.mjs`` chat step: the answers go to the pending calls in order."""
    if isinstance(step, Send):
        return {"send": step.text}
    assert len(step) == len(pending), f"{len(step)} answers for {len(pending)} pending calls"
    answers: List[Dict[str, Any]] = []
    for answer, call in zip(step, pending):
        if answer.kind in ("approve", "deny"):
            approval: Dict[str, Any] = {"toolCallId": call["id"], "approved": answer.kind == "approve"}
            if answer.value is not None:
                approval["reason"] = answer.value
            answers.append({"approve": approval})
        elif answer.kind == "output":
            answers.append({"output": {"tool": call["name"], "toolCallId": call["id"], "output": answer.value}})
        else:
            answers.append({"error": {"tool": call["name"], "toolCallId": call["id"], "errorText": answer.value}})
    return {"answer": answers}


def encode(body: Mapping[str, Any], events: Sequence[Dict[str, Any]], problem: Optional[Problem] = None) -> str:
    """The SSE text the relay sends for a run of these (recorded) events."""
    framer = Framer(UIMessageStreamEncoder.for_request(parse_chat_request(body, **LIMITS)))
    out = b"".join(framer.event(EVENTS.validate_python(event)) for event in events)
    return (out + framer.end(problem)).decode()


def pending_calls(events: Sequence[Dict[str, Any]]) -> List[Dict[str, str]]:
    calls: Dict[str, str] = {}
    for event in events:
        if event.get("message_type") != "approval_request_message":
            continue
        deltas = event.get("tool_calls")
        for delta in deltas if isinstance(deltas, list) else [deltas or event.get("tool_call") or {}]:
            call_id = delta.get("tool_call_id")
            if call_id and (call_id not in calls or not calls[call_id]):
                calls[call_id] = calls.get(call_id) or delta.get("name") or ""
    return [{"id": call_id, "name": name} for call_id, name in calls.items()]


def run_turn(client: Letta, played: Played, body: Dict[str, Any]) -> Turn:
    """One POST body's turn on the server: its events and the SSE the relay would send."""
    outgoing = parse_chat_request(body, **LIMITS)
    assert outgoing.conversation_id == played.conversation_id
    step = played.script.steps[len(played.turns)]
    stream = client.conversations.messages.send(
        played.conversation_id,
        messages=outgoing.messages,  # type: ignore[arg-type]
        streaming=True,
        background=True,
        stream_tokens=played.script.tokens,
        include_pings=True,
        client_tools=CLIENT_TOOLS,  # type: ignore[arg-type]
    )
    events: List[Dict[str, Any]] = []
    cancelled = False
    try:
        for event in stream:
            if event.message_type != "ping":
                events.append(event.to_dict(mode="json"))
            if isinstance(step, Send) and step.cancel and not cancelled and event.message_type == "assistant_message":
                client.conversations.cancel(played.conversation_id)
                cancelled = True
    except LettaStreamError as error:
        if error.error is None:
            raise
        events.append(error.error.to_dict(mode="json"))
    return Turn(body, events, encode(body, events), pending_calls(events))


def _chat_job(played: Played, responses: List[str]) -> Dict[str, Any]:
    return {"chat": {"id": played.conversation_id, "steps": played.browser_steps, "responses": responses}}


Prepare = Callable[[int, Step], None]
"""Called before a step of the script at that index goes to the server (the simulator queues the
agent's actions there)."""


def play(
    node: NodeClients,
    client: Letta,
    scripts: Sequence[Script],
    conversations: Sequence[str],
    prepare: Optional[Prepare] = None,
) -> List[Played]:
    """Play every script (one conversation each), round by round, through the AI SDK's chat."""
    games = [Played(script, conversation) for script, conversation in zip(scripts, conversations)]
    for round_ in range(max(len(script.steps) for script in scripts)):
        live = [game for game in games if round_ < len(game.script.steps)]
        for game in live:
            pending = game.turns[-1].pending if game.turns else []
            game.browser_steps.append(browser_step(game.script.steps[round_], pending))
        results = node.run("ui_read.mjs", [_chat_job(game, [turn.sse for turn in game.turns]) for game in live])
        for game, result in zip(live, results):
            if prepare is not None:
                prepare(games.index(game), game.script.steps[round_])
            game.turns.append(run_turn(client, game, result["bodies"][round_]))
    finish(node, games)
    for game in games:
        game.history = [
            m.to_dict(mode="json")
            for m in client.conversations.messages.list(game.conversation_id, order="asc", limit=1000)
        ]
    return games


def finish(node: NodeClients, games: Sequence[Played]) -> None:
    """The browser's messages once every response of each game arrived."""
    results = node.run("ui_read.mjs", [_chat_job(game, [turn.sse for turn in game.turns]) for game in games])
    for game, result in zip(games, results):
        assert len(result["bodies"]) == len(game.turns), result
        for turn, body in zip(game.turns, result["bodies"]):
            assert body == turn.body, "the chat sent another body than the one the turn was played with"
        game.messages = result["messages"]
        game.errors = result["errors"]


def comparable(messages: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Messages as the comparison sees them (see the module's docstring)."""
    out: List[Dict[str, Any]] = []
    for message in messages:
        if message["role"] == "assistant" and not message["parts"]:
            continue
        message = dict(message)
        if message["role"] == "user":
            message.pop("id")
            message.pop("metadata", None)
        elif isinstance(message.get("metadata"), dict):
            message["metadata"] = {k: v for k, v in message["metadata"].items() if k not in ("stopReason", "usage")}
        out.append(message)
    return out


def restored(history: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return ui_messages([MESSAGES.validate_python(message) for message in history])


def continuation_replays(game: Played) -> List[Dict[str, Any]]:
    """A ``ui_read.mjs`` read job per run an approval's answer started: that run replayed from its
    start as a resume sends it (``for_run`` on the history, no Last-Event-ID), which the AI SDK
    reads from an empty message (``useChat``'s resume resets its state on a replay's first
    ``start``), with the id of the turn's message the replay must rebuild."""
    history = [MESSAGES.validate_python(message) for message in game.history]
    jobs: List[Dict[str, Any]] = []
    for turn in game.turns:
        outgoing = parse_chat_request(turn.body, **LIMITS)
        if outgoing.messages[0]["type"] != "approval":
            continue
        run_id = next(event["run_id"] for event in turn.events if isinstance(event.get("run_id"), str))
        framer = Framer(UIMessageStreamEncoder.for_run(history, run_id))
        body = b"".join(framer.event(EVENTS.validate_python(event)) for event in turn.events) + framer.end(None)
        jobs.append({"sse": body.decode(), "turn": outgoing.key.split(":approval:")[0]})
    return jobs
