"""What the core tells an observer about the rare things it does (``letta_client.otel`` is one).

The core calls ``retrying`` only where it is about to wait and send a request again, behind one
``if observers:``: with no observer (the default, and always without the ``otel`` extra) that
test is the whole cost, and no per-event path has one. An observer must not raise; one that does
is ignored, so that tracing never changes what a call does.

Resumes, exactly-once re-sends and attaching to a busy run need no hook here: each calls the
send's ``on_reconnect(attempt, run_id, last_seq_id, error)`` before it is tried, which the
instrumentation chains in front of the caller's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Optional

from typing_extensions import Protocol

if TYPE_CHECKING:
    import httpx

__all__ = ["Observer", "observers", "retrying"]


class Observer(Protocol):
    def retrying(
        self, request: httpx.Request, attempt: int, wait: float, error: Optional[Exception], status: Optional[int]
    ) -> None:
        """The transport will wait ``wait`` seconds, then send ``request`` again (``attempt``
        counts the retries, from 1), after ``error`` (no answer) or an answer of ``status``."""
        ...


observers: List[Observer] = []
"""The observers in place (``LettaInstrumentor.instrument`` adds one, ``uninstrument`` removes it)."""


def retrying(
    request: httpx.Request, attempt: int, wait: float, error: Optional[Exception] = None, status: Optional[int] = None
) -> None:
    """Tell every observer that ``request`` is about to be retried."""
    for observer in list(observers):
        try:
            observer.retrying(request, attempt, wait, error, status)
        except Exception:  # an observer's failure never changes the call
            pass
