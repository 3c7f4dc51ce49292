"""Per-call overhead of a non-streaming send, in its own process: ``ours`` or ``official``.

    python benchmarks/_send_worker.py IMPL CALLS

The MockTransport answers every call with the same 100-message ``LettaResponse``. Prints one
JSON line: microseconds per call (best of 5 rounds of CALLS calls). Imports only ``_bodies``
from the benchmarks, so the official SDK's venv can run it too.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any, Dict, List

import httpx
from _bodies import _base

AGENT = "agent-00000000-0000-4000-8000-000000000000"


def response_body(count: int = 100) -> bytes:
    messages: List[Dict[str, object]] = []
    for i in range(count):
        mid, otid = f"message-{i:08d}-0000-4000-8000-000000000000", f"{i:08d}-0000-4000-8000-000000000000"
        kind = i % 4
        if kind == 0:
            messages.append(
                _base(
                    "reasoning_message",
                    mid,
                    otid,
                    source="reasoner_model",
                    reasoning="The user asks about the weather; I should call the tool.",
                    signature=None,
                )
            )
        elif kind == 1:
            call = {"name": "get_weather", "arguments": '{"city": "Paris"}', "tool_call_id": f"call_{i}"}
            messages.append(_base("tool_call_message", mid, otid, tool_call=call, tool_calls=[call]))
        elif kind == 2:
            ret = {
                "type": "tool",
                "tool_return": "Sunny, 21C",
                "status": "success",
                "tool_call_id": f"call_{i}",
                "stdout": None,
                "stderr": None,
            }
            messages.append(
                _base(
                    "tool_return_message",
                    mid,
                    otid,
                    tool_return="Sunny, 21C",
                    status="success",
                    tool_call_id=f"call_{i}",
                    stdout=None,
                    stderr=None,
                    tool_returns=[ret],
                )
            )
        else:
            messages.append(_base("assistant_message", mid, otid, content="It is sunny in Paris, 21 °C. " * 4))
    usage = {
        "message_type": "usage_statistics",
        "completion_tokens": 10,
        "prompt_tokens": 20,
        "total_tokens": 30,
        "step_count": 1,
        "run_ids": None,
    }
    body = {
        "messages": messages,
        "stop_reason": {"message_type": "stop_reason", "stop_reason": "end_turn"},
        "usage": usage,
    }
    return json.dumps(body).encode()


def main() -> None:
    impl, calls = sys.argv[1], int(sys.argv[2])
    body = response_body()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "application/json"}, content=body)

    from letta_client import Letta

    client = Letta(
        base_url="http://bench", api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    messages: Any = [{"role": "user", "content": "What is the weather in Paris?"}]
    send = client.agents.messages.create if impl == "official" else client.agents.messages.send
    result = send(AGENT, messages=messages)
    assert len(result.messages) == 100, len(result.messages)
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(calls):
            send(AGENT, messages=messages)
        best = min(best, (time.perf_counter() - start) / calls)
    print(json.dumps({"impl": impl, "us_per_call": best * 1e6}))


if __name__ == "__main__":
    main()
