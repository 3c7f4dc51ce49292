"""``letta_client.types.agents.run``, the official SDK's module path: names for this SDK's types."""

from ..run import RequestConfig, Run

__all__ = ["Run", "RequestConfig"]
