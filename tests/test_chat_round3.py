"""The terminal chat connects where ``Letta()`` does, says so in one line, refuses a base URL
without a scheme in one line, and edits its prompt with ``readline``."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from typing import Dict, Iterator, List, Optional, Tuple
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _chat_helpers import ROOT, TIMEOUT, Terminal, chat, chat_env
from letta_client import Letta
from letta_client._client import ENVIRONMENTS
from letta_client.testing import DEFAULT_AGENT_ID, Simulator

SIMULATOR_BANNER = "server: built-in simulator (neither LETTA_BASE_URL nor LETTA_API_KEY is set) · "


def run_main(*args: str) -> Tuple[int, str, str]:
    """``letta_client._chat.main`` in this process (the environment set by the test)."""
    from letta_client._chat import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def cloud(monkeypatch: pytest.MonkeyPatch) -> Iterator[Tuple[Simulator, str]]:
    """A simulator on a loopback port that wants an API key, standing in for Letta Cloud: the
    URL ``Letta()`` uses without ``LETTA_BASE_URL`` points at it (no request leaves the machine)."""
    sim = Simulator(api_key="cloud-key")
    with sim.serve() as base_url:
        monkeypatch.setitem(ENVIRONMENTS, "cloud", base_url)
        yield sim, base_url


# -- where it connects ----------------------------------------------------------------------


def test_only_an_api_key_connects_where_letta_does(
    cloud: Tuple[Simulator, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sim, base_url = cloud
    monkeypatch.setenv("LETTA_API_KEY", "cloud-key")
    monkeypatch.setenv("LETTA_AGENT_ID", DEFAULT_AGENT_ID)
    with Letta() as client:
        expected = str(client.base_url)
    assert expected == base_url  # what Letta() does with this environment
    code, out, err = run_main("hi")
    assert code == 0, err
    assert out.endswith("echo: hi\n")
    (banner,) = err.splitlines()
    assert banner.startswith(f"server: {expected} (Letta 0.16.8, Letta Cloud: LETTA_API_KEY is set, ")
    sent = [r for r in sim.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert len(sent) == 1  # the turn went to that server, with the key (it answers 401 without)


def test_a_wrong_key_for_cloud_is_the_401_line_not_the_simulator(
    cloud: Tuple[Simulator, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LETTA_API_KEY", "not-the-key")
    code, out, err = run_main("hi")
    assert code == 3 and out == "" and len(err.splitlines()) == 1 and "401" in err
    assert "not-the-key" not in err


@pytest.mark.parametrize(
    "environment",
    [{}, {"LETTA_API_KEY": ""}, {"LETTA_API_KEY": "  \n"}, {"LETTA_BASE_URL": ""}],
    ids=["nothing", "empty key", "blank key", "empty base url"],
)
def test_without_a_base_url_or_a_key_it_is_the_simulator(
    environment: Dict[str, str], cloud: Tuple[Simulator, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Letta() would call Letta Cloud without a key here (every request a 401): the chat does not
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    code, out, err = run_main("hi")
    assert code == 0 and out.endswith("echo: hi\n")
    assert err.startswith(SIMULATOR_BANNER) and len(err.splitlines()) == 1
    assert cloud[0].requests == []


def test_a_base_url_wins_over_cloud_and_says_where_it_comes_from(
    cloud: Tuple[Simulator, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    own = Simulator()
    with own.serve() as base_url:
        monkeypatch.setenv("LETTA_BASE_URL", base_url)
        monkeypatch.setenv("LETTA_API_KEY", "cloud-key")  # sent to LETTA_BASE_URL, as Letta() does
        monkeypatch.setenv("LETTA_AGENT_ID", DEFAULT_AGENT_ID)
        code, _, err = run_main("hi")
    assert code == 0 and err.startswith(f"server: {base_url} (Letta 0.16.8, from LETTA_BASE_URL) · ")
    assert cloud[0].requests == [] and own.requests[0].headers.get("authorization") == "Bearer cloud-key"


# -- a base URL that Letta() refuses --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("localhost:8283", "e.g. http://localhost:8283"),
        ("127.0.0.1:8283", "e.g. http://localhost:8283"),
        ("http://[::1", "LETTA_BASE_URL is not a valid URL"),
    ],
)
def test_a_base_url_letta_refuses_is_one_line_without_a_traceback(value: str, hint: str) -> None:
    result = chat("hi", LETTA_BASE_URL=value)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: cannot use the client's settings: ") and hint in line
    assert "Traceback" not in result.stderr


@settings(max_examples=60, deadline=None)
@given(value=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1))
def test_any_base_url_without_an_authority_is_one_line_and_exit_2(value: str) -> None:
    if "//" in value:
        return  # a URL with a host could be reached
    with mock.patch.dict(os.environ, {"LETTA_BASE_URL": value}):
        os.environ.pop("LETTA_API_KEY", None)
        code, out, err = run_main("hi")
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and err.startswith("error: ")


def test_a_bad_key_is_one_line_that_does_not_show_it() -> None:
    result = chat("hi", LETTA_API_KEY="secret\x01part")
    assert result.returncode == 2 and "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert "secret" not in result.stderr and "LETTA_API_KEY" in result.stderr


# -- the prompt -----------------------------------------------------------------------------


def _interactive(code: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        input=stdin,
        env=chat_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=ROOT,
    )


_RUN = (
    "import sys\n{before}\nfrom letta_client._chat import main\ncode = main({args})\nprint('readline' in sys.modules)\n"
)


def test_the_prompt_loads_readline_and_a_one_shot_run_does_not() -> None:
    interactive = _interactive(_RUN.format(before="", args="[]"), "hi\n")
    one_shot = _interactive(_RUN.format(before="", args="['hi']"), "")
    assert interactive.returncode == 0 and interactive.stdout.splitlines()[-1] == "True"
    assert "echo: hi" in interactive.stdout
    assert one_shot.returncode == 0 and one_shot.stdout.splitlines()[-1] == "False"


def test_the_prompt_works_without_readline() -> None:
    no_readline = "sys.modules['readline'] = None  # as on a Python built without it"
    result = _interactive(_RUN.format(before=no_readline, args="[]"), "hi\nexit\n")
    assert result.returncode == 0 and "echo: hi" in result.stdout and "Traceback" not in result.stderr


@pytest.fixture
def served() -> Iterator[Tuple[Simulator, str]]:
    sim = Simulator()
    with sim.serve() as base_url:
        yield sim, base_url


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_the_prompt_has_history_and_line_editing(served: Tuple[Simulator, str]) -> None:
    sim, base_url = served
    env = chat_env(LETTA_BASE_URL=base_url, LETTA_AGENT_ID=DEFAULT_AGENT_ID, TERM="xterm", INPUTRC=os.devnull)
    terminal: Optional[Terminal] = Terminal(env)
    try:
        terminal.expect("you> ")
        terminal.send("first words\n")
        terminal.expect("echo: first words")
        terminal.expect("you> ")
        terminal.send("\x1b[A\n")  # arrow up: the line before, sent again
        terminal.expect("echo: first words")
        terminal.expect("you> ")
        terminal.send("helo\x1b[Dl\n")  # arrow left, then an insertion
        terminal.expect("echo: hello")
        terminal.expect("you> ")
        terminal.send("exit\n")
        assert terminal.wait() == 0
        terminal = None
    finally:
        if terminal is not None:
            terminal.kill()
    users: List[str] = [
        str(m["content"])
        for conversation in sim.conversations.conversations.values()
        for m in sim.conversation_history(conversation.id)
        if m["message_type"] == "user_message"
    ]
    assert users == ["first words", "first words", "hello"]
