"""One measurement of stream decoding with ``letta_client.otel`` on or off, in its own process.

    python benchmarks/_otel_worker.py on|off MODE BODY_PATH REPEAT

Run by ``otel_overhead.py``; the decode is ``_decode_worker``'s (``ours``, one chunk per event).
``on``: ``LettaInstrumentor().instrument()`` with the OpenTelemetry SDK's providers (every span
sampled and recorded, exported to memory; metrics read into memory), so every turn pays for its
span, its end-of-turn summary and its metrics. Prints one JSON line, as ``_decode_worker``.
"""

from __future__ import annotations

import json
import sys

from _decode_worker import best_of, split_reads


def instrument() -> None:
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from letta_client.otel import LettaInstrumentor

    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(InMemorySpanExporter()))
    meter_provider = MeterProvider(metric_readers=[InMemoryMetricReader()])
    LettaInstrumentor().instrument(tracer_provider=tracer_provider, meter_provider=meter_provider)


def main() -> None:
    state, mode, path, repeat = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    with open(path, "rb") as file:
        chunks = split_reads(file.read(), "event")
    if state == "on":
        instrument()
    best, events = best_of("ours", mode, chunks, repeat)
    print(json.dumps({"state": state, "mode": mode, "events": events, "seconds": best}))


if __name__ == "__main__":
    main()
