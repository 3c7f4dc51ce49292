"""What a tool's return value becomes on the wire: the ``tool_return`` of a tool result.

A ``str`` goes as it is and JSON-able data as JSON text. An image goes as content parts
(``[{"type": "image", "source": {"type": "base64", ...}}]``), the form the server accepts in tool
returns; so does a list or tuple holding an image, its other items becoming text parts. An image
is ``image(data, media_type)`` (bytes), the SDK's ``ImageContent`` (or an ``ImageContentParam``
dict), or a PIL image when Pillow is installed.
"""

from __future__ import annotations

import base64
import io
from typing import Any, Dict, List, Mapping, Optional, Union, cast

from pydantic_core import to_json

from ..types.content import ImageContent, TextContent
from ..types.params import Base64ImageSourceParam, ImageContentParam, TextContentParam

__all__ = ["ToolReturnContent", "encode_result", "image", "tool_return_content"]

ContentPart = Union[TextContentParam, ImageContentParam]
ToolReturnContent = Union[str, List[ContentPart]]

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_PIL_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")


def encode_result(value: object) -> str:
    """A tool's return value as the string sent to the agent: a ``str`` as is, anything else as JSON."""
    if isinstance(value, str):
        return value
    return to_json(value, fallback=str).decode("utf-8")


def image(data: bytes, media_type: Optional[str] = None, *, detail: Optional[str] = None) -> ImageContentParam:
    """An image for a tool to return (alone, or in a list with text): ``return image(png_bytes)``.

    ``media_type`` (``"image/png"``…) is read from the bytes when not given (PNG, JPEG, GIF, WebP);
    ``detail`` (``"low"``, ``"high"``, ``"auto"``) is passed to the model where it supports it."""
    if not isinstance(data, (bytes, bytearray, memoryview)):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"image() takes the image's bytes, not {type(data).__name__}")
    media = media_type or _media_type(bytes(data))
    if media is None:
        raise ValueError("image(): cannot tell the type of these bytes; pass media_type='image/...'")
    source: Base64ImageSourceParam = {"type": "base64", "media_type": media, "data": base64.b64encode(data).decode()}
    if detail is not None:
        source["detail"] = detail
    return {"type": "image", "source": source}


def tool_return_content(value: object) -> ToolReturnContent:
    """The ``tool_return`` sent for a tool's value: text, JSON text, or content parts with images."""
    items = _parts_of(value)
    if items is None:
        return encode_result(value)
    return [_image_part(item) if _is_image(item) else _text_part(item) for item in items]


def _parts_of(value: object) -> Optional[List[object]]:
    """The items to send as content parts: an image alone, or a list or tuple holding an image."""
    if _is_image(value):
        return [value]
    if isinstance(value, (list, tuple)):
        items = cast("List[object]", list(cast("Any", value)))
        if any(_is_image(item) for item in items):
            return items
    return None


def _media_type(data: bytes) -> Optional[str]:
    for signature, media in _SIGNATURES:
        if data.startswith(signature):
            return media
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _is_pil_image(value: object) -> bool:
    return any(cls.__name__ == "Image" and cls.__module__.startswith("PIL.") for cls in type(value).__mro__)


def _is_image(value: object) -> bool:
    if isinstance(value, ImageContent) or _is_pil_image(value):
        return True
    return isinstance(value, Mapping) and cast("Mapping[str, Any]", value).get("type") == "image" and "source" in value


def _image_part(value: object) -> ImageContentParam:
    if isinstance(value, ImageContent):
        return cast(ImageContentParam, value.model_dump(mode="json", exclude_none=True))
    if isinstance(value, Mapping):
        return cast(ImageContentParam, dict(cast("Mapping[str, Any]", value)))
    picture: Any = value
    fmt = str(picture.format or "PNG").upper()
    fmt = fmt if fmt in _PIL_FORMATS else "PNG"
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt)
    return image(buffer.getvalue(), f"image/{fmt.lower()}")


def _text_part(value: object) -> TextContentParam:
    if isinstance(value, TextContent):
        return cast(TextContentParam, value.model_dump(mode="json", exclude_none=True))
    if _is_text_param(value):
        return cast(TextContentParam, dict(cast("Dict[str, Any]", value)))
    return {"type": "text", "text": encode_result(value)}


def _is_text_param(value: object) -> bool:
    return isinstance(value, Mapping) and cast("Mapping[str, Any]", value).get("type") == "text"
