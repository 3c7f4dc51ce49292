"""URL paths of the API, with every id checked and encoded as one path segment."""

from __future__ import annotations

from ._transport import path_segment

__all__ = ["CONVERSATIONS", "conversation_path", "run_path"]


def run_path(run_id: str, suffix: str = "") -> str:
    """``/v1/runs/{run_id}`` plus ``suffix``."""
    return f"/v1/runs/{path_segment(run_id, 'run_id')}{suffix}"


CONVERSATIONS = "/v1/conversations/"
"""The conversations collection; Letta 0.16.8 answers it without the trailing slash with a redirect."""


def conversation_path(conversation_id: str, suffix: str = "") -> str:
    """``/v1/conversations/{conversation_id}`` plus ``suffix`` (``"default"`` is agent-direct mode)."""
    return f"/v1/conversations/{path_segment(conversation_id, 'conversation_id')}{suffix}"
