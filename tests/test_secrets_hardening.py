"""Secrets at the edges: API keys with whitespace or control characters, credentials in the base
URL, header values in transport error messages, and a corrupt gzip stream body."""

from __future__ import annotations

import asyncio
import base64
import logging
import traceback
import zlib
from typing import Any, AsyncIterator, Dict, Iterator, List
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from letta_client import APIConnectionError, AsyncLetta, Letta
from letta_client._logs import logger as sdk_logger

AGENT = "agent-5ba4b586-d7d6-4b37-a667-324e6e61b07a"
OK_BODY: Dict[str, Any] = {"messages": [], "stop_reason": {"stop_reason": "end_turn"}, "usage": {}}
KEY = "sk-let-SECRETKEY1234"
# what HTTP cannot carry inside a header value (a space and a tab it can: "My API Key" is sent)
BAD_CHARS = st.sampled_from([chr(c) for c in range(0x20) if c != 0x09] + ["\x7f", "\u00a0", "\u2028", "é"])


def _ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=OK_BODY)


def _client(**options: Any) -> Letta:
    return Letta(http_client=httpx.Client(transport=httpx.MockTransport(_ok)), **options)


# --- API keys --------------------------------------------------------------------------------------


@pytest.mark.parametrize("padding", ["\n", "\r\n", " ", "\t", " \n\t "])
def test_surrounding_whitespace_is_stripped_from_the_key(padding: str, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: List[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers["authorization"])
        return httpx.Response(200, json=OK_BODY)

    client = Letta(
        base_url="http://letta.test",
        api_key=padding + KEY + padding,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    assert client.api_key == KEY
    client.agents.messages.send(AGENT, input="hi")
    assert sent == [f"Bearer {KEY}"]
    assert client.with_options(api_key=KEY + padding).api_key == KEY
    monkeypatch.setenv("LETTA_API_KEY", KEY + padding)
    assert _client(base_url="http://letta.test").api_key == KEY


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    prefix=st.text(alphabet="abcdefXYZ0123456789-_", min_size=4, max_size=20),
    bad=BAD_CHARS,
    suffix=st.text(alphabet="abcdefXYZ0123456789-_", min_size=4, max_size=20),
)
def test_a_key_with_inner_control_or_non_ascii_characters_is_rejected_without_showing_it(
    prefix: str, bad: str, suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = prefix + bad + suffix
    client = _client(base_url="http://letta.test")
    attempts = [
        lambda: _client(base_url="http://letta.test", api_key=key),
        lambda: client.with_options(api_key=key),
    ]
    if bad != "\x00":  # the environment cannot hold a NUL
        monkeypatch.setenv("LETTA_API_KEY", key)
        attempts.append(lambda: _client(base_url="http://letta.test"))
    for attempt in attempts:
        with pytest.raises(ValueError, match="api_key") as info:
            attempt()
        for text in (str(info.value), repr(info.value)):
            assert prefix not in text and suffix not in text
    monkeypatch.delenv("LETTA_API_KEY", raising=False)


# --- header values in transport errors -------------------------------------------------------------


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    bad=st.sampled_from([chr(c) for c in range(0x20) if c != 0x09] + ["\x7f", "\u2028", "\xe9"]),
    mode=st.sampled_from(["sync", "async"]),
)
def test_a_header_value_http_cannot_carry_is_refused_before_sending(bad: str, mode: str) -> None:
    """A control or non-ASCII character in a header value is a clear ValueError before anything is
    sent (h11 would refuse it later quoting the whole header; httpx raises a raw UnicodeEncodeError)."""
    secret = "hdr-SECRET-" + bad + "-VALUE"
    sent: List[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    options: Dict[str, Any] = {"base_url": "http://letta.test", "api_key": KEY, "max_retries": 0}
    with pytest.raises(ValueError, match="X-Token") as info:
        if mode == "sync":
            Letta(http_client=httpx.Client(transport=httpx.MockTransport(record)), **options).agents.messages.send(
                AGENT, input="hi", extra_headers={"X-Token": secret}
            )
        else:
            client = AsyncLetta(http_client=httpx.AsyncClient(transport=httpx.MockTransport(record)), **options)
            asyncio.run(client.agents.messages.send(AGENT, input="hi", extra_headers={"X-Token": secret}))
    assert sent == []
    for part in ("hdr-SECRET-", "-VALUE", KEY):
        assert part not in str(info.value) + repr(info.value)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_no_connection_error_quotes_a_header_value(mode: str) -> None:
    """A transport error that quotes the request's headers (as h11 does) becomes an
    APIConnectionError with every header value redacted, in its text and in the causes under it."""
    secret = "hdr-SECRET-x-VALUE"

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.LocalProtocolError(
            f"Illegal header {request.headers['x-token'].encode()!r} {request.headers['authorization']!r}"
        )

    options: Dict[str, Any] = {"base_url": "http://letta.test", "api_key": KEY, "max_retries": 0}
    with pytest.raises(APIConnectionError) as info:
        if mode == "sync":
            Letta(http_client=httpx.Client(transport=httpx.MockTransport(refuse)), **options).agents.messages.send(
                AGENT, input="hi", extra_headers={"X-Token": secret}
            )
        else:
            client = AsyncLetta(http_client=httpx.AsyncClient(transport=httpx.MockTransport(refuse)), **options)
            asyncio.run(client.agents.messages.send(AGENT, input="hi", extra_headers={"X-Token": secret}))
    error = info.value
    text = str(error) + repr(error)
    assert "redacted" in text
    shown = "".join(traceback.format_exception(type(error), error, error.__traceback__))  # the causes too
    assert isinstance(error.__cause__, httpx.LocalProtocolError)
    for part in ("hdr-SECRET-", "-VALUE", KEY):
        assert part not in text
        assert part not in shown


def test_redact_headers_hides_every_private_value_and_keeps_public_ones() -> None:
    from letta_client._error_text import redact_headers

    request = httpx.Request(
        "GET", "http://letta.test/x", headers={"Authorization": f"Bearer {KEY}", "X-Project": "proj-secret-1"}
    )
    text = f"bad: Bearer {KEY} / {KEY} / proj-secret-1 / application/json"
    redacted = redact_headers(text, request)
    assert KEY not in redacted and "proj-secret-1" not in redacted
    assert "application/json" in redacted


# --- credentials in the base URL -------------------------------------------------------------------


def test_url_credentials_with_an_api_key_are_an_explicit_error() -> None:
    with pytest.raises(ValueError, match="choose one") as info:
        _client(base_url="http://alice:pa55word@letta.test", api_key=KEY)
    assert "pa55word" not in str(info.value) and KEY not in str(info.value)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(password=st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=6, max_size=20))
def test_url_credentials_are_sent_as_basic_auth_and_appear_nowhere_else(
    password: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.clear()
    sent: List[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=OK_BODY)

    base_url = httpx.URL(f"http://alice:{quote(password, safe='')}@letta.test")
    assert base_url.password == password
    handlers, level = list(sdk_logger.handlers), sdk_logger.level
    monkeypatch.setenv("LETTA_LOG", "debug")
    caplog.set_level(logging.DEBUG, logger="letta_client")
    caplog.set_level(logging.INFO, logger="httpx")
    try:
        client = Letta(base_url=base_url, http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        client.agents.messages.send(AGENT, input="hi")
        client.with_options(max_retries=1).agents.messages.send(AGENT, input="hi")
    finally:
        sdk_logger.handlers[:] = handlers
        sdk_logger.setLevel(level)
    expected = "Basic " + base64.b64encode(f"alice:{password}".encode()).decode()
    assert [request.headers["authorization"] for request in sent] == [expected, expected]
    assert all(request.url.userinfo == b"" for request in sent)
    encoded = base_url.password and str(base_url).split("alice:")[1].split("@")[0]
    texts = [repr(client), str(client.base_url), repr(client._options)] + [r.getMessage() for r in caplog.records]  # pyright: ignore[reportPrivateUsage]
    assert any("letta.test" in record.getMessage() for record in caplog.records if record.name == "httpx")
    for text in texts:
        assert password not in text and f"alice:{encoded}" not in text


# --- a corrupt gzip stream body ----------------------------------------------------------------------


class _GzipThenGarbage(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A gzip body whose first chunk decodes (a keep-alive comment) and whose second is corrupt."""

    def __init__(self) -> None:
        compressor = zlib.compressobj(wbits=31)
        self.chunks = [compressor.compress(b": keep-alive\n\n") + compressor.flush(zlib.Z_SYNC_FLUSH), b"\xff" * 64]

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk


def _corrupt_gzip(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, headers={"content-type": "text/event-stream", "content-encoding": "gzip"}, stream=_GzipThenGarbage()
    )


def test_a_corrupt_gzip_stream_raises_api_connection_error_sync() -> None:
    client = Letta(
        base_url="http://letta.test",
        max_retries=0,
        http_client=httpx.Client(transport=httpx.MockTransport(_corrupt_gzip)),
    )
    with pytest.raises(APIConnectionError) as info:
        with client.agents.messages.send(AGENT, input="hi", streaming=True) as stream:
            list(stream)
    assert isinstance(info.value.__cause__, httpx.DecodingError)


def test_a_corrupt_gzip_stream_raises_api_connection_error_async() -> None:
    async def main() -> None:
        client = AsyncLetta(
            base_url="http://letta.test",
            max_retries=0,
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(_corrupt_gzip)),
        )
        stream = await client.agents.messages.send(AGENT, input="hi", streaming=True)
        async with stream:
            async for _ in stream:
                pass

    with pytest.raises(APIConnectionError) as info:
        asyncio.run(main())
    assert isinstance(info.value.__cause__, httpx.DecodingError)
