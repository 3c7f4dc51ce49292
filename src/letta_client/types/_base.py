"""The base model of every response type, and the timestamp type the server writes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Dict, Optional

import pydantic
from pydantic import ConfigDict, PlainSerializer
from typing_extensions import Annotated, Literal

__all__ = ["BaseModel", "LettaModel", "Timestamp"]


class LettaModel(pydantic.BaseModel):
    """Keeps fields it does not know (``extra="allow"``): a newer server never breaks decoding.

    A model also reads like the JSON object it came from: ``model["key"]``, ``model.get("key")``
    and ``"key" in model`` take a field's name, its wire name (``model_settings`` for
    ``api_model_settings``) or a key only a newer server sends; and a field's wire name reads as
    an attribute too (``agent.model_settings``). ``to_dict()`` and ``to_json()`` give the object
    back with the wire names."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, protected_namespaces=())

    def __getitem__(self, key: str) -> Any:
        name = _field_name(type(self), key)
        if name is not None:
            try:
                return getattr(self, name)
            except AttributeError:  # a required field a lenient parse did not get
                raise KeyError(key) from None
        extra = self.__pydantic_extra__
        if extra is not None and key in extra:
            return extra[key]
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        """``model[key]``, or ``default`` when the object has no such key."""
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        name = _field_name(type(self), key)
        if name is not None:
            return name in self.__dict__
        extra = self.__pydantic_extra__
        return extra is not None and key in extra

    def to_dict(
        self,
        *,
        mode: Literal["json", "python"] = "python",
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> Dict[str, object]:
        """The object as a dict: by default with the wire names, and only the keys the server
        sent (``exclude_unset``); ``mode="json"`` gives JSON types (timestamps as strings)."""
        return self.model_dump(
            mode=mode,
            by_alias=use_api_names,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
            warnings=warnings,
        )

    def to_json(
        self,
        *,
        indent: Optional[int] = 2,
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> str:
        """The object as JSON text, with the same choices as ``to_dict`` (indented by 2; ``indent=None``
        for one line)."""
        return self.model_dump_json(
            indent=indent,
            by_alias=use_api_names,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
            warnings=warnings,
        )

    if not TYPE_CHECKING:  # invisible to type checkers, so that a misspelt attribute stays an error

        def __getattr__(self, name: str) -> Any:
            field = _wire_names(type(self)).get(name)
            if field is not None:
                return getattr(self, field)
            return super().__getattr__(name)


def _wire_names(model: type) -> Dict[str, str]:
    """wire name -> field name, for the fields whose wire name differs (``model_settings``)."""
    table: Optional[Dict[str, str]] = model.__dict__.get("_letta_wire_names")
    if table is None:
        fields: Dict[str, Any] = getattr(model, "model_fields", {})
        table = {field.alias: name for name, field in fields.items() if field.alias and field.alias != name}
        type.__setattr__(model, "_letta_wire_names", table)
    return table


def _field_name(model: type, key: str) -> Optional[str]:
    if key in getattr(model, "model_fields", {}):
        return key
    return _wire_names(model).get(key)


BaseModel = LettaModel
"""The official SDK's name for the base of its response models (``letta_client.BaseModel``)."""


# The server writes "2026-11-22T02:53:49+00:00"; pydantic would write "…Z". isoformat() round-trips it.
Timestamp = Annotated[datetime, PlainSerializer(datetime.isoformat, return_type=str, when_used="json")]
