"""``GET …/messages`` as the server pages a history: query checks, cursors, limit, order, types."""

from __future__ import annotations

from typing import List, Optional

from . import _wire as wire
from ._http import SimRequest, SimResponse, json_response
from ._wire import Json

__all__ = ["history_page"]


def history_page(request: SimRequest, items: Optional[List[Json]], *, not_found: str, owner: str) -> SimResponse:
    """The page of ``items`` (a history, oldest first) the request asks for; ``items=None`` means
    the history's owner does not exist (404 ``not_found``, after the query checks)."""
    order = request.query_value("order") or "desc"
    if order not in ("asc", "desc"):
        detail = {
            "type": "literal_error",
            "loc": ("query", "order"),
            "msg": "Input should be 'asc' or 'desc'",
            "input": order,
            "ctx": {"expected": "'asc' or 'desc'"},
        }
        return json_response(422, wire.validation_error([detail]))
    raw_limit = request.query_value("limit") or "100"
    if not raw_limit.lstrip("-").isdigit():
        detail = {
            "type": "int_parsing",
            "loc": ("query", "limit"),
            "msg": "Input should be a valid integer, unable to parse string as an integer",
            "input": raw_limit,
        }
        return json_response(422, wire.validation_error([detail]))
    if items is None:
        return json_response(404, {"detail": not_found})
    window = items
    for name in ("after", "before"):
        cursor = request.query_value(name)
        if cursor is None:
            continue
        positions = [i for i, m in enumerate(window) if m["id"] == cursor]
        if not positions:
            return json_response(404, {"detail": f"No message found with id '{cursor}' for {owner}."})
        window = window[positions[-1] + 1 :] if name == "after" else window[: positions[0]]
    limit = max(int(raw_limit), 0)
    window = window[:limit] if order == "asc" else window[max(len(window) - limit, 0) :]
    types = request.query.get("include_return_message_types")
    if types:
        window = [m for m in window if m["message_type"] in types]
    return json_response(200, window)
