"""``messages.create_async`` → ``Run``; ``runs.retrieve``, ``runs.wait`` (fake clock), ``runs.messages.list``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Union

import httpx
import pytest
import respx

from _both import collect, resolve
from letta_client import APITimeoutError, AsyncLetta, Letta
from letta_client.types import AssistantMessage, Run, UserMessage

FIXTURES = Path(__file__).parent / "fixtures"
AGENT = "agent-5ffc4d46-f622-404c-a51c-f54fe9591b3b"
RUN = "run-63b0e75b-89df-419d-87e6-d7a39f8da124"


def fixture(name: str) -> Dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.http.json").read_text(encoding="utf-8"))


def recorded(name: str) -> httpx.Response:
    record = fixture(name)
    return httpx.Response(
        record["status"], content=record["body_text"].encode(), headers={"content-type": "application/json"}
    )


class FakeClock:
    """Time moves only when the client sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: List[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


def test_create_async_returns_the_run(client: Letta, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(f"/v1/agents/{AGENT}/messages/async").mock(return_value=recorded("g_async_create"))
    run = client.agents.messages.create_async(
        AGENT, messages=[{"role": "user", "content": "async hello (g)"}], callback_url="https://example.invalid/cb"
    )
    assert isinstance(run, Run) and run.id == RUN and run.status == "created" and run.background is True
    assert run.metadata == {"run_type": "send_message_async", "lettuce": None} and not run.is_terminal
    sent = json.loads(route.calls.last.request.content)
    assert sent["callback_url"] == "https://example.invalid/cb"
    assert sent["messages"][0]["content"] == "async hello (g)" and sent["messages"][0]["otid"]
    assert not {"streaming", "stream_tokens", "background", "include_pings"} & set(sent)


def test_create_async_rejects_streaming_options(client: Letta, mock_api: respx.MockRouter) -> None:
    with pytest.raises((TypeError, ValueError), match="background"):
        client.agents.messages.create_async(AGENT, input="hi", background=True)  # type: ignore[call-arg]


def test_create_async_is_not_retried_after_a_timeout(client: Letta, mock_api: respx.MockRouter) -> None:
    route = mock_api.post(f"/v1/agents/{AGENT}/messages/async").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError):
        client.agents.messages.create_async(AGENT, input="hi")
    assert route.call_count == 1  # the server may have started the run


def install_clock(client: Union[Letta, AsyncLetta], clock: FakeClock) -> None:
    client.runs.clock = clock
    client._transport.sleep = clock.async_sleep if isinstance(client, AsyncLetta) else clock.sleep  # type: ignore[assignment]


async def test_retrieve(any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter) -> None:
    mock_api.get(f"/v1/runs/{RUN}").mock(return_value=recorded("g_poll_run_last"))
    run = await resolve(any_client.runs.retrieve(RUN))
    assert run.status == "completed" and run.stop_reason == "end_turn" and run.is_terminal
    assert run.completed_at is not None and run.created_at is not None


async def test_retrieve_is_retried_on_server_errors(
    any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter, sleeps: List[float]
) -> None:
    route = mock_api.get(f"/v1/runs/{RUN}").mock(
        side_effect=[httpx.Response(502), httpx.ReadTimeout("slow"), recorded("g_poll_run_first")]
    )
    assert (await resolve(any_client.runs.retrieve(RUN))).status == "created"
    assert route.call_count == 3 and len(sleeps) == 2


async def test_wait_polls_with_backoff_until_terminal(
    any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter
) -> None:
    clock = FakeClock()
    install_clock(any_client, clock)
    first = fixture("g_poll_run_first")["body_json"]
    running = {**first, "status": "running"}
    route = mock_api.get(f"/v1/runs/{RUN}").mock(
        side_effect=[recorded("g_poll_run_first")]
        + [httpx.Response(200, json=running)] * 4
        + [recorded("g_poll_run_last")]
    )
    run = await resolve(any_client.runs.wait(RUN, poll_interval=1.0, max_poll_interval=3.0))
    assert run.status == "completed" and route.call_count == 6
    assert clock.sleeps == [1.0, 1.5, 2.25, 3.0, 3.0]


async def test_wait_times_out_clearly(any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter) -> None:
    clock = FakeClock()
    install_clock(any_client, clock)
    route = mock_api.get(f"/v1/runs/{RUN}").mock(side_effect=lambda request: recorded("g_poll_run_first"))
    with pytest.raises(APITimeoutError) as caught:
        await resolve(any_client.runs.wait(RUN, timeout=10.0, poll_interval=2.0, max_poll_interval=4.0))
    assert caught.value.run_id == RUN
    assert RUN in str(caught.value) and "'created'" in str(caught.value) and "10 s" in str(caught.value)
    assert clock.now == 10.0 and sum(clock.sleeps) == 10.0  # the last pause is cut to the deadline
    assert route.call_count == len(clock.sleeps)  # no poll at the deadline: it would have no time left


async def test_wait_validates_intervals(any_client: Union[Letta, AsyncLetta]) -> None:
    with pytest.raises(ValueError):
        await resolve(any_client.runs.wait(RUN, poll_interval=0))


async def test_run_messages_list(any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter) -> None:
    route = mock_api.get(f"/v1/runs/{RUN}/messages").mock(
        side_effect=[recorded("g_run_messages"), httpx.Response(200, json=[])]
    )
    page = await resolve(any_client.runs.messages.list(RUN, limit=10))
    assert [type(m) for m in page.items] == [UserMessage, AssistantMessage]
    assert page.has_next_page()
    everything = await collect(page)
    assert len(everything) == 2 and isinstance(everything[1], AssistantMessage)
    assert everything[1].content == "echo: async hello (g)"
    first, second = (call.request.url.params for call in route.calls)
    assert dict(first) == {"limit": "10"}
    assert dict(second) == {"limit": "10", "after": page.items[-1].id}  # order defaults to asc here


async def test_runs_stream_delivers_a_recorded_run(
    any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter
) -> None:
    body = (FIXTURES / "f_resume_stream_from_start.http.json").read_text(encoding="utf-8")
    recorded_body = json.loads(body)["body_text"].encode()
    recorded_run = "run-5b39b0e7-abfb-4ecb-a214-f39d285d985a"  # the run the recording belongs to
    route = mock_api.post(f"/v1/runs/{recorded_run}/stream").mock(
        return_value=httpx.Response(200, content=recorded_body, headers={"content-type": "text/event-stream"})
    )
    stream = await resolve(any_client.runs.stream(recorded_run, starting_after=0, include_pings=False))
    events = await collect(stream)
    assert json.loads(route.calls.last.request.content) == {"starting_after": 0, "include_pings": False}
    assert stream.stop_reason is not None and stream.reconnects == 0
    assert [e.seq_id for e in events if getattr(e, "seq_id", None) is not None][:3] == [
        1,
        2,
        3,
    ]  # the recorded ping carries seq_id 1


async def test_async_runs(async_client: AsyncLetta, mock_api: respx.MockRouter) -> None:
    clock = FakeClock()
    async_client.runs.clock = clock
    async_client._transport.sleep = clock.async_sleep
    mock_api.post(f"/v1/agents/{AGENT}/messages/async").mock(return_value=recorded("g_async_create"))
    mock_api.get(f"/v1/runs/{RUN}").mock(side_effect=[recorded("g_poll_run_first"), recorded("g_poll_run_last")])
    mock_api.get(f"/v1/runs/{RUN}/messages").mock(
        side_effect=[recorded("g_run_messages"), httpx.Response(200, json=[])]
    )
    run = await async_client.agents.messages.create_async(AGENT, input="async hello (g)")
    done = await async_client.runs.wait(run.id)
    assert done.status == "completed" and clock.sleeps == [0.5]
    texts = [m.content async for m in async_client.runs.messages.list(run.id) if isinstance(m, AssistantMessage)]
    assert texts == ["echo: async hello (g)"]
