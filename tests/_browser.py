"""What the real-browser tests share: Debian's Chromium driven by Playwright, the demo served from a
background thread, and a loopback proxy between the page and the demo that cuts the page's stream
responses where a test tells it to.

Playwright cannot download browsers here, so the tests launch the system's Chromium
(``apt-get install chromium``). Without it, or without the ``playwright`` package, they skip
saying why; with ``CI=true`` they fail instead, since CI must run them.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import os
import re
import shutil
import threading
from typing import Any, Deque, Dict, Iterator, List, NamedTuple, Optional, Sequence, Tuple

import httpx
import pytest

from letta_client import AsyncLetta, Letta
from letta_client._demo_agent import find_or_create_demo_agent
from letta_client.web._demo import DemoServer, demo_app, install_approval_tool, teach_simulator

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 30_000
"""How long a test waits for a condition in the page (a generous bound, never a pause)."""

PAGE_LEFT = "(the page closed the connection)"
_STREAMS = re.compile(r"^(POST /api/chat|GET /api/chat/[^/]+/stream)(\?.*)?$")


def skip_or_fail(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the browser tests: {reason}", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if path is None:
        skip_or_fail("Chromium is not installed (apt-get install chromium)")
    assert path is not None
    return path


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (Playwright's ``Browser``) for the block."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the playwright package is not installed (it is a dev dependency)")
        raise
    path = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# -- the proxy -------------------------------------------------------------------------------------


class Passage(NamedTuple):
    """One request through the proxy: its request line, the response bytes the page got, and
    whether the proxy cut the response short (or held it)."""

    request: str
    status: str
    sent: int
    cut: bool


class CuttingProxy:
    """A loopback HTTP proxy, one request per connection (it asks both sides for ``Connection:
    close``). The next stream responses (``POST /api/chat``, ``GET /api/chat/{id}/stream``) are cut
    at the byte offsets given to ``plan`` (counted from the first byte of the response, headers
    included), the connection closed or reset; ``hold(after)`` stops forwarding the next stream
    response after that many bytes until ``release()`` (the page sees a stream that stalls)."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.passages: List[Passage] = []
        self.held = threading.Event()
        """Set once a held response has stopped at its offset."""
        self.page_left = threading.Event()
        """Set once a page closed a connection before its answer ended (and the proxy closed its
        side to the demo)."""
        self._cuts: Deque[Tuple[int, bool]] = collections.deque()
        self._hold_at: Optional[int] = None
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._release: Optional[asyncio.Event] = None
        self._server: Optional[asyncio.base_events.Server] = None
        self._thread = threading.Thread(target=self._loop.run_forever, name="cutting-proxy", daemon=True)
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> CuttingProxy:
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(10)
        return self

    def __exit__(self, *exc_info: object) -> None:
        asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    def plan(self, offsets: Sequence[int], *, reset: Sequence[bool] = ()) -> None:
        """Cut the next ``len(offsets)`` stream responses at these offsets (``reset[i]``: with a TCP
        reset instead of a close)."""
        with self._lock:
            self._cuts.extend((offset, bool(reset[i]) if i < len(reset) else False) for i, offset in enumerate(offsets))

    @property
    def pending_cuts(self) -> int:
        with self._lock:
            return len(self._cuts)

    def hold(self, after: int) -> None:
        release = self._release
        if release is not None:
            self._loop.call_soon_threadsafe(release.clear)
        with self._lock:
            self._hold_at = after
        self.held.clear()

    def release(self) -> None:
        """Let a held response go: its connection is reset (the page that read it is gone)."""
        release = self._release
        if release is not None:
            self._loop.call_soon_threadsafe(release.set)

    def stream_passages(self) -> List[Passage]:
        with self._lock:
            return [p for p in self.passages if _STREAMS.match(p.request)]

    # -- inside the proxy's loop ------------------------------------------------------------

    async def _listen(self) -> asyncio.base_events.Server:
        self._release = asyncio.Event()
        server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        return server

    async def _close(self) -> None:
        if self._release is not None:
            self._release.set()
        if self._server is not None:
            self._server.close()

    def _take(self, stream: bool) -> Tuple[Optional[Tuple[int, bool]], Optional[int]]:
        if not stream:
            return None, None
        with self._lock:
            if self._hold_at is not None:
                hold, self._hold_at = self._hold_at, None
                return None, hold
            return (self._cuts.popleft() if self._cuts else None), None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream: Optional[asyncio.StreamWriter] = None
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            request = " ".join(lines[0].split(" ")[:2])
            kept = [line for line in lines[1:] if line and not line.lower().startswith(("connection:", "keep-alive:"))]
            up_reader, upstream = await asyncio.open_connection("127.0.0.1", self.upstream_port)
            upstream.write("\r\n".join([lines[0], *kept, "Connection: close", "", ""]).encode("latin-1"))
            cut, hold = self._take(bool(_STREAMS.match(request)))
            pump = asyncio.ensure_future(_pipe(reader, upstream))
            answer = asyncio.ensure_future(self._answer(up_reader, writer, cut, hold))
            await asyncio.wait({pump, answer}, return_when=asyncio.FIRST_COMPLETED)
            if answer.done():
                status, sent, was_cut = answer.result()
                pump.cancel()
            else:  # the page went away (a browser never half-closes): so does the request
                answer.cancel()
                status, sent, was_cut = PAGE_LEFT, -1, False
                self.page_left.set()
            with self._lock:
                self.passages.append(Passage(request, status, sent, was_cut))
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            for side in (writer, upstream):
                if side is not None:
                    side.close()

    async def _answer(
        self,
        up_reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        cut: Optional[Tuple[int, bool]],
        hold: Optional[int],
    ) -> Tuple[str, int, bool]:
        sent, status, stop_at = 0, "", cut[0] if cut else hold
        while True:
            data = await up_reader.read(4096)
            if not data:
                return status, sent, False
            if not status:
                status = data.split(b"\r\n", 1)[0].decode("latin-1")
            if stop_at is not None and sent + len(data) >= stop_at:
                writer.write(data[: stop_at - sent])
                await writer.drain()
                sent = stop_at
                if hold is not None:
                    self.held.set()
                    assert self._release is not None
                    await self._release.wait()
                    writer.transport.abort()
                elif cut is not None and cut[1]:
                    writer.transport.abort()  # a reset
                return status, sent, True
            writer.write(data)
            await writer.drain()
            sent += len(data)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                return
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass


# -- the demo --------------------------------------------------------------------------------------


class Demo(NamedTuple):
    url: str
    """Where the page is, through the proxy."""
    proxy: CuttingProxy
    client: Letta
    """A client of the same Letta server, for the test's own checks."""
    agent_id: str
    direct_url: str
    """The demo server itself, without the proxy."""


@contextlib.contextmanager
def serve_demo(base_url: str, *, api_key: Optional[str] = None, agent_id: Optional[str] = None) -> Iterator[Demo]:
    """The demo (the page and chat_app, as ``python -m letta_client web`` serves them) on the Letta
    server at ``base_url``, behind a cutting proxy. Without ``agent_id``, the demo agent with its
    approval tool, found or created as the command does."""
    with Letta(base_url=base_url, api_key=api_key) as client:
        if agent_id is None:
            agent_id = find_or_create_demo_agent(client)[0].id
            assert install_approval_tool(client, agent_id) is None
        server = DemoServer(demo_app(AsyncLetta(base_url=base_url, api_key=api_key), agent_id=agent_id)).start()
        try:
            with CuttingProxy(server.port) as proxy:
                yield Demo(proxy.url + "/", proxy, client, agent_id, server.url)
        finally:
            server.stop()


def conversation_of(page: Any) -> str:
    """The conversation the page shows."""
    conversation_id = chat_state(page)["conversationId"]
    assert isinstance(conversation_id, str) and conversation_id.startswith("conv-")
    return conversation_id


def replayed_parts(demo: Demo, conversation_id: str, run_id: str) -> List[Tuple[str, str]]:
    """The run's parts as the demo streams them to a browser that has none of them: (id, type)."""
    with httpx.Client(trust_env=False, timeout=120) as http:
        answer = http.get(
            f"{demo.direct_url}/api/chat/{conversation_id}/stream", headers={"last-event-id": f"{run_id}:0"}
        )
    assert answer.status_code == 200, answer.text
    out: List[Tuple[str, str]] = []
    event_id = None
    for line in answer.text.split("\n"):
        if line.startswith("id: "):
            event_id = line[4:]
        elif line.startswith("data: ") and line != "data: [DONE]":
            assert event_id is not None
            out.append((event_id, json.loads(line[6:])["type"]))
            event_id = None
    return out


@contextlib.contextmanager
def demo_page(browser: Any, demo: Demo) -> Iterator[Any]:
    """A tab on the demo, ready; on leaving, it must have raised no error and made every request
    to the demo's own origin."""
    context = browser.new_context()
    page = context.new_page()
    urls: List[str] = []
    page.on("request", lambda request: urls.append(request.url))
    errors: List[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(demo.url)
    page.wait_for_function("() => window.__chat && window.__chat.ready", timeout=WAIT_MS)
    yield page
    context.close()
    assert errors == []
    assert urls and all(url.startswith(demo.url) for url in urls), [u for u in urls if not u.startswith(demo.url)]


@contextlib.contextmanager
def simulated_server(sim: Any) -> Iterator[str]:
    """The simulator on 127.0.0.1, running the approval tool as the command's simulator does."""
    teach_simulator(sim)
    with sim.serve() as base_url:
        yield base_url


# -- reading the page ------------------------------------------------------------------------------

RENDERED_JS = """() => Array.from(document.querySelectorAll('#log .msg')).flatMap((m) =>
  Array.from(m.querySelectorAll('[data-part="text"], [data-part="reasoning"]')).map((p) =>
    [p.dataset.part === 'text' ? m.dataset.role : 'reasoning', p.textContent]))"""


def rendered(page: Any) -> List[Tuple[str, str]]:
    """What the page shows, in order: (``user`` | ``assistant`` | ``reasoning``, text) per part."""
    return [(kind, text) for kind, text in page.evaluate(RENDERED_JS)]


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(getattr(part, "text", "") or "" for part in content or [])


def history_texts(client: Letta, conversation_id: str) -> List[Tuple[str, str]]:
    """The conversation as the server holds it, in the same form as ``rendered``."""
    out: List[Tuple[str, str]] = []
    for message in client.conversations.messages.list(conversation_id, order="asc", limit=1000):
        kind = message.message_type
        if kind == "user_message":
            out.append(("user", _content_text(message.content)))
        elif kind == "assistant_message":
            out.append(("assistant", _content_text(message.content)))
        elif kind == "reasoning_message":
            out.append(("reasoning", message.reasoning))
    return out


def chat_state(page: Any) -> Dict[str, Any]:
    """The page's state (``window.__chat``): status, problem, conversationId, reconnects, requests,
    turns, and ``events``, the number of events it applied so far."""
    return page.evaluate(
        "() => ({status: window.__chat.status, problem: window.__chat.problem, conversationId: window.__chat.conversationId,"
        " events: window.__chat.events.length, reconnects: window.__chat.reconnects, requests: window.__chat.requests,"
        " turns: window.__chat.turns})"
    )


def applied(page: Any, since: int = 0) -> List[Tuple[str, str]]:
    """The events the page applied (after the first ``since``): (SSE id, part type)."""
    return [(event_id, kind) for event_id, kind in page.evaluate(f"() => window.__chat.events.slice({since})")]


def send(page: Any, text: str) -> None:
    page.fill("#input", text)
    page.click("#send")


def wait_idle(page: Any, turns: int) -> None:
    """Until the page has finished ``turns`` streams (turns and resumes) and is idle again."""
    page.wait_for_function(
        f"() => window.__chat.ready && window.__chat.turns >= {turns} && window.__chat.status !== 'streaming'"
        " && window.__chat.status !== 'reconnecting'",
        timeout=WAIT_MS,
    )
