"""Shared by the OpenTelemetry tests: an instrumented setup with the SDK's in-memory exporter and
metric reader, and readers of what they hold. Each test gets its own providers and
uninstruments after (``traced`` fixture)."""

from __future__ import annotations

import gc
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

pytest.importorskip("opentelemetry.sdk", reason="opentelemetry-sdk is not installed (pip install -e '.[dev]')")

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from letta_client.otel import LettaInstrumentor

__all__ = ["Traced", "attributes", "events", "parent_id", "tracing"]

Point = Tuple[Dict[str, Any], int, float]


class Traced:
    """The test's providers, and what they recorded."""

    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])
        self.instrumentor = LettaInstrumentor()

    def instrument(self, **options: Any) -> None:
        self.instrumentor.uninstrument()
        self.instrumentor.instrument(
            tracer_provider=self.tracer_provider, meter_provider=self.meter_provider, **options
        )

    def spans(self, name_prefix: str = "") -> List[ReadableSpan]:
        gc.collect()  # a dropped stream ends its span when it is collected
        return [span for span in self.exporter.get_finished_spans() if span.name.startswith(name_prefix)]

    def one(self, name_prefix: str = "invoke_agent") -> ReadableSpan:
        spans = self.spans(name_prefix)
        assert len(spans) == 1, [(span.name, dict(span.attributes or {})) for span in spans]
        return spans[0]

    def metrics(self) -> Dict[str, List[Point]]:
        data = self.reader.get_metrics_data()
        found: Dict[str, List[Point]] = {}
        if data is None:
            return found
        for resource in data.resource_metrics:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    points = found.setdefault(metric.name, [])
                    for point in metric.data.data_points:
                        points.append((dict(point.attributes or {}), point.count, point.sum))  # type: ignore[union-attr]
        return found

    def clear(self) -> None:
        gc.collect()
        self.exporter.clear()


def attributes(span: ReadableSpan) -> Dict[str, Any]:
    return {key: list(value) if isinstance(value, tuple) else value for key, value in (span.attributes or {}).items()}


def events(span: ReadableSpan) -> List[Tuple[str, Dict[str, Any]]]:
    return [(event.name, dict(event.attributes or {})) for event in span.events]


def parent_id(span: ReadableSpan) -> Optional[int]:
    return span.parent.span_id if span.parent is not None else None


def tracing() -> Iterator[Traced]:
    """The body of each test module's ``traced`` fixture: instrumented for the test, then not."""
    setup = Traced()
    setup.instrument()
    try:
        yield setup
    finally:
        setup.instrumentor.uninstrument()
        gc.collect()
