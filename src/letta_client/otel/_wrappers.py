"""The wrappers ``instrument()`` puts on the public send methods and on the tool runner's drivers.

A send (agents or conversations, ``send`` / ``create`` / the deprecated ``stream``, sync or
async, streaming or not) starts a turn, sends with the turn's span current, and then ends it on
the ``LettaResponse`` or hands it to the returned stream (``_streams.follow``). The send's
``on_reconnect`` is chained: the turn hears about every resume, re-send and attach first, then
the caller's own callback runs as before.

A tool run (``run_tools``, ``resolve_pending_approvals``) is a turn of its own around the
runner's event generator: each round is a send (a child turn, because the run's span is current
while the runner sends), each tool call an ``execute_tool`` span (``_tools``).

The first run of a ``with_raw_response`` / ``with_streaming_response`` call only captures the
HTTP response; no span is made for it. Its ``parse()`` runs the call again: that is the turn.
"""

from __future__ import annotations

import functools
import weakref
from typing import Any, AsyncGenerator, Callable, Dict, Generator, Optional, Union, cast

from typing_extensions import TypeGuard

from .._response import _CAPTURE  # pyright: ignore[reportPrivateUsage]
from .._sentinels import is_given
from .._streaming import AsyncStream, Stream
from ..tools._flow import Plan
from ._streams import follow
from ._telemetry import Origin, Telemetry, origin_of
from ._turn import ACTIVE, Summary, Turn, response_summary

__all__ = ["RUNS", "async_drive", "async_send", "sync_drive", "sync_send"]

RUNS: weakref.WeakKeyDictionary[Plan, Turn] = weakref.WeakKeyDictionary()
"""The turn of each tool run in progress, by its plan (for the ``execute_tool`` spans)."""

_OWNER = {"agent": "agent_id", "legacy": "agent_id", "conversation": "conversation_id"}


def _capturing() -> bool:
    """The first run of a raw or streamed-response call (it only captures the response)."""
    capture = _CAPTURE.get()
    return capture is not None and not capture.is_replay


def _chained(turn: Turn, callback: object, *, plan: bool) -> Callable[[int, str, Optional[int], Any], object]:
    user = callback if callable(callback) else None

    def on_reconnect(attempt: int, run_id: str, last_seq_id: Optional[int], error: Any) -> object:
        try:
            turn.reconnecting(attempt, run_id, last_seq_id, error, plan=plan)
        except Exception:
            pass
        return None if user is None else user(attempt, run_id, last_seq_id, error)

    return on_reconnect


def _begin(telemetry: Telemetry, resource: object, kind: str, args: Any, kwargs: Dict[str, Any]) -> Optional[Turn]:
    """Start the turn of a send (``None``: not traced), and chain its ``on_reconnect``."""
    if not telemetry.active or _capturing():
        return None
    owner = args[0] if args else kwargs.get(_OWNER[kind])
    if not isinstance(owner, str):
        return None  # the method raises its own error about it
    if kind == "conversation":
        agent_id = kwargs.get("agent_id")
        origin = origin_of(resource, agent_id if isinstance(agent_id, str) else None, owner)
    else:
        origin = origin_of(resource, owner, None)
    streaming: object = kwargs.get("streaming", kind != "agent")
    if kind == "legacy" or not is_given(streaming):
        streaming = kind != "agent"
    parent = ACTIVE.get()
    operation = "round" if parent is not None and parent.is_run else "send"
    turn = telemetry.start_turn(origin, kwargs, streaming=bool(streaming), operation=operation)
    if kind != "legacy":
        kwargs["on_reconnect"] = _chained(turn, kwargs.get("on_reconnect"), plan=kind == "conversation")
    return turn


def _is_stream(value: object) -> TypeGuard[Union[Stream[Any], AsyncStream[Any]]]:
    return isinstance(value, (Stream, AsyncStream))


def _settle(turn: Turn, result: Any) -> Any:
    if _is_stream(result):
        follow(result, turn)
    else:
        turn.end(response_summary(result), outcome="finished")
    return result


def sync_send(telemetry: Telemetry, original: Callable[..., Any], kind: str) -> Callable[..., Any]:
    @functools.wraps(original)
    def send(self: Any, *args: Any, **kwargs: Any) -> Any:
        turn = _begin(telemetry, self, kind, args, kwargs)
        if turn is None:
            return original(self, *args, **kwargs)
        try:
            with turn.current():
                result = original(self, *args, **kwargs)
        except BaseException as error:
            turn.end(None, outcome="error", error=error)
            raise
        return _settle(turn, result)

    return send


def async_send(telemetry: Telemetry, original: Callable[..., Any], kind: str) -> Callable[..., Any]:
    @functools.wraps(original)
    async def send(self: Any, *args: Any, **kwargs: Any) -> Any:
        turn = _begin(telemetry, self, kind, args, kwargs)
        if turn is None:
            return await original(self, *args, **kwargs)
        try:
            with turn.current():
                result = await original(self, *args, **kwargs)
        except BaseException as error:
            turn.end(None, outcome="error", error=error)
            raise
        return _settle(turn, result)

    return send


# -- the tool runner ------------------------------------------------------------------------------


def _start_run(telemetry: Telemetry, plan: Plan, target: object) -> Turn:
    resource = getattr(target, "_resource", None)
    fixed: object = getattr(target, "_fixed", None)
    agent_id = cast(Dict[str, Any], fixed).get("agent_id") if isinstance(fixed, dict) else None
    origin: Origin
    if plan.owner.kind == "agent":
        origin = origin_of(resource, plan.owner.id, None)
    else:
        origin = origin_of(resource, agent_id if isinstance(agent_id, str) else None, plan.owner.id)
    operation = "resolve_pending_approvals" if plan.answer_pending_only else "run_tools"
    params = {**plan.base, **plan.first}
    run = telemetry.start_turn(origin, params, streaming=plan.streaming, operation=operation, record_metrics=False)
    run.is_run = True
    RUNS[plan] = run
    return run


def _end_run(run: Turn, plan: Plan, outcome: str, error: Optional[BaseException] = None) -> None:
    """A run's span: its rounds, and the usage of all of them (metrics are the rounds')."""
    result = plan.result
    summary: Optional[Summary] = None
    if result.rounds:
        summary = response_summary(result.responses[-1])
        summary.usage = result.usage
        summary.messages = result.messages
        summary.run_ids = [run_id for response in result.responses for run_id in response_summary(response).run_ids]
    run.span.set_attribute("letta.rounds", result.rounds)
    run.end(summary, outcome=outcome, error=error)


class _Target:
    """The runner's ``MessageTarget``, each request sent with the run's span current."""

    def __init__(self, target: Any, run: Turn) -> None:
        self._target = target
        self._run = run

    def send(self, body: Any) -> Any:
        with self._run.current():
            return self._target.send(body)

    def stream(self, body: Any) -> Any:
        with self._run.current():
            return self._target.stream(body)

    def list(self, limit: int) -> Any:
        with self._run.current():
            return self._target.list(limit)


class _AsyncTarget:
    """``_Target`` for ``AsyncLetta``."""

    def __init__(self, target: Any, run: Turn) -> None:
        self._target = target
        self._run = run

    async def send(self, body: Any) -> Any:
        with self._run.current():
            return await self._target.send(body)

    async def stream(self, body: Any) -> Any:
        with self._run.current():
            return await self._target.stream(body)

    async def list(self, limit: int) -> Any:
        with self._run.current():
            return await self._target.list(limit)


def sync_drive(telemetry: Telemetry, original: Callable[..., Generator[Any, None, None]]) -> Callable[..., Any]:
    """``_runner._drive``: the run's turn starts with its first event (nothing is sent before)."""

    def traced(plan: Plan, target: Any, loop: Any) -> Generator[Any, None, None]:
        run = _start_run(telemetry, plan, target)
        try:
            yield from original(plan, _Target(target, run), loop)
        except GeneratorExit:
            _end_run(run, plan, "closed")
            raise
        except BaseException as error:
            _end_run(run, plan, "error", error)
            raise
        _end_run(run, plan, "finished")

    @functools.wraps(original)
    def drive(plan: Plan, target: Any, loop: Any) -> Generator[Any, None, None]:
        return traced(plan, target, loop) if telemetry.active else original(plan, target, loop)

    return drive


def async_drive(telemetry: Telemetry, original: Callable[..., AsyncGenerator[Any, None]]) -> Callable[..., Any]:
    """``_runner._drive_async``; see ``sync_drive``."""

    async def traced(plan: Plan, target: Any) -> AsyncGenerator[Any, None]:
        run = _start_run(telemetry, plan, target)
        events = original(plan, _AsyncTarget(target, run))
        try:
            async for event in events:
                yield event
        except GeneratorExit:
            _end_run(run, plan, "closed")
            raise
        except BaseException as error:
            _end_run(run, plan, "error", error)
            raise
        finally:
            await events.aclose()
        _end_run(run, plan, "finished")

    @functools.wraps(original)
    def drive(plan: Plan, target: Any) -> AsyncGenerator[Any, None]:
        return traced(plan, target) if telemetry.active else original(plan, target)

    return drive
