"""Every module path and name the official SDK (letta-client 1.12.1) has for messages, runs,
conversations and agents imports from this SDK, and names a type with the official fields.

The list is generated from the official wheel by ``scripts/official_type_paths.py``.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
from pydantic import BaseModel

from letta_client.types.params import DataParam

OFFICIAL: Dict[str, Dict[str, Optional[List[str]]]] = json.loads(
    (Path(__file__).parent / "official_type_paths.json").read_text(encoding="utf-8")
)
NAMES: List[Tuple[str, str]] = [(module, name) for module, names in OFFICIAL.items() for name in names]


def _import(module: str, name: str) -> Any:
    return getattr(importlib.import_module(module), name)


def _fields(value: Any) -> Optional[set[str]]:
    """The wire field names of a model or a TypedDict; ``None`` for anything else."""
    if isinstance(value, type) and issubclass(value, BaseModel):
        return {field.alias or name for name, field in value.model_fields.items()} | set(value.model_fields)
    keys = getattr(value, "__required_keys__", None)
    if keys is not None:
        return set(keys) | set(value.__optional_keys__)
    return None


def test_the_list_covers_the_apis() -> None:
    assert len(NAMES) > 400
    for path in (
        "letta_client.types.agents.message",
        "letta_client.types.agents.letta_streaming_response",
        "letta_client.types.tool_return_message",
        "letta_client.types.runs",
        "letta_client.types.agent_state",
    ):
        assert path in OFFICIAL


@pytest.mark.parametrize(("module", "name"), NAMES, ids=[f"{m}.{n}" for m, n in NAMES])
def test_official_path_imports_and_has_the_official_fields(module: str, name: str) -> None:
    value = _import(module, name)
    official_fields = OFFICIAL[module][name]
    if official_fields is None or value is DataParam:
        return  # a union, a literal, or a parameter taken as data
    ours = _fields(value)
    assert ours is not None, f"{module}.{name} is {value!r}, not a model or TypedDict"
    missing = set(official_fields) - ours
    assert not missing, f"{module}.{name} lacks {sorted(missing)}"


def test_message_is_the_official_union() -> None:
    from letta_client.types.agents import Message, MessageCreateParam  # noqa: F401
    from letta_client.types.agents.letta_streaming_response import LettaPing, LettaStreamingResponse
    from letta_client.types.agents.message import Message as MessageFromModule
    from letta_client.types.messages import LettaMessageUnion

    assert Message is MessageFromModule is LettaMessageUnion
    assert LettaPing.model_fields["message_type"] is not None
    assert LettaStreamingResponse is not None
