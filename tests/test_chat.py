"""The terminal chat: one-shot runs, exit codes, and an interactive session in a pseudo-terminal."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
from typing import Iterator, Optional, Tuple

import pytest

from _chat_helpers import ROOT, TIMEOUT, Terminal, chat, chat_env
from letta_client._demo_agent import DEMO_AGENT_NAME, pick_handle
from letta_client.testing import DEFAULT_AGENT_ID, Hold, Reply, Simulator, Think
from letta_client.testing._models import MODEL as SIM_MODEL

COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def test_one_shot_against_the_simulator() -> None:
    result = chat("What's the weather in Paris?")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("thinking: ")
    assert lines[1] == '→ get_weather({"city":"Paris"})'
    assert lines[2].startswith("← ") and "sunny" in lines[2]
    assert lines[3] == "It is sunny and 21°C in Paris."
    assert "simulator" in result.stderr and len(result.stderr.splitlines()) == 1
    assert "\x1b[" not in result.stdout  # not a terminal: no colours


def test_one_shot_without_tokens() -> None:
    result = chat("--no-tokens", "hello", "there")
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1] == "echo: hello there"


def test_letta_chat_entry_point_is_the_same_program() -> None:
    from letta_client._chat import main

    assert callable(main)
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from letta_client._chat import main; sys.exit(main(['hi']))"],
        env=chat_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0 and "echo: hi" in result.stdout


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_server_exits_2() -> None:
    result = chat("hi", LETTA_BASE_URL=f"http://127.0.0.1:{_closed_port()}", LETTA_AGENT_ID=DEFAULT_AGENT_ID)
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot reach the Letta server") and "Traceback" not in result.stderr


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> Tuple[int, str, str]:
    """``letta_client._chat.main`` in this process (the environment set by the test)."""
    from letta_client._chat import main

    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def on_server(served: Tuple[Simulator, str], monkeypatch: pytest.MonkeyPatch) -> Tuple[Simulator, str]:
    """``served`` (a simulator on a loopback port), with ``LETTA_BASE_URL`` pointing at it."""
    monkeypatch.setenv("LETTA_BASE_URL", served[1])
    return served


def demo_agents(sim: Simulator) -> list:
    return [agent for agent in sim.client().agents.list() if agent.name == DEMO_AGENT_NAME]


def test_a_bare_server_gets_a_demo_agent_created_once_and_reused(
    capsys: pytest.CaptureFixture[str], on_server: Tuple[Simulator, str]
) -> None:
    sim, base_url = on_server
    first = run_main(capsys, "hi")
    second = run_main(capsys, "--no-tokens", "again")
    assert first[0] == 0 and first[1].splitlines()[-1] == "echo: hi"
    agents = demo_agents(sim)
    assert len(agents) == 1 and agents[0].model == SIM_MODEL  # never letta/letta-free, listed first
    banner = first[2].splitlines()
    assert len(banner) == 1
    assert banner[0].startswith(f"server: {base_url} (Letta ")
    assert f"agent: {DEMO_AGENT_NAME} ({agents[0].id}, created now with model {SIM_MODEL})" in banner[0]
    assert " · conversation: conv-" in banner[0]
    assert second[0] == 0 and second[1].splitlines()[-1] == "echo: again"
    assert f"agent: {DEMO_AGENT_NAME} ({agents[0].id}) · " in second[2]  # the same agent, not created again
    assert second[2].split("conversation: ")[1] != first[2].split("conversation: ")[1]  # a new conversation


def test_the_demo_agent_takes_the_model_and_embedding_from_the_environment(
    capsys: pytest.CaptureFixture[str], on_server: Tuple[Simulator, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # handles the server lists that the chat would never pick by itself
    monkeypatch.setenv("LETTA_MODEL", "letta/letta-free")
    monkeypatch.setenv("LETTA_EMBEDDING", "letta/letta-free")
    code, _, err = run_main(capsys, "hi")
    (agent,) = demo_agents(on_server[0])
    assert code == 0 and "created now with model letta/letta-free" in err
    assert (agent.model, agent.embedding) == ("letta/letta-free", "letta/letta-free")


def test_a_model_the_server_does_not_have_is_one_line_with_the_servers_answer(
    capsys: pytest.CaptureFixture[str], on_server: Tuple[Simulator, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LETTA_MODEL", "anthropic/claude-nowhere")
    code, out, err = run_main(capsys, "hi")
    assert code == 1 and out == "" and len(err.splitlines()) == 1
    assert err.startswith(f"error: cannot find or create the demo agent {DEMO_AGENT_NAME!r}: Error code: 404")
    assert "Handle anthropic/claude-nowhere not found" in err
    assert demo_agents(on_server[0]) == []


def test_an_explicit_agent_is_used_and_no_demo_agent_is_made(
    capsys: pytest.CaptureFixture[str], on_server: Tuple[Simulator, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LETTA_AGENT_ID", DEFAULT_AGENT_ID)
    code, out, err = run_main(capsys, "hi")
    assert code == 0 and f"agent: default ({DEFAULT_AGENT_ID}) · " in err and out.endswith("echo: hi\n")
    assert demo_agents(on_server[0]) == []


def test_a_continued_conversation_names_its_agent(
    capsys: pytest.CaptureFixture[str], on_server: Tuple[Simulator, str]
) -> None:
    conversation = on_server[0].client().conversations.create(agent_id=DEFAULT_AGENT_ID).id
    code, out, err = run_main(capsys, "--conversation", conversation, "hi")
    assert code == 0 and err.endswith(f"agent: default ({DEFAULT_AGENT_ID}) · conversation: {conversation}\n")
    assert out.endswith("echo: hi\n")


@pytest.mark.parametrize(
    ("handles", "picked"),
    [
        (["letta/letta-free", "openai/gpt-4o-mini", "anthropic/claude"], "openai/gpt-4o-mini"),
        ([None, "", "ollama/llama3"], "ollama/llama3"),
        (["letta/letta-free"], None),
        ([], None),
    ],
)
def test_the_model_picked_never_needs_the_internet(handles: list, picked: Optional[str]) -> None:
    assert pick_handle(handles) == picked


def test_a_base_url_ending_in_v1_is_refused_before_the_prompt_with_the_fix(
    capsys: pytest.CaptureFixture[str], on_server: Tuple[Simulator, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LETTA_BASE_URL", on_server[1] + "/v1")
    code, out, err = run_main(capsys, "hi")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "Remove the trailing /v1" in err


def test_unknown_agent_exits_4() -> None:
    result = chat("--agent", "agent-00000000-0000-4000-8000-00000000beef", "hi")
    assert result.returncode == 4 and "not found" in result.stderr
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1  # checked before the first prompt


def test_bad_api_key_exits_3() -> None:
    sim = Simulator(api_key="right")
    with sim.serve() as base_url:
        result = chat("hi", LETTA_BASE_URL=base_url, LETTA_AGENT_ID=DEFAULT_AGENT_ID, LETTA_API_KEY="wrong")
        ok = chat("hi", LETTA_BASE_URL=base_url, LETTA_AGENT_ID=DEFAULT_AGENT_ID, LETTA_API_KEY="right")
    assert result.returncode == 3 and "401" in result.stderr
    assert ok.returncode == 0 and "echo: hi" in ok.stdout


# -- an interactive session in a pseudo-terminal ---------------------------------------------


@pytest.fixture
def served() -> Iterator[Tuple[Simulator, str]]:
    sim = Simulator()
    with sim.serve() as base_url:
        yield sim, base_url


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
# The forked child only calls execve, so the fork-with-threads warning (3.12+) does not apply.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_interactive_session_streams_and_survives_ctrl_c(served: Tuple[Simulator, str]) -> None:
    sim, base_url = served
    release = threading.Event()
    terminal: Optional[Terminal] = Terminal(chat_env(LETTA_BASE_URL=base_url, LETTA_AGENT_ID=DEFAULT_AGENT_ID))
    try:
        terminal.expect("you> ")
        terminal.send("What's the weather in Oslo?\n")
        turn = terminal.expect("you> ")
        assert "thinking: " in turn and "\x1b[2m" in turn  # reasoning, dimmed on a terminal
        assert "→ get_weather(" in turn and "← " in turn
        assert "It is sunny and 21°C in Oslo." in turn

        sim.script(DEFAULT_AGENT_ID, [Think("slow"), Reply("part one"), Hold(release), Reply("never shown")])
        terminal.send("take your time\n")
        terminal.expect("part one")
        terminal.send("\x03")  # Ctrl-C, through the terminal's line discipline: SIGINT
        after = terminal.expect("you> ")
        assert "(interrupted)" in after and "Traceback" not in after and "never shown" not in after

        terminal.send("hello again\n")
        assert "echo: hello again" in terminal.expect("you> ")
        terminal.send("exit\n")
        assert terminal.wait() == 0
        terminal = None
        cancels = [r.path for r in sim.requests if r.path.endswith("/cancel")]
        assert len(cancels) == 1 and cancels[0].startswith("/v1/conversations/conv-")  # the conversation's run
        cancelled = sim.runs_of(lambda run: run.status == "cancelled")
        assert len(cancelled) == 1 and cancelled[0].conversation_id == cancels[0].split("/")[3]
    finally:
        release.set()
        if terminal is not None:
            terminal.kill()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_ctrl_d_leaves_and_no_color_is_respected() -> None:
    terminal = Terminal(chat_env(NO_COLOR="1"))
    try:
        terminal.expect("you> ")
        terminal.send("hi\n")
        turn = terminal.expect("you> ")
        assert "echo: hi" in turn and not COLOUR.search(turn)  # (readline's own sequences may be there)
        terminal.send("\x04")  # Ctrl-D at the prompt
        assert terminal.wait() == 0
    except BaseException:
        terminal.kill()
        raise


def _conversation_of(stderr: str) -> str:
    return stderr.strip().splitlines()[0].rsplit("conversation: ", 1)[1]


def test_each_start_opens_a_conversation_and_can_continue_one(served: Tuple[Simulator, str]) -> None:
    sim, base_url = served
    env = {"LETTA_BASE_URL": base_url, "LETTA_AGENT_ID": DEFAULT_AGENT_ID}
    first = chat("first", **env)
    other = chat("other", **env)
    assert first.returncode == 0 and other.returncode == 0, first.stderr
    conversation = _conversation_of(first.stderr)
    assert conversation.startswith("conv-") and _conversation_of(other.stderr) != conversation
    again = chat("--conversation", conversation, "second", **env)
    assert again.returncode == 0 and _conversation_of(again.stderr) == conversation
    users = [m["content"] for m in sim.conversation_history(conversation) if m["message_type"] == "user_message"]
    assert users == ["first", "second"]
    assert chat("--conversation", "conv-00000000-0000-4000-8000-000000000000", "x", **env).returncode == 4


def test_a_chat_waits_for_the_turn_another_chat_runs_in_its_conversation(served: Tuple[Simulator, str]) -> None:
    sim, base_url = served
    conversation = sim.create_conversation(DEFAULT_AGENT_ID)
    release = threading.Event()
    sim.script(DEFAULT_AGENT_ID, [Reply("the other chat's answer"), Hold(release, timeout=TIMEOUT)])
    with sim.client() as client:
        other = client.conversations.messages.send(conversation, input="other chat", yield_pings=True)
        next(other)
        process = subprocess.Popen(
            [sys.executable, "-m", "letta_client", "chat", "--conversation", conversation, "mine"],
            env=chat_env(LETTA_BASE_URL=base_url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        try:
            assert process.stdout is not None
            notice = process.stdout.readline()
            assert notice, process.communicate(timeout=TIMEOUT)
            assert "another turn is running" in notice and str(other.run_id) in notice
            release.set()
            out, _ = process.communicate(timeout=TIMEOUT)
        finally:
            release.set()
            if process.poll() is None:
                process.kill()
        list(other)
    assert process.returncode == 0
    lines = out.splitlines()
    assert lines[0] == "the other chat's answer" and lines[-1] == "echo: mine" and len(lines) == 3
    users = [m["content"] for m in sim.conversation_history(conversation) if m["message_type"] == "user_message"]
    assert users == ["other chat", "mine"]
