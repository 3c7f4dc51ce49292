"""A minimal AG-UI endpoint on 127.0.0.1 for the conformance tests: the real ``HttpAgent`` (Node)
POSTs its ``RunAgentInput``; ``parse_run_input`` reads it, the turn goes to Letta (the simulator
or a live server) through the SDK's exactly-once conversation send, and ``Framer(AGUIEncoder)``
streams it back. Only what the tests need: no authorization, no origin checks (the real ASGI app
is ``letta_client.web.asgi``)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator, List, Optional, Sequence, cast

from letta_client import Letta
from letta_client._exceptions import LettaStreamError
from letta_client.types.messages import LettaMessageUnion, LettaStreamingResponse
from letta_client.web._framer import Framer, Problem
from letta_client.web._inbound import BadRequest
from letta_client.web._sse import STREAM_HEADERS
from letta_client.web.agui import AGUIEncoder, RunInput, agui_messages, parse_run_input

__all__ = ["AGUIEndpoint", "Served", "Turn", "check_thread", "node_turns", "normalized", "turn_messages"]


@dataclass
class Served:
    """One POST the endpoint answered: what it read, the Letta run, and its status."""

    status: int
    run_input: Optional[RunInput] = None
    run_id: Optional[str] = None
    reason: Optional[str] = None


@dataclass
class AGUIEndpoint:
    """``POST /agui`` for one Letta client. ``stream_tokens`` picks token or step mode;
    ``cancel_after`` names a ``message_type`` per conversation: that conversation is cancelled
    right after the first event of that type was relayed."""

    client: Letta
    stream_tokens: bool = True
    cancel_after: Dict[str, str] = field(default_factory=lambda: {})
    served: List[Served] = field(default_factory=lambda: [])

    def turn(self, run: RunInput, record: Served) -> Iterator[bytes]:
        outgoing = run.outgoing
        framer = Framer(AGUIEncoder(outgoing.conversation_id, run.run_id, sent=outgoing.messages))
        problem: Optional[Problem] = None
        cancelled = False
        try:
            stream = self.client.conversations.messages.send(
                outgoing.conversation_id,
                messages=outgoing.messages,  # type: ignore[arg-type]
                stream_tokens=self.stream_tokens,
                background=True,
                include_pings=True,
                client_tools=run.client_tools or None,  # type: ignore[arg-type]
            )
            event: LettaStreamingResponse
            for event in stream:
                run_id = getattr(event, "run_id", None)
                if record.run_id is None and isinstance(run_id, str):
                    record.run_id = run_id
                yield framer.event(event)
                if not cancelled and event.message_type == self.cancel_after.get(outgoing.conversation_id):
                    cancelled = True
                    self.client.conversations.cancel(outgoing.conversation_id)
        except LettaStreamError as error:
            problem = Problem("error", f"The agent's turn failed ({error.error_type}).")
        yield framer.end(problem)

    def serve(self) -> _Running:
        return _Running(self)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        endpoint = cast(_Server, self.server).endpoint
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        record = Served(status=200)
        endpoint.served.append(record)
        try:
            run = parse_run_input(json.loads(body), max_messages=500, max_message_chars=20_000)
        except BadRequest as error:
            record.status, record.reason = error.status, error.reason
            self._answer(error.status, {"error": error.reason})
            return
        record.run_input = run
        self.send_response(200)
        for name, value in STREAM_HEADERS.items():
            self.send_header(name, value)
        self.send_header("connection", "close")
        self.end_headers()
        for chunk in endpoint.turn(run, record):
            if chunk:
                self.wfile.write(chunk)
                self.wfile.flush()
        self.close_connection = True

    def _answer(self, status: int, payload: Dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("connection", "close")
        self.end_headers()
        self.wfile.write(data)
        self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, endpoint: AGUIEndpoint) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.endpoint = endpoint


class _Running:
    """``with endpoint.serve() as url:`` the endpoint on a loopback port."""

    def __init__(self, endpoint: AGUIEndpoint) -> None:
        self._server = _Server(endpoint)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self._thread.start()
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/agui"

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def turn_messages(history: List[LettaMessageUnion], run_id: Optional[str]) -> List[Dict[str, Any]]:
    """``agui_messages`` of the messages one run added to the history, without the user's own
    (the browser made those itself, under its own ids)."""
    mine = [m for m in history if getattr(m, "run_id", None) == run_id and m.message_type != "user_message"]
    return agui_messages(mine)


def _arguments(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def normalized(messages: List[Dict[str, Any]], *, drop_client_tools: bool = True) -> List[Dict[str, Any]]:
    """Messages with each user message's id replaced by its position among the user messages (the
    browser names its own, Letta stores its own), the tool messages the browser added for its
    frontend tools (ids ending ``:client``) left out (the server's result stands for them), and
    tool call arguments read as JSON (Letta 0.16.8 stores parallel calls' arguments written again,
    ``{"a": 1}`` for the ``{"a":1}`` it streamed)."""
    out: List[Dict[str, Any]] = []
    users = 0
    for message in messages:
        if drop_client_tools and message["role"] == "tool" and str(message["id"]).endswith(":client"):
            continue
        if message["role"] == "user":
            users += 1
            message = {**message, "id": f"user-{users}"}
        if message.get("toolCalls"):
            calls = [
                {**call, "function": {**call["function"], "arguments": _arguments(call["function"]["arguments"])}}
                for call in message["toolCalls"]
            ]
            message = {**message, "toolCalls": calls}
        out.append(message)
    return out


@dataclass
class Turn:
    """One ``runAgent`` of a test conversation: a user message (and the simulated agent's script
    for it) or answers to the open interrupts, and the outcome the client must report."""

    outcome: str
    user: Optional[str] = None
    script: Sequence[Any] = ()
    answers: Sequence[Dict[str, Any]] = ()
    tools: Sequence[Dict[str, Any]] = ()


def node_turns(turns: Sequence[Turn]) -> List[Dict[str, Any]]:
    """The turns as ``agui_read.mjs`` takes them."""
    out: List[Dict[str, Any]] = []
    for number, turn in enumerate(turns):
        spec: Dict[str, Any] = {"tools": list(turn.tools)}
        if turn.user is not None:
            spec["user"] = {"id": f"browser-{number}", "content": turn.user}
        if turn.answers:
            spec["answers"] = list(turn.answers)
        out.append(spec)
    return out


def check_thread(
    client: Letta, conversation_id: str, turns: Sequence[Turn], read: Dict[str, Any], served: List[Served], where: str
) -> int:
    """What the real client read of one conversation: valid events only, no warning, each turn's
    outcome, and the messages it assembled equal to the server's history (each turn's new ones,
    and the whole thread). Returns the number of turns checked."""
    assert read["warnings"] == [], where
    mine = [s for s in served if s.run_input is not None and s.run_input.outgoing.conversation_id == conversation_id]
    history = list(client.conversations.messages.list(conversation_id, order="asc"))
    assert len(read["turns"]) == len(turns) == len(mine), where
    for number, (turn, got, record) in enumerate(zip(turns, read["turns"], mine)):
        at = f"{where}, turn {number + 1}"
        assert got["error"] is None, at
        assert got["invalid"] == [], at
        assert got["contentType"].startswith("text/event-stream"), at
        first = got["events"][0]
        assert first["type"] == "RUN_STARTED", at
        assert (first["runId"], first["threadId"]) == (got["input"]["runId"], conversation_id), at
        assert got["outcome"] == turn.outcome, at
        assert record.status == 200 and record.run_id is not None, at
        if turn.outcome == "interrupt":
            assert got["interrupts"], at
            assert all(i["reason"] == "tool_approval" and i["id"] == i["toolCallId"] for i in got["interrupts"]), at
        if turn.outcome == "error":
            assert got["runError"]["message"], at
        assert normalized(got["newMessages"]) == normalized(turn_messages(history, record.run_id)), at
    # a failed turn's user message: the client keeps it, Letta 0.16.8 does not store it (the
    # simulator does); the comparison leaves it out on both sides
    failed_runs = {record.run_id for turn, record in zip(turns, mine) if turn.outcome == "error"}
    failed_users = {f"browser-{n}" for n, turn in enumerate(turns) if turn.outcome == "error"}
    stored = [
        m for m in history if not (m.message_type == "user_message" and getattr(m, "run_id", None) in failed_runs)
    ]
    kept = [m for m in read["messages"] if m["id"] not in failed_users]
    assert normalized(kept) == normalized(agui_messages(stored)), where
    return len(turns)
