"""What a tool's return value becomes on the wire: the ``tool_return`` of a tool result.

A ``str`` goes as it is and JSON-able data as JSON text. An image goes as content parts
(``[{"type": "image", "source": {"type": "base64", ...}}]``), the form the server accepts in tool
returns; so does a list or tuple holding an image, its other items becoming text parts. An image
is ``image(data, media_type)`` (bytes), the SDK's ``ImageContent`` (or an ``ImageContentParam``
dict), or a PIL image when Pillow is installed.

A value that cannot be sent (bytes that are not UTF-8 text, a list that contains itself, an
object whose ``str()`` raises, a lone surrogate, a part that does not fit its type...) raises
``UnencodableResult``: a ``ValueError`` whose one-line message names the type at fault and why,
never the value (which may be huge, or secret). The runner turns it into an error return.
"""

from __future__ import annotations

import base64
import io
from functools import cache
from typing import Any, Dict, List, Mapping, Optional, Union, cast

from pydantic import TypeAdapter, ValidationError
from pydantic_core import to_json

from ..types.content import ImageContent, TextContent
from ..types.params import Base64ImageSourceParam, ImageContentParam, TextContentParam
from ._encoding_problems import UnencodableResult, diagnose, type_name, wire_json

__all__ = ["ToolReturnContent", "UnencodableResult", "encode_result", "image", "tool_return_content"]

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
    """A tool's return value as the string sent to the agent: a ``str`` as is, anything else as JSON
    (``str()`` of what JSON cannot hold). Raises ``UnencodableResult`` (a ``ValueError``) saying
    what cannot be sent."""
    try:
        if isinstance(value, str):
            value.encode("utf-8")  # a lone surrogate cannot go into the request
            return value
        return to_json(value, fallback=str).decode("utf-8")
    except Exception as error:  # pydantic's error, or one a value's __str__ raised
        raise UnencodableResult(diagnose(value, error)) from error


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
    """The ``tool_return`` sent for a tool's value: text, JSON text, or content parts with images.

    Raises ``UnencodableResult`` when the value cannot be sent, whatever the reason (a part that
    does not fit its type, a PIL image that fails to save...)."""
    try:
        items = _parts_of(value)
        if items is None:
            return encode_result(value)
        parts = [_image_part(item) if _is_image(item) else _text_part(item) for item in items]
        for part in parts:
            _check_part(part)
        return parts
    except UnencodableResult:
        raise
    except Exception as error:
        raise UnencodableResult(diagnose(value, error)) from error


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


@cache
def _part_adapter(kind: str) -> TypeAdapter[Any]:
    return TypeAdapter(ImageContentParam if kind == "image" else TextContentParam)


def _check_part(part: ContentPart) -> None:
    """A content part goes into the request as it is: it must fit its type and be JSON."""
    kind = "image" if part.get("type") == "image" else "text"
    try:
        _part_adapter(kind).validate_python(part, strict=True)
    except ValidationError as error:
        raise UnencodableResult(f"{'an image' if kind == 'image' else 'a text'} part {_first_problem(error)}") from None
    try:
        wire_json(part)
    except Exception as error:
        raise UnencodableResult(f"a {kind} part holding {diagnose(part, error, as_is=True)}") from error


def _first_problem(error: ValidationError) -> str:
    """The most telling problem of a part's validation, without the value: where, and what it got."""
    problems = error.errors()
    telling = [problem for problem in problems if problem["type"] not in ("literal_error", "missing")]
    problem = (telling or problems)[0]
    where = ".".join(str(step) for step in problem["loc"] if not str(step).endswith("Param"))
    got = "" if problem["type"] == "missing" else f", not a value of type {type_name(problem['input'])}"
    return f"whose {where or 'value'} does not fit: {problem['msg']}{got}"
