"""Content parts as the server returns them (``type`` is the discriminator)."""

from __future__ import annotations

from typing import Any, Dict, List, Literal, Optional, Union, cast

from pydantic import Discriminator, Tag
from typing_extensions import Annotated

from ._base import LettaModel

__all__ = [
    "Base64Image",
    "ImageContent",
    "LettaImage",
    "MessageContent",
    "OmittedReasoningContent",
    "ReasoningContent",
    "RedactedReasoningContent",
    "SummarizedReasoningContent",
    "SummaryPart",
    "TextContent",
    "ToolCallContent",
    "ToolReturnContent",
    "UnknownContent",
    "UrlImage",
]


class TextContent(LettaModel):
    type: Literal["text"] = "text"
    text: str
    signature: Optional[str] = None


class UrlImage(LettaModel):
    type: Literal["url"] = "url"
    url: str


class Base64Image(LettaModel):
    type: Literal["base64"] = "base64"
    media_type: str
    data: str
    detail: Optional[str] = None


class LettaImage(LettaModel):
    type: Literal["letta"] = "letta"
    file_id: str
    media_type: Optional[str] = None
    data: Optional[str] = None
    detail: Optional[str] = None


class ImageContent(LettaModel):
    type: Literal["image"] = "image"
    source: Annotated[Union[UrlImage, Base64Image, LettaImage], Discriminator("type")]


class ToolCallContent(LettaModel):
    type: Literal["tool_call"] = "tool_call"
    id: str
    name: str
    input: Dict[str, Any]
    signature: Optional[str] = None


class ToolReturnContent(LettaModel):
    type: Literal["tool_return"] = "tool_return"
    tool_call_id: str
    content: str
    is_error: bool


class ReasoningContent(LettaModel):
    type: Literal["reasoning"] = "reasoning"
    is_native: bool
    reasoning: str
    signature: Optional[str] = None


class RedactedReasoningContent(LettaModel):
    type: Literal["redacted_reasoning"] = "redacted_reasoning"
    data: str


class OmittedReasoningContent(LettaModel):
    type: Literal["omitted_reasoning"] = "omitted_reasoning"
    signature: Optional[str] = None


class SummaryPart(LettaModel):
    index: int
    text: str


class SummarizedReasoningContent(LettaModel):
    type: Literal["summarized_reasoning"] = "summarized_reasoning"
    id: str
    summary: List[SummaryPart]
    encrypted_content: Optional[str] = None


class UnknownContent(LettaModel):
    """A content part of a type this SDK does not know yet; every field is kept."""

    type: str


_CONTENT_TYPES = frozenset(
    {
        "text",
        "image",
        "tool_call",
        "tool_return",
        "reasoning",
        "redacted_reasoning",
        "omitted_reasoning",
        "summarized_reasoning",
    }
)


def _content_tag(value: Any) -> str:
    kind: object = cast(Dict[str, Any], value).get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return kind if isinstance(kind, str) and kind in _CONTENT_TYPES else "unknown"


MessageContent = Annotated[
    Union[
        Annotated[TextContent, Tag("text")],
        Annotated[ImageContent, Tag("image")],
        Annotated[ToolCallContent, Tag("tool_call")],
        Annotated[ToolReturnContent, Tag("tool_return")],
        Annotated[ReasoningContent, Tag("reasoning")],
        Annotated[RedactedReasoningContent, Tag("redacted_reasoning")],
        Annotated[OmittedReasoningContent, Tag("omitted_reasoning")],
        Annotated[SummarizedReasoningContent, Tag("summarized_reasoning")],
        Annotated[UnknownContent, Tag("unknown")],
    ],
    Discriminator(_content_tag),
]
"""Any content part; a part of a new type decodes to ``UnknownContent``."""
