"""Runs, and how a turn goes over a stream: foreground (straight to the client) or background
(into a replayable log with ``seq_id``\\ s, as the server's Redis stream)."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Any, Callable, Iterator, List, Optional, Set, Tuple, Union

from . import _wire as wire
from ._http import Disconnected
from ._script import Delay, Hold
from ._turn import Turn, Wait
from ._wire import Json

__all__ = ["Run", "RunLog", "background_body", "foreground_body", "start_background", "stream_outputs"]

_DONE = "[DONE]"
_COMPLETED = ("end_turn", "max_steps", "tool_rule", "requires_approval")

Output = Union[Tuple[Union[Json, str], Optional[str]], Wait]
"""A frame to send (payload, event name) or a pause."""


class RunLog:
    """The frames of a background run, numbered from 1, readable while they are written."""

    def __init__(self) -> None:
        self._frames: List[Tuple[bytes, bool]] = []
        self._closed = False
        self._changed = threading.Condition()

    def append(self, frame: bytes, *, complete: bool) -> None:
        with self._changed:
            self._frames.append((frame, complete))
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def read(self, after: int) -> Iterator[bytes]:
        """Frames with seq_id > ``after``, live, up to the first one flagged complete (the
        ``[DONE]`` or the error frame)."""
        index = max(after, 0)
        while True:
            with self._changed:
                while index >= len(self._frames) and not self._closed:
                    self._changed.wait()
                if index >= len(self._frames):
                    return
                frame, complete = self._frames[index]
            index += 1
            yield frame
            if complete:
                return


class Run:
    """One turn as the server tracks it (``GET /v1/runs/{id}``)."""

    def __init__(
        self, agent_id: str, *, background: bool, now: datetime, conversation_id: Optional[str] = None
    ) -> None:
        self.id = wire.new_id("run")
        self.agent_id = agent_id
        self.conversation_id = conversation_id
        self.background = background
        self.created_at = now
        self.completed_at: Optional[datetime] = None
        self.status = "running"
        self.stop_reason: Optional[str] = None
        self.messages: List[Json] = []
        self.log: Optional[RunLog] = RunLog() if background else None
        self.cancelled = threading.Event()
        self.on_finish: List[Callable[[], Any]] = []
        """Called once when the run ends (a conversation's lock is released there)."""

    def finish(self, stop_reason: str, now: datetime) -> None:
        if self.completed_at is not None:
            return
        if self.cancelled.is_set():
            stop_reason = "cancelled"
        self.stop_reason = stop_reason
        if stop_reason in _COMPLETED:
            self.status = "completed"
        elif stop_reason == "cancelled":
            self.status = "cancelled"
        else:
            self.status = "failed"
        self.completed_at = now
        callbacks, self.on_finish = self.on_finish, []
        for callback in callbacks:
            callback()

    def to_json(self) -> Json:
        return {
            "id": self.id,
            "status": self.status,
            "created_at": wire.iso_now(self.created_at),
            "completed_at": wire.iso_now(self.completed_at) if self.completed_at else None,
            "agent_id": self.agent_id,
            "conversation_id": self.conversation_id,
            "base_template_id": None,
            "background": self.background,
            "metadata": {"run_type": "send_message"},
            "request_config": {
                "use_assistant_message": True,
                "assistant_message_tool_name": "send_message",
                "assistant_message_tool_kwarg": "message",
                "include_return_message_types": None,
            },
            "stop_reason": self.stop_reason,
            "callback_url": None,
            "callback_sent_at": None,
            "callback_status_code": None,
            "callback_error": None,
            "ttft_ns": None,
            "total_duration_ns": None,
        }


def stream_outputs(
    turn: Turn,
    run: Run,
    *,
    token_mode: bool,
    include_pings: bool,
    message_types: Optional[Set[str]],
    usage: Json,
    date: str,
    background: bool,
) -> Iterator[Output]:
    """Everything a stream of ``turn`` sends, in order, as the server frames it."""
    if include_pings:
        ping = wire.base_message("ping", id=wire.new_id("ping"), date=date, otid=None, step_id=None, run_id=run.id)
        yield (ping, None)
    for item in turn.items:
        if isinstance(item, Wait):
            yield item
            continue
        if message_types is not None and item.whole["message_type"] not in message_types:
            continue
        for chunk in item.chunks if token_mode else [item.whole]:
            yield (chunk, None)
    yield (wire.stop_reason(turn.stop_reason), None)
    if turn.error is not None:
        error = turn.error
        message = error.message or wire.DEFAULT_ERROR_MESSAGES.get(error.error_type, "An error occurred.")
        yield (wire.error_message(run.id, error.error_type, message, error.detail), "error")
        if not turn.error_after_messages and not background:
            yield (_DONE, None)
        return
    yield (usage, None)
    yield (_DONE, None)


def _pause(item: Wait, cancelled: threading.Event) -> None:
    action = item.action
    if isinstance(action, Delay):
        cancelled.wait(action.seconds)
        return
    assert isinstance(action, Hold)
    deadline = None if action.timeout is None else time.monotonic() + action.timeout
    while not action.event.wait(0.05) and not cancelled.is_set():
        if deadline is not None and time.monotonic() >= deadline:
            return


def _encode(payload: Union[Json, str], event: Optional[str], seq: Optional[int]) -> bytes:
    if isinstance(payload, str):
        return wire.frame(payload, event)
    if seq is not None and "seq_id" in payload:
        payload = {**payload, "seq_id": seq}
    return wire.frame(payload, event)


def foreground_body(
    outputs: Iterator[Output],
    run: Run,
    *,
    disconnect_after: Optional[int],
    frame_delay: float,
    on_finish: Callable[[], Any],
) -> Iterator[bytes]:
    """The body of a foreground stream. The run finishes when the body ends or is closed."""
    sent = 0
    try:
        for output in outputs:
            if isinstance(output, Wait):
                _pause(output, run.cancelled)
                continue
            if frame_delay and sent:
                run.cancelled.wait(frame_delay)
            if run.cancelled.is_set():
                yield wire.CANCELLED_FRAME
                return
            yield _encode(output[0], output[1], None)
            sent += 1
            if disconnect_after is not None and sent >= disconnect_after:
                raise Disconnected
    finally:
        on_finish()


def start_background(outputs: Iterator[Output], run: Run, *, frame_delay: float, on_finish: Callable[[], Any]) -> None:
    """Run the turn in a thread that writes every frame, numbered, to ``run.log``."""
    log = run.log
    assert log is not None

    finished = False

    def finish() -> None:
        nonlocal finished
        if not finished:
            finished = True
            on_finish()

    def produce() -> None:
        seq = 0
        try:
            for output in outputs:
                if isinstance(output, Wait):
                    _pause(output, run.cancelled)
                    continue
                if frame_delay and seq:
                    run.cancelled.wait(frame_delay)
                if run.cancelled.is_set():
                    log.append(wire.CANCELLED_FRAME, complete=False)
                    finish()
                    log.append(wire.done_frame(), complete=True)
                    return
                seq += 1
                payload, event = output
                complete = payload == _DONE or event == "error"
                if complete:  # the run ends (its lock freed) before a reader can see its last frame
                    finish()
                log.append(_encode(payload, event, seq), complete=complete)
        finally:
            log.close()
            finish()

    threading.Thread(target=produce, name=f"letta-sim-{run.id}", daemon=True).start()


def background_body(log: RunLog, *, after: int, disconnect_after: Optional[int]) -> Iterator[bytes]:
    sent = 0
    for frame in log.read(after):
        yield frame
        sent += 1
        if disconnect_after is not None and sent >= disconnect_after:
            raise Disconnected
