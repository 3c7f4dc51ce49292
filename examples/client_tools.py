"""Client-side tools: the agent calls Python functions that run here, in the client.

    python examples/client_tools.py            # against the built-in simulator (no server needed)
    LETTA_BASE_URL=http://localhost:8283 LETTA_AGENT_ID=agent-... python examples/client_tools.py
    (LETTA_INPUT replaces the question; the agent should be a letta_v1_agent)

``@tool`` declares a function to the agent (name, docstring, JSON Schema from the type hints).
``run_tools`` sends the message, runs every tool call the agent makes, sends the results back
and repeats until the turn ends. The output ends with ``OK`` when every check passed.
"""

from __future__ import annotations

import os
from typing import Dict, Literal

from letta_client import Letta, ToolRunResult, tool
from letta_client.types.messages import ToolCall

WEATHER = {"paris": 21, "oslo": 4}


@tool
def get_forecast(city: str, unit: Literal["C", "F"] = "C") -> Dict[str, object]:
    """Get today's temperature for a city.

    Args:
        city: The city name, in English.
        unit: The temperature unit.
    """
    celsius = WEATHER.get(city.lower())
    if celsius is None:
        raise ValueError(f"no forecast for {city}")
    value = celsius if unit == "C" else round(celsius * 9 / 5 + 32)
    return {"city": city, "temperature": value, "unit": unit}


@tool
def local_time(city: str) -> str:
    """The local time in a city (hh:mm)."""
    return {"paris": "14:05", "oslo": "14:05"}.get(city.lower(), "unknown")


def on_approval(call: ToolCall) -> bool:
    """Calls to server tools that need approval: approve read-only ones, deny the rest."""
    print(f"approval asked for {call.name}({call.arguments})")
    return call.name.startswith("get_")


def simulated_client() -> tuple[Letta, str]:
    """A simulator whose agent calls both tools in parallel, then answers."""
    from letta_client.testing import Reply, Simulator, Think
    from letta_client.testing import ToolCall as Call

    sim = Simulator()
    agent_id = sim.default_agent_id
    sim.script(
        agent_id,
        [
            Think("I need the forecast and the time."),
            Call("get_forecast", {"city": "Paris"}),
            Call("local_time", {"city": "Paris"}),
            Reply("It is 21C in Paris at 14:05."),
        ],
    )
    return sim.client(), agent_id


def main() -> None:
    if os.environ.get("LETTA_BASE_URL"):
        client, agent_id = Letta(), os.environ["LETTA_AGENT_ID"]
    else:
        client, agent_id = simulated_client()

    with client:
        print("declared:", [t.to_param()["name"] for t in (get_forecast, local_time)])
        runner = client.agents.messages.run_tools(
            agent_id,
            tools=[get_forecast, local_time],
            on_approval=on_approval,
            input=os.environ.get("LETTA_INPUT", "What's the weather and the time in Paris? Use the client tools."),
            streaming=True,
        )
        for event in runner:  # every event of every round, as it arrives
            if event.message_type == "approval_request_message":
                for call in event.calls:
                    print(f"agent calls {call.name}({call.arguments})")
            elif event.message_type == "assistant_message":
                print(f"assistant: {event.text}")
            elif event.message_type == "stop_reason":
                print(f"-- round stopped: {event.stop_reason}")
        result: ToolRunResult = runner.get_final_response()

    for answer in result.answers:
        items = answer.get("tool_returns") or answer.get("approvals") or []
        for item in items:
            print(f"sent back: {item}")
    print(f"rounds={result.rounds} stop_reason={result.stop_reason.stop_reason} steps={result.usage.step_count}")
    assert result.rounds >= 2, "the agent should have called a tool"
    assert result.stop_reason.stop_reason != "requires_approval"
    print("OK")


if __name__ == "__main__":
    main()
