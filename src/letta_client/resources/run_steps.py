"""``client.runs.steps`` and ``client.runs.usage``: what a run did and cost, step by step."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Literal, Optional

from typing_extensions import Unpack

from .._pagination import (
    AsyncArrayPage,
    AsyncPaginator,
    Order,
    SyncArrayPage,
    async_array_page,
    list_query,
    sync_array_page,
)
from .._paths import run_path
from .._response import (
    async_to_raw_response,
    async_to_streamed_response,
    parse_json,
    to_raw_response,
    to_streamed_response,
)
from .._sentinels import leaves_out_sentinels
from ..types.params import RequestOptions
from ..types.run import UsageRetrieveResponse

if TYPE_CHECKING:
    from .._transport import AsyncTransport, SyncTransport
    from ..types.step import Step

__all__ = ["AsyncRunSteps", "AsyncRunUsage", "RunSteps", "RunUsage"]


@leaves_out_sentinels
class RunSteps:
    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport

    @property
    def with_raw_response(self) -> RunStepsWithRawResponse:
        return RunStepsWithRawResponse(self)

    @property
    def with_streaming_response(self) -> RunStepsWithStreamingResponse:
        return RunStepsWithStreamingResponse(self)

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
    ) -> SyncArrayPage[Step]:
        """``GET /v1/runs/{run_id}/steps``: the run's LLM steps; iterating walks every page."""
        path = run_path(run_id, "/steps")

        def fetch(query: Dict[str, Any]) -> List[Step]:
            response = self._transport.request("GET", path, query=query, options=options, idempotent=True)
            return parse_json(response, _steps())

        return sync_array_page(fetch, list_query(before, after, limit, order, order_by=order_by))


@leaves_out_sentinels
class RunUsage:
    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport

    @property
    def with_raw_response(self) -> RunUsageWithRawResponse:
        return RunUsageWithRawResponse(self)

    @property
    def with_streaming_response(self) -> RunUsageWithStreamingResponse:
        return RunUsageWithStreamingResponse(self)

    def retrieve(self, run_id: str, **options: Unpack[RequestOptions]) -> UsageRetrieveResponse:
        """``GET /v1/runs/{run_id}/usage``: the run's token usage."""
        response = self._transport.request("GET", run_path(run_id, "/usage"), options=options, idempotent=True)
        return parse_json(response, UsageRetrieveResponse)


@leaves_out_sentinels
class AsyncRunSteps:
    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    @property
    def with_raw_response(self) -> AsyncRunStepsWithRawResponse:
        return AsyncRunStepsWithRawResponse(self)

    @property
    def with_streaming_response(self) -> AsyncRunStepsWithStreamingResponse:
        return AsyncRunStepsWithStreamingResponse(self)

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
    ) -> AsyncPaginator[Step, AsyncArrayPage[Step]]:
        """See ``Letta.runs.steps.list``."""
        path = run_path(run_id, "/steps")

        async def fetch(query: Dict[str, Any]) -> List[Step]:
            response = await self._transport.request("GET", path, query=query, options=options, idempotent=True)
            return parse_json(response, _steps())

        query = list_query(before, after, limit, order, order_by=order_by)
        return AsyncPaginator(lambda: async_array_page(fetch, query))


@leaves_out_sentinels
class AsyncRunUsage:
    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    @property
    def with_raw_response(self) -> AsyncRunUsageWithRawResponse:
        return AsyncRunUsageWithRawResponse(self)

    @property
    def with_streaming_response(self) -> AsyncRunUsageWithStreamingResponse:
        return AsyncRunUsageWithStreamingResponse(self)

    async def retrieve(self, run_id: str, **options: Unpack[RequestOptions]) -> UsageRetrieveResponse:
        """See ``Letta.runs.usage.retrieve``."""
        response = await self._transport.request("GET", run_path(run_id, "/usage"), options=options, idempotent=True)
        return parse_json(response, UsageRetrieveResponse)


class RunStepsWithRawResponse:
    def __init__(self, steps: RunSteps) -> None:
        self.list = to_raw_response(steps.list)


class RunStepsWithStreamingResponse:
    def __init__(self, steps: RunSteps) -> None:
        self.list = to_streamed_response(steps.list)


class RunUsageWithRawResponse:
    def __init__(self, usage: RunUsage) -> None:
        self.retrieve = to_raw_response(usage.retrieve)


class RunUsageWithStreamingResponse:
    def __init__(self, usage: RunUsage) -> None:
        self.retrieve = to_streamed_response(usage.retrieve)


class AsyncRunStepsWithRawResponse:
    def __init__(self, steps: AsyncRunSteps) -> None:
        self.list = async_to_raw_response(steps.list)


class AsyncRunStepsWithStreamingResponse:
    def __init__(self, steps: AsyncRunSteps) -> None:
        self.list = async_to_streamed_response(steps.list)


class AsyncRunUsageWithRawResponse:
    def __init__(self, usage: AsyncRunUsage) -> None:
        self.retrieve = async_to_raw_response(usage.retrieve)


class AsyncRunUsageWithStreamingResponse:
    def __init__(self, usage: AsyncRunUsage) -> None:
        self.retrieve = async_to_streamed_response(usage.retrieve)


def _steps() -> Any:
    """``List[Step]``, imported on the first listing (a step carries its messages' model graph)."""
    from ..types.step import Step

    return List[Step]
