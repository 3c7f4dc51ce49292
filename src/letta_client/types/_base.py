"""The base model of every response type, and the timestamp type the server writes."""

from __future__ import annotations

from datetime import datetime

import pydantic
from pydantic import ConfigDict, PlainSerializer
from typing_extensions import Annotated

__all__ = ["BaseModel", "DataObject", "LettaModel", "Timestamp"]


class LettaModel(pydantic.BaseModel):
    """Keeps fields it does not know (``extra="allow"``): a newer server never breaks decoding."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, protected_namespaces=())


BaseModel = LettaModel
"""The official SDK's name for the base of its response models (``letta_client.BaseModel``)."""


# The server writes "2026-11-22T02:53:49+00:00"; pydantic would write "…Z". isoformat() round-trips it.
Timestamp = Annotated[datetime, PlainSerializer(datetime.isoformat, return_type=str, when_used="json")]


class DataObject(LettaModel):
    """A JSON object this SDK keeps as data rather than modelling field by field (an agent's LLM
    config, memory, tool rules, model settings...): every field the server sent is kept and
    readable as an attribute (``obj.model``) or through ``model_dump()``."""
