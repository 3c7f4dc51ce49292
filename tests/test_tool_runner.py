"""``client.agents.messages.run_tools``: what the runner sends back to the agent, byte for byte.

Each test scripts the agent's answers (recorded fixtures where they exist, else built from the
recorded shapes) on a MockTransport and asserts the exact JSON of every request the SDK sent.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, AsyncIterator, Callable, Dict, Iterator, List, Optional, Union

import httpx
import pytest

from _runner_helpers import (
    DECLARATION,
    FIXTURES_AGENT,
    PENDING_ID,
    USER,
    Agent,
    Runner,
    add,
    answer,
    approval_request,
    asks,
    call,
    client_get_weather,
    error,
    history,
    ok,
    pending_conflict,
    recorded,
    reply,
    returns,
    stream_of,
    usage,
)
from _stream_helpers import SSE_HEADERS, async_client, fixture_body, frame, message, sse, stop
from letta_client import ConflictError, LettaError, LettaStreamError
from letta_client.tools import (
    MaxRoundsExceededError,
    PendingApprovalError,
    ToolRunResult,
    approve,
    deny,
    image,
    tool,
    tool_result,
)
from letta_client.types.messages import ToolCall


@pytest.fixture(params=["sync", "async"])
def runner(request: pytest.FixtureRequest) -> Runner:
    """Every test that takes it runs on ``Letta`` and on ``AsyncLetta``."""
    return Runner(request.param)


# -- one client tool call -------------------------------------------------------------------------


def test_one_tool_call_non_streaming_against_the_recorded_exchange(runner: Runner) -> None:
    first, second = recorded("h_client_tool_call_nonstream"), recorded("h_client_tool_return_via_approval")
    agent = Agent(
        httpx.Response(200, json=first["body_json"]),
        httpx.Response(200, json=second["body_json"]),
    )
    result = runner(agent, FIXTURES_AGENT, tools=[client_get_weather], messages=first["request"]["json"]["messages"])

    assert agent.bodies == [
        first["request"]["json"],  # the very request the real server was sent (client_tools included)
        returns(ok("call_fake_000002", "Sunny, 21C"), client_tools=[DECLARATION]),
    ]
    assert all(r.url.path == f"/v1/agents/{FIXTURES_AGENT}/messages" for r in agent.requests)
    assert result.rounds == 2
    assert result.stop_reason.stop_reason == "end_turn"
    assert [m.message_type for m in result.messages] == [
        "approval_request_message",
        "tool_return_message",
        "assistant_message",
    ]
    assert result.usage.total_tokens == 878 + 989
    assert result.usage.step_count == 2
    assert result.usage.context_tokens == 989
    assert "Rainy, 12C" in result.text
    assert result.answers == [
        {"type": "tool_return", "tool_returns": [ok("call_fake_000002", "Sunny, 21C")]},
    ]


def test_one_tool_call_streaming_token_mode_against_the_recorded_streams(runner: Runner) -> None:
    call_record, return_record = recorded("h_client_tool_call"), recorded("h_client_tool_return")
    agent = Agent(
        stream_of(fixture_body("h_client_tool_call.sse")),
        stream_of(fixture_body("h_client_tool_return.sse")),
    )
    events, result = runner.streamed(  # asserts that nothing is sent before the iteration starts
        agent,
        FIXTURES_AGENT,
        tools=[client_get_weather],
        messages=call_record["request"]["json"]["messages"],
        stream_tokens=True,
    )
    assert isinstance(result, ToolRunResult)
    kinds = [event.message_type for event in events]

    # exactly what the recorded client sent to the real server, in both rounds
    assert agent.bodies == [call_record["request"]["json"], return_record["request"]["json"]]
    assert kinds == ["ping"] + ["approval_request_message"] * 5 + ["stop_reason", "usage_statistics"] + ["ping"] + [
        "assistant_message"
    ] * 3 + ["stop_reason", "usage_statistics"]
    assert [m.message_type for m in result.messages] == ["approval_request_message", "assistant_message"]
    request = result.responses[0].messages[0]
    assert request.message_type == "approval_request_message"
    assert request.calls == [
        ToolCall(name="client_get_weather", arguments='{"location":"Paris"}', tool_call_id="call_fake_000001")
    ]
    assert result.stop_reason.stop_reason == "end_turn"
    assert result.usage.total_tokens == 731 + 842


# -- parallel and async tools ---------------------------------------------------------------------


def test_parallel_calls_of_one_turn_are_answered_in_order_in_one_message(runner: Runner) -> None:
    agent = Agent(
        asks(
            call("call_1", "add", {"a": 1, "b": 2}),
            call("call_2", "client_get_weather", {"location": "Paris"}),
            call("call_3", "add", {"a": "40", "b": 2}),
        ),
        answer(reply("done")),
    )
    result = runner(agent, tools=[add, client_get_weather], input="go", max_steps=5)
    declared = [add.to_param(), DECLARATION]
    assert agent.bodies == [
        {"input": "go", "max_steps": 5, "client_tools": declared},
        returns(ok("call_1", "3"), ok("call_2", "Sunny, 21C"), ok("call_3", "42"), max_steps=5, client_tools=declared),
    ]
    assert result.text == "done"


async def test_async_tools_run_concurrently_in_the_async_runner() -> None:
    b_started = asyncio.Event()
    order: List[str] = []

    @tool
    async def first(x: int) -> Dict[str, int]:
        order.append("first waits")
        await asyncio.wait_for(b_started.wait(), 5)  # only returns if `second` runs meanwhile
        order.append("first done")
        return {"x": x}

    @tool
    async def second() -> str:
        order.append("second runs")
        b_started.set()
        return "ok"

    agent = Agent(asks(call("c1", "first", {"x": 1}), call("c2", "second", "")), answer(reply("bye")))
    async with async_client(agent) as client:
        result = await client.agents.messages.run_tools("agent-1", tools=[first, second], input="go")
    assert order == ["first waits", "second runs", "first done"]
    assert agent.bodies[1] == returns(
        ok("c1", '{"x":1}'), ok("c2", "ok"), client_tools=[first.to_param(), second.to_param()]
    )
    assert result.rounds == 2


def test_async_tools_and_plain_functions(runner: Runner) -> None:
    @tool
    async def lookup(key: str) -> List[str]:
        await asyncio.sleep(0)
        return [key, key]

    def shout(text: str) -> str:
        """Upper-case the text."""
        return text.upper()

    agent = Agent(asks(call("c1", "lookup", {"key": "k"}), call("c2", "shout", {"text": "hey"})), answer())
    runner(agent, tools=[lookup, shout], input="go")
    shout_declaration = {
        "name": "shout",
        "description": "Upper-case the text.",
        "parameters": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
    }
    assert agent.bodies[1] == returns(
        ok("c1", '["k","k"]'), ok("c2", "HEY"), client_tools=[lookup.to_param(), shout_declaration]
    )


def test_a_tool_returning_an_image_sends_content_parts(runner: Runner) -> None:
    png = b"\x89PNG\r\n\x1a\n-pixels-"

    @tool
    def snapshot() -> List[object]:
        """Take a picture."""
        return ["the picture:", image(png)]

    @tool
    async def snapshot_later() -> object:
        return image(png, "image/png")

    agent = Agent(asks(call("c1", "snapshot", "{}"), call("c2", "snapshot_later", "{}")), answer())
    runner(agent, tools=[snapshot, snapshot_later], input="go")
    part = {
        "type": "image",
        "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgotcGl4ZWxzLQ=="},
    }
    [message] = agent.bodies[1]["messages"]
    assert message["tool_returns"] == [
        {
            "type": "tool",
            "tool_call_id": "c1",
            "status": "success",
            "tool_return": [{"type": "text", "text": "the picture:"}, part],
        },
        {"type": "tool", "tool_call_id": "c2", "status": "success", "tool_return": [part]},
    ]


def test_a_plain_function_returning_an_awaitable_is_awaited(runner: Runner) -> None:
    def later(text: str) -> Any:
        """Returns a coroutine without being a coroutine function."""
        return asyncio.sleep(0, text.upper())

    agent = Agent(asks(call("c1", "later", {"text": "hi"})), answer())
    runner(agent, tools=[later], input="go")
    assert agent.bodies[1]["messages"][0]["tool_returns"] == [ok("c1", "HI")]


# -- failures the agent gets to see ---------------------------------------------------------------


def test_tool_exceptions_bad_json_invalid_arguments_and_unknown_tools_become_error_returns(runner: Runner) -> None:
    @tool
    def explode() -> str:
        raise ValueError("boom")

    @tool
    async def explode_later() -> str:
        raise RuntimeError("async boom")

    agent = Agent(
        asks(
            call("c1", "explode", ""),
            call("c2", "add", '{"a": 1, "b": '),
            call("c3", "add", {"a": "one", "b": 2}),
            call("c4", "nope", {}),
            call("c5", "add", {"a": 1, "b": 1}),
            call("c6", "explode_later", "{}"),
        ),
        answer(reply("sorry")),
    )
    result = runner(agent, tools=[explode, add, explode_later], input="go")
    assert agent.bodies[1] == returns(
        error("c1", "ValueError: boom"),
        error("c2", "invalid JSON arguments: Expecting value: line 1 column 15 (char 14)"),
        error(
            "c3", "invalid arguments for add: a: Input should be a valid integer, unable to parse string as an integer"
        ),
        error("c4", "unknown tool 'nope' (this client runs: add, explode, explode_later)"),
        ok("c5", "2"),
        error("c6", "RuntimeError: async boom"),
        client_tools=[explode.to_param(), add.to_param(), explode_later.to_param()],
    )
    assert result.stop_reason.stop_reason == "end_turn"


# -- guard rails ---------------------------------------------------------------------------------


def test_max_rounds_stops_with_a_clear_error_and_sends_no_more(runner: Runner) -> None:
    agent = Agent(*(asks(call(f"c{n}", "add", {"a": n, "b": 0})) for n in range(5)))
    with pytest.raises(MaxRoundsExceededError) as caught:
        runner(agent, tools=[add], input="loop", max_rounds=3)
    assert len(agent.requests) == 3
    assert [body["messages"][0].get("tool_returns") for body in agent.bodies[1:]] == [
        [ok("c0", "0")],
        [ok("c1", "1")],
    ]
    assert caught.value.pending_calls == [ToolCall(name="add", arguments='{"a": 2, "b": 0}', tool_call_id="c2")]
    assert caught.value.result.rounds == 3
    assert isinstance(caught.value, LettaError)
    assert "max_rounds=3" in str(caught.value) and "c2" in str(caught.value) and "cancel" in str(caught.value)


def test_invalid_arguments_are_rejected_before_anything_is_sent(runner: Runner) -> None:
    agent = Agent()
    with pytest.raises(ValueError, match="exactly one of 'messages' and 'input'"):
        runner(agent, tools=[add])
    with pytest.raises(ValueError, match="max_rounds"):
        runner(agent, tools=[add], input="x", max_rounds=0)
    with pytest.raises(ValueError, match="two tools are named 'add'"):
        runner(agent, tools=[add, {"name": "add"}], input="x")
    assert agent.requests == []


def test_filtered_message_types_keep_the_approval_requests(runner: Runner) -> None:
    agent = Agent(asks(call("c1", "add", {"a": 1, "b": 1})), answer())
    runner(agent, tools=[add], input="x", include_return_message_types=["assistant_message"])
    kinds = ["assistant_message", "approval_request_message"]
    assert [body["include_return_message_types"] for body in agent.bodies] == [kinds, kinds]


# -- approvals of server tools --------------------------------------------------------------------


def test_on_approval_decides_for_other_tools_and_the_round_goes_as_one_approval_message(runner: Runner) -> None:
    asked: List[ToolCall] = []

    def decide(tool_call: ToolCall) -> Union[bool, Dict[str, Any]]:
        asked.append(tool_call)
        if tool_call.name == "delete_file":
            return deny(tool_call.tool_call_id, "not today")
        if tool_call.name == "send_email":
            return True
        return tool_result(tool_call.tool_call_id, {"rows": 2})

    agent = Agent(
        asks(
            call("c1", "send_email", {"to": "a@b.c"}),
            call("c2", "add", {"a": 2, "b": 2}),
            call("c3", "delete_file", {"path": "/"}),
            call("c4", "query_db", {"sql": "select"}),
        ),
        answer(reply("ok")),
    )
    runner(agent, tools=[add, {"name": "query_db"}], input="go", on_approval=decide)
    declared = [add.to_param(), {"name": "query_db"}]
    assert agent.bodies[1] == {
        "messages": [
            {
                "type": "approval",
                "approvals": [
                    {"type": "approval", "tool_call_id": "c1", "approve": True},
                    ok("c2", "4"),
                    {"type": "approval", "tool_call_id": "c3", "approve": False, "reason": "not today"},
                    ok("c4", '{"rows":2}'),
                ],
            }
        ],
        "client_tools": declared,
    }
    assert agent.bodies[0]["client_tools"] == declared
    assert [c.name for c in asked] == ["send_email", "delete_file", "query_db"]


async def test_async_on_approval_hook_may_be_a_coroutine() -> None:
    async def decide(tool_call: ToolCall) -> Dict[str, Any]:
        return approve(tool_call.tool_call_id) if tool_call.name == "safe" else deny(tool_call.tool_call_id)

    agent = Agent(asks(call("c1", "safe", "{}"), call("c2", "risky", "{}")), answer())
    async with async_client(agent) as client:
        await client.agents.messages.run_tools("agent-1", tools=[], input="go", on_approval=decide)
    assert agent.bodies[1] == {
        "messages": [
            {
                "type": "approval",
                "approvals": [
                    {"type": "approval", "tool_call_id": "c1", "approve": True},
                    {"type": "approval", "tool_call_id": "c2", "approve": False},
                ],
            }
        ],
        "client_tools": [],
    }


def test_on_approval_answers_for_the_wrong_call_are_a_programming_error(runner: Runner) -> None:
    with pytest.raises(ValueError, match="answered call 'other'"):
        runner(Agent(asks(call("c1", "x", "{}"))), tools=[], input="go", on_approval=lambda c: approve("other"))
    with pytest.raises(TypeError, match="on_approval"):
        runner(Agent(asks(call("c1", "x", "{}"))), tools=[], input="go", on_approval=lambda c: "yes")


def test_a_failing_on_approval_hook_stops_the_run(runner: Runner) -> None:
    def decide(tool_call: ToolCall) -> bool:
        raise KeyError("no decision")

    agent = Agent(asks(call("c1", "x", "{}")))
    with pytest.raises(KeyError, match="no decision"):
        runner(agent, tools=[], input="go", on_approval=decide)
    assert len(agent.requests) == 1


# -- an approval left pending by an earlier turn -----------------------------------------------------


def test_pending_approval_for_a_tool_the_runner_does_not_own_raises_a_clear_error(runner: Runner) -> None:
    agent = Agent(pending_conflict(), history())
    with pytest.raises(PendingApprovalError) as caught:
        runner(agent, FIXTURES_AGENT, tools=[add], input="hello")
    error = caught.value
    assert error.pending_request_id == PENDING_ID
    assert [c.tool_call_id for c in error.pending_calls] == ["call_fake_000001"]
    assert isinstance(error.__cause__, ConflictError)
    text = str(error)
    assert PENDING_ID in text and "call_fake_000001" in text
    assert "cancel" in text and "approval_message" in text and "client_get_weather" in text
    assert [(r.method, r.url.path, dict(r.url.params)) for r in agent.requests] == [
        ("POST", f"/v1/agents/{FIXTURES_AGENT}/messages", {}),
        ("GET", f"/v1/agents/{FIXTURES_AGENT}/messages", {"limit": "50", "order": "desc"}),
    ]


def test_pending_approval_is_resolved_when_the_runner_owns_the_tool_then_the_message_is_resent(
    runner: Runner,
) -> None:
    agent = Agent(pending_conflict(), history(), answer(reply("about Paris", 5)), answer(reply("hello!")))
    result = runner(agent, FIXTURES_AGENT, tools=[client_get_weather], messages=[USER])
    assert [r.method for r in agent.requests] == ["POST", "GET", "POST", "POST"]
    assert agent.bodies == [
        {"messages": [USER], "client_tools": [DECLARATION]},
        returns(ok("call_fake_000001", "Sunny, 21C"), client_tools=[DECLARATION]),
        {"messages": [USER], "client_tools": [DECLARATION]},
    ]
    assert result.text == "about Paris\nhello!"
    assert result.rounds == 2


def test_pending_approval_left_after_the_answer_is_not_retried_forever(runner: Runner) -> None:
    agent = Agent(pending_conflict(), history(), answer(), pending_conflict(), history())
    with pytest.raises(PendingApprovalError, match="still pending"):
        runner(agent, FIXTURES_AGENT, tools=[client_get_weather], input="hi")
    assert len(agent.requests) == 5


def test_resolve_pending_false_only_reports(runner: Runner) -> None:
    agent = Agent(pending_conflict(), history())
    with pytest.raises(PendingApprovalError, match="resolve_pending=False"):
        runner(agent, FIXTURES_AGENT, tools=[client_get_weather], input="hi", resolve_pending=False)
    assert len(agent.requests) == 2


def test_other_conflicts_are_not_taken_for_pending_approvals(runner: Runner) -> None:
    busy = httpx.Response(409, json={"detail": "CONFLICT: Another request (run_id=run-1) is being processed"})
    agent = Agent(busy)
    with pytest.raises(ConflictError):
        runner(agent, FIXTURES_AGENT, tools=[client_get_weather], input="hi")
    assert len(agent.requests) == 1


def test_a_refused_tool_return_is_not_taken_for_an_old_pending_approval(runner: Runner) -> None:
    agent = Agent(asks(call("c1", "add", {"a": 1, "b": 1})), pending_conflict())
    with pytest.raises(ConflictError):
        runner(agent, FIXTURES_AGENT, tools=[add], input="hi")
    assert len(agent.requests) == 2


PENDING_STREAM = sse(
    stop("error"),
    frame(
        {
            "message_type": "error_message",
            "run_id": "run-1",
            "error_type": "internal_error",
            "message": "CONFLICT: Cannot send a new message: The agent is waiting for approval on a tool call. "
            "Please approve or deny the pending request before continuing.",
            "detail": None,
            "seq_id": None,
        },
        event="error",
    ),
    "[DONE]",
)


def step_stream(*events: Dict[str, Any]) -> httpx.Response:
    return stream_of(sse(*events, {**usage(), "message_type": "usage_statistics"}, "[DONE]"))


def test_streaming_pending_approval_error_event_is_resolved_too(runner: Runner) -> None:
    agent = Agent(
        stream_of(PENDING_STREAM),
        history(message("tool_call_message", 3, tool_call=call("x", "server_tool", "{}"))),
        step_stream(reply("weather done", 5), stop()),
        step_stream(reply("hi again"), stop()),
    )
    events, _ = runner.streamed(agent, FIXTURES_AGENT, tools=[client_get_weather], input="hi")
    texts = [event.text for event in events if event.message_type == "assistant_message"]
    assert texts == ["weather done", "hi again"]
    assert agent.bodies == [
        {"input": "hi", "client_tools": [DECLARATION], "streaming": True},
        returns(ok("call_fake_000001", "Sunny, 21C"), client_tools=[DECLARATION], streaming=True),
        {"input": "hi", "client_tools": [DECLARATION], "streaming": True},
    ]


def test_streaming_pending_error_without_a_findable_request_raises(runner: Runner) -> None:
    answered = message("approval_response_message", 2, approvals=[ok("call_fake_000001", "x")])
    agent = Agent(stream_of(PENDING_STREAM), history(answered))
    with pytest.raises(PendingApprovalError) as caught:
        runner.streamed(agent, FIXTURES_AGENT, tools=[client_get_weather], input="hi")
    assert caught.value.pending_request_id is None
    assert isinstance(caught.value.__cause__, LettaStreamError)
    assert "not among the agent's last 50 messages" in str(caught.value)


# -- streaming runner -------------------------------------------------------------------------------


def test_streaming_runner_yields_every_round_and_the_final_result(runner: Runner) -> None:
    agent = Agent(
        step_stream(
            message("reasoning_message", 1, reasoning="need a tool"),
            approval_request(call("c1", "add", {"a": 20, "b": 22}), index=2),
            stop("requires_approval"),
        ),
        step_stream(
            message("tool_return_message", 3, tool_return="42", status="success", tool_call_id="c1"),
            reply("it is 42", 4),
            stop(),
        ),
    )
    events, result = runner.streamed(agent, tools=[add], input="20+22?", include_pings=False)
    assert isinstance(result, ToolRunResult)
    assert [event.message_type for event in events] == [
        "reasoning_message",
        "approval_request_message",
        "stop_reason",
        "usage_statistics",
        "tool_return_message",
        "assistant_message",
        "stop_reason",
        "usage_statistics",
    ]
    assert agent.bodies[1] == returns(
        ok("c1", "42"), client_tools=[add.to_param()], include_pings=False, streaming=True
    )
    assert result.text == "it is 42"
    assert result.usage.step_count == 2


def test_closing_a_streaming_run_early_closes_the_stream(runner: Runner) -> None:
    closed: List[bool] = []

    def body() -> Iterator[bytes]:
        try:
            yield sse(reply("a", 1))
            yield sse(reply("b", 2), stop(), "[DONE]")
        finally:
            closed.append(True)

    class Body(httpx.SyncByteStream, httpx.AsyncByteStream):
        def __init__(self) -> None:
            self.chunks = body()

        def __iter__(self) -> Iterator[bytes]:
            return self.chunks

        async def __aiter__(self) -> AsyncIterator[bytes]:
            for chunk in self.chunks:
                yield chunk

        def close(self) -> None:
            self.chunks.close()

        async def aclose(self) -> None:
            self.chunks.close()

    agent = Agent(httpx.Response(200, headers=SSE_HEADERS, stream=Body()))
    events, outcome = runner.streamed(agent, tools=[add], input="x", take=1)
    assert [event.message_type for event in events] == ["assistant_message"]
    assert isinstance(outcome, LettaError) and "closed before it finished" in str(outcome)
    assert closed == [True]


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        (True, {"type": "approval", "tool_call_id": "c1", "approve": True}),
        (False, {"type": "approval", "tool_call_id": "c1", "approve": False}),
    ],
)
def test_boolean_decisions(runner: Runner, decision: bool, expected: Dict[str, Any]) -> None:
    agent = Agent(asks(call("c1", "srv", "{}")), answer())
    hook: Callable[[ToolCall], Optional[bool]] = lambda c: decision  # noqa: E731
    runner(agent, tools=[], input="go", on_approval=hook)
    assert agent.bodies[1]["messages"] == [{"type": "approval", "approvals": [expected]}]


# -- resolve_pending_approvals: repairing an agent stuck on an old approval ------------------------------


def stuck(*calls: Dict[str, Any]) -> httpx.Response:
    """The history of an agent whose last turn stopped on these calls and was never answered."""
    request = approval_request(*calls, index=1)
    request["id"] = PENDING_ID
    return httpx.Response(200, json=[message("user_message", 0, content="go"), request])


def test_resolve_denies_every_pending_call_once_even_with_duplicated_ids(runner: Runner) -> None:
    duplicated = stuck(
        call("c1", "client_get_weather", "{}"), call("c1", "client_get_weather", "{}"), call("c2", "x", "{}")
    )
    agent = Agent(duplicated, answer(reply("ok then")))
    result = runner.resolve(agent, FIXTURES_AGENT, deny_reason="the client went away")
    assert [(r.method, dict(r.url.params)) for r in agent.requests] == [
        ("GET", {"limit": "50", "order": "desc"}),
        ("POST", {}),
    ]
    denied = [
        {"type": "approval", "tool_call_id": c, "approve": False, "reason": "the client went away"}
        for c in ("c1", "c2")
    ]
    assert agent.bodies == [{"messages": [{"type": "approval", "approvals": denied}]}]  # no client_tools
    assert result.rounds == 1 and result.text == "ok then"


def test_resolve_asks_decide_for_each_call_and_answers_the_calls_that_follow(runner: Runner) -> None:
    def decide(tool_call: ToolCall) -> Any:
        if tool_call.name == "safe":
            return True
        if tool_call.name == "lookup":
            return tool_result(tool_call.tool_call_id, {"found": 1})
        return False

    agent = Agent(
        stuck(call("c1", "safe", "{}"), call("c2", "lookup", "{}")),
        asks(call("c3", "risky", "{}")),
        answer(reply("done")),
    )
    result = runner.resolve(agent, FIXTURES_AGENT, decide=decide)
    assert [body["messages"][0]["approvals"] for body in agent.bodies] == [
        [{"type": "approval", "tool_call_id": "c1", "approve": True}, ok("c2", '{"found":1}')],
        [{"type": "approval", "tool_call_id": "c3", "approve": False}],
    ]
    assert result.rounds == 2 and result.stop_reason.stop_reason == "end_turn"


def test_resolve_with_nothing_pending_sends_nothing(runner: Runner) -> None:
    answered = message("approval_response_message", 2, approvals=[ok("c1", "x")])
    agent = Agent(history(answered))
    result = runner.resolve(agent, FIXTURES_AGENT)
    assert result.rounds == 0 and [r.method for r in agent.requests] == ["GET"]


def test_resolve_uses_a_default_reason_and_reports_a_failed_history_read(runner: Runner) -> None:
    agent = Agent(stuck(call("c1", "x", "{}")), answer())
    runner.resolve(agent, FIXTURES_AGENT)
    [item] = agent.bodies[0]["messages"][0]["approvals"]
    assert item["approve"] is False and "denied" in item["reason"]
    with pytest.raises(ConflictError):
        runner.resolve(Agent(httpx.Response(409, json={"detail": "busy"})), FIXTURES_AGENT)


def test_the_runner_denies_a_foreign_pending_call_when_told_to_then_sends_the_message(runner: Runner) -> None:
    agent = Agent(
        pending_conflict(),
        stuck(call("s1", "server_tool", "{}"), call("c1", "client_get_weather", {"location": "Paris"})),
        answer(reply("resumed", 5)),
        answer(reply("hello!")),
    )
    result = runner(agent, FIXTURES_AGENT, tools=[client_get_weather], input="hi", resolve_pending="deny")
    [answer_message] = agent.bodies[1]["messages"]
    assert answer_message["approvals"][0]["tool_call_id"] == "s1"
    assert answer_message["approvals"][0]["approve"] is False
    assert answer_message["approvals"][1] == ok("c1", "Sunny, 21C")
    assert agent.bodies[2] == {"input": "hi", "client_tools": [DECLARATION]}
    assert result.text == "resumed\nhello!"
    with pytest.raises(ValueError, match="resolve_pending"):
        runner(Agent(), tools=[], input="x", resolve_pending="sometimes")


def test_a_busy_conversation_is_waited_out_and_the_same_request_sent_again(runner: Runner) -> None:
    busy = {
        "detail": "CONFLICT: Cannot send a new message: Another request (run_id=run-1) is currently being "
        "processed for this conversation. Please wait for it to complete.",
        "run_id": "run-1",
    }
    agent = Agent(asks(call("c1", "add", {"a": 1, "b": 2})), httpx.Response(409, json=busy), answer(reply("3")))
    result = runner(agent, tools=[add], messages=[USER])
    posts = [json.loads(request.content) for request in agent.requests]
    assert posts[1] == posts[2]  # the tool return again, otid included: the server takes it once
    assert posts[1]["messages"][0]["tool_returns"] == [ok("c1", "3")]
    assert result.text == "3" and result.rounds == 2


def test_the_message_sent_again_after_a_pending_approval_has_new_otids(runner: Runner) -> None:
    agent = Agent(pending_conflict(), history(), answer(reply("about Paris", 5)), answer(reply("hello!")))
    runner(agent, FIXTURES_AGENT, tools=[client_get_weather], messages=[USER])
    posts = [json.loads(request.content) for request in agent.requests if request.method == "POST"]
    first, again = posts[0]["messages"][0], posts[2]["messages"][0]
    assert {**first, "otid": None} == {**again, "otid": None}
    assert first["otid"] != again["otid"]  # a conversation would replay the refused attempt for the same otid
