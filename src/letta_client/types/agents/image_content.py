"""``letta_client.types.agents.image_content``, the official SDK's module path: names for this SDK's types."""

from __future__ import annotations

from typing import Union

from ..content import Base64Image, ImageContent, LettaImage, UrlImage

Source = Union[UrlImage, Base64Image, LettaImage]
SourceURLImage = UrlImage
SourceBase64Image = Base64Image
SourceLettaImage = LettaImage

__all__ = ["ImageContent", "Source", "SourceURLImage", "SourceBase64Image", "SourceLettaImage"]
