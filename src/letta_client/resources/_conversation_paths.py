"""Paths and the agent-direct ``agent_id`` of ``/v1/conversations/…`` (checked before sending)."""

from __future__ import annotations

from typing import Any, Dict, Optional

from .._transport import path_segment

__all__ = ["COLLECTION", "agent_field", "conversation_path"]

COLLECTION = "/v1/conversations/"
"""The collection path; 0.16.8 answers the path without its trailing slash with a redirect."""


def conversation_path(conversation_id: str, suffix: str = "") -> str:
    return f"/v1/conversations/{path_segment(conversation_id, 'conversation_id')}{suffix}"


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
