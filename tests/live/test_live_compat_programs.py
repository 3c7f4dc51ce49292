"""The compatibility programs (``tests/compat/programs/``) run unchanged against the live server.

The same programs as ``tests/compat/test_compat_programs.py``, pointed at the real Letta server
through ``LETTA_BASE_URL``; they create their agents on the scripted model (``LETTA_MODEL``,
``LETTA_EMBEDDING``) and delete them. Skipped without a live server, failed under CI=true
(``live_url`` in ``conftest.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Dict

import pytest

PROGRAMS_DIR = Path(__file__).parents[1] / "compat" / "programs"
sys.path.insert(0, str(PROGRAMS_DIR))

from _run import PROGRAMS, run_program  # noqa: E402


@pytest.mark.parametrize("program", PROGRAMS, ids=[path.stem for path in PROGRAMS])
def test_program_runs_against_the_live_server(
    program: Path,
    live_url: str,
    agent_settings: Dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LETTA_BASE_URL", live_url)
    monkeypatch.delenv("LETTA_API_KEY", raising=False)
    monkeypatch.setenv("LETTA_MODEL", agent_settings["model"])
    monkeypatch.setenv("LETTA_EMBEDDING", agent_settings["embedding"])
    run_program(program)
    assert capsys.readouterr().out.strip(), "the program printed nothing"
