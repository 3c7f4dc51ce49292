"""The Letta side of a browser's turn (``AsyncLetta``): send it exactly once, follow a run from its
start, find the conversation's run in progress, stop it, and say what went wrong in words a
browser may see.

Every send is a background, token-streaming conversation send through the SDK's exactly-once path,
with each message's ``otid`` derived from the conversation and the browser's own key for the turn
(its message id). The same key twice (a double click, a retried POST, even two requests at once)
gives the same otids, so the server streams the first run again, from its start, instead of
starting a second turn. A browser that goes away only closes the relay's stream: the run goes on
on the server, where a reload finds it.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import TYPE_CHECKING, Any, AsyncGenerator, Dict, List, Optional, Sequence, Tuple, cast

import anyio

from .._error_text import error_kind
from .._exceptions import (
    APIConnectionError,
    APIStatusError,
    ConflictError,
    ConversationBusyError,
    LettaError,
    LettaStreamError,
    NotFoundError,
    ResumeError,
)
from .._streaming import AsyncStream
from ..types.messages import LettaMessageUnion, LettaStreamingResponse
from ._framer import Framer, Problem
from ._inbound import BadRequest, Outgoing, check_id

if TYPE_CHECKING:
    from .._client import AsyncLetta
    from ..types.params import ClientToolLike, MessageParam, StreamingSendParams

__all__ = [
    "active_run",
    "cancel",
    "failure_status",
    "follow",
    "history",
    "log_failure",
    "otid_for",
    "problem_for",
    "relay",
    "replay",
    "send",
    "turn_history",
]

logger = logging.getLogger("letta_client.web")

_USER_SIDE = ("user_message", "approval_response_message")
"""What the browser sent in a run: kept in the history while the run is still going (the run's
replay carries only the agent's side)."""

_TURN_LOOKBACK = 500
"""How many messages back ``turn_history`` looks for the start of a run's turn."""

_PENDING = "The agent is waiting for a tool call to be approved or denied."
_BUSY = "Another turn is running in this conversation; wait for it to end or stop it."

_ERROR_TYPE = re.compile(r"[a-z][a-z0-9_]{0,39}")


def otid_for(conversation_id: str, key: str) -> str:
    """The ``otid`` of the browser's turn ``key`` in this conversation: never the browser's id
    itself, since the server maps otids to runs across all conversations."""
    digest = hashlib.sha256(f"{conversation_id}\n{key}".encode()).hexdigest()
    return f"web-{digest[:32]}"


def _with_otids(outgoing: Outgoing) -> List[Dict[str, Any]]:
    """The messages to send, each with its derived otid (any otid the browser sent is replaced)."""
    key = outgoing.key
    return [
        {**message, "otid": otid_for(outgoing.conversation_id, key if index == 0 else f"{key}\n{index}")}
        for index, message in enumerate(outgoing.messages)
    ]


async def send(
    client: AsyncLetta, outgoing: Outgoing, *, client_tools: Optional[Sequence[ClientToolLike]] = None
) -> AsyncStream[LettaStreamingResponse]:
    """Start the browser's turn, or stream it again from its start when this key already started it.

    Raises the SDK's error when the turn cannot be opened (``ConversationBusyError`` when another
    turn holds the conversation)."""
    conversation_id = check_id("conversation", outgoing.conversation_id)
    messages = _with_otids(outgoing)
    params: StreamingSendParams = {
        "messages": cast("List[MessageParam]", messages),
        "background": True,
        "stream_tokens": True,
        "include_pings": True,
    }
    if client_tools:
        params["client_tools"] = client_tools
    try:
        stream: AsyncStream[LettaStreamingResponse] = await client.conversations.messages.send(
            conversation_id, streaming=True, **params
        )
        return stream
    except ConversationBusyError as busy:
        # The lock may be held by this very turn, started a moment ago by the same key (a double
        # click sends twice at once): its run is found by its otid, and streamed from its start.
        try:
            return await client.conversations.messages.stream(
                conversation_id, otid=messages[0]["otid"], starting_after=0
            )
        except NotFoundError:
            raise busy from None


async def follow(client: AsyncLetta, conversation_id: str, run_id: str) -> AsyncStream[LettaStreamingResponse]:
    """The run replayed from its start, once it is known to belong to this conversation (a run of
    any other conversation is ``BadRequest(404)``: the browser's id is not trusted)."""
    check_id("conversation", conversation_id)
    check_id("run", run_id)
    try:
        run = await client.runs.retrieve(run_id)
    except NotFoundError:
        raise BadRequest(404, "not found") from None
    if run.conversation_id != conversation_id:
        raise BadRequest(404, "not found")
    return await replay(client, conversation_id, run_id)


async def replay(client: AsyncLetta, conversation_id: str, run_id: str) -> AsyncStream[LettaStreamingResponse]:
    """The conversation's run ``run_id`` (known to be its own) from its start: the encoders hold
    state across a run, so they see it whole, and the framer skips what the browser has."""
    return await client.conversations.messages.stream(conversation_id, run_id=run_id, starting_after=0)


async def active_run(client: AsyncLetta, conversation_id: str) -> Optional[str]:
    """The conversation's background run still in progress (the newest), or ``None``."""
    check_id("conversation", conversation_id)
    page = await client.runs.list(conversation_id=conversation_id, active=True, background=True, limit=1, order="desc")
    return page.items[0].id if page.items else None


async def history(client: AsyncLetta, conversation_id: str) -> List[LettaMessageUnion]:
    """The conversation's messages for a browser, oldest first: without system messages (the
    agent's instructions and memory are not the browser's to read), and without the agent's side
    of a run still in progress (the browser gets that run by replaying it, so it is not shown twice).

    The run in progress is looked up first: a run that starts while the history is read shows its
    question here and its answer in the replay; one that ends meanwhile is held back although the
    resume finds nothing (the next reload shows it)."""
    running = await active_run(client, conversation_id)
    return [
        message
        async for message in client.conversations.messages.list(conversation_id, order="asc")
        if message.message_type != "system_message"
        and (running is None or getattr(message, "run_id", None) != running or message.message_type in _USER_SIDE)
    ]


async def turn_history(client: AsyncLetta, conversation_id: str, run_id: str) -> List[LettaMessageUnion]:
    """The conversation's newest messages, oldest first, reaching back to the user message that
    began the turn ``run_id`` belongs to (a run that answers approvals continues an earlier
    turn): what an encoder reads to continue that turn's message. At most ``_TURN_LOOKBACK``."""
    newest_first: List[LettaMessageUnion] = []
    seen = False
    async for message in client.conversations.messages.list(conversation_id, order="desc"):
        newest_first.append(message)
        seen = seen or getattr(message, "run_id", None) == run_id
        if (seen and message.message_type == "user_message") or len(newest_first) >= _TURN_LOOKBACK:
            break
    return newest_first[::-1]


async def cancel(client: AsyncLetta, conversation_id: str) -> None:
    """Stop the conversation's run in progress. Nothing running is not an error: it is stopped."""
    check_id("conversation", conversation_id)
    try:
        await client.conversations.cancel(conversation_id)
    except ConflictError:  # 409 "no active runs to cancel"
        pass


async def relay(stream: AsyncStream[LettaStreamingResponse], framer: Framer) -> AsyncGenerator[bytes, None]:
    """The run's events as the framer's SSE bytes; its end (normal, or a problem in safe words)
    closes the browser's stream. Leaving early (the browser went away) closes the relay's stream
    to Letta, and nothing else: the run goes on."""
    try:
        problem: Optional[Problem] = None
        try:
            async for event in stream:
                chunk = framer.event(event)
                if chunk:
                    yield chunk
        except Exception as error:
            problem = problem_for(error)
            log_failure("the stream to the browser ended early", error)
        tail = framer.end(problem)
        if tail:
            yield tail
    finally:
        with anyio.CancelScope(shield=True):  # even when cancelled: the connection goes back to the pool
            await stream.close()


def problem_for(error: BaseException) -> Problem:
    """How a failure reads in the browser: what happened, never the key, a URL, the server's
    ``detail`` or a traceback."""
    if isinstance(error, LettaStreamError):
        if error.is_pending_approval:
            return Problem("error", _PENDING)
        kind = error.error_type if isinstance(error.error_type, str) else ""
        named = f" ({kind})" if _ERROR_TYPE.fullmatch(kind) else ""
        return Problem("error", f"The agent's turn failed{named}.")
    if isinstance(error, (ResumeError, APIConnectionError)):
        return Problem(
            "interrupted",
            "The connection to the agent server was lost; the turn may still be running. Reload to see it.",
        )
    if isinstance(error, APIStatusError):
        return Problem("error", failure_status(error)[1])
    return Problem("error", "The relay failed while streaming this turn.")


def failure_status(error: BaseException) -> Tuple[int, str]:
    """The HTTP status and one-line reason for a failure before any stream started."""
    if isinstance(error, BadRequest):
        return error.status, error.reason
    if isinstance(error, APIStatusError):
        status = error.status_code
        if status == 409:
            return 409, _PENDING if "waiting for approval" in error.message else _BUSY
        if status == 404:
            return 404, "not found"
        if status == 410:
            return 410, "This turn is older than 3 hours and can no longer be replayed."
        if status in (400, 422):
            return 400, "The agent server refused this message."
        if status == 429:
            return 503, "The agent server is busy; try again shortly."
        return 502, "The agent server failed to answer."
    if isinstance(error, (ResumeError, APIConnectionError)):
        return 502, "The agent server could not be reached."
    return 500, "The relay failed."


def log_failure(what: str, error: BaseException) -> None:
    """One log line without secrets: the SDK's errors by class and status only (their text may
    quote the server's detail), anything else with its traceback (it is a bug)."""
    if isinstance(error, LettaError):
        logger.warning("%s: %s", what, error_kind(error))
    else:
        logger.error("%s: %s", what, type(error).__name__, exc_info=error)
