"""The terminal chat against the real server with nothing but ``LETTA_BASE_URL`` set: it finds or
creates the demo agent ``letta-client-demo`` and streams the turn; a second run reuses the agent.
And examples/client_tools.py with a model that answers without calling the tool."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from letta_client import Letta
from letta_client._demo_agent import DEMO_AGENT_NAME

ROOT = Path(__file__).resolve().parents[2]


def chat(live_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``python -m letta_client chat`` with only ``LETTA_BASE_URL`` among the Letta settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LETTA_")}
    env.update(LETTA_BASE_URL=live_url, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "letta_client", "chat", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )


@pytest.fixture
def client(live_url):
    c = Letta(base_url=live_url, timeout=120)
    yield c
    c.close()


def demo_agent_ids(client) -> list[str]:
    return [agent.id for agent in client.agents.list(name=DEMO_AGENT_NAME)]


def banner(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_the_chat_streams_a_turn_with_only_the_base_url(live_url, client, unique):
    result = chat(live_url, stdin=f"Hello {unique}\n")  # interactive: one message, then EOF
    assert result.returncode == 0, result.stderr
    line = banner(result)
    assert line.startswith(f"server: {live_url} (Letta ")
    (agent_id,) = demo_agent_ids(client)
    assert f"agent: {DEMO_AGENT_NAME} ({agent_id}" in line and " · conversation: conv-" in line
    assert f"Echo: Hello {unique}" in result.stdout  # the fake model's answer, streamed
    assert client.agents.retrieve(agent_id).model == "openai-proxy/fake-gpt"  # never letta/letta-free


def test_the_demo_agent_is_created_once_and_reused(live_url, client, unique):
    for agent_id in demo_agent_ids(client):  # start from a bare server: the first run must create it
        client.agents.delete(agent_id)
    first = chat(live_url, f"first {unique}")
    second = chat(live_url, "--no-tokens", f"second {unique}")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    (agent_id,) = demo_agent_ids(client)  # one agent of that name, not two
    assert f"({agent_id}, created now with model openai-proxy/fake-gpt)" in banner(first)
    assert f"agent: {DEMO_AGENT_NAME} ({agent_id}) · " in banner(second)
    assert f"Echo: first {unique}" in first.stdout and f"Echo: second {unique}" in second.stdout


def test_client_tools_example_reports_a_model_that_does_not_call_the_tool(live_url, agent_id, unique):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LETTA_")}
    env.update(PYTHONPATH=str(ROOT / "src"), LETTA_BASE_URL=live_url, LETTA_AGENT_ID=agent_id)
    env["LETTA_INPUT"] = f"no tools here {unique}"  # the fake model echoes: it calls no tool
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "client_tools.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "the agent answered without calling a tool" in result.stdout
    assert f"assistant: Echo: no tools here {unique}" in result.stdout and result.stdout.rstrip().endswith("OK")
