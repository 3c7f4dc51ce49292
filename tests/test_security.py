"""Hostile input is rejected before anything is sent, ids cannot escape their path segment, and the
API key never leaks into reprs, exception messages or logs."""

from __future__ import annotations

import logging
from typing import Any, Callable, Dict, Iterator
from urllib.parse import unquote

import httpx
import pytest
import respx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from letta_client import APIConnectionError, APIStatusError, AsyncLetta, Letta
from letta_client._logs import logger as sdk_logger
from letta_client._paths import path_segment

AGENT = "agent-5ba4b586-d7d6-4b37-a667-324e6e61b07a"
OK_BODY: Dict[str, Any] = {"messages": [], "stop_reason": {"stop_reason": "end_turn"}, "usage": {}}


@pytest.fixture
def any_route(mock_api: respx.MockRouter) -> respx.Route:
    return mock_api.route().mock(return_value=httpx.Response(200, json=OK_BODY))


# --- agent ids --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agent_id", "exc"),
    [
        ("", ValueError),
        ("   ", ValueError),
        ("\t", ValueError),
        (None, TypeError),
        (123, TypeError),
        (b"agent-1", TypeError),
        (".", ValueError),
        ("..", ValueError),
        ("agent-1\r\nX-Injected: yes", ValueError),
        ("agent-1\n", ValueError),
        ("agent\t1", ValueError),
        ("agent 1", ValueError),
        ("agent-1\x00", ValueError),
        ("agent-1\u2028", ValueError),
    ],
)
def test_bad_agent_ids_fail_before_any_request(
    client: Letta, mock_api: respx.MockRouter, any_route: respx.Route, agent_id: Any, exc: type
) -> None:
    with pytest.raises(exc, match="agent_id"):
        client.agents.messages.send(agent_id, input="hi")
    assert mock_api.calls.call_count == 0


@pytest.mark.parametrize(
    ("agent_id", "raw_segment"),
    [
        ("../x", b"..%2Fx"),
        ("../../v1/admin", b"..%2F..%2Fv1%2Fadmin"),
        ("a?b", b"a%3Fb"),
        ("a#b", b"a%23b"),
        ("a/b", b"a%2Fb"),
        ("%2e%2e", b"%252e%252e"),
        ("a;b=c&d", b"a%3Bb%3Dc%26d"),
        ("agent-\u00fc\u6f22", b"agent-%C3%BC%E6%BC%A2"),
        ("...", b"..."),
        (AGENT, AGENT.encode()),
    ],
)
def test_agent_ids_are_one_encoded_path_segment(
    client: Letta, any_route: respx.Route, agent_id: str, raw_segment: bytes
) -> None:
    client.agents.messages.send(agent_id, input="hi")
    request = any_route.calls.last.request
    assert request.url.raw_path == b"/v1/agents/" + raw_segment + b"/messages"
    assert request.url.host == "letta.test"
    assert request.url.query == b""


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=30))
def test_path_segment_never_leaves_its_segment(value: str) -> None:
    try:
        encoded = path_segment(value, "agent_id")
    except ValueError:
        assert value in (".", "..") or not value.strip() or any(c.isspace() or not c.isprintable() for c in value)
        return
    assert encoded.isascii()
    assert not set(encoded) & set("/?#\\ \r\n\t")
    assert encoded not in (".", "..")
    assert unquote(encoded) == value
    assert httpx.URL(f"http://h/v1/agents/{encoded}/messages").raw_path.split(b"/") == [
        b"",
        b"v1",
        b"agents",
        encoded.encode(),
        b"messages",
    ]


async def test_async_bad_agent_id(async_client: AsyncLetta, mock_api: respx.MockRouter) -> None:
    mock_api.route().mock(return_value=httpx.Response(200, json=OK_BODY))
    with pytest.raises(ValueError):
        await async_client.agents.messages.send("a\nb", input="hi")
    with pytest.raises(TypeError):
        await async_client.agents.messages.send(None, input="hi")  # type: ignore[arg-type]
    assert mock_api.calls.call_count == 0


# --- keyword arguments ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "exc", "pattern"),
    [
        ({"messages": [{"role": "user", "content": "x"}], "input": "y"}, ValueError, "'messages' and 'input'.*both"),
        ({}, ValueError, "'messages' and 'input'.*neither"),
        ({"input": "x", "bogus": 1}, TypeError, "unexpected keyword argument 'bogus'"),
        ({"input": "x", "stream": True}, TypeError, "unexpected keyword argument 'stream'"),
        ({"input": "x", "max_steps": "x"}, TypeError, "max_steps"),
        ({"messages": "hi"}, TypeError, "messages"),
        ({"messages": [{"role": "wizard", "content": "x"}]}, TypeError, "messages"),
        ({"messages": [{"type": "tool_return"}]}, TypeError, "messages"),
        ({"input": 42}, TypeError, "input"),
        ({"input": "x", "client_tools": [{"description": "no name"}]}, TypeError, "client_tools"),
        ({"input": "x", "include_return_message_types": ["bogus_message"]}, TypeError, "include_return"),
        ({"input": "x", "stream_tokens": True}, ValueError, "stream_tokens.*streaming=True"),
        ({"input": "x", "include_pings": False}, ValueError, "include_pings.*streaming=True"),
        ({"input": "x", "background": True}, ValueError, "background.*streaming=True"),
        ({"input": "x", "stream_tokens": False, "background": False}, ValueError, "stream_tokens, background"),
    ],
)
def test_bad_arguments_fail_before_sending(
    client: Letta, mock_api: respx.MockRouter, any_route: respx.Route, kwargs: Dict[str, Any], exc: type, pattern: str
) -> None:
    with pytest.raises(exc, match=pattern):
        client.agents.messages.send(AGENT, **kwargs)
    assert mock_api.calls.call_count == 0


async def test_async_bad_arguments(async_client: AsyncLetta, mock_api: respx.MockRouter) -> None:
    mock_api.route().mock(return_value=httpx.Response(200, json=OK_BODY))
    with pytest.raises(ValueError, match="neither"):
        await async_client.agents.messages.send(AGENT)  # type: ignore[call-overload]
    with pytest.raises(TypeError):
        await async_client.agents.messages.send(AGENT, input="x", max_steps="x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="stream_tokens"):
        await async_client.agents.messages.send(AGENT, input="x", stream_tokens=True)  # type: ignore[call-overload]
    assert mock_api.calls.call_count == 0


# --- the API key ------------------------------------------------------------------------------


def _assert_no_key(text: str, key: str) -> None:
    assert key not in text
    assert key[-12:] not in text


def test_key_not_in_client_repr(client: Letta) -> None:
    key = client.api_key
    assert key
    for obj in (client, client.with_options(max_retries=1), client._options, client._transport):
        _assert_no_key(repr(obj), key)
        _assert_no_key(str(obj), key)
    assert "api_key=<set>" in repr(client)


@pytest.mark.parametrize(
    "side_effect",
    [
        httpx.Response(401, json={"detail": "Unauthorized"}),
        httpx.Response(500, text="Internal error"),
        httpx.Response(422, json={"trace_id": "", "detail": "[{'loc': ('body',), 'msg': 'bad'}]"}),
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("timed out"),
    ],
    ids=["401", "500", "422", "connect", "timeout"],
)
def test_key_not_in_exceptions(
    make_client: Callable[..., Letta], mock_api: respx.MockRouter, side_effect: object
) -> None:
    key = "sk-let-EXCEPTION-SECRET-42"
    mock_api.route().mock(side_effect=side_effect)
    with pytest.raises((APIStatusError, APIConnectionError)) as info:
        make_client(api_key=key, max_retries=0).agents.messages.send(AGENT, input="hi")
    for text in (str(info.value), repr(info.value), str(info.value.args)):
        _assert_no_key(text, key)


@pytest.fixture
def debug_logging(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> Iterator[pytest.LogCaptureFixture]:
    """``LETTA_LOG=debug`` as a user would set it; the logger's handlers and level are restored after."""
    handlers, level = list(sdk_logger.handlers), sdk_logger.level
    monkeypatch.setenv("LETTA_LOG", "debug")
    caplog.set_level(logging.DEBUG, logger="letta_client")
    yield caplog
    sdk_logger.handlers[:] = handlers
    sdk_logger.setLevel(level)


def test_key_redacted_in_debug_logs(
    make_client: Callable[..., Letta],
    mock_api: respx.MockRouter,
    debug_logging: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = "sk-let-LOGGED-SECRET-99"
    mock_api.route().mock(side_effect=[httpx.Response(503, json={"detail": "busy"}), httpx.Response(200, json=OK_BODY)])
    client = make_client(api_key=key, default_headers={"X-Api-Key": key, "Cookie": f"session={key}"})
    client.agents.messages.send(AGENT, input="hi", extra_headers={"X-Bare-Password": f"password {key}"})

    records = [r for r in debug_logging.records if r.name == "letta_client"]
    assert len(records) >= 2, "each attempt is logged"
    messages = [r.getMessage() for r in records]
    assert "'Authorization': '<redacted>'" in messages[0] or "'authorization': '<redacted>'" in messages[0]
    for lowered in ("x-api-key", "cookie", "x-bare-password"):
        assert f"'{lowered}': '<redacted>'" in messages[0].lower()
    for message in messages:
        _assert_no_key(message, key)
    _assert_no_key(debug_logging.text, key)
    _assert_no_key(capsys.readouterr().err, key)
