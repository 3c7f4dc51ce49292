"""``client.runs``: look up a run, wait for it, read its messages, follow its stream.

``runs.stream`` (``POST /v1/runs/{run_id}/stream``) replays a background run's events after
``starting_after`` and then follows it live; like a background send it resumes by itself when
the connection breaks (see ``letta_client._resume``). Every call here is idempotent (reads),
so the transport retries them on timeouts and server errors too.

The message-page helpers at the bottom are shared with ``client.agents.messages``.
"""

from __future__ import annotations

import time
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Literal, Mapping, Optional, Union, cast, overload

from typing_extensions import TypedDict, Unpack

from .._exceptions import APITimeoutError, LettaError
from .._pagination import AsyncPage, AsyncPaginator, Order, SyncPage, in_requested_order, next_page_query
from .._paths import run_path
from .._response import parse_json
from .._resume import OnReconnect, async_run_resumer, resume_body, sync_run_resumer
from .._streaming import AsyncStream, Stream
from ..types.messages import LettaMessageUnion, LettaStopReason, LettaStreamingResponse, LettaUsageStatistics
from ..types.params import RequestOptions
from ..types.response import LettaResponse
from ..types.run import Run

if TYPE_CHECKING:
    from .._transport import AsyncTransport, SyncTransport

__all__ = ["AsyncRunMessages", "AsyncRuns", "RunMessages", "Runs"]

DEFAULT_WAIT_TIMEOUT = 600.0


class PollOptions(TypedDict, total=False):
    """The request options of ``wait`` (its ``timeout`` is the whole wait, not one request)."""

    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, object]


def _stream_body(
    starting_after: int, include_pings: Optional[bool], poll_interval: Optional[float], batch_size: Optional[int]
) -> Dict[str, Any]:
    if not isinstance(starting_after, int) or isinstance(starting_after, bool) or starting_after < 0:  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ValueError(f"starting_after must be a non-negative int, not {starting_after!r}")
    return resume_body(starting_after, include_pings=include_pings, poll_interval=poll_interval, batch_size=batch_size)


def _list_query(
    before: Optional[str], after: Optional[str], limit: Optional[int], order: Optional[Order], **extra: Any
) -> Dict[str, Any]:
    query: Dict[str, Any] = {"before": before, "after": after, "limit": limit, "order": order, **extra}
    return {key: value for key, value in query.items() if value is not None}


class _WaitPolicy:
    """Poll delays for ``wait``: ``poll_interval``, growing by half each time up to ``max_poll_interval``."""

    def __init__(self, run_id: str, timeout: Optional[float], poll_interval: float, max_poll_interval: float) -> None:
        if poll_interval <= 0 or max_poll_interval <= 0:
            raise ValueError("poll_interval and max_poll_interval must be positive")
        self.run_id = run_id
        self.timeout = timeout
        self.delay = poll_interval
        self.max_delay = max(max_poll_interval, poll_interval)

    def next_delay(self, run: Run, started: float, now: float) -> float:
        """Seconds to sleep before the next poll, or raise ``APITimeoutError`` when time is up."""
        delay = self.delay
        self.delay = min(self.delay * 1.5, self.max_delay)
        if self.timeout is None:
            return delay
        remaining = started + self.timeout - now
        if remaining <= 0:
            raise APITimeoutError(
                f"Run {self.run_id!r} is still {run.status!r} after waiting {self.timeout:g} s. It goes on "
                f"running on the server: call client.runs.wait({self.run_id!r}) again, or cancel it with "
                "client.agents.messages.cancel(agent_id, run_ids=[run_id]).",
                run_id=self.run_id,
            )
        return min(delay, remaining)


_STATUS_STOP_REASONS = {"completed": "end_turn", "failed": "error", "cancelled": "cancelled"}


def finished(run: Run) -> Run:
    """``run``, or ``LettaError`` while it is still going (its response is not known yet)."""
    if not run.is_terminal:
        raise LettaError(
            f"Run {run.id!r} is still {run.status!r}: its response is not known yet. "
            f"Wait for it with client.runs.wait({run.id!r}, response=True)."
        )
    return run


def run_response(run: Run, messages: List[LettaMessageUnion], usage: LettaUsageStatistics) -> LettaResponse:
    """The ``LettaResponse`` a send would have returned for a finished run: its messages without
    the input (``user_message``), its stop reason and its usage."""
    stop_reason = run.stop_reason or _STATUS_STOP_REASONS.get(run.status, "end_turn")
    return LettaResponse(
        messages=[message for message in messages if message.message_type != "user_message"],
        stop_reason=LettaStopReason(stop_reason=stop_reason),
        usage=usage,
    )


class Runs:
    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport
        self.clock: Callable[[], float] = time.monotonic
        """The clock ``wait`` measures its timeout with (replaceable in tests)."""

    @cached_property
    def messages(self) -> RunMessages:
        return RunMessages(self._transport)

    def retrieve(self, run_id: str, **options: Unpack[RequestOptions]) -> Run:
        """``GET /v1/runs/{run_id}``: the run's status, stop reason and metadata."""
        response = self._transport.request("GET", run_path(run_id), options=options, idempotent=True)
        return parse_json(response, Run)

    @overload
    def wait(
        self,
        run_id: str,
        *,
        timeout: Optional[float] = ...,
        poll_interval: float = ...,
        max_poll_interval: float = ...,
        response: Literal[False] = False,
        **options: Unpack[PollOptions],
    ) -> Run: ...
    @overload
    def wait(
        self,
        run_id: str,
        *,
        timeout: Optional[float] = ...,
        poll_interval: float = ...,
        max_poll_interval: float = ...,
        response: Literal[True],
        **options: Unpack[PollOptions],
    ) -> LettaResponse: ...
    def wait(
        self,
        run_id: str,
        *,
        timeout: Optional[float] = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = 0.5,
        max_poll_interval: float = 5.0,
        response: bool = False,
        **options: Unpack[PollOptions],
    ) -> Union[Run, LettaResponse]:
        """Poll ``retrieve`` (with growing pauses) until the run is completed, failed or cancelled,
        and return it; with ``response=True`` return its ``LettaResponse`` (see ``response``).
        ``timeout`` (seconds, ``None`` = no limit) raises ``APITimeoutError``."""
        policy = _WaitPolicy(run_id, timeout, poll_interval, max_poll_interval)
        started = self.clock()
        while True:
            run = self.retrieve(run_id, **options)
            if run.is_terminal:
                return self._response(run, options) if response else run
            self._transport.sleep(policy.next_delay(run, started, self.clock()))

    def response(self, run_id: str, **options: Unpack[PollOptions]) -> LettaResponse:
        """The ``LettaResponse`` of a finished run, rebuilt from ``retrieve``, every page of
        ``messages.list`` (without the input message) and ``GET /v1/runs/{run_id}/usage``: the
        answer of a turn whose stream was lost. ``LettaError`` while the run is still going."""
        return self._response(finished(self.retrieve(run_id, **options)), options)

    def _response(self, run: Run, options: PollOptions) -> LettaResponse:
        messages = list(self.messages.list(run.id, order="asc", **options))
        usage = self._transport.request(
            "GET", run_path(run.id, "/usage"), options=cast(RequestOptions, options), idempotent=True
        )
        return run_response(run, messages, parse_json(usage, LettaUsageStatistics))

    def stream(
        self,
        run_id: str,
        *,
        starting_after: int = 0,
        include_pings: Optional[bool] = None,
        poll_interval: Optional[float] = None,
        batch_size: Optional[int] = None,
        yield_pings: bool = False,
        resume: bool = True,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **options: Unpack[RequestOptions],
    ) -> Stream[LettaStreamingResponse]:
        """``POST /v1/runs/{run_id}/stream``: a background run's events after ``starting_after``
        (``0`` = from the start), then live until it ends. Resumes by itself after a broken
        connection unless ``resume=False``; ``ResumeError`` when the run cannot be streamed
        (400 not a background run, 404, 410 older than 3 hours)."""
        body = _stream_body(starting_after, include_pings, poll_interval, batch_size)
        resumer = (
            sync_run_resumer(
                self._transport,
                dict(body),
                options,
                max_attempts=max_resume_attempts,
                on_reconnect=on_reconnect,
            )
            if resume
            else None
        )
        response = self._transport.request(
            "POST", run_path(run_id, "/stream"), body=body, options=options, idempotent=True, stream=True
        )
        return Stream(
            response,
            yield_pings=yield_pings,
            resumer=resumer,
            numbered=True,
            run_id=run_id,
            starting_after=starting_after,
        )


class RunMessages:
    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport

    def list(
        self,
        run_id: str,
        *,
        before: Optional[str] = None,
        after: Optional[str] = None,
        limit: Optional[int] = None,
        order: Optional[Order] = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[LettaMessageUnion]:
        """``GET /v1/runs/{run_id}/messages``: the run's messages (``order`` defaults to ``asc``);
        iterate the page to walk every later page too."""
        query = _list_query(before, after, limit, order)
        return sync_message_page(self._transport, run_path(run_id, "/messages"), query, order or "asc", options)


class AsyncRuns:
    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport
        self.clock: Callable[[], float] = time.monotonic

    @cached_property
    def messages(self) -> AsyncRunMessages:
        return AsyncRunMessages(self._transport)

    async def retrieve(self, run_id: str, **options: Unpack[RequestOptions]) -> Run:
        response = await self._transport.request("GET", run_path(run_id), options=options, idempotent=True)
        return parse_json(response, Run)

    @overload
    async def wait(
        self,
        run_id: str,
        *,
        timeout: Optional[float] = ...,
        poll_interval: float = ...,
        max_poll_interval: float = ...,
        response: Literal[False] = False,
        **options: Unpack[PollOptions],
    ) -> Run: ...
    @overload
    async def wait(
        self,
        run_id: str,
        *,
        timeout: Optional[float] = ...,
        poll_interval: float = ...,
        max_poll_interval: float = ...,
        response: Literal[True],
        **options: Unpack[PollOptions],
    ) -> LettaResponse: ...
    async def wait(
        self,
        run_id: str,
        *,
        timeout: Optional[float] = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = 0.5,
        max_poll_interval: float = 5.0,
        response: bool = False,
        **options: Unpack[PollOptions],
    ) -> Union[Run, LettaResponse]:
        """See ``Letta.runs.wait``."""
        policy = _WaitPolicy(run_id, timeout, poll_interval, max_poll_interval)
        started = self.clock()
        while True:
            run = await self.retrieve(run_id, **options)
            if run.is_terminal:
                return await self._response(run, options) if response else run
            await self._transport.sleep(policy.next_delay(run, started, self.clock()))

    async def response(self, run_id: str, **options: Unpack[PollOptions]) -> LettaResponse:
        """See ``Letta.runs.response``."""
        return await self._response(finished(await self.retrieve(run_id, **options)), options)

    async def _response(self, run: Run, options: PollOptions) -> LettaResponse:
        messages = [message async for message in self.messages.list(run.id, order="asc", **options)]
        usage = await self._transport.request(
            "GET", run_path(run.id, "/usage"), options=cast(RequestOptions, options), idempotent=True
        )
        return run_response(run, messages, parse_json(usage, LettaUsageStatistics))

    async def stream(
        self,
        run_id: str,
        *,
        starting_after: int = 0,
        include_pings: Optional[bool] = None,
        poll_interval: Optional[float] = None,
        batch_size: Optional[int] = None,
        yield_pings: bool = False,
        resume: bool = True,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncStream[LettaStreamingResponse]:
        """See ``Letta.runs.stream``."""
        body = _stream_body(starting_after, include_pings, poll_interval, batch_size)
        resumer = (
            async_run_resumer(
                self._transport,
                dict(body),
                options,
                max_attempts=max_resume_attempts,
                on_reconnect=on_reconnect,
            )
            if resume
            else None
        )
        response = await self._transport.request(
            "POST", run_path(run_id, "/stream"), body=body, options=options, idempotent=True, stream=True
        )
        return AsyncStream(
            response,
            yield_pings=yield_pings,
            resumer=resumer,
            numbered=True,
            run_id=run_id,
            starting_after=starting_after,
        )


class AsyncRunMessages:
    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    def list(
        self,
        run_id: str,
        *,
        before: Optional[str] = None,
        after: Optional[str] = None,
        limit: Optional[int] = None,
        order: Optional[Order] = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[LettaMessageUnion]:
        """``await`` for the first page, or ``async for`` over every message."""
        query = _list_query(before, after, limit, order)
        path = run_path(run_id, "/messages")
        return AsyncPaginator(lambda: async_message_page(self._transport, path, query, order or "asc", options))


# Shared with client.agents.messages ------------------------------------------------------------


def sync_message_page(
    transport: SyncTransport, path: str, query: Dict[str, Any], order: Order, options: RequestOptions
) -> SyncPage[LettaMessageUnion]:
    """Fetch one page of a message listing and link it to the next."""
    response = transport.request("GET", path, query=query, options=options, idempotent=True)
    items = _page_items(parse_json(response, List[LettaMessageUnion]), query, order)
    return SyncPage(
        items,
        next_query=next_page_query(query, items, order),
        fetch=lambda following: sync_message_page(transport, path, following, order, options),
    )


async def async_message_page(
    transport: AsyncTransport, path: str, query: Dict[str, Any], order: Order, options: RequestOptions
) -> AsyncPage[LettaMessageUnion]:
    response = await transport.request("GET", path, query=query, options=options, idempotent=True)
    items = _page_items(parse_json(response, List[LettaMessageUnion]), query, order)
    return AsyncPage(
        items,
        next_query=next_page_query(query, items, order),
        fetch=lambda following: async_message_page(transport, path, following, order, options),
    )


def _page_items(items: List[LettaMessageUnion], query: Dict[str, Any], order: Order) -> List[LettaMessageUnion]:
    """The page's items in the requested order. A page that holds its own cursor's message came
    from a server that ignored the cursor (cursors are strict): it is treated as the end, so
    that iteration neither repeats items nor loops forever."""
    cursor = query.get("before" if order == "desc" else "after")
    if cursor is not None and any(getattr(item, "id", None) == cursor for item in items):
        return []
    return in_requested_order(items, order)
