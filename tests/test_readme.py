"""README.md: its Python snippets compile and manage the client with ``with``; "Getting started"
runs against the simulator as written; the distribution name it tells people to install is ours."""

from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path
from typing import Any, Dict, List

import pytest

from letta_client import __version__
from letta_client._transport import USER_AGENT
from letta_client.testing import Simulator

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SNIPPETS: List[str] = re.findall(r"```python\n(.*?)```", README, re.S)
DISTRIBUTION = "letta-client-typed"


def compiled(source: str) -> Any:
    return compile(source, "README.md", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)


def section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    return README[start : README.index("\n## ", start + 1)]


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[f"snippet{i}" for i in range(len(SNIPPETS))])
def test_every_snippet_compiles_and_closes_its_client(snippet: str) -> None:
    compiled(snippet)
    if "client." in snippet:
        assert re.search(r"^\s*(with Letta\(|async with AsyncLetta\(|with sim\.client\(\))", snippet, re.M), snippet


async def test_getting_started_runs_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    sync_snippet, async_snippet = re.findall(r"```python\n(.*?)```", section("Getting started"), re.S)
    sim = Simulator()
    with sim.serve() as base_url:
        monkeypatch.setenv("LETTA_BASE_URL", base_url)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            for _ in range(2):  # the second run finds the agent the first one created
                exec(compiled(sync_snippet), {})
            namespace: Dict[str, Any] = {}
            result = eval(compiled(async_snippet), namespace)  # top-level await: a coroutine, as in a notebook
            await result
    agents = [agent for agent in sim.client().agents.list() if agent.name == "my-first-agent"]
    assert len(agents) == 1 and agents[0].model == "openai/gpt-4o-mini"
    text = printed.getvalue()
    assert text.count("echo: Hello! What's my name?") == 2 and text.count("echo: Tell me a joke\n") == 2
    assert "echo: And another one" in text and "end_turn" in text
    assert namespace["client"]._http_client.is_closed  # the async with closed it


def test_the_readme_installs_our_distribution_and_says_what_it_replaces() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(rf'^name = "{DISTRIBUTION}"$', pyproject, re.M)
    # an extra that names the package itself must use our name, or pip would fetch the official SDK
    assert not re.search(r"letta-client\[", pyproject + README)
    top = README[: README.index("\n## Getting started\n")]
    assert f"pip install {DISTRIBUTION}" in top and "replaces" in top and "`letta` server" in top
    assert USER_AGENT == f"letta-client/{__version__}"  # the server's streaming gate needs this, whatever the name
