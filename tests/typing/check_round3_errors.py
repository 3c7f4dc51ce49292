"""Static checks of round 3's error and argument surface (pyright strict and mypy --strict; never
run): ``partial_response`` is never ``None`` on any exception a send or a stream raises, and
``client_tools`` takes the tool objects ``@tool`` makes."""

# pyright: reportUnnecessaryTypeIgnoreComment=true

from __future__ import annotations

from typing import Optional

from typing_extensions import assert_type

from letta_client import (
    APIConnectionError,
    APIError,
    APIStatusError,
    AsyncLetta,
    Letta,
    LettaStreamError,
    ResumeError,
)
from letta_client.tools import tool
from letta_client.types.response import LettaResponse


@tool
def add(a: int, b: int) -> int:
    """Add two numbers."""
    return a + b


def partial_response_is_never_none(
    connection: APIConnectionError,
    status: APIStatusError,
    frame: LettaStreamError,
    resume: ResumeError,
    any_api: APIError,
) -> None:
    for error in (connection, status, frame, resume, any_api):
        assert_type(error.partial_response, LettaResponse)
        assert_type(error.run_id, Optional[str])
        assert_type(error.last_seq_id, Optional[int])
    text: str = connection.partial_response.text  # no None check needed
    del text


def client_tools_take_tool_objects(client: Letta, agent_id: str) -> None:
    client.agents.messages.send(agent_id, input="x", client_tools=[add, {"name": "lookup"}])
    client.conversations.messages.send("conv-1", input="x", client_tools=[add], streaming=False)
    client.agents.messages.send(agent_id, input="x", client_tools=[5])  # type: ignore[list-item]


async def async_client_tools_take_tool_objects(client: AsyncLetta, agent_id: str) -> None:
    await client.agents.messages.send(agent_id, input="x", client_tools=[add], streaming=False)
