"""One ``invoke_agent`` span (a send, or a tool run) from its start to its one and only end.

A ``Turn`` is started by the wrappers (``_wrappers``) and ended exactly once, whichever comes
first: the response parsed, the stream finished, raised, closed or collected, the tool run's
generator done. ``_end`` takes a lock that is never released, so a second end (a close after
the stream finished, a finalizer racing a close in another thread) does nothing.

It keeps the span's Letta attributes as they arrive (resumes, re-sends, attaches and retries, each
also a span event with its reason), and records the GenAI client metrics when it ends.
"""

from __future__ import annotations

import contextlib
import threading
import time
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Dict, Generator, List, Optional, Sequence

from opentelemetry import trace
from opentelemetry.trace import Span, Status, StatusCode
from typing_extensions import Protocol

from .._exceptions import ConversationBusyError, LettaError
from . import _content

if TYPE_CHECKING:
    from opentelemetry.metrics import Histogram

    from ..types.messages import LettaUsageStatistics

__all__ = ["ACTIVE", "Instruments", "Summary", "Turn", "error_type"]

ACTIVE: ContextVar[Optional[Turn]] = ContextVar("letta_client_otel_turn", default=None)
"""The turn whose requests are being sent now (for the transport's retry events)."""

_REASON_LIMIT = 500


class Instruments(Protocol):
    """What a turn records into (``_telemetry.Telemetry`` is it)."""

    capture_content: bool
    duration: Histogram
    token_usage: Histogram
    time_to_first_chunk: Histogram


def error_type(error: BaseException) -> str:
    """``error.type``: the exception's class name (low cardinality)."""
    return type(error).__qualname__


def _reason(error: object) -> str:
    text = f"{type(error).__qualname__}: {error}" if isinstance(error, BaseException) else str(error)
    return text if len(text) <= _REASON_LIMIT else text[: _REASON_LIMIT - 1] + "…"


class Summary:
    """What a turn ended with: from a ``LettaResponse``, a stream's core, or a tool run."""

    def __init__(
        self,
        *,
        stop_reason: Optional[str] = None,
        usage: Optional[LettaUsageStatistics] = None,
        run_ids: Sequence[str] = (),
        last_seq_id: Optional[int] = None,
        messages: Optional[Sequence[Any]] = None,
        step_ids: Optional[List[str]] = None,
    ) -> None:
        self.stop_reason = stop_reason
        self.usage = usage
        self.run_ids = list(run_ids)
        self.last_seq_id = last_seq_id
        self.messages = messages
        self.step_ids = step_ids
        """Given when known without the messages (a stream's payloads); else read from them."""


def response_summary(response: Any) -> Summary:
    """A ``LettaResponse`` (or anything shaped like one) as a ``Summary``."""
    messages: Sequence[Any] = getattr(response, "messages", None) or []
    stop = getattr(response, "stop_reason", None)
    usage = getattr(response, "usage", None)
    seq_ids = [s for s in (getattr(m, "seq_id", None) for m in messages) if isinstance(s, int)]
    return Summary(
        stop_reason=getattr(stop, "stop_reason", None),
        usage=usage,
        run_ids=_run_ids(usage, messages),
        last_seq_id=max(seq_ids) if seq_ids else None,
        messages=messages,
    )


def _run_ids(usage: Any, messages: Sequence[Any]) -> List[str]:
    ids: List[str] = list(getattr(usage, "run_ids", None) or [])
    for message in messages:
        run_id = getattr(message, "run_id", None)
        if isinstance(run_id, str):
            ids.append(run_id)
    return list(dict.fromkeys(ids))


class Turn:
    """One ``invoke_agent`` span and its metrics (see the module docstring)."""

    def __init__(
        self, telemetry: Instruments, span: Span, metric_attributes: Dict[str, Any], *, record_metrics: bool = True
    ) -> None:
        self.telemetry = telemetry
        self.span = span
        self.metric_attributes = metric_attributes
        self.record_metrics = record_metrics
        self.started = time.perf_counter()
        self.resumes = 0
        self.resends = 0
        self.attaches = 0
        self.retries = 0
        self.ended = False
        self.is_run = False
        """A tool run (its rounds are child turns)."""
        self._once = threading.Lock()  # taken by the first end, never released
        self._first_chunk = False

    # -- while it runs ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def current(self) -> Generator[None, None, None]:
        """The span is the current one (HTTP spans of httpx's instrumentation nest under it), and
        this turn gets the transport's retry events."""
        token = ACTIVE.set(self)
        try:
            with trace.use_span(self.span, end_on_exit=False, record_exception=False, set_status_on_exception=False):
                yield
        finally:
            ACTIVE.reset(token)

    def reconnecting(self, attempt: int, run_id: str, last_seq_id: Optional[int], error: object, *, plan: bool) -> None:
        """A recovery attempt is about to go out (the send's ``on_reconnect``). ``plan``: the
        exactly-once plan of a conversation send, which re-sends (no run id yet), attaches (after
        a 409 on a re-send) or resumes; otherwise a background stream resuming."""
        if plan and not run_id:
            kind = "attach" if isinstance(error, ConversationBusyError) else "resend"
        else:
            kind = "resume"
        if kind == "resume":
            self.resumes += 1
        elif kind == "resend":
            self.resends += 1
        else:
            self.attaches += 1
        attributes: Dict[str, Any] = {"letta.attempt": attempt, "letta.reason": _reason(error)}
        if isinstance(error, BaseException):
            attributes["error.type"] = error_type(error)
        if run_id:
            attributes["letta.run.id"] = run_id
        if last_seq_id is not None:
            attributes["letta.seq_id.last"] = last_seq_id
        self.span.add_event(f"letta.{kind}", attributes)

    def retrying(self, method: str, path: str, attempt: int, wait: float, reason: str) -> None:
        self.retries += 1
        self.span.add_event(
            "letta.retry",
            {
                "letta.attempt": attempt,
                "letta.retry.wait_s": wait,
                "letta.reason": reason,
                "http.request.method": method,
                "url.path": path,
            },
        )

    def first_chunk(self) -> None:
        """The stream's first bytes arrived: ``gen_ai.client.operation.time_to_first_chunk``."""
        if self._first_chunk:
            return
        self._first_chunk = True
        if self.record_metrics:
            self.telemetry.time_to_first_chunk.record(time.perf_counter() - self.started, self.metric_attributes)

    # -- the end -----------------------------------------------------------------------------------

    def end(self, summary: Optional[Summary], *, outcome: str, error: Optional[BaseException] = None) -> None:
        """End the span once (later calls do nothing): ``outcome`` is ``letta.turn.end``
        (``finished``, ``error``, ``closed`` before the end, ``dropped`` unread)."""
        if not self._once.acquire(blocking=False):
            return
        self.ended = True
        try:
            self._finish(summary, outcome, error)
        except Exception:  # tracing never changes what the call does
            pass
        finally:
            self.span.end()

    def _finish(self, summary: Optional[Summary], outcome: str, error: Optional[BaseException]) -> None:
        span = self.span
        attributes: Dict[str, Any] = {
            "letta.turn.end": outcome,
            "letta.resumes": self.resumes,
            "letta.resends": self.resends,
        }
        if self.attaches:
            attributes["letta.attaches"] = self.attaches
        if self.retries:
            attributes["letta.retries"] = self.retries
        usage = summary.usage if summary is not None else None
        if summary is not None:
            attributes.update(self._summary_attributes(summary))
        if error is not None:
            attributes.update(_error_attributes(error))
            span.set_status(Status(StatusCode.ERROR, _reason(error)))
        span.set_attributes(attributes)
        if self.record_metrics:
            metric = dict(self.metric_attributes)
            if error is not None:
                metric["error.type"] = error_type(error)
            self.telemetry.duration.record(time.perf_counter() - self.started, metric)
            if usage is not None:
                tokens = self.telemetry.token_usage
                tokens.record(usage.prompt_tokens, {**self.metric_attributes, "gen_ai.token.type": "input"})
                tokens.record(usage.completion_tokens, {**self.metric_attributes, "gen_ai.token.type": "output"})

    def _summary_attributes(self, summary: Summary) -> Dict[str, Any]:
        attributes: Dict[str, Any] = {}
        if summary.stop_reason is not None:
            attributes["gen_ai.response.finish_reasons"] = [summary.stop_reason]
            attributes["letta.stop_reason"] = summary.stop_reason
        usage = summary.usage
        run_ids = list(dict.fromkeys([*summary.run_ids, *(usage.run_ids or [] if usage is not None else [])]))
        if usage is not None:
            attributes["gen_ai.usage.input_tokens"] = usage.prompt_tokens
            attributes["gen_ai.usage.output_tokens"] = usage.completion_tokens
            if usage.cached_input_tokens is not None:
                attributes["gen_ai.usage.cache_read.input_tokens"] = usage.cached_input_tokens
            if usage.cache_write_tokens is not None:
                attributes["gen_ai.usage.cache_creation.input_tokens"] = usage.cache_write_tokens
            if usage.reasoning_tokens is not None:
                attributes["letta.usage.reasoning_tokens"] = usage.reasoning_tokens
            attributes["letta.usage.step_count"] = usage.step_count
        if run_ids:
            attributes["letta.run.ids"] = run_ids
        if summary.last_seq_id is not None:
            attributes["letta.seq_id.last"] = summary.last_seq_id
        messages = summary.messages if self.span.is_recording() else None
        step_ids = summary.step_ids
        if step_ids is None and messages is not None:
            step_ids = [s for s in dict.fromkeys(getattr(m, "step_id", None) for m in messages) if isinstance(s, str)]
        if step_ids:
            attributes["letta.step.ids"] = step_ids
        if messages is not None and self.telemetry.capture_content:
            attributes["gen_ai.output.messages"] = _content.output_messages(messages, summary.stop_reason)
        return attributes


def _error_attributes(error: BaseException) -> Dict[str, Any]:
    """``error.type``, and what a Letta error knows: its run, cursor, and the server's trace id
    (the join key with the server's own trace, ``client.runs.trace(run_id)``)."""
    attributes: Dict[str, Any] = {"error.type": error_type(error)}
    if isinstance(error, LettaError):
        run_id = getattr(error, "run_id", None)
        if isinstance(run_id, str):
            attributes["letta.run.ids"] = [run_id]
        last_seq_id = getattr(error, "last_seq_id", None)
        if isinstance(last_seq_id, int):
            attributes["letta.seq_id.last"] = last_seq_id
        trace_id = getattr(error, "trace_id", None)
        if isinstance(trace_id, str) and trace_id:
            attributes["letta.server.trace_id"] = trace_id
        status = getattr(error, "status_code", None)
        if isinstance(status, int):
            attributes["http.response.status_code"] = status
    return attributes
