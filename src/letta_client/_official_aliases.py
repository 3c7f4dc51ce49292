"""Top-level names of the official SDK that are aliases here, so that code importing them runs unchanged.

Each is this SDK's own object under the official name (``Client`` is ``Letta``, ``Timeout`` is
httpx's), or a small helper of the same behaviour.
"""

from __future__ import annotations

import os
from typing import Dict, Tuple, Union

import httpx

from ._client import AsyncLetta, Letta

__all__ = ["AsyncClient", "Client", "NoneType", "ProxiesTypes", "Timeout", "Transport", "__title__", "file_from_path"]

__title__ = "letta_client"

Client = Letta
AsyncClient = AsyncLetta
Timeout = httpx.Timeout
Transport = httpx.BaseTransport
NoneType = type(None)
ProxiesTypes = Union[str, httpx.Proxy, Dict[str, Union[str, httpx.Proxy, None]]]


def file_from_path(path: Union[str, os.PathLike[str]]) -> Tuple[str, bytes]:
    """A file to upload, as ``(name, contents)``: read from ``path``."""
    with open(path, "rb") as file:
        return os.path.basename(os.fspath(path)), file.read()
