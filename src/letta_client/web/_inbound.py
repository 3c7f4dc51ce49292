"""What a browser may send: ids checked before they reach any URL, and the one error type for a
request that is refused before anything goes to Letta (a status and a one-line reason)."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Literal, NamedTuple

__all__ = ["BadRequest", "Outgoing", "check_id"]

_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_IDS = {
    "conversation": re.compile(rf"conv-{_UUID}"),
    "run": re.compile(rf"run-{_UUID}"),
    "agent": re.compile(rf"agent-{_UUID}"),
}


class BadRequest(Exception):
    """A browser's request that is refused as it stands: ``status`` (400, 403, 404 or 413) and a
    one-line ``reason`` that is safe to send back."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def check_id(kind: Literal["conversation", "run", "agent"], value: object) -> str:
    """``value`` when it is a well-formed Letta id of this kind; ``BadRequest(400)`` otherwise.
    Nothing else (``/``, ``..``, ``%2F``, a space) can reach a URL."""
    if isinstance(value, str) and _IDS[kind].fullmatch(value):
        return value
    return_kind = "a conversation id (conv-…)" if kind == "conversation" else f"a {kind} id ({kind}-…)"
    raise BadRequest(400, f"expected {return_kind}")


class Outgoing(NamedTuple):
    """What one browser request sends to Letta: the conversation, the browser's key for the turn
    (its message id; the otid is derived from it and the conversation), and the Letta messages
    (one user message, or one approval message carrying approvals and client tools' results)."""

    conversation_id: str
    key: str
    messages: List[Dict[str, Any]]
