"""The drivers of the tool runner: they perform the effects of ``_flow.tool_run``, and nothing else.

A run talks to its agent (or conversation) through a ``MessageTarget``: ``send`` one request,
``stream`` one request, ``list`` the newest messages. ``client.agents.messages.run_tools`` builds one
for its agent; the runner never imports a resource.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, AsyncGenerator, Awaitable, Generator, List

from typing_extensions import Protocol

from .._exceptions import LettaError
from .._streaming import AsyncStream, Stream
from ..types.messages import LettaMessageUnion, LettaStreamingResponse
from ..types.response import LettaResponse
from ._answers import ApprovalItem
from ._flow import Effect, Flow, Job, Plan, ReadHistory, SendBody, advance, tool_run
from ._result import ToolRunResult

__all__ = [
    "AsyncMessageTarget",
    "AsyncToolRunnerStream",
    "MessageTarget",
    "ToolRunnerStream",
]


class MessageTarget(Protocol):
    """Where a run's requests go: one agent's (or conversation's) messages."""

    def send(self, body: Any) -> LettaResponse:
        """Send one request and return the whole turn."""
        ...

    def stream(self, body: Any) -> Stream[LettaStreamingResponse]:
        """Send one request as a stream."""
        ...

    def list(self, limit: int) -> List[LettaMessageUnion]:
        """The newest ``limit`` messages, oldest first."""
        ...


class AsyncMessageTarget(Protocol):
    """``MessageTarget`` for ``AsyncLetta``."""

    async def send(self, body: Any) -> LettaResponse: ...

    async def stream(self, body: Any) -> AsyncStream[LettaStreamingResponse]: ...

    async def list(self, limit: int) -> List[LettaMessageUnion]: ...


# -- the synchronous driver -----------------------------------------------------------------------


def _run_coroutine(awaitable: Awaitable[object]) -> object:
    async def wait() -> object:
        return await awaitable

    return asyncio.run(wait())


def _run_job(job: Job) -> ApprovalItem:
    try:
        value = job.run()
        if inspect.isawaitable(value):
            value = _run_coroutine(value)
    except Exception as error:
        return job.failed(error)
    return job.finish(value)


def _drive(flow: Flow, target: MessageTarget) -> Generator[LettaStreamingResponse, None, None]:
    """Perform the flow's effects, yielding the events of streamed rounds."""
    try:
        effect = advance(flow)
        while effect is not None:
            try:
                if isinstance(effect, SendBody) and effect.streaming:
                    stream = target.stream(effect.body)
                    try:
                        yield from stream
                        outcome: object = stream.get_final_response()
                    finally:
                        stream.close()
                else:
                    outcome = _perform(effect, target)
            except Exception as error:
                effect = advance(flow, error=error)
            else:
                effect = advance(flow, outcome)
    finally:
        flow.close()


def _perform(effect: Effect, target: MessageTarget) -> object:
    if isinstance(effect, SendBody):
        return target.send(effect.body)
    if isinstance(effect, ReadHistory):
        return target.list(effect.limit)
    return [_run_job(job) for job in effect.jobs]


class ToolRunnerStream:
    """Every event of every round, in order: ``for event in runner``.

    Nothing is sent before the iteration starts. ``get_final_response()`` reads the rest and
    returns the ``ToolRunResult``. ``close()`` (or ``with runner:``) closes the open stream.
    """

    def __init__(self, plan: Plan, target: MessageTarget) -> None:
        self._plan = plan
        self._events = _drive(tool_run(plan), target)

    @property
    def result(self) -> ToolRunResult:
        """The rounds finished so far."""
        return self._plan.result

    def __iter__(self) -> Generator[LettaStreamingResponse, None, None]:
        return self._events

    def __next__(self) -> LettaStreamingResponse:
        return next(self._events)

    def until_done(self) -> None:
        for _ in self._events:
            pass

    def get_final_response(self) -> ToolRunResult:
        self.until_done()
        if not self._plan.finished:
            raise LettaError("The tool run was closed before it finished.")
        return self._plan.result

    def close(self) -> None:
        self._events.close()

    def __enter__(self) -> ToolRunnerStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


# -- the asynchronous driver ----------------------------------------------------------------------


async def _run_job_async(job: Job) -> ApprovalItem:
    try:
        value = job.run()
        if inspect.isawaitable(value):
            value = await value
    except Exception as error:
        return job.failed(error)
    return job.finish(value)


async def _drive_async(flow: Flow, target: AsyncMessageTarget) -> AsyncGenerator[LettaStreamingResponse, None]:
    """Perform the flow's effects, yielding the events of streamed rounds."""
    try:
        effect = advance(flow)
        while effect is not None:
            try:
                if isinstance(effect, SendBody) and effect.streaming:
                    stream = await target.stream(effect.body)
                    try:
                        async for event in stream:
                            yield event
                        outcome: object = await stream.get_final_response()
                    finally:
                        await stream.close()
                else:
                    outcome = await _perform_async(effect, target)
            except Exception as error:
                effect = advance(flow, error=error)
            else:
                effect = advance(flow, outcome)
    finally:
        flow.close()


async def _perform_async(effect: Effect, target: AsyncMessageTarget) -> object:
    if isinstance(effect, SendBody):
        return await target.send(effect.body)
    if isinstance(effect, ReadHistory):
        return await target.list(effect.limit)
    return list(await asyncio.gather(*(_run_job_async(job) for job in effect.jobs)))


class AsyncToolRunnerStream:
    """Every event of every round, in order: ``async for event in runner``; see ``ToolRunnerStream``."""

    def __init__(self, plan: Plan, target: AsyncMessageTarget) -> None:
        self._plan = plan
        self._events = _drive_async(tool_run(plan), target)

    @property
    def result(self) -> ToolRunResult:
        return self._plan.result

    def __aiter__(self) -> AsyncGenerator[LettaStreamingResponse, None]:
        return self._events

    async def __anext__(self) -> LettaStreamingResponse:
        return await self._events.__anext__()

    async def until_done(self) -> None:
        async for _ in self._events:
            pass

    async def get_final_response(self) -> ToolRunResult:
        await self.until_done()
        if not self._plan.finished:
            raise LettaError("The tool run was closed before it finished.")
        return self._plan.result

    async def close(self) -> None:
        await self._events.aclose()

    aclose = close

    async def __aenter__(self) -> AsyncToolRunnerStream:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
