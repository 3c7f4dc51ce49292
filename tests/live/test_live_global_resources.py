"""The org-wide resources against the real server: blocks, tools, folders and their files, archives
and passages, MCP servers, steps, messages, runs, tags and models.

Every test is written once and runs with ``Letta`` and with ``AsyncLetta`` (``any_client``; the
``client`` / ``async_client`` fixtures below point both at the live server). Each test creates its
own objects under unique names, deletes them in ``finally``, and never counts global lists.

Where Letta 0.16.8 itself refuses a correct request, the test asserts the SDK's typed error and
says why (the server's source is in the live-server venv, ``letta/server/rest_api/routers/v1/``).
"""

from __future__ import annotations

import asyncio
import socket
import time
import uuid
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, TypeVar, Union

import pytest

from _both import collect, resolve
from letta_client import (
    AsyncLetta,
    BadRequestError,
    InternalServerError,
    Letta,
    NotFoundError,
    UnprocessableEntityError,
)

T = TypeVar("T")
AnyClient = Union[Letta, AsyncLetta]


@pytest.fixture
def client(live_url):
    c = Letta(base_url=live_url, timeout=120)
    yield c
    c.close()


@pytest.fixture
async def async_client(live_url):
    c = AsyncLetta(base_url=live_url, timeout=120)
    yield c
    await c.close()


def unique_name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


async def poll(fetch: Callable[[], Union[T, Awaitable[T]]], ready: Callable[[T], bool], what: str) -> T:
    """Ask again until ``ready``, for at most 30 s: only for records the server writes in a
    background task after it has answered (file processing, provider traces)."""
    deadline = time.monotonic() + 30
    while True:
        value = await resolve(fetch())
        if ready(value):
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not ready after 30 s (last value {value!r:.300})")
        await asyncio.sleep(0.1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tool_source(name: str) -> str:
    return (
        f"def {name}(text: str) -> str:\n"
        '    """Shout the text back.\n\n'
        "    Args:\n"
        "        text: what to shout\n\n"
        "    Returns:\n"
        "        str: the text in capitals\n"
        '    """\n'
        "    return text.upper()\n"
    )


async def send(client: AnyClient, agent_id: str, text: str) -> Any:
    """One user message, answered by the scripted model with ``Echo: <text>``."""
    response = await resolve(client.agents.messages.create(agent_id, messages=[{"role": "user", "content": text}]))
    assert [m.message_type for m in response.messages] == ["assistant_message"]
    assert response.messages[0].content == f"Echo: {text}"
    return response


# ----------------------------------------------------------------------------------------- blocks


async def test_blocks_create_retrieve_list_update_agents_delete(any_client: AnyClient, agent_settings: Dict[str, str]):
    label = unique_name("live-label")
    block = await resolve(
        any_client.blocks.create(label=label, value="first value", description="a test block", metadata={"n": 1})
    )
    agent = None
    try:
        assert block.id.startswith("block-")
        assert (block.label, block.value, block.description, block.metadata) == (
            label,
            "first value",
            "a test block",
            {"n": 1},
        )

        fetched = await resolve(any_client.blocks.retrieve(block.id))
        assert (fetched.id, fetched.label, fetched.value) == (block.id, label, "first value")

        assert [b.id for b in await collect(any_client.blocks.list(label=label))] == [block.id]
        assert await collect(any_client.blocks.list(label=f"{label}-absent")) == []

        updated = await resolve(any_client.blocks.update(block.id, value="second value", description="changed"))
        assert (updated.id, updated.value, updated.description) == (block.id, "second value", "changed")
        assert (await resolve(any_client.blocks.retrieve(block.id))).value == "second value"

        assert await collect(any_client.blocks.agents.list(block.id)) == []
        agent = await resolve(
            any_client.agents.create(name=unique_name("live-block-agent"), block_ids=[block.id], **agent_settings)
        )
        assert block.id in [b.id for b in agent.blocks]
        assert [a.id for a in await collect(any_client.blocks.agents.list(block.id))] == [agent.id]
    finally:
        if agent is not None:
            await resolve(any_client.agents.delete(agent.id))
        await resolve(any_client.blocks.delete(block.id))
    with pytest.raises(NotFoundError, match=block.id):
        await resolve(any_client.blocks.retrieve(block.id))
    assert await collect(any_client.blocks.list(label=label)) == []


# ------------------------------------------------------------------------------------------ tools


async def test_tools_create_upsert_retrieve_list_update_search_delete(any_client: AnyClient):
    name = unique_name("live_tool").replace("-", "_")
    # source_type given: without it 0.16.8 stores "json" (create_tool's model_dump(exclude_unset=True)
    # drops ToolCreate's "python" default, and the ORM column defaults to ToolSourceType.json)
    tool = await resolve(
        any_client.tools.create(
            source_code=tool_source(name), source_type="python", description="first description", tags=["live"]
        )
    )
    try:
        assert tool.id.startswith("tool-") and tool.name == name
        assert (tool.description, tool.tags, tool.source_type) == ("first description", ["live"], "python")
        assert tool.json_schema["name"] == name
        assert tool.json_schema["parameters"]["required"] == ["text"]
        assert tool.json_schema["parameters"]["properties"]["text"]["description"] == "what to shout"

        # PUT /v1/tools/ finds the tool by its function name and updates it in place
        upserted = await resolve(any_client.tools.upsert(source_code=tool_source(name), description="upserted"))
        assert (upserted.id, upserted.name, upserted.description) == (tool.id, name, "upserted")

        fetched = await resolve(any_client.tools.retrieve(tool.id))
        assert (fetched.id, fetched.name, fetched.description) == (tool.id, name, "upserted")
        assert "return text.upper()" in (fetched.source_code or "")

        assert [t.id for t in await collect(any_client.tools.list(name=name))] == [tool.id]
        assert await collect(any_client.tools.list(name=f"{name}_absent")) == []

        updated = await resolve(
            any_client.tools.update(tool.id, description="updated", tags=["live", "changed"], return_char_limit=1234)
        )
        assert (updated.id, updated.description, updated.return_char_limit) == (tool.id, "updated", 1234)
        assert sorted(updated.tags or []) == ["changed", "live"]
        assert (await resolve(any_client.tools.retrieve(tool.id))).description == "updated"

        # 0.16.8 answers 400 to every search: ToolManager.search_tools_async needs Turbopuffer
        # ("embed_tools"), which a self-hosted server does not have.
        with pytest.raises(BadRequestError, match="Tool semantic search requires tool embedding"):
            await resolve(any_client.tools.search(query=name, search_mode="fts", limit=5))
    finally:
        await resolve(any_client.tools.delete(tool.id))
    with pytest.raises(NotFoundError):
        await resolve(any_client.tools.retrieve(tool.id))
    assert await collect(any_client.tools.list(name=name)) == []


# ---------------------------------------------------------------------------------------- folders


async def test_folders_create_retrieve_list_update_agents_delete(any_client: AnyClient, agent_settings: Dict[str, str]):
    name = unique_name("live-folder")
    folder = await resolve(
        any_client.folders.create(name=name, description="a test folder", embedding=agent_settings["embedding"])
    )
    agent = None
    try:
        assert folder.id.startswith("source-")
        assert (folder.name, folder.description) == (name, "a test folder")
        assert folder.embedding_config.handle == agent_settings["embedding"]

        fetched = await resolve(any_client.folders.retrieve(folder.id))
        assert (fetched.id, fetched.name) == (folder.id, name)

        assert [f.id for f in await collect(any_client.folders.list(name=name))] == [folder.id]
        assert await collect(any_client.folders.list(name=f"{name}-absent")) == []

        updated = await resolve(any_client.folders.update(folder.id, description="changed", instructions="read me"))
        assert (updated.id, updated.description, updated.instructions) == (folder.id, "changed", "read me")
        assert (await resolve(any_client.folders.retrieve(folder.id))).instructions == "read me"

        assert await resolve(any_client.folders.agents.list(folder.id)) == []
        agent = await resolve(
            any_client.agents.create(name=unique_name("live-folder-agent"), folder_ids=[folder.id], **agent_settings)
        )
        assert await resolve(any_client.folders.agents.list(folder.id)) == [agent.id]  # agent ids, not objects
    finally:
        if agent is not None:
            await resolve(any_client.agents.delete(agent.id))
        await resolve(any_client.folders.delete(folder.id))
    with pytest.raises(NotFoundError, match=folder.id):
        await resolve(any_client.folders.retrieve(folder.id))
    assert await collect(any_client.folders.list(name=name)) == []


async def test_folder_files_upload_list_retrieve_delete(
    any_client: AnyClient, agent_settings: Dict[str, str], tmp_path: Path
):
    folder = await resolve(
        any_client.folders.create(name=unique_name("live-files"), embedding=agent_settings["embedding"])
    )
    try:
        marker = unique_name("notes")
        from_tuple = await resolve(
            any_client.folders.files.upload(folder.id, file=("notes.txt", f"hello {marker}".encode(), "text/plain"))
        )
        assert from_tuple.id.startswith("file-") and from_tuple.source_id == folder.id
        assert (from_tuple.original_file_name, from_tuple.file_type) == ("notes.txt", "text/plain")
        assert from_tuple.file_size == len(f"hello {marker}")

        path = tmp_path / "from_path.txt"
        path.write_bytes(b"uploaded from a pathlib.Path")
        from_path = await resolve(any_client.folders.files.upload(folder.id, file=path))
        assert (from_path.original_file_name, from_path.file_size) == ("from_path.txt", path.stat().st_size)

        handle_path = tmp_path / "from_handle.md"
        handle_path.write_bytes(b"# uploaded from an open binary file")
        with handle_path.open("rb") as handle:
            from_handle = await resolve(
                any_client.folders.files.upload(folder.id, file=handle, name="renamed.md", duplicate_handling="error")
            )
        assert (from_handle.original_file_name, from_handle.file_size) == ("renamed.md", handle_path.stat().st_size)

        listed = {f.id: f for f in await collect(any_client.folders.files.list(folder.id))}
        assert set(listed) == {from_tuple.id, from_path.id, from_handle.id}
        assert {f.original_file_name for f in listed.values()} == {"notes.txt", "from_path.txt", "renamed.md"}

        # The server parses and embeds an upload in a background task: poll (bounded) for the content.
        done = await poll(
            lambda: any_client.folders.files.retrieve(from_tuple.id, folder_id=folder.id, include_content=True),
            lambda f: f.processing_status in ("completed", "error"),
            "processing of notes.txt",
        )
        assert (done.id, done.processing_status, done.error_message) == (from_tuple.id, "completed", None)
        assert done.content == f"hello {marker}"
        without = await resolve(any_client.folders.files.retrieve(from_tuple.id, folder_id=folder.id))
        assert without.id == from_tuple.id and without.content is None

        assert await resolve(any_client.folders.files.delete(from_tuple.id, folder_id=folder.id)) is None
        remaining = [f.id for f in await collect(any_client.folders.files.list(folder.id))]
        assert sorted(remaining) == sorted([from_path.id, from_handle.id])
        # A deleted file: FileManager.get_file_by_id returns None and retrieve_file reads
        # None.source_id -> AttributeError -> 500 (its comment expects NoResultFound -> 404).
        with pytest.raises(InternalServerError, match="An unknown error occurred"):
            await resolve(any_client.folders.files.retrieve(from_tuple.id, folder_id=folder.id))
    finally:
        await resolve(any_client.folders.delete(folder.id))


# ------------------------------------------------------------------------------ archives, passages


async def test_archives_and_their_passages(any_client: AnyClient, agent_settings: Dict[str, str]):
    name = unique_name("live-archive")
    archive = await resolve(
        any_client.archives.create(name=name, description="a test archive", embedding=agent_settings["embedding"])
    )
    try:
        assert archive.id.startswith("archive-")
        assert (archive.name, archive.description) == (name, "a test archive")

        fetched = await resolve(any_client.archives.retrieve(archive.id))
        assert (fetched.id, fetched.name) == (archive.id, name)
        assert [a.id for a in await collect(any_client.archives.list(name=name))] == [archive.id]

        renamed = f"{name}-renamed"
        updated = await resolve(any_client.archives.update(archive.id, name=renamed, description="changed"))
        assert (updated.id, updated.name, updated.description) == (archive.id, renamed, "changed")
        assert await collect(any_client.archives.list(name=name)) == []
        assert [a.id for a in await collect(any_client.archives.list(name=renamed))] == [archive.id]

        marker = uuid.uuid4().hex[:12]
        zebra_text = f"The zebra {marker} lives in Kenya"
        zebra = await resolve(
            any_client.archives.passages.create(archive.id, text=zebra_text, tags=["animal"], metadata={"k": "v"})
        )
        assert zebra.id.startswith("passage-")
        assert (zebra.archive_id, zebra.text, sorted(zebra.tags or []), zebra.metadata) == (
            archive.id,
            zebra_text,
            ["animal"],
            {"k": "v"},
        )

        many = await resolve(
            any_client.archives.passages.create_many(
                archive.id,
                passages=[{"text": f"apple {marker}"}, {"text": f"banana {marker}", "tags": ["fruit"]}],
            )
        )
        assert [p.text for p in many] == [f"apple {marker}", f"banana {marker}"]
        assert {p.archive_id for p in many} == {archive.id}

        # The scripted embedding is a hash of the text: the exact text is the nearest passage.
        found = await resolve(any_client.passages.search(archive_id=archive.id, query=zebra_text, limit=3))
        assert found[0].passage.id == zebra.id
        assert {r.passage.id for r in found} == {zebra.id, *(p.id for p in many)}

        by_tag = await resolve(any_client.passages.search(archive_id=archive.id, tags=["fruit"]))
        assert [r.passage.text for r in by_tag] == [f"banana {marker}"]

        assert await resolve(any_client.archives.passages.delete(zebra.id, archive_id=archive.id)) is None
        left = await resolve(any_client.passages.search(archive_id=archive.id))
        assert sorted(r.passage.id for r in left) == sorted(p.id for p in many)
    finally:
        assert await resolve(any_client.archives.delete(archive.id)) is None
    with pytest.raises(NotFoundError, match=archive.id):
        await resolve(any_client.archives.retrieve(archive.id))


async def test_passages_search_finds_a_passage_of_an_agent(any_client: AnyClient, agent_id: str):
    text = f"The agent remembers {unique_name('fact')}"
    [passage] = await resolve(any_client.agents.passages.create(agent_id, text=text))  # a list of one
    found = await resolve(any_client.passages.search(agent_id=agent_id, query=text, limit=5))
    assert [r.passage.id for r in found] == [passage.id]
    assert found[0].passage.text == text


# ------------------------------------------------------------------------------------ MCP servers


async def test_mcp_servers_crud_and_an_unreachable_server(any_client: AnyClient):
    port = free_port()  # nothing listens there
    name = unique_name("live-mcp")

    # Letta refuses MCP URLs on private addresses (letta/helpers/url_validation.py, an SSRF guard)
    with pytest.raises(UnprocessableEntityError, match=r"Non-public IP not allowed: 127\.0\.0\.1"):
        await resolve(
            any_client.mcp_servers.create(
                server_name=name,
                config={"mcp_server_type": "streamable_http", "server_url": f"http://127.0.0.1:{port}/mcp"},
            )
        )
    # ... but at creation it does not resolve host names, and "127.1" is not an IP literal to
    # Python's ipaddress: the same loopback address is accepted. When Letta connects it resolves
    # the name, sees 127.0.0.1 and gives up without opening a socket (mcp_server_manager.get_mcp_client).
    server = await resolve(
        any_client.mcp_servers.create(
            server_name=name, config={"mcp_server_type": "streamable_http", "server_url": f"http://127.1:{port}/mcp"}
        )
    )
    tool = await resolve(
        any_client.tools.create(source_code=tool_source(unique_name("live_mcp_tool").replace("-", "_")))
    )
    try:
        assert server.id.startswith("mcp_server-")
        assert (server.server_name, server.mcp_server_type, server.server_url) == (
            name,
            "streamable_http",
            f"http://127.1:{port}/mcp",
        )

        fetched = await resolve(any_client.mcp_servers.retrieve(server.id))
        assert (fetched.id, fetched.server_name, fetched.server_url) == (server.id, name, server.server_url)

        listed = await resolve(any_client.mcp_servers.list())
        assert [s.server_name for s in listed if s.id == server.id] == [name]

        renamed = f"{name}-renamed"
        updated = await resolve(
            any_client.mcp_servers.update(
                server.id,
                server_name=renamed,
                config={"mcp_server_type": "streamable_http", "server_url": f"http://127.1:{port}/v2"},
            )
        )
        assert (updated.id, updated.server_name, updated.server_url) == (server.id, renamed, f"http://127.1:{port}/v2")
        assert (await resolve(any_client.mcp_servers.retrieve(server.id))).server_name == renamed

        # the server could not be listed at creation, so no tool was registered for it
        assert await resolve(any_client.mcp_servers.tools.list(server.id)) == []

        # running a tool must contact the MCP server: 400 with the connection's ValueError
        with pytest.raises(BadRequestError, match=r"non-public IP: 127\.0\.0\.1"):
            await resolve(any_client.mcp_servers.tools.run(tool.id, mcp_server_id=server.id, args={"text": "hi"}))
        # and so must a refresh: 404 "MCPServerUnavailable" (resync_mcp_server_tools)
        with pytest.raises(NotFoundError, match="MCPServerUnavailable") as refused:
            await resolve(any_client.mcp_servers.refresh(server.id))
        assert refused.value.body["detail"]["code"] == "MCPServerUnavailable"

        # A tool that is not one of the server's: get_tool_by_mcp_server returns None and the route's
        # response_model=Tool fails FastAPI's response validation -> 500 (instead of a 404).
        # Last request of the test: after that unhandled error uvicorn closes the connection without
        # a "Connection: close" header, and a POST on it would fail with a reset.
        with pytest.raises(InternalServerError, match="An unknown error occurred"):
            await resolve(any_client.mcp_servers.tools.retrieve(tool.id, mcp_server_id=server.id))
    finally:
        await resolve(any_client.tools.delete(tool.id))
        assert await resolve(any_client.mcp_servers.delete(server.id)) is None
    with pytest.raises(NotFoundError, match=server.id):
        await resolve(any_client.mcp_servers.retrieve(server.id))


# ------------------------------------------------------------------------------------------ steps


async def test_steps_retrieve_messages_metrics_trace_feedback(any_client: AnyClient, agent_id: str):
    marker = unique_name("step")
    response = await send(any_client, agent_id, f"hi {marker}")
    [answer] = response.messages
    step_id, run_id = answer.step_id, answer.run_id
    assert step_id and step_id.startswith("step-") and run_id and run_id.startswith("run-")

    # 0.16.8 answers 400 to every GET /v1/steps/: list_steps passes order=(order == "asc"), a bool,
    # to StepManager.list_steps_async(order: Optional[str]) whose @enforce_types raises ValueError.
    with pytest.raises(BadRequestError, match="Argument order does not match type"):
        await collect(any_client.steps.list(agent_id=agent_id))
    with pytest.raises(BadRequestError, match="Argument order does not match type"):
        await collect(any_client.steps.list(model="fake-gpt", limit=5, order="asc"))
    # the steps of the run are listed by GET /v1/runs/{run_id}/steps instead
    assert [s.id for s in await collect(any_client.runs.steps.list(run_id))] == [step_id]

    step = await resolve(any_client.steps.retrieve(step_id))
    assert (step.id, step.agent_id, step.run_id, step.status) == (step_id, agent_id, run_id, "success")
    assert step.model_handle == "openai-proxy/fake-gpt" and step.total_tokens == response.usage.total_tokens

    messages = await collect(any_client.steps.messages.list(step_id))
    assert {m.step_id for m in messages} == {step_id}
    assert answer.id in [m.id for m in messages]
    assert [m.content for m in messages if m.message_type == "user_message"] == [f"hi {marker}"]

    metrics = await resolve(any_client.steps.metrics.retrieve(step_id))
    assert (metrics.id, metrics.agent_id, metrics.run_id) == (step_id, agent_id, run_id)
    assert metrics.step_ns and metrics.step_ns > 0

    # the provider trace is written by a background task (safe_create_task): bounded poll
    trace = await poll(lambda: any_client.steps.trace.retrieve(step_id), lambda t: t is not None, "provider trace")
    assert trace.step_id == step_id
    assert f"hi {marker}" in str(trace.request_json["messages"])
    assert f"Echo: hi {marker}" in str(trace.response_json)

    rated = await resolve(any_client.steps.feedback.create(step_id, feedback="positive", tags=["live-feedback"]))
    assert (rated.id, rated.feedback) == (step_id, "positive")
    assert "live-feedback" in (rated.tags or [])
    assert (await resolve(any_client.steps.retrieve(step_id))).feedback == "positive"


# ---------------------------------------------------------------------------------- messages, runs


async def test_messages_list_retrieve_search(any_client: AnyClient, agent_id: str):
    marker = unique_name("msg")
    # a conversation scopes GET /v1/messages/ (conversation_id=) to this test's messages
    conversation = await resolve(any_client.conversations.create(agent_id=agent_id))
    sent = await resolve(
        any_client.conversations.messages.send(conversation.id, input=f"find {marker}", streaming=False)
    )
    assert sent.text == f"Echo: find {marker}"

    listed = await resolve(any_client.messages.list(conversation_id=conversation.id, order="asc"))
    texts = [(m.message_type, m.content) for m in listed if m.message_type in ("user_message", "assistant_message")]
    assert texts == [("user_message", f"find {marker}"), ("assistant_message", f"Echo: find {marker}")]
    users = await resolve(
        any_client.messages.list(conversation_id=conversation.id, include_return_message_types=["user_message"])
    )
    assert [(m.message_type, m.content) for m in users] == [("user_message", f"find {marker}")]

    [user] = users
    retrieved = await resolve(any_client.messages.retrieve(user.id))
    assert [(m.id, m.message_type, m.content) for m in retrieved] == [(user.id, "user_message", f"find {marker}")]
    with pytest.raises(NotFoundError):
        await resolve(any_client.messages.retrieve("message-00000000-0000-4000-8000-000000000000"))

    # 0.16.8 answers 400 to every search: MessageManager.search_messages_org_async needs message
    # embedding + Turbopuffer (a Letta Cloud feature, says the route's docstring).
    with pytest.raises(BadRequestError, match="Message search requires message embedding"):
        await resolve(any_client.messages.search(query=marker, agent_id=agent_id, search_mode="fts"))


async def test_runs_list_retrieve_steps_usage_trace(any_client: AnyClient, agent_id: str):
    response = await send(any_client, agent_id, f"run {unique_name('run')}")
    run_id = response.messages[0].run_id
    assert run_id and run_id.startswith("run-")

    assert [r.id for r in await collect(any_client.runs.list(agent_id=agent_id))] == [run_id]
    run = await resolve(any_client.runs.retrieve(run_id))
    assert (run.id, run.agent_id, run.status, run.stop_reason) == (run_id, agent_id, "completed", "end_turn")

    steps = await collect(any_client.runs.steps.list(run_id))
    assert [s.id for s in steps] == [response.messages[0].step_id]

    usage = await resolve(any_client.runs.usage.retrieve(run_id))
    assert usage.total_tokens == response.usage.total_tokens > 0

    # 0.16.8 answers 501 without ClickHouse (retrieve_trace_for_run checks settings.clickhouse_endpoint)
    with pytest.raises(InternalServerError, match="OTEL traces require ClickHouse") as refused:
        await resolve(any_client.runs.trace.retrieve(run_id, limit=10))
    assert refused.value.status_code == 501


# ----------------------------------------------------------------------------------- tags, models


async def test_tags_list_finds_an_agents_tag(any_client: AnyClient, make_agent):
    tag = unique_name("live-tag")
    make_agent(tags=[tag, f"{tag}-second"])
    assert await resolve(any_client.tags.list(name=tag)) == [tag, f"{tag}-second"]
    assert await resolve(any_client.tags.list(query_text=f"{tag}-sec")) == [f"{tag}-second"]
    assert await resolve(any_client.tags.list(name=tag, order="desc", limit=1)) == [f"{tag}-second"]
    assert await resolve(any_client.tags.list(name=f"{tag}-absent")) == []


async def test_models_and_embedding_models(any_client: AnyClient, agent_settings: Dict[str, str]):
    models = await resolve(any_client.models.list())
    assert agent_settings["model"] in [m.handle for m in models]
    embeddings = await resolve(any_client.models.embeddings.list())
    assert agent_settings["embedding"] in [m.handle for m in embeddings]
