"""URL paths of the API, built from caller-supplied ids that are validated and percent-encoded.

Every path a resource sends is built here, so an id can never leave its path segment.
"""

from __future__ import annotations

from urllib.parse import quote

__all__ = ["CONVERSATIONS", "agent_messages_path", "agent_path", "conversation_path", "path_segment", "run_path"]

CONVERSATIONS = "/v1/conversations/"
"""The conversations collection; Letta 0.16.8 answers it without the trailing slash with a redirect."""


class EmptyIdError(ValueError, TypeError):
    """An id given as ``None`` or ``""``: a ``ValueError`` as in the official SDK, and a
    ``TypeError`` too for ``None`` (not a string), as this SDK raised before."""


def path_segment(value: object, name: str) -> str:
    """Validate an id that goes into a URL path, and percent-encode it completely.

    Raises before anything is sent, the official SDK's sentence first: ``ValueError`` for an
    empty id or ``None`` ("Expected a non-empty value for `agent_id` but received ''"), one of
    only whitespace, one with whitespace or control characters inside, or ``.``/``..``;
    ``TypeError`` for anything else that is not a string.
    """
    if value is None or value == "":
        raise EmptyIdError(f"Expected a non-empty value for `{name}` but received {value!r}")
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string id, not {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"Expected a non-empty value for `{name}` but received {value!r} (only whitespace)")
    if value in (".", "..") or any(ch.isspace() or not ch.isprintable() for ch in value):
        raise ValueError(f"{name} is malformed: {value!r} (an id has no whitespace or control characters)")
    return quote(value, safe="")


def run_path(run_id: str, suffix: str = "") -> str:
    """``/v1/runs/{run_id}`` plus ``suffix``."""
    return f"/v1/runs/{path_segment(run_id, 'run_id')}{suffix}"


def agent_path(agent_id: str, suffix: str = "") -> str:
    """``/v1/agents/{agent_id}`` plus ``suffix``."""
    return f"/v1/agents/{path_segment(agent_id, 'agent_id')}{suffix}"


def agent_messages_path(agent_id: str, suffix: str = "") -> str:
    """``/v1/agents/{agent_id}/messages`` plus ``suffix``."""
    return agent_path(agent_id, f"/messages{suffix}")


def conversation_path(conversation_id: str, suffix: str = "") -> str:
    """``/v1/conversations/{conversation_id}`` plus ``suffix`` (``"default"`` is agent-direct mode)."""
    return f"{CONVERSATIONS}{path_segment(conversation_id, 'conversation_id')}{suffix}"
