"""``ToolRunResult``: every round of a tool run, and what the runner sent back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Sequence

from .._exceptions import LettaError
from ..types.messages import LettaMessageUnion, LettaStopReason, LettaUsageStatistics
from ..types.params import MessageParam
from ..types.response import LettaResponse

__all__ = ["ToolRunResult"]


@dataclass
class ToolRunResult:
    """Every round of a tool run: the server's responses, and the answers the runner sent back."""

    responses: List[LettaResponse] = field(default_factory=lambda: [])
    """One ``LettaResponse`` per request, in order (a streamed round is merged into one)."""
    answers: List[MessageParam] = field(default_factory=lambda: [])
    """The tool-return / approval messages the runner sent, in order."""

    @property
    def messages(self) -> List[LettaMessageUnion]:
        """The messages of every round, in order."""
        return [message for response in self.responses for message in response.messages]

    @property
    def stop_reason(self) -> LettaStopReason:
        """Why the last round stopped."""
        if not self.responses:
            raise LettaError("no round has finished yet")
        return self.responses[-1].stop_reason

    @property
    def usage(self) -> LettaUsageStatistics:
        """The usage of every round added up (``context_tokens`` is the last round's)."""
        return _total_usage([response.usage for response in self.responses])

    @property
    def text(self) -> str:
        """The text of every assistant message of every round, joined by newlines."""
        return "\n".join(text for text in (response.text for response in self.responses) if text)

    @property
    def rounds(self) -> int:
        return len(self.responses)


def _total_usage(usages: Sequence[LettaUsageStatistics]) -> LettaUsageStatistics:
    def optional_sum(name: str) -> Optional[int]:
        values = [getattr(usage, name) for usage in usages if getattr(usage, name) is not None]
        return sum(values) if values else None

    run_ids = [run_id for usage in usages for run_id in usage.run_ids or []]
    contexts = [usage.context_tokens for usage in usages if usage.context_tokens is not None]
    return LettaUsageStatistics(
        completion_tokens=sum(usage.completion_tokens for usage in usages),
        prompt_tokens=sum(usage.prompt_tokens for usage in usages),
        total_tokens=sum(usage.total_tokens for usage in usages),
        step_count=sum(usage.step_count for usage in usages),
        run_ids=list(dict.fromkeys(run_ids)) if any(usage.run_ids is not None for usage in usages) else None,
        cached_input_tokens=optional_sum("cached_input_tokens"),
        cache_write_tokens=optional_sum("cache_write_tokens"),
        reasoning_tokens=optional_sum("reasoning_tokens"),
        context_tokens=contexts[-1] if contexts else None,
    )
