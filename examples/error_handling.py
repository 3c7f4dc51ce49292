"""What failures look like: an unknown agent (404) and a request the server rejects (422).

python examples/error_handling.py              # against the built-in simulator
LETTA_BASE_URL=... LETTA_AGENT_ID=... python examples/error_handling.py
"""

from __future__ import annotations

import os

from letta_client import Letta, NotFoundError, UnprocessableEntityError


def connect() -> tuple[Letta, str]:
    if os.environ.get("LETTA_BASE_URL"):
        return Letta(), os.environ["LETTA_AGENT_ID"]
    from letta_client.testing import Simulator

    simulator = Simulator()
    return simulator.client(), simulator.default_agent_id


def main() -> None:
    client, agent_id = connect()
    with client:
        try:
            client.agents.messages.send("agent-00000000-0000-4000-8000-000000000000", input="hello?")
        except NotFoundError as error:
            print("404 not found:", error.detail)

        try:
            # The SDK checks what it can before sending; the server checks the rest. An id that
            # is not "agent-<uuid4>" is only caught by the server.
            client.agents.messages.send("not-an-agent-id", input="hello?")
        except UnprocessableEntityError as error:
            print("422 unprocessable:", error.status_code)

        try:
            client.agents.messages.send(agent_id, input="x", stream_tokens=True)  # type: ignore[call-overload]
        except (TypeError, ValueError) as error:
            print("rejected before sending:", type(error).__name__)

        print("still fine:", client.agents.messages.send(agent_id, input="ping").text)


if __name__ == "__main__":
    main()
