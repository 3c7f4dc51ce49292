"""The generated long tail (``resources/_generated``) over the endpoint engine
(``resources/_endpoint.py``): requests built from the typed arguments (path ids encoded, query
and body split, wire names, uploads, fixed and argument headers), answers parsed leniently,
pages followed, bad arguments refused before anything is sent; and the official keywords the
hand-written core gained with it."""

from __future__ import annotations

import io
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Union

import httpx
import pytest
import respx

from _both import collect, resolve
from letta_client import AsyncLetta, Letta, NotFoundError
from letta_client.types.block_response import BlockResponse
from letta_client.types.tool import Tool

AGENT = "agent-5ffc4d46-f622-404c-a51c-f54fe9591b3b"
BLOCK = {"id": "block-1", "value": "The human likes tea.", "label": "human", "limit": 5000}
TOOL = {"id": "tool-1", "name": "roll_dice", "tool_type": "custom", "source_code": "def roll_dice(): ..."}


def body(route: respx.Route, index: int = -1) -> Any:
    return json.loads(route.calls[index].request.content)


async def test_a_path_id_is_encoded_and_the_body_holds_only_the_given_fields(
    any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter
) -> None:
    route = mock_api.patch(f"/v1/agents/{AGENT}/core-memory/blocks/my%2Flabel").respond(json=BLOCK)
    block = await resolve(any_client.agents.blocks.update("my/label", agent_id=AGENT, value="new", limit=10))
    assert isinstance(block, BlockResponse) and block.value == "The human likes tea."
    assert body(route) == {"value": "new", "limit": 10}


async def test_an_empty_id_is_refused_before_anything_is_sent(
    any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter
) -> None:
    with pytest.raises(ValueError, match="block_id"):
        await resolve(any_client.blocks.retrieve(""))
    assert not mock_api.calls


async def test_a_wrong_argument_type_is_refused_before_anything_is_sent(
    any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter
) -> None:
    with pytest.raises(TypeError, match="limit"):
        await resolve(any_client.blocks.create(label="human", value="x", limit="lots"))  # type: ignore[arg-type]
    assert not mock_api.calls


async def test_query_parameters_sequences_booleans_and_dates(
    any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter
) -> None:
    route = mock_api.get("/v1/tools/").respond(json=[TOOL])
    page = await resolve(any_client.tools.list(name="roll_dice", tool_types=["custom", "external_mcp"], limit=1))
    assert [tool.name for tool in page.items] == ["roll_dice"]
    query = route.calls[0].request.url.params
    assert query.get_list("tool_types") == ["custom", "external_mcp"] and query["name"] == "roll_dice"
    route = mock_api.patch("/v1/conversations/conv-1").respond(json={"id": "conv-1", "agent_id": AGENT})
    moment = datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc)
    await resolve(any_client.conversations.update("conv-1", last_message_at=moment))
    assert body(route) == {"last_message_at": "2026-12-05T12:00:00+00:00"}


async def test_a_listing_follows_the_cursor_until_an_empty_page(
    any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter
) -> None:
    pages = [[{**BLOCK, "id": "block-1"}, {**BLOCK, "id": "block-2"}], [{**BLOCK, "id": "block-3"}], []]
    route = mock_api.get("/v1/blocks/").mock(side_effect=[httpx.Response(200, json=page) for page in pages])
    blocks = await collect(any_client.blocks.list(label="human", limit=2))
    assert [block.id for block in blocks] == ["block-1", "block-2", "block-3"]
    assert [call.request.url.params.get("after") for call in route.calls] == [None, "block-2", "block-3"]


async def test_an_answer_a_newer_server_changed_still_parses(
    any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter
) -> None:
    newer = {**TOOL, "tool_type": "a_kind_from_2027", "brand_new_field": {"x": 1}}
    mock_api.get("/v1/tools/tool-1").respond(json=newer)
    tool = await resolve(any_client.tools.retrieve("tool-1"))
    assert isinstance(tool, Tool) and tool.name == "roll_dice"
    assert tool.tool_type == "a_kind_from_2027" and tool.model_extra == {"brand_new_field": {"x": 1}}


async def test_upload_takes_bytes_tuples_paths_and_file_objects(
    any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter, tmp_path: Path
) -> None:
    answer = {"id": "file-1", "folder_id": "source-1", "file_name": "notes.txt"}
    route = mock_api.post("/v1/folders/source-1/upload").respond(json=answer)
    path = tmp_path / "notes.txt"
    path.write_bytes(b"from a path")
    for file in (("notes.txt", b"a tuple", "text/plain"), path, io.BytesIO(b"a file object"), b"bare bytes"):
        result = await resolve(any_client.folders.files.upload("source-1", file=file, duplicate_handling="replace"))
        assert result.id == "file-1"
    requests = [call.request for call in route.calls]
    assert all(r.headers["content-type"].startswith("multipart/form-data") for r in requests)
    assert all(r.url.params["duplicate_handling"] == "replace" for r in requests)
    contents = [r.content for r in requests]
    assert b'filename="notes.txt"' in contents[0] and b"a tuple" in contents[0] and b"text/plain" in contents[0]
    assert b"from a path" in contents[1] and b"a file object" in contents[2] and b"bare bytes" in contents[3]


async def test_import_file_sends_its_header_argument_and_form_fields(
    any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter
) -> None:
    route = mock_api.post("/v1/agents/import").respond(json={"agent_ids": ["agent-new"]})
    result = await resolve(
        any_client.agents.import_file(
            file=("agent.af", b"{}", "application/json"), override_name="copy", x_override_embedding_model="emb"
        )
    )
    assert result.agent_ids == ["agent-new"]
    request = route.calls[0].request
    assert request.headers["x-override-embedding-model"] == "emb"
    assert b'name="override_name"' in request.content and b"copy" in request.content


async def test_export_returns_the_text_and_delete_with_no_body_returns_none(
    any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter
) -> None:
    mock_api.get(f"/v1/agents/{AGENT}/export").respond(text='{"agents": []}')
    assert await resolve(any_client.agents.export_file(AGENT)) == '{"agents": []}'
    route = mock_api.delete("/v1/archives/archive-1").respond(204)
    assert await resolve(any_client.archives.delete("archive-1")) is None
    assert route.calls[0].request.headers["accept"] == "*/*"


async def test_errors_are_the_sdk_errors(any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter) -> None:
    mock_api.get("/v1/blocks/block-x").respond(404, json={"detail": "Block not found"})
    with pytest.raises(NotFoundError, match="Block not found"):
        await resolve(any_client.blocks.retrieve("block-x"))


async def test_views_of_a_generated_resource(any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter) -> None:
    mock_api.get("/v1/blocks/block-1").respond(json=BLOCK, headers={"x-request-id": "r1"})
    raw = await resolve(any_client.blocks.with_raw_response.retrieve("block-1"))
    assert raw.headers["x-request-id"] == "r1" and (await resolve(raw.parse())).label == "human"
    mock_api.get(f"/v1/agents/{AGENT}/core-memory/blocks/human").respond(json=BLOCK)
    raw = await resolve(any_client.agents.with_raw_response.blocks.retrieve("human", agent_id=AGENT))
    assert raw.status_code == 200


async def test_conversation_history_takes_the_official_order_by(
    any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter
) -> None:
    route = mock_api.get("/v1/conversations/conv-1/messages").respond(json=[])
    await collect(any_client.conversations.messages.list("conv-1", order_by="created_at"))
    assert route.calls[0].request.url.params["order_by"] == "created_at"


async def test_run_stream_passes_the_official_body_fields(
    any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter
) -> None:
    events = 'data: {"message_type":"stop_reason","stop_reason":"end_turn","seq_id":1,"run_id":"run-1"}\n\n'
    route = mock_api.post("/v1/runs/run-1/stream").respond(
        text=events + "data: [DONE]\n\n", headers={"content-type": "text/event-stream"}
    )
    stream = await resolve(any_client.runs.messages.stream("run-1", otid="otid-1", agent_id=AGENT, resume=False))
    seen: List[Dict[str, Any]] = [event.model_dump() for event in await collect(stream)]
    assert seen and seen[-1]["stop_reason"] == "end_turn"
    assert body(route) == {"starting_after": 0, "otid": "otid-1", "agent_id": AGENT}


async def test_an_awaited_async_page_iterates_its_own_items(
    async_client: AsyncLetta, mock_api: respx.MockRouter
) -> None:
    """``list(await client.x.list())`` gives the page's items (the official gives the page
    model's fields there); ``async for`` walks every later page too."""
    mock_api.get("/v1/blocks/").respond(json=[BLOCK])
    page = await async_client.blocks.list()
    assert [block.id for block in page] == ["block-1"] and len(page) == 1  # this page only: no request is made
    assert len(mock_api.calls) == 1


async def test_requests_by_path_for_endpoints_the_sdk_does_not_model(
    any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter
) -> None:
    route = mock_api.post("/v1/identities/").respond(json={"id": "identity-1", "name": "Ada"})
    identity = await resolve(
        any_client.post(
            "/v1/identities/",
            cast_to=Dict[str, Any],
            body={"name": "Ada", "identifier_key": "ada"},
            options={"headers": {"X-Trace": "t1"}, "params": {"project_id": "p"}},
        )
    )
    assert identity == {"id": "identity-1", "name": "Ada"}
    request = route.calls[0].request
    assert json.loads(request.content) == {"name": "Ada", "identifier_key": "ada"}
    assert request.headers["x-trace"] == "t1" and request.url.params["project_id"] == "p"
    mock_api.get("/v1/blocks/block-1").respond(json=BLOCK)
    block = await resolve(any_client.get("v1/blocks/block-1", cast_to=BlockResponse))
    assert isinstance(block, BlockResponse) and block.label == "human"
    mock_api.delete("/v1/identities/identity-1").respond(204)
    assert await resolve(any_client.delete("/v1/identities/identity-1", cast_to=type(None))) is None
    with pytest.raises(TypeError, match="retries"):
        await resolve(any_client.get("/v1/blocks/", cast_to=object, options={"retries": 3}))


async def test_a_json_string_answer_is_the_string(
    any_client: Union[Letta, AsyncLetta], mock_api: respx.MockRouter
) -> None:
    """``agents.recompile`` answers a JSON string literal: the caller gets the prompt, not its
    quoted and escaped text; a non-JSON text answer stays as sent."""
    mock_api.post(f"/v1/agents/{AGENT}/recompile").respond(json="<base_instructions>\nHi")
    assert await resolve(any_client.agents.recompile(AGENT)) == "<base_instructions>\nHi"
    mock_api.get(f"/v1/agents/{AGENT}/export").respond(text='"quoted" plain text')
    assert await resolve(any_client.agents.export_file(AGENT)) == '"quoted" plain text'
