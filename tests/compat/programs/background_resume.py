"""A background stream read in two parts: the run id and ``seq_id`` come from the chunks, and
the rest is read again from the run with ``runs.messages.stream(run_id, starting_after=...)``.

Covers: ``messages.create(..., streaming=True, background=True)``, ``chunk.run_id`` /
``chunk.seq_id`` on the chunks, closing a stream early, ``client.runs.messages.stream``,
``client.runs.retrieve`` and ``client.runs.list(agent_id=..., background=True)``.
"""

from __future__ import annotations

import os
from typing import List, Optional

from _agent import agent_fields

from letta_client import Letta
from letta_client.types.agents import AssistantMessage


def main() -> None:
    client = Letta(base_url=os.environ["LETTA_BASE_URL"], api_key=os.environ.get("LETTA_API_KEY"))
    agent = client.agents.create(**agent_fields("background"))
    try:
        run_id: Optional[str] = None
        last_seq_id: Optional[int] = None
        stream = client.agents.messages.create(
            agent_id=agent.id,
            messages=[{"role": "user", "content": "Keep going in the background"}],
            streaming=True,
            background=True,
            stream_tokens=True,
        )
        for chunk in stream:
            run_id = getattr(chunk, "run_id", None) or run_id
            last_seq_id = getattr(chunk, "seq_id", None) or last_seq_id
            if run_id and last_seq_id:
                break  # as if the connection dropped here
        stream.close()
        assert run_id and run_id.startswith("run-"), run_id
        assert last_seq_id is not None
        print("first part: run", run_id, "up to seq_id", last_seq_id)

        seq_ids: List[int] = []
        kinds: List[str] = []
        text = ""
        with client.runs.messages.stream(run_id, starting_after=last_seq_id) as rest:
            for chunk in rest:
                kinds.append(chunk.message_type or "")
                seq_id = getattr(chunk, "seq_id", None)
                if seq_id is not None:
                    seq_ids.append(seq_id)
                if isinstance(chunk, AssistantMessage):
                    text += str(chunk.content)
        print("second part:", kinds)
        assert seq_ids and min(seq_ids) > last_seq_id, (last_seq_id, seq_ids)
        assert seq_ids == sorted(set(seq_ids)), seq_ids
        assert "background" in text, text
        assert "stop_reason" in kinds, kinds

        run = client.runs.retrieve(run_id)
        assert run.id == run_id and run.status == "completed", run.status
        background_runs = [r.id for r in client.runs.list(agent_id=agent.id, background=True).items]
        assert run_id in background_runs, background_runs
    finally:
        client.agents.delete(agent_id=agent.id)
        client.close()


if __name__ == "__main__":
    main()
