"""Resuming a background stream after its connection broke (wire spec §6.2).

A background run's events carry ``seq_id`` numbers. When the connection breaks before a
terminal frame, the stream asks ``POST /v1/runs/{run_id}/stream`` for everything after the
largest ``seq_id`` it saw (``starting_after``; ``0`` replays from the start) and goes on
reading; ``_StreamState`` drops any event it already delivered, so the iterator sees each event
exactly once, in order.

A stream never resumes once it saw ``[DONE]``, an error frame or a ``stop_reason``: the run is
over, and resuming past its terminal chunk would make the server poll forever (spec §6.4).

``Resumer`` / ``AsyncResumer`` hold the policy: how many attempts in a row may fail without any
new event arriving (``max_attempts``), the backoff between them (``transport.sleep``), and the
``on_reconnect(attempt, run_id, last_seq_id, error)`` callback for "reconnecting…" displays.
A run that cannot be resumed (no run id yet; 400 not a background run; 404; 410 expired; too
many failed attempts) raises ``ResumeError``, naming what was delivered and how to recover.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional

import httpx
from typing_extensions import Protocol

from ._exceptions import APIConnectionError, APIStatusError, LettaError, ResumeError
from ._retry import retry_delay

__all__ = [
    "DEFAULT_MAX_RESUME_ATTEMPTS",
    "AsyncReconnector",
    "AsyncResumer",
    "OnReconnect",
    "Reconnector",
    "Resumer",
    "resume_body",
]

DEFAULT_MAX_RESUME_ATTEMPTS = 5
"""Failed resume attempts in a row (without a new event in between) before giving up."""

OnReconnect = Callable[[int, str, Optional[int], LettaError], object]
"""``on_reconnect(attempt, run_id, last_seq_id, error)``: called before each resume attempt
(``attempt`` counts from 1 since the last event that arrived; ``error`` is why the stream broke)."""

_FINAL_STATUSES = {400: "it was not created in background mode", 404: "the run is unknown", 410: "it has expired"}


class _StreamState(Protocol):
    """How far a stream got (``_streaming._StreamState`` is one)."""

    @property
    def run_id(self) -> Optional[str]: ...
    @property
    def last_seq_id(self) -> Optional[int]: ...


class Reconnector(Protocol):
    """What a ``Stream`` calls when its connection breaks: the response that continues it."""

    def reconnect(self, state: _StreamState, error: LettaError) -> httpx.Response: ...


class AsyncReconnector(Protocol):
    async def reconnect(self, state: _StreamState, error: LettaError) -> httpx.Response: ...


def resume_body(
    starting_after: int,
    *,
    include_pings: Optional[bool] = True,
    poll_interval: Optional[float] = None,
    batch_size: Optional[int] = None,
) -> Dict[str, Any]:
    """The JSON object ``POST /v1/runs/{run_id}/stream`` takes (always an object, spec §2.7)."""
    body: Dict[str, Any] = {"starting_after": starting_after}
    if include_pings is not None:
        body["include_pings"] = include_pings
    if poll_interval is not None:
        body["poll_interval"] = poll_interval
    if batch_size is not None:
        body["batch_size"] = batch_size
    return body


def _recovery(run_id: str) -> str:
    return (
        f"Recover the rest with client.runs.retrieve({run_id!r}) (poll until it is terminal, "
        f"or client.runs.wait({run_id!r})) and client.runs.messages.list({run_id!r})."
    )


class _ResumeBase:
    def __init__(self, *, max_attempts: Optional[int], on_reconnect: Optional[OnReconnect]) -> None:
        attempts = DEFAULT_MAX_RESUME_ATTEMPTS if max_attempts is None else max_attempts
        if attempts < 1:
            raise ValueError(f"max_resume_attempts must be at least 1, not {attempts!r}")
        self.max_attempts = attempts
        self.on_reconnect = on_reconnect
        self._failures = 0
        self._progress_mark: Optional[int] = None

    def _next_attempt(self, state: _StreamState, error: LettaError) -> int:
        """Count this attempt (the count restarts once new events arrived) or raise ``ResumeError``."""
        if state.run_id is None:
            raise ResumeError(
                f"The background stream broke off ({error}) before its run id arrived, so it cannot be "
                "resumed; nothing was delivered. The run may still be going: look for it in "
                "client.agents.messages.list(agent_id) (do not resend blindly: that starts a second run).",
                run_id=None,
                last_seq_id=state.last_seq_id,
            ) from error
        if state.last_seq_id != self._progress_mark:
            self._progress_mark = state.last_seq_id
            self._failures = 0
        self._failures += 1
        if self._failures > self.max_attempts:
            raise ResumeError(
                f"Gave up resuming the background stream of run {state.run_id!r} after {self.max_attempts} "
                f"attempt(s) without progress (last error: {error}). Every event up to "
                f"last_seq_id={state.last_seq_id!r} was delivered. {_recovery(state.run_id)}",
                run_id=state.run_id,
                last_seq_id=state.last_seq_id,
            ) from error
        return self._failures

    def _delay(self, attempt: int) -> float:
        return 0.0 if attempt == 1 else retry_delay(attempt - 2, None)

    def _notify(self, attempt: int, state: _StreamState, error: LettaError) -> None:
        if self.on_reconnect is not None and state.run_id is not None:
            self.on_reconnect(attempt, state.run_id, state.last_seq_id, error)

    def _check_status(self, state: _StreamState, error: APIStatusError) -> None:
        """Statuses that say the run cannot be resumed at all raise ``ResumeError`` at once."""
        reason = _FINAL_STATUSES.get(error.status_code)
        if reason is None and 400 <= error.status_code < 500 and error.status_code not in (408, 409, 429):
            reason = "the server refused the resume request"
        if reason is None:
            return
        run_id = state.run_id or "?"
        raise ResumeError(
            f"The stream of run {run_id!r} broke off and cannot be resumed: {reason} ({error.message}). "
            f"Every event up to last_seq_id={state.last_seq_id!r} was delivered. {_recovery(run_id)}",
            run_id=state.run_id,
            last_seq_id=state.last_seq_id,
        ) from error


class Resumer(_ResumeBase):
    """Opens the continuation of a broken background stream (sync)."""

    def __init__(
        self,
        open_stream: Callable[[str, int], httpx.Response],
        sleep: Callable[[float], object],
        *,
        max_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
    ) -> None:
        super().__init__(max_attempts=max_attempts, on_reconnect=on_reconnect)
        self._open = open_stream
        self._sleep = sleep

    def reconnect(self, state: _StreamState, error: LettaError) -> httpx.Response:
        """The streaming response that continues after ``state.last_seq_id``."""
        while True:
            attempt = self._next_attempt(state, error)
            delay = self._delay(attempt)
            if delay:
                self._sleep(delay)
            self._notify(attempt, state, error)
            assert state.run_id is not None
            try:
                return self._open(state.run_id, state.last_seq_id or 0)
            except APIStatusError as failure:
                self._check_status(state, failure)
                error = failure
            except APIConnectionError as failure:
                error = failure


class AsyncResumer(_ResumeBase):
    """Opens the continuation of a broken background stream (async)."""

    def __init__(
        self,
        open_stream: Callable[[str, int], Awaitable[httpx.Response]],
        sleep: Callable[[float], Any],
        *,
        max_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
    ) -> None:
        super().__init__(max_attempts=max_attempts, on_reconnect=on_reconnect)
        self._open = open_stream
        self._sleep = sleep

    async def reconnect(self, state: _StreamState, error: LettaError) -> httpx.Response:
        while True:
            attempt = self._next_attempt(state, error)
            delay = self._delay(attempt)
            if delay:
                await self._sleep(delay)
            self._notify(attempt, state, error)
            assert state.run_id is not None
            try:
                return await self._open(state.run_id, state.last_seq_id or 0)
            except APIStatusError as failure:
                self._check_status(state, failure)
                error = failure
            except APIConnectionError as failure:
                error = failure
