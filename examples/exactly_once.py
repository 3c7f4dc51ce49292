"""Exactly-once sends: a send whose answer is lost is recovered without doubling the turn.

    python examples/exactly_once.py

With ``LETTA_BASE_URL`` unset it runs against the bundled simulator on a real 127.0.0.1 socket;
with ``LETTA_BASE_URL`` and ``LETTA_AGENT_ID`` set it talks to that server instead (which needs
Redis for exactly-once sends; without it the SDK logs a warning and sends plainly).

A transport in front of the client delivers the first send to the server and then breaks the
connection before any answer byte arrives — the case where a client cannot know whether the
server got the message. The SDK sends the identical request again (same message ``otid``\\ s,
background mode); the server recognises it and streams the run the first copy started. The
turn happens once, and the history holds the message once.
"""

from __future__ import annotations

import contextlib
import os
from typing import Iterator, Optional, Tuple

import httpx

from letta_client import Letta, LettaError


class LoseTheFirstAnswer(httpx.HTTPTransport):
    """Forwards every request; the first message send's answer is thrown away (a reset)."""

    lost = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if not self.lost and request.method == "POST" and request.url.path.endswith("/messages"):
            self.lost += 1
            response.close()
            raise httpx.ReadError("connection reset (by this example)", request=request)
        return response


def recovering(attempt: int, run_id: str, last_seq_id: Optional[int], error: LettaError) -> None:
    print(f"recovering: attempt {attempt} (run {run_id or 'not known yet'}): {type(error).__name__}")


@contextlib.contextmanager
def server() -> Iterator[Tuple[str, str]]:
    base_url = os.environ.get("LETTA_BASE_URL")
    if base_url:
        yield base_url, os.environ["LETTA_AGENT_ID"]
        return
    from letta_client.testing import Reply, Simulator, Think

    sim = Simulator()
    sim.script(sim.default_agent_id, [Think("Once is enough."), Reply("I got your message exactly once.")])
    with sim.serve() as url:
        yield url, sim.default_agent_id


def main() -> None:
    transport = LoseTheFirstAnswer()
    with (
        server() as (base_url, agent_id),
        Letta(base_url=base_url, http_client=httpx.Client(transport=transport)) as client,
    ):
        conversation = client.conversations.create(agent_id=agent_id)
        stream = client.conversations.messages.send(
            conversation.id, input="Please answer once.", on_reconnect=recovering
        )
        for event in stream:
            if event.message_type == "assistant_message":
                print(f"assistant: {event.text}")
        print(f"answers lost on the way: {transport.lost}; recoveries: {stream.reconnects}; run: {stream.run_id}")
        history = list(client.conversations.messages.list(conversation.id))
        sent = [m for m in history if m.message_type == "user_message" and m.content == "Please answer once."]
        print(f"the history holds the message {len(sent)} time(s)")


if __name__ == "__main__":
    main()
