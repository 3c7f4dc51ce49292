"""``python -m letta_client web [--port 8000] [--host 127.0.0.1] [--agent AGENT_ID]``: a one-page chat
in the browser, served by ``letta_client.web.asgi.chat_app`` (the ``web`` extra: Starlette and uvicorn).

It talks to ``$LETTA_BASE_URL`` (with ``$LETTA_API_KEY``), or to Letta Cloud when only the key is
set, as ``Letta()`` does; with neither, to the built-in simulator (``letta_client.testing``),
served on 127.0.0.1. Its agent is ``--agent`` or ``$LETTA_AGENT_ID``, else the demo agent
``letta-client-demo``, found by name or created as the terminal chat does. The demo agent gets one
server tool that waits for the user's approval (``shout``), so approve and deny show in the page.

The page is at ``/``, the API at ``/api`` (the AI SDK's default paths). It binds 127.0.0.1 unless
told otherwise, and then warns: whoever reaches the port uses the agent with this process's key.
It serves only the conversations it created itself and those of its agent; any other
conversation id on the server is "not found" (404), for every action.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import hashlib
import ipaddress
import logging
import os
import re
import socket
import sys
import threading
from base64 import b64encode
from importlib import resources
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncGenerator,
    Callable,
    Generator,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    Set,
)

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route

from .._client import AsyncLetta, Letta
from .._demo_agent import DEMO_AGENT_NAME, NoModelError, find_or_create_demo_agent
from .._exceptions import APIConnectionError, APIStatusError, AuthenticationError, NotFoundError
from .asgi import Action, chat_app

if TYPE_CHECKING:
    from ..testing import Simulator

__all__ = [
    "APPROVAL_TOOL",
    "DemoAuthorize",
    "DemoServer",
    "demo_app",
    "install_approval_tool",
    "main",
    "shout",
    "teach_simulator",
]

APPROVAL_TOOL = "shout"
"""The demo agent's tool that runs only once the user approves it in the page."""

_TOOL_TAG = "letta-client-demo"
_TOOL_SOURCE = '''def shout(text: str) -> str:
    """Say a text loudly: in capital letters, with an exclamation mark. Ask before using it.

    Args:
        text: What to shout.

    Returns:
        str: The text in capital letters.
    """
    return text.upper() + "!"
'''
_LOOPBACK_NAMES = ("localhost",)
_CACHE_SIZE = 10_000


def shout(arguments: Mapping[str, Any]) -> str:
    """The approval tool as the simulator runs it (the same as its source above, which a server runs)."""
    return str(arguments.get("text", "")).upper() + "!"


def teach_simulator(simulator: Simulator) -> None:
    """Give the simulator the demo's approval tool as a server has it after the first run: its
    source in the tool registry, and the function that runs it."""
    with simulator.client() as client:
        client.tools.upsert(source_code=_TOOL_SOURCE, tags=[_TOOL_TAG])
    simulator.add_tool(APPROVAL_TOOL, shout)


# -- who may use which conversation -----------------------------------------------------------------


class DemoAuthorize:
    """The demo's ``authorize``: the conversations this process created, and those of its agent
    (asked of the server once per conversation, then remembered). Everything else is refused."""

    def __init__(self, client: AsyncLetta, agent_id: str) -> None:
        self.client = client
        self.agent_id = agent_id
        self.created: Set[str] = set()
        self._verdicts: collections.OrderedDict[str, bool] = collections.OrderedDict()

    async def __call__(self, request: Request, conversation_id: str, action: Action) -> bool:
        if action == "create":
            self.created.add(conversation_id)
            return True
        if conversation_id in self.created:
            return True
        verdict = self._verdicts.get(conversation_id)
        if verdict is None:
            try:
                conversation = await self.client.conversations.retrieve(conversation_id)
            except NotFoundError:
                return False
            verdict = conversation.agent_id == self.agent_id
            self._verdicts[conversation_id] = verdict
            if len(self._verdicts) > _CACHE_SIZE:
                self._verdicts.popitem(last=False)
        return verdict


# -- the app ----------------------------------------------------------------------------------------


def _page() -> str:
    return resources.files("letta_client.web").joinpath("static/chat.html").read_text(encoding="utf-8")


def _csp(page: str) -> str:
    """A policy that lets the page run its own inline script and style (by their hashes) and talk
    to its own origin, and nothing else: no other script, no outside request."""

    def hashes(tag: str) -> str:
        bodies = re.findall(rf"<{tag}>(.*?)</{tag}>", page, flags=re.DOTALL)
        return " ".join(f"'sha256-{b64encode(hashlib.sha256(body.encode()).digest()).decode()}'" for body in bodies)

    return (
        f"default-src 'none'; script-src {hashes('script')}; style-src {hashes('style')}; connect-src 'self'; "
        "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def demo_app(client: AsyncLetta, *, agent_id: str, authorize: Optional[DemoAuthorize] = None) -> Starlette:
    """The page at ``/`` and ``chat_app`` at ``/api``, for ``agent_id`` on ``client`` (closed when the
    app shuts down)."""
    page = _page()
    headers = {
        "content-security-policy": _csp(page),
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "x-frame-options": "DENY",
    }
    api = chat_app(client, agent_id=agent_id, authorize=authorize or DemoAuthorize(client, agent_id))

    async def index(request: Request) -> Response:
        return HTMLResponse(page, headers=headers)

    async def no_icon(request: Request) -> Response:
        return Response(status_code=204)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            await client.close()

    routes = [Route("/", index), Route("/favicon.ico", no_icon), Mount("/api", app=api)]
    return Starlette(routes=routes, lifespan=lifespan)


# -- the server -------------------------------------------------------------------------------------


class _Server(uvicorn.Server):
    """uvicorn's server, saying when it is ready (or has given up); ``on_ready`` is called once it
    serves, when uvicorn already handles Ctrl-C."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()
        self.on_ready: Optional[Callable[[], None]] = None

    async def startup(self, sockets: Optional[List[socket.socket]] = None) -> None:
        try:
            await super().startup(sockets=sockets)
        finally:
            self.ready.set()
        if self.started and self.on_ready is not None:
            self.on_ready()


def _bind(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port``; ``OSError`` when it cannot be (a port in use, a
    wrong address). uvicorn would exit the process instead."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
    except OSError:
        sock.close()
        raise
    return sock


class DemoServer:
    """uvicorn serving an app on ``host:port`` (``port=0``: a free one). ``run()`` in the foreground
    (Ctrl-C stops it), or ``start()`` / ``stop()`` from a background thread (for tests)."""

    def __init__(self, app: Starlette, *, host: str = "127.0.0.1", port: int = 0) -> None:
        config = uvicorn.Config(
            app, host=host, port=port, log_level="warning", lifespan="on", timeout_graceful_shutdown=2
        )
        self._server = _Server(config)
        self._socket = _bind(host, port)
        self._thread: Optional[threading.Thread] = None
        self.host = host
        self.port: int = self._socket.getsockname()[1]

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def run(self, on_ready: Optional[Callable[[], None]] = None) -> None:
        """Serve until Ctrl-C; ``on_ready`` once serving (a Ctrl-C from then on is uvicorn's to handle)."""
        self._server.on_ready = on_ready
        try:
            self._server.run(sockets=[self._socket])
        except KeyboardInterrupt:  # uvicorn hands Ctrl-C on once it has shut down: the normal way to stop
            pass

    def start(self, timeout: float = 30.0) -> DemoServer:
        self._thread = threading.Thread(target=self.run, name="letta-web-demo", daemon=True)
        self._thread.start()
        self._server.ready.wait(timeout)
        if not self._server.started:
            self.stop()
            raise RuntimeError("the demo server did not start")
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join()
        self._socket.close()


# -- the agent --------------------------------------------------------------------------------------


def install_approval_tool(client: Letta, agent_id: str) -> Optional[str]:
    """Give the agent the ``shout`` tool and make it wait for approval. Returns why not, when a
    tool of that name that is not the demo's already exists on the server (it is left alone)."""
    existing = next(iter(client.tools.list(name=APPROVAL_TOOL, limit=1)), None)
    if existing is not None and _TOOL_TAG not in (existing.tags or []):
        return f"the server already has another tool named {APPROVAL_TOOL!r}; the demo leaves it alone"
    tool = client.tools.upsert(source_code=_TOOL_SOURCE, tags=[_TOOL_TAG])
    agent = client.agents.retrieve(agent_id, include=["agent.tools"])
    if all(attached.id != tool.id for attached in agent.tools or []):
        client.agents.tools.attach(tool.id, agent_id=agent_id)
    rules = agent.tool_rules or []
    if not any(rule.type == "requires_approval" and rule.tool_name == APPROVAL_TOOL for rule in rules):
        client.agents.tools.update_approval(APPROVAL_TOOL, agent_id=agent_id, body_requires_approval=True)
    return None


class _Failed(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code


class _Setup(NamedTuple):
    agent_id: str
    banner: str


def _prepare(client: Letta, agent_id: Optional[str]) -> _Setup:
    """Check the server, find the agent (or find or create the demo agent, with its tool)."""
    step = "reach the Letta server"
    try:
        version = client.health().version
        notes: List[str] = []
        if agent_id is not None:
            step = f"find agent {agent_id}"
            agent = client.agents.retrieve(agent_id)
        else:
            step = f"find or create the demo agent {DEMO_AGENT_NAME!r}"
            agent, made = find_or_create_demo_agent(client)
            if made:
                notes.append(f"created now with model {agent.model}")
            step = f"give the demo agent its tool {APPROVAL_TOOL!r}"
            refused = install_approval_tool(client, agent.id)
            notes.append(refused or f"its tool {APPROVAL_TOOL!r} asks for approval")
    except AuthenticationError:
        raise _Failed(3, "the server refused the API key (401); check LETTA_API_KEY") from None
    except APIConnectionError as error:
        raise _Failed(2, f"cannot {step}: {error}") from None
    except (APIStatusError, NoModelError) as error:
        raise _Failed(4 if isinstance(error, NotFoundError) else 1, f"cannot {step}: {error}") from None
    detail = f" ({'; '.join(notes)})" if notes else ""
    return _Setup(agent.id, f"Letta {version} · agent: {agent.name or agent.id} {agent.id}{detail}")


# -- the command ------------------------------------------------------------------------------------


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (0 to 65535)")
    return port


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m letta_client web",
        description=(
            "A chat page in your browser for a Letta agent: the AI SDK's endpoints at /api, the page at /. "
            "Connects where Letta() does ($LETTA_BASE_URL, $LETTA_API_KEY); with neither set, to a built-in "
            f"simulator. Without --agent or $LETTA_AGENT_ID it uses the agent {DEMO_AGENT_NAME!r}, creating it "
            "if needed."
        ),
    )
    parser.add_argument(
        "--port", type=_port, default=8000, help="the port to listen on (default: 8000; 0: any free one)"
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default: 127.0.0.1; anything else lets others use the agent)",
    )
    parser.add_argument("--agent", help=f"the agent id (default: $LETTA_AGENT_ID, else {DEMO_AGENT_NAME!r})")
    return parser


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _Backend(NamedTuple):
    client: Letta
    """For the setup, before serving."""
    serving: Callable[[], AsyncLetta]
    """Makes the client the app serves with (the app closes it)."""
    where: str


@contextlib.contextmanager
def _backend() -> Generator[_Backend, None, None]:
    """The Letta server of the environment, as ``Letta()`` finds it, or the simulator on
    127.0.0.1 for as long as the block runs."""
    if os.environ.get("LETTA_BASE_URL") or (os.environ.get("LETTA_API_KEY") or "").strip():
        try:
            client = Letta()
        except (ValueError, httpx.InvalidURL) as error:  # the text never shows the key
            raise _Failed(2, f"cannot use the client's settings: {error}") from None
        with client:
            yield _Backend(client, AsyncLetta, str(client.base_url))
        return
    from ..testing import Simulator

    simulator = Simulator(frame_delay=0.02)  # tokens arrive one by one, as from a model
    teach_simulator(simulator)
    with simulator.serve() as base_url, Letta(base_url=base_url) as client:
        where = "the built-in simulator (neither LETTA_BASE_URL nor LETTA_API_KEY is set)"
        yield _Backend(client, lambda: AsyncLetta(base_url=base_url), where)


def _quiet_lost_writes(record: logging.LogRecord) -> bool:
    """asyncio's line for writes into a connection that the browser has just closed (a tab closed
    in the middle of a turn): normal for a streaming server, and not worth a line per write."""
    return not record.getMessage().startswith("socket.send() raised exception")


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Serve the demo until Ctrl-C; returns the exit code (0, or 1–4 as the terminal chat's)."""
    args = _parser().parse_args(argv)
    logging.getLogger("asyncio").addFilter(_quiet_lost_writes)
    out, err = sys.stdout, sys.stderr
    agent_id: Optional[str] = args.agent or os.environ.get("LETTA_AGENT_ID") or None
    try:
        with _backend() as backend:
            setup = _prepare(backend.client, agent_id)
            try:
                server = DemoServer(
                    demo_app(backend.serving(), agent_id=setup.agent_id), host=args.host, port=args.port
                )
            except OSError as error:
                raise _Failed(2, f"cannot listen on {args.host}:{args.port}: {error.strerror or error}") from None
            if not _is_loopback(args.host):
                err.write(
                    f"warning: listening on {args.host}, not 127.0.0.1: everyone who can reach port {server.port} "
                    f"can use the agent {setup.agent_id} (with this process's Letta API key) and its conversations\n"
                )
            err.flush()
            banner = (
                f"letta_client web: {server.url}/ · server: {backend.where} · {setup.banner}\npress Ctrl-C to stop\n"
            )

            def announce() -> None:  # once serving: a Ctrl-C right after the banner is a clean stop
                out.write(banner)
                out.flush()

            server.run(on_ready=announce)
    except _Failed as failed:
        err.write(f"error: {failed}\n")
        return failed.code
    except KeyboardInterrupt:  # Ctrl-C before the server took it over: a stop all the same
        pass
    return 0
