"""Conversations: separate threads of messages on one agent, each with its own lock.

    python examples/conversations.py

With ``LETTA_BASE_URL`` unset it runs against the bundled simulator (``letta_client.testing``);
with ``LETTA_BASE_URL`` and ``LETTA_AGENT_ID`` set it talks to that server instead.

It opens a conversation, streams a turn, sends one without streaming, reads the history, shows
what a second sender gets while a turn runs (``ConversationBusyError``) and how to follow that
turn, forks the conversation and deletes it.
"""

from __future__ import annotations

import contextlib
import os
import threading
from typing import Iterator, Optional, Tuple

from letta_client import ConversationBusyError, Letta, NotFoundError


@contextlib.contextmanager
def server() -> Iterator[Tuple[str, str, Optional[threading.Event]]]:
    """(base_url, agent_id, release): the configured server, or the simulator. ``release`` ends
    the simulator's slow turn (a real server's ``[slow=2]`` turn ends by itself)."""
    base_url = os.environ.get("LETTA_BASE_URL")
    if base_url:
        yield base_url, os.environ["LETTA_AGENT_ID"], None
        return
    from letta_client.testing import Hold, Reply, Simulator

    sim = Simulator()
    release = threading.Event()
    agent_id = sim.default_agent_id
    sim.script(agent_id, [Reply("Hello! What shall we talk about?")])
    sim.script(agent_id, [Reply("Noted.")])
    sim.script(agent_id, [Hold(release, timeout=30), Reply("That took a while.")])
    with sim.serve() as url:
        yield url, agent_id, release


def main() -> None:
    with server() as (base_url, agent_id, release), Letta(base_url=base_url) as client:
        conversation = client.conversations.create(agent_id=agent_id, summary="example")
        print(f"conversation: {conversation.id} (agent {conversation.agent_id})")

        # Streams by default (like the endpoint), and is exactly-once: see examples/exactly_once.py.
        for event in client.conversations.messages.send(conversation.id, input="Hi there!"):
            if event.message_type == "assistant_message":
                print(f"assistant: {event.text}")

        response = client.conversations.messages.send(conversation.id, input="Remember: blue.", streaming=False)
        print(f"non-streaming: {response.text}")

        history = [m.message_type for m in client.conversations.messages.list(conversation.id, order="asc")]
        print(f"history: {history.count('user_message')} user messages, {history.count('assistant_message')} answers")

        # One turn at a time per conversation: a second send while one runs is refused.
        slow = client.conversations.messages.send(conversation.id, input="[slow=2] Take your time.", yield_pings=True)
        next(iter(slow))  # the first ping names the run: the turn is running
        try:
            client.conversations.messages.send(conversation.id, input="Are you there?")
        except ConversationBusyError as busy:
            print(f"busy: run {busy.run_id} is running in {busy.conversation_id}")
            if release is not None:
                release.set()
            followed = client.conversations.messages.stream(busy.conversation_id, run_id=busy.run_id)
            print(f"followed: {followed.get_final_response().text}")
        slow.until_done()

        fork = client.conversations.fork(conversation.id)
        print(f"fork: {fork.id} keeps {len(list(client.conversations.messages.list(fork.id)))} messages")

        client.conversations.delete(conversation.id)
        try:
            client.conversations.retrieve(conversation.id)
        except NotFoundError:
            print("deleted: retrieve gives 404")


if __name__ == "__main__":
    main()
