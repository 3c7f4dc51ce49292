"""Client tools in a conversation (``client.conversations.messages.run_tools`` and
``resolve_pending_approvals``) against the simulator, sync and async: every round, tool returns
included, is an exactly-once send."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Callable, List

import httpx
import pytest

from _conversation_faults import Fault, Faulty
from letta_client import AsyncLetta, Letta
from letta_client.testing import Reply, Simulator, ToolCall
from letta_client.tools import AsyncToolRunnerStream, ToolRunnerStream, ToolRunResult, tool

BASE = "http://letta.simulator"


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def call(mode: str, transport: Faulty, method: str, *args: Any, **kwargs: Any) -> Any:
    """``client.conversations.messages.<method>(...)`` on ``Letta`` or ``AsyncLetta``, through ``transport``."""

    def no_sleep(seconds: float) -> None:
        pass

    if mode == "sync":
        with Letta(base_url=BASE, http_client=httpx.Client(transport=transport)) as client:
            client._transport.sleep = no_sleep  # pyright: ignore[reportPrivateUsage]
            out = getattr(client.conversations.messages, method)(*args, **kwargs)
            return out.get_final_response() if isinstance(out, ToolRunnerStream) else out

    async def main() -> Any:
        async with AsyncLetta(base_url=BASE, http_client=httpx.AsyncClient(transport=transport)) as client:

            async def no_async_sleep(seconds: float) -> None:
                pass

            client._transport.sleep = no_async_sleep  # pyright: ignore[reportPrivateUsage]
            out = await getattr(client.conversations.messages, method)(*args, **kwargs)
            return await out.get_final_response() if isinstance(out, AsyncToolRunnerStream) else out

    return asyncio.run(main())


def tool_returns(sim: Simulator, conversation_id: str) -> List[Any]:
    return [m for m in sim.conversation_history(conversation_id) if m.get("message_type") == "tool_return_message"]


def counting_forecast(calls: List[str]) -> Callable[..., str]:
    @tool
    def get_forecast(city: str) -> str:
        """Today's forecast."""
        calls.append(city)
        return f"21C in {city}"

    return get_forecast


@pytest.mark.parametrize("streaming", [False, True], ids=["json", "streaming"])
def test_run_tools_in_a_conversation_answers_the_calls(mode: str, streaming: bool) -> None:
    sim = Simulator()
    conversation = sim.create_conversation(sim.default_agent_id)
    sim.script(sim.default_agent_id, [ToolCall("get_forecast", {"city": "Paris"}), Reply("It is 21C.")])
    calls: List[str] = []
    transport = Faulty(sim, [])
    result = call(
        mode,
        transport,
        "run_tools",
        conversation,
        tools=[counting_forecast(calls)],
        input="weather?",
        streaming=streaming,
    )
    assert isinstance(result, ToolRunResult)
    assert calls == ["Paris"] and result.rounds == 2 and result.text == "It is 21C."
    [answer] = result.answers
    assert answer["tool_returns"][0]["tool_return"] == "21C in Paris"
    assert all(path.endswith(f"/v1/conversations/{conversation}/messages") for _, path, _ in transport.requests)


def test_a_lost_tool_return_is_sent_again_identically_and_taken_once(mode: str) -> None:
    sim = Simulator()
    conversation = sim.create_conversation(sim.default_agent_id)
    sim.script(sim.default_agent_id, [ToolCall("get_forecast", {"city": "Oslo"}), Reply("Cold.")])
    calls: List[str] = []
    transport = Faulty(sim, [Fault("pass"), Fault("lost")])  # the tool-return round's reply is lost
    result = call(mode, transport, "run_tools", conversation, tools=[counting_forecast(calls)], input="weather?")
    assert calls == ["Oslo"]  # the tool ran once
    assert result.text == "Cold." and result.stop_reason.stop_reason == "end_turn"
    assert len(tool_returns(sim, conversation)) == 1  # the agent took the tool return once
    posts = [json.loads(body) for method, _, body in transport.requests if method == "POST"]
    returned = [body["messages"] for body in posts if body.get("messages", [{}])[0].get("type") == "tool_return"]
    assert returned and all(messages == returned[0] for messages in returned)  # re-sent identically (same otid)


def test_resolve_pending_approvals_repairs_a_stuck_conversation(mode: str) -> None:
    sim = Simulator()
    conversation = sim.create_conversation(sim.default_agent_id)
    sim.script(sim.default_agent_id, [ToolCall("get_forecast", {"city": "Rome"}), Reply("never mind")])
    stuck = sim.client()
    with stuck:
        declared = [counting_forecast([]).to_param()]  # type: ignore[attr-defined]
        asked = stuck.conversations.messages.send(
            conversation, input="weather?", client_tools=declared, streaming=False
        )
        assert asked.stop_reason.stop_reason == "requires_approval"  # ... and the client goes away

    repaired = call(mode, Faulty(sim, []), "resolve_pending_approvals", conversation, deny_reason="gone")
    assert repaired.rounds == 1
    [denial] = repaired.answers[0]["approvals"]
    assert denial["approve"] is False and denial["reason"] == "gone"
    # the next message goes through (run_tools waits out the moment the ended turn still holds the lock)
    after = call(mode, Faulty(sim, []), "run_tools", conversation, tools=[], input="hello again")
    assert after.stop_reason.stop_reason == "end_turn" and after.rounds == 1


def test_run_tools_answers_a_pending_approval_in_a_conversation_then_sends_the_message(mode: str) -> None:
    sim = Simulator()
    conversation = sim.create_conversation(sim.default_agent_id)
    sim.script(sim.default_agent_id, [ToolCall("get_forecast", {"city": "Rome"}), Reply("Warm in Rome.")])
    calls: List[str] = []
    forecast = counting_forecast(calls)
    with sim.client() as stuck:
        declared = [forecast.to_param()]  # type: ignore[attr-defined]
        stuck.conversations.messages.send(conversation, input="weather?", client_tools=declared, streaming=False)

    message = {"role": "user", "content": "and now?"}
    result = call(mode, Faulty(sim, []), "run_tools", conversation, tools=[forecast], messages=[message])
    assert calls == ["Rome"]  # the pending call, run once
    assert result.text.startswith("Warm in Rome.") and result.stop_reason.stop_reason == "end_turn"
    users = [m for m in sim.conversation_history(conversation) if m.get("message_type") == "user_message"]
    assert [m.get("content") for m in users][-1] == "and now?"
