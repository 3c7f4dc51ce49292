"""Token streaming: print the reply as it is generated, then get the merged final response.

python examples/token_streaming.py             # against the built-in simulator
LETTA_BASE_URL=... LETTA_AGENT_ID=... python examples/token_streaming.py
"""

from __future__ import annotations

import os

from letta_client import Letta
from letta_client.types import AssistantMessage


def connect() -> tuple[Letta, str]:
    if os.environ.get("LETTA_BASE_URL"):
        return Letta(), os.environ["LETTA_AGENT_ID"]
    from letta_client.testing import Simulator

    simulator = Simulator()
    return simulator.client(), simulator.default_agent_id


def main() -> None:
    client, agent_id = connect()
    with client:
        stream = client.agents.messages.send(
            agent_id, input="Tell me something nice, one word at a time", streaming=True, stream_tokens=True
        )
        fragments = 0
        for event in stream:
            if isinstance(event, AssistantMessage):
                fragments += 1
                print(event.text, end="", flush=True)
        print()
        final = stream.get_final_response()  # the deltas, merged into whole messages
        print("fragments:", fragments)
        print("final:", final.text)
        print("messages:", [message.message_type for message in final.messages])
        print("stop_reason:", final.stop_reason.stop_reason)


if __name__ == "__main__":
    main()
