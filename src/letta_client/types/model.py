"""``letta_client.types.model``, the official SDK's module path: an LLM the server offers."""

from __future__ import annotations

from typing import Optional, Union

from pydantic import Field

from ._base import LettaModel
from .json_object_response_format import JsonObjectResponseFormat
from .json_schema_response_format import JsonSchemaResponseFormat
from .text_response_format import TextResponseFormat

__all__ = ["Model", "ResponseFormat"]

ResponseFormat = Union[TextResponseFormat, JsonSchemaResponseFormat, JsonObjectResponseFormat, None]
"""The response format of a model's settings (the official name)."""


class Model(LettaModel):
    """One entry of ``client.models.list()``. ``handle`` (``provider/model``) is what
    ``agents.create(model=...)`` takes. The fields this SDK reads are typed; every other field the
    server sends (temperature, reasoning settings...) is kept (``model_extra``)."""

    name: str
    handle: Optional[str] = None
    display_name: Optional[str] = None
    provider_type: Optional[str] = None
    provider_name: Optional[str] = None
    provider_category: Optional[str] = None
    context_window: Optional[int] = None
    max_context_window: Optional[int] = None
    max_tokens: Optional[int] = None
    model: Optional[str] = None
    api_model_endpoint_type: Optional[str] = Field(default=None, alias="model_endpoint_type")
    api_model_endpoint: Optional[str] = Field(default=None, alias="model_endpoint")
    api_model_type: Optional[str] = Field(default=None, alias="model_type")
