"""``client.agents``: the agent-scoped message resource, over the generated endpoints.

Creating, finding, changing and deleting agents, and every agent-scoped resource (core memory
blocks, tools, passages, archives, folders, files, identities, schedule, export/import), come
from ``resources/_generated/agents.py``; ``messages`` is hand-written (``resources/messages.py``).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from ._generated.agents import (
    AgentsEndpoints,
    AgentsEndpointsWithRawResponse,
    AgentsEndpointsWithStreamingResponse,
    AsyncAgentsEndpoints,
    AsyncAgentsEndpointsWithRawResponse,
    AsyncAgentsEndpointsWithStreamingResponse,
)
from .messages import (
    AsyncMessages,
    AsyncMessagesWithRawResponse,
    AsyncMessagesWithStreamingResponse,
    Messages,
    MessagesWithRawResponse,
    MessagesWithStreamingResponse,
)

if TYPE_CHECKING:
    from .._loop_thread import LoopThread
    from .._transport import AsyncTransport, SyncTransport

__all__ = ["Agents", "AsyncAgents"]


class Agents(AgentsEndpoints):
    def __init__(self, transport: SyncTransport, tool_loop: LoopThread) -> None:
        self._transport = transport
        self._tool_loop = tool_loop

    @cached_property
    def messages(self) -> Messages:
        return Messages(self._transport, self._tool_loop)

    @property
    def with_raw_response(self) -> AgentsWithRawResponse:
        return AgentsWithRawResponse(self)

    @property
    def with_streaming_response(self) -> AgentsWithStreamingResponse:
        return AgentsWithStreamingResponse(self)


class AsyncAgents(AsyncAgentsEndpoints):
    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    @cached_property
    def messages(self) -> AsyncMessages:
        return AsyncMessages(self._transport)

    @property
    def with_raw_response(self) -> AsyncAgentsWithRawResponse:
        return AsyncAgentsWithRawResponse(self)

    @property
    def with_streaming_response(self) -> AsyncAgentsWithStreamingResponse:
        return AsyncAgentsWithStreamingResponse(self)


class AgentsWithRawResponse(AgentsEndpointsWithRawResponse):
    def __init__(self, agents: Agents) -> None:
        super().__init__(agents)
        self._agents = agents

    @property
    def messages(self) -> MessagesWithRawResponse:
        return self._agents.messages.with_raw_response


class AgentsWithStreamingResponse(AgentsEndpointsWithStreamingResponse):
    def __init__(self, agents: Agents) -> None:
        super().__init__(agents)
        self._agents = agents

    @property
    def messages(self) -> MessagesWithStreamingResponse:
        return self._agents.messages.with_streaming_response


class AsyncAgentsWithRawResponse(AsyncAgentsEndpointsWithRawResponse):
    def __init__(self, agents: AsyncAgents) -> None:
        super().__init__(agents)
        self._agents = agents

    @property
    def messages(self) -> AsyncMessagesWithRawResponse:
        return self._agents.messages.with_raw_response


class AsyncAgentsWithStreamingResponse(AsyncAgentsEndpointsWithStreamingResponse):
    def __init__(self, agents: AsyncAgents) -> None:
        super().__init__(agents)
        self._agents = agents

    @property
    def messages(self) -> AsyncMessagesWithStreamingResponse:
        return self._agents.messages.with_streaming_response
