"""``GET /v1/models/`` and ``GET /v1/models/embedding``: the models the simulator offers, and the
checks a Letta 0.16.8 server makes on a model or embedding handle.

The simulator plays a server with Letta's free model and an OpenAI provider configured: it lists
``letta/letta-free`` first (as a real server does; it needs the internet, so a program choosing a
model on its own should skip it), then ``openai/gpt-4o-mini`` (and ``openai/text-embedding-3-small``
for embeddings), the handles most code written for Letta hard-codes. Any other handle is answered
as the server answers it: creating or updating an agent with it is a 404 (``NOT_FOUND: Handle …
not found``), an embedding a 400, a malformed handle (not ``provider/model-name``) a 400 or 422,
and a send whose conversation model or ``override_model`` is unknown a 404.
"""

from __future__ import annotations

from typing import Any, Callable, List, Mapping, Optional, Tuple

from . import _wire as wire
from ._http import SimRequest, SimResponse, json_response
from ._wire import Json

__all__ = [
    "EMBEDDING",
    "EMBEDDING_HANDLES",
    "MODEL",
    "MODEL_HANDLES",
    "ROUTES",
    "agent_create_error",
    "agent_update_error",
    "handle_format_error",
    "unknown_model",
]

MODEL = "openai/gpt-4o-mini"
"""The model the simulator's agents run on when none is given (and the first it lists after
``letta/letta-free``)."""
EMBEDDING = "openai/text-embedding-3-small"
MODEL_HANDLES: Tuple[str, ...] = ("letta/letta-free", MODEL)
"""The LLM handles the simulator lists and accepts, in the order it lists them."""
EMBEDDING_HANDLES: Tuple[str, ...] = ("letta/letta-free", EMBEDDING)
"""The embedding handles the simulator lists and accepts, in the order it lists them."""

_ENDPOINTS = {"letta": "https://inference.letta.com/v1/"}
_SIMULATED_ENDPOINT = "http://simulated/v1"
_BAD_FORMAT = "The {kind} handle should be in the format provider/model-name"


def _entry(handle: str, model_type: str) -> Json:
    provider, name = handle.split("/", 1)
    endpoint = _ENDPOINTS.get(provider, _SIMULATED_ENDPOINT)
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


def list_models(host: object, request: SimRequest) -> SimResponse:
    return json_response(200, [_entry(handle, "llm") for handle in MODEL_HANDLES])


def list_embeddings(host: object, request: SimRequest) -> SimResponse:
    return json_response(200, [_entry(handle, "embedding") for handle in EMBEDDING_HANDLES])


def _well_formed(handle: str) -> bool:
    provider, _, name = handle.partition("/")
    return bool(provider and name)


def handle_format_error(value: Any) -> Optional[SimResponse]:
    """The 400 of a model handle that is not ``provider/model-name`` (an agent's create, a
    conversation's create or update), or ``None``."""
    if isinstance(value, str) and value and not _well_formed(value):
        return json_response(400, {"detail": "INVALID_ARGUMENT: " + _BAD_FORMAT.format(kind="model")})
    return None


def unknown_model(value: Any) -> Optional[SimResponse]:
    """The 404 of an LLM handle the simulator does not list, or ``None`` (``None`` and anything
    but a string, such as a model settings object, pass)."""
    if isinstance(value, str) and value not in MODEL_HANDLES:
        # the server names no alternatives here: its list is always empty
        return json_response(404, {"detail": f"NOT_FOUND: Handle {value} not found, must be one of []"})
    return None


def _unknown_embedding(value: Any) -> Optional[SimResponse]:
    if isinstance(value, str) and value not in EMBEDDING_HANDLES:
        return json_response(400, {"detail": f"INVALID_ARGUMENT: Embedding model {value} not found"})
    return None


def _embedding_format_error(value: Any) -> Optional[SimResponse]:
    if not (isinstance(value, str) and value) or _well_formed(value):
        return None
    message = _BAD_FORMAT.format(kind="embedding")
    error: Json = {
        "type": "value_error",
        "loc": ("body", "embedding"),
        "msg": f"Value error, {message}",
        "input": value,
        "ctx": {"error": ValueError(message)},
    }
    return json_response(422, wire.validation_error([error]))


def agent_create_error(body: Mapping[str, Any]) -> Optional[SimResponse]:
    """What ``POST /v1/agents/`` answers for the body's ``model`` and ``embedding``, in the
    server's order (the body's checks, then the handles' lookups), or ``None`` when they are
    fine. No model at all passes: the simulator plays a server with a default model."""
    model, embedding = body.get("model"), body.get("embedding")
    return (
        handle_format_error(model)
        or _embedding_format_error(embedding)
        or unknown_model(model)
        or _unknown_embedding(embedding)
    )


def agent_update_error(body: Mapping[str, Any]) -> Optional[SimResponse]:
    """What ``PATCH /v1/agents/{id}`` answers for the body's ``model`` and ``embedding`` (an
    update checks no format: a malformed handle is simply not found), or ``None``."""
    return unknown_model(body.get("model")) or _unknown_embedding(body.get("embedding"))


ROUTES: List[Tuple[str, Mapping[str, Callable[..., SimResponse]]]] = [
    (r"^/v1/models$", {"GET": list_models}),
    (r"^/v1/models/embedding$", {"GET": list_embeddings}),
]
