"""A user's file over the long tail of the API, type-checked by pyright strict and mypy --strict
(never run): twenty of the generated methods called with keyword arguments, each result typed;
then misspelled keys and arguments, each of which both checkers must report (an ignore comment
that stops being needed is itself reported)."""

# pyright: reportUnnecessaryTypeIgnoreComment=true

from __future__ import annotations

from typing import Dict, List, Optional

from typing_extensions import assert_type

from letta_client import AsyncLetta, Letta
from letta_client._pagination import AsyncPaginator
from letta_client.pagination import AsyncArrayPage, SyncArrayPage
from letta_client.types.agent_state import AgentState
from letta_client.types.agents.passage_search_response import PassageSearchResponse
from letta_client.types.archive import Archive
from letta_client.types.block_response import BlockResponse
from letta_client.types.folder import Folder
from letta_client.types.folders.file_upload_response import FileUploadResponse
from letta_client.types.message_search_response import MessageSearchResponse
from letta_client.types.passage import Passage
from letta_client.types.step import Step
from letta_client.types.tool import Tool

SOURCE = "def roll_dice() -> int:\n    '''Roll a die.'''\n    return 4\n"


def twenty_calls(client: Letta, agent_id: str) -> None:
    agent = client.agents.create(
        name="helper",
        model="openai/gpt-4o-mini",
        memory_blocks=[{"label": "human", "value": "Likes tea."}, {"label": "persona", "value": "Helpful."}],
        tools=["web_search"],
        tool_rules=[{"tool_name": "send_message", "type": "exit_loop"}],
        block_ids=["block-1"],
        include_base_tools=True,
    )
    assert_type(agent, AgentState)
    assert_type(client.agents.blocks.retrieve("human", agent_id=agent_id), BlockResponse)
    assert_type(client.agents.blocks.update("human", agent_id=agent_id, value="Likes coffee."), BlockResponse)
    assert_type(client.agents.blocks.list(agent_id, limit=10), SyncArrayPage[BlockResponse])
    assert_type(client.blocks.create(label="notes", value="", limit=2000), BlockResponse)
    assert_type(client.tools.upsert(source_code=SOURCE, tags=["dice"]), Tool)
    assert_type(client.tools.list(name="roll_dice"), SyncArrayPage[Tool])
    assert_type(client.agents.tools.attach("tool-1", agent_id=agent_id), Optional[AgentState])
    assert_type(client.agents.tools.detach("tool-1", agent_id=agent_id), Optional[AgentState])
    created: List[Passage] = client.agents.passages.create(agent_id, text="The sky is blue.", tags=["facts"])
    assert_type(client.agents.passages.search(agent_id, query="sky", top_k=3), PassageSearchResponse)
    folder = client.folders.create(name="docs", embedding="openai/text-embedding-3-small")
    assert_type(folder, Folder)
    upload = client.folders.files.upload(folder.id, file=("notes.txt", b"hello", "text/plain"))
    assert_type(upload, FileUploadResponse)
    assert_type(client.archives.create(name="facts", embedding="openai/text-embedding-3-small"), Archive)
    assert_type(client.steps.retrieve("step-1"), Step)
    assert_type(client.steps.list(agent_id=agent_id, limit=5), SyncArrayPage[Step])
    assert_type(client.messages.search(query="tea", limit=5), MessageSearchResponse)
    assert_type(client.agents.export_file(agent_id), str)
    client.agents.import_file(file=b"{}", override_name="copy")
    client.mcp_servers.list()
    del created


def nested_fields(client: Letta, agent_id: str) -> None:
    """An answer is typed down to its leaves, as the official types it."""
    agent = client.agents.retrieve(agent_id)
    assert_type(agent.memory.blocks[0].label, Optional[str])
    assert_type(agent.tools[0].name, Optional[str])
    assert_type(agent.llm_config.context_window, int)
    assert_type(agent.to_dict(), Dict[str, object])
    assert_type(agent.to_json(indent=None), str)
    agent.memory.blockz  # type: ignore[attr-defined]  # noqa: B018


async def async_calls(client: AsyncLetta, agent_id: str) -> None:
    assert_type(await client.agents.blocks.retrieve("human", agent_id=agent_id), BlockResponse)
    assert_type(client.tools.list(name="roll_dice"), AsyncPaginator[Tool, AsyncArrayPage[Tool]])
    async for tool in client.tools.list():
        assert_type(tool, Tool)
    assert_type(await client.tools.upsert(source_code=SOURCE), Tool)


def misspelled(client: Letta, agent_id: str) -> None:
    client.agents.create(memory_blocks=[{"lable": "human", "value": "x"}])  # type: ignore[typeddict-unknown-key, typeddict-item]
    client.agents.blocks.update("human", agent_id=agent_id, vaule="x")  # type: ignore[call-arg]
    client.tools.upsert(source_code=SOURCE, tags="dice")  # type: ignore[arg-type]
    client.agents.blocks.retrieve("human")  # type: ignore[call-arg]
