"""``letta_client.types.runs.trace_retrieve_params``, the official SDK's module path: names for this SDK's types."""

from ..run import TraceRetrieveParams

__all__ = ["TraceRetrieveParams"]
