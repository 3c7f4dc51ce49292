"""When a failed request is tried again, and how long to wait first.

A message send is not idempotent: the server does not deduplicate sends on
``/v1/agents/{id}/messages``, so replaying one that reached the agent makes it take the turn
twice. Sends are therefore retried only when the server provably did no work:

* the connection could not be made (nothing was sent);
* ``429`` or ``503`` without an LLM error body (the request was refused before the agent ran;
  ``{"error": {"type": "llm_…"}}`` means the agent ran and the model failed, so no retry).

Idempotent requests (GETs, resuming a stream, cancelling) are also retried on timeouts, broken
connections, ``408``, ``409`` with ``Retry-After`` (database lock), ``429`` and ``5xx``.
"""

from __future__ import annotations

import email.utils
import random
import time
from typing import Any, Dict, Optional, cast

import httpx

__all__ = ["retry_delay", "should_retry_error", "should_retry_response"]

INITIAL_DELAY = 0.5
MAX_DELAY = 8.0
MAX_RETRY_AFTER = 60.0


def should_retry_error(error: httpx.TransportError, *, idempotent: bool) -> bool:
    """Retry a failed connection attempt always; anything later only if the request is idempotent."""
    if isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
        return True
    return idempotent


def should_retry_response(response: httpx.Response, *, idempotent: bool) -> bool:
    status = response.status_code
    if status in (429, 503):
        return idempotent or not _is_llm_error(response)
    if not idempotent:
        return False
    if status == 409:
        return "retry-after" in response.headers
    return status == 408 or status >= 500


def _is_llm_error(response: httpx.Response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and isinstance(cast(Dict[str, Any], body).get("error"), dict)


def retry_delay(retries_done: int, headers: Optional[httpx.Headers]) -> float:
    """Seconds to wait before retry number ``retries_done + 1``: the server's ``Retry-After``
    when it gives a sane one, else exponential backoff with jitter."""
    hinted = _retry_after(headers) if headers is not None else None
    if hinted is not None:
        return hinted
    delay = min(INITIAL_DELAY * 2.0 ** min(retries_done, 32), MAX_DELAY)  # the cap avoids OverflowError
    return delay * (1.0 - 0.25 * random.random())


def _retry_after(headers: httpx.Headers) -> Optional[float]:
    seconds: Optional[float] = None
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            seconds = float(millis) / 1000.0
        except ValueError:
            seconds = None
    value = headers.get("retry-after")
    if seconds is None and value is not None:
        try:
            seconds = float(value)
        except ValueError:
            seconds = _seconds_until(value)
    if seconds is None or seconds != seconds or not 0.0 <= seconds <= MAX_RETRY_AFTER:
        return None
    return seconds


def _seconds_until(http_date: str) -> Optional[float]:
    try:
        moment = email.utils.parsedate_to_datetime(http_date)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:  # pyright: ignore[reportUnnecessaryComparison]  (older Pythons return None)
        return None
    return max(0.0, moment.timestamp() - time.time())
