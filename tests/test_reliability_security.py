"""Hostile ids never change the request line or the headers that reach the server.

Every id is either refused before anything is sent (``ValueError`` / ``TypeError``) or arrives
as exactly one percent-encoded path segment, with the same headers as a plain id.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _faults import LoopbackServer, Reply, Request
from letta_client import Letta, LettaError

HOSTILE = [
    "../../v1/admin",
    "..",
    ".",
    "a/../../b",
    "x?admin=1",
    "x#frag",
    "x\r\nX-Injected: 1",
    "x\nHost: evil",
    "x\r\n\r\nGET / HTTP/1.1",
    "x%2F..%2Fadmin",
    "%00",
    "x\x00y",
    "\uff41\uff47\uff45\uff4e\uff54",
    "agent-\u202e",
    "\u2028",
    "😀/😀",
    "x y",
    " ",
    "\t",
    "x;y=1",
    "x\\y",
    "//evil.example",
    "http://evil",
    "@evil",
    "x:y",
    "~",
    "x" * 5000,
]
MESSAGES: Any = [{"role": "user", "content": "hi"}]
RUN = {"id": "run-1", "status": "completed", "agent_id": "agent-1"}


def answer(request: Request) -> Reply:
    if request.target.startswith("/v1/runs/") and request.target.endswith("/messages"):
        return Reply.json(200, [])
    if request.target.startswith("/v1/runs/"):
        return Reply.json(200, RUN)
    return Reply.json(
        200, {"messages": [], "stop_reason": {"message_type": "stop_reason", "stop_reason": "end_turn"}, "usage": {}}
    )


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(answer) as server:
        server.client = Letta(base_url=server.base_url, api_key="k", max_retries=0)  # type: ignore[attr-defined]
        yield server
        server.client.close()  # type: ignore[attr-defined]


CALLS: Dict[str, Tuple[str, str, Callable[[Letta, str], object]]] = {
    "send": ("POST", "/v1/agents/{}/messages", lambda c, i: c.agents.messages.send(i, messages=MESSAGES)),
    "run": ("GET", "/v1/runs/{}", lambda c, i: c.runs.retrieve(i)),
    "run messages": ("GET", "/v1/runs/{}/messages", lambda c, i: c.runs.messages.list(i)),
}


def arrival(server: LoopbackServer, call: str, value: str) -> Optional[Request]:
    """What reached the server for this call (None when the SDK refused the id)."""
    client: Letta = server.client  # type: ignore[attr-defined]
    count = len(server.requests)
    try:
        CALLS[call][2](client, value)
    except (ValueError, TypeError):
        assert len(server.requests) == count
        return None
    except LettaError:
        pass
    assert len(server.requests) == count + 1
    return server.requests[-1]


def header_names(request: Request) -> List[bytes]:
    return sorted(line.split(b":")[0].lower() for line in request.header_lines)


def check(server: LoopbackServer, call: str, value: str) -> None:
    method, template, _ = CALLS[call]
    baseline = arrival(server, call, "plain-id")
    assert baseline is not None
    request = arrival(server, call, value)
    if request is None:
        return
    target = template.format(quote(value, safe=""))
    assert request.request_line.decode("latin-1") == f"{method} {target} HTTP/1.1"
    assert header_names(request) == header_names(baseline)
    assert request.header("host") == baseline.header("host")


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_ids_stay_in_their_path_segment(server: LoopbackServer, call: str, value: str) -> None:
    check(server, call, value)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(min_size=1, max_size=40), call=st.sampled_from(sorted(CALLS)))
def test_arbitrary_ids_stay_in_their_path_segment(server: LoopbackServer, value: str, call: str) -> None:
    check(server, call, value)


def test_crlf_ids_are_refused_before_sending(server: LoopbackServer) -> None:
    for value in ("x\r\nX-Injected: 1", "x\n", "x\x00", ".."):
        for call in CALLS:
            assert arrival(server, call, value) is None
    assert all(b"x-injected" not in b"".join(r.header_lines).lower() for r in server.requests)
