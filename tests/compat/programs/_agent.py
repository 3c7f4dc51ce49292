"""The agent settings the compatibility programs create their agents with.

A real server needs a model and an embedding it knows: ``LETTA_MODEL`` and ``LETTA_EMBEDDING``
name them (the live suite points them at its scripted model); the simulator accepts any.
"""

from __future__ import annotations

import os
import uuid
from typing import Any, Dict


def agent_fields(purpose: str) -> Dict[str, Any]:
    """Keyword arguments for ``client.agents.create(...)``: a unique name, model, embedding, memory."""
    return {
        "name": f"compat-{purpose}-{uuid.uuid4().hex[:8]}",
        "model": os.environ.get("LETTA_MODEL", "openai/gpt-4o-mini"),
        "embedding": os.environ.get("LETTA_EMBEDDING", "openai/text-embedding-3-small"),
        "memory_blocks": [
            {"label": "human", "value": "The human is checking that programs run unchanged."},
            {"label": "persona", "value": "I am a concise assistant."},
        ],
    }
