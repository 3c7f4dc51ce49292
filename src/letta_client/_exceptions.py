"""Every exception the SDK raises on purpose.

LettaError
├── APIError                      (message, request, body)
│   ├── APIStatusError            (status_code, response) — one subclass per status family
│   │   └── ConflictError → ConversationBusyError (another turn holds the conversation)
│   ├── APIConnectionError        (the request or the stream could not be completed)
│   │   ├── APITimeoutError
│   │   ├── IncompleteStreamError (the stream ended without a terminal frame)
│   │   ├── StreamInterruptedError (a cancelled read left a foreground stream unreadable)
│   │   └── StreamSequenceError   (a background stream's seq_ids skipped, clashed or changed run)
│   ├── APIResponseValidationError (the server sent something that is not the protocol)
│   │   └── EventTooLargeError    (a stream event grew past the client's max_event_size)
│   └── LettaStreamError          (an error frame inside an HTTP 200 stream)
├── ResumeError                   (a background stream could not be resumed)
└── ClientClosedError             (also a RuntimeError: the client was used after close())

The parsed fields of the server's error bodies (``detail``, ``code``, ``error_type``,
``pending_request_id``, ``trace_id``) are attributes of ``APIError``; each is ``None`` when
the body does not carry it.

Every ``APIError`` and ``ResumeError`` carries ``partial_response`` (``Recoverable``): the
``LettaResponse`` of what a send or a stream received before it failed, with ``run_id`` and
``last_seq_id`` to recover the rest. When nothing arrived (the server is down, a status error
before any event) it is an empty response whose stop reason is ``"incomplete"``, ``run_id`` is
``None`` (no run is known) and ``last_seq_id`` is ``None``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple, Type, Union, cast
from urllib.parse import unquote

import httpx

from ._advice import address, pending_approval, run_goes_on, wrong_path
from ._error_text import official_head, redact_headers, redacted_repr, summarise

if TYPE_CHECKING:
    from .types.messages import LettaErrorMessage, LettaStopReason, ToolCall
    from .types.response import LettaResponse

__all__ = [
    "ClientClosedError",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ConversationBusyError",
    "EventTooLargeError",
    "IncompleteStreamError",
    "InternalServerError",
    "LettaError",
    "LettaStreamError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResumeError",
    "StreamInterruptedError",
    "StreamSequenceError",
    "UnprocessableEntityError",
]


class LettaError(Exception):
    """Base class of every exception raised by this SDK."""


class Recoverable:
    """What a failed send or stream leaves to recover from: ``partial_response`` (what arrived,
    never ``None``: an empty ``LettaResponse`` with stop reason ``"incomplete"`` when nothing
    did), ``run_id`` (``None`` while no run is known) and ``last_seq_id``."""

    run_id: Optional[str]
    last_seq_id: Optional[int]
    _partial: Optional[LettaResponse]

    def _recovery(
        self, run_id: Optional[str], last_seq_id: Optional[int], partial_response: Optional[LettaResponse]
    ) -> None:
        self.run_id = run_id
        self.last_seq_id = last_seq_id
        self._partial = partial_response

    @property
    def partial_response(self) -> LettaResponse:
        """The ``LettaResponse`` of what arrived before the failure (token deltas merged)."""
        return _nothing_arrived() if self._partial is None else self._partial

    @partial_response.setter
    def partial_response(self, value: LettaResponse) -> None:
        self._partial = value

    def attach(self, context: StreamContext) -> None:
        """Take what ``context`` (the stream it was raised from) knew, where this has nothing of
        its own."""
        if self._partial is None:
            self._partial = context.partial_response
        if self.run_id is None:
            self.run_id = context.run_id
        if self.last_seq_id is None:
            self.last_seq_id = context.last_seq_id

    @property
    def delivered_messages(self) -> Optional[int]:
        """How many messages ``partial_response`` holds, ``None`` when it was never set."""
        return None if self._partial is None else len(self._partial.messages)


def _nothing_arrived() -> LettaResponse:
    from .types.messages import LettaStopReason, LettaUsageStatistics
    from .types.response import LettaResponse

    return LettaResponse(
        messages=[], stop_reason=LettaStopReason(stop_reason="incomplete"), usage=LettaUsageStatistics()
    )


class APIError(LettaError, Recoverable):
    """A request failed. ``body`` is the decoded JSON error body (or text), when there was one."""

    message: str
    request: Optional[httpx.Request]
    body: object
    detail: Optional[Union[str, Dict[str, Any], Any]]
    code: Optional[str]
    error_type: Optional[str]
    pending_request_id: Optional[str]
    trace_id: Optional[str]

    def __init__(
        self,
        message: str,
        request: Optional[httpx.Request] = None,
        *,
        body: object = None,
        run_id: Optional[str] = None,
        last_seq_id: Optional[int] = None,
        partial_response: Optional[LettaResponse] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body
        self._recovery(run_id, last_seq_id, partial_response)
        self.detail = None
        self.code = None
        self.error_type = None
        self.pending_request_id = None
        self.trace_id = None
        as_dict = _as_dict(body)
        if as_dict is not None:
            _read_error_fields(self, as_dict)

    def __str__(self) -> str:
        return self.message


class APIStatusError(APIError):
    """The server answered with a 4xx or 5xx status before any stream started."""

    response: httpx.Response
    status_code: int

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status_code


class BadRequestError(APIStatusError):
    """400"""


class AuthenticationError(APIStatusError):
    """401"""


class PermissionDeniedError(APIStatusError):
    """403"""


class NotFoundError(APIStatusError):
    """404"""


class ConflictError(APIStatusError):
    """409, e.g. ``code == "PENDING_APPROVAL"``: the agent waits for a tool result or an approval."""


class ConversationBusyError(ConflictError):
    """409 from a conversation send: another turn is running in the conversation (its lock is
    held). ``run_id`` is that turn's run (when the server knows it); ``conversation_id`` is the
    conversation (``"default"`` in agent-direct mode). Follow the running turn with
    ``client.conversations.messages.stream(conversation_id, run_id=run_id)``, or wait for it with
    ``client.runs.wait(run_id)``, then send again."""

    run_id: Optional[str]
    conversation_id: Optional[str]

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(message, response=response, body=body)
        self.run_id = _busy_run_id(body)
        self.conversation_id = _conversation_of(response.request.url.path)


class UnprocessableEntityError(APIStatusError):
    """422: the server rejected the request body, query or path."""


class RateLimitError(APIStatusError):
    """429"""


class InternalServerError(APIStatusError):
    """>= 500"""


class APIConnectionError(APIError):
    """The request could not be sent, or the response (or stream) broke off.

    ``run_id`` and ``last_seq_id`` say how far a stream got, so the run can be recovered;
    ``partial_response`` holds what the stream delivered (empty when nothing arrived).
    """

    def __init__(
        self,
        message: str = "Connection error.",
        request: Optional[httpx.Request] = None,
        *,
        run_id: Optional[str] = None,
        last_seq_id: Optional[int] = None,
        partial_response: Optional[LettaResponse] = None,
    ) -> None:
        super().__init__(message, request, run_id=run_id, last_seq_id=last_seq_id, partial_response=partial_response)


class APITimeoutError(APIConnectionError):
    """The request or the stream timed out."""


class IncompleteStreamError(APIConnectionError):
    """The stream ended with neither ``[DONE]``, an error frame nor a ``stop_reason``.

    The outcome of the run is unknown; poll ``client.runs.retrieve(run_id)`` to learn it.
    """


class StreamInterruptedError(APIConnectionError):
    """A read of the stream was cancelled (``asyncio.wait_for(stream.__anext__(), t)`` timed
    out, a task was cancelled), which leaves the HTTP response unreadable. A background stream
    resumes instead; a foreground stream raises this on the next read: the run goes on on the
    server (recover with ``client.runs.wait(run_id, response=True)``).
    """


class StreamSequenceError(APIConnectionError):
    """A background stream's ``seq_id`` numbers show lost or foreign events (wire spec §6).

    ``fault`` is ``"gap"`` (a number was skipped: events are missing), ``"conflict"`` (a number
    already delivered came again with other content), ``"foreign"`` (an event of another run,
    ``received_run_id``), ``"surprise"`` (a number at or below the start on a fresh stream) or
    ``"unnumbered"`` (frames came without their numbers, then the connection broke; the last two
    are raised at once). A resumable stream re-requests everything after ``last_seq_id`` first
    and raises ``ResumeError`` (caused by this) only when that does not help.
    """

    def __init__(
        self,
        message: str,
        request: Optional[httpx.Request] = None,
        *,
        fault: str,
        expected_seq_id: Optional[int],
        received_seq_id: Optional[int],
        received_run_id: Optional[str],
        run_id: Optional[str],
        last_seq_id: Optional[int],
        partial_response: Optional[LettaResponse],
    ) -> None:
        super().__init__(message, request, run_id=run_id, last_seq_id=last_seq_id, partial_response=partial_response)
        self.fault = fault
        self.expected_seq_id = expected_seq_id
        self.received_seq_id = received_seq_id
        self.received_run_id = received_run_id


class APIResponseValidationError(APIError):
    """The server sent data that does not follow the protocol (``raw`` holds what was received)."""

    raw: Optional[str]

    def __init__(self, message: str, request: Optional[httpx.Request] = None, *, raw: Optional[str] = None) -> None:
        super().__init__(message, request)
        self.raw = raw


class EventTooLargeError(APIResponseValidationError):
    """A stream event grew past the client's ``max_event_size`` (default 16 MiB) before it ended.

    The stream is closed: its connection cannot be read past that event. ``size`` is how many
    bytes of the event had arrived, ``limit`` the ``max_event_size`` in force. If the server
    really sends events that large, raise the limit: ``Letta(max_event_size=...)``.
    """

    size: int
    limit: int

    def __init__(self, size: int, limit: int, request: Optional[httpx.Request] = None) -> None:
        super().__init__(
            f"A stream event is larger than max_event_size: {size:,} bytes arrived before it ended, "
            f"the limit is {limit:,}. Raise max_event_size on the client if the server really sends such events.",
            request,
        )
        self.size = size
        self.limit = limit


class LettaStreamError(APIError):
    """An error frame arrived inside an HTTP 200 stream.

    Every event before it has already been delivered. ``error_type`` is the server's error class
    (``llm_error``, ``internal_error``, … or the wrapper's ``code``); ``stop_reason`` is the last
    ``stop_reason`` seen before the error, if any; ``error`` is the decoded ``error_message`` event
    when the server sent one.
    """

    stop_reason: Optional[LettaStopReason]
    error: Optional[LettaErrorMessage]

    def __init__(
        self,
        message: str,
        request: Optional[httpx.Request] = None,
        *,
        body: object,
        run_id: Optional[str] = None,
        last_seq_id: Optional[int] = None,
        stop_reason: Optional[LettaStopReason] = None,
        error: Optional[LettaErrorMessage] = None,
        error_type: Optional[str] = None,
        partial_response: Optional[LettaResponse] = None,
    ) -> None:
        super().__init__(
            message, request, body=body, run_id=run_id, last_seq_id=last_seq_id, partial_response=partial_response
        )
        self.stop_reason = stop_reason
        self.error = error
        if error is not None:
            self.detail = error.detail
        if error_type is not None:
            self.error_type = error_type

    @property
    def is_pending_approval(self) -> bool:
        """True when the agent refused the message because a tool call waits for approval."""
        return "waiting for approval" in self.message


class ClientClosedError(LettaError, RuntimeError):
    """The client was used after ``close()`` (or after its ``with`` block). Make a new client."""

    def __init__(
        self, message: str = "This client is closed: it cannot send requests after close(). Create a new client."
    ) -> None:
        super().__init__(message)


class ResumeError(LettaError, Recoverable):
    """A background stream broke off and could not be resumed.

    Every event up to ``last_seq_id`` was delivered. Recover the rest with
    ``client.runs.retrieve(run_id)`` and ``client.runs.messages.list(run_id)``. For a
    conversation send, ``conversation_id`` and ``otids`` (the ids of the messages sent) say which
    send it was; ``run_id`` is ``None`` when no answer arrived, and the run (if any) is found with
    ``client.conversations.messages.stream(conversation_id, otid=otids[0])``.
    ``partial_response`` holds what the stream delivered (empty when nothing was).
    """

    def __init__(
        self,
        message: str,
        *,
        run_id: Optional[str],
        last_seq_id: Optional[int],
        conversation_id: Optional[str] = None,
        otids: Sequence[str] = (),
        partial_response: Optional[LettaResponse] = None,
    ) -> None:
        super().__init__(message)
        self._recovery(run_id, last_seq_id, partial_response)
        self.conversation_id = conversation_id
        self.otids: List[str] = list(otids)


_STATUS_ERRORS: Dict[int, Type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error(response: httpx.Response) -> APIStatusError:
    """Build the typed exception for an error response whose body has been read.

    Its message starts as the official SDK's does (``Error code: 409 - {'detail': …}``); after
    `` | `` come the status, the call, the body in one readable line and, where it helps, what to
    do. No secret of the request is in it."""
    body, parsed = _decode_body(response)
    cls = _STATUS_ERRORS.get(response.status_code)
    if cls is ConflictError and _is_conversation_busy(body):
        cls = ConversationBusyError
    if cls is None:
        cls = InternalServerError if response.status_code >= 500 else APIStatusError
    request = response.request
    head = official_head(response.status_code, body, parsed=parsed, text=response.text)
    message = (
        f"{head} | {response.status_code} {response.reason_phrase or 'Error'} for {request.method} {request.url.path}"
    )
    summary = summarise(body)
    if summary:
        message = f"{message}: {summary}"
    if cls is NotFoundError:
        message = _with_advice(message, wrong_path(request.url.path, body))
    elif cls is ConflictError and _is_pending_approval(body):
        message = _with_advice(message, pending_approval(request.url.path))
    return cls(redact_headers(message, request), response=response, body=body)


def _with_advice(message: str, advice: str) -> str:
    return f"{message.rstrip('.')}. {advice}" if advice else message


def _decode_body(response: httpx.Response) -> Tuple[object, bool]:
    """The body as JSON data (and ``True``), else its text (``None`` when empty)."""
    try:
        return response.json(), True
    except ValueError:
        return response.text or None, False


def _is_pending_approval(body: object) -> bool:
    """The 409 of an agent waiting for an approval: ``{"detail": {"code": "PENDING_APPROVAL", …}}``
    (or an older server's ``{"detail": "CONFLICT: … waiting for approval …"}``)."""
    detail = _as_dict(body) or {}
    inner = detail.get("detail")
    inner_dict = _as_dict(inner)
    if inner_dict is not None:
        return inner_dict.get("code") == "PENDING_APPROVAL"
    return isinstance(inner, str) and "waiting for approval" in inner


def _is_conversation_busy(body: object) -> bool:
    """The 409 of a held conversation lock, in either form: ``{"detail": "CONFLICT: … Another
    request … is currently being processed for this conversation …", "run_id"?: …}``, or the
    structured ``{"detail": {"code": "CONVERSATION_BUSY", "run_id"?: …, …}}`` (``error_code``
    is read as ``code``)."""
    as_dict = _as_dict(body)
    if as_dict is None:
        return False
    detail = as_dict.get("detail")
    structured = _as_dict(detail)
    if structured is not None:
        return "CONVERSATION_BUSY" in (structured.get("code"), structured.get("error_code"))
    return "run_id" in as_dict or (isinstance(detail, str) and "being processed for this conversation" in detail)


def _busy_run_id(body: object) -> Optional[str]:
    """The running turn a busy conversation's 409 names: beside ``detail`` or inside it."""
    as_dict = _as_dict(body) or {}
    return _as_str(as_dict.get("run_id")) or _as_str((_as_dict(as_dict.get("detail")) or {}).get("run_id"))


def _conversation_of(path: str) -> Optional[str]:
    """The conversation id in ``/v1/conversations/{id}/…``."""
    parts = path.split("/")
    if len(parts) > 3 and parts[1] == "v1" and parts[2] == "conversations" and parts[3]:
        return unquote(parts[3])
    return None


def _as_dict(value: object) -> Optional[Dict[str, Any]]:
    return cast(Dict[str, Any], value) if isinstance(value, dict) else None


def _as_str(value: object) -> Optional[str]:
    return value if isinstance(value, str) else None


def _read_error_fields(error: APIError, body: Dict[str, Any]) -> None:
    detail = body.get("detail")
    error.detail = detail
    detail_dict = _as_dict(detail)
    if detail_dict is not None:
        error.code = _as_str(detail_dict.get("code"))
        error.pending_request_id = _as_str(detail_dict.get("pending_request_id"))
    elif isinstance(detail, str):
        head, sep, _ = detail.partition(": ")
        if sep and head.isupper() and head.replace("_", "").isalpha():
            error.code = head  # "INVALID_ARGUMENT: …", "CONFLICT: …", "EXPIRED: …"
    nested = _as_dict(body.get("error"))
    if nested is not None:
        error.error_type = _as_str(nested.get("type"))
        if error.detail is None:
            error.detail = nested.get("detail")
    error.trace_id = _as_str(body.get("trace_id"))
    if error.code is None:
        error.code = _as_str(body.get("code"))


# -- client-side tools ----------------------------------------------------------------------------
#
# LettaError
# └── ToolRunnerError              (a client-tool run could not go on)
#     ├── ToolArgumentsError       (also a ValueError: the model's arguments do not fit the tool)
#     ├── MaxRoundsExceededError   (result, pending_calls)
#     └── PendingApprovalError     (agent_id, pending_request_id, pending_calls)

__all__ += ["MaxRoundsExceededError", "PendingApprovalError", "ToolArgumentsError", "ToolRunnerError"]


class ToolRunnerError(LettaError):
    """A client-tool run could not go on."""


class ToolArgumentsError(ToolRunnerError, ValueError):
    """The model's arguments for a tool are not valid JSON, or do not match its parameters."""


class MaxRoundsExceededError(ToolRunnerError):
    """The agent still asked for tool calls after ``max_rounds`` requests.

    The agent is left waiting for the answer to ``pending_calls``: answer them (``approval_message``)
    or cancel the run (``POST /v1/agents/{agent_id}/messages/cancel``) before sending a new message.
    ``result`` holds every round so far (a ``ToolRunResult``).
    """

    def __init__(self, message: str, *, result: Any, pending_calls: List[ToolCall]) -> None:
        super().__init__(message)
        self.result = result
        self.pending_calls = pending_calls


class PendingApprovalError(ToolRunnerError):
    """The agent is waiting for the answer to an earlier approval request, so it refused the message.

    Answer the pending calls (``client.agents.messages.resolve_pending_approvals(agent_id)``, or
    ``approval_message([...])`` sent as ``messages=[...]``) or cancel the run
    (``POST /v1/agents/{agent_id}/messages/cancel``, which denies them), then send again.
    ``agent_id`` is the conversation's id when the run was in a conversation.
    """

    def __init__(
        self,
        message: str,
        *,
        agent_id: str,
        pending_request_id: Optional[str] = None,
        pending_calls: Optional[List[ToolCall]] = None,
    ) -> None:
        super().__init__(message)
        self.agent_id = agent_id
        self.pending_request_id = pending_request_id
        self.pending_calls = pending_calls or []


# Exceptions raised from a stream -------------------------------------------------------------


class StreamContext:
    """What a stream knows when it fails: every exception raised from it carries this."""

    __slots__ = ("last_seq_id", "partial_response", "request", "run_id", "stop_reason")

    def __init__(
        self,
        request: Optional[httpx.Request],
        *,
        run_id: Optional[str],
        last_seq_id: Optional[int],
        stop_reason: Optional[LettaStopReason],
        partial_response: LettaResponse,
    ) -> None:
        self.request = request
        self.run_id = run_id
        self.last_seq_id = last_seq_id
        self.stop_reason = stop_reason
        self.partial_response = partial_response

    @property
    def where(self) -> str:
        return f"run_id={self.run_id!r}, last_seq_id={self.last_seq_id!r}"


def stream_error(
    raw: str, payload: Optional[Dict[str, Any]], error: Optional[LettaErrorMessage], context: StreamContext
) -> LettaStreamError:
    """The exception for an error frame: a decoded ``error_message`` (``error``), an old server's
    ``{"error": …, "code": …}`` (``payload``), or anything else (``raw``)."""
    error_type: Optional[str] = None
    if error is not None:
        message = f"{error.error_type}: {error.message}"
        if error.detail:
            message = f"{message} ({error.detail})"
        error_type = error.error_type
        body: object = payload
    elif payload is not None and "error" in payload:
        code = payload.get("code")
        text: Any = payload["error"]
        text_dict = _as_dict(text)
        if text_dict is not None:
            text = text_dict.get("message", text)
        message = f"{code}: {text}" if code else str(text)
        error_type = _as_str(code)
        body = payload
    else:
        message = f"stream error: {raw[:500]}"
        body = raw
    request = context.request
    if "waiting for approval" in message and request is not None:
        message = _with_advice(message, pending_approval(request.url.path))
    return LettaStreamError(
        redact_headers(message, request),
        context.request,
        body=body,
        run_id=context.run_id,
        last_seq_id=context.last_seq_id,
        stop_reason=context.stop_reason,
        error=error,
        error_type=error_type,
        partial_response=context.partial_response,
    )


def incomplete_stream_error(context: StreamContext) -> IncompleteStreamError:
    return IncompleteStreamError(
        "The stream ended before the run finished (no [DONE], error or stop_reason); its outcome is unknown. "
        f"{context.where}. Poll client.runs.retrieve(run_id) until it is terminal, then read "
        "client.runs.messages.list(run_id) (or call client.runs.wait(run_id, response=True)).",
        context.request,
        run_id=context.run_id,
        last_seq_id=context.last_seq_id,
        partial_response=context.partial_response,
    )


def stream_broken_error(error: Exception, context: StreamContext) -> APIConnectionError:
    """The exception for a stream whose connection broke off (``APITimeoutError`` for a timeout)."""
    cls = APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
    server = f" from {address(context.request.url)}" if context.request is not None else ""
    return cls(
        f"The stream{server} broke off ({redacted_repr(error, context.request)}); {context.where}."
        + run_goes_on(context.run_id),
        context.request,
        run_id=context.run_id,
        last_seq_id=context.last_seq_id,
        partial_response=context.partial_response,
    )


def stream_interrupted_error(context: StreamContext) -> StreamInterruptedError:
    return StreamInterruptedError(
        "A read of this stream was cancelled, which left its HTTP response unreadable; the events "
        f"after it cannot be read from this stream ({context.where}). The run goes on on the server: "
        "call client.runs.wait(run_id, response=True) for its answer.",
        context.request,
        run_id=context.run_id,
        last_seq_id=context.last_seq_id,
        partial_response=context.partial_response,
    )


def stream_sequence_error(
    fault: str,
    detail: str,
    context: StreamContext,
    *,
    expected_seq_id: Optional[int],
    received_seq_id: Optional[int],
    received_run_id: Optional[str],
) -> StreamSequenceError:
    return StreamSequenceError(
        f"The background stream is inconsistent ({fault}): {detail}; every event up to "
        f"last_seq_id={context.last_seq_id!r} of run {context.run_id!r} was delivered once.",
        context.request,
        fault=fault,
        expected_seq_id=expected_seq_id,
        received_seq_id=received_seq_id,
        received_run_id=received_run_id,
        run_id=context.run_id,
        last_seq_id=context.last_seq_id,
        partial_response=context.partial_response,
    )
