"""Resuming a background stream after its connection broke (wire spec §6.2).

A background run's events carry ``seq_id`` numbers. When the connection breaks before a
terminal frame, the stream asks ``POST /v1/runs/{run_id}/stream`` for everything after the
largest ``seq_id`` it saw (``starting_after``; ``0`` replays from the start) and goes on
reading; ``RunCursor`` drops any event it already delivered, so the iterator sees each event
exactly once, in order.

A stream never resumes once it saw ``[DONE]``, an error frame or a ``stop_reason``: the run is
over, and resuming past its terminal chunk would make the server poll forever (spec §6.4).

One policy bounds every recovery of a stream, here and in a conversation's exactly-once send
(``_exactly_once``): ``Attempts`` counts the attempts (``max_attempts`` failures in a row without
a new event arriving; none waited for before the first, then backoff, or the server's
``Retry-After``), and ``refusal`` tells which failures of a reopening end it (400 not a background
run, 404, 410 expired, another 4xx but 408/409/429); a broken connection, 408, 409, 429 and every
5xx are tried again. Each attempt is one request: the transport's own retries are off for it, so
the limits are the same on every endpoint. ``Resumer`` / ``AsyncResumer`` drive it for run
streams, with ``on_reconnect(attempt, run_id, last_seq_id, error)`` before each attempt for
"reconnecting…" displays. A run that cannot be resumed (no run id yet; a refusal; too many failed
attempts) raises ``ResumeError``, naming what was delivered and how to recover.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Awaitable, Callable, Dict, Mapping, Optional, Tuple, cast

import httpx
from typing_extensions import Protocol

from ._advice import delivered
from ._exceptions import APIConnectionError, APIStatusError, LettaError, Recoverable, ResumeError
from ._paths import run_path
from ._retry import retry_delay

if TYPE_CHECKING:
    from ._transport import AsyncTransport, SyncTransport
    from .types.params import RequestOptions
    from .types.response import LettaResponse

__all__ = [
    "DEFAULT_MAX_RESUME_ATTEMPTS",
    "Attempts",
    "AsyncReconnector",
    "AsyncResumer",
    "OnReconnect",
    "Reconnector",
    "Resumer",
    "async_run_resumer",
    "refusal",
    "resume_body",
    "sync_run_resumer",
]

DEFAULT_MAX_RESUME_ATTEMPTS = 5
"""Failed resume attempts in a row (without a new event in between) before giving up."""

OnReconnect = Callable[[int, str, Optional[int], LettaError], object]
"""``on_reconnect(attempt, run_id, last_seq_id, error)``: called before each resume attempt
(``attempt`` counts from 1 since the last event that arrived; ``error`` is why the stream broke)."""

_FINAL_STATUSES = {400: "it was not created in background mode", 404: "the run is unknown", 410: "it has expired"}


def refusal(error: LettaError) -> Optional[str]:
    """Why a failed attempt to reopen a run's stream ends the recovery, or ``None`` when another
    attempt may work (a broken connection, a timeout, 408, 409, 429 and every 5xx)."""
    status = error.status_code if isinstance(error, APIStatusError) else None
    if status is None or status >= 500 or status in (408, 409, 429):
        return None
    return _FINAL_STATUSES.get(status, "the server refused the resume request")


class Attempts:
    """The attempts of one recovery: ``max_attempts`` failures in a row without progress (a new
    ``seq_id``) are allowed; the first attempt goes at once, each later one after a backoff, or
    after the ``Retry-After`` of the failure before it."""

    def __init__(self, max_attempts: Optional[int]) -> None:
        attempts = DEFAULT_MAX_RESUME_ATTEMPTS if max_attempts is None else max_attempts
        if attempts < 1:
            raise ValueError(f"max_resume_attempts must be at least 1, not {attempts!r}")
        self.max_attempts = attempts
        self.total = 0
        """Every attempt counted so far."""
        self._failures = 0
        self._progress_mark: Optional[int] = None

    def count(self, last_seq_id: Optional[int]) -> Optional[int]:
        """Count one more attempt: its number since the last progress (from 1), or ``None`` when
        ``max_attempts`` in a row have failed already."""
        if last_seq_id != self._progress_mark:
            self._progress_mark = last_seq_id
            self._failures = 0
        self._failures += 1
        if self._failures > self.max_attempts:
            return None
        self.total += 1
        return self._failures

    @staticmethod
    def wait_before(attempt: int, error: LettaError) -> float:
        """Seconds to wait before attempt number ``attempt`` (``error``: why the last one failed)."""
        if attempt <= 1:
            return 0.0
        headers = error.response.headers if isinstance(error, APIStatusError) else None
        return retry_delay(attempt - 2, headers)


class _Cursor(Protocol):
    """How far a stream got (``_cursor.RunCursor`` is one)."""

    @property
    def run_id(self) -> Optional[str]: ...
    @property
    def last_seq_id(self) -> Optional[int]: ...


class Reconnector(Protocol):
    """What a ``Stream`` calls when its connection breaks: the response that continues it."""

    def reconnect(self, cursor: _Cursor, error: LettaError, /) -> httpx.Response: ...


class AsyncReconnector(Protocol):
    async def reconnect(self, cursor: _Cursor, error: LettaError, /) -> httpx.Response: ...


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


class ResumePolicy:
    """The decisions of resuming, without I/O: whether to try again, how long to wait first,
    and which failures end it. ``Resumer`` and ``AsyncResumer`` drive it."""

    def __init__(self, *, max_attempts: Optional[int], on_reconnect: Optional[OnReconnect]) -> None:
        self.attempts = Attempts(max_attempts)
        self.on_reconnect = on_reconnect
        self._attempt = 0
        self._partial: Optional[LettaResponse] = None

    @property
    def max_attempts(self) -> int:
        return self.attempts.max_attempts

    def next_attempt(self, cursor: _Cursor, error: LettaError) -> float:
        """Count this attempt (the count restarts once new events arrived) and return the delay
        before it, or raise ``ResumeError``."""
        if isinstance(error, Recoverable) and error.delivered_messages is not None:
            self._partial = error.partial_response  # what the stream delivered (a failed reopening has none)
        if cursor.run_id is None:
            delivered_count = 0 if self._partial is None else len(self._partial.messages)
            raise ResumeError(
                f"The background stream broke off ({error}) before its run id arrived, so it cannot be "
                f"resumed; {delivered(delivered_count)}. The run may still be going: look for it with "
                "client.runs.list(agent_id=..., active=True) or in client.agents.messages.list(agent_id) "
                "(do not resend blindly: that starts a second run).",
                run_id=None,
                last_seq_id=cursor.last_seq_id,
                partial_response=self._partial,
            ) from error
        try:
            run_path(cursor.run_id)
        except (TypeError, ValueError):
            raise ResumeError(
                f"The background stream broke off ({error}), and the run id the server sent is malformed "
                f"({cursor.run_id!r}), so it cannot be resumed. Every event up to "
                f"last_seq_id={cursor.last_seq_id!r} was delivered.",
                run_id=cursor.run_id,
                last_seq_id=cursor.last_seq_id,
                partial_response=self._partial,
            ) from error
        attempt = self.attempts.count(cursor.last_seq_id)
        if attempt is None:
            raise ResumeError(
                f"Gave up resuming the background stream of run {cursor.run_id!r} after {self.max_attempts} "
                f"attempt(s) without progress (last error: {error}). Every event up to "
                f"last_seq_id={cursor.last_seq_id!r} was delivered. {_recovery(cursor.run_id)}",
                run_id=cursor.run_id,
                last_seq_id=cursor.last_seq_id,
                partial_response=self._partial,
            ) from error
        self._attempt = attempt
        return self.attempts.wait_before(attempt, error)

    def where(self, cursor: _Cursor, error: LettaError) -> Tuple[str, int]:
        """Announce the attempt (``on_reconnect``); the run and ``starting_after`` to open."""
        run_id = cursor.run_id
        assert run_id is not None
        if self.on_reconnect is not None:
            self.on_reconnect(self._attempt, run_id, cursor.last_seq_id, error)
        return run_id, cursor.last_seq_id or 0

    def failed(self, cursor: _Cursor, error: LettaError) -> LettaError:
        """An attempt failed with ``error``. Statuses that say the run cannot be resumed at all
        raise ``ResumeError`` at once; anything else is returned, to try again."""
        reason = refusal(error)
        if reason is None:
            return error
        run_id = cursor.run_id or "?"
        raise ResumeError(
            f"The stream of run {run_id!r} broke off and cannot be resumed: {reason} ({error}). "
            f"Every event up to last_seq_id={cursor.last_seq_id!r} was delivered. {_recovery(run_id)}",
            run_id=cursor.run_id,
            last_seq_id=cursor.last_seq_id,
            partial_response=self._partial,
        ) from error


class Resumer:
    """Opens the continuation of a broken background stream (sync)."""

    def __init__(
        self,
        open_stream: Callable[[str, int], httpx.Response],
        sleep: Callable[[float], object],
        *,
        max_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
    ) -> None:
        self.policy = ResumePolicy(max_attempts=max_attempts, on_reconnect=on_reconnect)
        self._open = open_stream
        self._sleep = sleep

    def reconnect(self, cursor: _Cursor, error: LettaError) -> httpx.Response:
        """The streaming response that continues after ``cursor.last_seq_id``."""
        policy = self.policy
        while True:
            delay = policy.next_attempt(cursor, error)
            if delay:
                self._sleep(delay)
            try:
                return self._open(*policy.where(cursor, error))
            except (APIStatusError, APIConnectionError) as failure:
                error = policy.failed(cursor, failure)


class AsyncResumer:
    """Opens the continuation of a broken background stream (async)."""

    def __init__(
        self,
        open_stream: Callable[[str, int], Awaitable[httpx.Response]],
        sleep: Callable[[float], Any],
        *,
        max_attempts: Optional[int] = None,
        on_reconnect: Optional[OnReconnect] = None,
    ) -> None:
        self.policy = ResumePolicy(max_attempts=max_attempts, on_reconnect=on_reconnect)
        self._open = open_stream
        self._sleep = sleep

    async def reconnect(self, cursor: _Cursor, error: LettaError) -> httpx.Response:
        """See ``Resumer.reconnect``."""
        policy = self.policy
        while True:
            delay = policy.next_attempt(cursor, error)
            if delay:
                await self._sleep(delay)
            try:
                return await self._open(*policy.where(cursor, error))
            except (APIStatusError, APIConnectionError) as failure:
                error = policy.failed(cursor, failure)


# Building a resumer for a resource ----------------------------------------------------------


class _ResumeRequest:
    """The request that reopens ``POST /v1/runs/{run_id}/stream`` after a ``seq_id``: the
    caller's body (pings on unless it chose) and options minus ``extra_body`` (that belongs to
    the original request)."""

    def __init__(self, body: Dict[str, Any], options: Mapping[str, Any]) -> None:
        self.body = {"include_pings": True, **body}
        self.options = cast("RequestOptions", {key: value for key, value in options.items() if key != "extra_body"})

    def arguments(self, run_id: str, starting_after: int) -> Dict[str, Any]:
        """Keyword arguments of ``transport.request``."""
        return {
            "method": "POST",
            "path": run_path(run_id, "/stream"),
            "body": {**self.body, "starting_after": starting_after},
            "options": self.options,
            "idempotent": True,
            "stream": True,
            "retry": False,  # one request per attempt: the resume policy counts and spaces them
        }


def sync_run_resumer(
    transport: SyncTransport,
    body: Dict[str, Any],
    options: Mapping[str, Any],
    *,
    max_attempts: Optional[int],
    on_reconnect: Optional[OnReconnect],
) -> Resumer:
    """A ``Resumer`` that reopens ``POST /v1/runs/{run_id}/stream`` with ``body`` (its
    ``starting_after`` replaced by the stream's last ``seq_id``)."""
    request = _ResumeRequest(body, options)
    return Resumer(
        lambda run_id, after: transport.request(**request.arguments(run_id, after)),
        transport.sleep,
        max_attempts=max_attempts,
        on_reconnect=on_reconnect,
    )


def async_run_resumer(
    transport: AsyncTransport,
    body: Dict[str, Any],
    options: Mapping[str, Any],
    *,
    max_attempts: Optional[int],
    on_reconnect: Optional[OnReconnect],
) -> AsyncResumer:
    """See ``sync_run_resumer``."""
    request = _ResumeRequest(body, options)
    return AsyncResumer(
        lambda run_id, after: transport.request(**request.arguments(run_id, after)),
        transport.sleep,
        max_attempts=max_attempts,
        on_reconnect=on_reconnect,
    )
