"""Error text: an ``APIStatusError`` reads as the official SDK's first, then says more.

* ``str(error)`` starts with the official SDK's text, built the way it builds it from the body:
  ``Error code: 409 - {'detail': ...}`` for a JSON body, the text of any other, ``Error code:
  409`` for none (checked against that rule for any body); then `` | `` and ours: the status, the
  method and path, the body in one line, and advice;
* a 409 ``PENDING_APPROVAL`` from a plain send, and the error frame that says the same in a
  stream, tell what to do: ``resolve_pending_approvals`` or cancel, for the agent or the
  conversation of the send (agents ``send`` / ``create`` / ``stream`` / ``create_async``,
  conversation sends);
* none of it shows a secret of the request, even when the server echoes it.
"""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any, Callable, Dict, Union

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from letta_client import APIStatusError, AsyncLetta, ConflictError, Letta, LettaError, LettaStreamError
from letta_client.testing import Simulator, ToolCall
from letta_client.tools import tool

AGENT = "agent-00000000-0000-4000-8000-000000000000"
BASE = "http://letta.test"
KEY = "My API Key-0xSECRET"
MODES = ["sync", "async"]


def official_text(status: int, text: str) -> str:
    """How the official SDK 1.12.1 words an error status (``_make_status_error_from_response``),
    written down here as its rule: the decoded JSON body, else the body's text, else the code."""
    stripped = text.strip()
    try:
        return f"Error code: {status} - {json.loads(stripped)}"
    except ValueError:
        return stripped or f"Error code: {status}"


def _client(mode: str, handler: Callable[[httpx.Request], httpx.Response], **options: Any) -> Union[Letta, AsyncLetta]:
    options = {"base_url": BASE, "api_key": KEY, "max_retries": 0, **options}
    if mode == "sync":
        return Letta(http_client=httpx.Client(transport=httpx.MockTransport(handler)), **options)
    return AsyncLetta(http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)), **options)


def _raised(call: Callable[[], Any]) -> LettaError:
    """What ``call()`` raises, a returned stream read to its end (sync or async)."""

    async def run() -> None:
        result = call()
        if asyncio.iscoroutine(result):
            result = await result
        if hasattr(result, "__aiter__"):
            async for _ in result:
                pass
        elif hasattr(result, "__iter__") and not isinstance(result, (dict, list)):
            for _ in result:
                pass

    try:
        asyncio.run(run())
    except LettaError as error:
        return error
    raise AssertionError("nothing was raised")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
BODIES = JSON.map(lambda value: json.dumps(value)) | st.text(max_size=80) | st.just("") | st.just("  \n")


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.sampled_from([400, 401, 403, 404, 409, 410, 418, 422, 429, 500, 502, 503]), text=BODIES)
def test_the_message_starts_with_the_official_text(status: int, text: str) -> None:
    client = _client("sync", lambda request: httpx.Response(status, content=text.encode()))
    with pytest.raises(APIStatusError) as caught:
        client.agents.retrieve(AGENT)
    message = str(caught.value)
    head = official_text(status, text)
    assert message.startswith(head + " | "), (message, head)
    assert f" | {status} " in message and f"for GET /v1/agents/{AGENT}" in message


def test_the_official_text_of_a_pending_approval_then_ours() -> None:
    body = {"detail": {"code": "PENDING_APPROVAL", "message": "waiting for approval", "pending_request_id": "m-1"}}
    client = _client("sync", lambda request: httpx.Response(409, json=body))
    with pytest.raises(ConflictError) as caught:
        client.agents.messages.create(AGENT, input="hi")
    head, ours = str(caught.value).split(" | ", 1)
    assert head == f"Error code: 409 - {body}"
    assert ours.startswith(
        f"409 Conflict for POST /v1/agents/{AGENT}/messages: [PENDING_APPROVAL] waiting for approval."
    )


# -- a pending approval says what to do ------------------------------------------------------------------


@tool
def client_get_weather(location: str) -> str:
    """The weather of a city."""
    return f"Snow in {location}"


@pytest.fixture
def pending() -> Simulator:
    """A simulator whose default agent waits for the answer to a client tool call."""
    sim = Simulator()
    sim.script(sim.default_agent_id, [ToolCall("client_get_weather", {"location": "Oslo"})])
    answer = sim.client().agents.messages.send(
        sim.default_agent_id, input="weather?", client_tools=[client_get_weather]
    )
    assert answer.stop_reason.stop_reason == "requires_approval"
    return sim


def _sim_client(sim: Simulator, mode: str) -> Union[Letta, AsyncLetta]:
    return sim.client() if mode == "sync" else sim.async_client()


AGENT_SENDS: Dict[str, Callable[[Union[Letta, AsyncLetta], str], Any]] = {
    "send": lambda c, a: c.agents.messages.send(a, input="hi"),
    "create": lambda c, a: c.agents.messages.create(a, input="hi"),
    "send streaming": lambda c, a: c.agents.messages.send(a, input="hi", streaming=True),
    "send background": lambda c, a: c.agents.messages.send(a, input="hi", streaming=True, background=True),
    "stream (deprecated)": lambda c, a: c.agents.messages.stream(a, input="hi"),  # pyright: ignore[reportDeprecated]
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("send", list(AGENT_SENDS), ids=list(AGENT_SENDS))
def test_a_send_refused_for_a_pending_approval_says_what_to_do(pending: Simulator, mode: str, send: str) -> None:
    agent = pending.default_agent_id
    client = _sim_client(pending, mode)
    error = _raised(lambda: AGENT_SENDS[send](client, agent))
    assert isinstance(error, (ConflictError, LettaStreamError)), error
    text = str(error)
    assert f"client.agents.messages.resolve_pending_approvals({agent!r})" in text
    assert f"client.agents.messages.cancel({agent!r})" in text
    if isinstance(error, ConflictError):
        assert text.startswith("Error code: 409 - {'detail': {'code': 'PENDING_APPROVAL'")
    else:
        assert error.is_pending_approval


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("background", [True, False], ids=["exactly-once", "plain"])
def test_a_conversation_send_refused_for_a_pending_approval_says_what_to_do(
    pending: Simulator, mode: str, background: bool
) -> None:
    agent = pending.default_agent_id
    client = _sim_client(pending, mode)
    error = _raised(
        lambda: client.conversations.messages.send("default", agent_id=agent, input="hi", background=background)
    )
    text = str(error)
    assert "client.conversations.messages.resolve_pending_approvals('default', agent_id=...)" in text
    assert "client.conversations.cancel('default', agent_id=...)" in text


def test_a_conversation_of_its_own_names_itself() -> None:
    conversation = "conv-00000000-0000-4000-8000-000000000001"
    body = {"detail": {"code": "PENDING_APPROVAL", "message": "waiting", "pending_request_id": "m-1"}}
    client = _client("sync", lambda request: httpx.Response(409, json=body))
    error = _raised(lambda: client.conversations.messages.send(conversation, input="hi", background=False))
    assert f"client.conversations.messages.resolve_pending_approvals({conversation!r})" in str(error)
    assert f"client.conversations.cancel({conversation!r})" in str(error)


def test_create_async_refused_says_it_too() -> None:
    body = {"detail": "CONFLICT: Cannot send a new message: The agent is waiting for approval on a tool call."}
    client = _client("sync", lambda request: httpx.Response(409, json=body))
    error = _raised(lambda: client.agents.messages.create_async(AGENT, input="hi"))
    assert "resolve_pending_approvals" in str(error)


def test_other_conflicts_and_other_paths_get_no_approval_advice() -> None:
    busy = {"detail": "CONFLICT: Another request is currently being processed for this conversation"}
    pending = {"detail": {"code": "PENDING_APPROVAL", "message": "waiting"}}
    client = _client("sync", lambda request: httpx.Response(409, json=busy if "conv" in request.url.path else pending))
    busy_error = _raised(lambda: client.conversations.messages.send("conv-1", input="hi"))
    assert "being processed" in str(busy_error) and "resolve_pending_approvals" not in str(busy_error)
    other_path = _raised(lambda: client.agents.retrieve(AGENT))
    assert "PENDING_APPROVAL" in str(other_path) and "resolve_pending_approvals" not in str(other_path)


# -- no secret in the text, even when the server echoes it ------------------------------------------------


def _echo(request: httpx.Request) -> httpx.Response:
    """A server that quotes the request's credentials back in its error body."""
    authorization = request.headers.get("authorization", "")
    token = request.headers.get("x-token", "")
    scheme, _, credentials = authorization.partition(" ")
    decoded = base64.b64decode(credentials).decode() if scheme == "Basic" else credentials
    return httpx.Response(401, json={"detail": f"Invalid credentials: {authorization} ({decoded}); token {token!r}"})


@pytest.mark.parametrize("mode", MODES)
def test_an_echoed_key_or_header_value_is_not_in_the_message(mode: str) -> None:
    client = _client(mode, _echo, default_headers={"X-Token": "tok SECRET-4242"})
    error = _raised(lambda: client.agents.messages.send(AGENT, input="hi"))
    for text in (str(error), repr(error)):
        assert "SECRET" not in text and "My API Key" not in text and "4242" not in text, text
    assert str(error).startswith("Error code: 401 - {'detail': \"Invalid credentials: <redacted> (<redacted>); token")


@pytest.mark.parametrize("mode", MODES)
def test_echoed_url_credentials_are_not_in_the_message(mode: str) -> None:
    client = _client(mode, _echo, api_key=None, base_url="http://robot:PASS-SECRET-77@letta.test")
    error = _raised(lambda: client.agents.retrieve(AGENT))
    assert "PASS-SECRET-77" not in str(error) and "robot" not in str(error), str(error)


def test_an_echoed_key_in_a_stream_error_frame_is_not_in_the_message() -> None:
    frame = json.dumps(
        {
            "message_type": "error_message",
            "run_id": "run-1",
            "error_type": "internal_error",
            "message": f"bad key {KEY}",
            "detail": f"Bearer {KEY}",
        }
    )
    body = f"data: {frame}\n\n".encode()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)

    client = _client("sync", handler)
    error = _raised(lambda: client.agents.messages.send(AGENT, input="hi", streaming=True))
    assert isinstance(error, LettaStreamError)
    assert "SECRET" not in str(error) and "My API Key" not in str(error), str(error)
