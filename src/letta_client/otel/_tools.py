"""``execute_tool {tool name}`` spans: one per call a tool run answers, a child of the run's span.

``instrument()`` wraps ``Plan.answer``: a call whose answer needs code (a client tool's
function, or the ``on_approval`` / ``decide`` hook) gets its ``Job.run`` wrapped, so the span
covers exactly the function's run, wherever the driver runs it (this thread, the client's loop
thread, a worker thread, the running loop) and the tool's own client calls nest under it. An
answer the runner gives by itself (invalid arguments, an unknown tool, a pending call denied) is
a span too, ended at once.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, Dict, Mapping, Optional, Tuple, cast

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

from ..tools._flow import Job, Plan
from . import _content
from ._telemetry import Telemetry
from ._turn import Turn, error_type
from ._wrappers import RUNS

__all__ = ["traced_answer"]


def _start(telemetry: Telemetry, run: Turn, job_call: Any, tool: Any, approval: bool) -> Span:
    name: str = job_call.name
    attributes: Dict[str, Any] = {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": name,
        "gen_ai.tool.call.id": job_call.tool_call_id,
        "letta.tool.kind": "approval" if approval else "client_tool",
    }
    if tool is not None:
        attributes["gen_ai.tool.type"] = "function"
        if getattr(tool, "description", None):
            attributes["gen_ai.tool.description"] = tool.description
    if telemetry.capture_content:
        attributes["gen_ai.tool.call.arguments"] = job_call.arguments
    return telemetry.tracer.start_span(
        f"execute_tool {name}",
        context=trace.set_span_in_context(run.span),
        kind=SpanKind.INTERNAL,
        attributes=attributes,
    )


def _decision(value: object) -> Optional[str]:
    """What an approval answer decided."""
    if value is True:
        return "approve"
    if value is False:
        return "deny"
    if isinstance(value, Mapping):
        item = cast(Mapping[str, Any], value)
        if item.get("type") == "tool":
            return "tool_result"
        if item.get("type") == "approval":
            return "approve" if item.get("approve") else "deny"
    return None


def _end(
    telemetry: Telemetry, span: Span, *, approval: bool, value: object = None, error: Optional[BaseException] = None
) -> None:
    try:
        if error is not None:
            span.set_attribute("error.type", error_type(error))
            span.set_status(Status(StatusCode.ERROR, f"{type(error).__qualname__}: {error}"[:500]))
        elif approval:
            decision = _decision(value)
            if decision is not None:
                span.set_attribute("letta.approval.decision", decision)
        elif telemetry.capture_content:
            span.set_attribute("gen_ai.tool.call.result", _content.as_json(value))
    finally:
        span.end()


async def _awaiting(telemetry: Telemetry, span: Span, value: Any, approval: bool) -> Any:
    try:
        with trace.use_span(span, end_on_exit=False, record_exception=False, set_status_on_exception=False):
            while inspect.isawaitable(value):
                value = await value
    except BaseException as error:
        _end(telemetry, span, approval=approval, error=error)
        raise
    _end(telemetry, span, approval=approval, value=value)
    return value


def _traced_job(telemetry: Telemetry, run: Turn, job: Job) -> Callable[[], object]:
    inner = job.run
    approval = job.tool is None

    def started() -> Tuple[Span, object]:
        """The job's span, and what calling the job under it gave (the span ends on an error)."""
        span = _start(telemetry, run, job.call, job.tool, approval)
        try:
            with trace.use_span(span, end_on_exit=False, record_exception=False, set_status_on_exception=False):
                return span, inner()
        except BaseException as error:
            _end(telemetry, span, approval=approval, error=error)
            raise

    if job.is_async:

        async def run_async() -> object:
            span, value = started()
            return await _awaiting(telemetry, span, value, approval)

        return run_async

    def run_sync() -> object:
        span, value = started()
        if inspect.isawaitable(value):  # a plain function that returned an awaitable: its await is the run
            return _awaiting(telemetry, span, value, approval)
        _end(telemetry, span, approval=approval, value=value)
        return value

    return run_sync


def _ready(telemetry: Telemetry, run: Turn, plan: Plan, call: Any, answer: Mapping[str, Any]) -> None:
    """An answer the runner gave without running anything: a span that ends at once."""
    tool = plan.tools.get(call.name)
    span = _start(telemetry, run, call, tool, tool is None)
    if answer.get("type") == "tool" and answer.get("status") == "error":
        kind = "ToolArgumentsError" if tool is not None else "UnknownTool"
        span.set_attribute("error.type", kind)
        span.set_status(Status(StatusCode.ERROR, kind))
    else:
        decision = _decision(answer)
        if decision is not None:
            span.set_attribute("letta.approval.decision", decision)
    span.end()


def _trace(telemetry: Telemetry, run: Turn, plan: Plan, call: Any, answer: object) -> None:
    try:
        if isinstance(answer, Job):
            answer.run = _traced_job(telemetry, run, answer)
        elif isinstance(answer, Mapping):
            _ready(telemetry, run, plan, call, cast(Mapping[str, Any], answer))
    except Exception:  # tracing never changes the run
        pass


def traced_answer(telemetry: Telemetry, original: Callable[..., Any]) -> Callable[..., Any]:
    """``Plan.answer``, with the call's ``execute_tool`` span (when its run is traced)."""

    @functools.wraps(original)
    def answer(self: Plan, call: Any, *, pending: bool = False) -> Any:
        result: Any = original(self, call, pending=pending)
        run = RUNS.get(self)
        if run is not None and not run.ended and telemetry.active:
            _trace(telemetry, run, self, call, result)
        return result

    return answer
