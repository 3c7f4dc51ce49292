"""A background stream that survives a dropped connection.

    python examples/background_resume.py

With ``LETTA_BASE_URL`` unset it runs against the bundled simulator (``letta_client.testing``)
on a real 127.0.0.1 socket, scripted to drop the connection after a few events; the stream
resumes by itself from the last ``seq_id`` and every event is printed once. With
``LETTA_BASE_URL`` (and ``LETTA_AGENT_ID``) set it talks to that server instead.

The last lines are checkable: ``events=<n> unique_seq_ids=<n> duplicates=0`` and the run's status.
"""

from __future__ import annotations

import contextlib
import os
from typing import Iterator, List, Optional, Tuple

from letta_client import Letta, LettaError


def reconnecting(attempt: int, run_id: str, last_seq_id: Optional[int], error: LettaError) -> None:
    print(f"  ... reconnecting (attempt {attempt}) to {run_id} after seq_id {last_seq_id}: {type(error).__name__}")


@contextlib.contextmanager
def server() -> Iterator[Tuple[str, str]]:
    """(base_url, agent_id): the configured server, or the simulator scripted to disconnect."""
    base_url = os.environ.get("LETTA_BASE_URL")
    if base_url:
        yield base_url, os.environ["LETTA_AGENT_ID"]
        return
    from letta_client.testing import Disconnect, Reply, Simulator, Think

    sim = Simulator()
    agent_id = sim.default_agent_id
    sim.script(
        agent_id, [Think("The user wants a short poem."), Reply("Roses are red, streams resume."), Disconnect(4)]
    )
    with sim.serve() as url:
        yield url, agent_id


def main() -> None:
    with server() as (base_url, agent_id), Letta(base_url=base_url) as client:
        stream = client.agents.messages.send(
            agent_id,
            input="Write me a two-line poem.",
            streaming=True,
            stream_tokens=True,
            background=True,
            on_reconnect=reconnecting,
        )
        seq_ids: List[int] = []
        for event in stream:
            seq_id = getattr(event, "seq_id", None)
            if seq_id is not None:
                seq_ids.append(seq_id)
            print(f"seq_id={seq_id!s:>4} {event.message_type}")
        print(f"run_id={stream.run_id} stop_reason={stream.stop_reason and stream.stop_reason.stop_reason}")
        print(f"reconnects={stream.reconnects}")
        print(f"events={len(seq_ids)} unique_seq_ids={len(set(seq_ids))} duplicates={len(seq_ids) - len(set(seq_ids))}")
        assert stream.run_id is not None
        run = client.runs.wait(stream.run_id, timeout=60)
        stored = list(client.runs.messages.list(stream.run_id))
        print(f"run status={run.status} stored_messages={len(stored)}")


if __name__ == "__main__":
    main()
