"""A run: one agent turn, as tracked by the server."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, Literal, Optional, Union

from ._base import LettaModel
from .messages import StopReasonType

__all__ = ["Run", "RunStatus"]

RunStatus = Literal["created", "running", "completed", "failed", "cancelled"]


class Run(LettaModel):
    id: str
    status: Union[RunStatus, str]
    created_at: Optional[datetime] = None
    completed_at: Optional[datetime] = None
    agent_id: Optional[str] = None
    conversation_id: Optional[str] = None
    base_template_id: Optional[str] = None
    background: Optional[bool] = None
    metadata: Optional[Dict[str, Any]] = None
    request_config: Optional[Dict[str, Any]] = None
    stop_reason: Optional[Union[StopReasonType, str]] = None
    callback_url: Optional[str] = None
    callback_sent_at: Optional[datetime] = None
    callback_status_code: Optional[int] = None
    callback_error: Optional[str] = None
    ttft_ns: Optional[int] = None
    total_duration_ns: Optional[int] = None

    @property
    def is_terminal(self) -> bool:
        """True once the run will not change any more."""
        return self.status in ("completed", "failed", "cancelled")
