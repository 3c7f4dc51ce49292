"""``letta_client.types.conversations.message_create_params``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from typing import Optional

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


class MessageCreateParams(MessageCreateBody, total=False):
    """The body of ``client.conversations.messages.send``: the agents' send fields plus
    ``agent_id`` (agent-direct mode)."""

    agent_id: Optional[str]


ClientSkill = ClientSkillParam
ClientTool = ClientToolParam
InputUnionMember1 = ContentPartParam
InputUnionMember1SummarizedReasoningContent = SummarizedReasoningContentParam
InputUnionMember1SummarizedReasoningContentSummary = SummaryPartParam
Message = MessageParam
MessageToolReturnCreate = ToolReturnCreateParam

__all__ = [
    "ClientSkill",
    "ClientTool",
    "InputUnionMember1",
    "InputUnionMember1SummarizedReasoningContent",
    "InputUnionMember1SummarizedReasoningContentSummary",
    "Message",
    "MessageCreateParams",
    "MessageToolReturnCreate",
]
