"""``client.agents`` and its sub-resources against the real server: create (with memory blocks,
tools, tool rules and shared blocks), retrieve, list, update, delete, export / import, recompile;
the agent's blocks, tools (run, approval, a real tool call by the model), passages, archives,
folders and files, identities.

Every test is written once and runs with ``Letta`` and with ``AsyncLetta`` (``any_client``; the
``client`` / ``async_client`` fixtures below point both at the live server). Each test creates its
own objects under unique names and deletes them in ``finally``; no test counts a global list.

Where Letta 0.16.8 itself refuses a correct request, the test asserts the SDK's typed error and
says why (the server's source is in the live-server venv, ``letta/server/rest_api/routers/v1/``).
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any, Dict, Iterable, Union

import httpx
import pytest

from _both import collect, resolve
from letta_client import AsyncLetta, ConflictError, Letta, NotFoundError
from letta_client.types import AgentState

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


def tool_source(name: str) -> str:
    return (
        f"def {name}(text: str) -> str:\n"
        '    """Shout the text back.\n\n'
        "    Args:\n"
        "        text: what to shout\n\n"
        "    Returns:\n"
        "        str: the text in capitals\n"
        '    """\n'
        '    return "SHOUT:" + text.upper()\n'
    )


async def upsert_tool(client: AnyClient) -> Any:
    name = unique_name("live_agent_tool").replace("-", "_")
    tool = await resolve(client.tools.upsert(source_code=tool_source(name)))
    assert tool.id.startswith("tool-") and tool.name == name
    return tool


async def new_agent(client: AnyClient, settings: Dict[str, str], **fields: Any) -> AgentState:
    fields.setdefault("memory_blocks", [{"label": "human", "value": "A test harness."}])
    return await resolve(client.agents.create(name=unique_name("live-agent-res"), **settings, **fields))


async def drop_agent(client: AnyClient, agent_id: str, keep: Iterable[str] = ()) -> None:
    """Delete the agent, then the blocks and archives the server made for it (deleting an agent
    leaves them behind); ``keep``: ids the test deletes itself."""
    blocks = [b.id for b in await collect(client.agents.blocks.list(agent_id))]
    archives = [a.id for a in await collect(client.archives.list(agent_id=agent_id))]
    await resolve(client.agents.delete(agent_id))
    for block_id in set(blocks) - set(keep):
        await resolve(client.blocks.delete(block_id))
    for archive_id in set(archives) - set(keep):
        await resolve(client.archives.delete(archive_id))


# ------------------------------------------------------------------------ create, read, update


async def test_agent_create_with_blocks_tools_and_rules_retrieve_list_update_recompile_delete(
    any_client: AnyClient, agent_settings: Dict[str, str]
):
    tool = await upsert_tool(any_client)
    shared_label = unique_name("live-shared")
    shared = await resolve(any_client.blocks.create(label=shared_label, value="a block shared by id"))
    name = unique_name("live-agent-res")
    agent = await resolve(
        any_client.agents.create(
            name=name,
            memory_blocks=[{"label": "human", "value": "The human is a live test."}],
            tools=[tool.name, "web_search"],
            tool_rules=[{"type": "run_first", "tool_name": tool.name}],
            block_ids=[shared.id],
            tags=["live-agent-res"],
            **agent_settings,
        )
    )
    deleted = False
    try:
        assert isinstance(agent, AgentState) and agent.id.startswith("agent-") and agent.name == name
        assert {(b.label, b.value) for b in agent.blocks} >= {
            ("human", "The human is a live test."),
            (shared_label, "a block shared by id"),
        }
        assert shared.id in [b.id for b in agent.blocks]  # attached, not copied
        assert {tool.name, "web_search"} <= {t.name for t in agent.tools}
        assert [(r.type, r.tool_name) for r in agent.tool_rules or [] if r.type == "run_first"] == [
            ("run_first", tool.name)
        ]

        # A 1.x client gets no relationships unless it asks for them (retrieve_agent's `include`)
        bare = await resolve(any_client.agents.retrieve(agent.id))
        assert (bare.id, bare.name, bare.model, bare.tools, bare.blocks) == (agent.id, name, agent.model, [], [])
        full = await resolve(any_client.agents.retrieve(agent.id, include=["agent.tools", "agent.blocks"]))
        assert {tool.name, "web_search"} <= {t.name for t in full.tools}
        assert {b.id for b in full.blocks} == {b.id for b in agent.blocks}

        assert [a.id for a in await collect(any_client.agents.list(name=name))] == [agent.id]
        assert await collect(any_client.agents.list(name=f"{name}-absent")) == []

        updated = await resolve(
            any_client.agents.update(agent.id, description="changed", tags=["live-agent-res", "b"], metadata={"k": 1})
        )
        assert (updated.id, updated.description, updated.metadata) == (agent.id, "changed", {"k": 1})
        assert sorted(updated.tags) == ["b", "live-agent-res"]
        assert (await resolve(any_client.agents.retrieve(agent.id))).description == "changed"
        assert [a.id for a in await collect(any_client.agents.list(tags=["b"], name=name))] == [agent.id]

        # The prompt holds the memory blocks (see test_recompile_returns_the_decoded_prompt for its form)
        await resolve(any_client.agents.blocks.update(shared_label, agent_id=agent.id, value="recompiled value"))
        prompt = await resolve(any_client.agents.recompile(agent.id, dry_run=True))
        assert isinstance(prompt, str) and "<base_instructions>" in prompt and "recompiled value" in prompt

        assert await resolve(any_client.agents.delete(agent.id)) == {
            "message": f"Agent id={agent.id} successfully deleted"
        }
        deleted = True
        with pytest.raises(NotFoundError, match=agent.id):
            await resolve(any_client.agents.retrieve(agent.id))
        assert await collect(any_client.agents.list(name=name)) == []
        # the shared block outlives the agent
        assert (await resolve(any_client.blocks.retrieve(shared.id))).value == "recompiled value"
    finally:
        if not deleted:
            await resolve(any_client.agents.delete(agent.id))
        for block in agent.blocks:
            await resolve(any_client.blocks.delete(block.id))
        await resolve(any_client.tools.delete(tool.id))


async def test_recompile_returns_the_decoded_prompt(any_client: AnyClient, agent_settings: Dict[str, str]):
    agent = await new_agent(any_client, agent_settings)
    try:
        # POST /v1/agents/{id}/recompile has response_model=str: the body is a JSON string literal
        prompt = await resolve(any_client.agents.recompile(agent.id))
        assert prompt.startswith("<base_instructions>") and "\n" in prompt and not prompt.startswith('"')
    finally:
        await drop_agent(any_client, agent.id)


# ------------------------------------------------------------------------------- export, import


async def test_agent_export_file_and_import_file(any_client: AnyClient, agent_settings: Dict[str, str]):
    marker = unique_name("exported")
    agent = await new_agent(any_client, agent_settings, memory_blocks=[{"label": "human", "value": marker}])
    imported: list = []
    try:
        exported = await resolve(any_client.agents.export_file(agent.id))
        assert isinstance(exported, str)
        document = json.loads(exported)
        assert [a["name"] for a in document["agents"]] == [agent.name]
        assert marker in [b["value"] for b in document["blocks"]]

        copy_name = f"{agent.name}-copy"
        as_tuple = await resolve(
            any_client.agents.import_file(file=("agent.json", exported.encode(), "application/json"), name=copy_name)
        )
        imported += as_tuple.agent_ids
        as_bytes = await resolve(any_client.agents.import_file(file=exported.encode()))
        imported += as_bytes.agent_ids
        assert len(as_tuple.agent_ids) == len(as_bytes.agent_ids) == 1
        assert len({agent.id, *imported}) == 3  # two new agents

        [copy] = await collect(any_client.agents.list(name=copy_name))
        assert copy.id == as_tuple.agent_ids[0]
        copy_blocks = await collect(any_client.agents.blocks.list(copy.id))
        assert marker in [b.value for b in copy_blocks]
        assert {b.id for b in copy_blocks}.isdisjoint(b.id for b in agent.blocks)  # copies, not shared
        other = await resolve(any_client.agents.retrieve(as_bytes.agent_ids[0]))
        assert other.name == f"{agent.name}_copy"  # append_copy_suffix defaults to true
    finally:
        for agent_id in [agent.id, *imported]:
            await drop_agent(any_client, agent_id)


# ------------------------------------------------------------------------------------- blocks


async def test_agent_blocks_list_retrieve_update_attach_detach(any_client: AnyClient, agent_settings: Dict[str, str]):
    agent = await new_agent(any_client, agent_settings)
    label = unique_name("live-extra")
    block = await resolve(any_client.blocks.create(label=label, value="extra value"))
    try:
        assert [b.label for b in await collect(any_client.agents.blocks.list(agent.id))] == ["human"]

        attached = await resolve(any_client.agents.blocks.attach(block.id, agent_id=agent.id))
        assert attached.id == agent.id and block.id in [b.id for b in attached.blocks]
        listed = {b.label: b for b in await collect(any_client.agents.blocks.list(agent.id))}
        assert set(listed) == {"human", label} and listed[label].id == block.id

        fetched = await resolve(any_client.agents.blocks.retrieve(label, agent_id=agent.id))
        assert (fetched.id, fetched.label, fetched.value) == (block.id, label, "extra value")

        updated = await resolve(
            any_client.agents.blocks.update(label, agent_id=agent.id, value="new value", description="d")
        )
        assert (updated.id, updated.value, updated.description) == (block.id, "new value", "d")
        assert (await resolve(any_client.blocks.retrieve(block.id))).value == "new value"  # the same block

        detached = await resolve(any_client.agents.blocks.detach(block.id, agent_id=agent.id))
        assert detached.id == agent.id and block.id not in [b.id for b in detached.blocks]
        assert [b.label for b in await collect(any_client.agents.blocks.list(agent.id))] == ["human"]
        with pytest.raises(NotFoundError):
            await resolve(any_client.agents.blocks.retrieve(label, agent_id=agent.id))
    finally:
        await drop_agent(any_client, agent.id, keep=[block.id])
        await resolve(any_client.blocks.delete(block.id))


# -------------------------------------------------------------------------------------- tools


async def test_agent_tools_attach_run_call_approval_detach(any_client: AnyClient, agent_settings: Dict[str, str]):
    tool = await upsert_tool(any_client)
    agent = await new_agent(any_client, agent_settings)
    try:
        assert tool.name not in [t.name for t in await collect(any_client.agents.tools.list(agent.id))]
        # 0.16.8 answers null to a 1.x client (User-Agent letta-client/1.*): attach_tool_to_agent
        assert await resolve(any_client.agents.tools.attach(tool.id, agent_id=agent.id)) is None
        attached = {t.name: t for t in await collect(any_client.agents.tools.list(agent.id))}
        assert attached[tool.name].id == tool.id

        ran = await resolve(any_client.agents.tools.run(tool.name, agent_id=agent.id, args={"text": "direct"}))
        assert (ran.status, ran.func_return) == ("success", "SHOUT:DIRECT")

        # the scripted model calls the tool; Letta runs it in its sandbox and returns the result
        trigger = f'[tool:{tool.name} {{"text": "via model"}}]'
        response = await resolve(
            any_client.agents.messages.create(agent.id, messages=[{"role": "user", "content": f"shout {trigger}"}])
        )
        kinds = [m.message_type for m in response.messages]
        assert kinds == ["tool_call_message", "tool_return_message", "assistant_message"]
        call, ret, answer = response.messages
        assert call.tool_call.name == tool.name and json.loads(call.tool_call.arguments) == {"text": "via model"}
        assert (ret.tool_call_id, ret.status, ret.tool_return) == (
            call.tool_call.tool_call_id,
            "success",
            "SHOUT:VIA MODEL",
        )
        assert answer.content == "Tool said: SHOUT:VIA MODEL"

        assert (
            await resolve(
                any_client.agents.tools.update_approval(tool.name, agent_id=agent.id, body_requires_approval=True)
            )
            is None
        )  # null for a 1.x client, as attach
        rules = (await resolve(any_client.agents.retrieve(agent.id))).tool_rules or []
        assert [(r.type, r.tool_name) for r in rules if r.tool_name == tool.name] == [("requires_approval", tool.name)]
        asked = await resolve(
            any_client.agents.messages.create(agent.id, messages=[{"role": "user", "content": f"again {trigger}"}])
        )
        assert [m.message_type for m in asked.messages] == ["approval_request_message"]
        assert asked.messages[0].tool_call.name == tool.name
        assert asked.stop_reason.stop_reason == "requires_approval"

        assert await resolve(any_client.agents.tools.detach(tool.id, agent_id=agent.id)) is None
        assert tool.name not in [t.name for t in await collect(any_client.agents.tools.list(agent.id))]
        with pytest.raises(NotFoundError, match="not found or not attached"):
            await resolve(any_client.agents.tools.run(tool.name, agent_id=agent.id, args={"text": "x"}))
    finally:
        await drop_agent(any_client, agent.id)
        await resolve(any_client.tools.delete(tool.id))


# ----------------------------------------------------------------------------------- passages


async def test_agent_passages_create_list_search_delete(any_client: AnyClient, agent_settings: Dict[str, str]):
    agent = await new_agent(any_client, agent_settings)
    try:
        assert await resolve(any_client.agents.passages.list(agent.id)) == []
        marker = uuid.uuid4().hex[:12]
        zebra = f"The zebra {marker} lives in Kenya"
        [first] = await resolve(any_client.agents.passages.create(agent.id, text=zebra, tags=["animal"]))
        [second] = await resolve(any_client.agents.passages.create(agent.id, text=f"An apple {marker}"))
        assert first.id.startswith("passage-") and (first.text, first.tags) == (zebra, ["animal"])
        assert first.archive_id is not None and first.archive_id == second.archive_id  # the agent's own archive

        listed = await resolve(any_client.agents.passages.list(agent.id))
        assert [p.id for p in listed] == [first.id, second.id]  # oldest first by default
        assert [p.id for p in await resolve(any_client.agents.passages.list(agent.id, search="zebra"))] == [first.id]

        # the scripted embedding is a hash of the text: the exact text is the nearest passage
        found = await resolve(any_client.agents.passages.search(agent.id, query=zebra, top_k=2))
        assert found.count == 2 and found.results[0].id == first.id
        assert (found.results[0].content, found.results[0].tags) == (zebra, ["animal"])
        by_tag = await resolve(any_client.agents.passages.search(agent.id, query=zebra, tags=["animal"]))
        assert [r.id for r in by_tag.results] == [first.id]

        assert await resolve(any_client.agents.passages.delete(first.id, agent_id=agent.id)) == {
            "message": f"Memory id={first.id} successfully deleted"
        }
        assert [p.id for p in await resolve(any_client.agents.passages.list(agent.id))] == [second.id]
        after = await resolve(any_client.agents.passages.search(agent.id, query=zebra))
        assert [r.id for r in after.results] == [second.id]
    finally:
        await drop_agent(any_client, agent.id)


# ----------------------------------------------------------------------------------- archives


async def test_agent_archives_attach_detach(any_client: AnyClient, agent_settings: Dict[str, str]):
    agent = await new_agent(any_client, agent_settings)
    archive = await resolve(
        any_client.archives.create(name=unique_name("live-agent-archive"), embedding=agent_settings["embedding"])
    )
    other = await resolve(
        any_client.archives.create(name=unique_name("live-agent-archive2"), embedding=agent_settings["embedding"])
    )
    try:
        text = f"archived {uuid.uuid4().hex[:12]}"
        stored = await resolve(any_client.archives.passages.create(archive.id, text=text))
        assert await collect(any_client.archives.list(agent_id=agent.id)) == []

        assert await resolve(any_client.agents.archives.attach(archive.id, agent_id=agent.id)) is None
        assert [a.id for a in await collect(any_client.archives.list(agent_id=agent.id))] == [archive.id]
        # the archive's passages are now the agent's archival memory
        assert [p.id for p in await resolve(any_client.agents.passages.list(agent.id))] == [stored.id]
        found = await resolve(any_client.agents.passages.search(agent.id, query=text))
        assert [r.content for r in found.results] == [text]

        # 0.16.8 allows one archive per agent (unique constraint "unique_agent_archive" on
        # archives_agents.agent_id): attaching a second is a 409 from the IntegrityError
        with pytest.raises(ConflictError, match="unique_agent_archive"):
            await resolve(any_client.agents.archives.attach(other.id, agent_id=agent.id))

        assert await resolve(any_client.agents.archives.detach(archive.id, agent_id=agent.id)) is None
        assert await collect(any_client.archives.list(agent_id=agent.id)) == []
        assert await resolve(any_client.agents.passages.list(agent.id)) == []
        # the archive itself is untouched
        assert (await resolve(any_client.archives.retrieve(archive.id))).id == archive.id
    finally:
        await drop_agent(any_client, agent.id, keep=[archive.id, other.id])
        await resolve(any_client.archives.delete(archive.id))
        await resolve(any_client.archives.delete(other.id))


# ---------------------------------------------------------------------------- folders, files


async def test_agent_folders_attach_list_detach_and_files_open_close(
    any_client: AnyClient, agent_settings: Dict[str, str]
):
    agent = await new_agent(any_client, agent_settings)
    folder = await resolve(
        any_client.folders.create(name=unique_name("live-agent-folder"), embedding=agent_settings["embedding"])
    )
    try:
        marker = uuid.uuid4().hex[:12]
        file = await resolve(
            any_client.folders.files.upload(
                folder.id, file=("notes.txt", f"line {marker}\nline two\n".encode(), "text/plain")
            )
        )
        # The server parses the upload in a background task and puts only parsed files in an
        # agent's context when the folder is attached: poll (bounded) until parsing is done.
        deadline = time.monotonic() + 30
        while (
            await resolve(any_client.folders.files.retrieve(file.id, folder_id=folder.id))
        ).processing_status not in ("completed", "error"):
            assert time.monotonic() < deadline, "notes.txt not processed after 30 s"
            await asyncio.sleep(0.1)

        assert await collect(any_client.agents.folders.list(agent.id)) == []
        assert await collect(any_client.agents.files.list(agent.id)) == []

        assert await resolve(any_client.agents.folders.attach(folder.id, agent_id=agent.id)) is None  # null for 1.x
        assert [(f.id, f.name) for f in await collect(any_client.agents.folders.list(agent.id))] == [
            (folder.id, folder.name)
        ]
        tools = {t.name for t in await collect(any_client.agents.tools.list(agent.id))}
        assert {"open_files", "grep_files"} <= tools  # the file tools come with the first folder

        [entry] = await collect(any_client.agents.files.list(agent.id))
        assert (entry.file_id, entry.folder_id, entry.file_name) == (file.id, folder.id, f"{folder.name}/notes.txt")
        assert entry.is_open is True and f"line {marker}" in (entry.visible_content or "")

        assert await resolve(any_client.agents.files.close(file.id, agent_id=agent.id)) == {
            "message": f"File id={file.id} successfully closed"
        }
        assert [f.is_open for f in await collect(any_client.agents.files.list(agent.id))] == [False]
        assert await collect(any_client.agents.files.list(agent.id, is_open=True)) == []

        assert await resolve(any_client.agents.files.open(file.id, agent_id=agent.id)) == []  # nothing evicted
        assert [f.file_id for f in await collect(any_client.agents.files.list(agent.id, is_open=True))] == [file.id]

        assert await resolve(any_client.agents.files.close_all(agent.id)) == [f"{folder.name}/notes.txt"]
        assert [f.is_open for f in await collect(any_client.agents.files.list(agent.id))] == [False]

        assert await resolve(any_client.agents.folders.detach(folder.id, agent_id=agent.id)) is None
        assert await collect(any_client.agents.folders.list(agent.id)) == []
        assert await collect(any_client.agents.files.list(agent.id)) == []
        assert "open_files" not in {t.name for t in await collect(any_client.agents.tools.list(agent.id))}
    finally:
        await drop_agent(any_client, agent.id)
        await resolve(any_client.folders.delete(folder.id))


# --------------------------------------------------------------------------------- identities


async def test_agent_identities_attach_detach(
    any_client: AnyClient, agent_settings: Dict[str, str], http: httpx.Client
):
    agent = await new_agent(any_client, agent_settings)
    key = unique_name("live-identity")
    # the SDK has no identities resource: create and delete the identity over plain HTTP
    made = http.post("/v1/identities/", json={"identifier_key": key, "name": key, "identity_type": "user"})
    assert made.status_code == 200, made.text
    identity_id = made.json()["id"]
    try:
        assert await collect(any_client.agents.list(identity_id=identity_id)) == []

        assert await resolve(any_client.agents.identities.attach(identity_id, agent_id=agent.id)) is None
        assert [a.id for a in await collect(any_client.agents.list(identity_id=identity_id))] == [agent.id]
        with_ids = await resolve(any_client.agents.retrieve(agent.id, include=["agent.identities"]))
        assert with_ids.identity_ids == [identity_id]
        # (the identity record's own agent_ids is always [] in 0.16.8: Identity.to_pydantic hard-codes it)
        assert [a["id"] for a in http.get(f"/v1/identities/{identity_id}/agents").json()] == [agent.id]

        assert await resolve(any_client.agents.identities.detach(identity_id, agent_id=agent.id)) is None
        assert await collect(any_client.agents.list(identity_id=identity_id)) == []
        without = await resolve(any_client.agents.retrieve(agent.id, include=["agent.identities"]))
        assert without.identity_ids == []
        assert http.get(f"/v1/identities/{identity_id}/agents").json() == []
    finally:
        await drop_agent(any_client, agent.id)
        assert http.delete(f"/v1/identities/{identity_id}").status_code == 200
