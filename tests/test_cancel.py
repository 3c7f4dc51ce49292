"""``client.agents.messages.cancel``: body shapes, result mapping, retried like a read."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

import httpx
import pytest
import respx

from letta_client import AsyncLetta, ConflictError, Letta

AGENT = "agent-5ba4b586-d7d6-4b37-a667-324e6e61b07a"
CANCEL = f"/v1/agents/{AGENT}/messages/cancel"
RUN_A = "run-aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
RUN_B = "run-bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"


@pytest.mark.parametrize(
    ("run_ids", "body"),
    [(None, {}), ([RUN_A], {"run_ids": [RUN_A]}), ((RUN_A, RUN_B), {"run_ids": [RUN_A, RUN_B]}), ([], {"run_ids": []})],
)
def test_cancel_body_shapes(
    client: Letta, mock_api: respx.MockRouter, run_ids: Optional[List[str]], body: Dict[str, Any]
) -> None:
    route = mock_api.post(CANCEL).mock(return_value=httpx.Response(200, json={RUN_A: "cancelled"}))
    assert client.agents.messages.cancel(AGENT, run_ids=run_ids) == {RUN_A: "cancelled"}
    request = route.calls.last.request
    assert json.loads(request.content) == body
    assert request.headers["content-type"] == "application/json"


def test_cancel_maps_each_run_to_its_status(client: Letta, mock_api: respx.MockRouter) -> None:
    mock_api.post(CANCEL).mock(return_value=httpx.Response(200, json={RUN_A: "cancelled", RUN_B: "failed"}))
    result = client.agents.messages.cancel(AGENT, run_ids=[RUN_A, RUN_B])
    assert result == {RUN_A: "cancelled", RUN_B: "failed"}


def test_cancel_is_retried_as_idempotent(client: Letta, mock_api: respx.MockRouter, sleeps: List[float]) -> None:
    route = mock_api.post(CANCEL).mock(
        side_effect=[httpx.ReadTimeout("slow"), httpx.Response(500, json={"detail": "x"}), httpx.Response(200, json={})]
    )
    assert client.agents.messages.cancel(AGENT) == {}
    assert route.call_count == 3 and len(sleeps) == 2


def test_nothing_to_cancel_is_a_conflict(client: Letta, mock_api: respx.MockRouter) -> None:
    detail = f"CONFLICT: No active runs to cancel for agent {AGENT}"
    mock_api.post(CANCEL).mock(return_value=httpx.Response(409, json={"detail": detail}))
    with pytest.raises(ConflictError) as caught:
        client.agents.messages.cancel(AGENT)
    assert caught.value.code == "CONFLICT"


@pytest.mark.parametrize("bad", ["run-1", [""], [1]])
def test_cancel_rejects_bad_run_ids(client: Letta, bad: Any) -> None:
    with pytest.raises(TypeError):
        client.agents.messages.cancel(AGENT, run_ids=bad)


async def test_async_cancel(async_client: AsyncLetta, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(CANCEL).mock(return_value=httpx.Response(200, json={RUN_B: "cancelled"}))
    assert await async_client.agents.messages.cancel(AGENT, run_ids=[RUN_B]) == {RUN_B: "cancelled"}
    assert json.loads(route.calls.last.request.content) == {"run_ids": [RUN_B]}
