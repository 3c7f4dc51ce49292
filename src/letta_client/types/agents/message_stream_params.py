"""``letta_client.types.agents.message_stream_params``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from ..params import (
    ClientSkillParam,
    ClientToolParam,
    ContentPartParam,
    MessageCreateBody,
    MessageParam,
    SummarizedReasoningContentParam,
    SummaryPartParam,
    ToolReturnCreateParam,
)

MessageStreamParams = MessageCreateBody
ClientSkill = ClientSkillParam
ClientTool = ClientToolParam
InputUnionMember1 = ContentPartParam
InputUnionMember1SummarizedReasoningContent = SummarizedReasoningContentParam
InputUnionMember1SummarizedReasoningContentSummary = SummaryPartParam
Message = MessageParam
MessageToolReturnCreate = ToolReturnCreateParam

__all__ = [
    "MessageStreamParams",
    "ClientSkill",
    "ClientTool",
    "InputUnionMember1",
    "InputUnionMember1SummarizedReasoningContent",
    "InputUnionMember1SummarizedReasoningContentSummary",
    "Message",
    "MessageToolReturnCreate",
]
