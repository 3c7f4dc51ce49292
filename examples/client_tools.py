"""Client-side tools: the agent calls Python functions that run here, in the client.

    python examples/client_tools.py            # against the built-in simulator (no server needed)
    LETTA_BASE_URL=http://localhost:8283 LETTA_AGENT_ID=agent-... python examples/client_tools.py
    (LETTA_INPUT replaces the question; the agent should be a letta_v1_agent)

``@tool`` declares a function to the agent (name, docstring, JSON Schema from the type hints).
``run_tools`` sends the message, runs every tool call the agent makes, sends the results back
and repeats until the turn ends. Tools may be ``async`` (the sync client runs them on its own
event-loop thread) and may return images (``image(png_bytes)``), sent as image parts. The output
ends with ``OK`` when every check passed; an agent that answers without calling a tool is
reported, not an error.
"""

from __future__ import annotations

import asyncio
import os
from typing import Dict, List, Literal

from letta_client import Letta, ToolRunResult, tool
from letta_client.tools import image
from letta_client.types.messages import ToolCall

WEATHER = {"paris": 21, "oslo": 4}
# A 1x1 red PNG: a real tool would render a chart or take a screenshot.
RED_DOT = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201e2d3a4ec0000000049454e44ae426082"
)


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
async def local_time(city: str) -> str:
    """The local time in a city (hh:mm)."""
    await asyncio.sleep(0)  # an async tool: awaits I/O as it likes
    return {"paris": "14:05", "oslo": "14:05"}.get(city.lower(), "unknown")


@tool
def weather_map(city: str) -> List[object]:
    """A weather map of the city, as an image."""
    return [f"weather map of {city}:", image(RED_DOT)]  # text and an image part


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
            Call("weather_map", {"city": "Paris"}),
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
        print("declared:", [t.to_param()["name"] for t in (get_forecast, local_time, weather_map)])
        runner = client.agents.messages.run_tools(
            agent_id,
            tools=[get_forecast, local_time, weather_map],
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
            value = item.get("tool_return", item)
            if isinstance(value, list):  # content parts: show the kinds, not the image's base64
                value = [part["text"] if part["type"] == "text" else f"<{part['type']}>" for part in value]
            print(f"sent back for {item['tool_call_id']}: {value}")
    print(f"rounds={result.rounds} stop_reason={result.stop_reason.stop_reason} steps={result.usage.step_count}")
    assert result.stop_reason.stop_reason != "requires_approval"
    if result.rounds == 1:
        print("the agent answered without calling a tool: nothing for the client to run")
    print("OK")


if __name__ == "__main__":
    main()
