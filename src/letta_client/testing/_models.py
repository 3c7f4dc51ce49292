"""``GET /v1/models/`` and ``GET /v1/models/embedding``: what a bare Letta server offers to build
an agent with. As on a real server, ``letta/letta-free`` comes first; it needs the internet, so a
program choosing a model on its own should skip it."""

from __future__ import annotations

from typing import Callable, List, Mapping, Tuple

from ._http import SimRequest, SimResponse, json_response
from ._wire import Json

__all__ = ["EMBEDDING", "MODEL", "ROUTES"]

MODEL = "simulated/sim-model"
EMBEDDING = "simulated/sim-embedding"


def _entry(handle: str, endpoint: str, model_type: str) -> Json:
    provider, name = handle.split("/", 1)
    common: Json = {
        "handle": handle,
        "name": name,
        "display_name": name,
        "provider_type": "openai",
        "provider_name": provider,
        "model_type": model_type,
    }
    if model_type == "llm":
        return {
            **common,
            "provider_category": "base",
            "model": name,
            "model_endpoint_type": "openai",
            "model_endpoint": endpoint,
            "context_window": 30000,
            "max_context_window": 30000,
        }
    return {
        **common,
        "embedding_model": name,
        "embedding_endpoint_type": "openai",
        "embedding_endpoint": endpoint,
        "embedding_dim": 1536,
    }


def _offered(own: str) -> List[Tuple[str, str]]:
    return [("letta/letta-free", "https://inference.letta.com/v1/"), (own, "http://simulated/v1")]


def list_models(host: object, request: SimRequest) -> SimResponse:
    return json_response(200, [_entry(handle, endpoint, "llm") for handle, endpoint in _offered(MODEL)])


def list_embeddings(host: object, request: SimRequest) -> SimResponse:
    return json_response(200, [_entry(handle, endpoint, "embedding") for handle, endpoint in _offered(EMBEDDING)])


ROUTES: List[Tuple[str, Mapping[str, Callable[..., SimResponse]]]] = [
    (r"^/v1/models$", {"GET": list_models}),
    (r"^/v1/models/embedding$", {"GET": list_embeddings}),
]
