"""The compatibility programs (``tests/compat/programs/``) run unchanged against the simulator.

Each program is code a user of the official SDK would write, in its README's and docs' idioms,
and asserts what it relies on. Here the simulator listens on a real socket on 127.0.0.1
(``Simulator.serve()``, with an API key it checks) and the program is pointed at it through
``LETTA_BASE_URL`` / ``LETTA_API_KEY``, exactly as a user's environment points it at a server;
its ``main()`` then runs in this process. ``tests/live/test_live_compat_programs.py`` runs the
same programs against a real Letta server.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from letta_client.testing import Simulator

PROGRAMS_DIR = Path(__file__).parent / "programs"
sys.path.insert(0, str(PROGRAMS_DIR))

from _run import PROGRAMS, run_program  # noqa: E402

API_KEY = "sk-compat-programs"


def test_the_programs_are_there() -> None:
    assert len(PROGRAMS) >= 8


@pytest.mark.parametrize("program", PROGRAMS, ids=[path.stem for path in PROGRAMS])
def test_program_runs_against_the_simulator(
    program: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sim = Simulator(api_key=API_KEY)
    with sim.serve() as base_url:
        monkeypatch.setenv("LETTA_BASE_URL", base_url)
        monkeypatch.setenv("LETTA_API_KEY", API_KEY)
        run_program(program)
    assert capsys.readouterr().out.strip(), "the program printed nothing"
    assert sim.requests, "the program sent nothing to the simulator"
