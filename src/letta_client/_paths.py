"""URL paths of the API, with every id checked and encoded as one path segment."""

from __future__ import annotations

from ._transport import path_segment

__all__ = ["run_path"]


def run_path(run_id: str, suffix: str = "") -> str:
    """``/v1/runs/{run_id}`` plus ``suffix``."""
    return f"/v1/runs/{path_segment(run_id, 'run_id')}{suffix}"
