"""Letta's own events as SSE, for frontends written against Letta's stream rather than a chat
protocol: each event as the server's JSON (``data: {...}``), errors as ``event: error``, and
``data: [DONE]`` at the end, as the server itself frames them.

What changes on the way: an ``error_message`` loses its ``detail`` (the server's exception text,
not for a browser), and a relay-side failure (``Problem``) becomes an ``error_message`` of
``error_type`` ``"error"``, ``"cancelled"`` or ``"interrupted"`` with browser-safe text. Every
event parses back into the same model with the SDK's own decoder.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ..types.messages import LettaErrorMessage, LettaStreamingResponse
from ._framer import Frame, Problem
from ._sse import compact_json

__all__ = ["LettaEventEncoder"]


def _dumps(payload: Dict[str, Any]) -> str:
    return compact_json(payload)


class LettaEventEncoder:
    """Plain Letta SSE (an ``Encoder`` for ``Framer``)."""

    def __init__(self) -> None:
        self._run_id: Optional[str] = None

    def event(self, event: LettaStreamingResponse) -> List[Frame]:
        run_id = getattr(event, "run_id", None)
        if isinstance(run_id, str):
            self._run_id = run_id
        if isinstance(event, LettaErrorMessage):
            return [("error", event.model_dump_json(by_alias=True, exclude_unset=True, exclude={"detail"}))]
        if "message_type" in event.model_fields_set:
            return [(None, event.model_dump_json(by_alias=True, exclude_unset=True))]
        payload: Dict[str, Any] = event.model_dump(mode="json", by_alias=True, exclude_unset=True)
        payload["message_type"] = event.message_type  # a default is "unset" on a model built in code
        return [(None, _dumps(payload))]

    def end(self, problem: Optional[Problem]) -> List[Frame]:
        frames: List[Frame] = []
        if problem is not None:
            error: Dict[str, Any] = {"message_type": "error_message"}
            if self._run_id is not None:
                error["run_id"] = self._run_id
            error.update(error_type=problem.kind, message=problem.text)
            frames.append(("error", _dumps(error)))
        frames.append((None, "[DONE]"))
        return frames
