"""Runs of an agent, their messages, steps and usage; then the agent's history reset.

Covers: ``client.runs.list(agent_id=..., limit=...)`` and its first page's ``.items``,
``runs.list`` with ``agent_ids=`` / ``statuses=``, ``runs.retrieve``, ``runs.messages.list``,
``runs.steps.list``, ``runs.usage.retrieve``, and ``client.agents.messages.reset(agent_id=...)``.
"""

from __future__ import annotations

import os
from typing import List

from _agent import agent_fields

from letta_client import Letta
from letta_client.types.agents import Run


def main() -> None:
    client = Letta(base_url=os.environ["LETTA_BASE_URL"], api_key=os.environ.get("LETTA_API_KEY"))
    agent = client.agents.create(**agent_fields("runs"))
    try:
        for text in ("First run please", "Second run please"):
            client.agents.messages.create(agent_id=agent.id, input=text)

        # One page, newest first. (Letta 0.16.8's ``after=`` cursor does not continue a run
        # listing: it can answer an empty page, or runs already seen, so auto-paging runs is
        # unreliable with any SDK.)
        runs: List[Run] = client.runs.list(agent_id=agent.id, limit=10).items
        assert len(runs) == 2, [r.id for r in runs]
        assert all(r.agent_id == agent.id for r in runs)
        done = [r.id for r in client.runs.list(agent_ids=[agent.id], statuses=["completed"]).items]
        assert sorted(done) == sorted(r.id for r in runs), done

        last = client.runs.retrieve(run_id=runs[0].id)
        assert last.status == "completed" and last.stop_reason == "end_turn", (last.status, last.stop_reason)
        run_messages = list(client.runs.messages.list(run_id=last.id))
        assert any(m.message_type == "assistant_message" for m in run_messages), run_messages
        steps = list(client.runs.steps.list(run_id=last.id))
        assert steps and all(step.run_id == last.id for step in steps), steps
        usage = client.runs.usage.retrieve(run_id=last.id)
        assert (usage.total_tokens or 0) >= 0
        print("runs:", len(runs), "steps in the last:", len(steps))

        # Reset empties the agent's context (its message_ids) down to the system message.
        before = client.agents.retrieve(agent_id=agent.id)
        assert len(before.message_ids or []) > 1, before.message_ids
        state = client.agents.messages.reset(agent_id=agent.id, add_default_initial_messages=False)
        assert state is not None and state.id == agent.id
        assert state.message_ids is not None and len(state.message_ids) == 1, state.message_ids
        assert client.agents.retrieve(agent_id=agent.id).message_ids == state.message_ids
        print("in context after reset:", state.message_ids)
    finally:
        client.agents.delete(agent_id=agent.id)
        client.close()


if __name__ == "__main__":
    main()
