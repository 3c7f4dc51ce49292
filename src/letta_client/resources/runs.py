"""``client.runs``: look up a run, wait for it, read its messages, follow its stream.

``runs.stream`` (``POST /v1/runs/{run_id}/stream``) replays a background run's events after
``starting_after`` and then follows it live; like a background send it resumes by itself when
the connection breaks (see ``letta_client._resume``). Every call here is idempotent (reads),
so the transport retries them on timeouts and server errors too.
"""

from __future__ import annotations

import time
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Literal, Mapping, Optional, Sequence, Union, overload

from typing_extensions import TypedDict, Unpack

from .._exceptions import APITimeoutError
from .._pagination import (
    AsyncArrayPage,
    AsyncPaginator,
    Order,
    SyncArrayPage,
    async_array_page,
    async_message_page,
    list_query,
    sync_array_page,
    sync_message_page,
)
from .._paths import run_path
from .._response import (
    async_to_raw_response,
    async_to_streamed_response,
    parse_json,
    to_raw_response,
    to_streamed_response,
)
from .._resume import OnReconnect, async_run_resumer, resume_body, sync_run_resumer
from .._sentinels import leaves_out_sentinels
from .._streaming import AsyncStream, Stream
from ..types.messages import LettaMessageUnion, LettaStreamingResponse, StopReasonType
from ..types.params import RequestOptions
from ..types.response import LettaResponse
from ..types.run import Run, RunStatus
from ._generated.runs import (
    AsyncRunsEndpoints,
    AsyncRunsEndpointsWithRawResponse,
    AsyncRunsEndpointsWithStreamingResponse,
    RunsEndpoints,
    RunsEndpointsWithRawResponse,
    RunsEndpointsWithStreamingResponse,
)
from ._run_wait import WaitPolicy, finished, run_response
from .run_steps import (
    AsyncRunSteps,
    AsyncRunStepsWithRawResponse,
    AsyncRunStepsWithStreamingResponse,
    AsyncRunUsage,
    AsyncRunUsageWithRawResponse,
    AsyncRunUsageWithStreamingResponse,
    RunSteps,
    RunStepsWithRawResponse,
    RunStepsWithStreamingResponse,
    RunUsage,
    RunUsageWithRawResponse,
    RunUsageWithStreamingResponse,
)

if TYPE_CHECKING:
    from .._transport import AsyncTransport, SyncTransport

__all__ = [
    "AsyncRunMessages",
    "AsyncRunSteps",
    "AsyncRunUsage",
    "AsyncRuns",
    "RunMessages",
    "RunSteps",
    "RunUsage",
    "Runs",
]

DEFAULT_WAIT_TIMEOUT = 600.0


class PollOptions(TypedDict, total=False):
    """The request options of ``wait`` (its ``timeout`` is the whole wait, not one request)."""

    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, object]


def _given_ids(**ids: Optional[str]) -> Dict[str, str]:
    """The official SDK's ``agent_id`` / ``body_run_id`` / ``otid`` of a run stream's body (the
    server reads them on the conversation stream; here they are only passed on)."""
    return {key: value for key, value in ids.items() if value is not None}


def _stream_body(
    starting_after: int, include_pings: Optional[bool], poll_interval: Optional[float], batch_size: Optional[int]
) -> Dict[str, Any]:
    if not isinstance(starting_after, int) or isinstance(starting_after, bool) or starting_after < 0:  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ValueError(f"starting_after must be a non-negative int, not {starting_after!r}")
    return resume_body(starting_after, include_pings=include_pings, poll_interval=poll_interval, batch_size=batch_size)


def _runs_query(
    *cursor: Any, agent_ids: Optional[Sequence[str]], statuses: Optional[Sequence[str]], **filters: Any
) -> Dict[str, Any]:
    """The query of ``runs.list`` (the list filters repeat the parameter, as the server expects)."""
    return list_query(
        *cursor,
        agent_ids=None if agent_ids is None else list(agent_ids),
        statuses=None if statuses is None else list(statuses),
        **filters,
    )


@leaves_out_sentinels
class Runs(RunsEndpoints):
    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport
        self.clock: Callable[[], float] = time.monotonic
        """The clock ``wait`` measures its timeout with (replaceable in tests)."""

    @cached_property
    def messages(self) -> RunMessages:
        return RunMessages(self._transport)

    @cached_property
    def steps(self) -> RunSteps:
        return RunSteps(self._transport)

    @cached_property
    def usage(self) -> RunUsage:
        return RunUsage(self._transport)

    @property
    def with_raw_response(self) -> RunsWithRawResponse:
        return RunsWithRawResponse(self)

    @property
    def with_streaming_response(self) -> RunsWithStreamingResponse:
        return RunsWithStreamingResponse(self)

    def retrieve(self, run_id: str, **options: Unpack[RequestOptions]) -> Run:
        """``GET /v1/runs/{run_id}``: the run's status, stop reason and metadata."""
        response = self._transport.request("GET", run_path(run_id), options=options, idempotent=True)
        return parse_json(response, Run)

    def list(
        self,
        *,
        agent_id: Optional[str] = None,
        agent_ids: Optional[Sequence[str]] = None,
        conversation_id: Optional[str] = None,
        statuses: Optional[Sequence[Union[RunStatus, str]]] = None,
        stop_reason: Optional[Union[StopReasonType, str]] = None,
        background: Optional[bool] = None,
        active: Optional[bool] = None,
        before: Optional[str] = None,
        after: Optional[str] = None,
        limit: Optional[int] = None,
        order: Optional[Order] = None,
        order_by: Optional[Literal["created_at"]] = None,
        ascending: Optional[bool] = None,
        **options: Unpack[RequestOptions],
    ) -> SyncArrayPage[Run]:
        """``GET /v1/runs/``: runs, filtered (by agent, conversation, status...); iterating the
        page walks every later page too."""
        query = _runs_query(
            before,
            after,
            limit,
            order,
            agent_id=agent_id,
            agent_ids=agent_ids,
            conversation_id=conversation_id,
            statuses=statuses,
            stop_reason=stop_reason,
            background=background,
            active=active,
            order_by=order_by,
            ascending=ascending,
        )

        def fetch(page_query: Dict[str, Any]) -> List[Run]:
            response = self._transport.request("GET", "/v1/runs/", query=page_query, options=options, idempotent=True)
            return parse_json(response, List[Run])

        return sync_array_page(fetch, query, walk="runs")

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
        ``timeout`` (seconds, ``None`` = no limit) bounds the whole wait, each request included:
        past it, ``APITimeoutError``."""
        policy = WaitPolicy(run_id, timeout, poll_interval, max_poll_interval, self.clock, self._transport.options)
        while True:
            try:
                run = policy.polled(self.retrieve(run_id, **policy.options(options)))
                if run.is_terminal:
                    return self._response(run, policy.options(options)) if response else run
            except APITimeoutError as error:
                if not policy.cut:
                    raise
                raise policy.expired() from error
            self._transport.sleep(policy.next_delay())

    def response(self, run_id: str, **options: Unpack[PollOptions]) -> LettaResponse:
        """The ``LettaResponse`` of a finished run, rebuilt from ``retrieve``, every page of
        ``messages.list`` (without the input message) and ``usage.retrieve``: the answer of a
        turn whose stream was lost. ``LettaError`` while the run is still going."""
        return self._response(finished(self.retrieve(run_id, **options)), options)

    def _response(self, run: Run, options: Mapping[str, Any]) -> LettaResponse:
        messages = list(self.messages.list(run.id, order="asc", **options))
        return run_response(run, messages, self.usage.retrieve(run.id, **options))

    def stream(
        self,
        run_id: str,
        *,
        starting_after: int = 0,
        include_pings: Optional[bool] = None,
        poll_interval: Optional[float] = None,
        batch_size: Optional[int] = None,
        yield_pings: bool = True,
        resume: bool = True,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **options: Unpack[RequestOptions],
    ) -> Stream[LettaStreamingResponse]:
        """The same as ``runs.messages.stream`` (the official SDK's name)."""
        return self.messages.stream(
            run_id,
            starting_after=starting_after,
            include_pings=include_pings,
            poll_interval=poll_interval,
            batch_size=batch_size,
            yield_pings=yield_pings,
            resume=resume,
            max_resume_attempts=max_resume_attempts,
            on_reconnect=on_reconnect,
            **options,
        )


@leaves_out_sentinels
class RunMessages:
    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport

    @property
    def with_raw_response(self) -> RunMessagesWithRawResponse:
        return RunMessagesWithRawResponse(self)

    @property
    def with_streaming_response(self) -> RunMessagesWithStreamingResponse:
        return RunMessagesWithStreamingResponse(self)

    def list(
        self,
        run_id: str,
        *,
        before: Optional[str] = None,
        after: Optional[str] = None,
        limit: Optional[int] = None,
        order: Optional[Order] = None,
        order_by: Optional[Literal["created_at"]] = None,
        **options: Unpack[RequestOptions],
    ) -> SyncArrayPage[LettaMessageUnion]:
        """``GET /v1/runs/{run_id}/messages``: the run's messages (``order`` defaults to ``asc``);
        iterate the page to walk every later page too."""
        query = list_query(before, after, limit, order, order_by=order_by)
        return sync_message_page(self._transport, run_path(run_id, "/messages"), query, order or "asc", options)

    def stream(
        self,
        run_id: str,
        *,
        starting_after: int = 0,
        include_pings: Optional[bool] = None,
        poll_interval: Optional[float] = None,
        batch_size: Optional[int] = None,
        yield_pings: bool = True,
        resume: bool = True,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        agent_id: Optional[str] = None,
        body_run_id: Optional[str] = None,
        otid: Optional[str] = None,
        **options: Unpack[RequestOptions],
    ) -> Stream[LettaStreamingResponse]:
        """``POST /v1/runs/{run_id}/stream``: a background run's events after ``starting_after``
        (``0`` = from the start, or the ``seq_id`` of the last event you have), then live until
        it ends. Resumes by itself after a broken connection unless ``resume=False``;
        ``ResumeError`` when the run cannot be streamed (400 not a background run, 404, 410
        older than 3 hours)."""
        body = _stream_body(starting_after, include_pings, poll_interval, batch_size)
        body.update(_given_ids(agent_id=agent_id, run_id=body_run_id, otid=otid))
        resumer = (
            sync_run_resumer(
                self._transport, dict(body), options, max_attempts=max_resume_attempts, on_reconnect=on_reconnect
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


@leaves_out_sentinels
class AsyncRuns(AsyncRunsEndpoints):
    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport
        self.clock: Callable[[], float] = time.monotonic

    @cached_property
    def messages(self) -> AsyncRunMessages:
        return AsyncRunMessages(self._transport)

    @cached_property
    def steps(self) -> AsyncRunSteps:
        return AsyncRunSteps(self._transport)

    @cached_property
    def usage(self) -> AsyncRunUsage:
        return AsyncRunUsage(self._transport)

    @property
    def with_raw_response(self) -> AsyncRunsWithRawResponse:
        return AsyncRunsWithRawResponse(self)

    @property
    def with_streaming_response(self) -> AsyncRunsWithStreamingResponse:
        return AsyncRunsWithStreamingResponse(self)

    async def retrieve(self, run_id: str, **options: Unpack[RequestOptions]) -> Run:
        response = await self._transport.request("GET", run_path(run_id), options=options, idempotent=True)
        return parse_json(response, Run)

    def list(
        self,
        *,
        agent_id: Optional[str] = None,
        agent_ids: Optional[Sequence[str]] = None,
        conversation_id: Optional[str] = None,
        statuses: Optional[Sequence[Union[RunStatus, str]]] = None,
        stop_reason: Optional[Union[StopReasonType, str]] = None,
        background: Optional[bool] = None,
        active: Optional[bool] = None,
        before: Optional[str] = None,
        after: Optional[str] = None,
        limit: Optional[int] = None,
        order: Optional[Order] = None,
        order_by: Optional[Literal["created_at"]] = None,
        ascending: Optional[bool] = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Run, AsyncArrayPage[Run]]:
        """See ``Letta.runs.list``: ``await`` it for the first page, or ``async for`` over every run."""
        query = _runs_query(
            before,
            after,
            limit,
            order,
            agent_id=agent_id,
            agent_ids=agent_ids,
            conversation_id=conversation_id,
            statuses=statuses,
            stop_reason=stop_reason,
            background=background,
            active=active,
            order_by=order_by,
            ascending=ascending,
        )

        async def fetch(page_query: Dict[str, Any]) -> List[Run]:
            response = await self._transport.request(
                "GET", "/v1/runs/", query=page_query, options=options, idempotent=True
            )
            return parse_json(response, List[Run])

        return AsyncPaginator(lambda: async_array_page(fetch, query, walk="runs"))

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
        policy = WaitPolicy(run_id, timeout, poll_interval, max_poll_interval, self.clock, self._transport.options)
        while True:
            try:
                run = policy.polled(await self.retrieve(run_id, **policy.options(options)))
                if run.is_terminal:
                    return await self._response(run, policy.options(options)) if response else run
            except APITimeoutError as error:
                if not policy.cut:
                    raise
                raise policy.expired() from error
            await self._transport.sleep(policy.next_delay())

    async def response(self, run_id: str, **options: Unpack[PollOptions]) -> LettaResponse:
        """See ``Letta.runs.response``."""
        return await self._response(finished(await self.retrieve(run_id, **options)), options)

    async def _response(self, run: Run, options: Mapping[str, Any]) -> LettaResponse:
        messages = [message async for message in self.messages.list(run.id, order="asc", **options)]
        return run_response(run, messages, await self.usage.retrieve(run.id, **options))

    async def stream(
        self,
        run_id: str,
        *,
        starting_after: int = 0,
        include_pings: Optional[bool] = None,
        poll_interval: Optional[float] = None,
        batch_size: Optional[int] = None,
        yield_pings: bool = True,
        resume: bool = True,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncStream[LettaStreamingResponse]:
        """See ``Letta.runs.stream``."""
        return await self.messages.stream(
            run_id,
            starting_after=starting_after,
            include_pings=include_pings,
            poll_interval=poll_interval,
            batch_size=batch_size,
            yield_pings=yield_pings,
            resume=resume,
            max_resume_attempts=max_resume_attempts,
            on_reconnect=on_reconnect,
            **options,
        )


@leaves_out_sentinels
class AsyncRunMessages:
    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    @property
    def with_raw_response(self) -> AsyncRunMessagesWithRawResponse:
        return AsyncRunMessagesWithRawResponse(self)

    @property
    def with_streaming_response(self) -> AsyncRunMessagesWithStreamingResponse:
        return AsyncRunMessagesWithStreamingResponse(self)

    def list(
        self,
        run_id: str,
        *,
        before: Optional[str] = None,
        after: Optional[str] = None,
        limit: Optional[int] = None,
        order: Optional[Order] = None,
        order_by: Optional[Literal["created_at"]] = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[LettaMessageUnion, AsyncArrayPage[LettaMessageUnion]]:
        """``await`` for the first page, or ``async for`` over every message."""
        query = list_query(before, after, limit, order, order_by=order_by)
        path = run_path(run_id, "/messages")
        return AsyncPaginator(lambda: async_message_page(self._transport, path, query, order or "asc", options))

    async def stream(
        self,
        run_id: str,
        *,
        starting_after: int = 0,
        include_pings: Optional[bool] = None,
        poll_interval: Optional[float] = None,
        batch_size: Optional[int] = None,
        yield_pings: bool = True,
        resume: bool = True,
        max_resume_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
        agent_id: Optional[str] = None,
        body_run_id: Optional[str] = None,
        otid: Optional[str] = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncStream[LettaStreamingResponse]:
        """See ``Letta.runs.messages.stream``."""
        body = _stream_body(starting_after, include_pings, poll_interval, batch_size)
        body.update(_given_ids(agent_id=agent_id, run_id=body_run_id, otid=otid))
        resumer = (
            async_run_resumer(
                self._transport, dict(body), options, max_attempts=max_resume_attempts, on_reconnect=on_reconnect
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


# Raw and streaming responses -------------------------------------------------------------------


class RunsWithRawResponse(RunsEndpointsWithRawResponse):
    def __init__(self, runs: Runs) -> None:
        super().__init__(runs)
        self._runs = runs
        self.retrieve = to_raw_response(runs.retrieve)
        self.list = to_raw_response(runs.list)

    @property
    def messages(self) -> RunMessagesWithRawResponse:
        return self._runs.messages.with_raw_response

    @property
    def steps(self) -> RunStepsWithRawResponse:
        return self._runs.steps.with_raw_response

    @property
    def usage(self) -> RunUsageWithRawResponse:
        return self._runs.usage.with_raw_response


class RunsWithStreamingResponse(RunsEndpointsWithStreamingResponse):
    def __init__(self, runs: Runs) -> None:
        super().__init__(runs)
        self._runs = runs
        self.retrieve = to_streamed_response(runs.retrieve)
        self.list = to_streamed_response(runs.list)

    @property
    def messages(self) -> RunMessagesWithStreamingResponse:
        return self._runs.messages.with_streaming_response

    @property
    def steps(self) -> RunStepsWithStreamingResponse:
        return self._runs.steps.with_streaming_response

    @property
    def usage(self) -> RunUsageWithStreamingResponse:
        return self._runs.usage.with_streaming_response


class RunMessagesWithRawResponse:
    def __init__(self, messages: RunMessages) -> None:
        self.list = to_raw_response(messages.list)
        self.stream = to_raw_response(messages.stream)


class RunMessagesWithStreamingResponse:
    def __init__(self, messages: RunMessages) -> None:
        self.list = to_streamed_response(messages.list)
        self.stream = to_streamed_response(messages.stream)


class AsyncRunsWithRawResponse(AsyncRunsEndpointsWithRawResponse):
    def __init__(self, runs: AsyncRuns) -> None:
        super().__init__(runs)
        self._runs = runs
        self.retrieve = async_to_raw_response(runs.retrieve)
        self.list = async_to_raw_response(runs.list)

    @property
    def messages(self) -> AsyncRunMessagesWithRawResponse:
        return self._runs.messages.with_raw_response

    @property
    def steps(self) -> AsyncRunStepsWithRawResponse:
        return self._runs.steps.with_raw_response

    @property
    def usage(self) -> AsyncRunUsageWithRawResponse:
        return self._runs.usage.with_raw_response


class AsyncRunsWithStreamingResponse(AsyncRunsEndpointsWithStreamingResponse):
    def __init__(self, runs: AsyncRuns) -> None:
        super().__init__(runs)
        self._runs = runs
        self.retrieve = async_to_streamed_response(runs.retrieve)
        self.list = async_to_streamed_response(runs.list)

    @property
    def messages(self) -> AsyncRunMessagesWithStreamingResponse:
        return self._runs.messages.with_streaming_response

    @property
    def steps(self) -> AsyncRunStepsWithStreamingResponse:
        return self._runs.steps.with_streaming_response

    @property
    def usage(self) -> AsyncRunUsageWithStreamingResponse:
        return self._runs.usage.with_streaming_response


class AsyncRunMessagesWithRawResponse:
    def __init__(self, messages: AsyncRunMessages) -> None:
        self.list = async_to_raw_response(messages.list)
        self.stream = async_to_raw_response(messages.stream)


class AsyncRunMessagesWithStreamingResponse:
    def __init__(self, messages: AsyncRunMessages) -> None:
        self.list = async_to_streamed_response(messages.list)
        self.stream = async_to_streamed_response(messages.stream)
