"""``runs.list`` (official filters, auto-paginating), ``runs.messages.stream``, ``runs.steps.list``
and ``runs.usage.retrieve``, sync and async."""

from __future__ import annotations

from typing import Any, Callable, Dict, List

import httpx
import pytest
import respx

from letta_client import AsyncLetta, Letta
from letta_client.types import Step, UsageRetrieveResponse

RUN = "run-63b0e75b-89df-419d-87e6-d7a39f8da124"
STREAMED_RUN = "run-5b39b0e7-abfb-4ecb-a214-f39d285d985a"  # the run of f_resume_stream (seq_id 7 on)


def _run(number: int) -> Dict[str, Any]:
    return {"id": f"run-{number}", "status": "completed", "agent_id": "agent-1"}


def _pages(route: respx.Route) -> List[Dict[str, str]]:
    return [dict(call.request.url.params) for call in route.calls]


def test_runs_list_filters_and_pages(client: Letta, mock_api: respx.MockRouter) -> None:
    route = mock_api.get("/v1/runs/").mock(
        side_effect=[
            httpx.Response(200, json=[_run(1), _run(2)]),
            httpx.Response(200, json=[_run(3)]),
            httpx.Response(200, json=[]),
        ]
    )
    runs = client.runs.list(agent_id="agent-1", statuses=["completed", "failed"], background=True, limit=2)
    assert [run.id for run in runs] == ["run-1", "run-2", "run-3"]
    queries = [call.request.url.params for call in route.calls]
    assert queries[0].get_list("statuses") == ["completed", "failed"]
    assert (queries[0]["agent_id"], queries[0]["background"], queries[0]["limit"]) == ("agent-1", "true", "2")
    # Letta 0.16.8 swaps the runs cursors: ``before=`` the last run asks for the runs that follow it
    assert "before" not in queries[0] and [q.get("before") for q in queries[1:]] == ["run-2", "run-3"]
    assert all("after" not in q for q in queries)


def test_runs_list_started_with_a_cursor_continues_before_the_last_run(
    client: Letta, mock_api: respx.MockRouter
) -> None:
    route = mock_api.get("/v1/runs/").mock(
        side_effect=[httpx.Response(200, json=[_run(5), _run(6)]), httpx.Response(200, json=[])]
    )
    assert [run.id for run in client.runs.list(before="run-7")] == ["run-5", "run-6"]
    assert [page.get("before") for page in _pages(route)] == ["run-7", "run-6"]


def test_runs_list_ends_when_the_server_ignores_the_cursor(client: Letta, mock_api: respx.MockRouter) -> None:
    route = mock_api.get("/v1/runs/").mock(return_value=httpx.Response(200, json=[_run(1)]))
    assert [run.id for run in client.runs.list()] == ["run-1"]
    assert route.call_count == 2


def test_runs_steps_and_usage(
    client: Letta, mock_api: respx.MockRouter, fixture_response: Callable[[str], httpx.Response]
) -> None:
    mock_api.get(f"/v1/runs/{RUN}/steps").mock(
        side_effect=[fixture_response("g_run_steps"), httpx.Response(200, json=[])]
    )
    mock_api.get(f"/v1/runs/{RUN}/usage").mock(return_value=fixture_response("g_run_usage"))
    steps = list(client.runs.steps.list(RUN))
    assert steps and all(isinstance(step, Step) and step.run_id == RUN for step in steps)
    assert steps[0].model == "fake-gpt" and steps[0].model_handle == "openai-proxy/fake-gpt"
    usage = client.runs.usage.retrieve(RUN)
    assert isinstance(usage, UsageRetrieveResponse) and usage.total_tokens == 727


def test_runs_messages_stream_resumes_after_seq_id(
    client: Letta, mock_api: respx.MockRouter, fixture_response: Callable[[str], httpx.Response]
) -> None:
    route = mock_api.post(f"/v1/runs/{STREAMED_RUN}/stream").mock(return_value=fixture_response("f_resume_stream"))
    with client.runs.messages.stream(STREAMED_RUN, starting_after=6) as stream:
        events = list(stream)
    assert events and route.calls.last.request.read()
    body = route.calls.last.request.content
    assert b'"starting_after":6' in body.replace(b" ", b"")


@pytest.mark.parametrize("streamed", [False, True])
async def test_async_runs_list_steps_usage(
    async_client: AsyncLetta,
    mock_api: respx.MockRouter,
    fixture_response: Callable[[str], httpx.Response],
    streamed: bool,
) -> None:
    mock_api.get("/v1/runs/").mock(side_effect=[httpx.Response(200, json=[_run(1)]), httpx.Response(200, json=[])])
    mock_api.get(f"/v1/runs/{RUN}/steps").mock(
        side_effect=[fixture_response("g_run_steps"), httpx.Response(200, json=[])]
    )
    mock_api.get(f"/v1/runs/{RUN}/usage").mock(return_value=fixture_response("g_run_usage"))
    assert [run.id async for run in async_client.runs.list(agent_id="agent-1")] == ["run-1"]
    assert [step.run_id async for step in async_client.runs.steps.list(RUN)] == [RUN]
    if streamed:
        async with async_client.runs.usage.with_streaming_response.retrieve(RUN) as response:
            usage = await response.parse()
    else:
        usage = await async_client.runs.usage.retrieve(RUN)
    assert usage.total_tokens == 727


async def test_async_runs_messages_stream(
    async_client: AsyncLetta, mock_api: respx.MockRouter, fixture_response: Callable[[str], httpx.Response]
) -> None:
    mock_api.post(f"/v1/runs/{STREAMED_RUN}/stream").mock(return_value=fixture_response("f_resume_stream"))
    stream = await async_client.runs.messages.stream(STREAMED_RUN, starting_after=6)
    async with stream:
        events = [event async for event in stream]
    assert events
