"""``letta-chat`` / ``python -m letta_client chat``: talk to an agent from a terminal.

It connects where ``Letta()`` does: to ``$LETTA_BASE_URL`` when set, else to Letta Cloud, with
``$LETTA_API_KEY`` when set. Only when neither is set (``Letta()`` would then call Letta Cloud
without a key, and every request would fail with 401) does it talk to the built-in simulator
(``letta_client.testing``) instead. On a server it talks to ``--agent`` or ``$LETTA_AGENT_ID``
when given, else to the demo agent ``letta-client-demo``, found by name and reused, or created on
the first run (model ``$LETTA_MODEL``, else the first the server lists that works offline; see
``_demo_agent``).

Before the first prompt it checks the server (``client.health()``) and the agent, and prints one
banner line on stderr: the server, the agent and the conversation. Each start opens a new
conversation on the agent (``--conversation ID`` continues one), so two chats on one agent never
mix their turns, and sends are exactly-once. A turn already running in the conversation (another
chat on the same one) is shown to its end before the message goes out. Ctrl-C cancels the
conversation's running turn. Events are printed as they arrive: reasoning dimmed, tool calls as
``→ name(args)``, tool results as ``← result``, the assistant's text plain. Colours only on a
terminal, and never with ``NO_COLOR`` set.

The prompt has line editing and history (``readline``, where Python has it).

Exit codes: 0 ok, 1 a turn failed (or no model to create the demo agent with, or the server does
not have ``$LETTA_MODEL``), 2 the server cannot
be reached (``$LETTA_BASE_URL`` is not an http(s) URL, nothing answers there, or it is not a Letta
server), 3 the server refused the API key (401), 4 the
agent or conversation does not exist (404). Every failure is one line on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import NamedTuple, Optional, Sequence, TextIO

import httpx

# first: a clear ImportError when the official letta-client replaced our __init__ (see _coexistence)
from . import _own_init as _own_init  # isort: skip
from . import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    ConversationBusyError,
    Letta,
    LettaError,
    LettaStreamError,
    NotFoundError,
)
from ._demo_agent import DEMO_AGENT_NAME, NoModelError, find_or_create_demo_agent
from .types import (
    ApprovalRequestMessage,
    AssistantMessage,
    ReasoningMessage,
    ToolCallMessage,
    ToolReturnMessage,
)

__all__ = ["main"]

EXIT_OK, EXIT_TURN_FAILED, EXIT_UNREACHABLE, EXIT_AUTH, EXIT_NOT_FOUND = 0, 1, 2, 3, 4
_FATAL = (EXIT_UNREACHABLE, EXIT_AUTH, EXIT_NOT_FOUND)
_NORMAL_STOPS = ("end_turn", "requires_approval", "max_steps", "tool_rule")
_MAX_RESULT = 300


class _Style:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled and text else text

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def tool(self, text: str) -> str:
        return self._wrap("36", text)

    def result(self, text: str) -> str:
        return self._wrap("32", text)

    def error(self, text: str) -> str:
        return self._wrap("31", text)


def _use_colour(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


class _Printer:
    """Prints one turn's events live; token-mode fragments continue the current line."""

    def __init__(self, out: TextIO, style: _Style) -> None:
        self.out = out
        self.style = style
        self._part: Optional[tuple[Optional[str], str]] = None
        self._call_id: Optional[str] = None
        self._line_open = False
        self.waiting_for_approval = False

    def _write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()
        self._line_open = True

    def end_line(self) -> None:
        if self._call_id is not None:
            self._write(self.style.tool(")"))
            self._call_id = None
        if self._line_open:
            self.out.write("\n")
            self.out.flush()
            self._line_open = False
        self._part = None

    def _start(self, otid: Optional[str], kind: str) -> bool:
        """Begin a new part unless this event continues the current one."""
        key = (otid, kind)
        if otid is not None and key == self._part:
            return False
        self.end_line()
        self._part = key
        return True

    def event(self, event: object) -> None:
        if isinstance(event, ReasoningMessage):
            if self._start(event.otid, "reasoning"):
                self._write(self.style.dim("thinking: "))
            self._write(self.style.dim(event.reasoning))
        elif isinstance(event, AssistantMessage):
            self._start(event.otid, "assistant")
            self._write(event.text)
        elif isinstance(event, (ToolCallMessage, ApprovalRequestMessage)):
            approval = isinstance(event, ApprovalRequestMessage)
            self.waiting_for_approval = self.waiting_for_approval or approval
            self._start(event.otid, event.message_type)
            for call in event.calls:
                if call.tool_call_id is not None and call.tool_call_id != self._call_id:
                    if self._call_id is not None:
                        self.end_line()
                        self._part = (event.otid, event.message_type)
                    marker = "→ (needs the client) " if approval else "→ "
                    self._write(self.style.tool(f"{marker}{call.name or '?'}("))
                    self._call_id = call.tool_call_id
                if call.arguments:
                    self._write(self.style.tool(call.arguments))
        elif isinstance(event, ToolReturnMessage):
            self.end_line()
            for item in event.returns:
                text = item.tool_return if isinstance(item.tool_return, str) else str(item.tool_return)
                if len(text) > _MAX_RESULT:
                    text = text[:_MAX_RESULT] + "…"
                styled = self.style.result if item.status == "success" else self.style.error
                self._write(styled(f"← {text}"))
                self.end_line()


class _Chat:
    def __init__(self, client: Letta, conversation_id: str, *, tokens: bool, out: TextIO, err: TextIO) -> None:
        self.client = client
        self.conversation_id = conversation_id
        self.tokens = tokens
        self.out = out
        self.err = err
        self.style = _Style(_use_colour(out))

    def fail(self, text: str) -> None:
        self.err.write(self.style.error(text) + "\n")
        self.err.flush()

    def turn(self, text: str) -> int:
        """Send one message and print the reply as it streams; returns an exit code."""
        printer = _Printer(self.out, self.style)
        stream = None
        try:
            try:
                stream = self.client.conversations.messages.send(
                    self.conversation_id, input=text, stream_tokens=self.tokens
                )
            except ConversationBusyError as busy:  # another chat's turn: show it, then send
                self.out.write(self.style.dim(f"(another turn is running in this conversation: {busy.run_id})\n"))
                stream = self.client.conversations.messages.stream(self.conversation_id, run_id=busy.run_id)
                for event in stream:
                    printer.event(event)
                printer.end_line()
                stream = self.client.conversations.messages.send(
                    self.conversation_id, input=text, stream_tokens=self.tokens
                )
            for event in stream:
                printer.event(event)
        except KeyboardInterrupt:
            printer.end_line()
            self._interrupt(stream)
            return EXIT_OK
        except LettaStreamError as error:
            printer.end_line()
            self.fail(f"error: the turn failed: {error}")
            return EXIT_TURN_FAILED
        except AuthenticationError:
            printer.end_line()
            self.fail("error: the server refused the API key (401); check LETTA_API_KEY")
            return EXIT_AUTH
        except NotFoundError as error:
            printer.end_line()
            self.fail(f"error: conversation {self.conversation_id} not found (404): {error.detail or error}")
            return EXIT_NOT_FOUND
        except APIConnectionError as error:
            printer.end_line()
            if stream is None:
                self.fail(f"error: cannot reach the Letta server: {error}")
                return EXIT_UNREACHABLE
            self.fail(f"error: the stream broke off: {error}")
            return EXIT_TURN_FAILED
        except APIStatusError as error:
            printer.end_line()
            self.fail(f"error: {error}")
            return EXIT_TURN_FAILED
        printer.end_line()
        reason = stream.stop_reason.stop_reason if stream.stop_reason else None
        if printer.waiting_for_approval:
            self.out.write(self.style.dim("(the agent waits for a client-side tool result; this chat cannot run it)\n"))
        elif reason is not None and reason not in _NORMAL_STOPS:
            self.out.write(self.style.dim(f"(stopped: {reason})\n"))
        return EXIT_OK

    def _interrupt(self, stream: object) -> None:
        """Ctrl-C during a turn: close the stream, ask the server to cancel the conversation's run."""
        try:
            close = getattr(stream, "close", None)
            if close is not None:
                close()
            try:
                self.client.conversations.cancel(self.conversation_id)
            except LettaError:  # e.g. 409: the turn had ended already
                pass
        except KeyboardInterrupt:
            pass
        self.out.write(self.style.dim("(interrupted)\n"))
        self.out.flush()

    def loop(self) -> int:
        """Prompt, send, repeat; Ctrl-D or "exit" leaves."""
        while True:
            try:
                line = input("you> ")
            except EOFError:
                self.out.write("\n")
                return EXIT_OK
            except KeyboardInterrupt:
                self.out.write("\n")
                continue
            text = line.strip()
            if not text:
                continue
            if text in ("exit", "quit", "/exit", "/quit"):
                return EXIT_OK
            code = self.turn(text)
            if code in _FATAL:
                return code


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description=(
            "Chat with a Letta agent. Connects where Letta() does: $LETTA_BASE_URL, else Letta Cloud, with"
            " $LETTA_API_KEY; with neither variable set, to a built-in simulator."
            f" Without --agent or $LETTA_AGENT_ID it uses the agent named {DEMO_AGENT_NAME!r}, creating it"
            " if needed (model: $LETTA_MODEL, else one the server lists; embedding: $LETTA_EMBEDDING)."
        ),
    )
    parser.add_argument("message", nargs="*", help="send this one message and exit (default: interactive)")
    parser.add_argument(
        "--agent", help=f"the agent id (default: $LETTA_AGENT_ID, else the demo agent {DEMO_AGENT_NAME!r})"
    )
    parser.add_argument(
        "--conversation", metavar="ID", help="continue this conversation (default: a new one on the agent)"
    )
    parser.add_argument("--no-tokens", action="store_true", help="whole messages per step instead of token deltas")
    return parser


class _Setup(NamedTuple):
    conversation_id: str
    server_version: str
    agent: str
    """The agent's name and id (and the model it was created with, if it was created now)."""


def _prepare(client: Letta, agent_id: Optional[str], conversation_id: Optional[str]) -> _Setup:
    """Check the server and the agent (found, or the demo agent created), and open the conversation,
    before the first prompt. Raises ``_Failed`` with the exit code and one line saying why."""
    step, on_404 = "reach the Letta server", EXIT_UNREACHABLE  # what is being done, the exit code of a 404
    try:
        health = client.health()
        created = ""
        on_404 = EXIT_NOT_FOUND
        if conversation_id is not None:
            step = f"find conversation {conversation_id}"
            agent_id = client.conversations.retrieve(conversation_id).agent_id
        if agent_id is None:
            # a 404 here is the server's answer to a model it does not have ($LETTA_MODEL)
            step, on_404 = f"find or create the demo agent {DEMO_AGENT_NAME!r}", EXIT_TURN_FAILED
            agent, made = find_or_create_demo_agent(client)
            created = f", created now with model {agent.model}" if made else ""
        else:
            step = f"find agent {agent_id}"
            agent = client.agents.retrieve(agent_id)
        if conversation_id is None:
            step, on_404 = f"open a conversation on agent {agent.id}", EXIT_NOT_FOUND
            conversation_id = client.conversations.create(agent_id=agent.id).id
    except AuthenticationError as error:
        raise _Failed(EXIT_AUTH, f"the server refused the API key (401); check LETTA_API_KEY: {error}") from None
    except NotFoundError as error:
        raise _Failed(on_404, f"cannot {step}: {error}") from None
    except APIConnectionError as error:
        raise _Failed(EXIT_UNREACHABLE, f"cannot {step}: {error}") from None
    except (APIStatusError, NoModelError) as error:
        raise _Failed(EXIT_TURN_FAILED, f"cannot {step}: {error}") from None
    name = f"{agent.name} ({agent.id}{created})" if agent.name else f"{agent.id}{created}"
    return _Setup(conversation_id, health.version, name)


class _Failed(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code


class _Connection(NamedTuple):
    client: Letta
    source: Optional[str]
    """Why this server (``None``: the built-in simulator)."""
    default_agent_id: Optional[str]
    """The simulator's own agent (``None`` on a server: the demo agent is found or created)."""


def _connect(*, frame_delay: float) -> _Connection:
    """The client ``Letta()`` builds from the environment, unless it would call Letta Cloud
    without an API key (neither ``LETTA_BASE_URL`` nor ``LETTA_API_KEY`` set, the two read as
    ``Letta()`` reads them: empty means unset, and a key of only whitespace is no key), where
    every request would fail with 401: then the built-in simulator. Raises ``_Failed`` when
    ``Letta()`` refuses the environment (``LETTA_BASE_URL`` is not an http(s) URL, …)."""
    from_env = bool(os.environ.get("LETTA_BASE_URL"))
    if from_env or (os.environ.get("LETTA_API_KEY") or "").strip():
        try:
            client = Letta()
        except (ValueError, httpx.InvalidURL) as error:  # the message never shows the key
            raise _Failed(EXIT_UNREACHABLE, _settings_problem(error, from_env)) from None
        source = "from LETTA_BASE_URL" if from_env else "Letta Cloud: LETTA_API_KEY is set, LETTA_BASE_URL is not"
        return _Connection(client, source, None)
    from .testing import Simulator

    simulator = Simulator(frame_delay=frame_delay)
    return _Connection(simulator.client(), None, simulator.default_agent_id)


def _settings_problem(error: Exception, from_env: bool) -> str:
    problem = f"LETTA_BASE_URL is not a valid URL ({error})" if isinstance(error, httpx.InvalidURL) else str(error)
    text = f"cannot use the client's settings: {problem}"
    value = os.environ.get("LETTA_BASE_URL") or ""
    if from_env and "://" not in value:
        text += " (set LETTA_BASE_URL to a URL with its scheme, e.g. http://localhost:8283)"
    return text


def _line_editing() -> None:
    """Line editing and history at the prompt: ``input()`` uses ``readline`` once it is imported
    (absent on some platforms, e.g. Windows without ``pyreadline3``: then plain input)."""
    try:
        importlib.import_module("readline")
    except ImportError:
        pass


def main(argv: Optional[Sequence[str]] = None, *, prog: str = "letta-chat") -> int:
    """Run the chat; returns the exit code."""
    args = _parser(prog).parse_args(argv)
    out, err = sys.stdout, sys.stderr
    try:
        connection = _connect(frame_delay=0.02 if out.isatty() else 0.0)
    except _Failed as failed:
        err.write(f"error: {failed}\n")
        return failed.code
    client = connection.client
    agent_id: Optional[str] = args.agent or os.environ.get("LETTA_AGENT_ID") or None
    if not args.conversation:
        agent_id = agent_id or connection.default_agent_id
    try:
        try:
            setup = _prepare(client, agent_id, args.conversation)
        except _Failed as failed:
            err.write(f"error: {failed}\n")
            return failed.code
        server = (
            f"{client.base_url} (Letta {setup.server_version}, {connection.source})"
            if connection.source is not None
            else "built-in simulator (neither LETTA_BASE_URL nor LETTA_API_KEY is set)"
        )
        err.write(f"server: {server} · agent: {setup.agent} · conversation: {setup.conversation_id}\n")
        err.flush()
        chat = _Chat(client, setup.conversation_id, tokens=not args.no_tokens, out=out, err=err)
        if args.message:
            return chat.turn(" ".join(args.message))
        _line_editing()
        return chat.loop()
    finally:
        client.close()
