"""Waiting for a run, and the answer of a finished run (``runs.wait`` and ``runs.response``)."""

from __future__ import annotations

from typing import List, Optional

from .._exceptions import APITimeoutError, LettaError
from ..types.messages import LettaMessageUnion, LettaStopReason, LettaUsageStatistics
from ..types.response import LettaResponse
from ..types.run import Run

__all__ = ["WaitPolicy", "finished", "run_response"]

_STATUS_STOP_REASONS = {"completed": "end_turn", "failed": "error", "cancelled": "cancelled"}


class WaitPolicy:
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
