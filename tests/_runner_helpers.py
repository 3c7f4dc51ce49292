"""Shared by the tool-runner tests: a scripted agent on a MockTransport, the recorded shapes of
its answers, and ``Runner``, which runs ``run_tools`` on ``Letta`` or on ``AsyncLetta``."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any, Dict, List, Optional, Tuple, Union

import httpx
from pydantic import Field
from typing_extensions import Annotated

from _stream_helpers import SSE_HEADERS, async_client, fixture_body, message, sync_client
from letta_client.tools import ToolRunResult, tool

FIXTURES_AGENT = "agent-ed096874-45cb-4473-b660-fdfa5351693e"
PENDING_ID = "message-ce4fdc27-5a16-4b8b-aa67-8c89c8f415d7"


def recorded(name: str) -> Dict[str, Any]:
    return json.loads(fixture_body(f"{name}.http.json"))


@tool
def client_get_weather(location: Annotated[str, Field(description="City name")]) -> str:
    """Get the weather for a location (executed by the client)."""
    return {"Paris": "Sunny, 21C"}.get(location, "Rainy, 12C")


DECLARATION = client_get_weather.to_param()


@tool
def add(a: int, b: int) -> int:
    """Add two numbers."""
    return a + b


# -- a scripted agent ---------------------------------------------------------------------------


class Agent:
    """Answers each request with the next scripted response and records what was sent."""

    def __init__(self, *responses: httpx.Response) -> None:
        self.responses = list(responses)
        self.requests: List[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        assert self.responses, f"unexpected request {request.method} {request.url}"
        return self.responses.pop(0)

    @property
    def bodies(self) -> List[Dict[str, Any]]:
        """The JSON bodies of the POSTs, each message's otid checked (a uuid) and removed."""
        bodies = []
        for request in self.requests:
            if request.method != "POST":
                continue
            body = json.loads(request.content)
            for item in body.get("messages", []):
                uuid.UUID(item.pop("otid"))
            bodies.append(body)
        return bodies


class Runner:
    """``run_tools`` on ``Letta`` (``sync``) or on ``AsyncLetta`` (``async``), against a scripted agent:
    every test that takes the ``runner`` fixture runs in both modes."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def __call__(self, agent: Agent, agent_id: str = "agent-1", **kwargs: Any) -> ToolRunResult:
        return self.call("run_tools", agent, agent_id, **kwargs)

    def resolve(self, agent: Agent, agent_id: str = "agent-1", **kwargs: Any) -> ToolRunResult:
        return self.call("resolve_pending_approvals", agent, agent_id, **kwargs)

    def call(self, method: str, agent: Agent, agent_id: str, **kwargs: Any) -> ToolRunResult:
        if self.mode == "sync":
            with sync_client(agent) as client:
                result: ToolRunResult = getattr(client.agents.messages, method)(agent_id, **kwargs)
                return result

        async def main() -> ToolRunResult:
            async with async_client(agent) as client:
                result: ToolRunResult = await getattr(client.agents.messages, method)(agent_id, **kwargs)
                return result

        return asyncio.run(main())

    def streamed(
        self, agent: Agent, agent_id: str = "agent-1", *, take: Optional[int] = None, **kwargs: Any
    ) -> Tuple[List[Any], Union[ToolRunResult, Exception]]:
        """The events of a streaming run (only the first ``take``, then closed), and its final
        response or the error ``get_final_response()`` raised. Asserts that nothing is sent before
        the iteration starts."""
        if self.mode == "sync":
            with sync_client(agent) as client:
                runner = client.agents.messages.run_tools(agent_id, streaming=True, **kwargs)
                assert agent.requests == []
                with runner:
                    if take is None:
                        events = list(runner)
                    else:
                        events = [next(runner) for _ in range(take)]
                    assert runner.result.rounds <= len(agent.requests)
                try:
                    return events, runner.get_final_response()
                except Exception as error:
                    return events, error

        async def main() -> Tuple[List[Any], Union[ToolRunResult, Exception]]:
            async with async_client(agent) as client:
                runner = await client.agents.messages.run_tools(agent_id, streaming=True, **kwargs)
                assert agent.requests == []
                events: List[Any] = []
                async with runner:
                    if take is None:
                        events.extend([event async for event in runner])
                    else:
                        events.extend([await runner.__anext__() for _ in range(take)])
                    assert runner.result.rounds <= len(agent.requests)
                try:
                    return events, await runner.get_final_response()
                except Exception as error:
                    return events, error

        return asyncio.run(main())


def call(call_id: str, name: str, arguments: Union[str, Dict[str, Any]]) -> Dict[str, Any]:
    args = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return {"name": name, "arguments": args, "tool_call_id": call_id}


def approval_request(*calls: Dict[str, Any], index: int = 1) -> Dict[str, Any]:
    return message("approval_request_message", index, tool_call=calls[0], tool_calls=list(calls))


def reply(text: str, index: int = 9) -> Dict[str, Any]:
    return message("assistant_message", index, content=text)


def usage(tokens: int = 10, steps: int = 1) -> Dict[str, Any]:
    return {
        "message_type": "usage_statistics",
        "completion_tokens": tokens,
        "prompt_tokens": tokens * 10,
        "total_tokens": tokens * 11,
        "step_count": steps,
        "run_ids": None,
        "cached_input_tokens": 0,
        "cache_write_tokens": 0,
        "reasoning_tokens": 0,
        "context_tokens": tokens * 11,
    }


def answer(*messages: Dict[str, Any], stop_reason: str = "end_turn", tokens: int = 10) -> httpx.Response:
    body = {
        "messages": list(messages),
        "stop_reason": {"message_type": "stop_reason", "stop_reason": stop_reason},
        "usage": usage(tokens),
        "logprobs": None,
        "turns": None,
    }
    return httpx.Response(200, json=body)


def asks(*calls: Dict[str, Any]) -> httpx.Response:
    return answer(approval_request(*calls), stop_reason="requires_approval")


def stream_of(body: bytes) -> httpx.Response:
    return httpx.Response(200, headers=SSE_HEADERS, content=body)


def returns(*items: Dict[str, Any], **extra: Any) -> Dict[str, Any]:
    """The body of a follow-up that returns client tool results."""
    return {"messages": [{"type": "tool_return", "tool_returns": list(items)}], **extra}


def ok(call_id: str, value: str) -> Dict[str, Any]:
    return {"type": "tool", "tool_call_id": call_id, "status": "success", "tool_return": value}


def error(call_id: str, value: str) -> Dict[str, Any]:
    return {"type": "tool", "tool_call_id": call_id, "status": "error", "tool_return": value}


USER = {"role": "user", "content": "hi"}


def pending_conflict() -> httpx.Response:
    record = recorded("h_pending_send_blocked")
    return httpx.Response(record["status"], json=record["body_json"])


def history(*extra: Dict[str, Any]) -> httpx.Response:
    pending = approval_request(call("call_fake_000001", "client_get_weather", {"location": "Paris"}), index=1)
    pending["id"] = PENDING_ID
    items = [message("user_message", 0, content="CLIENT_TOOL what's the weather?"), pending, *extra]
    return httpx.Response(200, json=items)
