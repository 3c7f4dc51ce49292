"""List the official SDK's public type module paths and names for the APIs this SDK covers.

Usage (the official wheel is never a dependency; download it into a scratch directory first):

    pip download --no-deps letta-client==1.12.1 -d SCRATCH
    python scripts/official_type_paths.py SCRATCH/letta_client-1.12.1-py3-none-any.whl > tests/compat/official_type_paths.json
    python scripts/official_type_paths.py --top-level SCRATCH/letta_client-1.12.1-py3-none-any.whl > tests/compat/official_top_level.json

``--top-level`` lists the names the official ``letta_client`` package itself exports instead (its
``__all__`` and its explicit ``import X as X`` re-exports).

It reads the wheel's source with ``ast`` (nothing is imported or installed). The modules listed
are every module the official resources for agents (create/retrieve/list/update/delete),
agent messages, runs and conversations import from ``letta_client.types``, plus the modules
those import in turn, except that the configuration models under an agent or a conversation
(LLM config, model and compaction settings, tools, tool rules, memory blocks...) are not
followed: this SDK keeps them as plain data.

The output maps each module to its names (a module's ``__all__``; a package's re-exports from
listed modules), and each name to the field names (wire names) of the official class, or
``null`` when it is not a class (a union, a literal) or is a package re-export.
"""

from __future__ import annotations

import ast
import json
import sys
import zipfile
from typing import Dict, List, Optional, Set

# The official resource modules whose types this SDK mirrors.
RESOURCES = [
    "letta_client/resources/agents/agents.py",
    "letta_client/resources/agents/messages.py",
    "letta_client/resources/runs/runs.py",
    "letta_client/resources/runs/messages.py",
    "letta_client/resources/runs/steps.py",
    "letta_client/resources/runs/usage.py",
    "letta_client/resources/runs/trace.py",
    "letta_client/resources/conversations/conversations.py",
    "letta_client/resources/conversations/messages.py",
]
# Of ``resources/agents/agents.py`` only the CRUD methods are covered.
AGENT_TYPES = {"agent_create_params", "agent_list_params", "agent_retrieve_params", "agent_update_params"}
AGENT_ROOTS = {"letta_client.types.agent_state", "letta_client.types.agent_type"} | {
    f"letta_client.types.{name}" for name in AGENT_TYPES
}
# Imports of these modules are not followed (agent configuration kept as data).
NOT_FOLLOWED = {
    f"letta_client.types.{name}"
    for name in [
        "agent_state",
        "agent_create_params",
        "agent_update_params",
        "conversation",
        "conversation_create_params",
        "conversation_update_params",
        "conversation_recompile_params",
        "agents.message_compact_params",
        "conversations.message_compact_params",
    ]
}
PACKAGES = ["letta_client.types.agents", "letta_client.types.runs", "letta_client.types.conversations"]


def _module_of(path: str) -> str:
    return path[: -len(".py")].replace("/", ".").removesuffix(".__init__")


def _path_of(module: str, files: Set[str]) -> str:
    base = module.replace(".", "/")
    return base + ".py" if base + ".py" in files else base + "/__init__.py"


def _resolve(current: str, is_package: bool, level: int, target: str) -> str:
    parts = current.split(".")
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: -(level - 1)]
    return ".".join([*parts, target] if target else parts)


def _type_imports(module: str, source: str, files: Set[str]) -> Set[str]:
    """The ``letta_client.types`` modules ``module`` imports (a package import names its modules)."""
    found: Set[str] = set()
    is_package = _path_of(module, files).endswith("__init__.py")
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom) or node.level == 0:
            continue
        base = _resolve(module, is_package, node.level, node.module or "")
        for alias in node.names:
            candidate = f"{base}.{alias.name}"
            if _path_of(candidate, files) in files and candidate.startswith("letta_client.types"):
                found.add(candidate)
            elif base.startswith("letta_client.types") and _path_of(base, files) in files:
                found.add(base)
    return found


def _field_name(statement: ast.AnnAssign) -> str:
    """The wire name of a field: its ``alias=`` (pydantic ``Field`` or ``PropertyInfo``) if any."""
    for node in ast.walk(statement):
        if isinstance(node, ast.keyword) and node.arg == "alias" and isinstance(node.value, ast.Constant):
            return str(node.value.value)
    return statement.target.id  # type: ignore[union-attr]


def _class_fields(source: str) -> Dict[str, List[str]]:
    """Each class's field names, with those of the classes it extends in the same module."""
    classes = {node.name: node for node in ast.parse(source).body if isinstance(node, ast.ClassDef)}

    def fields(name: str) -> List[str]:
        node = classes[name]
        inherited = [
            f for base in node.bases if isinstance(base, ast.Name) and base.id in classes for f in fields(base.id)
        ]
        own = [_field_name(s) for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]
        return sorted(set(inherited + own))

    return {name: fields(name) for name in classes}


def _all_names(source: str) -> List[str]:
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return [ast.literal_eval(elt) for elt in node.value.elts]  # type: ignore[attr-defined]
    return []


def _reexports(module: str, source: str, listed: Set[str]) -> List[str]:
    names = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and f"{module}.{node.module}" in listed:
            names += [alias.asname or alias.name for alias in node.names]
    return sorted(names)


def collect(wheel: str) -> Dict[str, Dict[str, Optional[List[str]]]]:
    with zipfile.ZipFile(wheel) as archive:
        sources = {name: archive.read(name).decode() for name in archive.namelist() if name.endswith(".py")}
    files = set(sources)
    todo: List[str] = []
    for resource in RESOURCES:
        module = _module_of(resource)
        imported = _type_imports(module, sources[resource], files)
        if resource.endswith("agents/agents.py"):
            imported = {m for m in imported if m in AGENT_ROOTS or m.startswith("letta_client.types.agents.message")}
        todo += sorted(imported)
    seen: Set[str] = set()
    while todo:
        module = todo.pop()
        if module in seen or module in PACKAGES or module == "letta_client.types":
            continue
        seen.add(module)
        if module not in NOT_FOLLOWED:
            todo += sorted(_type_imports(module, sources[_path_of(module, files)], files))
    listed: Dict[str, Dict[str, Optional[List[str]]]] = {}
    for module in sorted(seen):
        source = sources[_path_of(module, files)]
        fields = _class_fields(source)
        listed[module] = {name: fields.get(name) for name in _all_names(source)}
    for package in [*PACKAGES, "letta_client.types"]:
        names = _reexports(package, sources[_path_of(package, files)], set(listed))
        listed[package] = {name: None for name in names}
    return dict(sorted(listed.items()))


def top_level(wheel: str) -> List[str]:
    """The public names of the official ``letta_client`` package."""
    with zipfile.ZipFile(wheel) as archive:
        source = archive.read("letta_client/__init__.py").decode()
    names = set(_all_names(source))
    for node in ast.parse(source).body:
        if isinstance(node, ast.ImportFrom):
            names.update(alias.name for alias in node.names if alias.asname == alias.name)
    return sorted(names)


def main() -> None:
    arguments = sys.argv[1:]
    if arguments[:1] == ["--top-level"] and len(arguments) == 2:
        result: object = top_level(arguments[1])
    elif len(arguments) == 1:
        result = collect(arguments[0])
    else:
        raise SystemExit(__doc__)
    json.dump(result, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
