"""Every method returns what the official SDK's annotation promises, in kind.

``scripts/api.json`` (read from the official 1.12.1 wheel) gives each of the 128 methods its
return annotation, and each type module its aliases. Where the official method returns a list
(``ConversationListResponse = List[Conversation]``, ``ModelListResponse``...), ours must be one
(``len``, indexing, ``+``); where it returns ``SyncArrayPage[X]`` / ``SyncNextFilesPage[X]``,
ours must be an instance of ``letta_client.pagination``'s class of that name, and the async
method's awaited page of the ``Async`` twin. Each method is called once per mode against a
server that answers every request with an empty list (``{"files": []}`` for a files page).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Tuple, Union

import httpx
import pytest
import respx

from _both import resolve
from letta_client import AsyncLetta, Letta

API = json.loads((Path(__file__).parents[1] / "scripts" / "api.json").read_text(encoding="utf-8"))
ENDPOINTS: Dict[str, Dict[str, Any]] = API["endpoints"]
TYPES: Dict[str, Dict[str, Any]] = API["types"]

# Values for the required keyword arguments of the methods that have some, by name.
REQUIRED = {"text": "a passage", "query": "q", "passages": [{"text": "p"}], "agent_id": "agent-1"}


def official_list(method: Dict[str, Any]) -> bool:
    """Whether the official method returns a ``List[...]`` alias."""
    target = method.get("imports", {}).get(method["returns"])
    if target is None:
        return False
    module, _, name = target.partition(":")
    names = TYPES.get(module, {}).get("names", [])
    return any(n["name"] == name and n.get("kind") == "alias" and n["type"].startswith("List[") for n in names)


LISTS = sorted(name for name, method in ENDPOINTS.items() if official_list(method))
PAGES = sorted(name for name, method in ENDPOINTS.items() if method.get("page"))


def test_the_description_has_lists_and_pages() -> None:
    assert "conversations.list" in LISTS and "models.list" in LISTS and len(LISTS) >= 15
    assert "agents.list" in PAGES and "agents.files.list" in PAGES and len(PAGES) >= 15


def call(client: Union[Letta, AsyncLetta], name: str) -> Any:
    method = ENDPOINTS[name]
    target: Any = client
    for part in name.split("."):
        target = getattr(target, part)
    positional = [f"{p['name'].replace('_id', '')}-1" for p in method["positional"]]
    keywords = {kw["name"]: REQUIRED[kw["name"]] for kw in method["keywords"] if "default" not in kw}
    return target(*positional, **keywords)


EMPTY = httpx.Response(200, json=[])
NO_FILES = httpx.Response(200, json={"files": [], "next_cursor": None, "has_more": False})


@pytest.mark.parametrize("name", LISTS)
async def test_where_the_official_returns_a_list_ours_is_a_list(
    any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter, name: str
) -> None:
    mock_api.route().mock(return_value=EMPTY)
    result = await resolve(call(any_client, name))
    assert isinstance(result, list), f"{name} returns {type(result).__name__}"
    assert len(result) == 0 and result + [1] == [1]  # noqa: RUF005  # the concatenation is what is tested


def page_class(name: str, mode: str) -> Tuple[str, type]:
    import letta_client.pagination as pagination

    kind: str = ENDPOINTS[name]["page"]
    official = kind if mode == "sync" else "Async" + kind[len("Sync") :]
    return official, getattr(pagination, official)


@pytest.mark.parametrize("name", PAGES)
async def test_where_the_official_returns_a_page_ours_is_that_class(
    any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter, name: str
) -> None:
    mock_api.route().mock(return_value=NO_FILES if ENDPOINTS[name]["page"] == "SyncNextFilesPage" else EMPTY)
    mode = "sync" if isinstance(any_client, Letta) else "async"
    official, cls = page_class(name, mode)
    page = await resolve(call(any_client, name))
    assert isinstance(page, cls), f"{name} returns {type(page).__name__}, not {official}"
    items: List[Any] = page.items
    assert items == [] and not page.has_next_page()
