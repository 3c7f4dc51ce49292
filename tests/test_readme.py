"""README.md: a landing page that stays short; its two commands are the ones that exist (the test
command is exactly what CI runs); "Getting started" runs as written, twice, and its async cell
closes its client; the distribution it tells people to install is ours, and it tells the truth
about sharing an environment with the official SDK. (Every block of every page also runs in
``tests/test_docs_snippets.py``.)"""

from __future__ import annotations

import os
import re
from typing import List

import pytest

from _docs import ROOT, blocks, run_block
from letta_client import __version__
from letta_client._coexistence import MERGED_PREFIX, merged_message
from letta_client._transport import USER_AGENT
from letta_client.testing import Simulator

README_PATH = ROOT / "README.md"
README = README_PATH.read_text(encoding="utf-8")
DISTRIBUTION = "letta-client-typed"


def commands() -> List[str]:
    """The commands of the README's first shell block: the two that set everything up."""
    block = re.search(r"```bash\n(.*?)```", README, re.S)
    assert block is not None
    return [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_the_readme_is_a_landing_page() -> None:
    assert len(README.splitlines()) <= 280  # 250, plus the browser section the web issue asks for
    top = README[: README.index("\n## Installation\n")]
    assert "drop-in" in top and "api.md" in top


def test_its_two_commands_exist_and_ci_runs_exactly_the_test_command() -> None:
    demo, test = commands()
    assert (demo, test) == ("scripts/demo", "scripts/test")
    for command in (demo, test):
        assert os.access(ROOT / command, os.X_OK), command
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert ci[-1] == test  # after installing, CI runs the README's test command and nothing else


def test_getting_started_runs_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    sync_block, async_block = blocks(README_PATH)[:2]
    assert "## Getting started" in README[: README.index(sync_block.source)]
    sim = Simulator()
    with sim.serve() as base_url:
        outputs = [run_block(sync_block, base_url, {}, monkeypatch)[0] for _ in range(2)]
        printed, namespace = run_block(async_block, base_url, {}, monkeypatch)  # as a notebook cell
    with sim.client() as client:
        agents = [agent for agent in client.agents.list() if agent.name == "my-first-agent"]
        handles = [model.handle for model in client.models.list()]
    assert len(agents) == 1 and agents[0].model in handles  # created once, found the second time
    for output in outputs:
        assert "echo: Hello! What's my name?" in output and "echo: Tell me a joke\n" in output
        assert "end_turn" in output
    assert "echo: And another one" in printed
    assert namespace["client"]._http_client.is_closed  # the async with closed it


def test_the_readme_installs_our_distribution_and_says_what_sharing_does() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(rf'^name = "{DISTRIBUTION}"$', pyproject, re.M)
    # an extra that names the package itself must use our name, or pip would fetch the official SDK
    assert not re.search(r"letta-client\[", pyproject + README)
    top = README[: README.index("\n## Getting started\n")]
    assert f"pip install {DISTRIBUTION}" in top and "`letta` server" in top
    shared = top[top.index("<!-- coexistence -->") : top.index("<!-- /coexistence -->")]
    assert "merges" in shared and "whichever was installed last" not in README
    uninstall = f"-m pip uninstall -y letta-client {DISTRIBUTION}"
    assert f"python {uninstall}" in shared and uninstall in merged_message("letta_client")  # what the warning says
    assert "MixedInstallWarning" in shared and MERGED_PREFIX in shared
    assert USER_AGENT == f"letta-client/{__version__}"  # the server's streaming gate needs this, whatever the name
