"""Decodes one JSON payload into the member of ``LettaStreamingResponse`` it names.

The fast path hands the payload's bytes to one compiled validator that picks the model by
``message_type`` (no ``str``, no intermediate ``dict``, no Python per field). Anything else (a
type this SDK does not know, an invalid payload, invalid UTF-8) takes the slow path: decode the
text with replacement, parse the JSON, then dispatch on the top-level key; it either returns the
event (an ``UnknownMessage`` for an unknown type) or raises the precise error.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, Type, Union, cast

from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from typing_extensions import Annotated

from ._exceptions import APIResponseValidationError
from .types.messages import (
    EVENT_MODELS,
    MESSAGE_MODELS,
    LettaStreamingResponse,
    UnknownMessage,
)

__all__ = ["MESSAGES", "decode_event", "decode_object", "decode_text", "validate_known"]

MODELS: Dict[str, Type[BaseModel]] = dict(EVENT_MODELS)

# The known types as a union tagged by the ``message_type`` key: pydantic-core picks the model
# by a lookup while it parses, with no Python in between. Any other value fails, and the slow
# path decides (an unknown type becomes an ``UnknownMessage``). The adapter's compiled validator
# is called directly: ``TypeAdapter.validate_json`` is a Python wrapper that costs about a
# quarter of the validation itself on a small event.
validate_known: Callable[[bytes], Any] = TypeAdapter(
    Annotated[Union[tuple(MODELS.values())], Field(discriminator="message_type")]  # type: ignore[arg-type]
).validator.validate_json


MESSAGES = tuple(MESSAGE_MODELS.values())
"""The message types: what a stream delivers once and merges into its final response."""


def decode_event(data: bytes) -> LettaStreamingResponse:
    """Decode a ``data:`` payload (UTF-8). Raises ``APIResponseValidationError`` (with the raw
    text) when it is not JSON, not an object, or not a valid instance of the type it names."""
    try:
        return validate_known(data)  # type: ignore[no-any-return]
    except ValidationError:
        return decode_text(data.decode("utf-8", "replace"))


def decode_text(data: str) -> LettaStreamingResponse:
    """``decode_event`` for a payload that is text already (the slow path)."""
    try:
        payload = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise APIResponseValidationError(f"Stream event is not valid JSON: {error}", raw=data) from None
    if not isinstance(payload, dict):
        raise APIResponseValidationError("Stream event is not a JSON object", raw=data)
    return decode_object(cast(Dict[str, Any], payload), data)


def decode_object(payload: Dict[str, Any], raw: str) -> LettaStreamingResponse:
    kind = payload.get("message_type")
    model = MODELS.get(kind) if isinstance(kind, str) else None
    try:
        if model is None:
            return UnknownMessage.model_validate(payload)
        return cast(LettaStreamingResponse, model.model_validate(payload))
    except (ValidationError, RecursionError) as error:
        raise APIResponseValidationError(f"Stream event does not match its type {kind!r}: {error}", raw=raw) from None
