"""OpenTelemetry for ``letta_client``: GenAI-convention spans and metrics for every turn.

    pip install 'letta-client-typed[otel]'

    from letta_client.otel import LettaInstrumentor
    LettaInstrumentor().instrument()  # the global providers; or tracer_provider=..., meter_provider=...

Or with no code: ``opentelemetry-instrument python app.py`` (the ``opentelemetry_instrumentor``
entry point). What the spans, events and metrics carry: ``docs/observability.md``.

Importing ``letta_client`` never imports this package (nor ``opentelemetry``); until
``instrument()`` is called nothing in the SDK changes.
"""

from ._instrumentor import LettaInstrumentor
from ._telemetry import CAPTURE_ENV

__all__ = ["CAPTURE_ENV", "LettaInstrumentor"]
