"""Debug logging (``LETTA_LOG=debug``) that never shows a secret."""

from __future__ import annotations

import logging
import os
from typing import Mapping

__all__ = ["log_request", "logger", "redact_headers", "setup_logging"]

logger = logging.getLogger("letta_client")

SECRET_HEADERS = frozenset(
    {"authorization", "x-bare-password", "x-api-key", "api-key", "cookie", "proxy-authorization"}
)


def setup_logging() -> None:
    """Honour ``LETTA_LOG=debug|info`` once: attach a stderr handler to the SDK's logger."""
    level = os.environ.get("LETTA_LOG", "").upper()
    if level not in ("DEBUG", "INFO") or logger.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k: ("<redacted>" if k.lower() in SECRET_HEADERS else v) for k, v in headers.items()}


def log_request(method: str, url: object, headers: Mapping[str, str], attempt: int) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("request %s %s attempt=%d headers=%s", method, url, attempt, redact_headers(headers))
