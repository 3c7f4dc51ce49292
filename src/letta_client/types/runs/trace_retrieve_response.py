"""``letta_client.types.runs.trace_retrieve_response``, the official SDK's module path: names for this SDK's types."""

from ..run import TraceRetrieveResponse

__all__ = ["TraceRetrieveResponse"]
