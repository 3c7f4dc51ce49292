"""Every file in examples/ runs against the simulator, exits 0 and prints what it promises."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))

# Markers each example must print; an example without an entry only has to exit 0.
EXPECTED: Dict[str, List[str]] = {
    "quickstart.py": ["[tool_call_message]", "assistant: It is sunny and 21°C in Paris.", "stop_reason: end_turn"],
    "async_streaming.py": ["tool call: get_weather(", "tool return:", "assistant: It is sunny", "run: run-"],
    "token_streaming.py": ["final: echo: Tell me something nice", "stop_reason: end_turn", "'assistant_message'"],
    "client_tools.py": ["agent calls local_time(", "['weather map of Paris:', '<image>']", "rounds=2", "OK"],
    "conversations.py": [
        "assistant: Hello!",
        "non-streaming: Noted.",
        "busy: run run-",
        "followed: That took",
        "deleted: retrieve gives 404",
    ],
    "exactly_once.py": [
        "recovering: attempt 1",
        "assistant: I got your message exactly once.",
        "recoveries: 1",
        "holds the message 1 time(s)",
    ],
    "error_handling.py": ["404 not found: Agent with ID", "422 unprocessable: 422", "still fine: echo: ping"],
}


def test_examples_exist() -> None:
    assert {path.name for path in EXAMPLES} >= set(EXPECTED)


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.name for path in EXAMPLES])
def test_example_runs_against_the_simulator(path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LETTA_")}
    env["PYTHONPATH"] = str(ROOT / "src")
    result = subprocess.run([sys.executable, str(path)], env=env, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for marker in EXPECTED.get(path.name, []):
        assert marker in result.stdout, f"{path.name} did not print {marker!r}:\n{result.stdout}"


def test_client_tools_reports_an_agent_that_answers_without_calling_a_tool() -> None:
    from letta_client.testing import DEFAULT_AGENT_ID, Simulator

    env = {k: v for k, v in os.environ.items() if not k.startswith("LETTA_")}
    with Simulator().serve() as base_url:  # its agent echoes a plain message: no tool call
        env.update(PYTHONPATH=str(ROOT / "src"), LETTA_BASE_URL=base_url, LETTA_AGENT_ID=DEFAULT_AGENT_ID)
        env["LETTA_INPUT"] = "hello"
        result = subprocess.run(
            [sys.executable, str(ROOT / "examples" / "client_tools.py")],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
    assert result.returncode == 0, result.stderr
    assert "the agent answered without calling a tool" in result.stdout and "rounds=1" in result.stdout
    assert result.stdout.rstrip().endswith("OK")
