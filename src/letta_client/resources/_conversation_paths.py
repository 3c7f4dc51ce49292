"""The agent-direct ``agent_id`` of ``/v1/conversations/…`` (checked before sending); the paths
themselves are built in ``letta_client._paths``."""

from __future__ import annotations

from typing import Any, Dict, Optional

from .._paths import CONVERSATIONS_PATH as COLLECTION
from .._paths import conversation_path, path_segment

__all__ = ["COLLECTION", "agent_field", "conversation_path"]


def agent_field(conversation_id: str, agent_id: Optional[str]) -> Dict[str, Any]:
    """``{"agent_id": …}`` when given. ``"default"`` (agent-direct mode: the agent's default
    conversation) needs it; a conversation id does not."""
    path_segment(conversation_id, "conversation_id")
    if conversation_id == "default" and not agent_id:
        raise ValueError('conversation_id="default" (agent-direct mode) needs agent_id')
    if agent_id is None:
        return {}
    path_segment(agent_id, "agent_id")
    return {"agent_id": agent_id}
