"""Send one message and print the whole reply (no streaming).

python examples/quickstart.py                  # against the built-in simulator
LETTA_BASE_URL=http://localhost:8283 LETTA_AGENT_ID=agent-... python examples/quickstart.py
"""

from __future__ import annotations

import os

from letta_client import Letta


def connect() -> tuple[Letta, str]:
    """A client and an agent id: a real server when LETTA_BASE_URL is set, else the simulator."""
    if os.environ.get("LETTA_BASE_URL"):
        return Letta(), os.environ["LETTA_AGENT_ID"]
    from letta_client.testing import Simulator

    simulator = Simulator()
    return simulator.client(), simulator.default_agent_id


def main() -> None:
    client, agent_id = connect()
    with client:
        response = client.agents.messages.send(agent_id, input="What's the weather in Paris?")
        for message in response.messages:
            print(f"[{message.message_type}]")
        print("assistant:", response.text)
        print("stop_reason:", response.stop_reason.stop_reason)
        print("steps:", response.usage.step_count)


if __name__ == "__main__":
    main()
