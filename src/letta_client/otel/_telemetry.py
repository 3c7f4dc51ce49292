"""The instrumentation's state while instrumented: the tracer, the three GenAI client metrics,
the content-capture switch; and how a turn's span starts (its name and the attributes that
sampling sees).

It is also the core's observer (``letta_client._observe``): a transport retry becomes a
``letta.retry`` event on the turn whose request it is.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Dict, Mapping, Optional, Union

import httpx
from opentelemetry.metrics import Meter
from opentelemetry.trace import SpanKind, Tracer

from . import _content
from ._turn import ACTIVE, Turn

__all__ = ["CAPTURE_ENV", "AgentNames", "Origin", "Telemetry", "capture_from_env"]

CAPTURE_ENV = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"
"""The conventions' switch: ``SPAN_ONLY`` or ``SPAN_AND_EVENT`` put message content on the spans
(``true`` too, as older GenAI instrumentations read it); ``NO_CONTENT`` (the default),
``EVENT_ONLY`` and anything else do not."""

AgentNames = Union[Mapping[str, str], Callable[[str], Optional[str]]]
"""``instrument(agent_names=...)``: the name of an agent by id, for span names and
``gen_ai.agent.name`` (this instrumentation never asks the server)."""

PROVIDER = "letta"
_DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92]
_TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864]


def capture_from_env() -> bool:
    value = os.environ.get(CAPTURE_ENV, "").strip().upper()
    return value in ("SPAN_ONLY", "SPAN_AND_EVENT", "TRUE", "1")


class Origin:
    """Where a turn goes: the server, the agent and conversation (as far as the call names them)."""

    def __init__(self, base_url: Optional[httpx.URL], agent_id: Optional[str], conversation_id: Optional[str]) -> None:
        self.address: Optional[str] = None
        self.port: Optional[int] = None
        if base_url is not None and base_url.host:
            self.address = base_url.host
            self.port = base_url.port or (443 if base_url.scheme == "https" else 80)
        self.agent_id = agent_id
        self.conversation_id = None if conversation_id == "default" else conversation_id


def origin_of(resource: object, agent_id: Optional[str], conversation_id: Optional[str]) -> Origin:
    """The ``Origin`` of a call on a messages resource (its transport knows the base URL)."""
    options = getattr(getattr(resource, "_transport", None), "options", None)
    base_url = getattr(options, "base_url", None)
    return Origin(base_url if isinstance(base_url, httpx.URL) else None, agent_id, conversation_id)


class Telemetry:
    """See the module docstring."""

    def __init__(
        self, tracer: Tracer, meter: Meter, *, capture_content: bool, agent_names: Optional[AgentNames]
    ) -> None:
        self.tracer = tracer
        self.active = True
        """False once uninstrumented: wrappers still referenced (a bound method kept) pass through."""
        self.capture_content = capture_content
        self._agent_names = agent_names
        self.duration = meter.create_histogram(
            "gen_ai.client.operation.duration",
            unit="s",
            description="GenAI operation duration",
            explicit_bucket_boundaries_advisory=_DURATION_BUCKETS,
        )
        self.token_usage = meter.create_histogram(
            "gen_ai.client.token.usage",
            unit="{token}",
            description="Number of input and output tokens used",
            explicit_bucket_boundaries_advisory=_TOKEN_BUCKETS,
        )
        self.time_to_first_chunk = meter.create_histogram(
            "gen_ai.client.operation.time_to_first_chunk",
            unit="s",
            description="Time to receive the first chunk of a streamed response",
            explicit_bucket_boundaries_advisory=_DURATION_BUCKETS,
        )

    def agent_name(self, agent_id: Optional[str]) -> Optional[str]:
        names = self._agent_names
        if agent_id is None or names is None:
            return None
        try:
            name = names(agent_id) if callable(names) else names.get(agent_id)
        except Exception:
            return None
        return name if isinstance(name, str) and name else None

    def start_turn(
        self, origin: Origin, params: Mapping[str, Any], *, streaming: bool, operation: str, record_metrics: bool = True
    ) -> Turn:
        """Start an ``invoke_agent`` CLIENT span (a child of the current span) with every
        attribute known before sending, and the turn that ends it."""
        name = self.agent_name(origin.agent_id)
        attributes: Dict[str, Any] = {
            "gen_ai.operation.name": "invoke_agent",
            "gen_ai.provider.name": PROVIDER,
        }
        if origin.agent_id is not None:
            attributes["gen_ai.agent.id"] = origin.agent_id
        if name is not None:
            attributes["gen_ai.agent.name"] = name
        if origin.conversation_id is not None:
            attributes["gen_ai.conversation.id"] = origin.conversation_id
        model = params.get("override_model")
        if isinstance(model, str) and model:
            attributes["gen_ai.request.model"] = model
        if origin.address is not None:
            attributes["server.address"] = origin.address
            attributes["server.port"] = origin.port
        metric_attributes = dict(attributes)
        metric_attributes.pop("gen_ai.agent.id", None)  # metrics keep the conventions' low-cardinality set
        metric_attributes.pop("gen_ai.agent.name", None)
        metric_attributes.pop("gen_ai.conversation.id", None)
        attributes["letta.operation"] = operation
        attributes["letta.streaming"] = streaming
        if self.capture_content:
            messages = _content.input_messages(params)
            if messages is not None:
                attributes["gen_ai.input.messages"] = messages
        span = self.tracer.start_span(
            f"invoke_agent {name}" if name else "invoke_agent", kind=SpanKind.CLIENT, attributes=attributes
        )
        return Turn(self, span, metric_attributes, record_metrics=record_metrics)

    # -- the core's observer --------------------------------------------------------------------

    def retrying(
        self, request: httpx.Request, attempt: int, wait: float, error: Optional[Exception], status: Optional[int]
    ) -> None:
        turn = ACTIVE.get()
        if turn is None or turn.ended:
            return
        reason = f"status {status}" if status is not None else f"{type(error).__qualname__}: {error}"
        turn.retrying(request.method, request.url.path, attempt, wait, reason)
