"""``letta_client.types.agents.internal_message``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from .._base import DataObject
from ..content import MessageContent, SummarizedReasoningContent, SummaryPart

InternalMessage = DataObject
Approval = DataObject
ApprovalLettaSchemasMessageToolReturnOutput = DataObject
ApprovalLettaSchemasMessageToolReturnOutputFuncResponseUnionMember1 = DataObject
Content = MessageContent
ContentSummarizedReasoningContent = SummarizedReasoningContent
ContentSummarizedReasoningContentSummary = SummaryPart
ToolCall = DataObject
ToolCallFunction = DataObject
ToolReturn = DataObject
ToolReturnFuncResponseUnionMember1 = DataObject

__all__ = [
    "InternalMessage",
    "Approval",
    "ApprovalLettaSchemasMessageToolReturnOutput",
    "ApprovalLettaSchemasMessageToolReturnOutputFuncResponseUnionMember1",
    "Content",
    "ContentSummarizedReasoningContent",
    "ContentSummarizedReasoningContentSummary",
    "ToolCall",
    "ToolCallFunction",
    "ToolReturn",
    "ToolReturnFuncResponseUnionMember1",
]
