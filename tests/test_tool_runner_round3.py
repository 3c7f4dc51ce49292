"""Client tools, round 3 (issue 22): the runner survives what a tool gives back, and ``close()``.

* A tool result that cannot be encoded (bytes that are not UTF-8, a list that contains itself, an
  object whose ``str()`` raises, a lone surrogate, a content part that does not fit...) is the
  tool's failure: the agent gets an error return that names the tool and the type at fault (never
  the value), and the run goes on to its end. Before, ``run_tools`` raised a raw
  ``PydanticSerializationError`` (or ``UnicodeEncodeError``...) after the tools ran, leaving the
  agent waiting on its approval.
* ``close()`` while another thread (or task) is in ``run_tools`` gives it ``ClientClosedError``
  saying which calls the agent still waits for, never a raw ``concurrent.futures.CancelledError``;
  an ``asyncio`` cancellation of the task is still a ``CancelledError``.

Everything runs against the simulator; threads are synchronised with events, nothing sleeps.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticSerializationError

from letta_client import AsyncLetta, ClientClosedError, Letta
from letta_client.testing import Reply, Simulator, ToolCall
from letta_client.tools import ClientTool, ToolRunResult, encode_result, image, tool, tool_result

MARK = "SECRET-MARK"
"""Put into every bad value: the text sent to the agent must never quote the value."""

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201e2d3a4ec0000000049454e44ae426082"
)

RAW_ERRORS = (PydanticSerializationError, UnicodeError, RecursionError, concurrent.futures.CancelledError)
JOIN = 30.0
"""A bound on waiting for a thread that must already be finishing (a hang fails, never sleeps)."""


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# -- running a tool against the simulator ----------------------------------------------------------


def returning(value: Callable[[], object], *, is_async: bool) -> ClientTool[..., Any]:
    """A tool named ``fetch_data`` that returns ``value()`` (from a coroutine when ``is_async``)."""
    if is_async:

        @tool
        async def fetch_data() -> object:
            """Fetch the data."""
            return value()

        return fetch_data

    @tool
    def fetch_data() -> object:
        """Fetch the data."""
        return value()

    return fetch_data


def run_against_sim(
    mode: str, tools: List[Any], *, streaming: bool = False, conversation: bool = False
) -> Tuple[Simulator, ToolRunResult]:
    """One turn in which the agent calls ``fetch_data`` once, then says "done" (in a new
    conversation of the agent when ``conversation``)."""
    sim = Simulator()
    agent = sim.default_agent_id
    owner = sim.create_conversation(agent) if conversation else agent
    sim.script(agent, [ToolCall("fetch_data", {}), Reply("done")])

    def resource(client: Any) -> Any:
        return client.conversations.messages if conversation else client.agents.messages

    if mode == "sync":
        with sim.client() as client:
            out = resource(client).run_tools(owner, tools=tools, input="go", streaming=streaming)
            result: ToolRunResult = out.get_final_response() if streaming else out
            return sim, result

    async def main() -> ToolRunResult:
        async with sim.async_client() as client:
            out = await resource(client).run_tools(owner, tools=tools, input="go", streaming=streaming)
            return await out.get_final_response() if streaming else out  # type: ignore[no-any-return]

    return sim, asyncio.run(main())


def tool_returns_seen_by_agent(sim: Simulator, conversation_id: Optional[str] = None) -> List[Dict[str, Any]]:
    history = (
        sim.history(sim.default_agent_id) if conversation_id is None else sim.conversation_history(conversation_id)
    )
    return [message for message in history if message.get("message_type") == "tool_return_message"]


def assert_error_return_and_run_finished(sim: Simulator, result: ToolRunResult, type_at_fault: str) -> str:
    """The agent got one error return naming the tool and ``type_at_fault`` in one short line
    without the value, and the turn went on to its end. Returns the text."""
    [answer] = result.answers
    assert answer["type"] == "tool_return"
    [item] = answer["tool_returns"]
    assert item["status"] == "error"
    text = item["tool_return"]
    assert isinstance(text, str)
    assert text.startswith("tool 'fetch_data' returned a result that cannot be sent to the agent")
    assert type_at_fault in text, text
    assert MARK not in text and "\n" not in text and len(text) < 300
    # the run went on: the agent read the error and finished its turn
    assert result.rounds == 2 and result.text == "done" and result.stop_reason.stop_reason == "end_turn"
    [seen] = tool_returns_seen_by_agent(sim)
    assert seen["status"] == "error" and seen["tool_return"] == text
    return text


# -- values that cannot be encoded ------------------------------------------------------------------


class StrRaises:
    """An object whose ``str()`` and ``repr()`` raise (with the value in the message)."""

    def __init__(self, error: type) -> None:
        self.error = error

    def __str__(self) -> str:
        raise self.error(MARK)

    __repr__ = __str__


def not_utf8() -> st.SearchStrategy[bytes]:
    return st.binary(min_size=1, max_size=40).map(lambda raw: b"\xff" + MARK.encode() + raw)


def lone_surrogate() -> st.SearchStrategy[str]:
    return st.tuples(st.text(max_size=10), st.integers(0xD800, 0xDFFF)).map(lambda t: f"{MARK}{t[0]}{chr(t[1])}")


@dataclass(frozen=True)
class Bad:
    """A value that cannot be encoded, built afresh for each call, and the type the message names."""

    make: Callable[[], object]
    type_at_fault: str


def self_containing(kind: str, depth: int) -> Bad:
    def make() -> object:
        outer: Any = {} if kind == "dict" else []
        inner = outer
        for _ in range(depth):
            inner = _add(inner, [MARK])
        _add(inner, outer)
        return outer

    return Bad(make, f"type {kind} that contains itself")


def _add(container: Any, item: Any) -> Any:
    if isinstance(container, dict):
        container[f"k{len(container)}"] = item
    else:
        container.append(item)
    return item


def too_deep(depth: int) -> Bad:
    def make() -> object:
        value: Any = MARK
        for _ in range(depth):
            value = [value]
        return value

    return Bad(make, "nested more than")


leaves = st.one_of(
    not_utf8().map(lambda raw: Bad(lambda: raw, "type bytes that is not UTF-8")),
    not_utf8().map(lambda raw: Bad(lambda: bytearray(raw), "type bytearray that is not UTF-8")),
    st.sampled_from([ValueError, RuntimeError, TypeError, KeyError]).map(
        lambda error: Bad(lambda: StrRaises(error), f"type StrRaises whose str() raised {error.__name__}")
    ),
    lone_surrogate().map(lambda text: Bad(lambda: text, "str that is not valid Unicode")),
    st.just(Bad(lambda: {frozenset({MARK}): 1}, "dict key of type frozenset")),
    not_utf8().map(lambda raw: Bad(lambda: {raw: 1}, "dict key that is a value of type bytes")),
)


def wrapped(bad: Bad, path: List[Tuple[str, int]]) -> Bad:
    """``bad`` buried in containers (``("list", i)``: at index i among good items, ``("dict", i)``...)."""

    def make() -> object:
        value = bad.make()
        for kind, position in reversed(path):
            good: List[object] = [1, "ok", None, 2.5][:position]
            if kind == "list":
                value = [*good, value]
            elif kind == "tuple":
                value = (*good, value)
            else:
                value = {**{f"g{i}": item for i, item in enumerate(good)}, "bad": value}
        return value

    return Bad(make, bad.type_at_fault)


unencodable = st.one_of(
    st.builds(
        wrapped, leaves, st.lists(st.tuples(st.sampled_from(["list", "tuple", "dict"]), st.integers(0, 4)), max_size=4)
    ),
    st.builds(self_containing, st.sampled_from(["list", "dict"]), st.integers(0, 5)),
    st.integers(600, 3000).map(too_deep),
)


@settings(max_examples=60)
@given(bad=unencodable, mode=st.sampled_from(["sync", "async"]), is_async=st.booleans())
def test_an_unencodable_result_is_an_error_return_and_the_run_goes_on(bad: Bad, mode: str, is_async: bool) -> None:
    sim, result = run_against_sim(mode, [returning(bad.make, is_async=is_async)])
    assert_error_return_and_run_finished(sim, result, bad.type_at_fault)


@pytest.mark.parametrize("streaming", [False, True], ids=["json", "streaming"])
def test_an_unencodable_result_in_a_streamed_run_and_in_a_conversation(mode: str, streaming: bool) -> None:
    for conversation in (False, True):
        sim, result = run_against_sim(
            mode,
            [returning(lambda: b"\xff" + MARK.encode(), is_async=False)],
            streaming=streaming,
            conversation=conversation,
        )
        [answer] = result.answers
        [item] = answer["tool_returns"]
        assert item["status"] == "error" and "type bytes that is not UTF-8" in str(item["tool_return"])
        assert result.text == "done" and result.stop_reason.stop_reason == "end_turn"
        conversations = list(sim.conversations.conversations) if conversation else []
        [seen] = tool_returns_seen_by_agent(sim, *conversations)
        assert seen["status"] == "error" and seen["tool_return"] == item["tool_return"]


def bad_parts() -> List[Bad]:
    """Lists holding an image: sent as content parts, each going into the request as it is."""
    picture = image(PNG)
    return [
        Bad(lambda: [picture, {"type": "text", "text": MARK.encode()}], "a text part whose text does not fit"),
        Bad(lambda: [picture, {"type": "text", "text": MARK, "extra": float("nan")}], "float that is NaN or infinite"),
        Bad(lambda: [picture, {"type": "text", "text": MARK, "extra": 10**5000}], "int with too many digits"),
        Bad(lambda: [picture, {"type": "text", "text": MARK + "\ud800"}], "str that is not valid Unicode"),
        Bad(lambda: [picture, {"type": "text", "text": MARK, "extra": {MARK}}], "type set, which JSON cannot hold"),
        Bad(
            lambda: [{"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": 5}}],
            "an image part whose source.data",
        ),
        Bad(lambda: [picture, b"\xff" + MARK.encode()], "type bytes that is not UTF-8"),
        Bad(lambda: [picture, StrRaises(ValueError)], "type StrRaises whose str() raised ValueError"),
    ]


@pytest.mark.parametrize("bad", bad_parts(), ids=lambda bad: bad.type_at_fault)
def test_content_parts_that_cannot_be_sent_are_an_error_return(mode: str, bad: Bad) -> None:
    sim, result = run_against_sim(mode, [returning(bad.make, is_async=False)])
    assert_error_return_and_run_finished(sim, result, bad.type_at_fault)


class PictureThatCannotSave:
    """Looks like a PIL image to the SDK; saving it fails."""

    format = "PNG"

    def save(self, buffer: object, format: str) -> None:
        raise OSError(MARK)


PictureThatCannotSave.__name__ = "Image"
PictureThatCannotSave.__module__ = "PIL.Image"


def test_a_pil_image_that_fails_to_save_is_an_error_return(mode: str) -> None:
    sim, result = run_against_sim(mode, [returning(PictureThatCannotSave, is_async=False)])
    assert_error_return_and_run_finished(sim, result, "type Image that could not be encoded (OSError)")


class MessageRaises(Exception):
    def __str__(self) -> str:
        raise RuntimeError(MARK)


def raising(error: Exception) -> ClientTool[..., Any]:
    @tool
    def fetch_data() -> str:
        """Fetch the data."""
        raise error

    return fetch_data


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (MessageRaises(), "MessageRaises: (its message could not be read: str() raised RuntimeError)"),
        (ValueError("bad \ud800 char"), "ValueError: bad \\ud800 char"),
    ],
    ids=["str-raises", "lone-surrogate"],
)
def test_a_tool_whose_exception_cannot_be_read_or_sent_is_an_error_return(
    mode: str, error: Exception, expected: str
) -> None:
    sim, result = run_against_sim(mode, [raising(error)])
    [answer] = result.answers
    [item] = answer["tool_returns"]
    assert item == {"type": "tool", "tool_call_id": item["tool_call_id"], "status": "error", "tool_return": expected}
    assert result.text == "done" and tool_returns_seen_by_agent(sim)[0]["tool_return"] == expected


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), 10**400, {1, 2}, {(1, 2): "tuple key"}, {None: 1}, 1j, object],
    ids=["nan", "inf", "huge-int", "set", "tuple-key", "none-key", "complex", "class"],
)
def test_values_pydantic_encodes_still_go_as_json_text(value: object) -> None:
    item = tool_result("c1", value)
    assert item["status"] == "success" and item["tool_return"] == encode_result(value)


@given(bad=unencodable)
def test_the_public_encoders_raise_a_value_error_naming_the_type(bad: Bad) -> None:
    for encode in (encode_result, lambda value: tool_result("c1", value)):
        with pytest.raises(ValueError) as caught:
            encode(bad.make())
        assert not isinstance(caught.value, RAW_ERRORS)
        assert bad.type_at_fault in str(caught.value) and MARK not in str(caught.value)


# -- close() while a run is in its tools ------------------------------------------------------------


@dataclass
class Gate:
    """A tool's way to say it started, and the test's way to let it go on (or see it cancelled)."""

    started: threading.Event
    release: threading.Event
    cancelled: threading.Event


def gate() -> Gate:
    return Gate(threading.Event(), threading.Event(), threading.Event())


def blocking_async_tool(g: Gate) -> ClientTool[..., Any]:
    @tool
    async def fetch_data() -> str:
        """Fetch the data."""
        g.started.set()
        try:
            await asyncio.get_running_loop().run_in_executor(None, g.release.wait)
        except asyncio.CancelledError:
            g.cancelled.set()
            raise
        return "data"

    return fetch_data


def blocking_sync_tool(g: Gate) -> ClientTool[..., Any]:
    @tool
    def fetch_data() -> str:
        """Fetch the data."""
        g.started.set()
        g.release.wait()
        return "data"

    return fetch_data


def in_thread(work: Callable[[], object]) -> Tuple[threading.Thread, List[BaseException]]:
    errors: List[BaseException] = []

    def target() -> None:
        try:
            work()
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    return thread, errors


def assert_closed_error(errors: List[BaseException], sim: Simulator) -> None:
    [error] = errors
    assert type(error) is ClientClosedError, repr(error)
    assert "closed (close()) during run_tools, before the answers to call_sim_" in str(error)
    assert f"agent {sim.default_agent_id} still waits" in str(error)
    assert tool_returns_seen_by_agent(sim) == []  # nothing was answered: the agent still waits


def started_run(sim: Simulator, client: Letta, tools: List[Any], streaming: bool) -> Callable[[], object]:
    sim.script(sim.default_agent_id, [ToolCall("fetch_data", {}), Reply("done")])

    def work() -> object:
        out = client.agents.messages.run_tools(sim.default_agent_id, tools=tools, input="go", streaming=streaming)
        return out.get_final_response() if streaming else out

    return work


@pytest.mark.parametrize("streaming", [False, True], ids=["json", "streaming"])
def test_closing_the_sync_client_during_an_async_tool_gives_the_run_client_closed_error(streaming: bool) -> None:
    sim = Simulator()
    g = gate()
    client = sim.client()
    thread, errors = in_thread(started_run(sim, client, [blocking_async_tool(g)], streaming))
    try:
        assert g.started.wait(JOIN)
        client.close()  # stops the event-loop thread the async tool runs on
        thread.join(JOIN)
        assert not thread.is_alive()
        assert g.cancelled.is_set()  # the tool saw the cancellation
        assert_closed_error(errors, sim)
    finally:
        g.release.set()


def test_closing_the_sync_client_while_a_plain_function_awaits_on_its_loop() -> None:
    sim = Simulator()
    g = gate()

    @tool
    def fetch_data() -> Awaitable[str]:
        """Fetch the data (a plain function that hands back a coroutine)."""
        return blocking_async_tool(g).function()

    client = sim.client()
    thread, errors = in_thread(started_run(sim, client, [fetch_data], False))
    try:
        assert g.started.wait(JOIN)
        client.close()
        thread.join(JOIN)
        assert not thread.is_alive()
        assert_closed_error(errors, sim)
    finally:
        g.release.set()


def test_closing_the_sync_client_during_a_sync_tool_gives_client_closed_error_once_it_returns() -> None:
    sim = Simulator()
    g = gate()
    with sim.serve() as base_url:
        client = Letta(base_url=base_url, api_key=sim.api_key)  # owns its connection pool: close() closes it
        thread, errors = in_thread(started_run(sim, client, [blocking_sync_tool(g)], False))
        assert g.started.wait(JOIN)
        client.close()
        g.release.set()  # the tool returns after close(): its answer cannot be sent
        thread.join(JOIN)
        assert not thread.is_alive()
        assert_closed_error(errors, sim)


def test_a_sync_client_closed_before_its_async_tools_start_says_it_is_closed() -> None:
    sim = Simulator()
    sim.script(sim.default_agent_id, [ToolCall("fetch_data", {}), Reply("done")])
    client = sim.client()  # the simulator's connection stays usable: only the tool loop is closed
    client.close()
    with pytest.raises(ClientClosedError, match="before the answers to call_sim_"):
        client.agents.messages.run_tools(
            sim.default_agent_id, tools=[returning(lambda: "data", is_async=True)], input="go"
        )


@pytest.mark.parametrize("kind", ["async tool", "sync tool in a worker"])
def test_closing_the_async_client_during_a_tool_gives_the_task_client_closed_error(kind: str) -> None:
    """``AsyncLetta.close()`` does not cancel a running tool (the loop is the caller's): the tool
    finishes, and the run ends with ``ClientClosedError`` instead of sending its answer."""
    sim = Simulator()
    g = gate()
    tools = [blocking_async_tool(g) if kind == "async tool" else blocking_sync_tool(g)]
    sim.script(sim.default_agent_id, [ToolCall("fetch_data", {}), Reply("done")])

    async def main(base_url: str) -> Optional[BaseException]:
        client = AsyncLetta(base_url=base_url, api_key=sim.api_key)
        task = asyncio.ensure_future(client.agents.messages.run_tools(sim.default_agent_id, tools=tools, input="go"))
        await asyncio.get_running_loop().run_in_executor(None, g.started.wait, JOIN)
        await client.close()
        g.release.set()
        try:
            await task
        except BaseException as error:
            return error
        return None

    with sim.serve() as base_url:
        error = asyncio.run(main(base_url))
    assert error is not None
    assert_closed_error([error], sim)
    assert not g.cancelled.is_set()


@pytest.mark.parametrize("kind", ["async tool", "sync tool in a worker"])
def test_cancelling_the_task_during_a_tool_is_still_a_cancellation(kind: str) -> None:
    sim = Simulator()
    g = gate()
    tools = [blocking_async_tool(g) if kind == "async tool" else blocking_sync_tool(g)]
    sim.script(sim.default_agent_id, [ToolCall("fetch_data", {}), Reply("done")])

    async def main() -> None:
        async with sim.async_client() as client:
            task = asyncio.ensure_future(
                client.agents.messages.run_tools(sim.default_agent_id, tools=tools, input="go")
            )
            await asyncio.get_running_loop().run_in_executor(None, g.started.wait, JOIN)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            g.release.set()  # the tool's thread may go (asyncio.run waits for the default executor)

    try:
        asyncio.run(main())
    finally:
        g.release.set()
    assert tool_returns_seen_by_agent(sim) == []


def test_resolve_after_a_client_tool_round_finds_nothing_pending() -> None:
    """A client tool's answer is recorded as a tool return, not an approval response: the request
    it answered is not pending, so ``resolve_pending_approvals`` sends nothing (it sent a denial
    the server refused with 400)."""
    from letta_client import Letta, tool
    from letta_client.testing import Simulator

    @tool
    def get_weather(city: str) -> str:
        """Get the weather for a city."""
        return f"Sunny in {city}"

    sim = Simulator()
    with sim.serve() as url, Letta(base_url=url) as client:
        agent = client.agents.create(name="resolve-after-round", model="openai/gpt-4o-mini")
        result = client.agents.messages.run_tools(agent.id, tools=[get_weather], input="Call get_weather for Paris")
        assert result.rounds == 2
        sent = len(sim.requests)
        repaired = client.agents.messages.resolve_pending_approvals(agent.id, deny_reason="the user left")
        assert repaired.rounds == 0 and repaired.answers == []
        assert not [r for r in sim.requests[sent:] if r.method == "POST"]
