"""Every ```python block of README.md and docs/*.md runs as written, and passes pyright strict.

A page's blocks run in order, against one simulator served on 127.0.0.1 with ``LETTA_BASE_URL``
pointing at it (and no other ``LETTA_*`` variable), so that a block can use what an earlier one of
its page made: the README's async "Getting started" finds the agent its sync block created. A block
with a top-level ``await`` runs as a notebook cell does. A block whose setup comment names faults
(``tests/_docs.py`` has the convention) runs once under each of them instead, on a fresh simulator:

* ``server-down``: nothing listens at ``LETTA_BASE_URL`` (the retry backoff is recorded, not slept);
* ``stream-cut``: the agent's next turn drops its connection after two frames; the run goes on;
* ``busy``: a turn of the agent is running in ``conversation_id`` when the block starts; it goes on
  once the block has been told the conversation is busy;
* ``no-redis``: the server has no Redis (no background runs, no conversation lock).

Each block must also close the client it opens (``with`` / ``async with``).
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable, ContextManager, Dict, Iterator, List, Optional, Tuple

import pytest

from _docs import GIVEN, PAGES, ROOT, Block, all_blocks, blocks, compiled, is_cell, run_block
from letta_client.testing import DEFAULT_AGENT_ID, Disconnect, Hold, Reply, Simulator, Think
from letta_client.testing._http import SimRequest, SimResponse

Values = Dict[str, str]
Setup = Callable[[], ContextManager[Tuple[str, Values]]]

BLOCKS = all_blocks()
PAGES_WITH_BLOCKS = [page for page in PAGES if blocks(page)]
CLOSES_ITS_CLIENT = re.compile(r"^\s*(with Letta\(|async with |with sim\.client\(\)|with .*\bLetta\()", re.M)


def page_id(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def run(block: Block, base_url: str, values: Values, monkeypatch: pytest.MonkeyPatch) -> str:
    return run_block(block, base_url, values, monkeypatch)[0]


# -- the faults -----------------------------------------------------------------------------------


def values_on(sim: Simulator) -> Values:
    return {"agent_id": sim.default_agent_id, "conversation_id": sim.create_conversation(sim.default_agent_id)}


@contextlib.contextmanager
def server_down() -> Iterator[Tuple[str, Values]]:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps: List[float] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(time, "sleep", sleeps.append)
        yield f"http://127.0.0.1:{port}", {"agent_id": DEFAULT_AGENT_ID, "conversation_id": "default"}
    assert sleeps, "the block never tried to connect"


@contextlib.contextmanager
def stream_cut() -> Iterator[Tuple[str, Values]]:
    sim = Simulator()
    sim.script(sim.default_agent_id, [Think("Let me think."), Reply("Here is the answer."), Disconnect(after_events=2)])
    with sim.serve() as base_url:
        yield base_url, values_on(sim)
    assert not sim.agents[sim.default_agent_id].scripts, "the block never started the turn that breaks off"


class BusySimulator(Simulator):
    """Answers a conversation send with 409 while ``held`` runs; lets it go on after that 409, and
    lets a later send through only once it has finished (the server's lock is released then)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.finished = threading.Event()

    def handle(self, request: SimRequest) -> SimResponse:
        sending = request.method == "POST" and re.fullmatch(r"/v1/conversations/[^/]+/messages/?", request.path)
        if sending and self.release.is_set():
            assert self.finished.wait(30), "the held turn never finished"
        response = super().handle(request)
        if sending and response.status == 409:
            self.release.set()
        return response


@contextlib.contextmanager
def busy() -> Iterator[Tuple[str, Values]]:
    sim = BusySimulator()
    values = values_on(sim)
    sim.script(sim.default_agent_id, [Hold(sim.release, timeout=30), Reply("The other turn's answer.")])
    with sim.client() as other:
        held = other.conversations.messages.send(values["conversation_id"], input="the other turn", yield_pings=True)
        next(held)  # its first ping: the turn is running and holds the lock
        run = sim.find_run(held.run_id or "")
        assert run is not None
        run.on_finish.append(sim.finished.set)
        with sim.serve() as base_url:
            yield base_url, values
        assert sim.release.is_set(), "the block never found the conversation busy"
        list(held)


@contextlib.contextmanager
def no_redis() -> Iterator[Tuple[str, Values]]:
    sim = Simulator(redis=False)
    with sim.serve() as base_url:
        yield base_url, values_on(sim)


FAULTS: Dict[str, Setup] = {"server-down": server_down, "stream-cut": stream_cut, "busy": busy, "no-redis": no_redis}


# -- the tests ------------------------------------------------------------------------------------


def test_the_convention_is_used_as_documented() -> None:
    assert BLOCKS, "no Python block found"
    for block in BLOCKS:
        assert set(block.faults) <= set(FAULTS), f"{block.name}: unknown fault in {block.faults}"
        compiled(block)
        if "client." in block.source:
            assert CLOSES_ITS_CLIENT.search(block.source), f"{block.name} should open its client with `with`"


@pytest.mark.parametrize("page", PAGES_WITH_BLOCKS, ids=page_id)
def test_the_blocks_of_a_page_run_in_order(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sim = Simulator()
    conversation: List[str] = []

    def given() -> Values:
        if not conversation:
            conversation.append(sim.create_conversation(sim.default_agent_id))
        return {"agent_id": sim.default_agent_id, "conversation_id": conversation[0]}

    with sim.serve() as base_url:
        for block in blocks(page):
            if not block.faults:
                run(block, base_url, given(), monkeypatch)
            for fault in block.faults:
                with FAULTS[fault]() as (fault_url, values):
                    run(block, fault_url, values, monkeypatch)


def pyright_file(block: Block) -> Tuple[str, int]:
    """The block as a module pyright can check, and how many lines were put above it."""
    header = [f"from _given import {', '.join(block.given)}"] if block.given else []
    body = block.source
    if is_cell(block):  # a notebook cell: top-level await is fine there, not in a module
        header.append("async def cell() -> None:")
        body = "".join(f"    {line}" if line.strip() else line for line in body.splitlines(keepends=True))
    return "\n".join([*header, body]), len(header)


def test_every_block_passes_pyright_strict(tmp_path: Path) -> None:
    pyright = shutil.which("pyright", path=str(Path(sys.executable).parent)) or shutil.which("pyright")
    if pyright is None:
        pytest.skip("pyright is not installed (it comes with the dev extra)")
    (tmp_path / "_given.py").write_text("".join(f'{name}: str = "{name}"\n' for name in GIVEN), encoding="utf-8")
    config = {"typeCheckingMode": "strict", "pythonVersion": "3.9", "include": ["."]}
    (tmp_path / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    files: Dict[str, Tuple[Block, int]] = {}
    for index, block in enumerate(BLOCKS):
        text, offset = pyright_file(block)
        name = f"block_{index:03d}.py"
        (tmp_path / name).write_text(text, encoding="utf-8")
        files[name] = (block, offset)
    result = subprocess.run(
        [pyright, "--outputjson", "--pythonpath", sys.executable, "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    report = json.loads(result.stdout)
    problems: List[str] = []
    for diagnostic in report["generalDiagnostics"]:
        if diagnostic["severity"] != "error":
            continue
        where: Optional[Tuple[Block, int]] = files.get(Path(diagnostic["file"]).name)
        line = diagnostic["range"]["start"]["line"]
        if where is None:
            problems.append(f"{diagnostic['file']}:{line + 1}: {diagnostic['message']}")
            continue
        block, offset = where
        problems.append(f"{block.page.name}:{block.line + line - offset}: {diagnostic['message']}")
    assert report["summary"]["filesAnalyzed"] >= len(BLOCKS)
    assert not problems, "\n".join(problems)
