"""The documentation's pages and their Python blocks, as the docs tests read them.

A block is a fenced ```` ```python ```` block of ``README.md`` or ``docs/*.md``. An HTML comment on
the line right above it sets it up for the snippet runner (``tests/test_docs_snippets.py``)::

    <!-- snippet: given=agent_id fault=server-down,stream-cut prints="the answer:" -->

* ``given=NAME,…``  names the block uses without defining them, each a ``str`` the runner provides:
  ``agent_id`` (an agent on the server), ``conversation_id`` (a conversation of that agent);
* ``fault=FAULT,…`` run the block under each of these failures (each time on a fresh simulator)
  instead of once as it is: ``server-down``, ``stream-cut``, ``busy``, ``no-redis`` (see
  ``FAULTS`` in the runner);
* ``prints=TEXT``   what the block's output must contain, in every run.

A block without the comment runs as it is. ``docs/development.md`` explains the same to writers.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import dataclasses
import inspect
import io
import re
import shlex
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES: List[Path] = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
GIVEN = ("agent_id", "conversation_id")
SETUP = re.compile(r"^<!--\s*snippet:(.*?)-->\s*$")


@dataclasses.dataclass(frozen=True)
class Block:
    page: Path
    line: int  # the line of the block's first code line, 1-based
    source: str
    given: Tuple[str, ...] = ()
    faults: Tuple[str, ...] = ()
    prints: str = ""

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(ROOT).as_posix()}:{self.line}"


def parse_setup(text: str) -> Dict[str, str]:
    """``key=value`` pairs (values may be quoted) of a ``<!-- snippet: … -->`` comment."""
    pairs: Dict[str, str] = {}
    for item in shlex.split(text):
        key, sep, value = item.partition("=")
        if not sep or key not in ("given", "fault", "prints"):
            raise ValueError(f"unknown snippet setting {item!r} (given=, fault=, prints=)")
        pairs[key] = value
    return pairs


def blocks(page: Path) -> List[Block]:
    lines = page.read_text(encoding="utf-8").splitlines()
    found: List[Block] = []
    index = 0
    while index < len(lines):
        if lines[index].strip() != "```python":
            index += 1
            continue
        end = lines.index("```", index + 1)
        setup = SETUP.match(lines[index - 1].strip()) if index else None
        pairs = parse_setup(setup.group(1)) if setup else {}
        given = tuple(filter(None, pairs.get("given", "").split(",")))
        unknown = set(given) - set(GIVEN)
        if unknown:
            raise ValueError(f"{page.name}:{index + 1}: given= names {sorted(unknown)}; the runner gives {GIVEN}")
        found.append(
            Block(
                page=page,
                line=index + 2,
                source="\n".join(lines[index + 1 : end]) + "\n",
                given=given,
                faults=tuple(filter(None, pairs.get("fault", "").split(","))),
                prints=pairs.get("prints", ""),
            )
        )
        index = end + 1
    return found


def all_blocks() -> List[Block]:
    return [block for page in PAGES for block in blocks(page)]


def compiled(block: Block) -> Any:
    return compile(block.source, block.name, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)


def is_cell(block: Block) -> bool:
    """A block with a top-level ``await`` (a notebook cell)."""
    return bool(compiled(block).co_flags & inspect.CO_COROUTINE)


def run_block(
    block: Block, base_url: str, values: Dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Tuple[str, Dict[str, Any]]:
    """Run the block as written with ``LETTA_BASE_URL=base_url``: what it printed, and its names."""
    monkeypatch.setenv("LETTA_BASE_URL", base_url)
    namespace: Dict[str, Any] = {"__name__": "__snippet__", **{name: values[name] for name in block.given}}
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            if is_cell(block):
                asyncio.run(eval(compiled(block), namespace))
            else:
                exec(compiled(block), namespace)
    except BaseException as error:
        raise AssertionError(f"{block.name} raised {error!r}; it printed:\n{printed.getvalue()}") from error
    output = printed.getvalue()
    assert block.prints in output, f"{block.name} should print {block.prints!r}; it printed:\n{output}"
    return output, namespace
