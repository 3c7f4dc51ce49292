"""Arguments the official SDK accepts, and bad arguments told in one clear line.

* header values: a space inside is legal HTTP and sent as it is (``api_key="My API Key"``); the
  whitespace around a value (a key read from a file, with its newline) is removed; a CR, LF, other
  control or non-ASCII character inside is a ``ValueError`` naming the argument, never showing
  the value, before anything is sent. One rule for every header value the SDK sends from the
  caller: ``api_key`` (and ``$LETTA_API_KEY``), ``project``, ``project_id``, ``default_headers``,
  ``extra_headers``, the endpoints' header arguments; sync and async;
* an empty path parameter (``""`` or ``None``) is the official SDK's ``ValueError``, "Expected a
  non-empty value for `agent_id` but received ''", for every path parameter of every endpoint;
* a wrong argument is one line per problem: the parameter, what was given, what is accepted,
  without pydantic's internal names;
* ``client_tools`` takes the tool objects ``@tool`` makes, sent as their ``to_param()``.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple, Union

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from letta_client import AsyncLetta, Letta
from letta_client.tools import tool

AGENT = "agent-00000000-0000-4000-8000-000000000000"
BASE = "http://letta.test"
MODES = ["sync", "async"]
OK_TURN: Dict[str, Any] = {"messages": [], "stop_reason": {"stop_reason": "end_turn"}, "usage": {}}
API = json.loads((Path(__file__).parents[1] / "scripts" / "api.json").read_text(encoding="utf-8"))["endpoints"]


class Recorder:
    """A MockTransport handler that records every request and answers a finished turn."""

    def __init__(self) -> None:
        self.requests: List[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json=OK_TURN)


def _client(mode: str, recorder: Recorder, **options: Any) -> Union[Letta, AsyncLetta]:
    options = {"base_url": BASE, "max_retries": 0, **options}
    if mode == "sync":
        return Letta(http_client=httpx.Client(transport=httpx.MockTransport(recorder)), **options)
    return AsyncLetta(http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder)), **options)


def _run(value: Any) -> Any:
    return asyncio.run(value) if inspect.isawaitable(value) else value  # pyright: ignore[reportUnknownArgumentType]


# -- header values -----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_a_key_with_a_space_is_sent_as_it_is(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = Recorder()
    _run(_client(mode, recorder, api_key="My API Key").agents.messages.send(AGENT, input="hi"))
    monkeypatch.setenv("LETTA_API_KEY", "My Env Key")
    _run(_client(mode, recorder).agents.messages.send(AGENT, input="hi"))
    assert [r.headers["authorization"] for r in recorder.requests] == ["Bearer My API Key", "Bearer My Env Key"]


@pytest.mark.parametrize("mode", MODES)
def test_every_header_value_from_the_caller_keeps_its_spaces_and_loses_its_surrounding_newline(mode: str) -> None:
    recorder = Recorder()
    client = _client(
        mode,
        recorder,
        api_key="  key with\tspaces \n",
        project="my project\n",
        project_id=" p 1\r\n",
        default_headers={"X-Default": "a b c\n"},
    )
    _run(client.agents.messages.send(AGENT, input="hi", extra_headers={"X-Extra": "\t x y \r\n"}))
    headers = recorder.requests[0].headers
    assert headers["authorization"] == "Bearer key with\tspaces"
    assert headers["x-project"] == "my project" and headers["x-project-id"] == "p 1"
    assert headers["x-default"] == "a b c" and headers["x-extra"] == "x y"


# What HTTP cannot carry inside a header value: every control character but the tab, DEL, and
# anything outside ASCII (httpx encodes header values as ASCII).
UNSENDABLE = st.sampled_from([chr(c) for c in range(0x20) if c != 0x09] + ["\x7f", "\x85", "\u00a0", "é", "\u2028"])
SOURCES: Dict[str, Callable[[str], Tuple[Dict[str, Any], Dict[str, Any]]]] = {
    # name in the error -> (client options, send options) carrying the value
    "api_key": lambda v: ({"api_key": v}, {}),
    "project": lambda v: ({"project": v}, {}),
    "project_id": lambda v: ({"project_id": v}, {}),
    "default_headers['X-Token']": lambda v: ({"default_headers": {"X-Token": v}}, {}),
    "extra_headers['X-Token']": lambda v: ({}, {"extra_headers": {"X-Token": v}}),
}


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bad=UNSENDABLE, source=st.sampled_from(sorted(SOURCES)), mode=st.sampled_from(MODES))
def test_a_character_http_cannot_send_is_refused_naming_the_argument(bad: str, source: str, mode: str) -> None:
    secret = f"hdr-SECRET-{bad}-VALUE"
    client_options, send_options = SOURCES[source](secret)
    recorder = Recorder()
    with pytest.raises(ValueError) as caught:
        _run(_client(mode, recorder, **client_options).agents.messages.send(AGENT, input="hi", **send_options))
    text = str(caught.value) + repr(caught.value)
    assert source in text and "control character" in text
    assert "SECRET" not in text and "VALUE" not in text
    assert recorder.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_a_control_character_in_the_key_from_the_environment_names_it(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LETTA_API_KEY", "sk-SECRET\x01KEY")
    with pytest.raises(ValueError, match=r"api_key \(from \$LETTA_API_KEY\)") as caught:
        _client(mode, Recorder())
    assert "SECRET" not in str(caught.value)


@pytest.mark.parametrize("mode", MODES)
def test_an_endpoints_header_argument_follows_the_same_rule(mode: str) -> None:
    recorder = Recorder()
    client = _client(mode, recorder)
    with pytest.raises(ValueError, match="x_override_embedding_model") as caught:
        _run(client.agents.import_file(file=b"{}", x_override_embedding_model="model\nInjected: 1"))
    assert "Injected" not in str(caught.value) and recorder.requests == []
    _run(client.agents.import_file(file=b"{}", x_override_embedding_model="openai/text embedding\n"))
    assert recorder.requests[-1].headers["x-override-embedding-model"] == "openai/text embedding"


# -- empty path parameters ---------------------------------------------------------------------------


OUR_NAMES = {("runs.messages.stream", "path_run_id"): "run_id"}
"""Where our parameter has another name than the official one, the error names ours."""


def _placeholder_cases() -> List[Tuple[str, str]]:
    cases: List[Tuple[str, str]] = []
    for name, endpoint in sorted(API.items()):
        for placeholder in re.findall(r"{(\w+)}", endpoint["path"]):
            cases.append((name, placeholder))
    return cases


def _dummy(annotation: str) -> Any:
    if annotation.startswith("str"):
        return "x-1"
    if annotation.startswith("bool"):
        return True
    if annotation.startswith(("Iterable", "SequenceNotStr", "List")):
        return []
    if annotation.startswith("FileTypes"):
        return b"{}"
    return {}


def _call(client: Union[Letta, AsyncLetta], method: str, endpoint: Dict[str, Any], empty: str, value: Any) -> Any:
    target: Any = client
    for part in method.split("."):
        target = getattr(target, part)
    positional = [value if p["name"] == empty else _dummy(p["type"]) for p in endpoint["positional"]]
    keywords = {
        k["name"]: value if k["name"] == empty else _dummy(k["type"])
        for k in endpoint["keywords"]
        if "default" not in k
    }
    if empty not in keywords and empty not in [p["name"] for p in endpoint["positional"]]:
        keywords[empty] = value  # a path parameter the official signature takes with a default
    return target(*positional, **keywords)


async def _resolve_fully(result: Any) -> None:
    if inspect.isawaitable(result):
        result = await result
    if hasattr(result, "__aiter__"):
        async for _ in result:  # pyright: ignore[reportUnknownVariableType]
            break


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("method", "placeholder"), _placeholder_cases(), ids=lambda v: str(v))
@pytest.mark.parametrize("value", ["", None], ids=["empty", "None"])
def test_an_empty_path_parameter_is_the_official_value_error(
    mode: str, method: str, placeholder: str, value: Any
) -> None:
    recorder = Recorder()
    client = _client(mode, recorder, api_key="sk-test")

    async def attempt() -> None:
        await _resolve_fully(_call(client, method, API[method], placeholder, value))

    with pytest.raises(ValueError) as caught:
        asyncio.run(attempt())
    ours = OUR_NAMES.get((method, placeholder), placeholder)
    assert str(caught.value).startswith(f"Expected a non-empty value for `{ours}` but received {value!r}")
    assert recorder.requests == []


def test_a_none_id_is_also_a_type_error_as_before() -> None:
    with pytest.raises(TypeError):
        Letta(base_url=BASE).agents.retrieve(None)  # type: ignore[arg-type]


# -- bad arguments in one line -------------------------------------------------------------------------

INTERNALS = ("json-or-python", "function-", "union[", "chain[", "is-instance", "MessageCreateParam.", "Input should be")


def _send_error(**params: Any) -> str:
    recorder = Recorder()
    client = _client("sync", recorder, api_key="sk-test")
    with pytest.raises(TypeError) as caught:
        client.agents.messages.send(AGENT, **params)
    assert recorder.requests == []
    return str(caught.value)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"input": 5},
            "send(): input: got 5 (int); expected a string or a list, each item a dict with \"type\" 'text', 'image',",
        ),
        ({"messages": 5}, "send(): messages: got 5 (int); expected a list, each item a dict with \"type\" 'message',"),
        (
            {"messages": [{"role": "wizard", "content": "hi"}]},
            "send(): messages[0].role: got 'wizard' (str); expected 'user', 'system' or 'assistant'",
        ),
        (
            {"messages": [{"type": "bogus"}]},
            "send(): messages[0].type: got 'bogus' (str); expected 'message', 'approval' or 'tool_return'",
        ),
        ({"input": [{"type": "text"}]}, "send(): input[0].text is missing; expected a string"),
        ({"input": [{"text": "hi"}]}, "send(): input[0].type is missing; expected 'text', 'image', 'tool_call',"),
        ({"input": "hi", "max_steps": "many"}, "send(): max_steps: got 'many' (str); expected an integer"),
        (
            {"input": "hi", "include_return_message_types": ["assistant"]},
            "send(): include_return_message_types[0]: got 'assistant' (str); expected 'system_message',",
        ),
        (
            {"input": "hi", "client_tools": [5]},
            "send(): client_tools[0]: got 5 (int); expected a ClientToolParam dict (with 'name') or a tool made with @tool",
        ),
    ],
    ids=lambda v: str(v)[:40],
)
def test_a_bad_argument_is_one_line_naming_it_the_value_and_what_is_accepted(
    params: Dict[str, Any], expected: str
) -> None:
    text = _send_error(**params)
    assert text.startswith(expected), text
    assert "\n" not in text
    assert not any(internal in text for internal in INTERNALS), text


def test_several_bad_arguments_are_one_line_each() -> None:
    text = _send_error(input="hi", max_steps="a", override_model=5, return_logprobs="maybe")
    assert text.splitlines() == [
        "send(): max_steps: got 'a' (str); expected an integer",
        "send(): override_model: got 5 (int); expected a string",
        "send(): return_logprobs: got 'maybe' (str); expected True or False",
    ]


class _Opaque:
    def __repr__(self) -> str:
        return "<opaque>"


@pytest.mark.parametrize(
    "name", sorted(k for k in __import__("letta_client.types.params", fromlist=["x"]).MessageSendBody.__annotations__)
)
def test_every_send_argument_given_a_wrong_value_is_named_in_one_line(name: str) -> None:
    params: Dict[str, Any] = {"input": "hi", name: _Opaque()}
    if name == "messages":
        params.pop("input")
    text = _send_error(**params)
    assert len(text.splitlines()) == 1, text
    assert text.startswith(f"send(): {name}: got <opaque> (_Opaque); expected "), text
    assert not any(internal in text for internal in INTERNALS), text


@pytest.mark.parametrize("mode", MODES)
def test_an_endpoints_bad_argument_reads_the_same(mode: str) -> None:
    recorder = Recorder()
    client = _client(mode, recorder, api_key="sk-test")
    with pytest.raises(TypeError) as caught:
        _run(client.blocks.create(label="human", value="x", limit="lots"))  # type: ignore[arg-type]
    assert str(caught.value) == "POST /v1/blocks/: limit: got 'lots' (str); expected an integer"
    with pytest.raises(TypeError) as caught:
        _run(client.agents.messages.cancel(AGENT, run_ids="run-1"))
    assert str(caught.value) == "cancel(): run_ids: got 'run-1' (str); expected a list of run ids (strings)"
    assert recorder.requests == []


# -- client_tools takes the SDK's own tool objects ------------------------------------------------------


@tool
def add(a: int, b: int) -> int:
    """Add two numbers."""
    return a + b


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("streaming", [False, True], ids=["json", "streaming"])
def test_client_tools_take_tool_objects_as_their_to_param(mode: str, streaming: bool) -> None:
    recorder = Recorder()
    client = _client(mode, recorder, api_key="sk-test")
    other = {"name": "lookup", "description": "Look it up."}

    async def send() -> None:
        result: Any = client.agents.messages.send(AGENT, input="hi", client_tools=[add, other], streaming=streaming)
        if inspect.isawaitable(result):
            await result

    asyncio.run(send())
    body = json.loads(recorder.requests[0].content)
    assert body["client_tools"] == [add.to_param(), other]


def test_conversation_sends_take_tool_objects_too() -> None:
    recorder = Recorder()
    client = _client("sync", recorder, api_key="sk-test")
    client.conversations.messages.send("conv-1", input="hi", client_tools=[add]).until_done()
    client.conversations.messages.send("conv-1", input="hi", client_tools=[add], background=False).until_done()
    assert [json.loads(r.content)["client_tools"] for r in recorder.requests] == [[add.to_param()]] * 2


# -- arguments no TypedDict declares are checked too ---------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (
            lambda c: c.agents.messages.list(AGENT, include_return_message_types="assistant_message"),
            "list(): include_return_message_types: got 'assistant_message' (str); expected a list, each item "
            "'system_message',",
        ),
        (
            lambda c: c.conversations.messages.list("conv-1", include_return_message_types=["assistant"]),
            "list(): include_return_message_types[0]: got 'assistant' (str); expected 'system_message',",
        ),
        (
            lambda c: c.agents.messages.compact(AGENT, compaction_settings=5),
            "compact(): compaction_settings: got 5 (int); expected a dict",
        ),
        (
            lambda c: c.conversations.messages.compact("conv-1", compaction_settings=[1]),
            "compact(): compaction_settings: got [1] (list); expected a dict",
        ),
        (
            lambda c: c.agents.messages.reset(AGENT, add_default_initial_messages="maybe"),
            "reset(): add_default_initial_messages: got 'maybe' (str); expected True or False",
        ),
        (
            lambda c: c.conversations.create(agent_id=AGENT, description=_Opaque()),
            "POST /v1/conversations/: description: got <opaque> (_Opaque); expected a JSON value",
        ),
        (
            lambda c: c.agents.import_file(file=b"{}", name=_Opaque()),
            "POST /v1/agents/import: name: got <opaque> (_Opaque); expected a JSON value",
        ),
    ],
    ids=["agent list", "conversation list", "agent compact", "conversation compact", "reset", "json", "form"],
)
def test_a_bad_argument_outside_a_body_type_is_one_line_too(
    mode: str, call: Callable[[Union[Letta, AsyncLetta]], Any], expected: str
) -> None:
    recorder = Recorder()
    client = _client(mode, recorder, api_key="sk-test")

    async def attempt() -> None:
        await _resolve_fully(call(client))

    with pytest.raises(TypeError) as caught:
        asyncio.run(attempt())
    assert str(caught.value).startswith(expected), str(caught.value)
    assert "\n" not in str(caught.value) and recorder.requests == []


def test_a_value_json_refuses_names_its_argument() -> None:
    recorder = Recorder()
    client = _client("sync", recorder, api_key="sk-test")
    with pytest.raises(ValueError, match=r"^POST /v1/conversations/: description: got nan \(float\)"):
        client.conversations.create(agent_id=AGENT, description=float("nan"))  # type: ignore[arg-type]
    assert recorder.requests == []
