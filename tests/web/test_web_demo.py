"""``python -m letta_client web``: safe as it ships (issue 27). It binds 127.0.0.1 unless told
otherwise and then warns; it serves only the conversations it created and those of its agent,
refusing any other conversation on the same server with 404 for every action, with nothing sent
to Letta but the one lookup of the conversation's agent."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from typing import Any, Dict, Iterator, List, Tuple

import httpx
import pytest
from _asgi_harness import about, chat_body, run_input

from letta_client import AsyncLetta
from letta_client.__main__ import main as package_main
from letta_client.testing import Reply, Simulator
from letta_client.web._demo import (
    APPROVAL_TOOL,
    DemoAuthorize,
    DemoServer,
    _is_loopback,  # pyright: ignore[reportPrivateUsage]
    demo_app,
    install_approval_tool,
    main,
    teach_simulator,
)

_SERVING = re.compile(r"^letta_client web: (http://(\S+):(\d+))/ ")


def _without_letta_env() -> Dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("LETTA_BASE_URL", "LETTA_API_KEY", "LETTA_AGENT_ID")}


@pytest.fixture
def command() -> Iterator[Any]:
    """Runs ``python -m letta_client web ARGS`` on the simulator; returns (process, first line);
    the process gets Ctrl-C at the end and must exit with 0."""
    started: List[subprocess.Popen[str]] = []

    def run(*args: str) -> Tuple[subprocess.Popen[str], str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "letta_client", "web", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_without_letta_env(),
        )
        started.append(process)
        assert process.stdout is not None
        return process, process.stdout.readline()

    yield run
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0, process.stderr.read() if process.stderr else ""


def test_it_binds_127_0_0_1_by_default_and_serves_the_page_and_the_api(command: Any) -> None:
    process, line = command("--port", "0")
    serving = _SERVING.match(line)
    assert serving is not None, line + (process.stderr.read() if process.poll() is not None else "")
    url, host = serving.group(1), serving.group(2)
    assert host == "127.0.0.1"
    assert "built-in simulator" in line and "letta-client-demo" in line and "asks for approval" in line
    with httpx.Client(base_url=url, trust_env=False) as http:
        page = http.get("/")
        assert page.status_code == 200 and "<title>Letta chat</title>" in page.text
        policy = page.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "connect-src 'self'" in policy and "'unsafe-inline'" not in policy
        created = http.post("/api/chats")
        assert created.status_code == 200 and created.json()["id"].startswith("conv-")
    process.send_signal(signal.SIGINT)
    assert process.wait(30) == 0
    assert process.stderr is not None and "warning" not in process.stderr.read()


def test_another_host_prints_the_warning(command: Any) -> None:
    process, line = command("--port", "0", "--host", "0.0.0.0")
    serving = _SERVING.match(line)
    assert serving is not None and serving.group(2) == "0.0.0.0", line
    process.send_signal(signal.SIGINT)
    assert process.wait(30) == 0
    assert process.stderr is not None
    warning = process.stderr.read()
    assert f"warning: listening on 0.0.0.0, not 127.0.0.1: everyone who can reach port {serving.group(3)}" in warning
    assert "can use the agent agent-" in warning


def test_ctrl_c_right_after_the_banner_is_a_clean_stop(command: Any) -> None:
    """The banner is printed once the server serves and handles Ctrl-C itself: a Ctrl-C at once
    stops the demo with 0 (it used to land before uvicorn took the signal over: a never-awaited
    coroutine, a broken event loop, or a wait). What uvicorn itself logs as it shuts down is its
    own (uvicorn 0.39 on Python 3.9 logs the lifespan task's cancellation, and the
    ``KeyboardInterrupt`` it raises again, on every Ctrl-C)."""
    for _ in range(3):
        process, line = command("--port", "0")
        assert _SERVING.match(line) is not None, line
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0
        assert process.stderr is not None
        stderr = process.stderr.read()
        assert "never awaited" not in stderr and "_closed" not in stderr, stderr


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("example.org", False),
    ],
)
def test_what_counts_as_this_machine_only(host: str, loopback: bool) -> None:
    assert _is_loopback(host) is loopback


def test_the_package_command_dispatches_web_and_lists_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert package_main(["--help"]) == 0
    assert "python -m letta_client web [--port 8000]" in capsys.readouterr().out
    with pytest.raises(SystemExit) as done:
        package_main(["web", "--help"])
    assert done.value.code == 0
    assert "--host" in capsys.readouterr().out


@pytest.mark.parametrize("port", ["70000", "-1", "http"])
def test_a_port_that_is_not_one_is_refused_by_the_parser(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["--port", port])
    assert refused.value.code == 2
    assert "is not a port (0 to 65535)" in capsys.readouterr().err


def test_a_port_in_use_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LETTA_BASE_URL", "LETTA_API_KEY", "LETTA_AGENT_ID"):
        monkeypatch.delenv(name, raising=False)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main(["--port", str(taken.getsockname()[1])]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot listen on 127.0.0.1:") and err.count("\n") == 1


def test_a_bad_base_url_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LETTA_BASE_URL", "letta.example:8283")
    monkeypatch.setenv("LETTA_API_KEY", "sk-let-demo-SECRET-42")
    assert main(["--port", "0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot use the client's settings") and "SECRET" not in err


# -- who may use which conversation ----------------------------------------------------------------


@pytest.fixture
def sim() -> Simulator:
    sim = Simulator()
    teach_simulator(sim)
    return sim


def _demo(sim: Simulator) -> Tuple[Any, str]:
    with sim.client() as client:
        agent_id = sim.create_agent("letta-client-demo")
        assert install_approval_tool(client, agent_id) is None
    return demo_app(sim.async_client(), agent_id=agent_id), agent_id


def _page(app: Any) -> httpx.AsyncClient:
    """The demo's own page: same origin (``Origin`` as a browser sends it on a POST)."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://127.0.0.1:8000",
        headers={"origin": "http://127.0.0.1:8000"},
    )


async def _every_action(http: httpx.AsyncClient, conversation_id: str) -> Dict[str, int]:
    event_id = {"last-event-id": "run-00000000-0000-4000-8000-000000000000:3"}
    answers = {
        "read": await http.get(f"/api/chats/{conversation_id}/messages"),
        "write": await http.post("/api/chat", json=chat_body(conversation_id, "hello")),
        "write (AG-UI)": await http.post("/api/agui", json=run_input(conversation_id, "hello")),
        "resume": await http.get(f"/api/chat/{conversation_id}/stream"),
        "resume (Last-Event-ID)": await http.get(f"/api/chat/{conversation_id}/stream", headers=event_id),
        "stop": await http.post(f"/api/chat/{conversation_id}/stop"),
    }
    for answer in answers.values():
        assert answer.text == "not found" or answer.status_code != 404
    return {action: answer.status_code for action, answer in answers.items()}


async def test_another_agents_conversation_is_not_found_for_every_action_and_nothing_reaches_letta(
    sim: Simulator,
) -> None:
    app, _ = _demo(sim)
    other_agent = sim.create_agent("someone-else")
    theirs = sim.create_conversation(other_agent)
    sim.script(other_agent, [Reply("their secret plans")])
    before = len(sim.requests)
    async with _page(app) as http:
        assert set((await _every_action(http, theirs)).values()) == {404}
        assert set((await _every_action(http, theirs)).values()) == {404}  # the verdict is remembered
    seen = about(sim.requests[before:], theirs)
    assert [(r.method, r.path) for r in seen] == [("GET", f"/v1/conversations/{theirs}")]  # the one lookup, once
    assert sim.runs_of(lambda run: run.conversation_id == theirs) == []
    assert [m["message_type"] for m in sim.conversation_history(theirs)] == ["system_message"]


async def test_an_id_that_does_not_exist_is_not_found_and_a_malformed_one_never_reaches_letta(sim: Simulator) -> None:
    app, _ = _demo(sim)
    missing = "conv-00000000-0000-4000-8000-0000000000ff"
    async with _page(app) as http:
        assert set((await _every_action(http, missing)).values()) == {404}
        before = len(sim.requests)
        for bad in ("conv-..%2F..%2Fagents", "..", "conv-1/../x"):
            answer = await http.get(f"/api/chats/{bad}/messages")
            assert answer.status_code in (400, 404), bad
    assert sim.requests[before:] == []


async def test_its_own_conversations_and_those_of_its_agent_are_served(sim: Simulator) -> None:
    app, agent_id = _demo(sim)
    made_elsewhere = sim.create_conversation(agent_id)  # e.g. by the terminal chat, or a former run
    async with _page(app) as http:
        created = await http.post("/api/chats")
        assert created.status_code == 200
        mine = created.json()["id"]
        for conversation_id in (mine, made_elsewhere):
            history = await http.get(f"/api/chats/{conversation_id}/messages")
            assert history.status_code == 200 and history.json() == []
            idle = await http.get(f"/api/chat/{conversation_id}/stream")
            assert idle.status_code == 204
    assert sum(1 for r in sim.requests if r.method == "GET" and r.path == f"/v1/conversations/{mine}") == 0
    assert sum(1 for r in sim.requests if r.method == "GET" and r.path == f"/v1/conversations/{made_elsewhere}") == 1


async def test_the_verdicts_it_remembers_are_bounded(sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    import letta_client.web._demo as demo

    monkeypatch.setattr(demo, "_CACHE_SIZE", 3)
    agent_id = sim.create_agent("letta-client-demo")
    authorize = DemoAuthorize(sim.async_client(), agent_id)
    conversations = [sim.create_conversation(agent_id) for _ in range(5)]
    for conversation_id in conversations:
        assert await authorize(None, conversation_id, "read") is True  # type: ignore[arg-type]
    assert list(authorize._verdicts) == conversations[-3:]  # pyright: ignore[reportPrivateUsage]
    await authorize.client.close()


def test_the_demo_server_stops_and_frees_its_port(sim: Simulator) -> None:
    app, _ = _demo(sim)
    server = DemoServer(app).start()
    assert server.host == "127.0.0.1"
    with httpx.Client(trust_env=False) as http:
        assert http.get(server.url + "/").status_code == 200
        assert http.get(server.url + "/favicon.ico").status_code == 204
    server.stop()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", server.port))


def test_the_approval_tool_leaves_a_tool_of_someone_else_alone(sim: Simulator) -> None:
    agent_id = sim.create_agent("letta-client-demo")
    with sim.client() as client:
        theirs = client.tools.list(name=APPROVAL_TOOL, limit=1).items[0]
        client.tools.update(theirs.id, tags=["someone-else"])
        refused = install_approval_tool(client, agent_id)
        assert refused is not None and "another tool named 'shout'" in refused
        assert client.agents.retrieve(agent_id).tool_rules == []
        client.tools.update(theirs.id, tags=["letta-client-demo"])
        assert install_approval_tool(client, agent_id) is None
        assert install_approval_tool(client, agent_id) is None  # twice: nothing added twice
        agent = client.agents.retrieve(agent_id, include=["agent.tools"])
        assert [tool.name for tool in agent.tools or []].count(APPROVAL_TOOL) == 1
        assert [(rule.type, rule.tool_name) for rule in agent.tool_rules or []] == [
            ("requires_approval", APPROVAL_TOOL)
        ]


async def test_the_app_closes_its_client_when_it_stops(sim: Simulator) -> None:
    client = AsyncLetta(base_url="http://letta.test", api_key="k")  # its own pool, which close() closes
    app = demo_app(client, agent_id=sim.default_agent_id)
    async with app.router.lifespan_context(app):
        assert not client._http_client.is_closed  # pyright: ignore[reportPrivateUsage]
    assert client._http_client.is_closed  # pyright: ignore[reportPrivateUsage]


def test_only_the_line_per_write_into_a_closed_connection_is_kept_quiet() -> None:
    import logging

    from letta_client.web._demo import _quiet_lost_writes  # pyright: ignore[reportPrivateUsage]

    def record(message: str) -> logging.LogRecord:
        return logging.LogRecord("asyncio", logging.WARNING, __file__, 1, message, None, None)

    assert _quiet_lost_writes(record("socket.send() raised exception.")) is False
    assert _quiet_lost_writes(record("Task exception was never retrieved")) is True
