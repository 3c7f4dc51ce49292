"""The retry policy: what is retried, how long the client waits, and that a retry is byte-identical."""

from __future__ import annotations

import email.utils
import time
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterator, List, Optional

import httpx
import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st

from letta_client import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncLetta,
    InternalServerError,
    Letta,
    LettaResponse,
    RateLimitError,
    _retry,
)
from letta_client._retry import retry_delay, should_retry_error, should_retry_response

AGENT = "agent-5ba4b586-d7d6-4b37-a667-324e6e61b07a"
PATH = f"/v1/agents/{AGENT}/messages"
LLM_RATE_LIMIT = {"error": {"type": "llm_rate_limit", "message": "Rate limited by the provider", "detail": "slow down"}}


def _ok() -> httpx.Response:
    stop = {"message_type": "stop_reason", "stop_reason": "end_turn"}
    return httpx.Response(200, json={"messages": [], "stop_reason": stop, "usage": {}})


def _response(status: int, headers: Optional[dict[str, str]] = None, **kwargs: Any) -> httpx.Response:
    request = httpx.Request("POST", "http://letta.test/x")
    return httpx.Response(status, headers=headers, request=request, **kwargs)


@pytest.fixture
def no_jitter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_retry.random, "random", lambda: 0.0)


# --- the policy functions ---------------------------------------------------------------------

CONNECT_ERRORS = [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), httpx.PoolTimeout("busy")]
LATER_ERRORS = [
    httpx.ReadTimeout("read"),
    httpx.WriteTimeout("write"),
    httpx.ReadError("reset"),
    httpx.WriteError("broken"),
    httpx.RemoteProtocolError("eof"),
]


@pytest.mark.parametrize("error", CONNECT_ERRORS, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("idempotent", [True, False])
def test_connect_errors_are_always_retried(error: httpx.TransportError, idempotent: bool) -> None:
    assert should_retry_error(error, idempotent=idempotent) is True


@pytest.mark.parametrize("error", LATER_ERRORS, ids=lambda e: type(e).__name__)
def test_errors_after_sending_are_retried_only_when_idempotent(error: httpx.TransportError) -> None:
    assert should_retry_error(error, idempotent=True) is True
    assert should_retry_error(error, idempotent=False) is False


@pytest.mark.parametrize(
    ("status", "headers", "body", "idempotent", "non_idempotent"),
    [
        (429, None, None, True, True),
        (503, None, {"detail": "overloaded"}, True, True),
        (429, None, LLM_RATE_LIMIT, True, False),
        (503, None, {"error": {"type": "llm_error", "message": "m"}}, True, False),
        (429, None, "not json", True, True),
        (408, None, None, True, False),
        (409, {"Retry-After": "1"}, {"detail": "database is locked. Please retry"}, True, False),
        (409, None, {"detail": "CONFLICT: busy"}, False, False),
        (500, None, None, True, False),
        (502, None, None, True, False),
        (504, None, None, True, False),
        (400, None, None, False, False),
        (404, None, None, False, False),
        (422, None, None, False, False),
    ],
)
def test_should_retry_response(
    status: int, headers: Optional[dict[str, str]], body: object, idempotent: bool, non_idempotent: bool
) -> None:
    kwargs: dict[str, Any] = {"text": body} if isinstance(body, str) else {"json": body} if body is not None else {}
    response = _response(status, headers, **kwargs)
    assert should_retry_response(response, idempotent=True) is idempotent
    assert should_retry_response(response, idempotent=False) is non_idempotent


def test_backoff_grows_and_is_bounded(no_jitter: None) -> None:
    assert [retry_delay(n, None) for n in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert retry_delay(1000, httpx.Headers()) == 8.0


@given(st.integers(min_value=0, max_value=10_000))
def test_jittered_backoff_stays_in_bounds(retries_done: int) -> None:
    base = min(0.5 * 2.0 ** min(retries_done, 10), 8.0)
    assert 0.75 * base <= retry_delay(retries_done, None) <= base


def _http_date(seconds_from_now: float) -> str:
    return email.utils.format_datetime(datetime.now(timezone.utc) + timedelta(seconds=seconds_from_now), usegmt=True)


@pytest.mark.parametrize(
    ("headers", "low", "high"),
    [
        ({"retry-after-ms": "1500"}, 1.5, 1.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25, 0.25),
        ({"retry-after": "3"}, 3.0, 3.0),
        ({"retry-after": "0"}, 0.0, 0.0),
        ({"retry-after": "2.5"}, 2.5, 2.5),
        ({"retry-after-ms": "junk", "retry-after": "4"}, 4.0, 4.0),
    ],
)
def test_retry_after_is_honoured(headers: dict[str, str], low: float, high: float) -> None:
    assert low <= retry_delay(5, httpx.Headers(headers)) <= high


@pytest.mark.parametrize(("offset", "low", "high"), [(10, 8.0, 10.0), (-30, 0.0, 0.0)])
def test_retry_after_http_date(offset: float, low: float, high: float) -> None:
    assert low <= retry_delay(5, httpx.Headers({"retry-after": _http_date(offset)})) <= high


@pytest.mark.parametrize(
    "headers",
    [
        {"retry-after": "3600"},
        {"retry-after": "-1"},
        {"retry-after": "nan"},
        {"retry-after": "inf"},
        {"retry-after": "soon"},
        {"retry-after": ""},
        {"retry-after-ms": "999999999"},
        {"retry-after-ms": "-5"},
        {"retry-after": "Sun, 06 Nov 20xx 08:49:37 GMT"},
        {"retry-after": "Sun, 06 Nov 2124 08:49:37 GMT"},
        {"retry-after": "Mon, 99 Foo 2026 99:99:99 GMT"},
    ],
)
def test_absurd_retry_after_falls_back_to_backoff(no_jitter: None, headers: dict[str, str]) -> None:
    assert retry_delay(1, httpx.Headers(headers)) == 1.0


@given(st.text(max_size=40), st.integers(min_value=0, max_value=50))
def test_any_retry_after_gives_a_sane_delay(value: str, retries_done: int) -> None:
    try:
        headers = httpx.Headers({"retry-after": value, "retry-after-ms": value})
    except (UnicodeEncodeError, ValueError):
        return
    assert 0.0 <= retry_delay(retries_done, headers) <= 60.0


# --- through send() (not idempotent) ----------------------------------------------------------


def _sequence(*responses: object) -> Iterator[object]:
    return iter(responses)


@pytest.mark.parametrize(
    "first",
    [
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("slow"),
        httpx.Response(429, json={"detail": "Too many requests"}),
        httpx.Response(503, json={"detail": "overloaded"}),
        httpx.Response(503, text="<html>upstream unavailable</html>"),
    ],
    ids=["connect-error", "connect-timeout", "429", "503", "503-html"],
)
def test_send_is_retried_when_nothing_ran(
    client: Letta, mock_api: respx.MockRouter, sleeps: List[float], first: object
) -> None:
    route = mock_api.post(PATH).mock(side_effect=[first, _ok()])
    response = client.agents.messages.send(AGENT, messages=[{"role": "user", "content": "hi"}])

    assert isinstance(response, LettaResponse)
    assert route.call_count == 2
    assert len(sleeps) == 1 and 0.0 < sleeps[0] <= 0.5
    first_request, second_request = (call.request for call in route.calls)
    assert first_request.content == second_request.content, "a retry must carry the same otids"
    assert b'"otid"' in first_request.content


@pytest.mark.parametrize(
    ("side_effect", "exc"),
    [
        (httpx.Response(500, json={"detail": "An unknown error occurred"}), InternalServerError),
        (httpx.Response(502, text="bad gateway"), InternalServerError),
        (httpx.Response(504, text="gateway timeout"), InternalServerError),
        (httpx.Response(408, text="request timeout"), APIStatusError),
        (httpx.Response(409, headers={"Retry-After": "1"}, json={"detail": "locked"}), APIStatusError),
        (httpx.Response(429, json=LLM_RATE_LIMIT), RateLimitError),
        (httpx.ReadTimeout("read timed out"), APITimeoutError),
        (httpx.ReadError("connection reset"), APIConnectionError),
        (httpx.RemoteProtocolError("server disconnected"), APIConnectionError),
    ],
    ids=["500", "502", "504", "408", "409-retry-after", "429-llm", "read-timeout", "read-error", "disconnect"],
)
def test_send_is_not_retried_once_the_server_may_have_run(
    client: Letta, mock_api: respx.MockRouter, sleeps: List[float], side_effect: object, exc: type
) -> None:
    route = mock_api.post(PATH).mock(side_effect=[side_effect, _ok()])
    with pytest.raises(exc) as info:
        client.agents.messages.send(AGENT, input="hi")
    assert route.call_count == 1
    assert sleeps == []
    if isinstance(info.value, RateLimitError):
        assert info.value.error_type == "llm_rate_limit"


class _BrokenBody(httpx.SyncByteStream):
    def __iter__(self) -> Iterator[bytes]:
        yield b'{"messages": ['
        raise httpx.ReadError("connection reset mid-body")


def test_send_is_not_retried_when_the_body_breaks(make_client: Callable[..., Letta], sleeps: List[float]) -> None:
    calls: List[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, stream=_BrokenBody())

    client = make_client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    with pytest.raises(APIConnectionError):
        client.agents.messages.send(AGENT, input="hi")
    assert len(calls) == 1 and sleeps == []


@pytest.mark.parametrize(
    ("headers", "expected"),
    [({"retry-after-ms": "1200"}, 1.2), ({"Retry-After": "7"}, 7.0), ({"Retry-After": "86400"}, None)],
)
def test_send_honours_retry_after(
    client: Letta, mock_api: respx.MockRouter, sleeps: List[float], headers: dict[str, str], expected: Optional[float]
) -> None:
    mock_api.post(PATH).mock(side_effect=[httpx.Response(429, headers=headers, json={"detail": "slow"}), _ok()])
    client.agents.messages.send(AGENT, input="hi")
    if expected is None:
        assert len(sleeps) == 1 and 0.0 < sleeps[0] <= 0.5
    else:
        assert sleeps == [pytest.approx(expected)]


def test_max_retries_zero_disables(
    make_client: Callable[..., Letta], mock_api: respx.MockRouter, sleeps: List[float]
) -> None:
    route = mock_api.post(PATH).mock(side_effect=[httpx.ConnectError("refused"), _ok()])
    with pytest.raises(APIConnectionError) as info:
        make_client(max_retries=0).agents.messages.send(AGENT, input="hi")
    assert type(info.value) is APIConnectionError
    assert route.call_count == 1 and sleeps == []


def test_exhausted_retries_raise_the_last_error(
    make_client: Callable[..., Letta], mock_api: respx.MockRouter, sleeps: List[float], no_jitter: None
) -> None:
    answers = [httpx.Response(503, json={"detail": f"attempt {n}"}) for n in (1, 2, 3, 4)]
    route = mock_api.post(PATH).mock(side_effect=answers)
    with pytest.raises(InternalServerError) as info:
        make_client(max_retries=3).agents.messages.send(AGENT, input="hi")
    assert route.call_count == 4
    assert sleeps == [0.5, 1.0, 2.0]
    assert info.value.detail == "attempt 4"
    assert len({call.request.content for call in route.calls}) == 1


def test_exhausted_connect_retries_raise_connection_error(
    client: Letta, mock_api: respx.MockRouter, sleeps: List[float]
) -> None:
    route = mock_api.post(PATH).mock(side_effect=httpx.ConnectTimeout("slow"))
    with pytest.raises(APITimeoutError):
        client.agents.messages.send(AGENT, input="hi")
    assert route.call_count == 3 and len(sleeps) == 2


def test_fake_sleep_means_no_real_waiting(client: Letta, mock_api: respx.MockRouter, sleeps: List[float]) -> None:
    mock_api.post(PATH).mock(side_effect=[httpx.Response(429, headers={"Retry-After": "30"}), _ok()])
    started = time.monotonic()
    client.agents.messages.send(AGENT, input="hi")
    assert sleeps == [30.0]
    assert time.monotonic() - started < 5


# --- AsyncLetta --------------------------------------------------------------------------------


async def test_async_send_retried_with_same_body(
    async_client: AsyncLetta, mock_api: respx.MockRouter, sleeps: List[float]
) -> None:
    route = mock_api.post(PATH).mock(
        side_effect=[httpx.ConnectError("refused"), httpx.Response(503, headers={"retry-after-ms": "10"}), _ok()]
    )
    response = await async_client.agents.messages.send(AGENT, messages=[{"role": "user", "content": "hi"}])
    assert isinstance(response, LettaResponse)
    assert route.call_count == 3
    assert len(sleeps) == 2 and sleeps[1] == pytest.approx(0.01)
    assert len({call.request.content for call in route.calls}) == 1


@pytest.mark.parametrize(
    ("side_effect", "exc"),
    [
        (httpx.Response(500, json={"detail": "x"}), InternalServerError),
        (httpx.Response(429, json=LLM_RATE_LIMIT), RateLimitError),
        (httpx.ReadTimeout("read"), APITimeoutError),
    ],
    ids=["500", "429-llm", "read-timeout"],
)
async def test_async_send_not_retried(
    async_client: AsyncLetta, mock_api: respx.MockRouter, sleeps: List[float], side_effect: object, exc: type
) -> None:
    route = mock_api.post(PATH).mock(side_effect=[side_effect, _ok()])
    with pytest.raises(exc):
        await async_client.agents.messages.send(AGENT, input="hi")
    assert route.call_count == 1 and sleeps == []


async def test_async_exhausted_and_disabled(
    make_async_client: Callable[..., AsyncLetta], mock_api: respx.MockRouter, sleeps: List[float]
) -> None:
    route = mock_api.post(PATH).mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError):
        await make_async_client(max_retries=2).agents.messages.send(AGENT, input="hi")
    assert route.call_count == 3 and len(sleeps) == 2
    with pytest.raises(APIConnectionError):
        await make_async_client(max_retries=0).agents.messages.send(AGENT, input="hi")
    assert route.call_count == 4 and len(sleeps) == 2
