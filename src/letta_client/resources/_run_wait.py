"""Waiting for a run, and the answer of a finished run (``runs.wait`` and ``runs.response``).

A wait's ``timeout`` bounds the whole wait: the pauses between polls, and each request of it
(the polls, and with ``response=True`` the reads of the answer), whose timeouts are cut to the
time left. A request cut short that way ends the wait with the wait's own ``APITimeoutError``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, List, Mapping, Optional, cast

import httpx

from .._exceptions import APITimeoutError, LettaError
from ..types.messages import LettaMessageUnion, LettaStopReason, LettaUsageStatistics
from ..types.params import RequestOptions
from ..types.response import LettaResponse
from ..types.run import Run

if TYPE_CHECKING:
    from .._transport import ClientOptions

__all__ = ["WaitPolicy", "finished", "run_response"]

_STATUS_STOP_REASONS = {"completed": "end_turn", "failed": "error", "cancelled": "cancelled"}


class WaitPolicy:
    """How a wait goes on: the pause before each poll (``poll_interval``, growing by half each
    time up to ``max_poll_interval``) and the timeout of each request, within ``timeout`` seconds
    of the wait's start on ``clock`` (``None``: no limit); ``client`` holds the client's timeout."""

    def __init__(
        self,
        run_id: str,
        timeout: Optional[float],
        poll_interval: float,
        max_poll_interval: float,
        clock: Callable[[], float],
        client: ClientOptions,
    ) -> None:
        if poll_interval <= 0 or max_poll_interval <= 0:
            raise ValueError("poll_interval and max_poll_interval must be positive")
        self.run_id = run_id
        self.timeout = timeout
        self.delay = poll_interval
        self.max_delay = max(max_poll_interval, poll_interval)
        self.clock = clock
        self.request_timeout = client.timeout
        self.ends = None if timeout is None else clock() + timeout
        self.status: Optional[str] = None
        """The run's status at the last poll (``None`` before the first answer)."""
        self.cut = False
        """Whether the last request's timeout was cut to the time left."""

    def options(self, options: Mapping[str, Any]) -> RequestOptions:
        """The options of the wait's next request: the caller's, with the client's timeouts cut
        to the time left when they are longer. ``APITimeoutError`` when no time is left after a poll."""
        left = None if self.ends is None else self.ends - self.clock()
        self.cut = False
        if left is None:
            return cast(RequestOptions, dict(options))
        if left <= 0 and self.status is not None:
            raise self.expired()
        left = max(left, 0.001)
        parts = self.request_timeout.as_dict()
        self.cut = any(value is None or value > left for value in parts.values())
        if not self.cut:
            return cast(RequestOptions, dict(options))
        cut = {key: left if value is None or value > left else value for key, value in parts.items()}
        return cast(RequestOptions, {**options, "timeout": httpx.Timeout(**cut)})

    def polled(self, run: Run) -> Run:
        self.status = run.status or "unknown"
        return run

    def next_delay(self) -> float:
        """Seconds to sleep before the next poll, or raise ``APITimeoutError`` when time is up."""
        delay = self.delay
        self.delay = min(self.delay * 1.5, self.max_delay)
        if self.ends is None:
            return delay
        remaining = self.ends - self.clock()
        if remaining <= 0:
            raise self.expired()
        return min(delay, remaining)

    def expired(self) -> APITimeoutError:
        """The error of a wait whose time is up: what was known of the run, and what to do next."""
        run_id, status, seconds = self.run_id, self.status, f"{self.timeout or 0:g} s"
        if status in ("completed", "failed", "cancelled"):
            message = (
                f"Run {run_id!r} is {status!r}, but its response could not be read within the {seconds} wait. "
                f"Read it with client.runs.response({run_id!r})."
            )
        else:
            state = "no poll answered" if status is None else f"it is still {status!r}"
            message = (
                f"Run {run_id!r} did not finish within the {seconds} wait ({state}). It goes on running on the "
                f"server: call client.runs.wait({run_id!r}) again, or cancel it with "
                "client.agents.messages.cancel(agent_id, run_ids=[run_id])."
            )
        return APITimeoutError(message, run_id=run_id)


def finished(run: Run) -> Run:
    """``run``, or ``LettaError`` while it is still going (its response is not known yet)."""
    if not run.is_terminal:
        raise LettaError(
            f"Run {run.id!r} is still {run.status!r}: its response is not known yet. "
            f"Wait for it with client.runs.wait({run.id!r}, response=True)."
        )
    return run


def run_response(run: Run, messages: List[LettaMessageUnion], usage: object) -> LettaResponse:
    """The ``LettaResponse`` a send would have returned for a finished run: its messages without
    the input (``user_message``), its stop reason (from the status when the run names none) and
    its usage (``GET /v1/runs/{run_id}/usage``)."""
    stop_reason = run.stop_reason or _STATUS_STOP_REASONS.get(run.status or "", "end_turn")
    return LettaResponse(
        messages=[message for message in messages if message.message_type != "user_message"],
        stop_reason=LettaStopReason(stop_reason=stop_reason),
        usage=LettaUsageStatistics.model_validate(usage, from_attributes=True),
    )
