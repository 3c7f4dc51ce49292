"""``GET …/messages`` as the server pages a history: query checks, cursors, limit, order, types;
and ``cursor_page``, how the other list endpoints (blocks, tools, steps…) page.

As Letta 0.16.8 answers them, ``before=X`` is older than ``X`` and ``after=X`` newer, whatever
the order, and ``limit`` takes the newest stored rows of that window for ``desc``, the oldest
for ``asc`` (one row can be several messages sharing its id). An agent's history (``history_page``, newest by default) lists every page oldest first;
a conversation's (``newest_first=True``) lists a ``desc`` page newest first, each stored row's
messages kept in order; a run's messages (``run_messages_page``, oldest by default) come in the
order asked for, newest first for ``desc``.
"""

from __future__ import annotations

from typing import List, Optional, Union

from . import _wire as wire
from ._http import SimRequest, SimResponse, json_response
from ._wire import Json

__all__ = ["cursor_page", "history_page", "run_messages_page"]


def _query_error(request: SimRequest, default_order: str) -> Optional[SimResponse]:
    """The 422 for an ``order`` or ``limit`` the server refuses, else ``None``."""
    order = request.query_value("order") or default_order
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
    return None


def _between_cursors(request: SimRequest, items: List[Json], owner: str) -> Union[List[Json], SimResponse]:
    """The ``items`` after ``after`` and before ``before`` (every message of the cursor's id is
    skipped: one stored message can be several, a reasoning and an assistant message)."""
    window = items
    for name in ("after", "before"):
        cursor = request.query_value(name)
        if cursor is None:
            continue
        positions = [i for i, m in enumerate(window) if m["id"] == cursor]
        if not positions:
            return json_response(404, {"detail": f"No message found with id '{cursor}' for {owner}."})
        window = window[positions[-1] + 1 :] if name == "after" else window[: positions[0]]
    return window


def history_page(
    request: SimRequest, items: Optional[List[Json]], *, not_found: str, owner: str, newest_first: bool = False
) -> SimResponse:
    """The page of ``items`` (a history, oldest first) the request asks for; ``items=None`` means
    the history's owner does not exist (404 ``not_found``, after the query checks).
    ``newest_first``: a ``desc`` page lists its rows newest first."""
    error = _query_error(request, "desc")
    if error is not None:
        return error
    if items is None:
        return json_response(404, {"detail": not_found})
    window = _between_cursors(request, items, owner)
    if not isinstance(window, list):
        return window
    order = request.query_value("order") or "desc"
    limit = max(int(request.query_value("limit") or "100"), 0)
    rows = _rows(window)  # ``limit`` counts stored rows, not the messages they become
    rows = rows[:limit] if order == "asc" else rows[max(len(rows) - limit, 0) :]
    if newest_first and order == "desc":
        rows.reverse()
    window = [item for row in rows for item in row]
    types = request.query.get("include_return_message_types")
    if types:
        window = [m for m in window if m["message_type"] in types]
    return json_response(200, window)


def _rows(items: List[Json]) -> List[List[Json]]:
    """The stored rows of ``items``: consecutive messages sharing an id (a reasoning and an
    assistant message) are one row."""
    rows: List[List[Json]] = []
    for item in items:
        if rows and rows[-1][0]["id"] == item["id"]:
            rows[-1].append(item)
        else:
            rows.append([item])
    return rows


def run_messages_page(request: SimRequest, items: List[Json], *, owner: str) -> SimResponse:
    """The page of a run's ``items`` (oldest first) the request asks for: the window between the
    cursors (``before`` older, ``after`` newer), its first ``limit`` in the order asked for
    (``asc`` by default)."""
    error = _query_error(request, "asc")
    if error is not None:
        return error
    window = _between_cursors(request, items, owner)
    if not isinstance(window, list):
        return window
    rows = _rows(window)
    if (request.query_value("order") or "asc") == "desc":
        rows = [row[::-1] for row in reversed(rows)]  # every message newest first
    return json_response(
        200, [item for row in rows[: max(int(request.query_value("limit") or "100"), 0)] for item in row]
    )


def cursor_page(
    request: SimRequest, items: List[Json], *, order: str = "desc", limit: int = 50, key: str = "id"
) -> SimResponse:
    """A list endpoint's page of ``items`` (oldest first): the query checks, then the items in the
    order asked for (``order`` by default), strictly after ``after`` and before ``before`` (ids,
    counted in that order, every item of the cursor's id skipped; an unknown cursor is ignored),
    the first ``limit`` of them."""
    error = _query_error(request, order)
    if error is not None:
        return error
    window = items if (request.query_value("order") or order) == "asc" else items[::-1]
    for name in ("after", "before"):
        cursor = request.query_value(name)
        positions = [i for i, item in enumerate(window) if item.get(key) == cursor]
        if cursor is not None and positions:
            window = window[positions[-1] + 1 :] if name == "after" else window[: positions[0]]
    raw_limit = request.query_value("limit")
    return json_response(200, window[: max(int(raw_limit) if raw_limit else limit, 0)])
