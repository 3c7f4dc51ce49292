"""Exactly-once sends on a conversation: the recovery plan, written once (sans-IO).

The conversation endpoints lock the conversation and recover duplicate requests (wire notes
"conversations and idempotency" §2–3): a *background* send re-sent with the same message otids
is attached to the run the first copy started, instead of starting a second turn. So a send that
fails in any way before its terminal frame can be recovered without doubling the turn:

* no answer yet (reset or timeout before any byte, 502/503/504, a cut before the run id
  arrived): send the identical request again — the server either starts the turn (it never got
  it) or streams the run it already started, from its first frame;
* the run id is known (a cut mid-stream): resume the run's stream after the last ``seq_id``;
* 409 on a re-send: the lock may be held by *this* send's first copy; look the run up by the
  send's first otid and attach to it; when no run has that otid, another send holds the
  conversation and ``ConversationBusyError`` is raised;
* 503 "requires Redis" on the first try: the server cannot run background turns, so none of
  this exists; the caller falls back to one plain send (``FallBack``).

``SendPlan.steps`` is a generator: it yields what to do next (``Send``, ``Attach``, ``Resume``,
``Wait``) and receives the HTTP response or the ``APIError`` that action gave; it returns the
response to read the turn from (or raises ``FallBack``). ``resources._conversation_send`` runs it
for ``Letta`` and ``AsyncLetta``. Attempts follow the one resume policy of every stream
(``_resume.Attempts``): ``max_attempts`` failures in a row without a new event, with backoff (or
the server's ``Retry-After``), ``on_reconnect`` before each; then ``ResumeError`` naming the
conversation, the otids and the run id. A failed reopening of the run's stream (``Attach``,
``Resume``) is judged as any resumption is (``_resume.refusal``): a broken connection, 408, 409,
429 and every 5xx are tried again.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING, Generator, List, Optional, Sequence, Union

import httpx
from typing_extensions import Protocol

from ._advice import delivered
from ._error_text import error_kind
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIStatusError,
    ConversationBusyError,
    LettaError,
    NotFoundError,
    Recoverable,
    ResumeError,
)
from ._logs import logger
from ._resume import Attempts, OnReconnect, refusal

if TYPE_CHECKING:
    from .types.response import LettaResponse

__all__ = [
    "NOTHING_YET",
    "Attach",
    "FallBack",
    "Resume",
    "Send",
    "SendPlan",
    "Wait",
    "fallback_warning",
    "needs_redis",
]

_RETRY_STATUSES = frozenset({408, 429, 502, 503, 504})


@dataclasses.dataclass(frozen=True)
class Send:
    """POST the send request again, byte for byte."""


@dataclasses.dataclass(frozen=True)
class Attach:
    """Open the stream of the run that this send's first message (``otid``) started."""

    otid: str


@dataclasses.dataclass(frozen=True)
class Resume:
    """Open the run's stream after ``starting_after``."""

    run_id: str
    starting_after: int


@dataclasses.dataclass(frozen=True)
class Wait:
    seconds: float


Action = Union[Send, Attach, Resume, Wait]
Outcome = Union[httpx.Response, APIError, None]


class FallBack(Exception):
    """Internal: the server has no Redis, so background sends (and their recovery) do not exist."""


class Cursor(Protocol):
    """How far the turn's stream got (``_streaming._StreamState`` is one)."""

    @property
    def run_id(self) -> Optional[str]: ...
    @property
    def last_seq_id(self) -> Optional[int]: ...


class _Nothing:
    run_id: Optional[str] = None
    last_seq_id: Optional[int] = None


NOTHING_YET: Cursor = _Nothing()
"""The cursor of a send whose stream has not started."""


def needs_redis(error: APIError) -> bool:
    """The server's 503 for a background send without Redis."""
    return isinstance(error, APIStatusError) and error.status_code == 503 and "requires Redis" in error.message


class SendPlan:
    """What to do after each failure of one exactly-once send (see the module docstring)."""

    def __init__(
        self,
        conversation_id: str,
        otids: Sequence[str],
        *,
        max_attempts: Optional[int],
        on_reconnect: Optional[OnReconnect],
    ) -> None:
        self._budget = Attempts(max_attempts)  # the one resume policy (``_resume``)
        self.conversation_id = conversation_id
        self.otids: List[str] = list(otids)
        self.max_attempts = self._budget.max_attempts
        self.on_reconnect = on_reconnect
        self._maybe_sent = False  # a copy of the request may have reached the server
        self._busy: Optional[ConversationBusyError] = None  # a 409 that may be this send's own
        self._partial: Optional[LettaResponse] = None  # what the turn's stream delivered before it broke

    def steps(self, cursor: Cursor, error: Optional[LettaError]) -> Generator[Action, Outcome, httpx.Response]:
        """Open the turn's stream (``error is None``), or reopen it after ``error`` broke it.

        Raises ``FallBack`` while opening when the server cannot do background sends."""
        opening = error is None
        while True:
            if isinstance(error, Recoverable) and error.delivered_messages is not None:
                self._partial = error.partial_response  # what the stream delivered (a failed request has none)
            if error is not None:
                attempt = self._count(cursor, error)
                wait = self._budget.wait_before(attempt, error)
                if wait > 0:
                    yield Wait(wait)
                self._notify(attempt, cursor, error)
            action = self._choose(cursor)
            outcome = yield action
            if isinstance(outcome, httpx.Response):
                if isinstance(action, Send):
                    self._maybe_sent = True
                self._busy = None
                return outcome
            assert outcome is not None
            error = self._judge(action, outcome, cursor, opening=opening)

    def _choose(self, cursor: Cursor) -> Action:
        if cursor.run_id is not None:
            return Resume(cursor.run_id, cursor.last_seq_id or 0)
        if self._busy is not None and self.otids:
            return Attach(self.otids[0])
        return Send()

    def _judge(self, action: Action, error: APIError, cursor: Cursor, *, opening: bool) -> APIError:
        """Raise what cannot be recovered; return the error of a failure worth another attempt."""
        status = error.status_code if isinstance(error, APIStatusError) else None
        if isinstance(action, Send):
            if opening and needs_redis(error):
                raise FallBack() from error  # no Redis: no earlier copy can have started a turn
            if isinstance(error, ConversationBusyError):
                if not self._maybe_sent:
                    raise error  # another send holds the conversation
                self._busy = error  # perhaps held by this send's first copy: look for its run
                return error
            if isinstance(error, APIConnectionError) or status in _RETRY_STATUSES:
                self._maybe_sent = True
                return error
            raise error
        # Attach and Resume reopen a run's stream: the resume policy's verdict (``_resume.refusal``)
        if isinstance(action, Attach) and isinstance(error, NotFoundError) and self._busy is not None:
            raise self._busy  # no run has this send's otid: another send holds the lock
        reason = refusal(error)
        if reason is None:
            return error
        if isinstance(action, Attach):
            raise self._give_up(cursor, error, f"the run could not be found ({error})")
        reason = {404: "the run is unknown", 410: "the run has expired (older than 3 hours)"}.get(
            status or 0, f"the server refused to stream it ({error})"
        )
        raise self._give_up(cursor, error, reason)

    @property
    def attempts(self) -> int:
        """Recovery attempts so far (re-sends, attaches and resumes)."""
        return self._budget.total

    def _count(self, cursor: Cursor, error: LettaError) -> int:
        """Count this attempt (the count restarts once new events arrived) or give up."""
        attempt = self._budget.count(cursor.last_seq_id)
        if attempt is None:
            raise self._give_up(cursor, error, f"{self.max_attempts} attempt(s) in a row failed (last error: {error})")
        return attempt

    def _notify(self, attempt: int, cursor: Cursor, error: LettaError) -> None:
        if logger.isEnabledFor(logging.INFO):
            logger.info(
                "conversation %s: recovering the send (attempt %d, run_id=%s, last_seq_id=%s) after %s",
                self.conversation_id,
                attempt,
                cursor.run_id,
                cursor.last_seq_id,
                error_kind(error),
            )
        if self.on_reconnect is not None:
            self.on_reconnect(attempt, cursor.run_id or "", cursor.last_seq_id, error)

    def _give_up(self, cursor: Cursor, error: BaseException, reason: str) -> ResumeError:
        run_id = cursor.run_id
        conversation = self.conversation_id
        otid = self.otids[0] if self.otids else None
        if run_id is not None:
            where = (
                f"It is run {run_id!r}; every event up to last_seq_id={cursor.last_seq_id!r} was delivered. "
                f"Follow it with client.conversations.messages.stream({conversation!r}, run_id={run_id!r}, "
                f"starting_after={cursor.last_seq_id or 0!r}), or read client.runs.retrieve({run_id!r}) and "
                f"client.runs.messages.list({run_id!r})."
            )
        else:
            count = 0 if self._partial is None else len(self._partial.messages)
            where = (
                f"No run id arrived ({delivered(count)}), so whether the server started the turn is unknown. "
                "Look for it with "
                f"client.conversations.messages.stream({conversation!r}, otid={otid!r}) (404 = it never started) "
                f"and client.conversations.messages.list({conversation!r}). Re-sending the same messages "
                "(same otids) within 3 hours is safe: the server attaches to the existing run."
            )
        result = ResumeError(
            f"The send to conversation {conversation!r} (otids {self.otids}) could not be completed: {reason}. "
            + where,
            run_id=run_id,
            last_seq_id=cursor.last_seq_id,
            conversation_id=conversation,
            otids=self.otids,
            partial_response=self._partial,
        )
        result.__cause__ = error
        return result


def fallback_warning(conversation_id: str) -> None:
    """Say (once per send) that this send is not exactly-once."""
    logger.warning(
        "conversation %s: the server cannot run background turns (503: requires Redis), so this send "
        "goes out as a plain send without recovery: it is never re-sent once it may have reached the "
        "server, and a broken connection raises instead of resuming.",
        conversation_id,
    )
