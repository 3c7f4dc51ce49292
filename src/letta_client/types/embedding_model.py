"""``letta_client.types.embedding_model``, the official SDK's module path: an embedding model the
server offers."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._base import LettaModel

__all__ = ["EmbeddingModel"]


class EmbeddingModel(LettaModel):
    """One entry of ``client.models.embeddings.list()``. ``handle`` is what
    ``agents.create(embedding=...)`` takes; every other field the server sends is kept."""

    name: str
    handle: Optional[str] = None
    display_name: Optional[str] = None
    provider_type: Optional[str] = None
    provider_name: Optional[str] = None
    embedding_model: Optional[str] = None
    embedding_dim: Optional[int] = None
    embedding_endpoint_type: Optional[str] = None
    embedding_endpoint: Optional[str] = None
    api_model_type: Optional[str] = Field(default=None, alias="model_type")
