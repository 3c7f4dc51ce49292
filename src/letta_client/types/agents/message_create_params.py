"""``letta_client.types.agents.message_create_params``, the official SDK's module path: names for this SDK's types."""

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

MessageCreateParamsBase = MessageCreateBody
ClientSkill = ClientSkillParam
ClientTool = ClientToolParam
InputUnionMember1 = ContentPartParam
InputUnionMember1SummarizedReasoningContent = SummarizedReasoningContentParam
InputUnionMember1SummarizedReasoningContentSummary = SummaryPartParam
Message = MessageParam
MessageToolReturnCreate = ToolReturnCreateParam
MessageCreateParamsNonStreaming = MessageCreateBody
MessageCreateParamsStreaming = MessageCreateBody
MessageCreateParams = MessageCreateBody

__all__ = [
    "MessageCreateParamsBase",
    "ClientSkill",
    "ClientTool",
    "InputUnionMember1",
    "InputUnionMember1SummarizedReasoningContent",
    "InputUnionMember1SummarizedReasoningContentSummary",
    "Message",
    "MessageToolReturnCreate",
    "MessageCreateParamsNonStreaming",
    "MessageCreateParamsStreaming",
    "MessageCreateParams",
]
