"""What a simulated agent does in a turn: the script actions, and the default behaviour.

A turn is a list of actions played in order. ``Think`` and ``Reply`` become reasoning and
assistant messages of the current LLM call; a ``ToolCall`` ends that call (the server runs the
tool, or, for a tool the request declared in ``client_tools``, the agent pauses for its result
and the actions after it are played once the result arrives). ``Error`` ends the turn with an
error, ``Delay``/``Hold`` slow the stream down, ``Disconnect`` drops the connection.
"""

from __future__ import annotations

import dataclasses
import json
import re
import threading
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Union

from typing_extensions import Literal

from ._wire import as_object as wire_object

__all__ = [
    "Action",
    "Delay",
    "Disconnect",
    "Error",
    "Hold",
    "Reply",
    "Think",
    "ToolCall",
    "ToolFunction",
    "default_actions",
    "get_weather",
]


@dataclasses.dataclass(frozen=True)
class Reply:
    """An assistant message (streamed word by word in token mode)."""

    text: str


@dataclasses.dataclass(frozen=True)
class Think:
    """A reasoning message."""

    text: str


@dataclasses.dataclass(frozen=True)
class ToolCall:
    """The agent calls a tool.

    A tool named in the request's ``client_tools`` is the client's to run: the stream shows an
    ``approval_request_message`` and stops with ``requires_approval``. Any other tool runs on
    the "server": ``result`` (or the simulator's tool function of that name) becomes a
    ``tool_return_message``. Consecutive ``ToolCall``\\ s are parallel calls of one LLM step.
    """

    name: str
    arguments: Mapping[str, Any] = dataclasses.field(default_factory=lambda: {})
    result: Optional[str] = None
    status: Literal["success", "error"] = "success"
    tool_call_id: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class Error:
    """The turn fails here.

    Streaming: ``stop_reason`` → ``event: error`` (→ ``[DONE]`` when nothing was sent yet; a
    failure after the first message ends the stream without it, as the real server does).
    Non-streaming: the HTTP error the server would answer with (``llm_*`` types give the
    ``{"error": {...}}`` body with 429/401/402/504/400/500; others 500).
    """

    error_type: str = "llm_error"
    message: Optional[str] = None
    detail: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class Disconnect:
    """The connection drops after ``after_events`` SSE frames (the initial ping counts).

    The run itself goes on: a background run can be resumed, and the history is complete.
    """

    after_events: int


@dataclasses.dataclass(frozen=True)
class Delay:
    """Nothing is sent for ``seconds`` (a cancel ends the wait early)."""

    seconds: float


@dataclasses.dataclass(frozen=True)
class Hold:
    """Nothing is sent until ``event`` is set (or ``timeout`` seconds pass, or the run is
    cancelled). Lets a test decide exactly when a slow turn goes on."""

    event: threading.Event
    timeout: Optional[float] = None


Action = Union[Reply, Think, ToolCall, Error, Disconnect, Delay, Hold]
"""One step of a scripted turn."""

ToolFunction = Callable[[Mapping[str, Any]], str]
"""A server-side tool: gets the call's arguments, returns the tool's result text."""

_CITY = re.compile(r"\b(?:in|at|for)\s+([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)")


def _city(text: str) -> str:
    match = _CITY.search(text)
    return match.group(1) if match else "San Francisco"


def get_weather(arguments: Mapping[str, Any]) -> str:
    """The built-in server tool: a fixed, cheerful forecast."""
    city = str(arguments.get("city") or arguments.get("location") or "San Francisco")
    return json.dumps({"city": city, "forecast": "sunny", "temperature_c": 21})


def _guess_arguments(parameters: Optional[Mapping[str, Any]], text: str) -> Dict[str, Any]:
    """Fill a client tool's JSON-Schema parameters from the user's text (string fields only)."""
    properties: Mapping[str, Any] = (parameters or {}).get("properties") or {}
    arguments: Dict[str, Any] = {}
    for name, schema in properties.items():
        kind = (wire_object(schema) or {}).get("type")
        if kind in (None, "string"):
            arguments[name] = _city(text) if name in ("city", "location", "place") else text
    return arguments


def default_actions(text: str, client_tools: Sequence[Mapping[str, Any]]) -> List[Action]:
    """What an unscripted agent does: it thinks, calls a client tool whose name the text
    contains, or the server tool ``get_weather`` when the text mentions the weather, and
    otherwise echoes the text."""
    actions: List[Action] = [Think(f"The user said: {text}")]
    lowered = text.lower()
    for tool in client_tools:
        name = str(tool.get("name", ""))
        if name and name.lower() in lowered:
            actions.append(ToolCall(name, _guess_arguments(tool.get("parameters"), text)))
            return actions
    if "weather" in lowered:
        city = _city(text)
        actions.append(ToolCall("get_weather", {"city": city}))
        actions.append(Reply(f"It is sunny and 21°C in {city}."))
        return actions
    actions.append(Reply(f"echo: {text}"))
    return actions
