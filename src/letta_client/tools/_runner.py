"""The drivers of the tool runner: they perform the effects of ``_flow.tool_run``, and nothing else.

A run talks to its agent (or conversation) through a ``MessageTarget``: ``send`` one request,
``stream`` one request, ``list`` the newest messages. ``client.agents.messages.run_tools`` builds one
for its agent; the runner never imports a resource.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, AsyncGenerator, Awaitable, Callable, Dict, Generator, List, Optional, Sequence, Tuple, cast

from typing_extensions import Protocol

from .._exceptions import LettaError
from .._loop_thread import LoopThread
from .._streaming import AsyncStream, Stream
from ..types.messages import LettaMessageUnion, LettaStreamingResponse
from ..types.response import LettaResponse
from ._answers import ApprovalItem
from ._flow import Job, Outcome, Pause, Plan, ReadHistory, SendBody, advance, tool_run
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


# -- running the calls of a round ----------------------------------------------------------------
#
# Each driver calls ``Job.answer`` right where it catches the function's exception: what the
# function returned is encoded there, so a value that cannot be sent fails like a raising tool.

Start = Tuple[Job, Callable[[], object]]
"""A job and how to start it (its function, or the function run in a worker thread)."""


async def _settle(starts: Sequence[Start], limit: int) -> List[Outcome]:
    """Run every call, awaiting what it returns, at most ``limit`` at a time; outcomes in order."""
    semaphore = asyncio.Semaphore(limit)

    async def one(job: Job, start: Callable[[], object]) -> Outcome:
        async with semaphore:
            try:
                value = start()
                while inspect.isawaitable(value):
                    value = await value
            except Exception as error:
                return job.answer(error=error)
            return job.answer(value)

    return list(await asyncio.gather(*(one(job, start) for job, start in starts)))


def _answers(outcomes: Sequence[Outcome]) -> List[ApprovalItem]:
    """Every job's answer; a hook that failed raises here, after every call of the round finished."""
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            raise outcome
    return [cast(ApprovalItem, outcome) for outcome in outcomes]


def _run_jobs(jobs: Sequence[Job], loop: LoopThread, limit: int) -> List[ApprovalItem]:
    """The synchronous runner: async jobs start at once on the client's event-loop thread (at most
    ``limit`` at a time); the others run in this thread meanwhile, one after another. ``close()``
    from another thread cancels the async ones: ``ClientClosedError``."""
    awaited = [job for job in jobs if job.is_async]
    running = loop.submit(lambda: _settle([(job, job.run) for job in awaited], limit)) if awaited else None
    outcomes: Dict[int, Outcome] = {}
    try:
        for job in jobs:
            if not job.is_async:
                outcomes[id(job)] = _call_here(job, loop)
        if running is not None:
            settled: List[Outcome] = loop.wait(running)
            outcomes.update(zip(map(id, awaited), settled))
    finally:
        if running is not None:
            running.cancel()
    return _answers([outcomes[id(job)] for job in jobs])


def _call_here(job: Job, loop: LoopThread) -> Outcome:
    try:
        value = job.run()
    except Exception as error:
        return job.answer(error=error)
    if inspect.isawaitable(value):  # a plain function that returned an awaitable: await it on the loop
        awaitable = value
        return loop.run(lambda: _settle([(job, lambda: awaitable)], 1))[0]
    return job.answer(value)


class _WorkerPool:
    """The asynchronous runner's threads for sync tools: at most ``size``, made on first need."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._pool: Optional[ThreadPoolExecutor] = None

    def run(self, function: Callable[[], object]) -> Awaitable[object]:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self._size, thread_name_prefix="letta-tool")
        return asyncio.get_running_loop().run_in_executor(self._pool, function)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False)


async def _run_jobs_async(jobs: Sequence[Job], workers: _WorkerPool, limit: int) -> List[ApprovalItem]:
    """The asynchronous runner: every job of the round at once (at most ``limit`` at a time);
    sync tools in worker threads, so that none blocks the event loop."""

    def start(job: Job) -> Start:
        if job.is_async or job.tool is None:
            return job, job.run
        return job, lambda: workers.run(job.run)

    return _answers(await _settle([start(job) for job in jobs], limit))


# -- the synchronous driver -----------------------------------------------------------------------


def _drive(plan: Plan, target: MessageTarget, loop: LoopThread) -> Generator[LettaStreamingResponse, None, None]:
    """Perform the flow's effects, yielding the events of streamed rounds."""
    flow = tool_run(plan)
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
                elif isinstance(effect, SendBody):
                    outcome = target.send(effect.body)
                elif isinstance(effect, Pause):
                    time.sleep(effect.seconds)
                    outcome = None
                elif isinstance(effect, ReadHistory):
                    outcome = target.list(effect.limit)
                else:
                    outcome = _run_jobs(effect.jobs, loop, plan.max_concurrency)
            except Exception as error:
                effect = advance(flow, error=error)
            else:
                effect = advance(flow, outcome)
    finally:
        flow.close()


class ToolRunnerStream:
    """Every event of every round, in order: ``for event in runner``.

    Nothing is sent before the iteration starts. ``get_final_response()`` reads the rest and
    returns the ``ToolRunResult``. ``close()`` (or ``with runner:``) closes the open stream.
    """

    def __init__(self, plan: Plan, target: MessageTarget, loop: LoopThread) -> None:
        self._plan = plan
        self._events = _drive(plan, target, loop)

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


async def _drive_async(plan: Plan, target: AsyncMessageTarget) -> AsyncGenerator[LettaStreamingResponse, None]:
    """Perform the flow's effects, yielding the events of streamed rounds."""
    flow = tool_run(plan)
    workers = _WorkerPool(plan.max_concurrency)
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
                elif isinstance(effect, SendBody):
                    outcome = await target.send(effect.body)
                elif isinstance(effect, Pause):
                    await asyncio.sleep(effect.seconds)
                    outcome = None
                elif isinstance(effect, ReadHistory):
                    outcome = await target.list(effect.limit)
                else:
                    outcome = await _run_jobs_async(effect.jobs, workers, plan.max_concurrency)
            except Exception as error:
                effect = advance(flow, error=error)
            else:
                effect = advance(flow, outcome)
    finally:
        flow.close()
        workers.close()


class AsyncToolRunnerStream:
    """Every event of every round, in order: ``async for event in runner``; see ``ToolRunnerStream``."""

    def __init__(self, plan: Plan, target: AsyncMessageTarget) -> None:
        self._plan = plan
        self._events = _drive_async(plan, target)

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
