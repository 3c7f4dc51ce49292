"""Plays a turn's actions into server output: whole messages, token chunks, and the outcome.

``render_turn`` is pure apart from new ids and the clock. Its ``Turn`` holds what every way of
answering needs: ``messages`` (the whole messages, for JSON answers and the history) and
``items`` (what a stream sends, in order: an ``Emit`` with the whole message and its token-mode
chunks, or a ``Wait``).
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import datetime
from typing import AbstractSet, Any, Callable, Dict, List, Mapping, Optional, Sequence, Union

from . import _wire as wire
from ._script import Action, Delay, Disconnect, Error, Hold, Reply, Think, ToolCall, ToolFunction
from ._wire import Json

__all__ = ["Emit", "Pending", "Turn", "Wait", "approval_response_message", "render_turn", "run_tool"]


@dataclasses.dataclass
class Emit:
    """One message: sent whole in step mode, as ``chunks`` in token mode."""

    whole: Json
    chunks: List[Json]


@dataclasses.dataclass
class Wait:
    """A pause in the stream (``Delay`` or ``Hold``)."""

    action: Union[Delay, Hold]


@dataclasses.dataclass
class Pending:
    """Client-tool calls the agent waits for, and what it does once they are answered."""

    approval_id: str
    step_id: str
    tool_call_ids: List[str]
    names: Dict[str, str]
    continuation: List[Action]
    server_calls: Dict[str, ToolCall] = dataclasses.field(default_factory=lambda: {})
    """The calls of server tools that wait for approval, by call id: the server runs them once approved."""


@dataclasses.dataclass
class Turn:
    messages: List[Json] = dataclasses.field(default_factory=lambda: [])
    items: List[Union[Emit, Wait]] = dataclasses.field(default_factory=lambda: [])
    stop_reason: str = "end_turn"
    error: Optional[Error] = None
    error_after_messages: bool = False
    disconnect_after: Optional[int] = None
    pending: Optional[Pending] = None
    steps: int = 0
    completion_tokens: int = 0
    first_step_id: Optional[str] = None

    def emit(self, whole: Json, chunks: Optional[List[Json]] = None) -> None:
        self.messages.append(whole)
        self.items.append(Emit(whole, chunks if chunks is not None else [whole]))


def _words(text: str) -> List[str]:
    return re.findall(r"\S+\s*|\s+", text) or [text]


def _pieces(text: str, size: int = 5) -> List[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [text]


class _LLMCall:
    """One LLM call: every message it produces shares ``id``; ``otid`` counts type changes."""

    def __init__(self, turn: Turn, run_id: str, date: str) -> None:
        self.id = wire.new_id("message")
        self.step_id = wire.new_id("step")
        self.run_id = run_id
        self.date = date
        self.index = -1
        self.last_type: Optional[str] = None
        turn.steps += 1
        if turn.first_step_id is None:
            turn.first_step_id = self.step_id

    def base(self, message_type: str) -> Json:
        if message_type != self.last_type:
            self.index += 1
            self.last_type = message_type
        return wire.base_message(
            message_type,
            id=self.id,
            date=self.date,
            otid=wire.otid_for(self.id, self.index),
            step_id=self.step_id,
            run_id=self.run_id,
        )


def _text_message(call: _LLMCall, message_type: str, field: str, text: str) -> Emit:
    base = call.base(message_type)

    def shaped(value: str) -> Json:
        if field == "reasoning":
            return {**base, "source": "reasoner_model", "reasoning": value, "signature": None}
        return {**base, field: value}

    return Emit(shaped(text), [shaped(piece) for piece in _words(text)])


def _calls_message(call: _LLMCall, calls: Sequence[Json]) -> Emit:
    base = call.base("tool_call_message")
    whole = {**base, "tool_call": calls[0], "tool_calls": list(calls)}
    chunks: List[Json] = []
    for item in calls:
        for number, piece in enumerate(_pieces(item["arguments"])):
            delta: Json = {"name": item["name"]} if number == 0 else {}
            delta.update({"arguments": piece, "tool_call_id": item["tool_call_id"]})
            chunks.append({**base, "tool_call": delta, "tool_calls": delta})
    return Emit(whole, chunks)


def _approval_message(call: _LLMCall, calls: Sequence[Json]) -> Emit:
    message_id = wire.approval_id(call.id)
    base = wire.base_message(
        "approval_request_message",
        id=message_id,
        date=call.date,
        otid=message_id,
        step_id=call.step_id,
        run_id=call.run_id,
    )
    whole = {**base, "tool_call": calls[0], "tool_calls": list(calls)}
    chunks: List[Json] = []
    for item in calls:
        first: Json = {"name": item["name"], "arguments": None, "tool_call_id": item["tool_call_id"]}
        chunks.append({**base, "tool_call": first, "tool_calls": first})
        for piece in _pieces(item["arguments"]):
            delta: Json = {"name": None, "arguments": piece, "tool_call_id": item["tool_call_id"]}
            chunks.append({**base, "tool_call": delta, "tool_calls": delta})
    return Emit(whole, chunks)


def tool_return_message(returns: Sequence[Json], *, step_id: Optional[str], run_id: str, date: str) -> Json:
    message_id = wire.new_id("message")
    base = wire.base_message(
        "tool_return_message",
        id=message_id,
        date=date,
        otid=wire.otid_for(message_id, 0),
        step_id=step_id,
        run_id=run_id,
    )
    return {**base, **wire.tool_return_fields(returns)}


def approval_response_message(message: Json, *, run_id: str, date: str) -> Json:
    """The ``approval_response_message`` the server stores for an approval message: its answers
    (approvals as the server normalises them), and the first one's deprecated mirrors."""
    answers: List[Json] = []
    for item in wire.as_list(message.get("approvals")) or []:
        fields = wire.as_object(item) or {}
        if fields.get("type", "tool") == "approval":
            answers.append(
                {
                    "type": "approval",
                    "tool_call_id": fields.get("tool_call_id"),
                    "approve": fields.get("approve") is True,
                    "reason": fields.get("reason"),
                }
            )
        else:
            answers.append(dict(fields))
    first = next((answer for answer in answers if answer["type"] == "approval"), None)
    response = wire.base_message(
        "approval_response_message",
        id=wire.new_id("message"),
        date=date,
        otid=None,
        step_id=None,
        run_id=run_id,
    )
    response.update(
        approvals=answers,
        approve=None if first is None else first["approve"],
        approval_request_id=None if first is None else first["tool_call_id"],
        reason=None if first is None else first["reason"],
    )
    return response


@dataclasses.dataclass
class TurnContext:
    run_id: str
    now: datetime
    client_tools: Mapping[str, Mapping[str, Any]]
    tools: Mapping[str, ToolFunction]
    next_call_id: Callable[[], str]
    approval_tools: AbstractSet[str] = frozenset()
    """Server tools the agent may call only once approved (its ``requires_approval`` tool rules)."""


def render_turn(
    actions: Sequence[Action], context: TurnContext, *, prefix: Sequence[Json] = (), prefix_streamed: bool = False
) -> Turn:
    """Play ``actions``. ``prefix`` are whole messages sent first (the tool returns of a
    resumed approval; token mode leaves them out, as the server does, unless ``prefix_streamed``:
    the server ran an approved tool in this run)."""
    turn = Turn()
    date = wire.message_date(context.now)
    for message in prefix:
        turn.messages.append(message)
        turn.items.append(Emit(message, [message] if prefix_streamed else []))
    call: Optional[_LLMCall] = None
    position = 0
    while position < len(actions):
        action = actions[position]
        position += 1
        if isinstance(action, (Think, Reply)):
            if call is None:
                call = _LLMCall(turn, context.run_id, date)
            if isinstance(action, Think):
                emit = _text_message(call, "reasoning_message", "reasoning", action.text)
            else:
                emit = _text_message(call, "assistant_message", "content", action.text)
            turn.messages.append(emit.whole)
            turn.items.append(emit)
            turn.completion_tokens += len(_words(action.text))
        elif isinstance(action, ToolCall):
            group = [action]
            while position < len(actions) and isinstance(actions[position], ToolCall):
                group.append(actions[position])  # type: ignore[arg-type]
                position += 1
            if call is None:
                call = _LLMCall(turn, context.run_id, date)
            calls = [
                wire.tool_call(item.name, wire.dumps(dict(item.arguments)), item.tool_call_id or context.next_call_id())
                for item in group
            ]
            turn.completion_tokens += sum(len(c["arguments"]) // 4 + 1 for c in calls)
            if any(item.name in context.client_tools or item.name in context.approval_tools for item in group):
                emit = _approval_message(call, calls)
                turn.messages.append(emit.whole)
                turn.items.append(emit)
                turn.stop_reason = "requires_approval"
                turn.pending = Pending(
                    approval_id=emit.whole["id"],
                    step_id=call.step_id,
                    tool_call_ids=[c["tool_call_id"] for c in calls],
                    names={c["tool_call_id"]: c["name"] for c in calls},
                    continuation=list(actions[position:]),
                    server_calls={
                        c["tool_call_id"]: item
                        for item, c in zip(group, calls)
                        if item.name not in context.client_tools
                    },
                )
                return turn
            emit = _calls_message(call, calls)
            turn.messages.append(emit.whole)
            turn.items.append(emit)
            returns = [
                {"tool_call_id": c["tool_call_id"], "status": item.status, "tool_return": run_tool(item, context.tools)}
                for item, c in zip(group, calls)
            ]
            turn.emit(tool_return_message(returns, step_id=call.step_id, run_id=context.run_id, date=date))
            call = None
        elif isinstance(action, Error):
            turn.error = action
            turn.error_after_messages = bool(turn.messages)
            turn.stop_reason = wire.ERROR_STOP_REASONS.get(action.error_type, ("error", 500))[0]
            return turn
        elif isinstance(action, Disconnect):
            turn.disconnect_after = action.after_events
        else:
            turn.items.append(Wait(action))
    return turn


def run_tool(item: ToolCall, tools: Mapping[str, ToolFunction]) -> str:
    """What a server tool returns: the call's scripted ``result``, else its function's."""
    if item.result is not None:
        return item.result
    function = tools.get(item.name)
    if function is None:
        return json.dumps({"status": "OK", "message": f"{item.name} ran"})
    return function(item.arguments)
