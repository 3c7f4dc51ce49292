"""``letta_client.types.agents.image_content_param``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from typing import Union

from ..params import Base64ImageSourceParam, ImageContentParam, LettaImageSourceParam, UrlImageSourceParam

Source = Union[UrlImageSourceParam, Base64ImageSourceParam, LettaImageSourceParam]
SourceURLImage = UrlImageSourceParam
SourceBase64Image = Base64ImageSourceParam
SourceLettaImage = LettaImageSourceParam

__all__ = ["ImageContentParam", "Source", "SourceURLImage", "SourceBase64Image", "SourceLettaImage"]
