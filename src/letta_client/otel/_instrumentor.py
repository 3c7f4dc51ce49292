"""``LettaInstrumentor``: turns the tracing on and off (see ``letta_client.otel``).

It follows ``opentelemetry-instrumentation``'s ``BaseInstrumentor`` by duck typing (one instance
per process, ``instrument(**kwargs)`` / ``uninstrument()`` / ``instrumentation_dependencies()``),
without depending on that package: the ``otel`` extra needs ``opentelemetry-api`` only.

``instrument()`` replaces a few attributes (listed in ``_patches``) with the wrappers of
``_wrappers`` and ``_tools`` and adds the core's observer; ``uninstrument()`` puts the originals
back. Nothing else in ``letta_client`` changes, and nothing is patched on import.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Collection, List, Optional, Tuple

from opentelemetry import metrics, trace

from .. import _observe
from .._version import __version__
from ..resources import conversation_messages, messages
from ..tools import _runner  # pyright: ignore[reportPrivateUsage]
from ..tools._flow import Plan
from ._streams import hooks
from ._telemetry import AgentNames, Telemetry, capture_from_env
from ._tools import traced_answer
from ._wrappers import async_drive, async_send, sync_drive, sync_send

__all__ = ["LettaInstrumentor"]

_SCOPE = "letta_client.otel"

Patch = Tuple[object, str, Callable[[Telemetry, Any], Any]]


def _patches() -> List[Patch]:
    """(owner, attribute, wrapper factory): every attribute ``instrument()`` replaces."""

    def send(kind: str, is_async: bool) -> Callable[[Telemetry, Any], Any]:
        factory = async_send if is_async else sync_send
        return lambda telemetry, original: factory(telemetry, original, kind)

    agents: List[Tuple[object, bool]] = [(messages.Messages, False), (messages.AsyncMessages, True)]
    conversations: List[Tuple[object, bool]] = [
        (conversation_messages.ConversationMessages, False),
        (conversation_messages.AsyncConversationMessages, True),
    ]
    table: List[Patch] = []
    for owner, is_async in agents:
        table += [(owner, name, send("agent", is_async)) for name in ("send", "create")]
        table.append((owner, "stream", send("legacy", is_async)))
    for owner, is_async in conversations:
        table += [(owner, name, send("conversation", is_async)) for name in ("send", "create")]
    table.append((_runner, "_drive", sync_drive))
    table.append((_runner, "_drive_async", async_drive))
    table.append((Plan, "answer", traced_answer))
    table += [(owner, name, _ignoring_telemetry(wrap)) for owner, name, wrap in hooks()]
    return table


def _ignoring_telemetry(wrap: Callable[[Any], Any]) -> Callable[[Telemetry, Any], Any]:
    """A wrapper factory for the stream hooks, which need no telemetry (they follow the turn)."""

    def factory(telemetry: Telemetry, original: Any) -> Any:
        return wrap(original)

    return factory


class LettaInstrumentor:
    """OpenTelemetry instrumentation of ``letta_client`` (GenAI semantic conventions).

    ``LettaInstrumentor().instrument(tracer_provider=..., meter_provider=...)`` traces every
    turn sent from then on, by every ``Letta`` and ``AsyncLetta``; ``uninstrument()`` stops.
    Keywords of ``instrument``:

    * ``tracer_provider`` / ``meter_provider``: default, the global ones;
    * ``capture_content``: put messages, tool arguments and results on the spans (default: the
      ``OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT`` variable, ``SPAN_ONLY`` or
      ``SPAN_AND_EVENT``; off without it);
    * ``agent_names``: a mapping or function from agent id to name, for span names and
      ``gen_ai.agent.name`` (the instrumentation never asks the server for it).

    Other keywords (those ``opentelemetry-instrument`` passes) are ignored.
    """

    _instance: Optional[LettaInstrumentor] = None
    _lock = threading.Lock()

    def __new__(cls) -> LettaInstrumentor:
        with cls._lock:
            if cls._instance is None:
                instance = super().__new__(cls)
                instance._telemetry = None
                instance._originals = []
                cls._instance = instance
            return cls._instance

    _telemetry: Optional[Telemetry]
    _originals: List[Tuple[object, str, Any]]

    def instrumentation_dependencies(self) -> Collection[str]:
        """The packages this instruments (``opentelemetry-instrument`` checks them)."""
        return ("letta-client-typed >= 1.0",)

    @property
    def is_instrumented_by_opentelemetry(self) -> bool:
        return self._telemetry is not None

    def instrument(
        self,
        *,
        tracer_provider: Optional[trace.TracerProvider] = None,
        meter_provider: Optional[metrics.MeterProvider] = None,
        capture_content: Optional[bool] = None,
        agent_names: Optional[AgentNames] = None,
        **_ignored: Any,
    ) -> None:
        """Start tracing (once: a second call does nothing until ``uninstrument()``)."""
        with self._lock:
            if self._telemetry is not None:
                return
            telemetry = Telemetry(
                trace.get_tracer(_SCOPE, __version__, tracer_provider),
                metrics.get_meter(_SCOPE, __version__, meter_provider),
                capture_content=capture_from_env() if capture_content is None else capture_content,
                agent_names=agent_names,
            )
            for owner, name, factory in _patches():
                original = vars(owner)[name]
                self._originals.append((owner, name, original))
                setattr(owner, name, factory(telemetry, original))
            _observe.observers.append(telemetry)
            self._telemetry = telemetry

    def uninstrument(self, **_ignored: Any) -> None:
        """Stop tracing: the original methods are back. Turns already started still end."""
        with self._lock:
            telemetry = self._telemetry
            if telemetry is None:
                return
            telemetry.active = False
            for owner, name, original in reversed(self._originals):
                setattr(owner, name, original)
            self._originals.clear()
            if telemetry in _observe.observers:
                _observe.observers.remove(telemetry)
            self._telemetry = None
