"""The demo agent the terminal chat talks to on a server when no agent is given: found by its name
(``letta-client-demo``) and reused, or created on the first run.

Its model is ``$LETTA_MODEL`` when set, else the first LLM the server lists that is not
``letta/letta-free`` (that one calls Letta's hosted inference, so it needs the internet); its
embedding is ``$LETTA_EMBEDDING``, else the first embedding model chosen the same way (none when the
server lists no other: the server then picks its default).
"""

from __future__ import annotations

import os
from typing import Iterable, Optional, Tuple

from ._client import Letta
from .types.agent import AgentState

__all__ = ["DEMO_AGENT_NAME", "NoModelError", "find_or_create_demo_agent", "pick_handle"]

DEMO_AGENT_NAME = "letta-client-demo"
NETWORK_ONLY_HANDLES = frozenset({"letta/letta-free"})

_HUMAN = "The human is trying out the Letta Python SDK (letta-client) from a terminal."
_PERSONA = "I am the demo agent of letta-client's terminal chat: brief, friendly and helpful."


class NoModelError(Exception):
    """The server lists no model the demo agent can use, and ``$LETTA_MODEL`` is not set."""


def pick_handle(handles: Iterable[Optional[str]]) -> Optional[str]:
    """The first handle that works without the internet (not ``letta/letta-free``), or ``None``."""
    for handle in handles:
        if handle and handle not in NETWORK_ONLY_HANDLES:
            return handle
    return None


def find_or_create_demo_agent(client: Letta) -> Tuple[AgentState, bool]:
    """The demo agent and whether it was created now. Raises ``NoModelError`` when there is no
    model to create it with, and the SDK's exceptions when a request fails."""
    for agent in client.agents.list(name=DEMO_AGENT_NAME, limit=1):
        return agent, False
    model = os.environ.get("LETTA_MODEL") or pick_handle(model.handle for model in client.models.list())
    if model is None:
        raise NoModelError(
            "the server offers no model the demo agent can use (letta/letta-free needs the internet): "
            "set LETTA_MODEL to a model handle, e.g. openai/gpt-4o-mini, or pass --agent AGENT_ID"
        )
    embedding = os.environ.get("LETTA_EMBEDDING") or pick_handle(
        embedding.handle for embedding in client.models.embeddings.list()
    )
    agent = client.agents.create(
        name=DEMO_AGENT_NAME,
        description="The agent of letta-client's terminal chat (python -m letta_client chat).",
        model=model,
        embedding=embedding,
        memory_blocks=[{"label": "human", "value": _HUMAN}, {"label": "persona", "value": _PERSONA}],
    )
    return agent, True
