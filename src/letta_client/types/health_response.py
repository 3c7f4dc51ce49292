"""``letta_client.types.health_response``, the official SDK's module path: ``client.health()``."""

from __future__ import annotations

from ._base import LettaModel

__all__ = ["HealthResponse"]


class HealthResponse(LettaModel):
    """The server's liveness answer: ``status`` (``"ok"``) and its ``version``."""

    status: str
    version: str
