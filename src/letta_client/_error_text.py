"""The text of the errors the SDK builds from what a server sent, and the secrets kept out of it.

Pure functions (no I/O, no SDK imports): ``_exceptions`` builds its messages with them.

* ``official_head``: how the official SDK words an error status (``Error code: 409 - {...}``),
  which every ``APIStatusError`` message starts with, so that code matching that text works;
* ``summarise``: one readable line for every error body shape the server sends;
* ``redact_headers`` / ``redacted_repr``: a text with every secret of the request taken out (its
  header values, the API key, the ``user:password`` of a base URL sent as Basic auth);
* ``error_kind``: what a log line says of an error: its class and status, never its text.
"""

from __future__ import annotations

import ast
import base64
import binascii
from typing import Any, Dict, List, Optional, Set, cast

import httpx

__all__ = ["PUBLIC_HEADERS", "error_kind", "official_head", "redact_headers", "redacted_repr", "shown", "summarise"]

HEAD_LIMIT = 2000
"""The longest body quoted in a status error's message (``error.body`` holds all of it)."""

PUBLIC_HEADERS = frozenset(
    {"accept", "accept-encoding", "connection", "content-length", "content-type", "host", "user-agent"}
)
"""The only headers whose values an error message or a log line may show: every other value
(``Authorization``, ``X-Project``, a custom ``X-Auth-Token``...) may be a secret."""


def error_kind(error: BaseException) -> str:
    """``InternalServerError (502)``: an error as a log line names it. Not its text, which quotes
    the server's body (a traceback, an echoed value)."""
    status = getattr(error, "status_code", None)
    return f"{type(error).__name__} ({status})" if isinstance(status, int) else type(error).__name__


def official_head(status_code: int, body: object, *, parsed: bool, text: str) -> str:
    """The official SDK's message for an error status: ``Error code: 409 - {'detail': …}`` for a
    JSON body (``parsed``: ``body`` is its Python form), the body's ``text`` for any other,
    ``Error code: 409`` for none. A body longer than ``HEAD_LIMIT`` characters is cut there
    (marked with ``…``)."""
    head = f"Error code: {status_code} - {body}" if parsed else text.strip() or f"Error code: {status_code}"
    return head if len(head) <= HEAD_LIMIT else head[: HEAD_LIMIT - 1] + "…"


def shown(value: object) -> str:
    """A caller's value as an error message shows it: its repr (cut at 60 characters) and type."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def summarise(body: object) -> str:
    """One readable line for every error body shape the server sends."""
    if isinstance(body, str):
        return body[:500]
    as_dict = _as_dict(body)
    if as_dict is None:
        return ""
    detail = as_dict.get("detail")
    detail_dict = _as_dict(detail)
    if detail_dict is not None:
        code = detail_dict.get("code")
        text = str(detail_dict.get("message") or detail_dict)
        return f"[{code}] {text}" if code else text
    if isinstance(detail, str):
        return _summarise_validation_detail(detail)
    nested = _as_dict(as_dict.get("error"))
    if nested is not None:
        return ": ".join(str(nested[k]) for k in ("type", "message", "detail") if nested.get(k))
    if isinstance(as_dict.get("error"), str):
        return str(as_dict["error"])
    return str(as_dict)[:500]


def _summarise_validation_detail(detail: str) -> str:
    """A 422 ``detail`` is a Python repr of pydantic's error list; turn it into ``loc: msg`` parts."""
    if not detail.startswith("[{"):
        return detail
    try:
        errors: object = ast.literal_eval(detail)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return detail
    lines: List[str] = []
    for item in cast(List[object], errors) if isinstance(errors, list) else []:
        entry = _as_dict(item)
        if entry is not None:
            loc = ".".join(str(part) for part in entry.get("loc", ()))
            lines.append(f"{loc}: {entry.get('msg', '')}")
    return "; ".join(lines) or detail


def _as_dict(value: object) -> Optional[Dict[str, Any]]:
    return cast(Dict[str, Any], value) if isinstance(value, dict) else None


def _secrets(request: Optional[httpx.Request]) -> Set[str]:
    """Every form in which a secret of ``request`` may appear in a text: each header value (but
    the few that carry nothing private) and its words of four characters or more, as sent and
    as quoted (escaped, or quoted twice by a ``repr`` of an error); for Basic auth, the user
    name and password it encodes too."""
    secrets: Set[str] = set()
    for name, value in request.headers.items() if request is not None else ():
        if name.lower() in PUBLIC_HEADERS or not value.strip():
            continue
        scheme, _, credentials = value.partition(" ")
        parts = [value, *value.split(), credentials.strip()]  # "Bearer My API Key": the key itself too
        if name.lower() == "authorization" and scheme.lower() == "basic":
            parts.extend(_basic_credentials(credentials.strip()))
        for part in parts:
            if len(part) >= 4 or (part == value and part):
                quoted = (part, repr(part)[1:-1], repr(part.encode("utf-8", "replace"))[2:-1])
                secrets.update(quoted)
                secrets.update(repr(form)[1:-1] for form in quoted)
    return secrets


def _basic_credentials(token: str) -> List[str]:
    try:
        decoded = base64.b64decode(token, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return []
    user, _, password = decoded.partition(":")
    return [part for part in (user, password) if part]


def redact_headers(text: str, request: Optional[httpx.Request]) -> str:
    """``text`` with every secret of ``request`` (see ``_secrets``) replaced by ``<redacted>``."""
    for secret in sorted(_secrets(request), key=len, reverse=True):
        text = text.replace(secret, "<redacted>")
    return text


def redacted_repr(error: BaseException, request: Optional[httpx.Request]) -> str:
    """``repr(error)`` with the request's secrets redacted. The texts of ``error`` and of the
    exceptions chained under it (httpcore's, h11's) are redacted in place too, so a traceback
    that shows them as the cause of an SDK exception quotes no header value either."""
    seen: Set[int] = set()
    current: Optional[BaseException] = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.args = tuple(redact_headers(a, request) if isinstance(a, str) else a for a in current.args)
        current = current.__cause__ or current.__context__
    return repr(error)
