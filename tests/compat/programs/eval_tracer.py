"""An evaluation harness in the style of letta-evals and of the agent tests in public code: it
runs cases against an agent, traces each turn, and sorts failures by the text of the error.

Covers: ``Letta(api_key=...)`` with a space inside the key (a legal header value that the
official SDK sends as it is); an empty ``agent_id`` from a config refused with
``ValueError`` whose text names it ("Expected a non-empty value for `agent_id`");
``except APIStatusError`` and matching ``"Error code: 409"`` / ``"Error code: 401"`` in
``str(error)``, with ``error.status_code`` and ``error.body``; a client tool given as a dict
(``client_tools=[{...}]``) that leaves the agent waiting for its result; answering it with an
``approval`` message (``type: "tool"`` returns); ``response.usage`` and ``stop_reason`` in the
trace.
"""

from __future__ import annotations

import os
import time
from typing import Any, Dict, List, Optional

from _agent import agent_fields

from letta_client import APIStatusError, AuthenticationError, Letta
from letta_client.types.agents import ApprovalRequestMessage, AssistantMessage, LettaResponse

WEATHER_TOOL: Dict[str, Any] = {
    "name": "client_get_weather",
    "description": "Get the weather for a city (run by the client).",
    "parameters": {
        "type": "object",
        "properties": {"location": {"type": "string", "description": "The city"}},
        "required": ["location"],
    },
}

CASES: List[Dict[str, Any]] = [
    {"name": "greeting", "input": "Say hello to the eval harness", "expect": "eval harness"},
    {"name": "tool", "input": '[tool:client_get_weather {"location": "Oslo"}] client_get_weather Oslo?', "tool": True},
    {"name": "blocked", "input": "Are you still there?", "expect": "still there"},
]


def trace(case: str, response: LettaResponse, started: float) -> Dict[str, Any]:
    """One line of the eval's trace for a turn."""
    texts = [m.content for m in response.messages if isinstance(m, AssistantMessage) and isinstance(m.content, str)]
    return {
        "case": case,
        "stop_reason": response.stop_reason.stop_reason,
        "steps": response.usage.step_count,
        "tokens": response.usage.total_tokens,
        "types": [m.message_type for m in response.messages],
        "answer": texts[-1] if texts else None,
        "seconds": round(time.monotonic() - started, 3),
    }


def classify(error: APIStatusError) -> str:
    """The harness's failure buckets, read from the error text as the official SDK words it."""
    text = str(error)
    if "Error code: 409" in text:
        return "conflict"
    if "Error code: 401" in text:
        return "unauthorized"
    if "Error code: 404" in text:
        return "not_found"
    return f"http_{error.status_code}"


def check_config(client: Letta, agent_id: Optional[str]) -> str:
    """A config whose agent id is empty fails before any request, naming the parameter."""
    try:
        client.agents.retrieve(agent_id=agent_id or "")
    except ValueError as error:
        assert "Expected a non-empty value for `agent_id`" in str(error), str(error)
        return "invalid config"
    return "ok"


def probe_key(base_url: str) -> str:
    """A key with a space is a legal header value: the client takes it and sends it."""
    probe = Letta(base_url=base_url, api_key="My API Key", max_retries=0)
    try:
        probe.agents.list(limit=1)
    except AuthenticationError as error:  # a server that checks keys refuses this one
        assert str(error).startswith("Error code: 401"), str(error)
        return "rejected"
    finally:
        probe.close()
    return "accepted"


def main() -> None:
    base_url = os.environ["LETTA_BASE_URL"]
    client = Letta(base_url=base_url, api_key=os.environ.get("LETTA_API_KEY"))
    print("config:", check_config(client, os.environ.get("EVAL_AGENT_ID_THAT_IS_NOT_SET")))
    print("key with a space:", probe_key(base_url))

    agent = client.agents.create(**agent_fields("eval"))
    results: List[Dict[str, Any]] = []
    failures: Dict[str, List[str]] = {}
    pending: Optional[ApprovalRequestMessage] = None
    try:
        for case in CASES:
            started = time.monotonic()
            try:
                response = client.agents.messages.create(
                    agent_id=agent.id,
                    messages=[{"role": "user", "content": case["input"]}],
                    client_tools=[WEATHER_TOOL],
                )
            except APIStatusError as error:
                bucket = classify(error)
                failures.setdefault(bucket, []).append(case["name"])
                assert isinstance(error.body, dict) and "detail" in error.body, error.body
                print(f"{case['name']}: {bucket} ({error.status_code})")
                continue
            row = trace(case["name"], response, started)
            results.append(row)
            print(row["case"], row["stop_reason"], row["types"])
            if case.get("tool"):
                requests = [m for m in response.messages if isinstance(m, ApprovalRequestMessage)]
                assert response.stop_reason.stop_reason == "requires_approval", row
                pending = requests[-1]
            else:
                assert row["answer"] and case["expect"] in row["answer"], row

        # the tool call left the agent waiting: the next case was refused with 409
        assert failures == {"conflict": ["blocked"]}, failures
        assert pending is not None
        calls = pending.tool_calls if isinstance(pending.tool_calls, list) else [pending.tool_call]
        answered = client.agents.messages.create(
            agent_id=agent.id,
            messages=[
                {
                    "type": "approval",
                    "approvals": [
                        {
                            "type": "tool",
                            "tool_call_id": call.tool_call_id,
                            "tool_return": "Snow, -3C",
                            "status": "success",
                        }
                        for call in calls
                    ],
                }
            ],
            client_tools=[WEATHER_TOOL],
        )
        assert answered.stop_reason.stop_reason == "end_turn", answered.stop_reason
        retried = client.agents.messages.create(
            agent_id=agent.id, messages=[{"role": "user", "content": "Are you still there?"}]
        )
        results.append(trace("blocked (retried)", retried, time.monotonic()))
        assert results[-1]["answer"] and "still there" in results[-1]["answer"], results[-1]
        print("trace:", len(results), "turns;", "failures:", failures)
    finally:
        client.agents.delete(agent_id=agent.id)
        client.close()


if __name__ == "__main__":
    main()
