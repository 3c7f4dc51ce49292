"""``client.copy(...)`` / ``client.with_options(...)`` take the official SDK's keywords and mean
what they mean there: ``default_headers`` / ``default_query`` merge, the ``set_`` forms replace."""

from __future__ import annotations

import inspect

import httpx
import pytest
import respx

from letta_client import AsyncLetta, Letta

OFFICIAL_COPY_PARAMETERS = [  # the official 1.12.1 Letta.copy, in its order
    "api_key",
    "project_id",
    "project",
    "environment",
    "base_url",
    "timeout",
    "http_client",
    "max_retries",
    "default_headers",
    "set_default_headers",
    "default_query",
    "set_default_query",
    "_extra_kwargs",
]


@pytest.mark.parametrize("cls", [Letta, AsyncLetta])
def test_copy_takes_the_official_keywords_and_with_options_is_the_same(cls: type) -> None:
    parameters = list(inspect.signature(cls.copy).parameters)[1:]
    assert [name for name in parameters if name in OFFICIAL_COPY_PARAMETERS] == OFFICIAL_COPY_PARAMETERS
    assert cls.with_options is cls.copy


def test_default_headers_and_query_merge_and_the_set_forms_replace(mock_api: respx.MockRouter) -> None:
    route = mock_api.get("/v1/health/").mock(return_value=httpx.Response(200, json={"status": "ok", "version": "x"}))
    with Letta(
        api_key="sk-a", base_url="http://letta.test", default_headers={"X-A": "1"}, default_query={"a": "1"}
    ) as client:
        merged = client.copy(default_headers={"X-B": "2"}, default_query={"b": "2"})
        merged.health()
        request = route.calls.last.request
        assert request.headers["X-A"] == "1" and request.headers["X-B"] == "2"
        assert request.url.params["a"] == "1" and request.url.params["b"] == "2"
        replaced = client.with_options(set_default_headers={"X-C": "3"}, set_default_query={"c": "3"})
        replaced.health()
        request = route.calls.last.request
        assert "X-A" not in request.headers and request.headers["X-C"] == "3"
        assert "a" not in request.url.params and request.url.params["c"] == "3"
        assert request.headers["Authorization"] == "Bearer sk-a"  # the rest is kept
        with pytest.raises(ValueError, match="mutually exclusive"):
            client.copy(default_headers={}, set_default_headers={})
        with pytest.raises(ValueError, match="mutually exclusive"):
            client.copy(default_query={}, set_default_query={})


def test_a_copy_shares_the_pool_unless_given_its_own(mock_api: respx.MockRouter) -> None:
    with Letta(api_key="sk-a", base_url="http://letta.test", max_retries=5) as client:
        shared = client.copy(timeout=3.0)
        assert shared._http_client is client._http_client
        assert shared.timeout.read == 3.0 and shared.max_retries == 5 and client.timeout.read != 3.0
        own = httpx.Client()
        separate = client.copy(http_client=own, max_retries=0)
        assert separate._http_client is own and separate.max_retries == 0
        separate.close()
        assert not own.is_closed  # the caller's client stays the caller's
        own.close()
        assert client.copy(base_url="http://other.test").base_url.host == "other.test"
        assert client.copy(environment="local").base_url.host in ("localhost", "127.0.0.1")
