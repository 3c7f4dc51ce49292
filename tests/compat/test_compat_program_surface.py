"""The compatibility programs use only the official SDK's surface, so they prove drop-in use.

Every ``letta_client`` import in a program (``import letta_client...``, ``from letta_client...
import name``) and every ``letta_client.NAME`` it reads must exist in letta-client 1.12.1: the
package's own names (``official_top_level.json``) or a module path and name of its types
(``official_type_paths.json``). Both lists are generated from the official wheel by
``scripts/official_type_paths.py``. Nor may a program call a method, read an attribute or pass
an argument that only this SDK has (``send``, ``text_stream``, ``yield_pings=``...).
``python -m benchmarks.official_compat_programs`` runs the programs with the official SDK itself.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Dict, List, Optional, Set

import pytest

HERE = Path(__file__).parent
PROGRAMS = sorted(path for path in (HERE / "programs").glob("*.py") if not path.name.startswith("_"))
TOP_LEVEL: Set[str] = set(json.loads((HERE / "official_top_level.json").read_text(encoding="utf-8")))
TYPE_PATHS: Dict[str, Dict[str, Optional[List[str]]]] = json.loads(
    (HERE / "official_type_paths.json").read_text(encoding="utf-8")
)
for _module, _entry in json.loads((HERE.parents[1] / "scripts" / "api.json").read_text(encoding="utf-8"))[
    "types"
].items():  # every other official type module, from the description the generator reads
    _names = TYPE_PATHS.setdefault(_module, {})
    for _name in [item["name"] for item in _entry["names"]] + list(_entry["imports"]):
        _names.setdefault(_name, None)


# Methods, attributes and arguments of this SDK that the official one does not have.
OURS_ONLY = {
    "send",
    "wait",
    "run_tools",
    "resolve_pending_approvals",
    "text_stream",
    "get_final_response",
    "until_done",
    "reconnects",
    "last_seq_id",
    "partial_response",
    "yield_pings",
    "resume",
    "max_resume_attempts",
    "on_reconnect",
}


# ``letta_client.pagination`` of the official wheel: its page classes, ``PageInfo`` and bases.
PAGINATION = {
    "SyncArrayPage",
    "AsyncArrayPage",
    "SyncObjectPage",
    "AsyncObjectPage",
    "SyncNextFilesPage",
    "AsyncNextFilesPage",
    "PageInfo",
    "BasePage",
    "BaseSyncPage",
    "BaseAsyncPage",
}


def _official(module: str, name: Optional[str]) -> bool:
    """Whether ``module`` (and ``name`` in it, when given) exists in the official SDK."""
    if module == "letta_client":
        return name is None or name in TOP_LEVEL
    if module == "letta_client.pagination":
        return name is None or name in PAGINATION
    if module not in TYPE_PATHS:
        return False
    # a name may also be a submodule (``from letta_client.types import agents``)
    return name is None or name in TYPE_PATHS[module] or f"{module}.{name}" in TYPE_PATHS


def uses(source: str) -> List[str]:
    """The ``letta_client`` modules and names a program uses that are not official."""
    tree = ast.parse(source)
    aliases: Set[str] = set()  # local names bound to the ``letta_client`` package itself
    wrong: List[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "letta_client":
                    if not _official(alias.name, None):
                        wrong.append(alias.name)
                    if alias.name == "letta_client":
                        aliases.add(alias.asname or alias.name)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] == "letta_client":
                wrong += [f"{node.module}.{a.name}" for a in node.names if not _official(node.module, a.name)]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            if not _official("letta_client", node.attr):
                wrong.append(f"letta_client.{node.attr}")
        elif isinstance(node, ast.Attribute) and node.attr in OURS_ONLY:
            wrong.append(f".{node.attr}")
        elif isinstance(node, ast.keyword) and node.arg in OURS_ONLY:
            wrong.append(f"{node.arg}=")
    return wrong


def test_the_check_finds_what_is_not_official() -> None:
    source = (
        "import letta_client\n"
        "from letta_client import Letta, ResumeError\n"
        "from letta_client.types.agents import AssistantMessage, MessageCreateParam\n"
        "from letta_client.testing import Simulator\n"
        "letta_client.NotFoundError, letta_client.IncompleteStreamError\n"
        "client.agents.messages.send(agent_id='a', streaming=True, yield_pings=False).text_stream\n"
    )
    assert sorted(uses(source)) == sorted(
        [
            "letta_client.ResumeError",
            "letta_client.types.agents.MessageCreateParam",
            "letta_client.testing.Simulator",
            "letta_client.IncompleteStreamError",
            ".send",
            ".text_stream",
            "yield_pings=",
        ]
    )


@pytest.mark.parametrize("program", PROGRAMS, ids=[path.stem for path in PROGRAMS])
def test_program_uses_only_the_official_surface(program: Path) -> None:
    source = program.read_text(encoding="utf-8")
    assert "letta_client" in source
    assert uses(source) == [], f"{program.name} uses names the official SDK does not have"
