"""Debug logging (``LETTA_LOG=debug``) that never shows a secret: a header value only when the header
is one of ``_error_text.PUBLIC_HEADERS``, as in error messages; a URL without its credentials."""

from __future__ import annotations

import logging
import os
from typing import Dict, Mapping

import httpx

from ._error_text import PUBLIC_HEADERS

__all__ = ["log_request", "logger", "redact_headers", "setup_logging"]

logger = logging.getLogger("letta_client")


def setup_logging() -> None:
    """Honour ``LETTA_LOG=debug|info`` once: attach a stderr handler to the SDK's logger."""
    level = os.environ.get("LETTA_LOG", "").upper()
    if level not in ("DEBUG", "INFO") or logger.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)


def redact_headers(headers: Mapping[str, str]) -> Dict[str, str]:
    """The headers with every value redacted but those of ``PUBLIC_HEADERS``: the rule error
    messages follow too, so a custom credential header (``X-Auth-Token``) is never shown."""
    return {k: (v if k.lower() in PUBLIC_HEADERS else "<redacted>") for k, v in headers.items()}


def log_request(method: str, url: httpx.URL, headers: Mapping[str, str], attempt: int) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        shown = url.copy_with(username=None, password=None) if url.userinfo else url
        logger.debug("request %s %s attempt=%d headers=%s", method, shown, attempt, redact_headers(headers))
