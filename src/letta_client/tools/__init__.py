"""Client-side tools and approvals: declare tools from Python functions, run them for the agent,
answer approval requests.

    from letta_client.tools import tool

    @tool
    def get_weather(location: str, unit: Literal["C", "F"] = "C") -> str:
        '''Get the weather for a city.

        Args:
            location: City name.
        '''
        return f"Sunny, 21{unit} in {location}"

    result = client.agents.messages.run_tools(agent_id, tools=[get_weather], input="Weather in Paris?")

- ``_declare``: ``@tool`` / ``ClientTool`` (name, description, JSON Schema, argument validation);
- ``_answers``: ``approve``, ``deny``, ``tool_result``, ``approval_message``, ``tool_return_message``;
- ``_content``: what a tool's value becomes on the wire (text, JSON, ``image(...)`` parts);
- ``_flow``: the runner's control flow, free of I/O; ``_runner``: its sync and async drivers;
- ``_result``: ``ToolRunResult``.

To answer an ``approval_request_message`` yourself, build the reply with ``approve``, ``deny``
and ``tool_result``, wrapped in ``approval_message([...])`` (or ``tool_return_message([...])``
when every item is a tool result), and send it as ``messages=[...]``.
"""

# first: a clear ImportError when the official letta-client replaced our __init__ (see _coexistence)
from .. import _own_init as _own_init
from .._exceptions import MaxRoundsExceededError, PendingApprovalError, ToolArgumentsError, ToolRunnerError
from ._answers import (
    ApprovalDecision,
    ApprovalHook,
    ApprovalItem,
    AsyncApprovalHook,
    approval_message,
    approve,
    deny,
    tool_result,
    tool_return_message,
)
from ._content import encode_result, image
from ._declare import ClientTool, tool
from ._flow import ToolLike
from ._result import ToolRunResult
from ._runner import AsyncToolRunnerStream, ToolRunnerStream

__all__ = [
    "ApprovalDecision",
    "ApprovalHook",
    "ApprovalItem",
    "AsyncApprovalHook",
    "AsyncToolRunnerStream",
    "ClientTool",
    "MaxRoundsExceededError",
    "PendingApprovalError",
    "ToolArgumentsError",
    "ToolLike",
    "ToolRunResult",
    "ToolRunnerError",
    "ToolRunnerStream",
    "approval_message",
    "approve",
    "deny",
    "encode_result",
    "image",
    "tool",
    "tool_result",
    "tool_return_message",
]
