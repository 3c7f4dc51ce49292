"""``chat_app``: the browser endpoints of one agent as a Starlette app (mount it in FastAPI or
Starlette, usually at ``/api``). The only module of ``letta_client.web`` that imports Starlette
(the ``web`` extra).

Who may touch a conversation is the application's decision, and it cannot be forgotten:
``authorize(request, conversation_id, action)`` is a required argument, called before anything
goes to Letta. The one way around it is ``ALLOW_EVERYONE_LOCAL_DEMO_ONLY``, for a demo on your
own machine, and it logs a warning.

Endpoints (relative to where the app is mounted):

=====================================  ========  =============================================
``POST /chats``                        create    a new conversation: ``{"id": "conv-…"}``
``GET /chats/{id}/messages``           read      its history (``?format=ui`` (default): AI SDK
                                                 ``UIMessage``\\ s; ``agui``: AG-UI messages;
                                                 ``letta``: Letta's own messages)
``POST /chat``                         write     ``useChat``'s body; the turn as the AI SDK UI
                                                 message stream (``?format=letta``: plain
                                                 Letta SSE)
``GET /chat/{id}/stream``              resume    after ``Last-Event-ID``, else the run in
                                                 progress from its start, else 204
                                                 (``?format=letta`` as above)
``POST /chat/{id}/stop``               stop      cancels the run in progress (204)
``POST /agui``                         write     an AG-UI ``RunAgentInput``; AG-UI events
=====================================  ========  =============================================

Every answer that is not a stream is one line: JSON for data, plain text for a refusal or a
failure (what the AI SDK shows as the chat's error). A refusal by ``authorize`` is 404 ``not
found``, the same for every action and for a conversation that does not exist; a cross-site POST
is 403; a body over ``max_body_bytes`` is 413; malformed input and ids are 400; a failure of the
Letta server is 502 (or 409 when another turn holds the conversation, 410 for a run too old to
replay); anything else is 500, logged without secrets.
"""

from __future__ import annotations

import functools
import inspect
import json
import logging
from typing import (
    Any,
    AsyncGenerator,
    Awaitable,
    Callable,
    Dict,
    FrozenSet,
    List,
    Literal,
    Mapping,
    Optional,
    Sequence,
    Union,
    cast,
)
from urllib.parse import urlsplit

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from .._client import AsyncLetta
from ..types.params import ClientToolLike
from . import _turns
from ._event_ids import EventId
from ._framer import Encoder, Framer
from ._inbound import BadRequest, Outgoing, check_id
from ._sse import STREAM_HEADERS
from .agui import AGUIEncoder, agui_messages, parse_run_input
from .letta_sse import LettaEventEncoder
from .ui_message_stream import UI_MESSAGE_STREAM_HEADERS, UIMessageStreamEncoder, parse_chat_request, ui_messages

__all__ = ["ALLOW_EVERYONE_LOCAL_DEMO_ONLY", "Action", "Authorize", "chat_app"]

logger = logging.getLogger("letta_client.web")

Action = Literal["read", "write", "resume", "stop", "create"]
"""What a request does to a conversation: ``read`` its history, ``write`` a turn, ``resume`` (attach
to) its stream, ``stop`` its run, ``create`` it (asked once it exists, so the app can record the
owner; a refusal deletes it again)."""

Authorize = Callable[[Request, str, Action], Union[bool, Awaitable[bool]]]
"""``authorize(request, conversation_id, action)``, sync or async: ``True`` lets the request
through. ``False``, any other value, or ``PermissionError`` refuses it (404, nothing sent to
Letta). An ``HTTPException`` (Starlette's or FastAPI's) is the app's own answer, sent as it is
(``401`` to send the user to log in). Any other exception is a bug: 500, logged."""

_NOT_FOUND = "not found"
_FORMATS = ("ui", "letta")
_HISTORY_FORMATS = ("ui", "agui", "letta")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class _AllowEveryone:
    """The opt-out of authorization, for a demo that only its own machine can reach."""

    def __call__(self, request: Request, conversation_id: str, action: Action) -> bool:
        return True

    def __repr__(self) -> str:
        return "ALLOW_EVERYONE_LOCAL_DEMO_ONLY"


ALLOW_EVERYONE_LOCAL_DEMO_ONLY: Authorize = _AllowEveryone()
"""``authorize=ALLOW_EVERYONE_LOCAL_DEMO_ONLY``: every request may read, write, resume and stop
every conversation of the server this app's key reaches. Only for a demo bound to 127.0.0.1;
``chat_app`` logs a warning when it is used."""

_NEEDS_AUTHORIZE = (
    "chat_app() needs authorize=: a function (request, conversation_id, action) -> bool, sync or async, that "
    "says whether this request's user may read, write, resume, stop or create that conversation "
    "(for a demo on your own machine only: authorize=letta_client.web.asgi.ALLOW_EVERYONE_LOCAL_DEMO_ONLY)"
)


def chat_app(
    client: AsyncLetta,
    *,
    agent_id: str,
    authorize: Authorize,
    allowed_origins: Optional[Sequence[str]] = None,
    client_tools: Optional[Sequence[ClientToolLike]] = None,
    max_body_bytes: int = 1_048_576,
    max_messages: int = 1000,
    max_message_chars: int = 32_000,
) -> Starlette:
    """The browser endpoints of the agent ``agent_id`` (see the module docstring), on ``client``.

    ``authorize`` decides every request (see ``Authorize``). ``allowed_origins`` are the origins
    (``https://app.example``) whose pages may POST; by default only the app's own (the request's
    scheme and ``Host``). ``client_tools`` are declared on every turn (the browser runs them).
    ``max_body_bytes`` caps a request body (413), ``max_messages`` the messages a ``useChat`` body
    may carry (only the new one is sent) and ``max_message_chars`` the length of that message (413 beyond either).
    """
    if authorize is None or not callable(authorize):  # pyright: ignore[reportUnnecessaryComparison]
        raise TypeError(_NEEDS_AUTHORIZE)
    if not isinstance(client, AsyncLetta):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"chat_app() needs an AsyncLetta client, not {type(client).__name__}")
    try:
        check_id("agent", agent_id)
    except BadRequest:
        raise ValueError(f"chat_app(): agent_id must be a Letta agent id (agent-…), not {agent_id!r}") from None
    for name, value in (
        ("max_body_bytes", max_body_bytes),
        ("max_messages", max_messages),
        ("max_message_chars", max_message_chars),
    ):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ValueError(f"chat_app(): {name} must be a positive int, not {value!r}")
    if isinstance(authorize, _AllowEveryone):
        logger.warning(
            "chat_app(authorize=ALLOW_EVERYONE_LOCAL_DEMO_ONLY): anyone who can reach this app can read, write and "
            "stop every conversation on the Letta server it uses. Use it only for a demo bound to 127.0.0.1."
        )
    endpoints = _Endpoints(
        client,
        agent_id=agent_id,
        authorize=authorize,
        allowed_origins=_origins(allowed_origins),
        client_tools=list(client_tools) if client_tools else None,
        max_body_bytes=max_body_bytes,
        max_messages=max_messages,
        max_message_chars=max_message_chars,
    )
    # ``{id:path}``: an id holding ``/`` (or ``%2F``, ``..``) reaches the id check and gets its 400,
    # instead of falling through to another route
    routes = [
        Route("/chats", _edge(endpoints.create), methods=["POST"]),
        Route("/chats/{id:path}/messages", _edge(endpoints.history), methods=["GET"]),
        Route("/chat", _edge(endpoints.chat), methods=["POST"]),
        Route("/chat/{id:path}/stream", _edge(endpoints.resume), methods=["GET"]),
        Route("/chat/{id:path}/stop", _edge(endpoints.stop), methods=["POST"]),
        Route("/agui", _edge(endpoints.agui), methods=["POST"]),
    ]
    return Starlette(routes=routes)


def _origins(allowed: Optional[Sequence[str]]) -> Optional[FrozenSet[str]]:
    if allowed is None:
        return None
    if isinstance(allowed, str):
        raise TypeError("chat_app(): allowed_origins takes a list of origins, not one string")
    normal: List[str] = []
    for origin in allowed:
        parts = urlsplit(origin) if isinstance(origin, str) else None  # pyright: ignore[reportUnnecessaryIsInstance]
        if parts is None or parts.scheme not in _DEFAULT_PORTS or not parts.netloc or parts.path not in ("", "/"):
            raise ValueError(f"chat_app(): {origin!r} is not an origin (scheme://host[:port])")
        normal.append(_origin(parts.scheme, parts.netloc))
    return frozenset(normal)


def _origin(scheme: str, netloc: str) -> str:
    """``scheme://host[:port]``, lower-case, without the scheme's default port (as browsers send it)."""
    scheme, netloc = scheme.lower(), netloc.lower()
    default = _DEFAULT_PORTS.get(scheme)
    if default is not None and netloc.endswith(f":{default}"):
        netloc = netloc[: -len(f":{default}")]
    return f"{scheme}://{netloc}"


def _plain(status: int, reason: str) -> Response:
    return PlainTextResponse(reason, status_code=status, headers={"cache-control": "no-store"})


Endpoint = Callable[[Request], Awaitable[Response]]


def _edge(endpoint: Endpoint) -> Endpoint:
    """Every failure as a one-line answer: a refusal as it is, a Letta failure in safe words, and
    anything else as 500, logged without secrets. Never a traceback page."""

    @functools.wraps(endpoint)
    async def guarded(request: Request) -> Response:
        try:
            return await endpoint(request)
        except HTTPException:
            raise  # the application's own answer (from authorize)
        except BadRequest as refusal:
            return _plain(refusal.status, refusal.reason)
        except Exception as error:
            _turns.log_failure(f"{request.method} {endpoint.__name__}", error)
            return _plain(*_turns.failure_status(error))

    return guarded


class _EventStream(StreamingResponse):
    """An SSE response that notices the browser leaving while it waits for the next event, and
    then closes its source (which closes the relay's stream to Letta; the run goes on).

    What the source has ready goes out in one write: the relay reads events in a task of its own
    and the writer sends everything made since its last write. A burst of events (a resume
    replaying a run, a fast model) costs one write instead of one per event, and an event that
    arrives alone is sent at once. The reader waits while ``_MAX_PENDING`` bytes are unsent."""

    def __init__(self, chunks: AsyncGenerator[bytes, None], headers: Mapping[str, str]) -> None:
        super().__init__(chunks, headers=dict(headers))
        self._chunks = chunks

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        pending: List[bytes] = []
        size = 0
        more = anyio.Event()  # set when ``pending`` gains something, or the source ends
        drained = anyio.Event()  # set when the writer took ``pending``
        ended = False

        async def read() -> None:
            nonlocal size, ended, drained
            try:
                async for chunk in self._chunks:
                    pending.append(chunk)
                    size += len(chunk)
                    more.set()
                    if size > _MAX_PENDING:
                        drained = anyio.Event()
                        await drained.wait()
            finally:
                ended = True
                more.set()

        async def write() -> None:
            nonlocal more, size
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            while True:
                await more.wait()
                more = anyio.Event()
                if pending:
                    body = b"".join(pending)
                    pending.clear()
                    size = 0
                    drained.set()
                    await send({"type": "http.response.body", "body": body, "more_body": True})
                if ended and not pending:
                    break
            await send({"type": "http.response.body", "body": b"", "more_body": False})

        try:
            async with anyio.create_task_group() as group:

                async def watch() -> None:
                    while (await receive())["type"] != "http.disconnect":
                        pass
                    group.cancel_scope.cancel()

                group.start_soon(watch)
                group.start_soon(read)
                try:
                    await write()
                except OSError:  # the browser went away while we wrote
                    pass
                group.cancel_scope.cancel()
        finally:
            with anyio.CancelScope(shield=True):
                await self._chunks.aclose()


_MAX_PENDING = 1 << 20
"""Bytes a stream response holds for a browser that reads slowly before it stops reading from Letta."""


class _Endpoints:
    def __init__(
        self,
        client: AsyncLetta,
        *,
        agent_id: str,
        authorize: Authorize,
        allowed_origins: Optional[FrozenSet[str]],
        client_tools: Optional[List[ClientToolLike]],
        max_body_bytes: int,
        max_messages: int,
        max_message_chars: int,
    ) -> None:
        self.client = client
        self.agent_id = agent_id
        self.authorize = authorize
        self.allowed_origins = allowed_origins
        self.client_tools = client_tools
        self.max_body_bytes = max_body_bytes
        self.max_messages = max_messages
        self.max_message_chars = max_message_chars

    # -- the endpoints ----------------------------------------------------------------------

    async def create(self, request: Request) -> Response:
        self._same_site(request)
        conversation = await self.client.conversations.create(agent_id=self.agent_id)
        try:
            await self._allow(request, conversation.id, "create")
        except BaseException:
            with anyio.CancelScope(shield=True):
                await self._forget(conversation.id)
            raise
        return JSONResponse({"id": conversation.id}, headers={"cache-control": "no-store"})

    async def history(self, request: Request) -> Response:
        conversation_id = check_id("conversation", request.path_params["id"])
        shape = _format(request, _HISTORY_FORMATS)
        await self._allow(request, conversation_id, "read")
        messages = await _turns.history(self.client, conversation_id)
        body: List[Any]
        if shape == "agui":
            body = agui_messages(messages)
        elif shape == "letta":
            body = [message.to_dict(mode="json") for message in messages]
        else:
            body = ui_messages(messages)
        return JSONResponse(body, headers={"cache-control": "no-store"})

    async def chat(self, request: Request) -> Response:
        self._same_site(request)
        shape = _format(request, _FORMATS)
        outgoing = parse_chat_request(
            await self._json(request), max_messages=self.max_messages, max_message_chars=self.max_message_chars
        )
        encoder: Encoder = LettaEventEncoder() if shape == "letta" else UIMessageStreamEncoder.for_request(outgoing)
        return await self._turn(request, outgoing, encoder, shape, self.client_tools)

    async def agui(self, request: Request) -> Response:
        self._same_site(request)
        run = parse_run_input(
            await self._json(request), max_messages=self.max_messages, max_message_chars=self.max_message_chars
        )
        outgoing = run.outgoing
        encoder = AGUIEncoder(outgoing.conversation_id, run.run_id, sent=outgoing.messages)
        tools: List[ClientToolLike] = [*(self.client_tools or []), *cast("List[ClientToolLike]", run.client_tools)]
        return await self._turn(request, outgoing, encoder, "agui", tools)

    async def resume(self, request: Request) -> Response:
        conversation_id = check_id("conversation", request.path_params["id"])
        shape = _format(request, _FORMATS)
        header = request.headers.get("last-event-id")
        after = EventId.parse(header)
        if header is not None and header.strip() and after is None:
            raise BadRequest(400, "Last-Event-ID is not an event id of this app")
        await self._allow(request, conversation_id, "resume")
        if after is not None:
            run_id = after.run_id
            stream = await _turns.follow(self.client, conversation_id, run_id)
        else:
            active = await _turns.active_run(self.client, conversation_id)
            if active is None:
                return Response(status_code=204, headers={"cache-control": "no-store"})
            run_id = active
            stream = await _turns.replay(self.client, conversation_id, run_id)
        try:
            encoder: Encoder = (
                LettaEventEncoder()
                if shape == "letta"
                else UIMessageStreamEncoder.for_run(
                    await _turns.turn_history(self.client, conversation_id, run_id), run_id
                )
            )
        except BaseException:
            with anyio.CancelScope(shield=True):
                await stream.close()
            raise
        return _EventStream(_turns.relay(stream, Framer(encoder, after=after)), self._headers(shape))

    async def stop(self, request: Request) -> Response:
        self._same_site(request)
        conversation_id = check_id("conversation", request.path_params["id"])
        await self._allow(request, conversation_id, "stop")
        await _turns.cancel(self.client, conversation_id)
        return Response(status_code=204, headers={"cache-control": "no-store"})

    # -- the checks -------------------------------------------------------------------------

    def _same_site(self, request: Request) -> None:
        """A browser's POST from another site is refused (403): ``Origin`` against the allowed
        origins, else ``Sec-Fetch-Site``. A request with neither is not from a browser."""
        origin = request.headers.get("origin")
        if origin is not None:
            allowed = self.allowed_origins
            if allowed is None:
                allowed = frozenset([_origin(request.url.scheme, request.headers.get("host") or request.url.netloc)])
            parts = urlsplit(origin.strip())
            if parts.scheme not in _DEFAULT_PORTS or _origin(parts.scheme, parts.netloc) not in allowed:
                raise BadRequest(403, "cross-site request refused")
            return
        site = request.headers.get("sec-fetch-site")
        if site is not None and site.strip().lower() not in ("same-origin", "none"):
            raise BadRequest(403, "cross-site request refused")

    async def _allow(self, request: Request, conversation_id: str, action: Action) -> None:
        """The application's verdict; a refusal is the same 404 for every action."""
        try:
            verdict = self.authorize(request, conversation_id, action)
            if inspect.isawaitable(verdict):
                verdict = await verdict
        except PermissionError:
            raise BadRequest(404, _NOT_FOUND) from None
        if verdict is not True:
            if verdict is not False:
                logger.warning(
                    "authorize returned %s, not True or False: the request is refused", type(verdict).__name__
                )
            raise BadRequest(404, _NOT_FOUND)

    async def _json(self, request: Request) -> Any:
        """The body as JSON, read no further than ``max_body_bytes`` (413 beyond)."""
        cap = self.max_body_bytes
        too_large = BadRequest(413, f"the request body is larger than {cap} bytes")
        length = request.headers.get("content-length")
        if length is not None:
            if not length.strip().isdigit():
                raise BadRequest(400, "Content-Length is not a number")
            if int(length) > cap:
                raise too_large
        body = bytearray()
        try:
            async for chunk in request.stream():
                body += chunk
                if len(body) > cap:
                    raise too_large
        except ClientDisconnect:
            raise BadRequest(400, "the request body was cut off") from None
        try:
            return json.loads(bytes(body))
        except (ValueError, RecursionError):
            raise BadRequest(400, "the request body is not JSON") from None

    async def _forget(self, conversation_id: str) -> None:
        """Delete a conversation the app refused to own (best effort: it is empty either way)."""
        try:
            await self.client.conversations.delete(conversation_id)
        except Exception as error:
            _turns.log_failure("deleting a refused new conversation", error)

    # -- the turn ---------------------------------------------------------------------------

    async def _turn(
        self,
        request: Request,
        outgoing: Outgoing,
        encoder: Encoder,
        shape: str,
        client_tools: Optional[Sequence[ClientToolLike]],
    ) -> Response:
        conversation_id = check_id("conversation", outgoing.conversation_id)
        await self._allow(request, conversation_id, "write")
        stream = await _turns.send(self.client, outgoing, client_tools=client_tools)
        return _EventStream(_turns.relay(stream, Framer(encoder)), self._headers(shape))

    @staticmethod
    def _headers(shape: str) -> Dict[str, str]:
        return dict(UI_MESSAGE_STREAM_HEADERS) if shape == "ui" else dict(STREAM_HEADERS)


def _format(request: Request, allowed: Sequence[str]) -> str:
    shape = request.query_params.get("format", allowed[0])
    if shape not in allowed:
        raise BadRequest(400, f"format must be one of {', '.join(allowed)}")
    return shape
