"""Client configuration: environment, base URL, timeouts, query defaults, copies and the pool."""

from __future__ import annotations

from typing import Any, Callable, Dict, List

import httpx
import pytest
import respx

from letta_client import APIResponse, AsyncLetta, Letta, LettaResponse

AGENT = "agent-5ba4b586-d7d6-4b37-a667-324e6e61b07a"
PATH = f"/v1/agents/{AGENT}/messages"
OK_BODY: Dict[str, Any] = {"messages": [], "stop_reason": {"stop_reason": "end_turn"}, "usage": {}}


def _timeout(value: float | None) -> Dict[str, Any]:
    return {"connect": value, "read": value, "write": value, "pool": value}


@pytest.fixture
def route(mock_api: respx.MockRouter) -> respx.Route:
    return mock_api.post(PATH).mock(return_value=httpx.Response(200, json=OK_BODY))


def _sent(route: respx.Route) -> httpx.Request:
    return route.calls.last.request


# --- settings ---------------------------------------------------------------------------------


def test_env_vars(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LETTA_API_KEY", "sk-env")
    monkeypatch.setenv("LETTA_BASE_URL", "http://env.test:9000/")
    with respx.mock(base_url="http://env.test:9000") as router:
        route = router.post(PATH).mock(return_value=httpx.Response(200, json=OK_BODY))
        with Letta() as client:
            assert client.api_key == "sk-env"
            assert str(client.base_url) == "http://env.test:9000/"
            client.agents.messages.send(AGENT, input="hi")
    assert str(route.calls.last.request.url) == f"http://env.test:9000{PATH}"
    assert route.calls.last.request.headers["authorization"] == "Bearer sk-env"


def test_arguments_win_over_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LETTA_API_KEY", "sk-env")
    monkeypatch.setenv("LETTA_BASE_URL", "http://env.test")
    client = Letta(api_key="sk-arg", base_url="http://arg.test")
    assert (client.api_key, client.base_url.host) == ("sk-arg", "arg.test")
    assert Letta(base_url=None, environment="local").base_url.host == "localhost"
    with pytest.raises(ValueError, match="Ambiguous URL"):  # as the official SDK
        Letta(environment="local")


def test_base_url_wins_over_environment() -> None:
    """As in the official SDK, ``base_url`` wins when both are given."""
    assert Letta(base_url="http://x.test", environment="local").base_url.host == "x.test"
    assert AsyncLetta(base_url="http://x.test", environment="cloud").base_url.host == "x.test"


def test_defaults_without_env() -> None:
    client = Letta()
    assert str(client.base_url) == "https://api.letta.com"
    assert client.api_key is None
    assert client.max_retries == 2
    assert "api_key=<none>" in repr(client)


@pytest.mark.parametrize(
    ("environment", "url"), [("cloud", "https://api.letta.com"), ("local", "http://localhost:8283")]
)
def test_environments(environment: Any, url: str) -> None:
    assert str(Letta(environment=environment).base_url) == url
    assert str(AsyncLetta(environment=environment).base_url) == url


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"environment": "staging"}, "environment must be one of"),
        ({"base_url": "ftp://x.test"}, "http"),
        ({"base_url": "not a url"}, "http"),
        ({"max_retries": -1}, "max_retries"),
    ],
)
def test_invalid_settings(kwargs: Dict[str, Any], pattern: str) -> None:
    with pytest.raises(ValueError, match=pattern):
        Letta(**kwargs)
    with pytest.raises(ValueError, match=pattern):
        AsyncLetta(**kwargs)


def test_base_url_with_path_prefix(make_client: Callable[..., Letta]) -> None:
    with respx.mock() as router:
        route = router.post(f"http://proxy.test/letta{PATH}").mock(return_value=httpx.Response(200, json=OK_BODY))
        make_client(base_url="http://proxy.test/letta/").agents.messages.send(AGENT, input="hi")
    assert route.calls.last.request.url.raw_path == f"/letta{PATH}".encode()


# --- timeouts and query -----------------------------------------------------------------------


def test_default_timeout(make_client: Callable[..., Letta], route: respx.Route) -> None:
    client = make_client()
    assert client.timeout == httpx.Timeout(60.0, connect=5.0)
    client.agents.messages.send(AGENT, input="hi")
    assert _sent(route).extensions["timeout"] == {"connect": 5.0, "read": 60.0, "write": 60.0, "pool": 60.0}


@pytest.mark.parametrize(
    ("timeout", "expected"),
    [
        (10.0, _timeout(10.0)),
        (httpx.Timeout(30.0, connect=2.0), {"connect": 2.0, "read": 30.0, "write": 30.0, "pool": 30.0}),
        (None, _timeout(None)),
    ],
)
def test_client_timeout(make_client: Callable[..., Letta], route: respx.Route, timeout: Any, expected: Any) -> None:
    make_client(timeout=timeout).agents.messages.send(AGENT, input="hi")
    assert _sent(route).extensions["timeout"] == expected


@pytest.mark.parametrize(
    ("timeout", "expected"),
    [(3.0, _timeout(3.0)), (None, _timeout(None)), (httpx.Timeout(1.0, read=99.0), {**_timeout(1.0), "read": 99.0})],
)
def test_per_request_timeout(client: Letta, route: respx.Route, timeout: Any, expected: Any) -> None:
    client.agents.messages.send(AGENT, input="hi", timeout=timeout)
    assert _sent(route).extensions["timeout"] == expected
    client.agents.messages.send(AGENT, input="hi")
    assert _sent(route).extensions["timeout"] == {"connect": 5.0, "read": 60.0, "write": 60.0, "pool": 60.0}


def test_default_query_and_extra_query(make_client: Callable[..., Letta], route: respx.Route) -> None:
    client = make_client(default_query={"tenant": "t1", "debug": "0"})
    client.agents.messages.send(AGENT, input="hi")
    assert _sent(route).url.params == httpx.QueryParams({"tenant": "t1", "debug": "0"})
    client.agents.messages.send(AGENT, input="hi", extra_query={"debug": "1", "x": "y"})
    assert _sent(route).url.params == httpx.QueryParams({"tenant": "t1", "debug": "1", "x": "y"})


# --- with_options -----------------------------------------------------------------------------


def test_with_options_returns_a_configured_copy(client: Letta, route: respx.Route) -> None:
    copy = client.with_options(
        api_key="sk-other", max_retries=0, timeout=4.0, default_headers={"X-D": "1"}, project_id="p-1"
    )
    assert isinstance(copy, Letta) and copy is not client
    assert copy._http_client is client._http_client
    assert (copy.api_key, copy.max_retries, copy.timeout) == ("sk-other", 0, httpx.Timeout(4.0))
    assert (client.max_retries, client.timeout) == (2, httpx.Timeout(60.0, connect=5.0))

    copy.agents.messages.send(AGENT, input="hi")
    request = _sent(route)
    assert request.headers["authorization"] == "Bearer sk-other"
    assert (request.headers["x-d"], request.headers["x-project-id"]) == ("1", "p-1")
    assert request.extensions["timeout"] == _timeout(4.0)

    client.agents.messages.send(AGENT, input="hi")
    request = _sent(route)
    assert request.headers["authorization"] == f"Bearer {client.api_key}"
    assert "x-d" not in request.headers and "x-project-id" not in request.headers

    copy.close()
    assert not client._http_client.is_closed, "a copy does not own the shared pool"


def test_with_options_keeps_unchanged_settings(make_client: Callable[..., Letta]) -> None:
    client = make_client(api_key="k", default_query={"a": "1"}, project="proj")
    copy = client.with_options(base_url="http://other.test")
    assert (copy.api_key, copy.base_url.host) == ("k", "other.test")
    assert copy._options.default_query == {"a": "1"} and copy._options.project == "proj"


def test_with_options_rejects_unknown_and_invalid(client: Letta) -> None:
    with pytest.raises(TypeError, match="colour"):
        client.with_options(colour="red")
    with pytest.raises(ValueError):
        client.with_options(max_retries=-1)


# --- the connection pool ----------------------------------------------------------------------


def test_context_manager_closes_owned_pool() -> None:
    with Letta(base_url="http://x.test") as client:
        pool = client._http_client
        assert not pool.is_closed
    assert pool.is_closed


def test_user_supplied_http_client_is_used_and_not_closed() -> None:
    seen: List[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=OK_BODY)

    http_client = httpx.Client(transport=httpx.MockTransport(handler), headers={"X-From-Pool": "yes"})
    with Letta(base_url="http://x.test", http_client=http_client) as client:
        assert client._http_client is http_client
        client.agents.messages.send(AGENT, input="hi")
        copy = client.with_options(max_retries=0)
        assert copy._http_client is http_client
        copy.agents.messages.send(AGENT, input="again")
    assert not http_client.is_closed
    assert [r.url.path for r in seen] == [PATH, PATH]
    assert seen[0].headers["x-from-pool"] == "yes"
    assert seen[0].headers["user-agent"].startswith("letta-client/1.")
    http_client.close()


def test_resources_are_cached(client: Letta) -> None:
    assert client.agents is client.agents
    assert client.agents.messages is client.agents.messages


# --- with_raw_response and create -------------------------------------------------------------


def test_with_raw_response(client: Letta, mock_api: respx.MockRouter) -> None:
    mock_api.post(PATH).mock(return_value=httpx.Response(200, json=OK_BODY, headers={"X-Request-Id": "req-1"}))
    raw = client.agents.messages.with_raw_response.send(AGENT, input="hi")
    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200
    assert raw.headers["x-request-id"] == "req-1"
    assert raw.http_response.json() == OK_BODY
    parsed = raw.parse()
    assert isinstance(parsed, LettaResponse) and parsed.stop_reason.stop_reason == "end_turn"
    assert "200" in repr(raw)


def test_create_alias(client: Letta, route: respx.Route) -> None:
    assert isinstance(client.agents.messages.create(AGENT, input="hi"), LettaResponse)
    assert route.call_count == 1


# --- AsyncLetta -------------------------------------------------------------------------------


async def test_async_configuration(make_async_client: Callable[..., AsyncLetta], route: respx.Route) -> None:
    client = make_async_client(
        api_key="sk-a", default_query={"q": "1"}, timeout=7.0, project="proj", default_headers={"X-D": "d"}
    )
    await client.agents.messages.send(AGENT, input="hi", extra_headers={"X-E": "e"})
    request = _sent(route)
    assert request.headers["authorization"] == "Bearer sk-a"
    assert (request.headers["x-project"], request.headers["x-d"], request.headers["x-e"]) == ("proj", "d", "e")
    assert request.url.params["q"] == "1"
    assert request.extensions["timeout"] == _timeout(7.0)

    copy = client.with_options(api_key="sk-b", timeout=None)
    assert isinstance(copy, AsyncLetta) and copy._http_client is client._http_client
    await copy.agents.messages.send(AGENT, input="hi", timeout=2.0)
    assert _sent(route).headers["authorization"] == "Bearer sk-b"
    assert _sent(route).extensions["timeout"] == _timeout(2.0)
    await copy.close()
    assert not client._http_client.is_closed


async def test_async_env_and_default_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LETTA_API_KEY", "sk-env")
    client = AsyncLetta()
    assert (client.api_key, client.timeout) == ("sk-env", httpx.Timeout(60.0, connect=5.0))
    await client.close()


async def test_async_context_manager_and_user_pool() -> None:
    async with AsyncLetta(base_url="http://x.test") as client:
        pool = client._http_client
    assert pool.is_closed

    calls: List[httpx.Request] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json=OK_BODY)

    http_client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with AsyncLetta(base_url="http://x.test", http_client=http_client) as client:
        assert client._http_client is http_client
        response = await client.agents.messages.create(AGENT, input="hi")
        assert isinstance(response, LettaResponse)
    assert not http_client.is_closed and len(calls) == 1
    await http_client.aclose()
