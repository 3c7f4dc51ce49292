"""``client.models``: the LLMs (``list``) and embedding models (``embeddings.list``) a server offers,
by the handles ``agents.create(model=..., embedding=...)`` takes."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence

from typing_extensions import Unpack

from .._response import (
    async_to_raw_response,
    async_to_streamed_response,
    parse_json,
    to_raw_response,
    to_streamed_response,
)
from .._sentinels import leaves_out_sentinels
from ..types.embedding_model import EmbeddingModel
from ..types.model import Model
from ..types.params import RequestOptions

if TYPE_CHECKING:
    from .._transport import AsyncTransport, SyncTransport

__all__ = ["AsyncEmbeddings", "AsyncModels", "Embeddings", "Models"]

MODELS = "/v1/models/"
EMBEDDINGS = "/v1/models/embedding"


def _filters(
    provider_category: Optional[Sequence[str]], provider_name: Optional[str], provider_type: Optional[str]
) -> Dict[str, Any]:
    category = list(provider_category) if provider_category is not None else None
    return {"provider_category": category, "provider_name": provider_name, "provider_type": provider_type}


@leaves_out_sentinels
class Models:
    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport

    @cached_property
    def embeddings(self) -> Embeddings:
        return Embeddings(self._transport)

    @property
    def with_raw_response(self) -> ModelsWithRawResponse:
        return ModelsWithRawResponse(self)

    @property
    def with_streaming_response(self) -> ModelsWithStreamingResponse:
        return ModelsWithStreamingResponse(self)

    def list(
        self,
        *,
        provider_category: Optional[Sequence[str]] = None,
        provider_name: Optional[str] = None,
        provider_type: Optional[str] = None,
        **options: Unpack[RequestOptions],
    ) -> List[Model]:
        """``GET /v1/models/``: the LLMs the server offers (one list, not paged)."""
        query = _filters(provider_category, provider_name, provider_type)
        response = self._transport.request("GET", MODELS, query=query, options=options, idempotent=True)
        return parse_json(response, List[Model])


@leaves_out_sentinels
class Embeddings:
    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport

    @property
    def with_raw_response(self) -> EmbeddingsWithRawResponse:
        return EmbeddingsWithRawResponse(self)

    @property
    def with_streaming_response(self) -> EmbeddingsWithStreamingResponse:
        return EmbeddingsWithStreamingResponse(self)

    def list(self, **options: Unpack[RequestOptions]) -> List[EmbeddingModel]:
        """``GET /v1/models/embedding``: the embedding models the server offers."""
        response = self._transport.request("GET", EMBEDDINGS, options=options, idempotent=True)
        return parse_json(response, List[EmbeddingModel])


@leaves_out_sentinels
class AsyncModels:
    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    @cached_property
    def embeddings(self) -> AsyncEmbeddings:
        return AsyncEmbeddings(self._transport)

    @property
    def with_raw_response(self) -> AsyncModelsWithRawResponse:
        return AsyncModelsWithRawResponse(self)

    @property
    def with_streaming_response(self) -> AsyncModelsWithStreamingResponse:
        return AsyncModelsWithStreamingResponse(self)

    async def list(
        self,
        *,
        provider_category: Optional[Sequence[str]] = None,
        provider_name: Optional[str] = None,
        provider_type: Optional[str] = None,
        **options: Unpack[RequestOptions],
    ) -> List[Model]:
        """See ``Letta.models.list``."""
        query = _filters(provider_category, provider_name, provider_type)
        response = await self._transport.request("GET", MODELS, query=query, options=options, idempotent=True)
        return parse_json(response, List[Model])


@leaves_out_sentinels
class AsyncEmbeddings:
    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    @property
    def with_raw_response(self) -> AsyncEmbeddingsWithRawResponse:
        return AsyncEmbeddingsWithRawResponse(self)

    @property
    def with_streaming_response(self) -> AsyncEmbeddingsWithStreamingResponse:
        return AsyncEmbeddingsWithStreamingResponse(self)

    async def list(self, **options: Unpack[RequestOptions]) -> List[EmbeddingModel]:
        """See ``Letta.models.embeddings.list``."""
        response = await self._transport.request("GET", EMBEDDINGS, options=options, idempotent=True)
        return parse_json(response, List[EmbeddingModel])


class ModelsWithRawResponse:
    def __init__(self, models: Models) -> None:
        self.list = to_raw_response(models.list)


class ModelsWithStreamingResponse:
    def __init__(self, models: Models) -> None:
        self.list = to_streamed_response(models.list)


class EmbeddingsWithRawResponse:
    def __init__(self, embeddings: Embeddings) -> None:
        self.list = to_raw_response(embeddings.list)


class EmbeddingsWithStreamingResponse:
    def __init__(self, embeddings: Embeddings) -> None:
        self.list = to_streamed_response(embeddings.list)


class AsyncModelsWithRawResponse:
    def __init__(self, models: AsyncModels) -> None:
        self.list = async_to_raw_response(models.list)


class AsyncModelsWithStreamingResponse:
    def __init__(self, models: AsyncModels) -> None:
        self.list = async_to_streamed_response(models.list)


class AsyncEmbeddingsWithRawResponse:
    def __init__(self, embeddings: AsyncEmbeddings) -> None:
        self.list = async_to_raw_response(embeddings.list)


class AsyncEmbeddingsWithStreamingResponse:
    def __init__(self, embeddings: AsyncEmbeddings) -> None:
        self.list = async_to_streamed_response(embeddings.list)
