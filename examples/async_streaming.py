"""Stream a turn with the async client: each step's messages as soon as the step is done.

python examples/async_streaming.py             # against the built-in simulator
LETTA_BASE_URL=... LETTA_AGENT_ID=... python examples/async_streaming.py
"""

from __future__ import annotations

import asyncio
import os

from letta_client import AsyncLetta
from letta_client.types import AssistantMessage, ReasoningMessage, ToolCallMessage, ToolReturnMessage


def connect() -> tuple[AsyncLetta, str]:
    if os.environ.get("LETTA_BASE_URL"):
        return AsyncLetta(), os.environ["LETTA_AGENT_ID"]
    from letta_client.testing import Simulator

    simulator = Simulator()
    return simulator.async_client(), simulator.default_agent_id


async def main() -> None:
    client, agent_id = connect()
    async with client:
        stream = await client.agents.messages.send(agent_id, input="How is the weather in Oslo?", streaming=True)
        async for event in stream:
            if isinstance(event, ReasoningMessage):
                print("reasoning:", event.reasoning)
            elif isinstance(event, ToolCallMessage):
                for call in event.calls:
                    print(f"tool call: {call.name}({call.arguments})")
            elif isinstance(event, ToolReturnMessage):
                print("tool return:", event.tool_return)
            elif isinstance(event, AssistantMessage):
                print("assistant:", event.text)
        print("run:", stream.run_id)
        print("stop_reason:", stream.stop_reason.stop_reason if stream.stop_reason else None)


if __name__ == "__main__":
    asyncio.run(main())
