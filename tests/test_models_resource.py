"""``client.models.list()``, ``client.models.embeddings.list()`` and ``client.health()``, in both modes."""

from __future__ import annotations

from typing import Union

import httpx
import respx

from _both import resolve
from letta_client import AsyncLetta, Letta
from letta_client.testing import Simulator
from letta_client.types import EmbeddingModel, Model
from letta_client.types.health_response import HealthResponse

Client = Union[Letta, AsyncLetta]
LLM = {
    "handle": "openai/gpt-4o-mini",
    "name": "gpt-4o-mini",
    "provider_type": "openai",
    "model_endpoint_type": "openai",
    "model_type": "llm",
    "context_window": 128000,
    "temperature": 0.7,
    "field_from_the_future": {"x": 1},
}


async def test_models_list_sends_the_official_filters_and_keeps_unknown_fields(
    any_client: Client, mock_api: respx.MockRouter
) -> None:
    route = mock_api.get("/v1/models/").mock(return_value=httpx.Response(200, json=[LLM]))
    models = await resolve(any_client.models.list(provider_category=["base", "byok"], provider_name="openai"))
    query = route.calls.last.request.url.params
    assert query.get_list("provider_category") == ["base", "byok"] and query["provider_name"] == "openai"
    assert "provider_type" not in query
    (model,) = models
    assert isinstance(model, Model) and model.handle == "openai/gpt-4o-mini" and model.context_window == 128000
    assert model.api_model_endpoint_type == "openai" and model.api_model_type == "llm"  # the official names
    assert model.temperature == 0.7 and model.model_extra == {"field_from_the_future": {"x": 1}}


async def test_embeddings_list_and_health(any_client: Client, mock_api: respx.MockRouter) -> None:
    mock_api.get("/v1/models/embedding").mock(
        return_value=httpx.Response(200, json=[{"handle": "openai/e3", "name": "e3", "embedding_dim": 1536}])
    )
    mock_api.get("/v1/health/").mock(return_value=httpx.Response(200, json={"status": "ok", "version": "0.16.8"}))
    (embedding,) = await resolve(any_client.models.embeddings.list())
    assert isinstance(embedding, EmbeddingModel) and (embedding.handle, embedding.embedding_dim) == ("openai/e3", 1536)
    health = await resolve(any_client.health())
    assert isinstance(health, HealthResponse) and (health.status, health.version) == ("ok", "0.16.8")


async def test_the_simulator_lists_letta_free_first_like_a_real_server() -> None:
    sim = Simulator()
    for client in (sim.client(), sim.async_client()):
        handles = [model.handle for model in await resolve(client.models.list())]
        embeddings = [model.handle for model in await resolve(client.models.embeddings.list())]
        assert handles[0] == embeddings[0] == "letta/letta-free" and len(handles) == len(embeddings) == 2
        await resolve(client.close())
