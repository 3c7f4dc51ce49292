"""Every method of the official SDK (letta-client 1.12.1) exists here under its official name, on
the sync and the async client and on both views, and takes every official parameter: the
positional ones in the official order, the rest as keywords. Every official type module imports
from ours with every public name it defines. Our extras are allowed.

``official_surface.json`` is generated from the official wheel by
``scripts/official_api.py --surface`` (see its docstring).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import sys
import typing
from pathlib import Path
from typing import Any, Dict, List, Set, Tuple

import pytest

from letta_client import AsyncLetta, Letta

SURFACE: Dict[str, Any] = json.loads((Path(__file__).parent / "official_surface.json").read_text(encoding="utf-8"))
METHODS: Dict[str, Dict[str, List[str]]] = SURFACE["methods"]
TYPES: Dict[str, List[str]] = SURFACE["types"]
# Deliberate differences, each with its reason.
POSITIONAL_NAMES = {
    # The official names the run id ``path_run_id`` (its body also has a ``run_id``, here
    # ``body_run_id`` as there); this SDK's resume API has called it ``run_id`` since 1.0, and
    # positional calls (the only ones seen in public code) are the same.
    "runs.messages.stream": ["run_id"],
}
CASES = [
    (mode, path, view) for path in sorted(METHODS) for mode in ("sync", "async") for view in ("", "raw", "streaming")
]


@functools.cache
def _client(mode: str) -> Any:
    """One client a mode for the whole module (nothing is sent)."""
    return (Letta if mode == "sync" else AsyncLetta)(base_url="http://127.0.0.1:9", api_key="test")


def _resolve(client: Any, path: str, view: str) -> Any:
    *parents, name = path.split(".")
    target = client
    for part in parents:
        target = getattr(target, part)
    if view:
        target = getattr(target, f"with_{view}_response")
    return getattr(target, name)


def _unpacked_keys(function: Any, parameter: inspect.Parameter) -> Set[str]:
    """The keys of ``**params: Unpack[SomeTypedDict]`` (a hand-written method's keywords)."""
    annotation = parameter.annotation
    method, function = function, inspect.unwrap(function)
    if isinstance(annotation, str):
        module = sys.modules[function.__module__]
        annotation = eval(annotation, vars(module))
    if annotation is Any:  # an overloaded method: the keywords of its typed overloads
        get_overloads = getattr(typing, "get_overloads", None)
        if get_overloads is None:
            pytest.skip("typing.get_overloads needs Python 3.11")
        keys: Set[str] = set()
        owner = inspect.unwrap(method, stop=lambda f: hasattr(f, "__self__")).__self__  # the resource
        for overload in get_overloads(getattr(type(owner), function.__name__)):
            keys |= _parameters(overload.__get__(owner))[1]
        return keys
    typed_dict = annotation.__args__[0]
    return set(typed_dict.__required_keys__ | typed_dict.__optional_keys__)


def _parameters(function: Any) -> Tuple[List[str], Set[str]]:
    """(positional parameter names in order, every name that can be passed as a keyword)."""
    signature = inspect.signature(inspect.unwrap(function))
    positional: List[str] = []
    keywords: Set[str] = set()
    for parameter in signature.parameters.values():
        if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            positional.append(parameter.name)
        if parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY):
            keywords.add(parameter.name)
        if parameter.kind is parameter.VAR_KEYWORD:
            keywords |= _unpacked_keys(function, parameter)
    return [name for name in positional if name != "self"], keywords


def test_the_surface_is_the_whole_official_api() -> None:
    assert len(METHODS) == 128
    assert len(TYPES) >= 275
    assert {"agents.blocks.update", "tools.upsert", "folders.files.upload", "runs.trace.retrieve"} <= set(METHODS)


@pytest.mark.parametrize(("mode", "path", "view"), CASES, ids=[f"{m}-{p}-{v or 'plain'}" for m, p, v in CASES])
def test_official_method_with_official_parameters(mode: str, path: str, view: str) -> None:
    method = _resolve(_client(mode), path, view)
    assert callable(method), f"{path} ({mode}, {view or 'plain'}) is not callable"
    positional, keywords = _parameters(method)
    official = METHODS[path]
    expected = POSITIONAL_NAMES.get(path, official["positional"])
    assert positional[: len(expected)] == expected, f"{path}: positional parameters {positional}, official {expected}"
    missing = set(official["keywords"]) - keywords - set(positional)
    assert not missing, f"{path} ({mode}) lacks the keyword parameters {sorted(missing)}"
    assert {"extra_headers", "extra_query", "extra_body", "timeout"} <= keywords


@pytest.mark.parametrize("module", sorted(TYPES))
def test_official_type_module_imports_with_every_public_name(module: str) -> None:
    imported = importlib.import_module(module)
    missing = [name for name in TYPES[module] if not hasattr(imported, name)]
    assert not missing, f"{module} lacks {missing}"
