"""``letta_client.types.agents.message_create_async_params``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from ..params import (
    AsyncSendBody,
    ClientSkillParam,
    ClientToolParam,
    ContentPartParam,
    MessageParam,
    SummarizedReasoningContentParam,
    SummaryPartParam,
    ToolReturnCreateParam,
)

MessageCreateAsyncParams = AsyncSendBody
ClientSkill = ClientSkillParam
ClientTool = ClientToolParam
InputUnionMember1 = ContentPartParam
InputUnionMember1SummarizedReasoningContent = SummarizedReasoningContentParam
InputUnionMember1SummarizedReasoningContentSummary = SummaryPartParam
Message = MessageParam
MessageToolReturnCreate = ToolReturnCreateParam

__all__ = [
    "MessageCreateAsyncParams",
    "ClientSkill",
    "ClientTool",
    "InputUnionMember1",
    "InputUnionMember1SummarizedReasoningContent",
    "InputUnionMember1SummarizedReasoningContentSummary",
    "Message",
    "MessageToolReturnCreate",
]
