"""``letta_client.types.runs.message_stream_params``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from ..run import RunMessageStreamParams

MessageStreamParams = RunMessageStreamParams

__all__ = ["MessageStreamParams"]
