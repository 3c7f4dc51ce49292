"""The official SDK's top-level names, and its ``NOT_GIVEN`` / ``omit`` values accepted where it accepts them.

Code written for the official SDK passes ``NOT_GIVEN`` for an argument it leaves at its default
and ``omit`` for a default header it removes; here both mean "as if not passed", in keyword
arguments, explicit arguments, request options and headers alike.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import httpx
import pytest

import letta_client
from letta_client import NOT_GIVEN, AsyncLetta, Letta, NotGiven, Omit, not_given, omit

HERE = Path(__file__).parent
AGENT_ID = "agent-00000000-0000-4000-8000-000000000000"
OK = {
    "messages": [],
    "stop_reason": {"message_type": "stop_reason", "stop_reason": "end_turn"},
    "usage": {"message_type": "usage_statistics"},
}


def _client(seen: List[httpx.Request], **kwargs: Any) -> Letta:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[] if request.method == "GET" else OK)

    http = httpx.Client(transport=httpx.MockTransport(handle))
    return Letta(base_url="http://letta.test", api_key="k", http_client=http, **kwargs)


def test_every_official_top_level_name_imports() -> None:
    names = json.loads((HERE / "official_top_level.json").read_text(encoding="utf-8"))
    missing = [name for name in names if not hasattr(letta_client, name)]
    assert not missing, f"letta_client lacks the official names {missing}"
    assert letta_client.Client is Letta and letta_client.AsyncClient is AsyncLetta
    assert isinstance(letta_client.DEFAULT_TIMEOUT, httpx.Timeout)
    assert letta_client.DEFAULT_MAX_RETRIES == 2


def test_the_sentinels_are_falsy_and_named() -> None:
    assert not NOT_GIVEN and not omit and not_given is NOT_GIVEN
    assert isinstance(NOT_GIVEN, NotGiven) and isinstance(omit, Omit)
    assert (repr(NOT_GIVEN), repr(omit)) == ("NOT_GIVEN", "omit")


def test_not_given_keywords_and_options_are_left_out() -> None:
    seen: List[httpx.Request] = []
    with _client(seen, timeout=NOT_GIVEN) as client:
        assert client.timeout == letta_client.DEFAULT_TIMEOUT
        client.agents.messages.create(
            agent_id=AGENT_ID, input="hi", max_steps=NOT_GIVEN, use_assistant_message=omit, timeout=NOT_GIVEN
        )
    body: Dict[str, Any] = json.loads(seen[0].content)
    assert "max_steps" not in body and "use_assistant_message" not in body
    assert body["input"] == "hi"
    assert seen[0].extensions["timeout"]["read"] == letta_client.DEFAULT_TIMEOUT.read


def test_not_given_explicit_arguments_are_left_out_of_the_query() -> None:
    seen: List[httpx.Request] = []
    with _client(seen) as client:
        list(client.runs.list(agent_id=NOT_GIVEN, limit=NOT_GIVEN, extra_query={"tag": omit}))  # type: ignore[arg-type]
    assert seen[0].url.path == "/v1/runs/"
    assert not seen[0].url.params


def test_omit_removes_a_default_header() -> None:
    seen: List[httpx.Request] = []
    with _client(seen, default_headers={"X-Team": "blue"}) as client:
        client.agents.messages.create(agent_id=AGENT_ID, input="a")
        client.agents.messages.create(agent_id=AGENT_ID, input="b", extra_headers={"X-Team": omit})
    assert seen[0].headers["x-team"] == "blue"
    assert "x-team" not in seen[1].headers
    assert seen[1].headers["authorization"] == "Bearer k"


@pytest.mark.asyncio
async def test_the_async_client_leaves_them_out_too() -> None:
    seen: List[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=OK)

    http = httpx.AsyncClient(transport=httpx.MockTransport(handle))
    async with AsyncLetta(base_url="http://letta.test", api_key="k", http_client=http) as client:
        await client.agents.messages.create(agent_id=AGENT_ID, input="hi", max_steps=NOT_GIVEN)
    assert "max_steps" not in json.loads(seen[0].content)
